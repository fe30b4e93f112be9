"""Helpers shared by the .docx/.pdf/.doc reader tests: fixtures, golden files, similarity."""

from __future__ import annotations

import difflib
import os
import unicodedata
from pathlib import Path

from vanban.extractor.ingest.options import IngestOptions
from vanban.extractor.model import Block, IngestedDocument

from tests.paths import FIXTURES, GOLDEN

INGEST_FIXTURES = FIXTURES / "ingest"
GOLDEN_INGEST = GOLDEN / "ingest"
REGEN = os.environ.get("VANBAN_REGEN_GOLDEN") == "1"
OPTIONS = IngestOptions()


def fixture(name: str) -> Path:
    return INGEST_FIXTURES / name


def check_golden(name: str, text: str) -> None:
    """``text`` equals tests/golden/ingest/<name>.txt (rewritten only with VANBAN_REGEN_GOLDEN=1)."""
    golden = GOLDEN_INGEST / f"{name}.txt"
    if REGEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden}; run with VANBAN_REGEN_GOLDEN=1 to create it"
    assert text == golden.read_text(encoding="utf-8")


def check_structure(doc: IngestedDocument) -> None:
    """Blocks are ordered trimmed slices; origins tile the whole text in order, without gaps."""
    text = doc.text
    prev_end = 0
    for b in doc.blocks:
        piece = text[b.start : b.end]
        assert b.start >= prev_end and piece and piece == piece.strip(), b
        prev_end = b.end
    pos = 0
    for o in doc.origins:
        assert o.start == pos and o.end > o.start, o
        pos = o.end
    assert pos == len(text)
    assert unicodedata.is_normalized("NFC", text)


def block_of(doc: IngestedDocument, needle: str) -> Block:
    """The block whose text contains ``needle`` (exactly one must)."""
    found = [b for b in doc.blocks if needle in doc.text[b.start : b.end]]
    assert len(found) == 1, (needle, found)
    return found[0]


# The corpus .txt siblings keep a PDF font-map bug (ƣ for ư) that the reader repairs.
_REFERENCE_FIXES = str.maketrans({"ƣ": "ư", "Ƣ": "Ư"})


def similarity(ours: str, reference: str) -> float:
    """difflib ratio of the whitespace-separated word sequences (NFC)."""
    a = unicodedata.normalize("NFC", ours).split()
    b = unicodedata.normalize("NFC", reference).translate(_REFERENCE_FIXES).split()
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
