"""The public verbs. Heavy modules load on first call, never at import."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vanban.extractor.model import ExtractedDocument, IngestedDocument

PathOrBytes = str | os.PathLike[str] | bytes


def ingest(source: PathOrBytes, *, name: str | None = None, ocr: bool = False) -> IngestedDocument:
    """Read a .txt/.md/.docx/.pdf/.doc file (or its bytes) into normalized text with structure."""
    from vanban.extractor.ingest import ingest as _ingest

    return _ingest(source, name=name, ocr=ocr)


def extract(source: PathOrBytes | IngestedDocument, *, name: str | None = None, ocr: bool = False) -> ExtractedDocument:
    """Ingest (unless already ingested) and extract header, sections and entities."""
    from vanban.extractor.model import IngestedDocument
    from vanban.extractor.pipeline import extract_ingested

    doc = source if isinstance(source, IngestedDocument) else ingest(source, name=name, ocr=ocr)
    return extract_ingested(doc)


def check(source: Any, **options: Any) -> Any:
    """Extract (unless given an ExtractedDocument) and run the rule packs; returns a CheckReport."""
    from vanban.extractor.model import ExtractedDocument
    from vanban.rules.engine import check as _check

    doc = source if isinstance(source, ExtractedDocument) else extract(source)
    return _check(doc, **options)
