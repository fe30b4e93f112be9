"""Measurable targets: "100% cán bộ … ký cam kết", "ít nhất 01 mô hình", "xếp hạng 02/19", "đạt chuẩn 4 sao".

A number is a target when it is phrased as a commitment: a percentage that opens its clause or
list item ("- 100% văn bản …", "Có 100% cán bộ …"), or one with a commitment word in its clause
(phấn đấu, ít nhất, tối thiểu, trở lên, bảo đảm, chỉ tiêu …); a count after "ít nhất"/"tối thiểu"/
"mỗi …"; a rank or star level after "giữ vững", "đạt", "phấn đấu". Reported results ("đã đạt 82%",
"tỷ lệ 99,1%", "bằng 101% dự toán"), formulas ("b/a × 100%"), money and dates are not targets.

``Target.text`` is the clause the number belongs to: from the start of its clause or list item to
the end of the clause (";", ".", or the end of the line), split at commas when one clause carries
several numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vanban.extractor.model import Target
from vanban.extractor.units import fold_keep_length

_NUM = r"\d{1,3}(?:[.,]\d+)?"
# "90%", "90 - 95%", "từ 65% đến dưới 80%" (one target: the lower bound is the commitment)
_PERCENT_RE = re.compile(
    rf"(?=\d)(?<![\w.,/])(?:(?P<low>{_NUM})\s*(?:-|–|đến)\s*)?(?P<v>{_NUM})\s*%"
    rf"(?:\s*(?:-|–|đến)\s*(?:dưới\s+|trên\s+)?{_NUM}\s*%)?"
)
_COUNT_RE = re.compile(
    r"(?<!\w)(?P<cue>ít\s+nhất|tối\s+thiểu|không\s+ít\s+hơn|không\s+dưới|phấn\s+đấu\s+(?:có|đạt|xây\s+dựng)|"
    r"mỗi\s+[^\d\n,;.]{1,40}?)"
    r"\s+(?:là\s+|có\s+|từ\s+)?(?P<v>\d{1,4})(?:\s*\([^)\n]{1,20}\))?\s+(?P<unit>[^\W\d_]+(?:\s+[^\W\d_]+)?)",
    re.IGNORECASE,
)
_TRO_LEN_COUNT_RE = re.compile(
    r"(?<![\w.,/])(?:từ\s+)?(?P<v>\d{1,4})\s+(?P<unit>[^\W\d_]+(?:\s+[^\W\d_]+)?)[^\d\n;.]{0,60}?\btrở\s+lên",
    re.IGNORECASE,
)
_RANK_RE = re.compile(
    r"(?<!\w)(?:xếp\s+hạng|thứ\s+hạng|đứng\s+thứ|hạng|top|(?:trong|thuộc|vào)\s+nhóm)\s+(?:thứ\s+)?(?P<v>\d{1,3})"
    r"(?:\s*/\s*(?P<of>\d{1,3}))?(?![\d/])",
    re.IGNORECASE,
)
_LEVEL_RE = re.compile(r"(?<![\w.,/])(?P<v>\d{1,2})\s*(?P<unit>sao)(?!\w)|(?<!\w)(?P<unit2>mức\s+độ)\s+(?P<v2>\d)(?!\d)",
                       re.IGNORECASE)

# Words that make a number a commitment.
_COMMIT_RE = re.compile(
    r"phấn\s+đấu|ít\s+nhất|tối\s+thiểu|trở\s+lên|(?<!tự )bảo\s+đảm|(?<!tự )đảm\s+bảo|chỉ\s+tiêu|mục\s+tiêu|cam\s+kết|"
    r"không\s+thấp\s+hơn|không\s+dưới|hướng\s+(?:tới|đến)|duy\s+trì|giữ\s+vững|đạt\s+(?:trên|từ|tối\s+thiểu)",
    re.IGNORECASE,
)
_STRONG_COMMIT_RE = re.compile(r"phấn\s+đấu|chỉ\s+tiêu|ít\s+nhất|tối\s+thiểu", re.IGNORECASE)
# Words of a report on results already reached.
_REPORT_RE = re.compile(
    r"(?<!\w)(?:đã|đến\s+nay|so\s+với|cùng\s+kỳ|lũy\s+kế|ước\s+(?:đạt|vượt|thực\s+hiện|tính)|trễ\s+hạn|chiếm|"
    r"(?:bằng|tăng|giảm|vượt|là|tỷ\s+lệ)\s+\d+|đạt\s+\d+[.,]\d+)(?!\w)",
    re.IGNORECASE,
)
_RANK_COMMIT_RE = re.compile(
    r"phấn\s+đấu|giữ\s+vững|duy\s+trì|nâng|vươn\s+lên|cải\s+thiện|đạt|thuộc\s+nhóm|trong\s+nhóm", re.IGNORECASE)
_FORMULA_RE = re.compile(r"[*x×=]\s*$", re.IGNORECASE)
# A clause or list item may open with these before its number ("Có 100% …", "- Phấn đấu 100% …").
_OPENER_RE = re.compile(
    r"[\s*_\-+•–—]*(?:\(?\d{1,2}[.)]\s*|[a-zđ]\)\s*)?[\s*_]*"
    r"(?:(?:có|phấn\s+đấu|đảm\s+bảo|bảo\s+đảm|trên|đạt|tối\s+thiểu|ít\s+nhất)\s+)?$",
    re.IGNORECASE,
)
_MARKER_RE = re.compile(r"[\s*_#>|]*(?:[-+•–—]\s*|\(?\d{1,2}[.)]\s+|[a-zđ]\)\s+|\(\d{1,2}\)\s*)?[\s*_]*",
                        re.IGNORECASE)
_NOT_COUNT_UNITS = frozenset(
    ["ngày", "tháng", "năm", "giờ", "phút", "giây", "tuần", "quý", "đồng", "triệu", "tỷ", "nghìn", "ngàn", "trăm", "lần/năm", "km", "m", "ha", "điểm", "tuổi"])
_COMPOUND_UNITS = frozenset([
    "mô hình", "hội nghị", "sáng kiến", "công trình", "điển hình", "đơn vị", "đảng viên", "hội viên",
    "đoàn viên", "chuyên mục", "chuyên đề", "tin bài", "cuộc thi", "lượt người", "văn bản", "hồ sơ",
    "thủ tục", "sản phẩm", "giải pháp", "nhiệm vụ", "lớp học", "buổi học", "câu lạc", "tổ chức", "cơ sở",
    "doanh nghiệp", "gia đình", "địa phương", "cá nhân", "tập thể", "vị trí", "dự án", "cán bộ",
    "học sinh", "người dân", "hộ dân", "trường học", "trạm phát", "hộ gia", "khu dân", "địa bàn", "chương trình", "phóng sự", "bài viết",
])


# First syllables that do not stand alone as a counted noun ("cử" of "cử tri", "học" of "học viên").
_BOUND_SYLLABLES = frozenset(
    ["cử", "học", "giảng", "đảng", "đoàn", "cá", "tập", "dự", "cán", "người", "hộ", "trường", "trạm", "sáng", "công", "điển", "đơn", "mô", "chuyên", "cuộc", "văn", "hồ", "thủ", "sản", "giải", "nhiệm", "lớp", "câu", "doanh", "gia", "khu", "địa", "chương", "phóng", "bài", "hội", "tổ", "cơ"])


@dataclass(slots=True)
class _Anchor:
    start: int
    end: int
    value: float | None
    unit: str | None
    kind: str
    trailing: bool = False  # a count whose cue ("trở lên") comes after it


# Cue words on the folded text (lower case, no diacritics); each hit is checked on the text itself.
_CUE_RE = re.compile(
    r"(?<![a-z0-9])(?:it nhat|toi thieu|khong (?:it hon|duoi)|phan dau (?:co|dat|xay dung)|moi|tro len"
    r"|xep hang|thu hang|dung thu|hang|top|(?:trong|thuoc|vao) nhom|sao|muc do)(?![a-z0-9])"
)
_CUE_SPELLING = {"moi": "mỗi", "hang": "hạng", "sao": "sao"}
_RANK_CUES = frozenset(["xep hang", "thu hang", "dung thu", "hang", "top", "trong nhom", "thuoc nhom", "vao nhom"])
_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def _number(s: str) -> float:
    return float(s.replace(",", "."))


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the clause around ``pos``; a line that goes on in lower case continues it."""
    start = pos
    while True:
        cut = max(text.rfind(";", 0, start), text.rfind("\n", 0, start), _sentence_stop_before(text, start))
        if cut < 0:
            start = 0
            break
        if text[cut] == "\n" and _soft_break(text, cut):
            start = cut
            continue
        start = cut + 1
        break
    end = pos
    while True:
        stops = [i for i in (text.find(";", end), text.find("\n", end), _sentence_stop_after(text, end)) if i >= 0]
        if not stops:
            end = len(text)
            break
        cut = min(stops)
        if text[cut] == "\n" and _soft_break(text, cut):
            end = cut + 1
            continue
        end = cut
        break
    return start, end


