"""Planted defects: edits that put one known defect into a real document.

Each mutation is a general text edit (regular expressions over the header lines, headings,
citations, dates and the signature block), the kind of edit a person makes to plant a defect:
drop a section, break a date, renumber a heading, write a symbol in the other family's style.
A mutation returns ``None`` when the document has nothing it can edit that way (no dated
citation, no Roman-numbered sections …) or when the edit would not leave the defect unambiguous
(the dropped part is still named by another heading).

    from tests.defects import MUTATIONS
    for m in MUTATIONS:
        planted = m.apply(text)
        if planted is not None:
            ...  # check planted.text; expect planted.rule (with planted.subject) to fire

The mutations locate what they edit with their own patterns, never with vanban's extractor, so
a part the extractor misses on the original still gets mutated and the miss shows as a
detection failure.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Planted:
    """A document with one planted defect and the finding it must raise."""

    mutation: str
    rule: str
    subject: str | None  # None: any subject the original did not already have
    text: str
    edit: str  # what was changed, for reports


@dataclass(frozen=True, slots=True)
class Mutation:
    name: str
    rule: str
    fn: Callable[[str], tuple[str, str | None, str] | None]  # text -> (new text, subject, edit)
    doc: str
    plan_only: bool = False  # the rule applies to plans (Kế hoạch) only

    def apply(self, text: str) -> Planted | None:
        out = self.fn(text)
        if out is None:
            return None
        new, subject, edit = out
        if new == text:
            return None
        return Planted(self.name, self.rule, subject, new, edit)


def subject_matches(found: str | None, expected: str | None) -> bool:
    """Whether a finding's subject is the planted one (citation keys may carry "@year")."""
    if expected is None:
        return True
    if found is None:
        return False
    return found == expected or found.split("@")[0] == expected


# --------------------------------------------------------------------------- text helpers


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", s).strip().casefold()


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (end + 1 if end >= 0 else len(text))


def _drop(text: str, start: int, end: int) -> str:
    """Remove ``text[start:end]``; a line left with only blanks or markup goes too."""
    ls, _ = _line_bounds(text, start)
    _, le = _line_bounds(text, max(start, end - 1))
    rest = text[ls:start] + text[end:le]
    if not re.sub(r"[\s*_|#>]", "", rest):
        return text[:ls] + text[le:]
    return text[:start] + text[end:]


def _cut(text: str, spans: set[tuple[int, int]] | list[tuple[int, int]]) -> str:
    """Remove every span (they may overlap)."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    for a, b in reversed(merged):
        text = text[:a] + text[b:]
    return text


def _clip(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _leap(y: int) -> bool:
    return calendar.isleap(y)


def _roman(n: int) -> str:
    out = ""
    for v, sym in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + sym, n - v
    return out


def _from_roman(s: str) -> int | None:
    vals = {"I": 1, "V": 5, "X": 10}
    if not s or any(c not in vals for c in s):
        return None
    total, prev = 0, 0
    for ch in reversed(s):
        v = vals[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total if _roman(total) == s else None


# --------------------------------------------------------------------------- the header

_TYPE_NAMES = (r"KẾ\s+HOẠCH|QUYẾT\s+ĐỊNH|NGHỊ\s+QUYẾT|CHỈ\s+THỊ|HƯỚNG\s+DẪN|BÁO\s+CÁO|THÔNG\s+BÁO(?:\s+KẾT\s+LUẬN)?|"
               r"TỜ\s+TRÌNH|QUY\s+ĐỊNH|CHƯƠNG\s+TRÌNH|CÔNG\s+ĐIỆN|THÔNG\s+TƯ|LUẬT|KẾT\s+LUẬN|ĐỀ\s+ÁN|"
               r"PHƯƠNG\s+ÁN|QUY\s+CHẾ")
_TYPE_LINE = re.compile(rf"(?m)^[ \t#*_|>]*(?P<type>{_TYPE_NAMES})(?:[ \t]+[^\W\d_a-zà-ỹđ]+){{0,3}}[ \t*_]*$")
_MOTTO = re.compile(r"CỘNG[\s*_]+H[OÒ][AÀ][\s*_]+XÃ[\s*_]+HỘI[\s*_]+CHỦ[\s*_]+NGHĨA[\s*_]+VIỆT[\s*_]+NAM", re.I)
_SLOGAN = re.compile(r"Độc[\s*_]+lập[\s*_]*[-–—][\s*_]*Tự[\s*_]+do[\s*_]*[-–—][\s*_]*Hạnh[\s*_]+phúc", re.I)
_BANNER = re.compile(r"ĐẢNG[\s*_]+CỘNG[\s*_]+SẢN[\s*_]+VIỆT[\s*_]+NAM")
_NUMBER = re.compile(r"(?<![\w/])Số[ \t]*(?P<colon>:?)[ \t]*(?P<num>\d*)[ \t]*(?P<rest>[/-][ \t]*[A-Za-zĐđ0-9][\w\-/&.Đđ]*)")
_WORD = r"[^\W\d_]+\.?"
_DATE_LINE = re.compile(
    rf"(?P<place>[A-ZĐ]{_WORD}(?: {_WORD}){{0,5}})(?P<comma>[ \t]*,)?[ \t*_]*ngày(?P<rest>[\s*_]*(?P<d>\d{{1,2}})?"
    r"[\s*_]*tháng[\s*_]*(?P<m>\d{1,2})?[\s*_]*năm[\s*_]*(?P<y>(?:19|20)\d\d))")
_AUTH = re.compile(r"(?m)^(?P<lead>[ \t*_|]*)(?P<auth>(?:TM|KT|TL|TUQ|Q)[ \t]*\.|[TK][ \t]*/[ \t]*[MTL](?![\w/]))"
                   r"(?P<rest>[^\n]*)$")
_POSITION = re.compile(
    r"(?m)^[ \t*_|]*(?:(?:KT\.|TM\.|K/T|T/M)[ \t]*)?(?:PHÓ[ \t]+|Q\.[ \t]*)?(?:CHỦ[ \t]+TỊCH|BÍ[ \t]+THƯ|GIÁM[ \t]+ĐỐC|"
    r"TRƯỞNG[ \t]+BAN|TRƯỞNG[ \t]+TIỂU[ \t]+BAN|CHÁNH[ \t]+VĂN[ \t]+PHÒNG|TRƯỞNG[ \t]+PHÒNG|BỘ[ \t]+TRƯỞNG|"
    r"THỦ[ \t]+TƯỚNG|CỤC[ \t]+TRƯỞNG|VIỆN[ \t]+TRƯỞNG|TỔNG[ \t]+KIỂM[ \t]+TOÁN|TRƯỞNG[ \t]+ĐOÀN|TỔ[ \t]+TRƯỞNG|"
    r"THƯỜNG[ \t]+TRỰC)(?:[ \t]+[^\n]{0,60})?[ \t*_]*$")
_RECIPIENTS = re.compile(r"(?m)^[ \t*_|#]*Nơi[ \t]+nhận\b[^\n]*$")
_APPENDIX = re.compile(r"(?m)^[ \t*_|#]*PH[ỤU][ \t]+L[ỤU]C\b")


@dataclass(frozen=True, slots=True)
class _Title:
    type_start: int
    type_end: int  # end of the type line (incl. newline)
    summary_start: int
    summary_end: int  # end of the summary lines (incl. newline)
    type_name: str


def _title(text: str) -> _Title | None:
    m = _TYPE_LINE.search(text, 0, min(len(text), 5000))
    if m is None:
        return None
    ts, te = _line_bounds(text, m.start("type"))
    pos = te
    while pos < len(text):  # blank lines between the type name and the summary
        _, le = _line_bounds(text, pos)
        if text[pos:le].strip(" \t*_|\n"):
            break
        pos = le
    ss, end = pos, pos
    while end < len(text):
        ls, le = _line_bounds(text, end)
        line = text[ls:le].strip(" \t\n")
        if not line.strip("*_|"):
            break
        if end > ss and (re.match(r"[*_]*(?:Căn cứ|Theo đề nghị)\b", line) or (
                re.match(r"[*_]*(?:Thực hiện|Để|Nhằm|Triển khai thực hiện|Trên cơ sở)\b", line)
                and not text[ls - 2:ls].strip())):
            break
        end = le
        if re.fullmatch(r"[-_=*]{3,}", line):
            break
        if end - ss > 600:
            return None
    return _Title(ts, te, ss, end, " ".join(m["type"].split()))


def _header_end(text: str) -> int:
    t = _title(text)
    return t.summary_end if t else min(len(text), 1500)


def _header_zone_end(text: str) -> int:
    """Where the header lines (issuer, motto, number, date) end: at the type line."""
    t = _title(text)
    return t.type_start if t else min(len(text), 1500)


def _date_line(text: str) -> re.Match[str] | None:
    end = _header_zone_end(text)
    for m in _DATE_LINE.finditer(text, 0, end):
        if fold(m["place"]) in ("so", "ngay"):
            continue
        return m
    return None


def _own_date(text: str) -> tuple[int | None, int | None, int] | None:
    """(day, month, year) of the header date line; day and month may be blank (a draft)."""
    m = _date_line(text)
    if m is None:
        return None
    return (int(m["d"]) if m["d"] else None, int(m["m"]) if m["m"] else None, int(m["y"]))


def _title_year(text: str) -> int | None:
    t = _title(text)
    if t is None:
        return None
    years = set(re.findall(r"(?<![\w-])năm\s+((?:19|20)\d\d)(?!\s*[-–])", text[t.summary_start:t.summary_end], re.I))
    return int(years.pop()) if len(years) == 1 else None


def _body_end(text: str, start: int) -> int:
    """Where the body ends: the recipients block, the signature block or an appendix."""
    ends = [m.start() for rx in (_RECIPIENTS, _AUTH, _POSITION, _APPENDIX) if (m := rx.search(text, start))]
    return min(ends) if ends else len(text)


# --------------------------------------------------------------------------- sections

_ROMAN_HEAD = re.compile(r"(?m)^(?P<lead>[ \t#*_>|]*)(?P<num>[IVX]{1,4})(?P<sep>[ \t]*[.\-–)][ \t*_]*)(?P<title>\S[^\n]*)")
_ARABIC_HEAD = re.compile(r"(?m)^(?P<lead>[ \t#*_>|]*)(?P<num>\d{1,2})(?P<sep>(?:\*\*)?[ \t]*\.(?!\d)[ \t*_]*)"
                          r"(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ-ỹ])")
_HEADING_LIKE = re.compile(r"(?m)^[ \t#*_>|]*(?:[IVX]{1,4}[ \t]*[.\-–)]|\d{1,2}(?:\.\d{1,2})*\.?[ \t*_]*[.)]?|"
                           r"[a-zđ]\)|\*\*|#)[^\n]{0,160}$")

ROLE_WORDS = {
    "purpose": ("muc dich", "yeu cau", "muc tieu", "chi tieu", "quan diem"),
    "content": ("noi dung", "nhiem vu", "giai phap"),
    "implementation": ("to chuc thuc hien", "phan cong", "trach nhiem thuc hien"),
}


@dataclass(frozen=True, slots=True)
class _Head:
    start: int
    num_start: int
    num_end: int
    value: int
    title: str
    role: str | None


def _heading_title(text: str, m: re.Match[str]) -> str:
    """The heading's title; a bold heading wrapped over lines ("**II. MỤC\nĐÍCH, YÊU CẦU**") is joined."""
    title = m["title"]
    if "**" in (m["lead"] + m["sep"]) and "**" not in title:
        _, le = _line_bounds(text, m.end())
        nxt = text[le:text.find("\n", le) if text.find("\n", le) >= 0 else len(text)]
        title += " " + nxt
    return title.strip(" *_#")


