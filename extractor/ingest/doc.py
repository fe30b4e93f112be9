"""Read Word 97-2003 .doc files through antiword, with LibreOffice as the fallback.

antiword takes ~2 ms per document and keeps Vietnamese and tables intact, but only when told
the output map explicitly (``-m UTF-8.txt``; otherwise it follows the locale and may print
``D?nh K?``) and not to wrap lines (``-w 0``; wrapping splits symbols like ``26-CT/TU``).
LibreOffice reads what antiword rejects (RTF or HTML saved as .doc, odd Word 6 files) at ~1 s
per call, in a private profile so parallel runs do not fight over one. It is also asked when the
file's paragraphs carry Word list numbers ("I.", "1.", "a)"), which antiword does not print;
the binary is inspected (olefile) to know that without converting twice for nothing.

antiword draws tables as ``|cell|cell|`` lines, one per text line of a row, so a cell that wraps
or holds several paragraphs spans several lines. Two-column layout tables (the header: issuer |
motto, the signature: recipients | signer) are read column by column, as a .docx header table
is; wider tables row by row, a new row starting where the first column has text again.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vanban.extractor.errors import (
    ConversionTimeoutError,
    ConverterMissingError,
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    TooLargeError,
)
from vanban.extractor.ingest.builder import TextBuilder
from vanban.extractor.ingest.options import IngestOptions
from vanban.extractor.model import IngestedDocument

INSTALL_HINT = (
    "reading .doc needs antiword (apt-get install antiword) "
    "or LibreOffice (apt-get install libreoffice-writer-nogui)"
)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MARK = "[pic]"
# A paragraph that starts with a list number: "I. ", "1. ", "1.2. ", "a) ".
_NUMBERED = re.compile(r"^[ \t]*(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\))[ \t]", re.MULTILINE)


@dataclass(slots=True)
class _Line:
    text: str
    offset: int  # character offset in the converter's output


@dataclass(slots=True)
class _Part:
    """One cell of one antiword table line: its text and the width antiword padded it to."""

    line: _Line
    width: int  # characters between the bars
    used: int  # characters up to the end of the text (indentation included)


@dataclass(slots=True)
class _Entry:
    """One output block: one line of text or the wrapped lines of one table-cell paragraph."""

    lines: list[_Line]
    hints: dict[str, object]


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run a converter in its own process group, so a timeout also ends what it spawned
    (``soffice`` is a launcher script around ``soffice.bin``)."""
    posix = hasattr(os, "killpg")
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
                          start_new_session=posix) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if posix:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.communicate()
            raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    return env


@dataclass(slots=True)
class _Word97:
    """The two streams of a Word 97-2003 file that say whether it is encrypted or uses lists."""

    fib: bytes  # WordDocument stream (starts with the FIB)
    table: bytes  # 0Table or 1Table stream
    pages: int | None = None  # from the SummaryInformation stream, as Word last counted

    def flag(self, mask: int) -> bool:
        return bool(int.from_bytes(self.fib[10:12], "little") & mask)

    def fc_lcb(self, offset: int) -> tuple[int, int]:
        if offset + 8 > len(self.fib):
            return 0, 0
        return struct.unpack_from("<II", self.fib, offset)


def _word97(data: bytes) -> _Word97 | None:
    import olefile

    if not data.startswith(OLE2_MAGIC):
        return None
    try:
        ole = olefile.OleFileIO(data)
        try:
            if not ole.exists("WordDocument"):
                return None
            main = ole.openstream("WordDocument").read()
            if len(main) < 0x400 or main[:2] != b"\xec\xa5":
                return None
            name = "1Table" if int.from_bytes(main[10:12], "little") & 0x0200 else "0Table"
            table = ole.openstream(name).read() if ole.exists(name) else b""
            pages = ole.get_metadata().num_pages if ole.exists("\x05SummaryInformation") else None
            return _Word97(main, table, pages if isinstance(pages, int) and pages > 0 else None)
        finally:
            ole.close()
    except Exception:  # a probe only: a container olefile cannot walk is left to the converters
        return None


def _sprms(grpprl: bytes) -> Iterator[tuple[int, bytes]]:
    """(opcode, operand) of a Word 97 property list; the operand size is coded in the opcode."""
    i, n = 0, len(grpprl)
    while i + 2 <= n:
        sprm = struct.unpack_from("<H", grpprl, i)[0]
        i += 2
        spra = sprm >> 13
        if spra in (0, 1):
            size = 1
        elif spra in (2, 4, 5):
            size = 2
        elif spra == 3:
            size = 4
        elif spra == 7:
            size = 3
        elif i >= n:
            return
        elif sprm in (0xD608, 0xD606):  # table definitions carry a 2-byte size
            size = struct.unpack_from("<H", grpprl, i)[0] - 1
            i += 2
        else:
            size = grpprl[i]
            i += 1
        yield sprm, grpprl[i : i + size]
        i += size


_SPRM_P_ILFO = 0x460B
_SPRM_P_ILVL = 0x260A
_NFC_NOT_NUMBERS = {23, 255}  # bullet, none


def _numbered_paragraphs(doc: _Word97) -> int:
    """How many paragraphs carry a Word list number (not a bullet) that antiword will not print.

    Walks the paragraph property pages (PlcBtePapx → PapxFkp → sprmPIlfo/sprmPIlvl) and the
    list tables (PlfLfo → PlfLst → LVLF.nfc)."""
    fib, tbl = doc.fib, doc.table
    fc, lcb = doc.fc_lcb(0x0102)  # PlcBtePapx
    n = (lcb - 4) // 8
    if n <= 0 or fc + lcb > len(tbl):
        return 0
    uses: list[tuple[int, int]] = []
    for pn in struct.unpack_from(f"<{n}I", tbl, fc + 4 * (n + 1)):
        page = fib[(pn & 0x3FFFFF) * 512 : (pn & 0x3FFFFF) * 512 + 512]
        if len(page) < 512:
            continue
        for k in range(page[511]):
            at = 4 * (page[511] + 1) + 13 * k
            offset = page[at] * 2 if at < 511 else 0
            if not offset:
                continue
            cb = page[offset]
            papx = page[offset + 1 : offset + 2 * cb] if cb else page[offset + 2 : offset + 2 + 2 * page[offset + 1]]
            ilfo = ilvl = 0
            for sprm, operand in _sprms(papx[2:]):
                if sprm == _SPRM_P_ILFO and len(operand) == 2:
                    ilfo = struct.unpack("<h", operand)[0]
                elif sprm == _SPRM_P_ILVL and operand:
                    ilvl = operand[0]
            if ilfo > 0:
                uses.append((ilfo, ilvl))
    if not uses:
        return 0
    formats = _list_formats(doc)
    lfo_fc, lfo_lcb = doc.fc_lcb(0x02EA)
    lsids: list[int] = []
    if lfo_lcb >= 4 and lfo_fc + 4 <= len(tbl):
        count = struct.unpack_from("<I", tbl, lfo_fc)[0]
        lsids = [struct.unpack_from("<I", tbl, lfo_fc + 4 + 16 * i)[0]
                 for i in range(count) if lfo_fc + 8 + 16 * i <= len(tbl)]
    numbered = 0
    for ilfo, ilvl in uses:
        levels = formats.get(lsids[ilfo - 1]) if ilfo <= len(lsids) else None
        if levels and levels[min(ilvl, len(levels) - 1)] not in _NFC_NOT_NUMBERS:
            numbered += 1
    return numbered


def _list_formats(doc: _Word97) -> dict[int, list[int]]:
    """lsid → number format (nfc) of each level, from PlfLst and the LVLs that follow it."""
    tbl = doc.table
    fc, lcb = doc.fc_lcb(0x02E2)
    if lcb < 2 or fc + lcb > len(tbl):
        return {}
    count = struct.unpack_from("<H", tbl, fc)[0]
    pos = fc + lcb
    out: dict[int, list[int]] = {}
    for i in range(count):
        lstf = tbl[fc + 2 + 28 * i : fc + 30 + 28 * i]
        if len(lstf) < 28:
            break
        levels = []
        for _ in range(1 if lstf[26] & 1 else 9):
            lvlf = tbl[pos : pos + 28]
            if len(lvlf) < 28:
                return out
            levels.append(lvlf[4])
            pos += 28 + lvlf[25] + lvlf[24]
            cch = struct.unpack_from("<H", tbl, pos)[0] if pos + 2 <= len(tbl) else 0
            pos += 2 + 2 * cch
        out[struct.unpack_from("<I", lstf)[0]] = levels
    return out