def _soft_break(text: str, nl: int) -> bool:
    """A line break inside a sentence (hard-wrapped text): no stop before it, lower case after it."""
    before = text[max(0, nl - 8):nl].rstrip(" \t*_")
    after = text[nl:nl + 8].lstrip(" \t\n\r*_")
    return bool(before) and before[-1] not in ".;:!?" and bool(after) and after[0].islower()


_STOP_RE = re.compile(r"\.(?=\s|$)")


def _sentence_stop_before(text: str, pos: int) -> int:
    i = text.rfind(".", 0, pos)
    while i >= 0 and i + 1 < len(text) and not text[i + 1].isspace():
        i = text.rfind(".", 0, i)
    return i


def _sentence_stop_after(text: str, pos: int) -> int:
    m = _STOP_RE.search(text, pos)
    return m.start() if m else -1


def _anchors(text: str) -> list[_Anchor]:
    """Every number that may be a target; cue words are found on the folded text first (fast)."""
    out: list[_Anchor] = []
    if "%" in text:
        for m in _PERCENT_RE.finditer(text):
            out.append(_Anchor(m.start(), m.end(), _number(m.group("low") or m.group("v")), "%", "percent"))
    for cue in _CUE_RE.finditer(fold_keep_length(text)):
        p, word = cue.start(), cue.group(0)
        expected = _CUE_SPELLING.get(word)
        if expected is not None and text[p:cue.end()].lower() != expected:
            continue  # "mới", "hàng" fold like "mỗi", "hạng"
        if word == "tro len":
            for m in _TRO_LEN_COUNT_RE.finditer(text, max(0, p - 90), cue.end()):
                unit = _count_unit(m.group("unit"))
                if m.end() == cue.end() and unit is not None:
                    out.append(_Anchor(m.start("v"), m.start("unit") + len(unit), float(m.group("v")), unit,
                                       "count", True))
        elif word == "sao":
            for m in _LEVEL_RE.finditer(text, max(0, p - 6), cue.end()):
                if m.group("v"):
                    out.append(_Anchor(m.start(), m.end(), float(m.group("v")), m.group("unit").lower(), "level"))
        elif word == "muc do":
            lv = _LEVEL_RE.match(text, p)
            if lv and lv.group("v2"):
                out.append(_Anchor(lv.start(), lv.end(), float(lv.group("v2")), "mức độ", "level"))
        elif word in _RANK_CUES:
            rk = _RANK_RE.match(text, p)
            if rk:
                out.append(_Anchor(rk.start(), rk.end(), float(rk.group("v")), None, "rank"))
        else:
            ct = _COUNT_RE.match(text, p)
            unit = _count_unit(ct.group("unit")) if ct else None
            if ct and unit is not None:
                s = ct.start("v") if ct.group("cue").lower().startswith("mỗi") else ct.start()
                out.append(_Anchor(s, ct.start("unit") + len(unit), float(ct.group("v")), unit, "count"))
    return out