def _role(title: str) -> str | None:
    t = fold(title)
    if t.startswith(("tinh hinh", "ket qua", "danh gia", "du bao")):
        return None  # a report on the past, whatever it names after
    if "to chuc thuc hien" in t:
        return "implementation"
    for role in ("purpose", "content", "implementation"):
        if any(w in t for w in ROLE_WORDS[role]):
            return role
    return None


def _top_headings(text: str) -> list[_Head]:
    """The Roman-numbered headings of the body, when they run I, II, III … without a break."""
    start = _header_end(text)
    end = _body_end(text, start)
    heads = []
    for m in _ROMAN_HEAD.finditer(text, start, end):
        v = _from_roman(m["num"])
        title = _heading_title(text, m)
        if v is None or not re.match(r"[A-ZĐÂĂÊÔƠƯ*]", title):
            continue
        heads.append(_Head(m.start(), m.start("num"), m.end("num"), v, title, _role(title)))
    if len(heads) < 2 or [h.value for h in heads] != list(range(1, len(heads) + 1)):
        return []
    return heads


def _block_end(text: str, heads: list[_Head], i: int) -> int:
    if i + 1 < len(heads):
        return heads[i + 1].start
    return _body_end(text, heads[i].start + 1)


def _role_named_elsewhere(text: str, role: str, lo: int, hi: int) -> bool:
    """Whether a heading-like line in text[lo:hi] still names the part (a sub-heading "1. Mục tiêu")."""
    for m in _HEADING_LIKE.finditer(text, lo, hi):
        line = fold(m.group(0))
        if any(w in line for w in ROLE_WORDS[role]):
            return True
    return False


def _renumber_from(text: str, heads: list[_Head], first: int, delta: int) -> str:
    for h in sorted(heads[first:], key=lambda h: -h.num_start):
        text = _splice(text, h.num_start, h.num_end, _roman(h.value + delta))
    return text


def _drop_section(role: str) -> Callable[[str], tuple[str, str | None, str] | None]:
    def fn(text: str) -> tuple[str, str | None, str] | None:
        heads = _top_headings(text)
        idx = [i for i, h in enumerate(heads) if h.role == role]
        if len(idx) != 1:
            return None
        i = idx[0]
        start, end = heads[i].start, _block_end(text, heads, i)
        new = _renumber_from(text, heads, i + 1, -1)
        new = new[:start] + new[end:]
        if _role_named_elsewhere(new, role, _header_end(new), _body_end(new, _header_end(new))):
            return None
        return new, role, f"dropped “{_clip(heads[i].title, 50)}”"
    return fn


def _swap_sections(a: str, b: str) -> Callable[[str], tuple[str, str | None, str] | None]:
    def fn(text: str) -> tuple[str, str | None, str] | None:
        heads = _top_headings(text)
        ia = [i for i, h in enumerate(heads) if h.role == a]
        ib = [i for i, h in enumerate(heads) if h.role == b]
        if len(ia) != 1 or len(ib) != 1 or ib[0] != ia[0] + 1:
            return None
        i, j = ia[0], ib[0]
        ha, hb = heads[i], heads[j]
        end_b = _block_end(text, heads, j)
        block_a, block_b = text[ha.start:hb.start], text[hb.start:end_b]
        # Keep the numbers where they were: the blocks move, the numbering stays I, II, III.
        block_b = block_b[:hb.num_start - hb.start] + _roman(ha.value) + block_b[hb.num_end - hb.start:]
        block_a = block_a[:ha.num_start - ha.start] + _roman(hb.value) + block_a[ha.num_end - ha.start:]
        if not block_a.endswith("\n"):
            block_a += "\n"
        return (text[:ha.start] + block_b + ("" if block_b.endswith("\n") else "\n") + block_a + text[end_b:],
                "order", f"swapped “{_clip(ha.title, 30)}” and “{_clip(hb.title, 30)}”")
    return fn


def _roman_renumber(kind: str) -> Callable[[str], tuple[str, str | None, str] | None]:
    def fn(text: str) -> tuple[str, str | None, str] | None:
        heads = _top_headings(text)
        if len(heads) < 3:
            return None
        h = heads[-1]
        value = h.value + 1 if kind == "gap" else h.value - 1
        new = _roman(value)
        return _splice(text, h.num_start, h.num_end, new), f"{kind}:{new}", f"heading {_roman(h.value)} → {new}"
    return fn


