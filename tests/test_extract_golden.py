"""Golden files: each seed plan → its full extraction JSON (tests/golden/extract/<name>.json).

Regenerate only on purpose: VANBAN_REGEN_GOLDEN=1 pytest tests/test_extract_golden.py
A missing golden file is a failure, not a silent write.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.paths import FIXTURES, GOLDEN, SEEDS

REGEN = os.environ.get("VANBAN_REGEN_GOLDEN") == "1"
# The five seeds, real plans annotated by hand, and a plan written to hold each construction the
# extractor must read (shared dates, separated type words, named laws, every deadline form, …).
CASES = (sorted(SEEDS.glob("*.txt")) + sorted((FIXTURES / "real-docs").glob("*.txt"))
         + sorted((FIXTURES / "constructions").glob("*.txt")))


def _extract(path: Path) -> dict:
    import vanban

    data = vanban.extract(path).to_dict()
    data["source"]["path"] = path.name  # golden files must not depend on the checkout location
    return data


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_extraction_matches_golden(path: Path) -> None:
    golden = GOLDEN / "extract" / f"{path.stem}.json"
    got = _extract(path)
    if REGEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden}; run with VANBAN_REGEN_GOLDEN=1 to create it"
    want = json.loads(golden.read_text(encoding="utf-8"))
    for key in ("document", "sections", "citations", "deadlines", "targets", "units", "tasks", "references"):
        assert got[key] == want[key], key
    assert got["text"] == want["text"]


def test_regeneration_flag_is_off() -> None:
    """The flag rewrites golden files; a run with it on must never pass as a real test run."""
    assert not REGEN, "VANBAN_REGEN_GOLDEN=1 is set: golden files were rewritten, review the diff"
