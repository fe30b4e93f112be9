"""The front door of ingestion: read a file (or bytes), find its real format, hand it to a reader.

The format comes from the content, not the name: a PDF saved as ``.txt`` is read as a PDF, a
``.docx`` that is really text is read as text, a ``.txt`` that is Markdown goes to the Markdown
reader. Every failure is a typed ``VanbanError`` whose message names the file; a reader that
trips over a file it cannot parse yields ``CorruptFileError``, never a traceback.

Readers live in sibling modules, each exposing
``read(data: bytes, *, path: str | None, options: IngestOptions) -> IngestedDocument``, and are
imported only when a file of their format arrives.
"""

from __future__ import annotations

import importlib
import io
import os
import struct
import zipfile
from dataclasses import replace
from types import ModuleType

from vanban.extractor.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileMissingError,
    InputError,
    TooLargeError,
    UnsupportedFormatError,
    VanbanError,
)
from vanban.extractor.ingest.options import IngestOptions
from vanban.extractor.model import IngestedDocument

__all__ = ["READERS", "IngestOptions", "ingest", "sniff"]

READERS: dict[str, str] = {
    "txt": "vanban.extractor.ingest.txt",
    "md": "vanban.extractor.ingest.md",
    "docx": "vanban.extractor.ingest.docx",
    "pdf": "vanban.extractor.ingest.pdf",
    "doc": "vanban.extractor.ingest.doc",
}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Formats vanban does not read, recognized so the message can say what the file is.
_KNOWN_BINARY = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable program"),
    (b"MZ", "a Windows executable"),
    (b"{\\rtf", "an RTF document (save it as .docx)"),
)


def ingest(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    ocr: bool = False,
    options: IngestOptions | None = None,
) -> IngestedDocument:
    """Read a .txt/.md/.docx/.pdf/.doc file (or its bytes) into normalized text with structure.

    ``name`` is how the document is called in messages and in ``source.path`` (defaults to the
    path; for bytes, to nothing). Raises an ``InputError`` subclass for anything unreadable.
    """
    options = options or IngestOptions()
    if ocr and not options.ocr:
        options = replace(options, ocr=True)
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        label = name
        if len(data) > options.max_bytes:
            raise TooLargeError(_too_large(len(data), options), path=label or "<bytes>")
    else:
        path = os.fspath(source)
        label = name or path
        data = _read_file(path, label, options)
    shown = label or "<bytes>"
    if not data:
        raise EmptyFileError("the file is empty (0 bytes)", path=shown)
    fmt = sniff(data, label)
    reader = _reader(fmt, shown)
    try:
        doc = reader.read(data, path=label, options=options)
    except VanbanError:
        raise
    except MemoryError:
        raise TooLargeError("not enough memory to read this file", path=shown) from None
    except Exception as err:  # a parser choking on a damaged file must not surface as a traceback
        raise CorruptFileError(
            f"cannot read this {fmt} file, it seems damaged ({type(err).__name__}: {err})", path=shown
        ) from err
    if not doc.text.strip():
        raise EmptyFileError(f"no text found in this {fmt} file (blank or whitespace only)", path=shown)
    return doc


def _too_large(size: int, options: IngestOptions) -> str:
    return f"file is {size / 1048576:.1f} MB, over the {options.max_bytes / 1048576:.0f} MB limit"


def _read_file(path: str, label: str, options: IngestOptions) -> bytes:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileMissingError("no such file", path=label) from None
    except NotADirectoryError:
        raise FileMissingError("no such file (a folder in the path is a file)", path=label) from None
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror or err}", path=label) from None
    if os.path.isdir(path):
        raise UnsupportedFormatError("this is a folder, not a file", path=label)
    # Checked before reading: a 2 GB file must not be loaded just to be refused.
    if st.st_size > options.max_bytes:
        raise TooLargeError(_too_large(st.st_size, options), path=label)
    try:
        with open(path, "rb") as fh:
            data = fh.read(options.max_bytes + 1)
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror or err}", path=label) from None
    if len(data) > options.max_bytes:  # grew, or a device/pipe without a size
        raise TooLargeError(_too_large(len(data), options), path=label)
    return data


def _reader(fmt: str, shown: str) -> ModuleType:
    module = READERS.get(fmt)
    if module is None:
        raise UnsupportedFormatError(f"no reader for format {fmt!r}", path=shown)
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and module.startswith(err.name):
            raise UnsupportedFormatError(
                f"this is a .{fmt} file, but the .{fmt} reader is not installed in this build", path=shown
            ) from None
        raise UnsupportedFormatError(
            f"reading .{fmt} files needs the Python package {err.name!r}, which is not installed",
            path=shown,
        ) from None