def _is_heading_line(text: str, m: re.Match[str]) -> bool:
    """A short line ("1. Mục đích", "**2. Yêu cầu**"), not a numbered paragraph."""
    _, le = _line_bounds(text, m.start())
    line = text[m.end():le].strip()
    return len(line) <= 150 and not line.rstrip("*_ ").endswith((".", ";", ","))


def _arabic_runs(text: str, headings: bool) -> Iterator[list[re.Match[str]]]:
    """Runs of sub-headings (or numbered paragraphs) 1., 2., 3. … inside one top-level section."""
    for run in _all_arabic_runs(text):
        if all(_is_heading_line(text, m) == headings for m in run[:3]):
            yield run


def _all_arabic_runs(text: str) -> Iterator[list[re.Match[str]]]:
    heads = _top_headings(text)
    for i in range(len(heads)):
        lo, hi = heads[i].start, _block_end(text, heads, i)
        run: list[re.Match[str]] = []
        for m in _ARABIC_HEAD.finditer(text, lo, hi):
            if int(m["num"]) == len(run) + 1:
                run.append(m)
            elif int(m["num"]) == 1 and len(run) < 3:
                run = [m]
            else:
                break
        if len(run) >= 3:
            yield run


def _arabic_renumber(kind: str, headings: bool = True) -> Callable[[str], tuple[str, str | None, str] | None]:
    def fn(text: str) -> tuple[str, str | None, str] | None:
        for run in _arabic_runs(text, headings):
            m = run[2]
            new = "2" if kind == "repeat" else "4"
            return (_splice(text, m.start("num"), m.end("num"), new), f"{kind}:{new}",
                    f"sub-heading 3 → {new} (“{_clip(text[m.start():m.start() + 60], 40)}”)")
        return None
    return fn


# --------------------------------------------------------------------------- citations

_CIT_TYPES = ("Nghị quyết", "Quyết định", "Chỉ thị", "Kế hoạch", "Kết luận", "Quy định", "Hướng dẫn", "Thông báo",
              "Công văn", "Nghị định", "Thông tư", "Chương trình", "Luật", "Báo cáo", "Đề án", "Tờ trình",
              "Thông tri", "Văn bản", "Quy chế", "Pháp lệnh")
_SYM = r"\d{1,5}(?:\.\d+)?(?:/(?:19|20)\d\d)?[/-][A-ZĐ][A-Za-zĐđ0-9&]*(?:[-/][A-ZĐ0-9][A-Za-zĐđ0-9&]*)*"
_S = r"[ \t\xa0]*\n?[ \t\xa0]*"  # blanks, at most one line break (hard-wrapped text)
_CIT = re.compile(rf"(?<!\w)(?P<type>{'|'.join(t.replace(' ', _S) for t in _CIT_TYPES)}){_S}(?:số{_S}:?{_S})?"
                  rf"(?P<sym>{_SYM})(?![\w/-])", re.I)
_DATE = (r"(?P<date>(?P<d>\d{1,2})[ \t]*/[ \t]*(?P<m>\d{1,2})[ \t]*/[ \t]*(?P<y>(?:19|20)\d\d)"
         r"|(?P<wd>\d{1,2})[ \t]+tháng[ \t]+(?P<wm>\d{1,2})[ \t]+năm[ \t]+(?P<wy>(?:19|20)\d\d))")
_DATE_AFTER = re.compile(rf"(?P<sep>[ \t]*,?{_S}[Nn]gày{_S}){_DATE}(?![\d/])")
_ISSUER_WORDS = {"nhân", "dân", "tỉnh", "huyện", "xã", "phường", "thành", "phố", "quận", "thị", "trấn", "trung",
                 "ương", "thường", "vụ", "chấp", "hành", "đảng", "bộ", "ủy", "uỷ", "trực", "chính", "phủ", "và",
                 "trị", "ban", "phòng", "toán", "nước", "nhà", "sở", "cục", "đồng", "bầu", "cử", "gia", "nông",
                 "nghiệp", "môi", "trường", "tài", "vận", "tuyên", "giáo", "kiểm", "tra", "công", "thương", "quốc",
                 "hội", "tướng", "mặt", "trận", "tổ", "việt", "nam", "tịch"}
_EXEMPT_TYPES = {"luat", "phap lenh", "van ban"}
_STATE_ISSUER = re.compile(r"(?:UBND|HĐND|CP|TTg|VPCP)")
_PARTY_ISSUER = re.compile(r"(?:[A-ZĐ]*(?:TW|TU|HU|ĐU|QU)|VPTW)")


def canonical(sym: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"[\u2010-\u2015\u2212]", "-", sym))


@dataclass(frozen=True, slots=True)
class _Cit:
    start: int
    end: int  # end of the symbol
    type: str
    sym: str
    sym_start: int
    date: re.Match[str] | None

    @property
    def ymd(self) -> tuple[int, int, int] | None:
        d = self.date
        if d is None:
            return None
        if d["d"]:
            return int(d["d"]), int(d["m"]), int(d["y"])
        return int(d["wd"]), int(d["wm"]), int(d["wy"])

    @property
    def words(self) -> bool:
        return bool(self.date and self.date["wd"])


def _own_symbol(text: str) -> str | None:
    m = _NUMBER.search(text, 0, _header_zone_end(text))
    return canonical(m["num"] + m["rest"]) if m and m["num"] else None


def _citations(text: str, *, body: bool = False) -> list[_Cit]:
    """Numbered documents cited after the header (in the summary line too, unless ``body``),
    except the document itself (an annex "kèm theo Kế hoạch số …" names its own plan)."""
    t = _title(text)
    start = (t.summary_end if body else t.summary_start) if t else _header_end(text)
    own = _own_symbol(text)
    out = []
    for m in _CIT.finditer(text, start):
        if canonical(m["sym"]) == own:
            continue
        d = _DATE_AFTER.match(text, m.end())
        out.append(_Cit(m.start(), m.end(), m["type"], m["sym"], m.start("sym"), d))
    return out


def _first_mentions(text: str) -> list[_Cit]:
    """The first mention of each document in the body (the summary line is a short form)."""
    seen: set[str] = set()
    out = []
    for c in _citations(text, body=True):
        key = canonical(c.sym)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _write_date(c: _Cit, d: int, m: int, y: int) -> str:
    return f"{d} tháng {m} năm {y}" if c.words else f"{d}/{m:02d}/{y}" if m < 3 else f"{d}/{m}/{y}"


def _issuer_after(text: str, pos: int) -> tuple[int, int] | None:
    """The span of "của <issuer>" right at ``pos`` (blanks and a comma allowed before it)."""
    m = re.compile(r"[ \t]*,?[ \t]*của[ \t]+").match(text, pos)
    if m is None:
        return None
    end, words = m.end(), 0
    for w in re.finditer(r"\([^)\n]{1,30}\)|[^\s,;.:()]+", text[m.end():m.end() + 200]):
        gap = text[end:m.end() + w.start()]
        if gap.strip() or gap.count("\n") > 1:
            break  # punctuation, or a blank line: the issuer ended
        token = w.group(0)
        if token.lower() == "về" or not (token.startswith("(") or token[:1].isupper()
                                          or token.lower() in _ISSUER_WORDS):
            break
        end, words = m.end() + w.end(), words + 1
    return (m.start(), end) if words else None


def _cit_date_invalid(kind: str) -> Callable[[str], tuple[str, str | None, str] | None]:
    def fn(text: str) -> tuple[str, str | None, str] | None:
        for c in _citations(text):
            if c.ymd is None:
                continue
            _, _, y = c.ymd
            if kind == "31/4":
                d, m = 31, 4
            else:
                d, m = (29, 2) if not _leap(y) else (30, 2)
            assert c.date is not None
            new = _write_date(c, d, m, y)
            return (_splice(text, c.date.start("date"), c.date.end("date"), new), canonical(c.sym),
                    f"{c.date['date']} → {new} in {c.type} {c.sym}")
        return None
    return fn


def _ref_year(text: str, *, title: bool) -> int | None:
    own = _own_date(text)
    if own is not None:
        return own[2]
    return _title_year(text) if title else None


