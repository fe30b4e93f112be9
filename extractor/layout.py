"""The line and segment layout of a normalized text, shared by header, signature and sections.

Every reader gives us one string. Two-column headers and signature blocks arrive either as
separate lines (.docx cells, PDF text) or side by side on one line, separated by runs of spaces
or tabs; Markdown copies carry ``**``, ``#`` and ``|`` around the words. This module cuts the text
into lines and *segments* (a line split at runs of two or more blanks), strips that markup from
what we compare while keeping offsets into the original text, and folds Vietnamese text to a
diacritic-free, lower-case form **of the same length**, so that a match in the folded text is a
match at the same offsets in the original.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


@cache
def load_yaml(name: str) -> Any:
    import yaml

    with (DATA / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# --------------------------------------------------------------------------- folding


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        if base != ch:
            table[cp] = base
    for ch in "đĐÐðƣƢ":
        table[ord(ch)] = "d" if ch in "đĐÐð" else "u"
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case without diacritics, đ → d; one character for one character (offsets stay valid)."""
    return text.translate(_FOLD)


def fold_key(text: str) -> str:
    """Folded text with runs of blanks collapsed, for comparing names and phrases."""
    return " ".join(fold(text).split())


def is_caps(text: str) -> bool:
    """True when the text has at least two letters and none of them is lower case."""
    letters = 0
    for ch in text:
        if ch.isalpha():
            if ch.islower():
                return False
            letters += 1
    return letters >= 2


def phrase_regex(phrases: list[str], *, at_start: bool = False) -> re.Pattern[str]:
    """One alternation of folded phrases (longest first), matched at word boundaries."""
    body = "|".join(sorted((p.replace(" ", r"\s+") for p in phrases), key=len, reverse=True))
    prefix = r"^\s*" if at_start else r"(?<!\w)"
    return re.compile(rf"{prefix}(?:{body})(?!\w)")


# --------------------------------------------------------------------------- markup

_EDGE = " \t\u00a0*_#|>"
_INNER = re.compile(r"\*+|_{2,}|\|")
_SEG_SPLIT = re.compile(r"[ \t\u00a0]{2,}|\t+")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Text without Markdown emphasis and table bars, blanks collapsed."""
    if "*" in text or "|" in text or "__" in text:
        text = _INNER.sub("", text)
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Seg:
    """A piece of one line: offsets into the original text (markup trimmed) and its clean text."""

    start: int
    end: int
    text: str  # clean text
    line: int  # line index
    col: int  # offset of the piece within its line (for side-by-side columns)
    bold: bool  # wrapped in ** … ** in the source


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    segs: tuple[Seg, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)

    @property
    def blank(self) -> bool:
        return not self.segs


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def split_line(text: str, start: int, end: int, index: int) -> tuple[Seg, ...]:
    segs: list[Seg] = []
    pos = start
    pieces: list[tuple[int, int]] = []
    for m in _SEG_SPLIT.finditer(text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    # A bullet set apart from its text ("-   Lưu VP") belongs to the text.
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        if merged and text[merged[-1][0] : merged[-1][1]].strip() in ("-", "–", "—", "•", "+"):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    for a, b in merged:
        raw = text[a:b]
        s, e = _trim(text, a, b)
        if e <= s:
            continue
        cleaned = clean(text[s:e])
        if not cleaned:
            continue
        stripped = raw.strip(" \t\u00a0#")
        bold = stripped.startswith("**") and stripped.rstrip().endswith("**") and len(stripped) > 4
        segs.append(Seg(s, e, cleaned, index, a - start, bold))
    return tuple(segs)


class Layout:
    """Lines of a text, built lazily, plus the folded text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._lines: dict[int, Line] = {}
        self._folded: str | None = None

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = fold(self.text)
        return self._folded

    def __len__(self) -> int:
        return len(self.starts)

    def line(self, i: int) -> Line:
        got = self._lines.get(i)
        if got is None:
            start = self.starts[i]
            end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
            if end > start and self.text[end - 1] == "\r":
                end -= 1
            got = Line(start, end, split_line(self.text, start, end, i))
            self._lines[i] = got
        return got

    def line_of(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)


