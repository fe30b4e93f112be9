"""Markdown files, and ``.txt`` files that are Markdown (web pages saved as text).

Markup never reaches the text: emphasis markers (``**``, ``__``, ``*``), heading marks, table
pipes and separator rows, thematic breaks, backslash escapes, link targets and HTML tags are
removed. Pages saved from legal portals are sloppy Markdown — markers open on one line and close
on the next, or split a date (``ngày **24** tháng 11 năm 202**5*``) — so every ``*`` run is taken
as a marker, balanced or not; only footnote marks like ``(*)`` stay.

Structure kept as block hints: ``#`` headings (kind ``"heading"``, ``heading_level``), whole
bold/italic blocks, table cells (kind ``"cell"`` with table/row/col; every cell is a line).

Saved pages hard-wrap paragraphs at 70-90 columns, while header blocks and signatures put one
item per line ("UỶ BAN NHÂN DÂN" / "TỈNH BẮC NINH", "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"). A line
is joined to the one before (with a generated space) only when it plainly continues it: it
starts with a lowercase letter or a digit, the line before ends with a comma or a connective
word ("và", "của", "ngày"), either line has wrap width, a list item has not ended its sentence,
or a bold run left open carries a single capitalized word ("TM. ỦY BAN NHÂN" / "DÂN"). Other
lines stay lines. Origins point at the Markdown file: ``locator`` ``"line<N>"``, ``offset`` the
character offset in the decoded file.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from dataclasses import dataclass, field

from vanban.extractor.ingest.builder import TextBuilder
from vanban.extractor.ingest.options import IngestOptions
from vanban.extractor.ingest.txt import Line, clean_lines, decode
from vanban.extractor.model import IngestedDocument

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_RULE = re.compile(r" {0,3}(?:[-*_=][ \t]*){3,}")
_PIPE_ONLY = re.compile(r"[ \t|:\-]*")  # "|", "|---|:--:|", "| |||||"
_FENCE = re.compile(r" {0,3}(```|~~~)")
_QUOTE = re.compile(r"[ \t]*>[ \t]?")
_LIST = re.compile(r"([ \t]*)([-+*]|\d{1,3}[.)]|[a-zđ][.)])([ \t]+)")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_INLINE = re.compile(
    r"(?P<esc>\\[!-/:-@\[-`{-~])"
    r"|(?P<img>!\[[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<link>\[(?P<label>[^\]\n]*)\]\([^)\n]*\))"
    r"|<(?P<auto>(?:https?|mailto):[^>\s]+)>"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?/?>)"
    r"|(?P<ent>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<stars>\*+)"
    r"|(?P<unders>_+)"
    r"|(?P<ticks>`+)"
)
# Words after which a Vietnamese sentence cannot end, so a line ending with one was wrapped.
_CONNECTIVE_WORDS = (
    "và của các với về cho tại theo trong là được để những từ đến hoặc số ngày tháng năm do bởi "
    "trên dưới giữa vào ra như mà thì nhằm đối gồm có xã phường huyện tỉnh quận"
)
_CONNECTIVES = frozenset(_CONNECTIVE_WORDS.split())
_NUMBERED = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ][.)])\s")
# A line opening in bold with a heading label ("**III. NGUỒN KINH PHÍ**", "**Điều 3.**") is a heading,
# even after a line ending with a connective ("… tại Phụ lục kèm theo)*").
_BOLD_LABEL = re.compile(
    r"[ \t]*(?:\*\*|__)[ \t]*(?:(?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])(?:\*\*|__)?[ \t]*[.)\-–:/]"
    r"|(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)[ \t]+[\dIVXLC])"
)
_WRAP_WIDTH = 65
_WHOLE_EMPHASIS = re.compile(r"([*_]{1,3}).*\1")
_RANGE_HEAD = re.compile(r"\d$")
_RANGE_TAIL = re.compile(r"[-–][ \t]+\d")
_LAST_WORD = re.compile(r"([^\W\d_]+)\W*$")
# What makes a .txt file Markdown: bold/italic runs (a bold run may wrap, not cross a blank line).
_BOLD_SPAN = re.compile(r"(\*\*|__)(?=\S)(?:(?!\1)[^\n]|\n(?![ \t]*\n)){1,400}?(?<=\S)\1")
_ITALIC_SPAN = re.compile(r"(?<![\w*])\*(?=[^\s*])[^*\n]{1,300}?(?<=[^\s*])\*(?![\w*])")


@dataclass(slots=True)
class _Piece:
    text: str
    line: int
    offset: int
    bold: bool
    italic: bool
    generated: bool = False


@dataclass(slots=True)
class _Block:
    kind: str
    pieces: list[_Piece] = field(default_factory=list)
    heading_level: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    blank_before: bool = False
    last_line: str = ""  # raw text of its last source line, to decide on joining the next one
    item: bool = False  # a list item ("- …", "1. …")


class _Emphasis:
    __slots__ = ("bold", "italic")

    def __init__(self) -> None:
        self.bold = False
        self.italic = False


def _inline(text: str, line: Line, col0: int, state: _Emphasis) -> list[_Piece]:
    """Pieces of literal text in ``text`` (a part of ``line`` starting at column ``col0``)."""
    out: list[_Piece] = []
    base = line.offset + col0

    def emit(s: str, col: int) -> None:
        if s:
            out.append(_Piece(s, line.number, base + col, state.bold, state.italic))

    pos = 0
    for m in _INLINE.finditer(text):
        emit(text[pos : m.start()], pos)
        pos = m.end()
        kind = m.lastgroup
        if kind == "esc":
            emit(m.group()[1], m.start() + 1)
        elif kind == "link":
            out.extend(_inline(m.group("label"), line, col0 + m.start() + 1, state))
        elif kind == "auto":
            emit(m.group("auto"), m.start() + 1)
        elif kind == "ent":
            emit(html.unescape(m.group()), m.start())
        elif kind == "stars":
            n = len(m.group())
            before = text[m.start() - 1 : m.start()]
            after = text[m.end() : m.end() + 1]
            if before in ("(", "[") and after in (")", "]"):  # footnote mark (*), [**]
                emit(m.group(), m.start())
                continue
            if n % 2:
                state.italic = not state.italic
            if (n // 2) % 2:
                state.bold = not state.bold
        elif kind == "unders":
            n = len(m.group())
            before = text[m.start() - 1 : m.start()]
            after = text[m.end() : m.end() + 1]
            inside_word = before.isalnum() and after.isalnum()
            if n == 2 and not inside_word and (before.strip() or after.strip()):
                state.bold = not state.bold
            else:  # "___" signature rules, "3930.3279 _ 0906", snake_case: literal
                emit(m.group(), m.start())
        # img, tag, ticks: dropped
    emit(text[pos:], pos)
    return out


def _visible(text: str) -> str:
    return text.strip().strip("*_").strip()


def _continues(prev: str, cur: str, *, item: bool) -> bool:
    """Whether source line ``cur`` continues the paragraph (or list ``item``) ending with ``prev``."""
    if prev.endswith(("  ", "\\")):  # Markdown hard line break
        return False
    if _BOLD_LABEL.match(cur):
        return False
    p, c = _visible(prev), _visible(cur)
    if not c or _NUMBERED.match(c):
        return False
    if p in ("-", "+", "–"):  # a bullet alone on its line, its text below
        return True
    if not p:
        return False
    # Saved pages wrap at 70-90 columns, and the first line of a paragraph is often short:
    # a long line before means a wrap; a long line after, unless a sentence ended or the line
    # before is a whole bold/italic line (a heading).
    if c[0].islower() or c[0].isdigit() or p.endswith(",") or len(prev.strip()) >= _WRAP_WIDTH:
        return True
    if p.endswith((".", ";", "!", "?")):
        return False
    if len(cur.strip()) >= _WRAP_WIDTH and not _WHOLE_EMPHASIS.fullmatch(prev.strip()):
        return True
    last = _LAST_WORD.search(p)
    if last and last.group(1) in _CONNECTIVES:
        return True
    # A list item runs on until a sentence ends ("- Đảng ủy" / "KTNN;"), but not into bold text.
    return item and not cur.lstrip().startswith(("**", "__"))


def _word_tail(prev: str, cur: str) -> bool:
    """A capitalized heading broken before its last word inside one bold run: "TM. ỦY BAN NHÂN" /
    "DÂN". Longer tails stay lines of their own ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH")."""
    p, c = _visible(prev), _visible(cur)
    return bool(p) and p.isupper() and c.isupper() and " " not in c and len(c) <= 12


