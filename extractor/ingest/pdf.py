"""Read PDF text layers (pypdfium2) into normalized lines; OCR pages without one on request.

Why pypdfium2 and not pdfplumber: on the real corpus it is 25-50x faster per page (13 vs 360 ms
on a loaded machine; bench/ingest_binary_bench.py), keeps wrapped table cells whole, and -
decisive for signed documents - it can flatten form widgets. Vietnamese
e-government signing stamps the document number and date into signature-field appearances
(``Số: 193/UBND-KT``, ``ngày 10 tháng 01``); pdfminer/pdfplumber never see that text.

Reading order is pdfium's content order, with three repairs:

* text flattened out of annotations lands at the end of the page; each piece is put back into
  the line it visually belongs to;
* the two-column header of Vietnamese documents (issuer and number on the left, motto and date
  on the right, often drawn on shared baselines) becomes the left column, then the right one -
  the order the header table of a .docx has;
* document symbols broken by layout are rejoined (``Số: 779 /QĐ-UBND``, ``10-`` at a line end
  followed by ``CT/TU``), ``Ð`` (U+00D0) becomes ``Đ`` and ``ƣ`` becomes ``ư`` in Vietnamese text.

Blocks are lines (``kind="line"``, with ``page``); origins locate ``page{n}`` and the character
index in pdfium's text of that page.
"""

from __future__ import annotations

import ctypes
import io
import re
import shutil
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from vanban.extractor.errors import (
    ConversionTimeoutError,
    ConverterMissingError,
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    ScannedDocumentError,
    TooLargeError,
)
from vanban.extractor.ingest.builder import TextBuilder
from vanban.extractor.ingest.options import IngestOptions
from vanban.extractor.model import IngestedDocument

OCR_DPI = 300
# A page with fewer visible characters than this has no usable text layer (a scan, perhaps with
# a signature stamp or a page number drawn as text).
MIN_PAGE_CHARS = 20
MIN_SCAN_SHARE = 0.3  # … and a page that images cover this much of is a scan
_OCR_HINT = (
    "run with --ocr to read it with Tesseract (needs: apt-get install tesseract-ocr tesseract-ocr-vie)"
)

_FPDF_ERR_PASSWORD = 4
_FPDF_ERR_SECURITY = 6
_ANNOT_WITH_TEXT = {3, 13, 20}  # FreeText, Stamp, Widget (signature fields and form fields)

_VIET_LETTERS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})
# "779 /QĐ-UBND": a number, spaces, then a symbol's slash part (capitals up to a - or /).
_NUMBER_GAP = re.compile(r"(\d)[ \t]+(/[A-ZĐ][A-Za-zĐđ&]*[-–/])")
# A line that ends inside a symbol ("số 10-", "số 1074/", "Số: 779") …
_SYMBOL_HEAD = re.compile(r"(?:\d[-–/]|\d)$")
# … and a next line that continues it ("CT/TU", "QĐ-BXD", "/QĐ-UBND", "2025/NĐ-CP").
_SYMBOL_TAIL = re.compile(r"^(?:[A-ZĐ][A-Za-zĐđ&]*[-/][A-ZĐ]|/[A-ZĐ]|\d{4}/[A-ZĐ])")
_MAX_STAMP = 12  # visible characters: a stamped number or date part, not a sentence
_PDFIUM_HYPHENS = frozenset("\ufffe\x02")
_PAGE_NUMBER = re.compile(r"^[-–\s]*(?:[Tt]rang\s+)?(\d{1,4})[-–\s]*$")


# --------------------------------------------------------------------------- geometry


@dataclass(slots=True)
class _Char:
    ch: str
    x0: float
    y0: float  # PDF coordinates: y grows upwards
    x1: float
    y1: float
    idx: int  # index in pdfium's text of the page; -1 for spaces added here

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class _Line:
    chars: list[_Char]
    page: int
    zone: bool = False  # part of the first page's two-column header

    def visible(self) -> list[_Char]:
        return [c for c in self.chars if not c.ch.isspace()]

    def box(self) -> tuple[float, float, float, float]:
        vis = self.visible() or self.chars
        return (min(c.x0 for c in vis), min(c.y0 for c in vis), max(c.x1 for c in vis),
                max(c.y1 for c in vis))

    def text(self) -> str:
        return "".join(c.ch for c in self.chars)