def _cit_date_future(text: str) -> tuple[str, str | None, str] | None:
    ref = _ref_year(text, title=True)
    if ref is None:
        return None
    for c in _citations(text):
        if c.ymd is None or re.match(r"\d+(?:\.\d+)?/(?:19|20)\d\d/", c.sym):
            continue  # a year in the symbol would also be changed by a careful planter; keep it simple
        d, m, _ = c.ymd
        assert c.date is not None
        new = _write_date(c, min(d, 28), m, ref + 1)
        return (_splice(text, c.date.start("date"), c.date.end("date"), new), canonical(c.sym),
                f"{c.date['date']} → {new} in {c.type} {c.sym}")
    return None


def _cit_date_future_month(text: str) -> tuple[str, str | None, str] | None:
    """A cited date a month after the plan's own date (or after the month a draft names)."""
    own = _own_date(text)
    if own is None or own[1] is None:
        return None
    d, m, y = own
    d2, m2, y2 = (min(d or 1, 28), m + 1, y) if m < 12 else (min(d or 1, 28), 1, y + 1)
    for c in _citations(text):
        if c.ymd is None or re.match(r"\d+(?:\.\d+)?/(?:19|20)\d\d/", c.sym):
            continue
        assert c.date is not None
        new = _write_date(c, d2, m2, y2)
        return (_splice(text, c.date.start("date"), c.date.end("date"), new), canonical(c.sym),
                f"{c.date['date']} → {new} in {c.type} {c.sym}")
    return None


def _cit_conflict(added: bool) -> Callable[[str], tuple[str, str | None, str] | None]:
    def fn(text: str) -> tuple[str, str | None, str] | None:
        cits = _citations(text)
        for c in _first_mentions(text):
            if c.ymd is None or fold(c.type) in _EXEMPT_TYPES:
                continue
            d, m, y = c.ymd
            d2 = d + 1 if d < 28 else d - 1
            later = [o for o in cits if o.start > c.start and canonical(o.sym) == canonical(c.sym)]
            if added:
                if later:
                    continue
                # A second mention of the same document with another day, after the sentence that cites
                # it (at a line end: hard-wrapped text goes on at the next line).
                assert c.date is not None
                stop = re.compile(r"[.;:][ \t*_]*(?=\n)").search(text, c.date.end())
                at = stop.end() if stop else len(text)
                sentence = f" Thực hiện {c.type.lower()} số {c.sym} ngày {_write_date(c, d2, m, y)}."
                return (_splice(text, at, at, sentence), canonical(c.sym), f"added{sentence}")
            if not later:
                continue
            o = later[0]
            new_date = _write_date(c, d2, m, y)
            if o.date is not None:
                return (_splice(text, o.date.start("date"), o.date.end("date"), new_date), canonical(c.sym),
                        f"second mention of {c.sym}: {o.date['date']} → {new_date}")
            return (_splice(text, o.end, o.end, f" ngày {new_date}"), canonical(c.sym),
                    f"second mention of {c.sym} dated {new_date}")
        return None
    return fn


def _restyle(sym: str) -> str | None:
    """"24/KH-UBND" → "24-KH/UBND" and back; None for normative symbols or unknown families."""
    if re.match(r"\d+(?:\.\d+)?/(?:19|20)\d\d/", sym):
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)/([A-Za-zĐđ]+)-(.+)", sym)
    if m and all(_STATE_ISSUER.fullmatch(g) for g in m[3].split("-")):
        return f"{m[1]}-{m[2]}/{m[3]}"
    m = re.fullmatch(r"(\d+(?:\.\d+)?)-([A-Za-zĐđ]+)/(.+)", sym)
    if m and all(_PARTY_ISSUER.fullmatch(g) for g in m[3].split("-")):
        return f"{m[1]}/{m[2]}-{m[3]}"
    return None


def _cit_style(text: str) -> tuple[str, str | None, str] | None:
    for c in _first_mentions(text):
        new = _restyle(c.sym)
        if new is None or fold(c.type) in _EXEMPT_TYPES:
            continue
        return (_splice(text, c.sym_start, c.end, new), canonical(new), f"{c.sym} → {new}")
    return None


# type word → (its type code, the word to write instead)
_TYPE_SWAP = {
    "nghi quyet": ("NQ", "Chỉ thị"), "chi thi": ("CT", "Nghị quyết"), "quyet dinh": ("QĐ", "Chỉ thị"),
    "ke hoach": ("KH", "Quyết định"), "ket luan": ("KL", "Nghị quyết"), "nghi dinh": ("NĐ", "Quyết định"),
    "thong tu": ("TT", "Nghị định"), "huong dan": ("HD", "Kế hoạch"), "thong bao": ("TB", "Kế hoạch"),
    "chuong trinh": ("CTr", "Quyết định"), "quy dinh": ("QĐ", "Chỉ thị"), "bao cao": ("BC", "Kế hoạch"),
}


def _type_code(sym: str) -> str | None:
    m = re.fullmatch(r"\d+(?:\.\d+)?-([A-Za-zĐđ]+)/.+", sym)
    if m:
        return m[1]
    m = re.fullmatch(r"\d+(?:\.\d+)?(?:/(?:19|20)\d\d)?/([A-Za-zĐđ]+)-.+", sym)
    return m[1] if m else None


def _cit_type_word(text: str) -> tuple[str, str | None, str] | None:
    for c in _first_mentions(text):
        swap = _TYPE_SWAP.get(fold(c.type))
        code = _type_code(c.sym)
        if swap is None or code is None or not code.upper().startswith(swap[0].upper()):
            continue
        word = swap[1] if c.type[0].isupper() else swap[1].lower()
        return (_splice(text, c.start, c.start + len(c.type), word), canonical(c.sym), f"{c.type} {c.sym} → {word}")
    return None


def _cit_year_mismatch(text: str) -> tuple[str, str | None, str] | None:
    for c in _citations(text):
        m = re.match(r"(\d+(?:\.\d+)?/)((?:19|20)\d\d)(/.+)", c.sym)
        if m is None or c.ymd is None or c.ymd[2] != int(m[2]):
            continue
        new = f"{m[1]}{int(m[2]) - 1}{m[3]}"
        return (_splice(text, c.sym_start, c.end, new), canonical(new), f"{c.sym} → {new} (dated {c.ymd[2]})")
    return None


def _cit_drop_date(text: str) -> tuple[str, str | None, str] | None:
    for c in _first_mentions(text):
        if c.date is None or fold(c.type) in _EXEMPT_TYPES or _issuer_after(text, c.date.end()) is None:
            continue
        return (text[:c.end] + text[c.date.end():], canonical(c.sym), f"dropped “{_clip(c.date.group(0))}” of {c.sym}")
    return None


def _cit_drop_issuer(text: str) -> tuple[str, str | None, str] | None:
    for c in _first_mentions(text):
        if c.date is None or fold(c.type) in _EXEMPT_TYPES:
            continue
        span = _issuer_after(text, c.date.end())
        if span is None:
            continue
        return (text[:span[0]] + text[span[1]:], canonical(c.sym), f"dropped “{_clip(text[span[0]:span[1]])}” of {c.sym}")
    return None


# --------------------------------------------------------------------------- header mutations


def _hdr_drop_motto(text: str) -> tuple[str, str | None, str] | None:
    end = _header_zone_end(text)
    banner = _BANNER.search(text, 0, end)
    if banner is not None:
        return _drop(text, banner.start(), banner.end()), "motto", "dropped the Party banner"
    motto = _MOTTO.search(text, 0, end)
    if motto is None:
        return None
    slogan = _SLOGAN.search(text, motto.end(), end)
    new = text
    if slogan is not None:
        new = _drop(new, slogan.start(), slogan.end())
    new = _drop(new, motto.start(), motto.end())
    return new, "motto", "dropped the national name and motto"


def _hdr_drop_slogan(text: str) -> tuple[str, str | None, str] | None:
    end = _header_zone_end(text)
    slogan = _SLOGAN.search(text, 0, end)
    if slogan is None or _MOTTO.search(text, 0, end) is None:
        return None
    return _drop(text, slogan.start(), slogan.end()), "slogan", "dropped “Độc lập - Tự do - Hạnh phúc”"


