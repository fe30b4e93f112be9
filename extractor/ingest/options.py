"""Limits and switches for ingestion; one object passed to every reader."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IngestOptions:
    ocr: bool = False  # OCR PDFs without a text layer (Tesseract, language 'vie')
    max_bytes: int = 100 * 1024 * 1024  # refuse larger files outright
    max_unzipped_bytes: int = 200 * 1024 * 1024  # cap on the decompressed size of .docx parts (zip bombs)
    max_pages: int = 2000
    timeout_s: float = 120.0  # external converters (antiword, soffice, tesseract)