def _is_range_tail(prev: str, cur: str) -> bool:
    return bool(_RANGE_HEAD.search(_visible(prev)) and _RANGE_TAIL.match(cur))


def looks_like_markdown(text: str) -> bool:
    """Whether a ``.txt`` file is in fact Markdown (bold runs, # headings, table rows)."""
    sample = text[:100_000]
    bold = len(_BOLD_SPAN.findall(sample))
    italic = len(_ITALIC_SPAN.findall(sample))
    headings = len(re.findall(r"(?m)^ {0,3}#{1,6}[ \t]+\S", sample))
    rows = len(re.findall(r"(?m)^[ \t]*\|.*\|[ \t]*$", sample))
    lone_pipes = len(re.findall(r"(?m)^[ \t]*\|[ \t]*$", sample))
    separators = len(re.findall(r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", sample))
    return (bold >= 2 or bold + italic >= 3 or headings >= 2 or separators >= 1 or rows >= 3
            or lone_pipes >= 3)


def _parse(lines: list[Line]) -> list[_Block]:
    blocks: list[_Block] = []
    para: _Block | None = None
    state = _Emphasis()
    blank = False
    fence: str | None = None
    table = -1
    row = -1
    in_table = False

    def close() -> None:
        nonlocal para
        para = None
        state.bold = state.italic = False

    def start(kind: str, **hints: object) -> _Block:
        nonlocal blank
        block = _Block(kind, blank_before=blank, **hints)  # type: ignore[arg-type]
        blocks.append(block)
        blank = False
        return block

    for line in lines:
        text = line.text.rstrip("\n")
        stripped = text.strip()
        was_table, in_table = in_table, False
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            elif stripped:
                start("paragraph").pieces.append(_Piece(text, line.number, line.offset, False, False))
            continue
        if not stripped:
            close()
            blank = True
            continue
        if m := _FENCE.match(text):
            close()
            fence = m.group(1)
            continue
        if m := _HEADING.fullmatch(text):
            close()
            content = m.group(2) or ""
            block = start("heading", heading_level=len(m.group(1)))
            block.pieces = _inline(content, line, m.start(2) if m.group(2) else 0, state)
            close()
            continue
        if _RULE.fullmatch(text) or (_PIPE_ONLY.fullmatch(text) and "|" in text):
            close()
            in_table = "|" in text and was_table
            continue
        if _UNESCAPED_PIPE.search(text):
            close()
            if not was_table:
                table, row = table + 1, -1
            row += 1
            in_table = True
            bounds = [-1] + [p.start() for p in _UNESCAPED_PIPE.finditer(text)] + [len(text)]
            col = -1
            for i in range(len(bounds) - 1):
                a, b = bounds[i] + 1, bounds[i + 1]
                if i == 0 and not text[a:b].strip():
                    continue  # before the leading pipe
                col += 1
                pieces = _inline(text[a:b], line, a, state)
                state.bold = state.italic = False
                if "".join(p.text for p in pieces).strip():
                    start("cell", table=table, row=row, col=col).pieces = pieces
            continue
        col0 = 0
        if m := _QUOTE.match(text):
            col0 = m.end()
        rest = text[col0:]
        item = _LIST.match(text, col0)
        # "giai đoạn 2026" / "- 2030 phấn đấu": a wrapped range, not a bullet
        range_tail = bool(item and para is not None and _is_range_tail(para.last_line, rest.lstrip()))
        if item and not range_tail:
            para = start("paragraph", item=True)  # emphasis left open carries on, as in Markdown
            # "-", "+" and numbers are the writer's own bullets; "*" is Markdown's.
            col0 = item.end() if item.group(2) == "*" else item.start(2)
        elif para is not None and (
            range_tail
            or ((state.bold or state.italic) and _word_tail(para.last_line, rest))
            or _continues(para.last_line, rest, item=para.item)
        ):
            if para.pieces and not para.pieces[-1].text[-1:].isspace():
                para.pieces.append(_Piece(" ", line.number, line.offset + col0, state.bold, state.italic, True))
        else:
            para = start("paragraph")
        rest = text[col0:]
        lead = len(rest) - len(rest.lstrip())
        para.pieces.extend(_inline(rest.strip(), line, col0 + lead, state))
        para.last_line = rest
    return blocks


def _trim(pieces: list[_Piece]) -> list[_Piece]:
    """Drop whitespace at both ends of a block (and pieces left empty).

    A piece starting with a combining mark joins the piece before it, so that NFC can compose
    them: the text must be NFC as a whole, not piece by piece (``H`̣`` → ``Ḥ``).
    """
    out: list[_Piece] = []
    for p in pieces:
        if not p.text:
            continue
        if out and unicodedata.combining(p.text[0]):
            out[-1].text += p.text
        else:
            out.append(p)
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        first = out[0]
        lead = len(first.text) - len(first.text.lstrip())
        out[0] = _Piece(first.text[lead:], first.line, first.offset + lead, first.bold, first.italic, first.generated)
        last = out[-1]
        out[-1] = _Piece(last.text.rstrip(), last.line, last.offset, last.bold, last.italic, last.generated)
    return out


_ALNUM = re.compile(r"[^\W_]")


def _style(pieces: list[_Piece], attr: str) -> bool | None:
    """True/False when the block's letters and digits are all/not all in the style; None if none."""
    seen = False
    for p in pieces:
        if _ALNUM.search(p.text):
            if not getattr(p, attr):
                return False
            seen = True
    return True if seen else None


def read(data: bytes, *, path: str | None, options: IngestOptions) -> IngestedDocument:
    """Read Markdown into paragraphs, headings and table cells with the markup removed."""
    text, encoding, warnings = decode(data)
    lines, conversions, _ = clean_lines(text)
    builder = TextBuilder()
    first, blank = True, False
    for block in _parse(lines):
        blank = blank or block.blank_before
        pieces = _trim(block.pieces)
        if not pieces:
            continue
        if not first:
            builder.newline(count=2 if blank else 1)
        first, blank = False, False
        builder.begin_block()
        for p in pieces:
            builder.add(p.text, f"line{p.line}", offset=p.offset, generated=p.generated)
        builder.end_block(
            kind=block.kind,
            bold=_style(pieces, "bold"),
            italic=_style(pieces, "italic"),
            heading_level=block.heading_level,
            table=block.table,
            row=block.row,
            col=block.col,
        )
    if not first:
        builder.newline()
    builder.conversions |= conversions
    # A .txt file that holds Markdown is still a .txt file to the user: the format says what the
    # file is, the block kinds (paragraph/heading/cell, not line) say how it was read.
    fmt = "md" if path and os.path.splitext(path)[1].lower() in MARKDOWN_SUFFIXES else "txt"
    return builder.build(path=path, fmt=fmt, data=data, encoding=encoding, warnings=tuple(warnings))
