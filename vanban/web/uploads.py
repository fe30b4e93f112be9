"""Receiving an upload: the request body is parsed while it streams in, and the file part is
written straight into a private folder inside the app's data dir.

Starlette's own form parsing spools the whole body (to the system temp dir) before a handler
runs, so a size limit checked afterwards would be checked too late. Here the multipart parser of
python-multipart is fed chunk by chunk and the upload stops at the first byte over the limit
(413); a ``Content-Length`` that announces too much is refused before reading anything.

Nothing the client sends becomes a path: the folder and file names are generated here, and the
client's file name is kept only as a label for messages (``Upload.name``).
"""

from __future__ import annotations

import re
import secrets
import shutil
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from vanban.extractor.errors import TooLargeError

ENVELOPE_BYTES = 64 * 1024  # boundaries, part headers and the small form fields around the file
MAX_FIELD_BYTES = 4096
MAX_FIELDS = 20
FILE_FIELD = "file"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadError(Exception):
    """A request that is not a usable upload; ``status`` is its HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(slots=True)
class Upload:
    folder: Path  # private working folder; delete with ``discard()``
    path: Path  # the received bytes
    name: str  # the client's file name reduced to a display label
    size: int
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def display_name(raw: bytes | str | None) -> str:
    """A file name fit for messages: the last path component, NFC, no control characters."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL.sub("", name).strip()
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 110] + "…" + dot + ext) if dot and len(ext) <= 8 else name[:120]
    return name or "van-ban"


def limit_text(limit: int) -> str:
    mb = limit / 1048576
    return f"{mb:.0f} MB" if mb >= 1 else f"{limit / 1024:.0f} KB"


def too_large(limit: int, name: str | None = None) -> TooLargeError:
    return TooLargeError(f"tệp vượt quá giới hạn {limit_text(limit)} (the file is over the "
                         f"{limit_text(limit)} upload limit)", path=name)


class _Parts:
    """python-multipart callbacks: the first ``file`` part goes to disk, small fields to memory."""

    def __init__(self, target: IO[bytes], limit: int) -> None:
        self.target = target
        self.limit = limit
        self.size = 0
        self.name: str | None = None
        self.found = False
        self.fields: dict[str, str] = {}
        self._header_name = b""
        self._header_value = b""
        self._disposition: bytes | None = None
        self._kind: str = "skip"  # "file", "field" or "skip" for the part being read
        self._field_name = ""
        self._field = bytearray()

    # Header callbacks ---------------------------------------------------------------
    def on_part_begin(self) -> None:
        self._disposition = None
        self._kind = "skip"
        self._field = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]
        if len(self._header_value) > MAX_FIELD_BYTES:
            raise UploadError(400, "bad_multipart", "tiêu đề phần multipart quá dài (multipart header too long)")

    def on_header_end(self) -> None:
        if self._header_name.strip().lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = b""
        self._header_value = b""

    def on_headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header((self._disposition or b"").decode("latin-1"))
        name = options.get(b"name", b"").decode("utf-8", errors="replace")
        if b"filename" in options:
            if name == FILE_FIELD and not self.found:
                self.found = True
                self.name = display_name(options[b"filename"])
                self._kind = "file"
            return
        if len(self.fields) >= MAX_FIELDS:
            raise UploadError(400, "bad_multipart", "quá nhiều trường trong biểu mẫu (too many form fields)")
        self._kind = "field"
        self._field_name = name

    # Body callbacks -----------------------------------------------------------------
    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._kind == "file":
            self.size += end - start
            if self.size > self.limit:
                raise too_large(self.limit, self.name)
            # A plain write: chunks are small and the file is local, so the event loop is not
            # held for long, and the bytes never sit in memory beyond one chunk.
            self.target.write(data[start:end])
        elif self._kind == "field":
            self._field += data[start:end]
            if len(self._field) > MAX_FIELD_BYTES:
                raise UploadError(400, "bad_multipart", "trường biểu mẫu quá dài (form field too long)")

    def on_part_end(self) -> None:
        if self._kind == "field":
            self.fields[self._field_name] = bytes(self._field).decode("utf-8", errors="replace")
        self._kind = "skip"

    def on_end(self) -> None:
        pass

    def callbacks(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (
            "on_part_begin", "on_part_data", "on_part_end", "on_header_field", "on_header_value",
            "on_header_end", "on_headers_finished", "on_end")}


def check_headers(headers: Any, limit: int) -> bytes:
    """The multipart boundary, after refusing what the headers alone show to be wrong."""
    from python_multipart.multipart import parse_options_header

    mime, params = parse_options_header(headers.get("content-type", ""))
    if mime != b"multipart/form-data":
        raise UploadError(415, "unsupported_media_type",
                          "gửi tệp dạng multipart/form-data trong trường 'file' (send the file as "
                          "multipart/form-data in the field 'file')")
    boundary = params.get(b"boundary")
    if not boundary:
        raise UploadError(400, "bad_multipart", "thiếu boundary của multipart (multipart boundary missing)")
    length = headers.get("content-length")
    if length is not None:
        if not length.strip().isdigit():
            raise UploadError(400, "bad_request", "Content-Length không hợp lệ (invalid Content-Length)")
        if int(length) > limit + ENVELOPE_BYTES:
            raise too_large(limit)
    return boundary


async def receive(headers: Any, stream: AsyncIterator[bytes], work_root: Path, limit: int) -> Upload:
    """Stream a multipart body into ``work_root/<random>/upload``; the caller discards it."""
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser

    boundary = check_headers(headers, limit)
    work_root.mkdir(parents=True, exist_ok=True)
    folder = work_root / secrets.token_hex(16)
    folder.mkdir(mode=0o700)
    path = folder / "upload"
    try:
        with path.open("wb") as fh:
            parts = _Parts(fh, limit)
            parser = MultipartParser(boundary, parts.callbacks())  # type: ignore[arg-type]
            total = 0
            async for chunk in stream:
                total += len(chunk)
                # Bytes around the file count too: a body of endless small fields is refused.
                if total > limit + ENVELOPE_BYTES:
                    raise too_large(limit, parts.name)
                parser.write(chunk)
            parser.finalize()
    except FormParserError:
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadError(400, "bad_multipart", "nội dung multipart hỏng (malformed multipart body)") from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not parts.found:
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadError(422, "missing_file", "chưa có tệp: gửi tệp trong trường 'file' "
                                               "(no file: send it in the form field 'file')")
    return Upload(folder=folder, path=path, name=parts.name or "van-ban", size=parts.size, fields=parts.fields)


def sweep(work_root: Path, older_than_s: float) -> int:
    """Remove working folders left behind by a crashed process; returns how many."""
    import time

    if not work_root.is_dir():
        return 0
    now = time.time()
    removed = 0
    for child in work_root.iterdir():
        try:
            if now - child.stat().st_mtime > older_than_s:
                shutil.rmtree(child, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed
