"""Deadlines and time frames: "trước ngày 07/4/2024", "đến hết năm 2024", "trong quý III/2024", …

A date alone is not a deadline: plans are full of dates of cited documents and of past events.
Only a date inside a time-bound phrase is one — after a trigger word (trước, chậm nhất, đến,
đến hết, từ … đến …, trong, vào, dự kiến), after a "Thời gian …:" label, or a quarter or
half-year with its year. Recurring duties (hằng quý, định kỳ 6 tháng, …) are kept with no date.

Each phrase is parsed into a calendar span (first day, last day) so that "trong tháng 6/2024"
and "quý II/2024" get their end dates, and the kind (before, by, on, from, period, recurring)
decides which end is the deadline's ``date``.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from vanban.extractor.dates import DATE_RE, WORDS_NO_YEAR_RE, to_date
from vanban.extractor.model import Deadline
from vanban.extractor.units import fold_keep_length

_F = r"[\s*_]*"  # blanks and markdown emphasis ("trước ngày **15/12/2024**")
_Y = r"((?:19|20)\d\d)"

# A trigger word (or phrase) and what it makes of the time expression after it.
_TRIGGER_RE = re.compile(
    r"(?<!\w)(?P<t>"
    r"đến\s+trước|tới\s+trước|đến\s+hết|tới\s+hết|cho\s+đến|"
    r"chậm\s+nhất(?:\s+là)?(?:\s+(?:đến|vào|trong))?(?:\s+hết)?|"
    r"hạn\s+chót(?:\s+là)?|thời\s+hạn(?:\s+là)?|"
    r"dự\s+kiến(?:\s+(?:vào|trong))?|"
    r"trước|đến|tới|từ|trong|vào"
    r")(?!\w)",
    re.IGNORECASE,
)
# "Thời gian thực hiện: …", "Thời gian hoàn thành: Quý I/2026", "Thời gian kiểm tra: 13h30’ ngày …"
_LABEL_RE = re.compile(r"(?<!\w)(?:thời\s+gian|thời\s+điểm)[^:\n]{0,60}:", re.IGNORECASE)
# A quarter or half-year with a year is a time frame wherever it stands (table cells, headings).
_FREE_RE = re.compile(
    r"(?<!\w)(?:quý\s*(?:IV|I{1,3}|[1-4])(?!\w)|(?:0?[369])\s*tháng\s*(?:đầu|cuối)\s*năm)",
    re.IGNORECASE,
)
# Recurring duties: "hằng quý, 6 tháng, 9 tháng và năm", "định kỳ hằng tháng", "ngày 05 hằng tháng".
_PERIOD_WORD = r"(?:(?:hằng|hàng)\s+)?(?:tuần|tháng|quý|năm|0?[369]\s+tháng)"
_REC_RE = re.compile(
    r"(?:"
    r"(?:hằng|hàng|mỗi)\s+(?P<one>tuần|tháng|quý|năm)"
    r"|định\s+kỳ\s+(?:theo\s+)?" + _PERIOD_WORD + r"(?!\s*(?:đầu|cuối))"
    r")"
    r"(?:\s*(?:,|và|hoặc)\s*" + _PERIOD_WORD + r"(?!\s*(?:đầu|cuối)))*"
    r"(?:\s+" + _Y + r")?(?!\w)",
    re.IGNORECASE,
)
_REC_DAY_RE = re.compile(r"(?:vào\s+)?ngày\s+\d{1,2}\s+$", re.IGNORECASE)
# Where a deadline phrase may start, found on the folded text (ASCII, lower case): much faster
# than case-insensitive Unicode patterns; each hit is then checked on the text itself.
_SCAN_RE = re.compile(
    r"(?<![a-z0-9])(?:t(?:u|rong|ruoc|oi|hoi (?:gian|diem|han))|d(?:en|u kien|inh ky)|c(?:ho den|ham nhat)"
    r"|h(?:an chot|ang)|vao|moi|quy|\d\s*thang (?:dau|cuoi))(?![a-z0-9])"
)
_SCAN_GROUP = {"thoi gian": "label", "thoi diem": "label", "hang": "rec", "moi": "rec", "dinh ky": "rec",
               "quy": "free"}
_DIGIT_RE = re.compile(r"\d|quý|Quý|QUÝ")


def _scan(folded: str) -> list[tuple[str, int]]:
    """(what, where) for every place a deadline phrase may start."""
    out = []
    for m in _SCAN_RE.finditer(folded):
        word = m.group(0)
        group = _SCAN_GROUP.get(word) or ("free" if word[0].isdigit() else "trig")
        out.append((group, m.start()))
    return out


# "hằng năm" alone qualifies all sorts of things ("thi đua hằng năm"); it is a duty only near one.
_DUTY_RE = re.compile(
    r"báo\s+cáo|kế\s+hoạch|sơ\s+kết|tổng\s+kết|định\s+kỳ|kiểm\s+tra|rà\s+soát|ban\s+hành|đánh\s+giá",
    re.IGNORECASE,
)

_TIME = r"(?:\d{1,2}\s*(?:giờ|h|g)\s*(?:\d{1,2})?\s*(?:phút)?\s*['’]?[\s,*_]*)"
# A time of day, or a span of hours ("Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 23 tháng 1": one event).
_LEAD_RE = re.compile(
    rf"{_F}(?:là\s+)?(?:vào\s+)?(?:(?P<clock>{_TIME}(?:[-–]|đến)\s*){_TIME}|{_TIME})?"
    rf"(?P<ngay>ngày(?!\s+(?:làm|bầu|ký|ban|công)))?{_F}", re.I)
# "30/6" with no year; unlike dates.NO_YEAR_RE a full stop may follow ("trước ngày 30/6.").
_NO_YEAR_RE = re.compile(r"(?P<nd>0?[1-9]|[12]\d|3[01])[/\-](?P<nm>0?[1-9]|1[0-2])(?![\d/\-]|\.\d|\s*[/\-]\s*\d)")
_DAY_ONLY_RE = re.compile(r"(\d{1,2})(?=[\s*_]*(?:đến|tới|-|–)\s)")
_MONTH_RE = re.compile(rf"tháng\s*(\d{{1,2}})(?:\s*[/.\-]\s*{_Y}|\s*,?\s*năm\s*{_Y})?(?![\d/])", re.I)
_QUARTER_RE = re.compile(rf"quý\s*(IV|I{{1,3}}|[1-4])(?:\s*[/.\-]\s*{_Y}|\s*,?\s*năm\s*{_Y})?(?![\w/])", re.I)
_HALF_RE = re.compile(rf"(0?[369])\s*tháng\s*(đầu|cuối)\s*năm(?:\s*{_Y})?", re.I)
_YEAR_RE = re.compile(rf"năm\s*{_Y}(?![\d/])", re.I)
_CONNECT_RE = re.compile(r"[\s*_,]*(?:đến|tới|-|–)(?:\s+hết)?(?:\s+ngày)?", re.I)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_COMPLETE_RE = re.compile(r"hoàn\s+thành|xong|ban\s+hành|phấn\s+đấu|chậm\s+nhất", re.IGNORECASE)
_AIM_RE = re.compile(r"hoàn\s+thành|phấn\s+đấu", re.IGNORECASE)
# "2. Mục tiêu đến năm 2030": a part of goals to reach by that year (not a programme's name in a
# sentence, "Chương trình mục tiêu quốc gia … đến năm 2030").
_GOAL_HEAD_RE = re.compile(r"[\s*_#]*(?:(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s*)?(?:các\s+)?mục\s+tiêu\s+(?:\S+\s+){0,3}$",
                           re.IGNORECASE)
_PAST_RE = re.compile(r"(?<!\w)(?:đã|đạt được)(?!\w)", re.IGNORECASE)
_RECURRING_AFTER_RE = re.compile(
    r"[\s*_)]*(?:(?:hằng|hàng)\s+(?:năm|tháng|quý)|(?:của\s+)?năm\s+(?:trước|sau|kế\s+tiếp)(?:\s+liền\s+kề)?)(?!\w)",
    re.IGNORECASE,
)
_RECURRING_BEFORE_RE = re.compile(
    r"(?:định\s+kỳ\s+)?(?:hằng|hàng|mỗi|từng)\s+(?:năm|tháng|quý)[\s(*_,]*$", re.IGNORECASE)
# Reporting periods of statistics ("Số liệu thống kê báo cáo từ ngày …") are not time frames to meet.
# Nor are forecasts ("Theo dự báo …, từ tối nay đến ngày 18/11/2025 có mưa"): events, not duties.
_STATISTICS_RE = re.compile(r"số\s+liệu|thống\s+kê|kỳ\s+báo\s+cáo|(?<!\w)dự\s+báo(?!\s+cáo)", re.IGNORECASE)
# "thực hiện đến ngày 10/12/2025 là 28.611 tỷ đồng": a running total, not a deadline.
_AMOUNT_AFTER_RE = re.compile(r"[ \t*_]*(?:là|đạt|:)[ \t]*\d", re.IGNORECASE)
_NO_DEADLINE_BEFORE_RE = re.compile(r"(?:hiệu\s+lực(?:\s+thi\s+hành)?|tính|kể|tầm\s+nhìn|lũy\s+kế)\s*$", re.I)
_YEARLY_RE = re.compile(r"(?<!\w)(?:hằng|hàng|mỗi)\s+năm(?!\w)", re.IGNORECASE)
_COUNTED_RE = re.compile(r"(?<!\w)tính\s*$", re.I)


@dataclass(frozen=True, slots=True)
class _When:
    """A parsed time expression: where it is and which calendar days it covers."""

    start: int
    end: int
    precision: str  # day, dayonly, month, quarter, half, year
    first: date | None
    last: date | None
    valid: bool = True
    has_year: bool = True
    day: int | None = None
    month: int | None = None
    recurring: bool = False
    clock: bool = False  # a span of hours stands before the day: the day of one event


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    kind: str
    first: _When
    second: _When | None = None


def _last_day(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def _when(text: str, pos: int) -> _When | None:
    """The time expression that starts at ``pos`` (after blanks, "ngày", a time of day)."""
    lead = _LEAD_RE.match(text, pos)
    if lead is None:
        return None
    q = lead.end()
    if q >= len(text):
        return None
    ngay = lead.group("ngay") is not None
    clock = lead.group("clock") is not None
    m = DATE_RE.match(text, q)
    if m:
        if m.group("numeric"):
            parts = re.findall(r"\d+", m.group("numeric"))
            d, mo, y = int(parts[0]), int(parts[1]), int(parts[2])
        else:
            d, mo, y = int(m.group("wd")), int(m.group("wm")), int(m.group("wy"))
        day = to_date(y, mo, d)
        return _When(q, m.end(), "day", day, day, valid=day is not None, day=d, month=mo, clock=clock)
    m = _NO_YEAR_RE.match(text, q) or WORDS_NO_YEAR_RE.match(text, q)
    if m:
        d, mo = (int(m.group("nd")), int(m.group("nm"))) if "nd" in m.re.groupindex else (
            int(m.group("d")), int(m.group("m")))
        return _When(q, m.end(), "day", None, None, valid=to_date(2000, mo, d) is not None,
                     has_year=False, day=d, month=mo, clock=clock)
    if ngay:
        m = _DAY_ONLY_RE.match(text, q)
        if m:
            return _When(q, m.end(), "dayonly", None, None, has_year=False, day=int(m.group(1)))
        return None
    m = _MONTH_RE.match(text, q)
    if m:
        mo = int(m.group(1))
        ys = m.group(2) or m.group(3)
        if ys is None:
            return _When(q, m.end(), "month", None, None, valid=1 <= mo <= 12, has_year=False, month=mo)
        y = int(ys)
        last = _last_day(y, mo)
        return _When(q, m.end(), "month", date(y, mo, 1) if last else None, last, valid=last is not None,
                     month=mo)
    m = _QUARTER_RE.match(text, q)
    if m:
        qn = _ROMAN.get(m.group(1).upper()) or int(m.group(1))
        ys = m.group(2) or m.group(3)
        if ys is None:
            return _When(q, m.end(), "quarter", None, None, has_year=False, month=3 * qn)
        y = int(ys)
        return _When(q, m.end(), "quarter", date(y, 3 * qn - 2, 1), _last_day(y, 3 * qn), month=3 * qn)
    m = _HALF_RE.match(text, q)
    if m:
        n, part, ys = int(m.group(1)), m.group(2).lower(), m.group(3)
        if ys is None:
            return _When(q, m.end(), "half", None, None, has_year=False)
        y = int(ys)
        if part == "đầu":
            return _When(q, m.end(), "half", date(y, 1, 1), _last_day(y, n))
        return _When(q, m.end(), "half", date(y, 13 - n, 1), date(y, 12, 31))
    m = _YEAR_RE.match(text, q)
    if m:
        y = int(m.group(1))
        return _When(q, m.end(), "year", date(y, 1, 1), date(y, 12, 31))
    return None


def _complete(when: _When, year: int | None, month: int | None = None) -> _When:
    """Give a year (and month, for "từ ngày 08 đến ngày 10 tháng 12") to a partial expression."""
    if year is None or when.has_year:
        return when
    if when.precision == "day" and when.day and when.month:
        day = to_date(year, when.month, when.day)
        return _When(when.start, when.end, "day", day, day, valid=day is not None, has_year=False,
                     day=when.day, month=when.month)
    if when.precision == "dayonly" and when.day and month:
        day = to_date(year, month, when.day)
        return _When(when.start, when.end, "day", day, day, valid=day is not None, has_year=False,
                     day=when.day, month=month)
    if when.precision == "month" and when.month:
        last = _last_day(year, when.month)
        return _When(when.start, when.end, "month", date(year, when.month, 1) if last else None, last,
                     valid=last is not None, has_year=False, month=when.month)
    if when.precision == "quarter" and when.month:
        return _When(when.start, when.end, "quarter", date(year, when.month - 2, 1),
                     _last_day(year, when.month), has_year=False, month=when.month)
    return when


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence around ``pos``; a line break inside a sentence (hard-wrapped text:
    no stop before it, lower case after it) does not end it."""
    while True:
        cut = max(text.rfind(".", 0, pos), text.rfind(";", 0, pos), text.rfind("\n", 0, pos))
        if cut <= 0 or text[cut] != "\n":
            return cut + 1
        before = text[max(0, cut - 4):cut].rstrip(" \t*_")
        after = text[cut + 1:cut + 6].lstrip(" \t*_")
        if not before or before[-1] in ".;:!?" or not after[:1].islower():
            return cut + 1
        pos = cut


def _sentence_end(text: str, pos: int) -> int:
    ends = [i for i in (text.find(".", pos), text.find(";", pos), text.find("\n", pos)) if i >= 0]
    return min(ends) if ends else len(text)


def _recurring_after(text: str, pos: int) -> int | None:
    """End of a "hằng năm"/"hằng tháng" right after ``pos``, which makes a date recurring."""
    m = _RECURRING_AFTER_RE.match(text, pos)
    return m.end() if m else None


def _candidates(text: str, hits: list[tuple[str, int]]) -> list[_Cand]:
    out: list[_Cand] = []
    trig_end = 0
    for group, pos in hits:
        if group == "trig":
            if pos < trig_end:
                continue
            # Cheap filter: a time expression has a digit or "quý" within a few words.
            if _DIGIT_RE.search(text, pos, pos + 60) is None:
                continue
            t = _TRIGGER_RE.match(text, pos)
            if t is None:
                continue
            trig_end = t.end()
            w = _when(text, t.end())
            if w is None:
                continue
            word = re.sub(r"\s+", " ", t.group("t").lower())
            before = text[max(0, t.start() - 40): t.start()]
            cand = _from_trigger(text, word, t.start(), w, before)
            if cand is not None:
                out.append(cand)
        elif group == "label":
            lab = _LABEL_RE.match(text, pos)
            w = _when(text, lab.end()) if lab else None
            if w is None or w.precision == "year":
                continue
            second = _range_end(text, w)
            if second is not None:
                out.append(_Cand(w.start, second.end, "period", w, second))
            else:
                out.append(_Cand(w.start, w.end, "on" if w.precision == "day" else "period", w))
        elif group == "free":
            if _FREE_RE.match(text, pos) is None:
                continue
            w = _when(text, pos)
            if w is None or not w.has_year:
                continue
            second = _range_end(text, w)
            if second is not None:
                out.append(_Cand(w.start, second.end, "period", w, second))
            else:
                out.append(_Cand(w.start, w.end, "period", w))
    return out + [c2 for c in out if (c2 := _coordinated(text, c)) is not None]


# A table of tasks with a "Thời gian hoàn thành" column whose cells give only a year ("2025"): each
# such cell is due by the end of that year. (A "Thời gian thực hiện" year is a span, as with labels.)
_YEAR_CELL_RE = re.compile(r"(?m)^[ \t*_|]*(?:[Nn]ăm[ \t]+)?((?:19|20)\d\d)[ \t*_|]*$")
_DONE_HEADER_RE = re.compile(r"(?im)^[ \t*_|]*thời[ \t]+(?:gian|hạn)[ \t]+hoàn[ \t]+thành[ \t*_|]*$")


def _year_cells(text: str) -> list[_Cand]:
    if "hoàn thành" not in text and "HOÀN THÀNH" not in text:
        return []
    out = []
    for m in _YEAR_CELL_RE.finditer(text):
        if _DONE_HEADER_RE.search(text, max(0, m.start() - 20000), m.start()) is None:
            continue
        y = int(m.group(1))
        w = _When(m.start(1), m.end(1), "year", date(y, 1, 1), date(y, 12, 31))
        out.append(_Cand(w.start, w.end, "by", w))
    return out


_AND_RE = re.compile(r"[\s*_]*(?:,|và|hoặc)[\s*_]*", re.IGNORECASE)


def _coordinated(text: str, cand: _Cand) -> _Cand | None:
    """The second of two time expressions sharing one year ("vào tháng 4 và tháng 8 năm 2026"):
    it becomes a deadline of the same kind, and the first takes its year."""
    w = cand.first
    if cand.second is not None or cand.kind == "none" or w.has_year or cand.end != w.end:
        return None
    m = _AND_RE.match(text, w.end)
    w2 = _when(text, m.end()) if m and m.end() > w.end else None
    if w2 is None or not w2.has_year or w2.first is None or w2.precision != w.precision:
        return None
    done = _complete(w, w2.first.year)
    if done.last is None or done.last > w2.first:
        return None
    cand.first = replace(done, has_year=True)
    return _Cand(w2.start, w2.end, cand.kind, w2)


