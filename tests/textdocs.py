"""Build small IngestedDocuments straight from text, for header, signature and section tests.

Real files go through ``vanban.api.ingest``; these helpers cover constructions the corpus has
only once or in one reader's shape (a .docx table read row by row, bold lines, side-by-side
columns), with nothing between the test and the extractor.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from vanban.extractor.layout import fold_key
from vanban.extractor.model import Block, IngestedDocument, Quality, Source

from tests.paths import FIXTURES


def text_doc(
    text: str,
    *,
    bold: set[int] | frozenset[int] = frozenset(),
    cells: dict[int, tuple[int, int, int]] | None = None,
) -> IngestedDocument:
    """One block per non-empty line; ``bold`` line numbers are bold blocks, ``cells`` maps line
    numbers to (table, row, col) of a .docx table cell."""
    text = unicodedata.normalize("NFC", text)
    blocks = []
    pos = 0
    cells = cells or {}
    for i, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            table, row, col = cells.get(i, (None, None, None))
            blocks.append(
                Block(
                    start,
                    start + len(stripped),
                    kind="cell" if i in cells else "line",
                    bold=i in bold,
                    table=table,
                    row=row,
                    col=col,
                )
            )
        pos += len(line) + 1
    return IngestedDocument(
        source=Source(path=None, format="txt", sha256="0" * 64),
        text=text,
        blocks=tuple(blocks),
        origins=(),
        quality=Quality(len(text), 0, 1.0, 0, 0, "ok"),
    )


def real_gold() -> list[dict[str, Any]]:
    with (FIXTURES / "header" / "real_gold.json").open(encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)
    return data


def same(a: str | None, b: str | None) -> bool:
    """Equal ignoring case, diacritics and spacing (how the evaluation compares names)."""
    return fold_key(a or "") == fold_key(b or "")


def contains(haystack: str | None, needle: str) -> bool:
    return fold_key(needle) in fold_key(haystack or "")
