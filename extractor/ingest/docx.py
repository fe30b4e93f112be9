"""Read .docx (Word 2007+) into normalized text with blocks and a way back to every run.

The body is walked in document order: paragraphs, tables (nested ones too, merged cells once),
content controls and text boxes (the ``mc:AlternateContent`` fallback of a text box repeats its
text, so only one branch is read). Numbers Word generates from ``numbering.xml`` ("1.", "a)",
"II.") are not in the runs; they are computed here and inserted as generated text, because
section numbering is what the rest of vanban reads. Runs in TCVN3/VNI fonts are converted to
Unicode one by one, since one paragraph often mixes a legacy font with a Unicode one.

Locators (``Origin.locator``), for whoever needs to write back into the file (Word comments):

- ``p{i}``: the i-th ``w:p`` child of the body (``Document.paragraphs[i]``);
- ``t{t}r{r}c{c}p{i}``: top-level table t (``Document.tables[t]``), its r-th ``w:tr``, the c-th
  ``w:tc`` of that row (an element index, not a grid column), i-th paragraph of the cell;
  nested tables append ``t{k}r{r}c{c}`` to their cell's locator;
- ``{paragraph}x{k}p{j}``: paragraph j of the k-th text box anchored in that paragraph;
- ``sdt{k}…``: inside the k-th block-level content control of the enclosing container.

``Origin.run`` indexes :func:`paragraph_runs` of the paragraph; :func:`find_paragraph` resolves a
locator in a python-docx ``Document``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from vanban.extractor.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    ScannedDocumentError,
    TooLargeError,
)
from vanban.extractor.ingest.builder import TextBuilder
from vanban.extractor.ingest.options import IngestOptions
from vanban.extractor.model import IngestedDocument

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W_NS}}}"
_MC = f"{{{MC_NS}}}"

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A legitimate .docx part compresses ~5-35:1 (measured on the real corpus: at most 32:1).
# Deflate tops out near 1032:1; a big part close to that is a bomb, not a document.
_MAX_RATIO = 250
_RATIO_MIN_SIZE = 16 * 1024 * 1024
_MAX_MEMBERS = 10_000

_ALIGN = {
    "left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
    "both": "justify", "distribute": "justify", "mediumKashida": "justify",
    "highKashida": "justify", "lowKashida": "justify", "thaiDistribute": "justify",
}
_FALSE = {"0", "false", "off", "none"}
_HEADING_NAME = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)

# Containers whose runs belong to the paragraph's visible text.
_RUN_CONTAINERS = {
    _W + "hyperlink", _W + "ins", _W + "smartTag", _W + "fldSimple", _W + "customXml",
    _W + "moveTo", _W + "dir", _W + "bdo", _W + "sdtContent",
}
# Everything else in a paragraph is skipped: deleted or moved-away text (w:del, w:moveFrom) is
# not part of the document as it reads, field codes live in w:instrText, not w:t.


# --------------------------------------------------------------------------- small XML helpers


def _val(el: Any, attr: str = "val") -> str | None:
    return None if el is None else el.get(_W + attr)


def _on(el: Any) -> bool | None:
    """A toggle property (w:b, w:i, w:vanish): None when absent."""
    if el is None:
        return None
    v = el.get(_W + "val")
    return v is None or v.lower() not in _FALSE


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --------------------------------------------------------------------------- styles


@dataclass(slots=True)
class _Props:
    bold: bool | None = None
    italic: bool | None = None
    vanish: bool | None = None
    font: str | None = None  # the font that renders non-ASCII text (hAnsi, else ascii)
    align: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None

    def under(self, base: _Props) -> _Props:
        """These properties with gaps filled from ``base``."""
        return _Props(*(a if a is not None else b for a, b in zip(self._t(), base._t(), strict=True)))

    def _t(self) -> tuple[Any, ...]:
        return (self.bold, self.italic, self.vanish, self.font, self.align, self.num_id, self.ilvl,
                self.outline)


_B, _I, _VANISH, _RFONTS = _W + "b", _W + "i", _W + "vanish", _W + "rFonts"


def _rpr_props(rpr: Any) -> _Props:
    out = _Props()
    if rpr is None:
        return out
    for child in rpr:  # one pass: this runs for every run of the document
        tag = child.tag
        if tag == _B:
            out.bold = _on(child)
        elif tag == _I:
            out.italic = _on(child)
        elif tag == _VANISH:
            out.vanish = _on(child)
        elif tag == _RFONTS:
            out.font = child.get(_W + "hAnsi") or child.get(_W + "ascii")
    return out


def _ppr_props(ppr: Any) -> _Props:
    if ppr is None:
        return _Props()
    jc = _val(ppr.find(_W + "jc"))
    out = _Props(align=_ALIGN.get(jc) if jc else None,
                 outline=_int(_val(ppr.find(_W + "outlineLvl"))))
    num = ppr.find(_W + "numPr")
    if num is not None:
        out.num_id = _val(num.find(_W + "numId"))
        out.ilvl = _int(_val(num.find(_W + "ilvl")))
    return out


def _font_of(rpr: Any) -> tuple[str | None, str | None]:
    fonts = rpr.find(_W + "rFonts") if rpr is not None else None
    if fonts is None:
        return None, None
    return fonts.get(_W + "ascii"), fonts.get(_W + "hAnsi")


class _Styles:
    def __init__(self, root: Any | None) -> None:
        self._el: dict[str, Any] = {}
        self.names: dict[str, str] = {}
        self.default_para: str | None = None
        self.defaults = _Props()
        self._cache: dict[tuple[str, str], _Props] = {}
        if root is None:
            return
        for st in root.iter(_W + "style"):
            sid = st.get(_W + "styleId")
            if sid is None:
                continue
            self._el[sid] = st
            name = _val(st.find(_W + "name"))
            if name:
                self.names[sid] = name
            if st.get(_W + "type") == "paragraph" and (st.get(_W + "default") or "").lower() in {"1", "true", "on"}:
                self.default_para = sid
        dd = root.find(_W + "docDefaults")
        if dd is not None:
            rpr = dd.find(f"{_W}rPrDefault/{_W}rPr")
            ppr = dd.find(f"{_W}pPrDefault/{_W}pPr")
            self.defaults = _rpr_props(rpr).under(_ppr_props(ppr))

    def props(self, sid: str | None, kind: str) -> _Props:
        """Run ('r') or paragraph ('p') properties of a style, following ``basedOn``."""
        if not sid:
            return _Props()
        key = (sid, kind)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        self._cache[key] = _Props()  # guards basedOn cycles
        st = self._el.get(sid)
        out = _Props()
        if st is not None:
            out = _rpr_props(st.find(_W + "rPr"))
            if kind == "p":
                out = out.under(_ppr_props(st.find(_W + "pPr")))
            base = _val(st.find(_W + "basedOn"))
            if base and base != sid:
                out = out.under(self.props(base, kind))
        self._cache[key] = out
        return out

    def heading_level(self, sid: str | None) -> int | None:
        name = self.names.get(sid or "", sid or "")
        m = _HEADING_NAME.match(name.strip())
        if m:
            return int(m.group(1))
        if name.strip().lower() == "title":
            return 1
        return None


# --------------------------------------------------------------------------- numbering

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
# Bullets drawn from the Symbol/Wingdings private-use area have no meaning as text.
_BULLET_PUA = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "\uf0a8": "□",
               "\uf06e": "■", "\uf0e0": "➢", "\uf0de": "➢", "\uf02d": "-"}


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a…z, aa…zz, aaa…
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (``decimal``, ``lowerLetter``, ``upperRoman``, …)."""
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and the formats Vietnamese documents do not use


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None
    legal: bool = False
    suffix: str = "tab"