@dataclass(slots=True)
class _Out:
    """One output line: pieces of text with the page-text index each starts at."""

    pieces: list[tuple[str, int]]
    page: int
    bold: bool | None = None
    italic: bool | None = None
    align: str | None = None
    ocr: bool = False

    def text(self) -> str:
        return "".join(t for t, _ in self.pieces)


def _split_native(chars: list[_Char], page: int) -> list[_Line]:
    lines: list[_Line] = []
    current: list[_Char] = []
    for c in chars:
        if c.ch in "\r\n":
            if current:
                lines.append(_Line(current, page))
            current = []
        else:
            current.append(c)
    if current:
        lines.append(_Line(current, page))
    return lines


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _height(chars: Sequence[_Char]) -> float:
    hs = [c.y1 - c.y0 for c in chars if not c.ch.isspace() and c.y1 > c.y0]
    return statistics.median(hs) if hs else 10.0


def _stamps(line: _Line, gap: float) -> list[list[_Char]]:
    """A flattened line cut where its characters stand far apart (each blank filled is a piece)."""
    out: list[list[_Char]] = []
    last: _Char | None = None
    for c in line.chars:
        if c.ch.isspace():
            if out and last is not None:
                out[-1].append(c)
            continue
        if last is None or c.x0 - last.x1 > gap or not out:
            out.append([])
        out[-1].append(c)
        last = c
    return [piece for piece in (_strip_chars(p) for p in out) if piece]


def _strip_chars(chars: list[_Char]) -> list[_Char]:
    start, end = 0, len(chars)
    while start < end and chars[start].ch.isspace():
        start += 1
    while end > start and chars[end - 1].ch.isspace():
        end -= 1
    return chars[start:end]


def _space(x: float, y0: float, y1: float) -> _Char:
    return _Char(" ", x, y0, x, y1, -1)


def _insert_flattened(lines: list[_Line], extra: list[_Char], page: int) -> None:
    """Put text that flattening appended at the page end back into the line it sits on.

    Only short pieces are fill-ins (a number, a day, "năm 2026"); a longer flattened line - the
    "Ký bởi: …" box of a digital signature, a reviewer's note - stays a line of its own, at the
    end of the page, instead of being spliced word by word into the text it covers.
    """
    h = _height(extra)
    for extra_line in _split_native(extra, page):
        pieces = _stamps(extra_line, 1.2 * h)
        if any(sum(1 for c in piece if not c.ch.isspace()) > _MAX_STAMP for piece in pieces):
            lines.append(extra_line)
            continue
        for seg in pieces:
            if not _insert_piece(lines, seg):
                lines.append(_Line(seg, page))


def _insert_piece(lines: list[_Line], seg: list[_Char]) -> bool:
    """Splice one stamped piece into the line sharing its baseline, at its x position."""
    sx0, sy0 = min(c.x0 for c in seg), min(c.y0 for c in seg)
    sx1, sy1 = max(c.x1 for c in seg), max(c.y1 for c in seg)
    best: _Line | None = None
    best_distance = 0.0
    for line in lines:
        vis = line.visible()
        if not vis:
            continue
        ly0, ly1 = statistics.median(c.y0 for c in vis), statistics.median(c.y1 for c in vis)
        if _overlap(sy0, sy1, ly0, ly1) < 0.5 * min(sy1 - sy0, ly1 - ly0):
            continue
        # Several lines can share the baseline (the header's two columns): take the nearest.
        lx0, lx1 = min(c.x0 for c in vis), max(c.x1 for c in vis)
        distance = max(0.0, lx0 - sx1, sx0 - lx1)
        if best is None or distance < best_distance:
            best, best_distance = line, distance
    if best is None:
        return False
    chars = best.chars
    cut = len(chars)
    for k, c in enumerate(chars):
        if not c.ch.isspace() and c.cx > (sx0 + sx1) / 2:
            cut = k
            break
    left, right = chars[:cut], chars[cut:]
    # The stamp fills a blank the line left for it: keep it apart from both neighbours
    # unless it stood flush against one of them.
    had_space = (bool(left) and left[-1].ch.isspace()) or (bool(right) and right[0].ch.isspace())
    while left and left[-1].ch.isspace():
        left.pop()
    while right and right[0].ch.isspace():
        right.pop(0)
    gap = 0.2 * (sy1 - sy0)
    merged = list(left)
    if left and (had_space or sx0 - left[-1].x1 > gap):
        merged.append(_space(left[-1].x1, sy0, sy1))
    merged.extend(seg)
    if right and (had_space or right[0].x0 - sx1 > gap):
        merged.append(_space(sx1, sy0, sy1))
    merged.extend(right)
    best.chars = merged
    return True


