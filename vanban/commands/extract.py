"""`vanban extract FILE… --format json|jsonl|text`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class ExtractFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


def internal_error(path: Path, err: Exception) -> dict[str, str]:
    return {"code": "VB999", "message": f"{path}: lỗi nội bộ (internal error) {type(err).__name__}: {err}"}


def _report_failure(path: Path, error: dict[str, str], fmt: ExtractFormat) -> None:
    if fmt is ExtractFormat.jsonl:
        print(json.dumps({"source": {"path": str(path)}, "error": error}, ensure_ascii=False))
    print(f"vanban: {error['code']} {error['message']}", file=sys.stderr)


def extract_cli(
    files: Annotated[list[Path], typer.Argument(help="Tệp .txt/.md/.docx/.pdf/.doc (files to read)")],
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="json | jsonl | text")] = ExtractFormat.json,
    ocr: Annotated[bool, typer.Option(help="OCR scanned PDFs with Tesseract (vie)")] = False,
) -> None:
    """Trích xuất văn bản: header, sections, citations, deadlines, targets, units as JSON."""
    from vanban.api import extract
    from vanban.extractor.errors import VanbanError

    if fmt is not ExtractFormat.jsonl and len(files) > 1:
        fmt = ExtractFormat.jsonl
    failed = 0
    for path in files:
        try:
            doc = extract(path, ocr=ocr)
        except VanbanError as err:
            failed += 1
            _report_failure(path, err.to_dict(), fmt)
            continue
        except Exception as err:  # a bug of ours must not stop a batch or show a traceback
            failed += 1
            _report_failure(path, internal_error(path, err), fmt)
            continue
        if fmt is ExtractFormat.text:
            sys.stdout.write(doc.text)
            if not doc.text.endswith("\n"):
                sys.stdout.write("\n")
        elif fmt is ExtractFormat.jsonl:
            print(json.dumps(doc.to_dict(), ensure_ascii=False))
        else:
            print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
        sys.stdout.flush()
    if failed:
        raise typer.Exit(2)