def _count_unit(words: str) -> str | None:
    parts = words.split()
    first = parts[0].lower()
    if first in _NOT_COUNT_UNITS:
        return None
    # Most nouns are two syllables ("mô hình", "cử tri"); a few counters stand alone ("01 buổi").
    if len(parts) > 1 and (f"{first} {parts[1].lower()}" in _COMPOUND_UNITS or first in _BOUND_SYLLABLES):
        return f"{parts[0]} {parts[1]}"
    return parts[0]


_CAP_RE = re.compile(r"(?:không\s+(?:vượt\s+)?quá|tối\s+đa)\s*$", re.IGNORECASE)


def _is_target(text: str, a: _Anchor, clause: tuple[int, int]) -> bool:
    cs, ce = clause
    before = text[cs:a.start]
    whole = text[cs:ce]
    if a.kind == "count":
        if _CAP_RE.search(before):
            return False  # "mỗi đơn vị đề nghị không quá 01 tập thể": a quota to stay under, not a target
        # "ít nhất", "mỗi …" make a count a target; "từ 02 … trở lên" only in a commitment.
        return a.unit is not None and (not a.trailing or _STRONG_COMMIT_RE.search(whole) is not None)
    if a.kind == "rank":
        # "Phấn đấu kết quả … của tỉnh nằm trong nhóm 15 tỉnh dẫn đầu": the commitment opens the clause.
        return _RANK_COMMIT_RE.search(before[-120:]) is not None
    if a.kind == "level":
        return re.search(r"đạt|chuẩn|phấn\s+đấu|giữ\s+vững|nâng", before[-60:], re.IGNORECASE) is not None
    # percent
    if _FORMULA_RE.search(before[-4:]) or "=" in before[-20:]:
        return False
    strong = _STRONG_COMMIT_RE.search(whole) is not None
    if _REPORT_RE.search(whole) and not strong:
        return False
    if a.value is not None and a.value != int(a.value) and not strong:
        return False  # "92,56%" is a measured result; targets are round numbers
    if re.search(r"(?:dưới|chưa\s+đến)\s*$", before) and not strong:
        return False  # an upper bound of a class ("dưới 30% chi thường xuyên"), not a commitment
    paren = before.rfind("(") > before.rfind(")") or text.startswith(")", a.end)
    if paren and not _COMMIT_RE.search(before[before.rfind("("):]):
        return False
    # "100% cán bộ … được …" opening a clause or list item is a target; a bare "85%" in a table is not.
    opener = (_OPENER_RE.match(before) is not None or _OPENER_RE.match(before[before.rfind(":") + 1:]) is not None)
    opener = opener and len(_WORD_RE.findall(text, a.end, min(ce, a.end + 40))) >= 2
    return opener or _COMMIT_RE.search(whole) is not None