_last: tuple[str, Layout] | None = None


def layout(text: str) -> Layout:
    """The layout of ``text``; the last one is kept so header, signature and sections share it.
    The pair is replaced in one assignment, so concurrent callers at worst rebuild it."""
    global _last
    cached = _last
    if cached is not None and cached[0] is text:
        return cached[1]
    built = Layout(text)
    _last = (text, built)
    return built


# --------------------------------------------------------------------------- clean view


class CleanView:
    """``text[start:end]`` without Markdown markup, with a map back to original offsets.

    Header parts wrap across lines and carry emphasis in Markdown copies ("*Bắc Ninh, ngày 20\\n
    tháng 11 năm 2025*", "ngày **24** tháng"); regular expressions run on the clean string and
    their matches are mapped back.
    """

    _MARKUP = re.compile(r"\*+|_{2,}|^[ \t]*#+[ \t]*|\|", re.M)

    def __init__(self, text: str, start: int, end: int) -> None:
        pieces: list[str] = []
        self._c: list[int] = []
        self._r: list[int] = []
        clen, pos = 0, start
        for m in self._MARKUP.finditer(text, start, end):
            if m.start() > pos:
                self._c.append(clen)
                self._r.append(pos)
                pieces.append(text[pos : m.start()])
                clen += m.start() - pos
            pos = m.end()
        if end > pos:
            self._c.append(clen)
            self._r.append(pos)
            pieces.append(text[pos:end])
            clen += end - pos
        self.s = "".join(pieces)
        self.base = start

    def raw(self, i: int) -> int:
        """Original offset of clean offset ``i`` (a start)."""
        if not self._c:
            return self.base
        k = max(0, bisect_right(self._c, i) - 1)
        return self._r[k] + (i - self._c[k])

    def raw_end(self, j: int) -> int:
        """Original offset just after clean offset ``j - 1`` (an end)."""
        if j <= 0:
            return self.raw(0)
        return self.raw(j - 1) + 1


# --------------------------------------------------------------------------- portal chrome


@cache
def _footer_re() -> re.Pattern[str]:
    data = load_yaml("chrome.yaml")
    lines = "|".join(re.escape(x).replace(r"\ ", r"[ \t]+") for x in data["footer_lines"])
    phrases = "|".join(re.escape(x).replace(r"\ ", r"[ \t]+") for x in data["footer_phrases"])
    return re.compile(rf"(?m)^[ \t*_#|>]*(?:{lines})[ \t*_:]*$|^[^\n]*?(?:{phrases})")


def portal_footer(text: str, after: int = 0) -> int | None:
    """Where the footer a legal portal appends to a saved page begins (``data/chrome.yaml``), if
    the text has one after ``after``; the document ends there."""
    m = _footer_re().search(text, after)
    return m.start() if m else None


# --------------------------------------------------------------------------- names


@cache
def _name_parts() -> tuple[re.Pattern[str], frozenset[str]]:
    data = load_yaml("header.yaml")
    prefixes = sorted(data["name_prefixes"], key=len, reverse=True)
    rx = re.compile(r"^(?:" + "|".join(re.escape(p) for p in prefixes) + r")\s+")
    return rx, frozenset(s.upper() for s in data["surnames"])


def strip_name_prefix(text: str) -> str:
    rx, _ = _name_parts()
    return rx.sub("", text.strip(), count=1).strip()


def is_person_name(text: str) -> bool:
    """A Vietnamese personal name: 2-6 syllables in Title Case ("Lan Thị Vân"), or in capitals
    when it starts with a common surname ("NGUYỄN VĂN A")."""
    words = strip_name_prefix(text).split()
    if not 2 <= len(words) <= 6:
        return False
    caps = all(w.isupper() for w in words)
    for w in words:
        if not w.isalpha() or len(w) > 7:
            return False
        if not caps and not (w[0].isupper() and (len(w) == 1 or w[1:].islower())):
            return False
    if caps:
        return words[0] in _name_parts()[1]  # diacritics count: "TỔ CHỨC" is not "TÔ"
    return True


def first_letter(text: str) -> str:
    for ch in text:
        if ch.isalnum():
            return ch
    return ""