def _range_end(text: str, first: _When) -> _When | None:
    """The second end of "… đến …" right after ``first``."""
    c = _CONNECT_RE.match(text, first.end)
    if c is None:
        return None
    second = _when(text, c.end())
    if second is None or second.precision == "dayonly":
        return None
    return second


def _from_trigger(text: str, word: str, start: int, w: _When, before: str) -> _Cand | None:
    # Effective dates of laws, statistics "tính đến", "tầm nhìn đến năm 2045" are not deadlines;
    # such a phrase still claims its span so that its "đến ngày …" half is not taken alone.
    second = _range_end(text, w) if word == "từ" else None
    end = second.end if second is not None else w.end
    statistics = _STATISTICS_RE.search(text, _sentence_start(text, start), start) or _AMOUNT_AFTER_RE.match(text, end)
    if statistics or _NO_DEADLINE_BEFORE_RE.search(before):
        # "tính đến hết ngày 31/12/2026" counts up to a day: a cut-off of figures, unless that day lies
        # ahead of the document ("Phong trào thi đua … tính đến hết ngày 31/12/2026"); decided once dated.
        counted = not statistics and second is None and _COUNTED_RE.search(before) is not None
        return _Cand(start, end, "counted" if counted else "none", w)
    sentence = text[_sentence_start(text, start): _sentence_end(text, w.end)]
    past = _PAST_RE.search(sentence) is not None
    if word == "từ":
        if second is None and w.clock and w.precision == "day":
            return None if past else _Cand(start, w.end, "on", w)  # "Từ 8 giờ - 11 giờ ngày 23/1"
        if second is not None:
            # A past "từ … đến …" still claims its span: its "đến …" half is no deadline either.
            return _Cand(start, second.end, "none" if past else "period", w, second)
        if w.precision in ("day", "month") and not past:
            return _Cand(start, w.end, "from", w)
        return None
    if w.precision == "dayonly":
        return None
    if word == "trong":
        second = _range_end(text, w) if w.precision == "day" else None
        if second is not None:
            return _Cand(start, second.end, "period", w, second)
        if w.precision == "day":
            return None if past else _Cand(start, w.end, "on", w)
        completes = _COMPLETE_RE.search(before) is not None
        if w.precision == "year":
            return _Cand(start, w.end, "by", w) if completes else None
        if w.precision in ("month", "quarter", "half") and completes:
            return _Cand(start, w.end, "by", w)  # "xong trong Quý II/2026": due by its last day
        return _Cand(start, w.end, "period", w)
    if word in ("trước", "đến trước", "tới trước"):
        return _Cand(start, w.end, "before", w)
    if word.startswith("chậm nhất") or word.startswith("hạn chót") or word.startswith("thời hạn"):
        return _Cand(start, w.end, "by", w)
    if word in ("đến", "tới", "cho đến", "đến hết", "tới hết"):
        if past:
            return None
        if (w.precision == "year" and word in ("đến", "tới", "cho đến")
                and not _AIM_RE.search(text[_sentence_start(text, start): start])
                and not _GOAL_HEAD_RE.match(text, _sentence_start(text, start), start)):
            return None
        return _Cand(start, w.end, "by", w)
    if word == "vào" or word.startswith("dự kiến"):
        if past or w.precision == "year":
            return None
        return _Cand(start, w.end, "on" if w.precision == "day" else "period", w)
    return None


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in spans)