def _upper_words(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _hdr_drop_issuer(text: str) -> tuple[str, str | None, str] | None:
    end = _header_zone_end(text)
    cuts: list[tuple[int, int]] = []
    marks = [m.span() for rx in (_MOTTO, _SLOGAN, _BANNER) for m in rx.finditer(text, 0, end)]
    pos = 0
    while pos < end:
        ls, le = _line_bounds(text, pos)
        line = text[ls:le]
        # A line may hold two columns (issuer left, motto right) separated by a run of blanks.
        for seg in re.finditer(r"[^\t\n]+?(?=[ ]{3,}|\t|\n|$)", line):
            s = seg.group(0)
            core = s.strip(" *_|#/")
            if not core or _MOTTO.search(core) or _SLOGAN.search(core) or _BANNER.search(core):
                continue
            if re.match(r"Số\b", core) or _DATE_LINE.search(core) or re.fullmatch(r"[-_=*]+", core) \
                    or re.search(r"[\d/]", core) or re.match(rf"(?:{_TYPE_NAMES})\b", core):
                continue
            if fold(core).startswith(("cong hoa", "chu nghia viet nam", "doc lap")):
                continue
            a, b = ls + seg.start(), ls + seg.end()
            if _upper_words(core) and not any(x < b and a < y for x, y in marks):
                cuts.append((a, b))
        pos = le
    if not cuts:
        return None
    removed = " / ".join(_clip(text[a:b], 30) for a, b in cuts)
    new = text
    for a, b in reversed(cuts):
        new = _drop(new, a, b)
    return new, "issuer", f"dropped {removed}"


def _hdr_drop_number(text: str) -> tuple[str, str | None, str] | None:
    m = _NUMBER.search(text, 0, _header_zone_end(text))
    if m is None:
        return None
    return _drop(text, m.start(), m.end()), "number", f"dropped “{_clip(m.group(0))}”"


def _hdr_symbol_style(text: str) -> tuple[str, str | None, str] | None:
    m = _NUMBER.search(text, 0, _header_zone_end(text))
    if m is None or not m["num"]:
        return None
    sym = m["num"] + re.sub(r"\s+", "", m["rest"])
    if re.match(r"\d+/(?:19|20)\d\d/", sym):
        return None
    s = re.fullmatch(r"(\d+)/([A-Za-zĐđ]+)-(.+)", sym)
    party_shape = s is None
    if s:
        new = f"{s[1]}-{s[2]}/{s[3]}"
    else:
        s = re.fullmatch(r"(\d+)-([A-Za-zĐđ]+)/(.+)", sym)
        if s is None:
            return None
        new = f"{s[1]}/{s[2]}-{s[3]}"
    groups = re.split(r"[-/]", s[3])
    if party_shape and any(_STATE_ISSUER.fullmatch(g) for g in groups):
        return None  # a joint plan's symbol ("72-KHPH/KDV-UBND"): either family's style is accepted
    return _splice(text, m.start("num"), m.end("rest"), new), "style", f"{sym} → {new}"


def _hdr_symbol_type(text: str) -> tuple[str, str | None, str] | None:
    t = _title(text)
    m = _NUMBER.search(text, 0, _header_zone_end(text))
    if t is None or m is None or not m["num"] or t.type_name != "KẾ HOẠCH":
        return None
    rest = m["rest"]
    new_rest = re.sub(r"(?<=[/-])KH(?=[-/])", "QĐ", rest, count=1)
    if new_rest == rest:
        return None
    return _splice(text, m.start("rest"), m.end("rest"), new_rest), "type_code", f"{rest} → {new_rest}"


def _hdr_date_invalid(kind: str) -> Callable[[str], tuple[str, str | None, str] | None]:
    def fn(text: str) -> tuple[str, str | None, str] | None:
        m = _date_line(text)
        if m is None:
            return None
        y = int(m["y"])
        new = f" 31 tháng 4 năm {y}" if kind == "31/4" else f" {29 if not _leap(y) else 30} tháng 02 năm {y}"
        return _splice(text, m.start("rest"), m.end("rest"), new), "invalid", f"date line → ngày{new}"
    return fn


def _hdr_drop_date(text: str) -> tuple[str, str | None, str] | None:
    m = _date_line(text)
    if m is None:
        return None
    return _drop(text, m.start(), m.end()), "date", f"dropped “{_clip(m.group(0))}”"


def _hdr_date_numeric(text: str) -> tuple[str, str | None, str] | None:
    m = _date_line(text)
    if m is None:
        return None
    d, mo = int(m["d"] or 5), int(m["m"] or 3)  # a draft's blank day (and month) filled in
    new = f"{m['place']} ngày {d}/{mo}/{m['y']}"
    return _splice(text, m.start(), m.end(), new), "form", f"date line → “{new}”"


def _hdr_date_no_comma(text: str) -> tuple[str, str | None, str] | None:
    m = _date_line(text)
    if m is None or not m["comma"] or not (m["d"] and m["m"]):
        return None
    return _splice(text, m.start("comma"), m.end("comma"), ""), "comma", "dropped the comma after the place"


def _hdr_date_zero(text: str) -> tuple[str, str | None, str] | None:
    m = _date_line(text)
    if m is None or not (m["d"] and m["m"]):
        return None
    day, mo = int(m["d"]), int(m["m"])
    if 3 <= mo <= 9:  # months from March are written without a zero
        new, at = f"0{mo}", "m"
    elif mo <= 2:  # … January and February with one
        new, at = str(mo), "m"
    elif day < 10:  # days below 10 with one
        new, at = str(day), "d"
    else:
        return None
    return _splice(text, m.start(at), m.end(at), new), "leading_zero", f"{m[at]} → {new} in the date line"


def _hdr_drop_title(part: str) -> Callable[[str], tuple[str, str | None, str] | None]:
    def fn(text: str) -> tuple[str, str | None, str] | None:
        t = _title(text)
        if t is None:
            return None
        if part == "type":
            return text[:t.type_start] + text[t.type_end:], "type", f"dropped the type line “{t.type_name}”"
        if t.summary_end <= t.summary_start:
            return None
        summary = text[t.summary_start:t.summary_end]
        if part == "title":
            return text[:t.summary_start] + text[t.summary_end:], "title", f"dropped the summary “{_clip(summary)}”"
        return (text[:t.type_start] + text[t.summary_end:], "type",
                f"dropped “{t.type_name}” and its summary “{_clip(summary, 40)}”")
    return fn


# --------------------------------------------------------------------------- signature, recipients


def _signature_blocks(text: str) -> list[tuple[int, int, int, int]]:
    """(start, name start, name end, end) of every signature block after the body."""
    start = _header_end(text)
    blocks = []
    pos = start
    while True:
        m = _AUTH.search(text, pos) or None
        p = _POSITION.search(text, pos)
        cands = [x for x in (m, p) if x is not None]
        if not cands:
            break
        first = min(cands, key=lambda x: x.start())
        s = first.start()
        ls, le = _line_bounds(text, s)
        # Skip an authority written inside a sentence (a heading cell, a table of tasks).
        q = le
        name = None
        while q < len(text) and q - le < 400:
            ls2, le2 = _line_bounds(text, q)
            line = text[ls2:le2].strip(" \t\n*_|")
            if not line or _AUTH.match(text, ls2) or _POSITION.match(text, ls2) or _upper_words(line) \
                    or re.fullmatch(r"[(\[]?(?:đã ký|daky|ký|ký tên|đóng dấu|kiêm)[)\]]?", line, re.I):
                q = le2
                continue
            if re.fullmatch(r"(?:[A-ZĐÂĂÊÔƠƯ][^\W\d_]*)(?: [A-ZĐÂĂÊÔƠƯ][^\W\d_]*){1,5}", line):
                name = (ls2 + text[ls2:le2].find(line), ls2 + text[ls2:le2].find(line) + len(line), le2)
            break
        if name is None:
            pos = le
            continue
        blocks.append((ls, name[0], name[1], name[2]))
        pos = name[2]
    return blocks


def _sig_drop(text: str) -> tuple[str, str | None, str] | None:
    blocks = _signature_blocks(text)
    if not blocks:
        return None
    new = text
    for s, _, _, e in reversed(blocks):
        new = new[:s] + new[e:]
    if _AUTH.search(new, _header_end(new)) or _POSITION.search(new, _header_end(new)):
        return None
    return new, "signature", f"dropped {len(blocks)} signature block(s)"


def _sig_drop_position(only: bool) -> Callable[[str], tuple[str, str | None, str] | None]:
    """Drop the signer's position line (``only``), or the authority and position lines."""
    def fn(text: str) -> tuple[str, str | None, str] | None:
        blocks = _signature_blocks(text)
        if len(blocks) != 1:
            return None
        s, ns, ne, _ = blocks[0]
        # The authority may stand apart from the position, with the recipients in between (two columns).
        lo = min(s, _body_end(text, _header_end(text)))
        found = [m for m in _POSITION.finditer(text, lo, ns) if not _AUTH.match(text, m.start())]
        if only and any("/" in m["auth"] for m in _AUTH.finditer(text, lo, ns)):
            return None  # Party style: "T/M ĐẢNG ỦY" over a member's name needs no position (HD 36, 1.7.1)
        if not only:
            found += list(_AUTH.finditer(text, lo, ns))
        if not found:
            return None
        cuts = {_line_bounds(text, m.start()) for m in found}
        if not only:
            cuts.add((s, ns))
        new = _cut(text, cuts)
        what = "position" if only else "authority and position"
        return new, None, f"dropped the {what} above “{text[ns:ne]}”"
    return fn


def _sig_authority_style(text: str) -> tuple[str, str | None, str] | None:
    swaps = {"TM.": "T/M", "KT.": "K/T", "TL.": "T/L", "T/M": "TM.", "K/T": "KT.", "T/L": "TL."}
    for m in _AUTH.finditer(text, _header_end(text)):
        auth = re.sub(r"\s+", "", m["auth"])
        new = swaps.get(auth)
        if new is None:
            continue
        if m["rest"][:1].isalpha():
            new += " "
        return _splice(text, m.start("auth"), m.end("auth"), new), None, f"{auth} → {new}"
    return None


def _recipients_block(text: str) -> tuple[int, int] | None:
    m = _RECIPIENTS.search(text, _header_end(text))
    if m is None:
        return None
    _, pos = _line_bounds(text, m.start())
    started = False
    end = pos
    while pos < len(text):
        ls, le = _line_bounds(text, pos)
        line = text[ls:le].strip(" \t\n*_")
        if not line or line == "|":
            if started:
                break
            pos = le
            continue
        if _AUTH.match(text, ls) or _POSITION.match(text, ls) or (_upper_words(line) and not line.startswith("-")):
            break
        started = True
        end = pos = le
    return (m.start(), end) if started else None


def _rcp_drop(text: str) -> tuple[str, str | None, str] | None:
    span = _recipients_block(text)
    if span is None:
        return None
    ls, _ = _line_bounds(text, span[0])
    return text[:ls] + text[span[1]:], "recipients", "dropped the “Nơi nhận” block"


def _rcp_drop_archive(text: str) -> tuple[str, str | None, str] | None:
    span = _recipients_block(text)
    if span is None:
        return None
    m = re.compile(r"(?m)^[ \t*_|+\-–•]*Lưu\b[^\n]*\n?").search(text, span[0], span[1])
    if m is None:
        return None
    return text[:m.start()] + text[m.end():], "archive", f"dropped “{_clip(m.group(0))}”"


# --------------------------------------------------------------------------- deadlines, targets, assignments

_DEADLINE = re.compile(
    r"(?<!\w)(?P<trig>(?:hoàn[ \t]+thành[ \t]+)?(?:trước|chậm[ \t]+nhất(?:[ \t]+là)?(?:[ \t]+(?:vào|đến|trong))?|"
    r"đến[ \t]+hết|đến|hạn[ \t]+chót(?:[ \t]+là)?)(?:[ \t]+ngày)?)[ \t]+" + _DATE + r"(?![\d/])",
    re.IGNORECASE)
_PAST_WORDS = re.compile(r"(?<!\w)(?:đã|đang|vừa|tính|kể|hiệu[ \t]+lực|từ)(?!\w)", re.IGNORECASE)


_NOT_DUTY = re.compile(r"(?<!\w)(?:đã|đang|vừa|lũy[ \t]+kế|thống[ \t]+kê|số[ \t]+liệu)(?!\w)|[ \t](?:là|đạt)[ \t]+\d",
                       re.IGNORECASE)


def _deadlines(text: str) -> Iterator[re.Match[str]]:
    """Dated deadlines the plan sets ("báo cáo trước ngày 15/12/2025"), not narrated events."""
    start = _header_end(text)
    for m in _DEADLINE.finditer(text, start, _body_end(text, start)):
        lo = max(text.rfind(c, 0, m.start()) for c in ".;:(\n")
        if text[lo:lo + 1] == "\n" and text[lo - 1:lo].strip(" \t*_") not in (".", ";", ":", ""):
            lo = max(text.rfind(c, 0, lo) for c in ".;:(")  # a hard-wrapped line: the sentence goes on
        hi = min([i for i in (text.find(c, m.end()) for c in ".;\n") if i >= 0] or [len(text)])
        if _PAST_WORDS.search(text, lo + 1, m.start()) or _NOT_DUTY.search(text, lo + 1, hi):
            continue  # a past event, a statistic "tính đến", a range "từ … đến …"
        if re.search(r"\d{1,2}[ \t]*/[ \t]*\d{1,2}|tháng[ \t]+\d", text[max(lo + 1, m.start() - 30):m.start()]):
            continue  # the second end of a range ("trong ngày 02/02/2026 đến ngày 03/02/2026")
        if re.search(r"(?<!\w)số[ \t]*:?[ \t]*\d+[/-]\S*[ \t,]*$", text[max(0, m.start() - 40):m.start()]):
            continue  # "Kế hoạch số 12/KH-UBND đến ngày …"? no: a citation's date
        yield m


def _dl_past(text: str) -> tuple[str, str | None, str] | None:
    own = _own_date(text)
    if own is None:
        return None
    y = own[2] - 1
    for m in _deadlines(text):
        d, mo = (int(m["d"]), int(m["m"])) if m["d"] else (int(m["wd"]), int(m["wm"]))
        if calendar.monthrange(y, mo)[1] < d or not 1 <= mo <= 12:
            continue
        new = f"{d}/{mo}/{y}" if m["d"] else f"{d} tháng {mo} năm {y}"
        return (_splice(text, m.start("date"), m.end("date"), new), f"{y:04d}-{mo:02d}-{d:02d}",
                f"“{_clip(m.group(0))}” → {new}")
    return None


def _month_before(d: int | None, m: int | None, y: int) -> tuple[int, int, int]:
    """A day about a month before the document's date (its first day when only the month is known)."""
    m = m or 1
    d = 15 if d is None else min(d, 28)
    return (d, m - 1, y) if m > 1 else (d, 12, y - 1)


def _dl_past_added(text: str) -> tuple[str, str | None, str] | None:
    """A reporting deadline a month before the plan's date, added to the implementation part."""
    own = _own_date(text)
    heads = _top_headings(text)
    impl = [h for h in heads if h.role == "implementation"]
    if own is None or not impl:
        return None
    d, m, y = _month_before(*own)
    _, at = _line_bounds(text, impl[0].start)
    if "**" in text[impl[0].start:at] and text[impl[0].start:at].count("**") == 1:
        _, at = _line_bounds(text, at)
    sentence = f"Các cơ quan, đơn vị báo cáo kết quả thực hiện trước ngày {d}/{m}/{y}.\n"
    return _splice(text, at, at, sentence), f"{y:04d}-{m:02d}-{d:02d}", f"added “{sentence.strip()}”"


def _dl_invalid(kind: str) -> Callable[[str], tuple[str, str | None, str] | None]:
    def fn(text: str) -> tuple[str, str | None, str] | None:
        for m in _deadlines(text):
            y = int(m["y"] or m["wy"])
            d, mo = (31, 4) if kind == "31/4" else ((29, 2) if not _leap(y) else (30, 2))
            new = f"{d}/{mo:02d}/{y}" if m["d"] else f"{d} tháng {mo:02d} năm {y}"
            return _splice(text, m.start("date"), m.end("date"), new), None, f"“{_clip(m.group(0))}” → {new}"
        return None
    return fn


_W = r"\s+"  # hard-wrapped text breaks lines anywhere
_WHEN = (r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2})?(?:\s*phút)?[\s,]*(?:ngày\s+)?)?"  # a time of day
         r"(?:\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?"
         rf"|\d{{1,2}}{_W}tháng{_W}\d{{1,2}}(?:{_W}năm{_W}\d{{4}})?"
         rf"|tháng{_W}\d{{1,2}}(?:\s*/\s*\d{{4}}|{_W}năm{_W}\d{{4}})?"
         rf"|quý{_W}(?:IV|I{{1,3}}|[1-4])(?:\s*/\s*\d{{4}}|{_W}năm{_W}\d{{4}})?"
         rf"|0?[369]{_W}tháng{_W}(?:đầu|cuối){_W}năm(?:{_W}\d{{4}})?"
         rf"|năm{_W}\d{{4}})")
