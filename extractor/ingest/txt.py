"""Plain text files: byte encoding, legacy font encodings, line structure.

The text keeps the file's lines exactly (line endings become ``\\n``, a form feed from
``pdftotext`` becomes a line break and starts a new page); only invisible characters are dropped
and legacy encodings converted. Every non-empty line is one block (kind ``"line"``) and one origin
whose ``locator`` is ``"line<N>"`` (1-based) and whose ``offset`` is the character offset of the
line in the decoded file (exact unless a VNI conversion changed the line's length).

Byte encodings, in order: a BOM (UTF-8, UTF-16, UTF-32); UTF-16 without a BOM, recognized by its
NUL bytes; UTF-8; otherwise the 8-bit reading (Vietnamese cp1258, or cp1252 for TCVN3/VNI bytes)
whose text has the fewest invalid Vietnamese syllables.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import NamedTuple

from vanban.extractor import legacy
from vanban.extractor.ingest.builder import TextBuilder
from vanban.extractor.ingest.options import IngestOptions
from vanban.extractor.model import IngestedDocument

_BREAK = re.compile(r"\r\n|[\r\n\x0b\x0c\u2028\u2029]")
# Invisible characters that only get in the way of matching: zero-width spaces and joiners, BOMs
# inside the text, soft hyphens (once legacy text, where \xad is the letter ư, is converted) and
# C0/C1 control characters other than tab.
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\xad\x00-\x08\x0e-\x1f\x7f\x80-\x9f]")


# --------------------------------------------------------------------------- bytes → str


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NULs sit at every other byte, as in ASCII-heavy UTF-16."""
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > pairs * 0.3 and even < pairs * 0.05:
        return "utf-16-le"
    if even > pairs * 0.3 and odd < pairs * 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Decode the bytes of a text file: (text, encoding name, warnings)."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                      (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _decode_unicode(data[len(bom):], name)
    utf16 = utf16_without_bom(data)
    if utf16:
        return _decode_unicode(data, utf16)
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    multibyte = sum(1 for ch in lenient if ord(ch) > 0x7F) - bad
    if multibyte > bad * 4:  # a UTF-8 file with a few stray bytes, not an 8-bit file
        return lenient, "utf-8", [f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD"]
    return _decode_8bit(data)


def _decode_unicode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    try:
        return data.decode(name), name, []
    except UnicodeDecodeError:
        text = data.decode(name, errors="replace")
        return text, name, [f"{text.count(chr(0xFFFD))} invalid {name} sequence(s) replaced by U+FFFD"]


def _decode_8bit(data: bytes) -> tuple[str, str, list[str]]:
    """Vietnamese Windows (cp1258) or Western (cp1252: TCVN3/VNI bytes read as Latin letters)."""
    candidates: list[tuple[int, int, str, str]] = []
    for rank, name in enumerate(("cp1252", "cp1258")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        scored = legacy.fix(text)[0] if name == "cp1252" else text
        candidates.append((legacy.invalid_words(scored)[0], rank, name, text))
    if not candidates:
        return data.decode("latin-1"), "latin-1", []
    _, _, name, text = min(candidates)
    return text, name, []


# --------------------------------------------------------------------------- lines


class Line(NamedTuple):
    number: int  # 1-based line number in the file
    offset: int  # character offset of the line in the decoded file
    text: str  # cleaned and converted
    raw_length: int  # length of the line in the decoded file
    page: int | None  # 1-based, when the file has form feeds (pdftotext output)
    breaks: str  # the line break(s) after it, normalized: "\n" or ""


def split_lines(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(number, offset, raw line, raw break) for each line of ``text``."""
    pos, number = 0, 1
    for m in _BREAK.finditer(text):
        yield number, pos, text[pos : m.start()], m.group()
        pos, number = m.end(), number + 1
    if pos < len(text):
        yield number, pos, text[pos:], ""


def clean_lines(text: str) -> tuple[list[Line], set[str], str | None]:
    """The file's lines, converted from legacy encodings and cleaned; plus conversions made."""
    conversions: set[str] = set()
    encoding = legacy.detect(text)
    oi = legacy.u01a3_applies(text)
    if oi:
        conversions.add("u01a3")
    paged = "\x0c" in text
    page = 1
    lines: list[Line] = []
    for number, offset, raw, brk in split_lines(text):
        line = raw
        if encoding is not None:
            converted = legacy.repair_line(line, encoding)
            if converted != line:
                conversions.add(encoding)
                line = converted
        if oi:
            line = line.translate(legacy.U01A3_MAP)
        if _INVISIBLE.search(line):
            line = _INVISIBLE.sub("", line)
        lines.append(Line(number, offset, line, len(raw), page if paged else None, "\n" if brk else ""))
        if brk == "\x0c":
            page += 1
    return lines, conversions, encoding


# --------------------------------------------------------------------------- reader


def read(data: bytes, *, path: str | None, options: IngestOptions) -> IngestedDocument:
    """Read a plain text file into one block per non-empty line."""
    text, encoding, warnings = decode(data)
    lines, conversions, _ = clean_lines(text)
    builder = TextBuilder()
    # One origin per line with its line break and the blank lines after it; blocks leave them out.
    pending: Line | None = None
    tail: list[str] = []

    def flush() -> None:
        if pending is None:
            return
        piece = pending.text + pending.breaks + "".join(tail)
        if pending.text.strip():
            builder.begin_block()
            builder.add(piece, f"line{pending.number}", offset=pending.offset)
            builder.end_block(kind="line", page=pending.page)
        elif piece:
            builder.add(piece, f"line{pending.number}", offset=pending.offset)

    for line in lines:
        if pending is not None and not line.text.strip() and line.page == pending.page:
            tail.append(line.text + line.breaks)
            continue
        flush()
        pending, tail = line, []
    flush()
    builder.conversions |= conversions
    return builder.build(path=path, fmt="txt", data=data, encoding=encoding, warnings=tuple(warnings))