class _Taken:
    """Non-overlapping spans already claimed, sorted, for overlap tests in O(log n)."""

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def hits(self, a: int, b: int) -> bool:
        i = bisect.bisect_left(self.starts, b)  # spans that start before b; their ends are sorted too
        return i > 0 and self.ends[i - 1] > a

    def add(self, a: int, b: int) -> None:
        i = bisect.bisect_left(self.starts, a)
        self.starts.insert(i, a)
        self.ends.insert(i, b)


def _resolve(cand: _Cand, doc_date: date | None) -> tuple[date | None, date | None, bool, bool]:
    """(first day, last day, valid, inferred_year) of a candidate."""
    a, b = cand.first, cand.second
    inferred = False
    if b is not None:
        a_done = False
        if not b.has_year and a.has_year and a.first is not None:
            # "từ ngày 20 tháng 11 năm 2025 đến ngày 03 tháng 12" (the year wrapped away)
            b2 = _complete(b, a.first.year)
            b = _complete(b, a.first.year + 1) if b2.last and b2.last < a.first else b2
        elif not b.has_year and doc_date is not None:
            if not a.has_year and a.month is not None and a.precision != "dayonly":
                # "từ tháng 3 đến tháng 10": the range starts in the year the start falls in.
                first_year = _infer_year(a, doc_date)
                a, a_done = _complete(a, first_year), True
                b2 = _complete(b, first_year)
                b = _complete(b, first_year + 1) if b2.last and a.first and b2.last < a.first else b2
            else:
                b = _complete(b, _infer_year(b, doc_date))
            inferred = True
        year = b.last.year if b.last else None
        if not a_done:
            a = _complete(a, year, b.month)
        if not a_done and not a.has_year and year is None and doc_date is not None:
            a = _complete(a, doc_date.year)
            inferred = True
        return a.first, b.last, a.valid and b.valid, inferred
    if not a.has_year and doc_date is not None:
        a = _complete(a, _infer_year(a, doc_date))
        inferred = True
    return a.first, a.last, a.valid, inferred


