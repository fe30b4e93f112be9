"""Where test data lives: our own fixtures, and the shared corpus beside the checkout."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
SEEDS = FIXTURES / "seeds"
SHARED = ROOT.parent / "shared"
REAL = SHARED / "corpus" / "real"
SEEDS_GOLD = SHARED / "corpus" / "seeds-gold"
SAMPLE = ROOT / "vanban" / "data" / "sample" / "ke-hoach-mau.docx"


def real_texts() -> list[Path]:
    return sorted(REAL.glob("*.txt")) if REAL.is_dir() else []


def real_originals() -> list[Path]:
    folder = REAL / "originals"
    return sorted(folder.iterdir()) if folder.is_dir() else []