@dataclass(slots=True)
class _Num:
    abstract: str
    overrides: dict[int, _Level] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)


def _level(lvl: Any) -> _Level:
    return _Level(
        start=_int(_val(lvl.find(_W + "start")), 1) or 0,
        fmt=_val(lvl.find(_W + "numFmt")) or "decimal",
        text=_val(lvl.find(_W + "lvlText")),
        restart=_int(_val(lvl.find(_W + "lvlRestart"))),
        legal=bool(_on(lvl.find(_W + "isLgl"))),
        suffix=_val(lvl.find(_W + "suff")) or "tab",
    )


class _Numbering:
    """Word's list counters, replayed in document order."""

    def __init__(self, root: Any | None, styles: _Styles) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._style_link: dict[str, str] = {}
        self._nums: dict[str, _Num] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._styles = styles
        if root is None:
            return
        for an in root.findall(_W + "abstractNum"):
            aid = an.get(_W + "abstractNumId")
            if aid is None:
                continue
            levels: dict[int, _Level] = {}
            for lvl in an.findall(_W + "lvl"):
                ilvl = _int(lvl.get(_W + "ilvl"))
                if ilvl is not None:
                    levels[ilvl] = _level(lvl)
            self._abstract[aid] = levels
            link = _val(an.find(_W + "numStyleLink"))
            if link:
                self._style_link[aid] = link
        for num in root.findall(_W + "num"):
            nid = num.get(_W + "numId")
            aid = _val(num.find(_W + "abstractNumId"))
            if nid is None or aid is None:
                continue
            entry = _Num(aid)
            for ov in num.findall(_W + "lvlOverride"):
                ilvl = _int(ov.get(_W + "ilvl"))
                if ilvl is None:
                    continue
                start = _int(_val(ov.find(_W + "startOverride")))
                if start is not None:
                    entry.starts[ilvl] = start
                lvl = ov.find(_W + "lvl")
                if lvl is not None:
                    entry.overrides[ilvl] = _level(lvl)
            self._nums[nid] = entry

    def _levels(self, num: _Num, depth: int = 0) -> dict[int, _Level]:
        levels = dict(self._abstract.get(num.abstract, {}))
        link = self._style_link.get(num.abstract)
        if link and depth < 3:
            # The list is defined by a numbering style whose numPr points to the real list.
            linked = self._styles.props(link, "p").num_id
            target = self._nums.get(linked or "")
            if target is not None and target is not num:
                levels = {**self._levels(target, depth + 1), **levels}
        levels.update(num.overrides)
        return levels

    def label(self, num_id: str | None, ilvl: int | None) -> tuple[str, str] | None:
        """The generated label of the next item of list ``num_id`` at ``ilvl`` and its suffix."""
        if not num_id or num_id == "0":
            return None
        num = self._nums.get(num_id)
        if num is None:
            return None
        levels = self._levels(num)
        ilvl = ilvl or 0
        lvl = levels.get(ilvl)
        if lvl is None:
            return None
        counters = self._counters.get(num_id)
        if counters is None:
            counters = self._counters[num_id] = [None] * 10
        current = counters[ilvl]
        counters[ilvl] = (num.starts.get(ilvl, lvl.start)) if current is None else current + 1
        for deeper in range(ilvl + 1, len(counters)):
            restart = levels[deeper].restart if deeper in levels else None
            if restart == 0:
                continue
            # lvlRestart is 1-based: level ``restart`` (and those above it) restart this one.
            if restart is None or ilvl < restart:
                counters[deeper] = None
        if lvl.fmt == "bullet":
            text = lvl.text or ""
            return "".join(_BULLET_PUA.get(ch, "•" if "\ue000" <= ch <= "\uf8ff" else ch) for ch in text), lvl.suffix
        if lvl.text is None:
            return None

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            other = levels.get(k)
            if other is None:
                return ""
            value = counters[k]
            if value is None:
                value = num.starts.get(k, other.start)
            fmt = "decimal" if lvl.legal and other.fmt not in {"decimalZero"} else other.fmt
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", sub, lvl.text), lvl.suffix