def _antiword(path: Path, name: str, timeout: float) -> str | None:
    binary = shutil.which("antiword")
    if binary is None:
        return None
    try:
        proc = _run([binary, "-m", "UTF-8.txt", "-w", "0", str(path)], timeout)
    except subprocess.TimeoutExpired:
        raise ConversionTimeoutError(f"antiword took longer than {timeout:.0f} s", path=name) from None
    err = proc.stderr.decode("utf-8", "replace").lower()
    if "encrypt" in err:
        raise EncryptedFileError("the .doc is password-protected; remove the password and retry", path=name)
    text = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0 or not text.strip():
        return None
    return text


def _soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _soffice(path: Path, name: str, timeout: float) -> str | None:
    binary = _soffice_binary()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="vanban-lo-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        out_dir = Path(tmp, "out")
        try:
            proc = _run(
                [binary, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                 "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(out_dir), str(path)],
                timeout,
            )
        except subprocess.TimeoutExpired:
            raise ConversionTimeoutError(
                f"LibreOffice took longer than {timeout:.0f} s to convert the .doc", path=name
            ) from None
        produced = list(out_dir.glob("*.txt")) if out_dir.is_dir() else []
        if not produced:
            err = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()
            if "password" in err.lower():
                raise EncryptedFileError("the .doc is password-protected; remove the password and retry", path=name)
            raise CorruptFileError(
                f"neither antiword nor LibreOffice could read this .doc{': ' + err if err else ''}", path=name
            )
        return produced[0].read_bytes().decode("utf-8-sig", "replace")


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        out.append(_Line(raw.rstrip("\r"), pos))
        pos += len(raw) + 1
    return out


def _is_row(line: str) -> bool:
    s = line.strip()
    return len(s) >= 2 and s.startswith("|") and s.endswith("|")


def _cells(line: _Line) -> list[_Part]:
    raw = line.text
    first = raw.index("|")
    last = raw.rindex("|")
    out = []
    pos = first + 1
    for part in raw[first + 1 : last].split("|"):
        lead = len(part) - len(part.lstrip())
        out.append(_Part(_Line(part.strip(), line.offset + pos + lead), len(part), len(part.rstrip())))
        pos += len(part) + 1
    return out


def _wraps(prev: _Part | None, cur: _Part) -> bool:
    """Whether ``cur`` continues ``prev``'s paragraph: its first word did not fit after it.

    A line that starts with a capital is taken as a new paragraph even then: wrapping lands
    mid-sentence, and joining two paragraphs (motto and slogan) is worse than splitting one.
    """
    if prev is None or not prev.line.text or not cur.line.text or cur.line.text[0].isupper():
        return False
    return prev.used + 1 + len(cur.line.text.split()[0]) > prev.width


def _paragraphs(parts: list[_Part]) -> list[list[_Line]]:
    """One column's consecutive parts → paragraphs (wrapped lines joined)."""
    out: list[list[_Line]] = []
    prev: _Part | None = None
    for part in parts:
        if not part.line.text:
            prev = None
            continue
        if out and _wraps(prev, part):
            out[-1].append(part.line)
        else:
            out.append([part.line])
        prev = part
    return out


def _table(rows: list[_Line], number: int) -> list[_Entry]:
    """antiword's table lines → cell paragraphs in reading order (see the module docstring)."""
    grid = [_cells(r) for r in rows]
    width = max(len(g) for g in grid)
    out: list[_Entry] = []
    if width <= 2:
        for col in range(width):
            column = [g[col] for g in grid if col < len(g)]
            for para in _paragraphs(column):
                out.append(_Entry(para, {"kind": "cell", "table": number, "row": 0, "col": col}))
        return out
    # A line continues the row above when each of its cells continues the text above it.
    groups: list[list[list[_Part]]] = []
    for k, g in enumerate(grid):
        above = grid[k - 1] if k else None
        continues = above is not None and any(p.line.text for p in g) and all(
            not p.line.text or (col < len(above) and _wraps(above[col], p)) for col, p in enumerate(g)
        )
        if continues and groups:
            groups[-1].append(g)
        else:
            groups.append([g])
    for row, group in enumerate(groups):
        for col in range(width):
            column = [g[col] for g in group if col < len(g)]
            for para in _paragraphs(column):
                out.append(_Entry(para, {"kind": "cell", "table": number, "row": row, "col": col}))
    return out


def _entries(text: str, *, antiword: bool) -> list[_Entry]:
    lines = _lines(text)
    out: list[_Entry] = []
    tables = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if antiword and _is_row(line.text):
            j = i
            while j < len(lines) and _is_row(lines[j].text):
                j += 1
            out.extend(_table(lines[i:j], tables))
            tables += 1
            i = j
            continue
        stripped = line.text.strip()
        if stripped and stripped != _IMAGE_MARK:
            lead = len(line.text) - len(line.text.lstrip())
            out.append(_Entry([_Line(stripped, line.offset + lead)], {"kind": "paragraph"}))
        i += 1
    return out


def _repair_legacy(entries: list[_Entry], conversions: set[str]) -> None:
    """Text typed in TCVN3/VNI fonts comes out of the converters as Latin-1 mojibake."""
    from vanban.extractor import legacy

    encoding = legacy.detect("\n".join(line.text for e in entries for line in e.lines))
    if encoding is None:
        return
    for e in entries:
        for k, line in enumerate(e.lines):
            fixed = legacy.repair_line(line.text, encoding)
            if fixed != line.text:
                e.lines[k] = _Line(fixed, line.offset)
                conversions.add(encoding)


def _add(builder: TextBuilder, entry: _Entry) -> None:
    builder.begin_block()
    for k, line in enumerate(entry.lines):
        if k:
            builder.add(" ", f"line{line.offset}", generated=True)
        builder.add(line.text, f"line{line.offset}", offset=line.offset)
    builder.end_block(**entry.hints)
    builder.newline()


def read(data: bytes, *, path: str | None, options: IngestOptions) -> IngestedDocument:
    """Read a Word 97-2003 file's bytes."""
    name = path or "<doc>"
    if len(data) > options.max_bytes:
        raise TooLargeError(f"file is {len(data):,} bytes, over the limit of {options.max_bytes:,}", path=name)
    if not data:
        raise EmptyFileError("the file is empty", path=name)
    if data.startswith(OLE2_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data:
        raise EncryptedFileError("the file is a password-protected Word 2007+ document", path=name)
    word = _word97(data)
    if word is not None and word.flag(0x0100):  # FibBase.fEncrypted (set for XOR obfuscation too)
        raise EncryptedFileError("the .doc is password-protected; remove the password and retry", path=name)
    if not shutil.which("antiword") and not _soffice_binary():
        raise ConverterMissingError(INSTALL_HINT, path=name)

    with tempfile.TemporaryDirectory(prefix="vanban-doc-") as tmp:
        source = Path(tmp, "input.doc")
        source.write_bytes(data)
        text = _antiword(source, name, options.timeout_s)
        via_antiword = text is not None
        warnings: tuple[str, ...] = ()
        if text is not None and word is not None and _soffice_binary() and _numbered_paragraphs(word):
            # antiword does not print the numbers Word generates for lists ("I.", "1.", "a)"),
            # and section numbers are often such lists; LibreOffice renders them.
            try:
                rendered = _soffice(source, name, options.timeout_s)
            except (CorruptFileError, ConversionTimeoutError):
                rendered = None
            if rendered and len(_NUMBERED.findall(rendered)) > len(_NUMBERED.findall(text)):
                text, via_antiword = rendered, False
        if text is None:
            text = _soffice(source, name, options.timeout_s)
            if text is None:
                raise ConverterMissingError(
                    "antiword could not read this .doc and LibreOffice is not installed "
                    "(apt-get install libreoffice-writer-nogui)",
                    path=name,
                )
            if shutil.which("antiword"):
                warnings = ("antiword could not read this .doc; converted with LibreOffice",)
    builder = TextBuilder()
    entries = _entries(text.removeprefix("\ufeff"), antiword=via_antiword)
    _repair_legacy(entries, builder.conversions)
    for entry in entries:
        _add(builder, entry)
    if not builder.text().strip():
        raise EmptyFileError("the .doc contains no text", path=name)
    return builder.build(
        path=path, fmt="doc", data=data, pages=word.pages if word else None, warnings=warnings
    )