# --------------------------------------------------------------------------- sniffing


def sniff(data: bytes, name: str | None = None) -> str:
    """The reader format for ``data``: "docx", "pdf", "doc", "md" or "txt".

    Raises UnsupportedFormatError / EncryptedFileError / CorruptFileError for content vanban
    cannot read, naming ``name``.
    """
    shown = name or "<bytes>"
    suffix = os.path.splitext(name or "")[1].lower()
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data, shown)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head == _OLE2:
        return _sniff_ole2(data, shown)
    for magic, what in _KNOWN_BINARY:
        if data.startswith(magic):
            raise UnsupportedFormatError(f"this is {what}, not a text document", path=shown)
    if _looks_binary(data):
        if suffix in (".docx", ".pdf", ".doc"):
            raise CorruptFileError(
                f"not a valid {suffix} file: its content is neither {suffix} nor text", path=shown
            )
        raise UnsupportedFormatError(
            "binary data, not a document vanban can read (.txt, .md, .docx, .pdf, .doc)", path=shown
        )
    from vanban.extractor.ingest.md import MARKDOWN_SUFFIXES, looks_like_markdown

    if suffix in MARKDOWN_SUFFIXES:
        return "md"
    from vanban.extractor.ingest.txt import decode

    head_text = decode(data[:131_072])[0]
    lowered = head_text.lstrip()[:512].lower()
    if lowered.startswith(("<!doctype html", "<html")) or "<html" in lowered[:200]:
        raise UnsupportedFormatError(
            "this is an HTML page; save it as text, Markdown or .docx first", path=shown
        )
    return "md" if looks_like_markdown(head_text) else "txt"


def _sniff_zip(data: bytes, shown: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError) as err:
        raise CorruptFileError(
            f"damaged or truncated zip archive (.docx files are zip archives): {err}", path=shown
        ) from None
    except RuntimeError as err:  # zipfile: encrypted member
        raise EncryptedFileError(f"password-protected zip archive: {err}", path=shown) from None
    if "word/document.xml" in names or b"wordprocessingml.document.main" in types:
        return "docx"
    if b"wordprocessingml.template.main" in types or b"ms-word.document.macroEnabled" in types:
        return "docx"
    what = "a zip archive"
    if any(n.startswith("xl/") for n in names):
        what = "an Excel workbook (.xlsx)"
    elif any(n.startswith("ppt/") for n in names):
        what = "a PowerPoint presentation (.pptx)"
    elif "mimetype" in names:
        what = "an OpenDocument file (.odt/.ods; save it as .docx)"
    raise UnsupportedFormatError(f"this is {what}, not a Word document", path=shown)


def _ole2_streams(data: bytes) -> set[str]:
    """Names in the directory of an OLE2 compound file (.doc, .xls, encrypted .docx).

    Directory entries are 128 bytes, aligned to 128 in the file (the 512-byte header and every
    sector are multiples of 128): UTF-16LE name, then its byte length at +64.
    """
    names: set[str] = set()
    for target in ("WordDocument", "EncryptedPackage", "EncryptionInfo", "Workbook", "Book",
                   "PowerPoint Document"):
        needle = target.encode("utf-16-le") + b"\x00\x00"
        start = 0
        while (pos := data.find(needle, start)) != -1:
            start = pos + 1
            if pos % 128 == 0 and pos >= 512:
                (length,) = struct.unpack_from("<H", data, pos + 64) if pos + 66 <= len(data) else (0,)
                if length == len(needle):
                    names.add(target)
                    break
    return names


def _sniff_ole2(data: bytes, shown: str) -> str:
    if len(data) < 1536:
        raise CorruptFileError("truncated Office file (OLE2 header without content)", path=shown)
    streams = _ole2_streams(data)
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        raise EncryptedFileError(
            "password-protected Office document; remove the password in Word and save again", path=shown
        )
    if "WordDocument" in streams:
        return "doc"
    if streams & {"Workbook", "Book"}:
        raise UnsupportedFormatError("this is an Excel workbook (.xls), not a Word document", path=shown)
    if "PowerPoint Document" in streams:
        raise UnsupportedFormatError("this is a PowerPoint file (.ppt), not a Word document", path=shown)
    raise UnsupportedFormatError("an Office (OLE2) file that is not a Word document", path=shown)


def _looks_binary(data: bytes) -> bool:
    """NUL or control bytes that no text file has (UTF-16/32 text excepted)."""
    sample = data[:65_536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    from vanban.extractor.ingest.txt import utf16_without_bom

    if utf16_without_bom(sample):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(bytes([b])) for b in (*range(0, 9), *range(14, 27), *range(28, 32), 127))
    return controls > len(sample) * 0.02