_TRIGGER = (r"(?:hoàn\s+thành\s+)?(?:trước|chậm\s+nhất(?:\s+là)?(?:\s+(?:vào|đến|trong))?|đến\s+hết|"
            r"tới\s+hết|đến|tới|trong|vào|từ|dự\s+kiến(?:\s+(?:vào|trong))?|hạn\s+chót(?:\s+là)?|"
            r"thời\s+hạn|kể\s+từ)")
# A time expression with the word that binds it, and the second end of a range: every date the plan
# sets, whatever the sentence around it.
_TIME_RE = re.compile(
    rf"(?:[ \t]*,)?[ \t]*(?:{_TRIGGER}(?:\s+(?:ngày|hết\s+ngày|hết))?\s+)?(?:ngày\s+)?{_WHEN}"
    rf"(?:\s*(?:đến|tới|-|–)(?:\s+hết)?(?:\s+ngày)?\s*{_WHEN})?"
    r"|(?:[ \t]*,)?[ \t]*(?:định\s+kỳ\s+)?(?:hằng|hàng|mỗi)\s+(?:ngày|tuần|tháng|quý|năm)"
    r"(?:\s*(?:,|và|hoặc)\s*(?:(?:hằng|hàng)\s+)?(?:tuần|tháng|quý|năm|0?[369]\s+tháng))*"
    r"|(?:[ \t]*,)?[ \t]*định\s+kỳ(?:\s+(?:theo\s+)?(?:(?:hằng|hàng)\s+)?(?:tuần|tháng|quý|năm|0?[369]\s+tháng))*",
    re.IGNORECASE)
