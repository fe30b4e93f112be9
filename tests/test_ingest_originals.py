"""Every real .docx/.pdf/.doc original ingests cleanly, and its text matches the corpus .txt sibling.

The siblings were made by other tools (an own docx XML walk, pdftotext, LibreOffice), so the
comparison is a word-sequence similarity, not equality. Floors measured on the corpus
(2026-11): .docx 0.993-1.000 (mean 0.9997), .doc 0.954-1.000 (mean 0.993), .pdf 0.891-0.998
(mean 0.963; tables and pdftotext's own header order differ, not words).
"""

from __future__ import annotations

import shutil
import statistics
from functools import cache
from pathlib import Path

import pytest
from vanban.extractor.ingest import ingest
from vanban.extractor.model import IngestedDocument

from tests.ingest_binary_support import check_structure, similarity
from tests.paths import REAL, real_originals

pytestmark = pytest.mark.slow

ORIGINALS = [p for p in real_originals() if p.suffix in {".docx", ".pdf", ".doc"}]
HAS_DOC_CONVERTER = bool(shutil.which("antiword") or shutil.which("soffice") or shutil.which("libreoffice"))
FLOOR = {".docx": 0.98, ".doc": 0.95, ".pdf": 0.85}
MEAN_FLOOR = {".docx": 0.995, ".doc": 0.985, ".pdf": 0.94}


def _skip_reason(path: Path) -> str | None:
    if path.suffix == ".doc" and not HAS_DOC_CONVERTER:
        return "reading .doc needs antiword or LibreOffice, neither is installed"
    return None


@cache
def _ingested(path: Path) -> IngestedDocument:
    return ingest(path)


@cache
def _similarity(path: Path) -> float:
    return similarity(_ingested(path).text, (REAL / f"{path.stem}.txt").read_text(encoding="utf-8"))


@pytest.mark.skipif(not ORIGINALS, reason="real corpus originals not present")
@pytest.mark.parametrize("path", ORIGINALS, ids=[p.name for p in ORIGINALS])
def test_original_ingests(path: Path) -> None:
    if reason := _skip_reason(path):
        pytest.skip(reason)
    doc = _ingested(path)
    check_structure(doc)
    assert doc.source.format == path.suffix[1:]
    assert doc.quality.verdict == "ok", doc.quality
    assert doc.blocks


@pytest.mark.skipif(not ORIGINALS, reason="real corpus originals not present")
@pytest.mark.parametrize("path", ORIGINALS, ids=[p.name for p in ORIGINALS])
def test_original_matches_its_text_sibling(path: Path) -> None:
    if reason := _skip_reason(path):
        pytest.skip(reason)
    if not (REAL / f"{path.stem}.txt").exists():
        pytest.skip("no .txt sibling")
    assert _similarity(path) >= FLOOR[path.suffix], f"{path.name}: {_similarity(path):.4f}"


@pytest.mark.skipif(not ORIGINALS, reason="real corpus originals not present")
@pytest.mark.parametrize("suffix", sorted(FLOOR))
def test_mean_similarity_per_format(suffix: str) -> None:
    paths = [p for p in ORIGINALS if p.suffix == suffix and not _skip_reason(p) and (REAL / f"{p.stem}.txt").exists()]
    if not paths:
        pytest.skip(f"no readable {suffix} originals")
    mean = statistics.mean(_similarity(p) for p in paths)
    assert mean >= MEAN_FLOOR[suffix], f"{suffix}: mean {mean:.4f} over {len(paths)} files"


@pytest.mark.skipif(not (REAL / "originals" / "024.pdf").exists(), reason="real corpus not present")
def test_signed_pdfs_keep_stamped_numbers() -> None:
    # Signing tools stamp the number and date into signature widgets; pdftotext finds them,
    # and so must we - in the right line, with the symbol joined.
    for name in ("024", "025", "027", "066"):
        doc = _ingested(REAL / "originals" / f"{name}.pdf")
        number_line = next(line for line in doc.text.split("\n") if line.startswith("Số:"))
        assert any(ch.isdigit() for ch in number_line.split("/")[0]), number_line
        assert " /" not in number_line, number_line
