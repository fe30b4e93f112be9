"""The date grammar shared by header, citation and deadline extraction.

Vietnamese documents write a calendar date as ``21/01/2022``, ``21-01-2022``, ``21.01.2022`` or
``ngày 21 tháng 01 năm 2022`` (the ``ngày`` may be missing, the day may lack its leading zero,
spaces may be missing or doubled: ``tháng 01năm``). A date without a year (``30/6``) is found
too and resolved later against the plan's own date. Impossible dates (``31/4/2024``) are found
and marked invalid, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_SP = r"[ \t\u00a0\u202f]*"
# Between the words of a written-out date one line break may fall: text from PDFs and saved web
# pages is wrapped inside sentences ("ngày 30 tháng 4 năm\n2025").
_SPN = r"[ \t\u00a0\u202f]*(?:\n[ \t\u00a0\u202f]*)?"
_D = r"(?P<d>0?[1-9]|[12]\d|3[01]|\d{1,2})"
_M = r"(?P<m>0?[1-9]|1[0-2]|\d{1,2})"
_Y = r"(?P<y>(?:19|20)\d\d)"

# 21/01/2022, 21-01-2022, 21.01.2022 (not part of a longer number or symbol like 04/2015/NĐ-CP)
_NUMERIC = rf"(?<![\d/.\-])(?:0?\d|[12]\d|3\d){_SP}(?P<sep>[/.\-]){_SP}(?:0?\d|1\d){_SP}(?P=sep){_SP}(?:19|20)\d\d(?![\d/])"
# ngày 12 tháng 12 năm 2013 (ngày optional; tolerate "tháng 01năm", "ngày15")
_WORDS = rf"(?:ngày{_SPN})?(?P<wd>\d{{1,2}}){_SPN}tháng{_SPN}(?P<wm>\d{{1,2}}){_SP},?{_SPN}năm{_SPN}(?P<wy>(?:19|20)\d\d)(?!\d)"
# 30/6 or 30-6 with no year; must not be followed by another separator+digit
_NO_YEAR = r"(?<![\d/.\-])(?P<nd>0?[1-9]|[12]\d|3[01])(?P<nsep>[/\-])(?P<nm>0?[1-9]|1[0-2])(?![\d/.\-]|\s*[/.\-]\s*\d)"

DATE_RE = re.compile(rf"(?P<numeric>{_NUMERIC})|(?P<words>{_WORDS})", re.IGNORECASE)
NO_YEAR_RE = re.compile(_NO_YEAR)
_NUM_PARTS = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")


@dataclass(frozen=True, slots=True)
class DateMatch:
    text: str
    start: int
    end: int
    day: int
    month: int
    year: int | None

    @property
    def valid(self) -> bool:
        return to_date(self.year or 2000, self.month, self.day) is not None

    @property
    def iso(self) -> str | None:
        """ISO date when the date exists and has a year, else None."""
        if self.year is None:
            return None
        d = to_date(self.year, self.month, self.day)
        return d.isoformat() if d else None

    def with_year(self, year: int) -> DateMatch:
        return DateMatch(self.text, self.start, self.end, self.day, self.month, year)


def to_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, start: int = 0, end: int | None = None, *, allow_no_year: bool = False) -> list[DateMatch]:
    """All dates in ``text[start:end]`` in text order, with offsets into ``text``."""
    end = len(text) if end is None else end
    found: list[DateMatch] = []
    for m in DATE_RE.finditer(text, start, end):
        if m.group("numeric"):
            parts = _NUM_PARTS.search(m.group("numeric"))
            if not parts:
                continue
            d, mo, y = (int(x) for x in parts.groups())
        else:
            d, mo, y = int(m.group("wd")), int(m.group("wm")), int(m.group("wy"))
        found.append(DateMatch(m.group(0), m.start(), m.end(), d, mo, y))
    if allow_no_year:
        taken = [(f.start, f.end) for f in found]
        for m in NO_YEAR_RE.finditer(text, start, end):
            if any(s <= m.start() < e for s, e in taken):
                continue
            found.append(DateMatch(m.group(0), m.start(), m.end(), int(m.group("nd")), int(m.group("nm")), None))
        found.sort(key=lambda f: f.start)
    return found


def parse_date(text: str) -> DateMatch | None:
    """The first full date in ``text`` (used for header date lines)."""
    dates = find_dates(text)
    return dates[0] if dates else None


# "ngày 15 tháng 11" with no year ("trước ngày 15 tháng 11"); the year is resolved later, like 30/6.
_WORDS_NO_YEAR = (
    rf"(?:ngày{_SPN})?(?P<d>\d{{1,2}}){_SPN}tháng{_SPN}(?P<m>\d{{1,2}})"
    rf"(?!\d|{_SP},?{_SPN}năm{_SPN}\d|{_SP}[/.\-]{_SP}\d)"
)
WORDS_NO_YEAR_RE = re.compile(_WORDS_NO_YEAR, re.IGNORECASE)


def find_partial_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMatch]:
    """Dates written in words without a year (``ngày 15 tháng 11``), ``year`` None, in text order."""
    end = len(text) if end is None else end
    return [
        DateMatch(m.group(0), m.start(), m.end(), int(m.group("d")), int(m.group("m")), None)
        for m in WORDS_NO_YEAR_RE.finditer(text, start, end)
    ]