# --------------------------------------------------------------------------- runs and text


def paragraph_runs(p: Any) -> list[Any]:
    """The ``w:r`` elements of a paragraph in reading order, as ``Origin.run`` counts them.

    Runs inside hyperlinks, insertions, fields, smart tags and inline content controls count;
    deleted runs and runs of text boxes (which belong to their own paragraphs) do not.
    """
    out: list[Any] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if tag == _W + "r":
                out.append(child)
            elif tag in _RUN_CONTAINERS or tag == _W + "sdt":
                walk(child)

    walk(p)
    return out


def _text_boxes(el: Any) -> list[Any]:
    """``w:txbxContent`` elements in a drawing, picture or ``mc:AlternateContent``, each once.

    Word 2010+ saves a text box twice inside ``mc:AlternateContent`` (a DrawingML choice and a
    VML fallback); only the first branch that holds text boxes is read. Boxes nested inside a
    box are left to that box's own paragraphs.
    """
    if el.tag == _MC + "AlternateContent":
        for branch in el:
            boxes = _boxes_in(branch)
            if boxes:
                return boxes
        return []
    return _boxes_in(el)


def _boxes_in(el: Any) -> list[Any]:
    found: list[Any] = []
    for child in el:
        if child.tag == _W + "txbxContent":
            found.append(child)
        elif child.tag == _MC + "AlternateContent":
            found.extend(_text_boxes(child))
        else:
            found.extend(_boxes_in(child))
    return found