# A table's "Thời gian hoàn thành" column: cells that give only a year.
_YEAR_CELL = re.compile(r"(?m)(?:^|(?<=\|))[ \t*_]*(?:[Nn]ăm[ \t]+)?(?:19|20)\d\d[ \t*_]*(?=$|\|)")
_TIME_LABEL = re.compile(r"(?m)^[^\n]{0,20}(?:thời[ \t]+gian|thời[ \t]+điểm|tiến[ \t]+độ)[^:\n]{0,60}:[^\n]*\n?", re.I)
_SYM_DATE = re.compile(rf"(?<![\w/]){_SYM}(?:{_DATE_AFTER.pattern})")
_TITLE_PERIOD = re.compile(r"[ \t]*(?:,[ \t]*)?(?:trong[ \t]+)?(?:năm|giai[ \t]+đoạn|quý|tháng|nhiệm[ \t]+kỳ)[ \t]+"
                           r"(?:[IVX]+[ \t]*/?[ \t]*)?\d{4}(?:[ \t]*[-–][ \t]*\d{4})?", re.IGNORECASE)


def _dl_remove_all(text: str) -> tuple[str, str | None, str] | None:
    start = _header_end(text)
    t = _title(text)
    head = text[:start]
    if t is not None:
        head = head[:t.summary_start] + _TITLE_PERIOD.sub("", head[t.summary_start:t.summary_end]) + head[t.summary_end:]
    body = text[start:]
    n = 0

    def outside_citations(rx: re.Pattern[str], body: str) -> str:
        nonlocal n
        # Dates of cited documents are not time frames: "Kế hoạch số 12/KH-UBND ngày …", "Luật … số
        # 85/2015/QH13, ngày 25/6/2015".
        cited = [(m.start(), d.end() if (d := _DATE_AFTER.match(body, m.end())) else m.end())
                 for m in _CIT.finditer(body)]
        cited += [m.span() for m in _SYM_DATE.finditer(body)]

        def drop(m: re.Match[str]) -> str:
            nonlocal n
            if any(a < m.end() and m.start() < b for a, b in cited):
                return m.group(0)
            n += 1
            return ""
        return rx.sub(drop, body)

    body = outside_citations(_TIME_LABEL, body)
    body = outside_citations(_TIME_RE, body)
    body = outside_citations(_YEAR_CELL, body)
    new = head + body
    if n == 0 and new == text:
        return None
    return new, "deadline", f"removed {n} time phrase(s) and the summary line's period"


_TARGET_CUES = re.compile(
    r"\d\s*%|(?<!\w)(?:ít[ \t]+nhất|tối[ \t]+thiểu|không[ \t]+ít[ \t]+hơn|không[ \t]+dưới|phấn[ \t]+đấu|xếp[ \t]+hạng|"
    r"thứ[ \t]+hạng|đứng[ \t]+thứ|top|trở[ \t]+lên|chỉ[ \t]+tiêu)(?!\w)[^.;\n]*\d|\d[ \t]*sao(?!\w)|mức[ \t]+độ[ \t]+\d|"
    r"(?<!\w)mỗi\s[^.;\d]{1,40}\d|(?<!\w)nhóm\s+\d",
    re.IGNORECASE)


def _tgt_remove_all(text: str) -> tuple[str, str | None, str] | None:
    start = _header_end(text)
    body = text[start:]
    n = 0

    def clause(m: re.Match[str]) -> str:
        nonlocal n
        if _TARGET_CUES.search(m.group(0)):
            n += 1
            return ""
        return m.group(0)

    # A clause runs to ";", "." followed by a blank, or the end of the line.
    body = re.sub(r"[^;\n]*?(?:;|\.(?=\s)|(?=\n)|$)", clause, body)
    if n == 0:
        return None
    return text[:start] + body, "target", f"removed {n} clause(s) with a measurable target"


def _asg_strip(text: str) -> tuple[str, str | None, str] | None:
    heads = _top_headings(text)
    idx = [i for i, h in enumerate(heads) if h.role == "implementation"]
    if len(idx) != 1:
        return None
    i = idx[0]
    if any(re.search(r"phan cong|trach nhiem", fold(h.title)) for h in heads if h is not heads[i]):
        return None  # another part ("III. PHÂN CÔNG NHIỆM VỤ") still assigns the work
    _, body_start = _line_bounds(text, heads[i].start)
    if "**" in text[heads[i].start:body_start] and text[heads[i].start:body_start].count("**") == 1:
        _, body_start = _line_bounds(text, body_start)  # a bold heading wrapped over two lines
    end = _block_end(text, heads, i)
    filler = "Kế hoạch này được triển khai thực hiện nghiêm túc, hiệu quả.\n\n"
    return text[:body_start] + filler + text[end:], "implementation", "replaced the implementation section's body"


# --------------------------------------------------------------------------- text encoding


@cache
def _legacy_table(encoding: str) -> dict[str, str]:
    from viparse.normalize.encodings import CHARMAPS

    return {dst: src for src, dst in CHARMAPS[encoding].pairs}


def _encode_legacy(encoding: str) -> Callable[[str], tuple[str, str | None, str] | None]:
    def fn(text: str) -> tuple[str, str | None, str] | None:
        table = _legacy_table(encoding)
        out = []
        for ch in text:
            if ch in table:
                out.append(table[ch])
            elif ch.lower() in table:
                out.append(table[ch.lower()])  # TCVN3 capitals come from an uppercase font
            else:
                out.append(ch)
        return "".join(out), encoding, f"text re-encoded as {encoding}"
    return fn