# --------------------------------------------------------------------------- two-column header


def _rows(lines: list[_Line]) -> list[list[_Line]]:
    """Lines grouped by shared baseline, top of the page first."""
    boxes = {id(line): line.box() for line in lines}
    ordered = sorted(lines, key=lambda ln: -boxes[id(ln)][3])
    rows: list[list[_Line]] = []
    for line in ordered:
        _, y0, _, y1 = boxes[id(line)]
        if rows:
            r0 = min(boxes[id(ln)][1] for ln in rows[-1])
            r1 = max(boxes[id(ln)][3] for ln in rows[-1])
            if _overlap(y0, y1, r0, r1) >= 0.5 * min(y1 - y0, r1 - r0):
                rows[-1].append(line)
                continue
        rows.append([line])
    return rows


def _pieces(line: _Line, gap: float) -> list[tuple[float, float]]:
    """Horizontal extents of a line's parts separated by gaps wider than ``gap``."""
    vis = line.visible()
    out: list[tuple[float, float]] = []
    for c in vis:
        if out and c.x0 - out[-1][1] <= gap:
            out[-1] = (out[-1][0], max(out[-1][1], c.x1))
        else:
            out.append((c.x0, c.x1))
    return out


def _column(pieces: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre and width of a header column, from the pieces of its first row."""
    return statistics.mean((a + b) / 2 for a, b in pieces), max(b for _, b in pieces) - min(a for a, _ in pieces)


def _fits(pieces: list[tuple[float, float]], column: tuple[float, float], page_mid: float, h: float) -> bool:
    """Whether a row's part in one column is centred on that column rather than on the page."""
    if not pieces:
        return True
    centre, width = column
    c = (min(a for a, _ in pieces) + max(b for _, b in pieces)) / 2
    return abs(c - page_mid) >= abs(c - centre) and abs(c - centre) <= max(0.3 * width, 2 * h)


def _header_zone(lines: list[_Line], width: float, height: float) -> tuple[list[_Out], set[int]]:
    """The first page's two-column header as left-column lines then right-column lines.

    The gutter is the free vertical band between the columns of the topmost rows. The zone grows
    row by row downwards and ends at the first row that crosses the band, that is centred on
    the page rather than on a column (the title), or that is set apart by a wide gap (the
    "Kính gửi" line after the subject). Returns the ordered lines and the ids of the source
    lines it consumed.
    """
    rows = [r for r in _rows([ln for ln in lines if ln.visible()]) if r]
    if len(rows) < 2:
        return [], set()
    h = _height([c for ln in lines for c in ln.visible()])
    lo, hi = 0.25 * width, 0.75 * width
    page_mid = width / 2
    columns: tuple[tuple[float, float], tuple[float, float]] | None = None  # (centre, width) each
    zone: list[list[_Line]] = []
    gaps: list[float] = []
    prev_top: float | None = None
    for row in rows:
        top = max(ln.box()[3] for ln in row)
        if top < 0.55 * height:
            break
        gap = prev_top - top if prev_top is not None else 0.0
        pieces = [p for ln in row for p in _pieces(ln, 1.2 * h)]
        new_lo, new_hi = lo, hi
        crossing = False
        for x0, x1 in pieces:
            if x1 <= new_lo or x0 >= new_hi:
                continue  # clear of the band
            if x1 - new_lo <= new_hi - x0:
                new_lo = x1  # reaches into the band from the left
            else:
                new_hi = x0
            if new_hi - new_lo < 0.5 * h:
                crossing = True
                break
        if crossing:
            break
        mid = (new_lo + new_hi) / 2
        on_left = [p for p in pieces if p[1] <= mid]
        on_right = [p for p in pieces if p[0] >= mid]
        two_sided = bool(on_left and on_right)
        if columns is None:
            if two_sided:
                columns = (_column(on_left), _column(on_right))
            elif len(zone) >= 2:
                break
        elif not _fits(on_left, columns[0], page_mid, h) or not _fits(on_right, columns[1], page_mid, h):
            break  # centred on the page (the title) or off the column (the "Kính gửi" line)
        # Rows with text in both columns are the header itself and may be spaced widely; a row
        # with one column only must follow closely (the wrapped subject line "V/v …").
        if zone and gap > (3.2 * h if two_sided else 2.2 * min(gaps or [1.3 * h])):
            break
        lo, hi = new_lo, new_hi
        zone.append(row)
        if prev_top is not None:
            gaps.append(gap)
        prev_top = top
    if columns is None or len(zone) < 2:
        return [], set()
    gutter = (lo + hi) / 2
    left: list[_Out] = []
    right: list[_Out] = []
    used: set[int] = set()
    for row in zone:
        for side, out in ((0, left), (1, right)):
            parts: list[_Char] = []
            for line in sorted(row, key=lambda ln: ln.box()[0]):
                chosen = [c for c in line.chars if (c.cx >= gutter) == bool(side)]
                while chosen and chosen[0].ch.isspace():
                    chosen.pop(0)
                while chosen and chosen[-1].ch.isspace():
                    chosen.pop()
                if chosen:
                    if parts:
                        parts.append(_space(parts[-1].x1, chosen[0].y0, chosen[0].y1))
                    parts.extend(chosen)
            if parts:
                out.append(_to_out(parts, row[0].page))
        used.update(id(ln) for ln in row)
    return left + right, used


# --------------------------------------------------------------------------- page → lines


def _to_out(chars: list[_Char], page: int) -> _Out:
    """Characters → text pieces, a new piece wherever pdfium's character index jumps."""
    pieces: list[tuple[str, int]] = []
    buf: list[str] = []
    start = last = -1
    for c in chars:
        if c.idx < 0:
            if buf:
                buf.append(c.ch)  # a space added here joins the piece before it
            continue
        if buf and c.idx != last + 1:
            pieces.append(("".join(buf), start))
            buf = []
        if not buf:
            start = c.idx
        buf.append(c.ch)
        last = c.idx
    if buf:
        pieces.append(("".join(buf), start))
    return _Out(pieces, page)


_STYLE_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_STYLE_ITALIC = re.compile(r"italic|oblique", re.IGNORECASE)
_FONT_ITALIC, _FONT_FORCE_BOLD = 0x40, 0x40000  # font descriptor flags


class _PageText:
    """One page's characters in content order, kept open so line styles can be looked up."""

    def __init__(self, pdf: Any, i: int) -> None:
        import pypdfium2.raw as pdfium_c

        self._c = pdfium_c
        self.page = pdf[i]
        self.textpage: Any = None
        n_before: int | None = None
        count = pdfium_c.FPDFPage_GetAnnotCount(self.page.raw)
        kinds = set()
        for k in range(count):
            annot = pdfium_c.FPDFPage_GetAnnot(self.page.raw, k)
            if annot:
                kinds.add(pdfium_c.FPDFAnnot_GetSubtype(annot))
                pdfium_c.FPDFPage_CloseAnnot(annot)
        if kinds & _ANNOT_WITH_TEXT:
            tp0 = self.page.get_textpage()
            n_before = tp0.count_chars()
            tp0.close()
            # Flattening writes the appearances into the content, after everything else.
            if pdfium_c.FPDFPage_Flatten(self.page.raw, pdfium_c.FLAT_PRINT) == pdfium_c.FLATTEN_SUCCESS:
                self.page.close()
                self.page = pdf[i]
            else:
                n_before = None
        self.width, self.height = self.page.get_size()
        self.textpage = tp = self.page.get_textpage()
        self.chars: list[_Char] = []
        self.extra: list[_Char] = []  # text flattening added (annotation appearances)
        self._fonts: dict[int | None, tuple[bool, bool]] = {}
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        raw = tp.raw
        if len(text) != n:  # characters outside the BMP: ask per index
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, j) or 32) for j in range(n))
        rect = pdfium_c.FS_RECTF()
        ref = ctypes.byref(rect)
        get_box = pdfium_c.FPDFText_GetLooseCharBox
        for j in range(n):
            ch = text[j]
            if ch in _PDFIUM_HYPHENS:
                # pdfium marks a hyphen that ends a line with U+FFFE and joins the lines. In
                # Vietnamese text such a hyphen always belongs to a symbol (NĐ-CP), never to a
                # split word, so it stays.
                ch = "-"
            if ch in "\r\n":
                c = _Char(ch, 0, 0, 0, 0, j)
            else:
                get_box(raw, j, ref)
                c = _Char(ch, rect.left, rect.bottom, rect.right, rect.top, j)
            (self.extra if n_before is not None and j >= n_before else self.chars).append(c)

    def close(self) -> None:
        if self.textpage is not None:
            self.textpage.close()
        self.page.close()

    def _font_style(self, index: int) -> tuple[bool, bool]:
        c = self._c
        obj = c.FPDFText_GetTextObject(self.textpage.raw, index)
        font = c.FPDFTextObj_GetFont(obj) if obj else None
        key = ctypes.cast(font, ctypes.c_void_p).value if font else None
        hit = self._fonts.get(key)
        if hit is None:
            bold = italic = False
            if font:
                buf = ctypes.create_string_buffer(256)
                c.FPDFFont_GetBaseFontName(font, buf, 256)
                name = buf.value.decode("latin-1")
                flags = c.FPDFFont_GetFlags(font)
                bold = c.FPDFFont_GetWeight(font) >= 600 or bool(flags & _FONT_FORCE_BOLD) or bool(
                    _STYLE_BOLD.search(name))
                italic = bool(flags & _FONT_ITALIC) or bool(_STYLE_ITALIC.search(name))
            hit = self._fonts[key] = (bold, italic)
        return hit

    def style(self, out: _Out) -> None:
        """Bold/italic of a line, from the fonts of its first, middle and last characters."""
        indices = [start + k for text, start in out.pieces for k, ch in enumerate(text) if not ch.isspace()]
        if not indices:
            return
        sample = {indices[0], indices[len(indices) // 2], indices[-1]}
        styles = [self._font_style(i) for i in sorted(sample)]
        out.bold = all(b for b, _ in styles)
        out.italic = all(i for _, i in styles)


def _image_share(pdf: Any, i: int) -> float:
    """Share of page ``i`` covered by images (a scanned page is one big image)."""
    import pypdfium2.raw as pdfium_c

    page = pdf[i]
    try:
        width, height = page.get_size()
        area = 0.0
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
            x0, y0, x1, y1 = obj.get_bounds()
            area += max(0.0, min(x1, width) - max(x0, 0.0)) * max(0.0, min(y1, height) - max(y0, 0.0))
        return area / (width * height) if width and height else 0.0
    finally:
        page.close()


def _drop_page_numbers(lines: list[_Line], page_no: int, height: float) -> list[_Line]:
    """Page numbers printed in the top or bottom margin are furniture, not text."""
    if not lines:
        return lines
    keep = []
    for line in lines:
        m = _PAGE_NUMBER.match(line.text())
        if m and abs(int(m.group(1)) - page_no) <= 1:
            y = line.box()[1]
            if y > 0.88 * height or y < 0.12 * height:
                continue
        keep.append(line)
    return keep


def _page_lines(chars: list[_Char], extra: list[_Char], page_no: int, width: float, height: float,
                *, first: bool) -> list[_Out]:
    lines = _split_native(chars, page_no)
    if extra:
        _insert_flattened(lines, extra, page_no)
    lines = _drop_page_numbers([ln for ln in lines if ln.visible()], page_no, height)
    head: list[_Out] = []
    used: set[int] = set()
    if first:
        head, used = _header_zone(lines, width, height)
    body = [ln for ln in lines if id(ln) not in used]
    outs = head + [_to_out(ln.chars, page_no) for ln in body]
    _mark_centered(body, outs[len(head):], width)
    return outs


def _mark_centered(lines: list[_Line], outs: list[_Out], width: float) -> None:
    boxes = [ln.box() for ln in lines]
    if len(boxes) < 3:
        return
    lefts = sorted(b[0] for b in boxes)
    rights = sorted(b[2] for b in boxes)
    # The text column: its left edge from most lines (indents only move right), its right edge
    # from the wide lines (a page may hold only a couple of full justified lines).
    wide = [b[2] for b in boxes if b[2] - b[0] > 0.5 * width]
    body_l, body_r = lefts[len(lefts) // 10], max(wide) if wide else rights[-1]
    span = body_r - body_l
    if span <= 0:
        return
    for (x0, _, x1, _), out in zip(boxes, outs, strict=True):
        # Margins on both sides, and about equal: a first-line indent leaves only the left one.
        left, right = x0 - body_l, body_r - x1
        if min(left, right) > 0.06 * span and abs(left - right) < 0.05 * span:
            out.align = "center"


# --------------------------------------------------------------------------- text repairs


def _rejoin_symbols(outs: list[_Out]) -> list[_Out]:
    """Join lines that break inside a document symbol; close "779 /QĐ" gaps."""
    merged: list[_Out] = []
    for out in outs:
        if merged and not out.ocr:
            prev = merged[-1]
            ptext = prev.text().rstrip()
            ntext = out.text().lstrip()
            if (prev.page == out.page and _SYMBOL_HEAD.search(ptext) and _SYMBOL_TAIL.match(ntext)
                    and (not ptext[-1].isdigit() or ntext.startswith("/"))):
                prev.pieces = _strip_pieces(prev.pieces, right=True) + _strip_pieces(out.pieces, left=True)
                if prev.bold is not None and out.bold is not None:
                    prev.bold = prev.bold and out.bold
                if prev.italic is not None and out.italic is not None:
                    prev.italic = prev.italic and out.italic
                continue
        merged.append(out)
    for out in merged:
        text = out.text()
        if _NUMBER_GAP.search(text) and out.pieces:
            out.pieces = [(_NUMBER_GAP.sub(r"\1\2", text), out.pieces[0][1])]
    return merged


def _strip_pieces(pieces: list[tuple[str, int]], *, left: bool = False, right: bool = False) -> list[tuple[str, int]]:
    out = list(pieces)
    if left:
        while out and not out[0][0].strip():
            out.pop(0)
        if out:
            t, i = out[0]
            stripped = t.lstrip()
            out[0] = (stripped, i + len(t) - len(stripped))
    if right:
        while out and not out[-1][0].strip():
            out.pop()
        if out:
            out[-1] = (out[-1][0].rstrip(), out[-1][1])
    return out


def _repair_text(outs: list[_Out], conversions: set[str]) -> None:
    """Vietnamese-specific glyph repairs, decided once for the whole document."""
    from vanban.extractor import legacy

    full = "\n".join(o.text() for o in outs)
    vietnamese = len(_VIET_LETTERS.findall(full)) >= 5
    if vietnamese and ("Ð" in full or "ð" in full):
        conversions.add("eth")
        for o in outs:
            o.pieces = [(t.translate(_ETH), i) for t, i in o.pieces]
    _, changed = legacy.repair_u01a3(full)
    if changed:
        conversions.add("u01a3")
        table = str.maketrans({"ƣ": "ư", "Ƣ": "Ư"})
        for o in outs:
            o.pieces = [(t.translate(table), i) for t, i in o.pieces]
    encoding = legacy.detect(full)
    if encoding:
        for o in outs:
            text = o.text()
            repaired = legacy.repair_line(text, encoding)
            if repaired != text:
                o.pieces = [(repaired, o.pieces[0][1] if o.pieces else 0)]
                conversions.add(encoding)


# --------------------------------------------------------------------------- OCR


@cache
def _tesseract_languages(binary: str) -> frozenset[str]:
    try:
        proc = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in (proc.stdout + proc.stderr).splitlines()[1:] if line.strip())


def _tesseract(name: str) -> str:
    binary = shutil.which("tesseract")
    if binary is None:
        raise ConverterMissingError(
            "OCR needs Tesseract with Vietnamese: apt-get install tesseract-ocr tesseract-ocr-vie",
            path=name,
        )
    if "vie" not in _tesseract_languages(binary):
        raise ConverterMissingError(
            "Tesseract has no Vietnamese model: apt-get install tesseract-ocr-vie", path=name
        )
    return binary


def _ocr_page(pdf: Any, i: int, binary: str, name: str, timeout: float) -> list[_Out]:
    page = pdf[i]
    try:
        image = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil()
    finally:
        page.close()
    buf = io.BytesIO()
    image.save(buf, format="PPM")  # uncompressed: ~10x faster to write than PNG
    try:
        proc = subprocess.run(
            [binary, "-", "-", "-l", "vie", "--dpi", str(OCR_DPI)],
            input=buf.getvalue(), capture_output=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise ConversionTimeoutError(
            f"Tesseract took longer than {timeout:.0f} s on page {i + 1}", path=name
        ) from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CorruptFileError(
            f"Tesseract failed on page {i + 1}: {err[-1] if err else proc.returncode}", path=name
        )
    text = proc.stdout.decode("utf-8", "replace")
    outs = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            outs.append(_Out([(line.rstrip(), pos)], i + 1, ocr=True))
        pos += len(line) + 1
    return outs


# --------------------------------------------------------------------------- the reader


@dataclass(slots=True)
class _Pages:
    lines: list[_Out] = field(default_factory=list)
    textless: list[int] = field(default_factory=list)  # 1-based page numbers
    ocr: list[int] = field(default_factory=list)
    blank: int = 0


def _open(data: bytes, name: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (_FPDF_ERR_PASSWORD, _FPDF_ERR_SECURITY):
            raise EncryptedFileError("the PDF is password-protected; remove the password and retry", path=name) from None
        raise CorruptFileError(f"not a readable PDF ({exc})", path=name) from None


def read(data: bytes, *, path: str | None, options: IngestOptions) -> IngestedDocument:
    """Read a PDF file's bytes."""
    import pypdfium2 as pdfium

    name = path or "<pdf>"
    if len(data) > options.max_bytes:
        raise TooLargeError(f"file is {len(data):,} bytes, over the limit of {options.max_bytes:,}", path=name)
    if not data:
        raise EmptyFileError("the file is empty", path=name)
    pdf = _open(data, name)
    result = _Pages()
    try:
        n = len(pdf)
        if n == 0:
            raise CorruptFileError("the PDF has no pages", path=name)
        if n > options.max_pages:
            raise TooLargeError(f"the PDF has {n} pages, over the limit of {options.max_pages}", path=name)
        binary: str | None = None
        for i in range(n):
            try:
                page = _PageText(pdf, i)
            except pdfium.PdfiumError as exc:
                raise CorruptFileError(f"page {i + 1} cannot be read ({exc})", path=name) from None
            try:
                visible = sum(1 for c in page.chars + page.extra if not c.ch.isspace())
                if visible < MIN_PAGE_CHARS and _image_share(pdf, i) >= MIN_SCAN_SHARE:
                    if options.ocr:
                        binary = binary or _tesseract(name)
                        result.lines.extend(_ocr_page(pdf, i, binary, name, options.timeout_s))
                        result.ocr.append(i + 1)
                        continue
                    result.textless.append(i + 1)
                elif visible < MIN_PAGE_CHARS:
                    result.blank += 1
                outs = _page_lines(page.chars, page.extra, i + 1, page.width, page.height, first=(i == 0))
                for out in outs:
                    page.style(out)
                result.lines.extend(outs)
            finally:
                page.close()
    finally:
        pdf.close()

    if result.textless and len(result.textless) * 2 > n - result.blank:
        raise ScannedDocumentError(
            f"the PDF is a scan: {len(result.textless)} of {n} page(s) have no text layer; {_OCR_HINT}",
            path=name,
        )
    builder = TextBuilder()
    if result.textless:
        pages = ", ".join(map(str, result.textless))
        builder.warnings.append(f"page(s) {pages} have no text layer (scanned?); {_OCR_HINT}")
    lines = _rejoin_symbols(result.lines)
    _repair_text(lines, builder.conversions)
    for out in lines:
        pieces = _strip_pieces(out.pieces, left=True, right=True)
        if not pieces:
            continue
        builder.begin_block()
        for text, index in pieces:
            builder.add(text, f"page{out.page}", offset=index, page=out.page)
        builder.end_block(kind="line", page=out.page, bold=out.bold, italic=out.italic, align=out.align)
        builder.newline(f"page{out.page}")
    if not builder.text().strip():
        raise EmptyFileError("the PDF contains no text", path=name)
    return builder.build(
        path=path, fmt="pdf", data=data, pages=n, extra_conversions=("ocr",) if result.ocr else ()
    )