def _run_text(r: Any) -> tuple[str, list[Any]]:
    """Visible text of one run, and the text boxes anchored in it."""
    parts: list[str] = []
    boxes: list[Any] = []
    for child in r:
        tag = child.tag
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag in (_W + "tab", _W + "ptab"):
            parts.append("\t")
        elif tag == _W + "br":
            if (child.get(_W + "type") or "textWrapping") == "textWrapping":
                parts.append("\n")
        elif tag == _W + "cr":
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif tag in (_W + "drawing", _W + "pict", _MC + "AlternateContent", _W + "object"):
            boxes.extend(_text_boxes(child))
    return "".join(parts), boxes


# --------------------------------------------------------------------------- the reader


class _Reader:
    def __init__(self, styles: _Styles, numbering: _Numbering, builder: TextBuilder) -> None:
        self.styles = styles
        self.numbering = numbering
        self.b = builder
        self.tables = 0  # document-wide table counter (Block.table)
        self._legacy: Any = None
        self._font_enc: dict[str, tuple[str | None, bool]] = {}
        self._bases: dict[tuple[str | None, str | None], _Props] = {}

    # ---- legacy fonts

    def _encoding(self, font: str | None) -> tuple[str | None, bool]:
        if not font:
            return None, False
        hit = self._font_enc.get(font)
        if hit is None:
            if self._legacy is None:
                from vanban.extractor import legacy

                self._legacy = legacy
            enc = self._legacy.encoding_for_font(font)
            upper = bool(enc) and self._legacy.is_uppercase_font(font)
            hit = self._font_enc[font] = (enc, upper)
        return hit

    def _run_base(self, rstyle: str | None, pstyle: str | None) -> _Props:
        """Run properties inherited from the character style, paragraph style and defaults."""
        key = (rstyle, pstyle)
        hit = self._bases.get(key)
        if hit is None:
            styles = self.styles
            hit = self._bases[key] = (
                styles.props(rstyle, "r").under(styles.props(pstyle, "p")).under(styles.defaults)
            )
        return hit

    # ---- containers

    def container(self, el: Any, prefix: str, *, cell: tuple[int, int, int] | None = None) -> None:
        """Walk a body, cell, text box or content control: paragraphs and tables in order."""
        p_i = t_i = s_i = 0
        for child in el:
            tag = child.tag
            if tag == _W + "p":
                self.paragraph(child, f"{prefix}p{p_i}", cell=cell)
                p_i += 1
            elif tag == _W + "tbl":
                self.table(child, f"{prefix}t{t_i}")
                t_i += 1
            elif tag == _W + "sdt":
                content = child.find(_W + "sdtContent")
                if content is not None:
                    self.container(content, f"{prefix}sdt{s_i}", cell=cell)
                s_i += 1
            elif tag in (_W + "customXml", _W + "ins", _W + "moveTo"):
                self.container(child, prefix, cell=cell)
            elif tag == _MC + "AlternateContent":
                for box in _text_boxes(child):
                    self.container(box, f"{prefix}x{s_i}", cell=cell)
                s_i += 1

    def table(self, tbl: Any, loc: str) -> None:
        number = self.tables
        self.tables += 1
        rows = [tr for tr in tbl.iter(_W + "tr") if _owner_table(tr) is tbl]
        for r, tr in enumerate(rows):
            trpr = tr.find(_W + "trPr")
            col = _int(_val(trpr.find(_W + "gridBefore")) if trpr is not None else None, 0) or 0
            cells = [tc for tc in tr.iter(_W + "tc") if _owner_row(tc) is tr]
            for c, tc in enumerate(cells):
                tcpr = tc.find(_W + "tcPr")
                span = 1
                continuation = False
                if tcpr is not None:
                    span = _int(_val(tcpr.find(_W + "gridSpan")), 1) or 1
                    vm = tcpr.find(_W + "vMerge")
                    continuation = vm is not None and (_val(vm) or "continue") != "restart"
                if not continuation:
                    self.container(tc, f"{loc}r{r}c{c}", cell=(number, r, col))
                col += span

    # ---- paragraphs

    def paragraph(self, p: Any, loc: str, *, cell: tuple[int, int, int] | None) -> None:
        b = self.b
        ppr = p.find(_W + "pPr")
        style_id = _val(ppr.find(_W + "pStyle")) if ppr is not None else None
        style_id = style_id or self.styles.default_para
        pstyle = self.styles.props(style_id, "p")
        props = _ppr_props(ppr).under(pstyle).under(self.styles.defaults)
        direct = _ppr_props(ppr)
        # numPr on the paragraph wins as a whole; ilvl alone keeps the style's list.
        num_id = direct.num_id if direct.num_id is not None else pstyle.num_id
        ilvl = direct.ilvl if direct.ilvl is not None else pstyle.ilvl

        b.begin_block()
        label = self.numbering.label(num_id, ilvl)
        numbering = None
        if label and label[0]:
            text, suffix = label
            numbering = text
            b.add(text + ("" if suffix == "nothing" else " "), loc, generated=True)

        bold: list[bool] = []
        italic: list[bool] = []
        boxes: list[Any] = []
        for idx, r in enumerate(paragraph_runs(p)):
            text, run_boxes = _run_text(r)
            boxes.extend(run_boxes)
            if not text:
                continue
            rpr = r.find(_W + "rPr")
            rstyle = _val(rpr.find(_W + "rStyle")) if rpr is not None else None
            rp = _rpr_props(rpr).under(self._run_base(rstyle, style_id))
            if rp.vanish:
                continue
            ascii_font, hansi_font = _font_of(rpr)
            font = hansi_font or ascii_font or rp.font
            enc, upper = self._encoding(font)
            if enc is None and ascii_font and ascii_font != font:
                enc, upper = self._encoding(ascii_font)
            if enc is not None:
                text = self._legacy.convert(text, enc, uppercase=upper)
                b.conversions.add(enc)
            b.add(text, loc, run=idx, offset=0)
            if text.strip():
                bold.append(bool(rp.bold))
                italic.append(bool(rp.italic))
        for child in p:
            # Text boxes anchored directly in the paragraph (not inside a run).
            if child.tag == _MC + "AlternateContent":
                boxes.extend(_text_boxes(child))

        heading = self.styles.heading_level(style_id)
        if heading is None and props.outline is not None and 0 <= props.outline < 9:
            heading = props.outline + 1
        hints: dict[str, Any] = {
            "kind": "cell" if cell else ("heading" if heading else "paragraph"),
            "bold": all(bold) if bold else None,
            "italic": all(italic) if italic else None,
            "align": props.align,
            "heading_level": heading,
            "numbering": numbering,
        }
        if cell:
            hints["table"], hints["row"], hints["col"] = cell
        b.end_block(**hints)
        b.newline(loc)
        for k, box in enumerate(boxes):
            self.container(box, f"{loc}x{k}", cell=cell)