def _encode_paragraph(encoding: str) -> Callable[[str], tuple[str, str | None, str] | None]:
    """One long paragraph of the body pasted from a legacy-font file."""
    def fn(text: str) -> tuple[str, str | None, str] | None:
        start = _header_end(text)
        paras = [m for m in re.finditer(r"(?m)^[^\n]{200,}$", text[start:]) if re.search(r"[^\x00-\x7f]", m.group(0))]
        if not paras:
            return None
        m = paras[0]
        a, b = start + m.start(), start + m.end()
        new, _, _ = _encode_legacy(encoding)(text[a:b]) or (text[a:b], None, "")
        return text[:a] + new + text[b:], encoding, f"one paragraph re-encoded as {encoding}"
    return fn


# --------------------------------------------------------------------------- the catalogue

MUTATIONS: tuple[Mutation, ...] = (
    Mutation("sec_drop_purpose", "SEC-PURPOSE", _drop_section("purpose"), "drop the purpose section", True),
    Mutation("sec_drop_content", "SEC-CONTENT", _drop_section("content"), "drop the content section", True),
    Mutation("sec_drop_implementation", "SEC-IMPLEMENTATION", _drop_section("implementation"),
             "drop the implementation section", True),
    Mutation("sec_swap_purpose_content", "SEC-ORDER", _swap_sections("purpose", "content"),
             "swap the purpose and content sections", True),
    Mutation("sec_swap_content_implementation", "SEC-ORDER", _swap_sections("content", "implementation"),
             "swap the content and implementation sections", True),
    Mutation("sec_roman_gap", "SEC-NUMBERING", _roman_renumber("gap"), "I, II, III → I, II, IV"),
    Mutation("sec_roman_repeat", "SEC-NUMBERING", _roman_renumber("repeat"), "I, II, III → I, II, II"),
    Mutation("sec_arabic_repeat", "SEC-NUMBERING", _arabic_renumber("repeat"), "1, 2, 3 → 1, 2, 2"),
    Mutation("sec_arabic_gap", "SEC-NUMBERING", _arabic_renumber("gap"), "1, 2, 3 → 1, 2, 4"),
    Mutation("sec_para_repeat", "SEC-NUMBERING", _arabic_renumber("repeat", False),
             "numbered paragraphs 1, 2, 3 → 1, 2, 2"),
    Mutation("sec_para_gap", "SEC-NUMBERING", _arabic_renumber("gap", False), "numbered paragraphs 1, 2, 3 → 1, 2, 4"),
    Mutation("cit_date_31_4", "CIT-DATE-INVALID", _cit_date_invalid("31/4"), "a cited date → 31/4"),
    Mutation("cit_date_29_2", "CIT-DATE-INVALID", _cit_date_invalid("29/2"), "a cited date → 29/02 of a common year"),
    Mutation("cit_date_future", "CIT-DATE-FUTURE", _cit_date_future, "a cited date → the year after the plan"),
    Mutation("cit_date_future_month", "CIT-DATE-FUTURE", _cit_date_future_month,
             "a cited date → a month after the plan"),
    Mutation("cit_conflict_later", "CIT-CONFLICT", _cit_conflict(False), "a later mention with another date"),
    Mutation("cit_conflict_added", "CIT-CONFLICT", _cit_conflict(True), "a second mention added with another date"),
    Mutation("cit_symbol_style", "CIT-SYMBOL-FORMAT", _cit_style, "a cited symbol in the other family's style"),
    Mutation("cit_type_word", "CIT-SYMBOL-FORMAT", _cit_type_word, "a cited type word that disagrees with its code"),
    Mutation("cit_year_mismatch", "CIT-YEAR-MISMATCH", _cit_year_mismatch, "the year in a normative symbol − 1"),
    Mutation("cit_drop_date", "CIT-INCOMPLETE", _cit_drop_date, "drop the date of a first mention"),
    Mutation("cit_drop_issuer", "CIT-INCOMPLETE", _cit_drop_issuer, "drop the issuer of a first mention"),
    Mutation("hdr_drop_motto", "HDR-MOTTO", _hdr_drop_motto, "drop the national name and motto / the Party banner"),
    Mutation("hdr_drop_slogan", "HDR-MOTTO", _hdr_drop_slogan, "drop “Độc lập - Tự do - Hạnh phúc”"),
    Mutation("hdr_drop_issuer", "HDR-ISSUER", _hdr_drop_issuer, "drop the issuing-body lines"),
    Mutation("hdr_drop_number", "HDR-NUMBER", _hdr_drop_number, "drop the “Số” line"),
    Mutation("hdr_symbol_style", "HDR-SYMBOL-FORMAT", _hdr_symbol_style, "own symbol in the other family's style"),
    Mutation("hdr_symbol_type", "HDR-SYMBOL-FORMAT", _hdr_symbol_type, "own symbol with a QĐ code on a plan"),
    Mutation("hdr_date_31_4", "HDR-DATE", _hdr_date_invalid("31/4"), "date line → 31 tháng 4"),
    Mutation("hdr_date_29_2", "HDR-DATE", _hdr_date_invalid("29/2"), "date line → 29 tháng 02 of a common year"),
    Mutation("hdr_drop_date", "HDR-DATE", _hdr_drop_date, "drop the place-and-date line"),
    Mutation("hdr_date_numeric", "HDR-DATE-FORMAT", _hdr_date_numeric, "date line → “Place ngày 5/3/2024”"),
    Mutation("hdr_date_no_comma", "HDR-DATE-FORMAT", _hdr_date_no_comma, "no comma after the place"),
    Mutation("hdr_date_zero", "HDR-DATE-FORMAT", _hdr_date_zero, "wrong leading zero on the month"),
    Mutation("hdr_drop_type", "HDR-TITLE", _hdr_drop_title("type"), "drop the type line"),
    Mutation("hdr_drop_summary", "HDR-TITLE", _hdr_drop_title("title"), "drop the summary line"),
    Mutation("hdr_drop_title", "HDR-TITLE", _hdr_drop_title("both"), "drop the type line and the summary"),
    Mutation("sig_drop", "SIG-MISSING", _sig_drop, "drop the signature block"),
    Mutation("sig_drop_position", "SIG-POSITION", _sig_drop_position(False), "drop the authority and position lines"),
    Mutation("sig_drop_position_only", "SIG-POSITION", _sig_drop_position(True), "drop the signer's position line"),
    Mutation("sig_authority_style", "SIG-AUTHORITY-FORMAT", _sig_authority_style, "TM. ↔ T/M"),
    Mutation("rcp_drop", "RCP-MISSING", _rcp_drop, "drop the “Nơi nhận” block"),
    Mutation("rcp_drop_archive", "RCP-ARCHIVE", _rcp_drop_archive, "drop the “Lưu” line"),
    Mutation("dl_past", "DL-PAST", _dl_past, "a deadline → the year before the plan", True),
    Mutation("dl_past_added", "DL-PAST", _dl_past_added, "a reporting deadline a month before the plan", True),
    Mutation("dl_invalid_31_4", "DL-INVALID", _dl_invalid("31/4"), "a deadline → 31/4"),
    Mutation("dl_invalid_29_2", "DL-INVALID", _dl_invalid("29/2"), "a deadline → 29/02 of a common year"),
    Mutation("dl_remove_all", "DL-MISSING", _dl_remove_all, "remove every deadline and time phrase", True),
    Mutation("tgt_remove_all", "TGT-MISSING", _tgt_remove_all, "remove every measurable target", True),
    Mutation("asg_strip", "ASG-MISSING", _asg_strip, "strip the units from the implementation section", True),
    Mutation("txt_tcvn3", "TXT-ENCODING", _encode_legacy("tcvn3"), "re-encode the text as TCVN3"),
    Mutation("txt_vni", "TXT-ENCODING", _encode_legacy("vni"), "re-encode the text as VNI"),
    Mutation("txt_tcvn3_paragraph", "TXT-ENCODING", _encode_paragraph("tcvn3"), "one paragraph in TCVN3"),
)

BY_NAME = {m.name: m for m in MUTATIONS}