def find_targets(text: str, *, exclude: list[tuple[int, int]]) -> tuple[Target, ...]:
    """Every measurable target in ``text``, in text order."""
    anchors = sorted(_anchors(text), key=lambda a: (a.start, -a.end))
    kept: list[tuple[_Anchor, tuple[int, int]]] = []
    last_end = -1
    for a in anchors:
        if a.start < last_end or any(s < a.end and a.start < e for s, e in exclude):
            continue  # one number, one target ("ít nhất 01 mô hình … trở lên")
        clause = _clause_bounds(text, a.start)
        if _is_target(text, a, clause):
            kept.append((a, clause))
            last_end = a.end
    out: list[Target] = []
    for i, (a, (cs, ce)) in enumerate(kept):
        start, end = cs, ce
        # Several numbers in one clause: split it at the commas between them.
        if i > 0 and kept[i - 1][1] == (cs, ce):
            prev = kept[i - 1][0]
            comma = text.find(",", prev.end, a.start)
            start = comma + 1 if comma >= 0 else prev.end
        if i + 1 < len(kept) and kept[i + 1][1] == (cs, ce):
            nxt = kept[i + 1][0]
            comma = text.rfind(",", a.end, nxt.start)
            end = comma if comma >= 0 else nxt.start
        m = _MARKER_RE.match(text, start, a.start)
        if m:
            start = m.end()
        while end > a.end and text[end - 1] in " \t\n*_":
            end -= 1
        out.append(Target(text[start:end], start, end, a.value, a.unit, a.kind))  # type: ignore[arg-type]
    return tuple(out)