def _infer_year(w: _When, doc_date: date) -> int:
    """The plan's year, or the next one when that would put the date long before the plan."""
    probe = _complete(w, doc_date.year)
    if probe.last is not None and probe.last < doc_date - timedelta(days=120):
        return doc_date.year + 1
    return doc_date.year


def find_deadlines(
    text: str, *, doc_date: date | None, exclude: list[tuple[int, int]], issued_after: date | None = None
) -> tuple[Deadline, ...]:
    """Every deadline, time frame and recurring duty in ``text``, in text order.

    ``issued_after`` is a day the document cannot be older than (the latest date of a document it
    cites); it stands in for ``doc_date`` when telling past events from deadlines.
    """
    issued = doc_date or issued_after
    hits = _scan(fold_keep_length(text))
    cands = [c for c in _candidates(text, hits) + _year_cells(text) if not _overlaps(c.first.start, c.end, exclude)]
    # Longest phrase wins where candidates overlap ("từ ngày … đến ngày …" over "đến ngày …").
    cands.sort(key=lambda c: (c.start - c.end, c.start))
    taken = _Taken()
    out: list[Deadline] = []
    for c in cands:
        if taken.hits(c.start, c.end):
            continue
        rec_end = _recurring_after(text, c.end) if not c.first.has_year else None
        end = rec_end if rec_end is not None and not taken.hits(c.end, rec_end) else c.end
        taken.add(c.start, end)
        if c.kind == "counted":
            first, last, valid, _ = _resolve(c, doc_date)
            if not (valid and issued and last and last > issued + timedelta(days=31)):
                continue
            c.kind = "by"
        if c.kind == "none":
            continue
        rec_start = _recurring_before(text, c)
        if end > c.end or rec_start is not None:
            start = c.start if rec_start is None or taken.hits(rec_start, c.start) else rec_start
            if start < c.start:
                taken.add(start, c.start)
            out.append(Deadline(text[start:end], start, end, None, "recurring"))
            continue
        first, last, valid, inferred = _resolve(c, doc_date)
        if c.kind == "period":
            day, end_date = first, last
        elif c.kind in ("before", "on", "from"):
            day, end_date = first, None
        else:  # by: the last day of the span ("đến hết năm 2024" → 31/12/2024)
            day, end_date = last, None
        if not valid:
            day = end_date = None
        if not inferred and _past(c.kind, first, last, issued) and not _set_in_the_past(text, c, issued):
            continue
        out.append(Deadline(
            text[c.start:c.end], c.start, c.end,
            day.isoformat() if day else None, c.kind,  # type: ignore[arg-type]
            end_date.isoformat() if end_date else None, valid, inferred and day is not None,
        ))
    for group, pos in hits:
        if group != "rec" or taken.hits(pos, pos + 1):
            continue
        m = _REC_RE.match(text, pos)
        if m is None:
            continue
        start = pos
        day_m = _REC_DAY_RE.search(text, max(0, pos - 20), pos)
        if day_m is not None:
            start = day_m.start()  # "ngày 05 hằng tháng"
        if taken.hits(start, m.end()) or _overlaps(start, m.end(), exclude):
            continue
        if (m.group("one") or "").lower() == "năm":
            sentence = text[_sentence_start(text, start): _sentence_end(text, m.end())]
            if not _DUTY_RE.search(sentence):
                continue
        out.append(Deadline(text[start:m.end()], start, m.end(), None, "recurring"))
        taken.add(start, m.end())
    out.sort(key=lambda d: d.start)
    return tuple(out)