def _owner_table(el: Any) -> Any:
    for a in el.iterancestors(_W + "tbl"):
        return a
    return None


def _owner_row(el: Any) -> Any:
    for a in el.iterancestors(_W + "tr"):
        return a
    return None


# --------------------------------------------------------------------------- package checks


def _check_zip(data: bytes, name: str, options: IngestOptions) -> None:
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedFileError(
                "the .docx is password-protected; open it in Word, remove the password and save again",
                path=name,
            )
        raise CorruptFileError("this is a Word 97-2003 (.doc) file, not a .docx", path=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise CorruptFileError(f"not a valid .docx (broken or truncated zip: {exc})", path=name) from None
    if len(infos) > _MAX_MEMBERS:
        raise TooLargeError(f"the .docx holds {len(infos)} parts (limit {_MAX_MEMBERS})", path=name)
    total = sum(i.file_size for i in infos)
    if total > options.max_unzipped_bytes:
        raise TooLargeError(
            f"the .docx unpacks to {total:,} bytes, over the limit of {options.max_unzipped_bytes:,}"
            " (zip bomb?)",
            path=name,
        )
    for i in infos:
        if i.file_size > _RATIO_MIN_SIZE and i.file_size > _MAX_RATIO * max(i.compress_size, 1):
            ratio = i.file_size // max(i.compress_size, 1)
            raise TooLargeError(
                f"part {i.filename} is compressed {ratio}:1 ({i.file_size:,} bytes unpacked); "
                "that is a zip bomb, not a document",
                path=name,
            )
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise CorruptFileError("not a .docx: the zip has no [Content_Types].xml", path=name)


def _pages(document: Any) -> int | None:
    from lxml import etree

    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            try:
                root = etree.fromstring(part.blob)
            except etree.XMLSyntaxError:
                return None
            for el in root:
                if el.tag.endswith("}Pages") and (el.text or "").strip().isdigit():
                    n = int(el.text.strip())
                    return n or None
    return None


def _open(data: bytes, name: str) -> Any:
    import docx
    from lxml import etree

    try:
        return docx.Document(io.BytesIO(data))
    except etree.XMLSyntaxError as exc:
        raise CorruptFileError(f"broken XML inside the .docx: {exc}", path=name) from None
    except KeyError as exc:
        raise CorruptFileError(f"the .docx lacks a required part ({exc})", path=name) from None
    except ValueError as exc:
        # python-docx: "file '…' is not a Word file, content type is '…'"
        raise CorruptFileError(f"not a Word document: {exc}", path=name) from None
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise CorruptFileError(f"broken .docx package: {exc}", path=name) from None
    except Exception as exc:  # python-docx raises bare package errors for odd packages
        if exc.__class__.__module__.startswith(("docx", "lxml")):
            raise CorruptFileError(f"broken .docx package: {exc}", path=name) from None
        raise


def read(data: bytes, *, path: str | None, options: IngestOptions) -> IngestedDocument:
    """Read a .docx file's bytes."""
    name = path or "<docx>"
    if len(data) > options.max_bytes:
        raise TooLargeError(f"file is {len(data):,} bytes, over the limit of {options.max_bytes:,}", path=name)
    if not data:
        raise EmptyFileError("the file is empty", path=name)
    _check_zip(data, name, options)
    document = _open(data, name)

    styles = _Styles(document.styles.element)
    try:
        numbering_root = document.part.numbering_part.element
    except (NotImplementedError, KeyError):
        numbering_root = None
    builder = TextBuilder()
    reader = _Reader(styles, _Numbering(numbering_root, styles), builder)
    reader.container(document.element.body, "")

    if not builder.text().strip():
        body = document.element.body
        pictures = sum(1 for _ in body.iter(_W + "drawing", _W + "pict"))
        if pictures:
            raise ScannedDocumentError(
                f"the .docx has no text, only {pictures} picture(s) (a scan pasted into Word?);"
                " save it as PDF and run with --ocr",
                path=name,
            )
        raise EmptyFileError("the .docx contains no text", path=name)
    return builder.build(path=path, fmt="docx", data=data, pages=_pages(document))


# --------------------------------------------------------------------------- write-back support

_LOC_PART = re.compile(r"(sdt|[ptrcx])(\d+)")


def find_paragraph(document: Any, locator: str) -> Any:
    """The ``w:p`` element a docx locator names (see the module docstring), or None."""
    el: Any = document.element.body
    for kind, number in _LOC_PART.findall(locator):
        n = int(number)
        if kind == "p":
            kids = [c for c in el if c.tag == _W + "p"]
        elif kind == "t":
            kids = [c for c in el if c.tag == _W + "tbl"]
        elif kind == "r":
            kids = [tr for tr in el.iter(_W + "tr") if _owner_table(tr) is el]
        elif kind == "c":
            kids = [tc for tc in el.iter(_W + "tc") if _owner_row(tc) is el]
        elif kind == "sdt":
            kids = [c.find(_W + "sdtContent") for c in el if c.tag == _W + "sdt"]
        else:  # "x": the n-th text box of the paragraph so far
            kids = [box for r in paragraph_runs(el) for box in _run_text(r)[1]]
            kids += [box for c in el if c.tag == _MC + "AlternateContent" for box in _text_boxes(c)]
        if n >= len(kids) or kids[n] is None:
            return None
        el = kids[n]
    return el if el.tag == _W + "p" else None


def runs_at(document: Any, locator: str) -> Iterator[tuple[int, Any]]:
    """(run index, run element) of the paragraph a locator names, as ``Origin.run`` counts."""
    p = find_paragraph(document, locator)
    if p is None:
        return
    yield from enumerate(paragraph_runs(p))
