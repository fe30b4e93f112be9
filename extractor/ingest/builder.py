"""Assemble the normalized text of a document piece by piece, keeping blocks and origins.

Every reader (txt, md, docx, pdf, doc) feeds its pieces through one ``TextBuilder`` so that
normalization (NFC) happens once, here, and every character of the final text knows where it
came from.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any

from vanban.extractor.model import Block, IngestedDocument, Origin, Source


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class TextBuilder:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self._blocks: list[Block] = []
        self._origins: list[Origin] = []
        self._block_start: int | None = None
        self._block_part = 0  # index into _parts where the open block began
        self.conversions: set[str] = set()
        self.warnings: list[str] = []

    @property
    def pos(self) -> int:
        return self._pos

    def add(
        self,
        text: str,
        locator: str,
        *,
        run: int | None = None,
        offset: int | None = None,
        page: int | None = None,
        generated: bool = False,
    ) -> tuple[int, int]:
        """Append ``text`` (normalized to NFC here) and return its span in the final text."""
        if not text:
            return self._pos, self._pos
        normalized = nfc(text)
        if normalized != text:
            self.conversions.add("nfc")
        start = self._pos
        self._parts.append(normalized)
        self._pos += len(normalized)
        self._origins.append(
            Origin(start, self._pos, locator, run=run, offset=offset, page=page, generated=generated)
        )
        return start, self._pos

    def newline(self, locator: str = "generated", count: int = 1) -> None:
        self.add("\n" * count, locator, generated=True)

    def begin_block(self) -> None:
        self._block_start = self._pos
        self._block_part = len(self._parts)

    def end_block(self, **hints: Any) -> Block | None:
        """Close the block opened by ``begin_block``; empty (whitespace-only) blocks are dropped."""
        if self._block_start is None:
            raise RuntimeError("end_block without begin_block")
        start, end = self._block_start, self._pos
        self._block_start = None
        # Join only this block's parts: joining the whole text per block is quadratic.
        text = "".join(self._parts[self._block_part:])
        start += len(text) - len(text.lstrip())
        end -= len(text) - len(text.rstrip())
        if end <= start:
            return None
        block = Block(start, end, **hints)
        self._blocks.append(block)
        return block

    def text(self) -> str:
        return "".join(self._parts)

    def build(
        self,
        *,
        path: str | None,
        fmt: str,
        data: bytes,
        pages: int | None = None,
        encoding: str | None = None,
        extra_conversions: tuple[str, ...] = (),
        warnings: tuple[str, ...] = (),
    ) -> IngestedDocument:
        from vanban.extractor.quality import assess

        text = self.text()
        conversions = tuple(sorted(self.conversions | set(extra_conversions)))
        return IngestedDocument(
            source=Source(
                path=path, format=fmt, sha256=hashlib.sha256(data).hexdigest(), pages=pages, size=len(data)
            ),
            text=text,
            blocks=tuple(sorted(self._blocks, key=lambda b: b.start)),
            origins=tuple(self._origins),
            quality=assess(text),
            encoding=encoding,
            conversions=conversions,
            warnings=tuple(self.warnings) + warnings,
        )