def _past(kind: str, first: date | None, last: date | None, issued: date | None) -> bool:
    """A time frame over before the document was issued is a past event, not a deadline ("Do mưa
    lớn kéo dài, từ ngày 17 đến ngày 20 tháng 11 năm 2025 …", "người hoạt động cách mạng trước
    ngày 01/01/1945"). A start shortly before it still opens a running duty ("Thời gian thực
    hiện: Từ 01/7/2025")."""
    if issued is None:
        return False
    if kind == "from":
        return first is not None and first < issued - timedelta(days=366)
    due = last if kind in ("by", "period") else first
    return due is not None and due < issued


# A deadline the document itself sets stays a deadline when it falls before the document's date
# ("báo cáo trước ngày 15/12/2023" in a plan of 2024): that is the plan's mistake, for the rules to
# report, not a past event. Only a day written in full, not long before the document, in a sentence
# that does not tell the past ("đã chỉ đạo … hoàn thành trước ngày …").
_SET_WITHIN = timedelta(days=5 * 366)
_TOLD_RE = re.compile(r"(?<!\w)(?:đã|đang|vừa|đạt\s+được|trước\s+đây)(?!\w)", re.IGNORECASE)


def _set_in_the_past(text: str, c: _Cand, issued: date | None) -> bool:
    w = c.first
    if c.kind not in ("before", "by") or c.second is not None or w.precision != "day" or not w.has_year:
        return False
    if issued is None or w.first is None or w.first < issued - _SET_WITHIN:
        return False
    sentence = text[_sentence_start(text, c.start): _sentence_end(text, w.end)]
    return _TOLD_RE.search(sentence) is None


def _recurring_before(text: str, c: _Cand) -> int | None:
    """Start of "hằng năm (" right before a yearless date: "định kỳ hằng năm (trước ngày 10/12)"."""
    if c.first.has_year:
        return None
    m = _RECURRING_BEFORE_RE.search(text, max(0, c.start - 40), c.start)
    if m:
        return m.start()
    # "Hàng năm, Quỹ có trách nhiệm công khai … trước ngày 31 tháng 3": the sentence recurs yearly.
    return c.start if _YEARLY_RE.search(text, _sentence_start(text, c.start), c.start) else None
