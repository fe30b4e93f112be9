"""The header of a document: family, issuer, number and symbol, place and date, type and title.

A header is laid out in two columns (NĐ 30/2020 Phụ lục I; HD 36-HD/VPTW): the issuing body and
"Số: …" on the left, the national motto or the Party banner and "<place>, ngày … tháng … năm …" on
the right, then the type name ("KẾ HOẠCH") and the summary (trích yếu) centred below. Readers give
us that block as separate lines (.docx cells), interleaved lines (PDF), lines with both columns
side by side, Markdown table fragments, or not at all. We locate each part by its own shape
instead of by position: the motto, the banner, the slogan, the number, the date and the type line
are unmistakable; the issuer is what remains of the upper-case lines around them.

Where the header lacks the issuer, it is inferred from the body ("Đảng ủy xã Liên Sơn xây dựng kế
hoạch…", "Trên đây là kế hoạch … của UBND xã Ba Nam") and named in ``Header.inferred``. A wrong
value is worse than none, so inference only accepts a phrase that starts with the name of an
organisation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from vanban.extractor import layout as lay
from vanban.extractor.dates import to_date
from vanban.extractor.model import Header, IngestedDocument, Signer, Span
from vanban.extractor.normalize import ascii_dashes
from vanban.extractor.signature import Recipients, find_recipients, find_signers

_SEG = r"(?:^|(?<=[ \t]{2})|(?<=\t))[ \t]*"
_NL = r"[ \t]*(?:\n[ \t]*){0,2}"
_MOTTO = re.compile(
    _SEG + r"(?P<m>C[ỘO]NG\s+H(?:ÒA|OÀ|ÕA|OA|ÒA)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM)",
    re.M,
)
_BANNER = re.compile(_SEG + r"(?P<m>Đ[ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM)(?=[ \t]*(?:$|[ \t]{2}|\t))", re.M)
_MK = r"[\s*_|]+"
_RAW_MARK = re.compile(
    rf"C[ỘO]NG{_MK}H(?:ÒA|OÀ|ÕA|OA){_MK}X[ÃA]{_MK}H[ỘO]I{_MK}CH[ỦU]{_MK}NGH[ĨI]A{_MK}VI[ỆE]T{_MK}NAM"
    rf"|Đ[ẢA]NG{_MK}C[ỘO]NG{_MK}S[ẢA]N{_MK}VI[ỆE]T{_MK}NAM"
)
_SLOGAN = re.compile(
    r"Đ[ộo]\w?c\s*l[ậa]p\s*[-–—]\s*t[ựu]\s*do\s*[-–—]\s*h[ạa]nh\s*ph[úu]c", re.I
)
_SYM_PART = r"(?:[^\W_]|[&.])+"
_NUMBER = re.compile(
    _SEG
    # A line that begins "số 32/2024/NĐ-CP" is a sentence wrapped there, not the number line.
    + r"(?P<label>(?:(?:Luật|LUẬT|Pháp lệnh|Bộ luật|Lệnh)\s+)?(?:S[ốỐ](?=[\s:.\d/…_\-])|s[ốỐ](?=[ \t]*:))[ \t]*:?)"
    + _NL
    + r"(?P<num>\d{1,6}|[.…_]+)?"
    + _NL
    + rf"(?P<tail>[/\-–—][ \t]?{_SYM_PART}(?:[ \t]?[/\-–—][ \t]?{_SYM_PART})*)?",
    re.M,
)
_DATE = re.compile(
    _SEG
    # The place stops at a column gap (2+ spaces or a tab): "Số: 12/KH-UBND<gap>Bình Minh, ngày …".
    + r"(?P<place>[^\W\d_](?:[^\n,\t ]|[ ](?=[^ \t\n])){0,60}?)[ \t]*,"
    + _NL
    + r"[Nn]gày[ \t.…]*(?:\n[ \t.…]*){0,2}(?P<d>\d{1,2})?[ \t.…/]*(?:\n[ \t.…]*){0,2}"
    + r"[Tt]háng[ \t.…]*(?:\n[ \t.…]*){0,2}(?P<m>\d{1,2})?(?:[ \t]+(?P<m2>\d)(?=[ \t]*[Nn]ăm))?[ \t.…/]*(?:\n[ \t.…]*){0,2}"
    + r"[Nn]ăm[ \t.…]*(?:\n[ \t.…]*){0,2}(?P<y>\d{4})?",
    re.M,
)
# A place-and-date line written another way: no comma after the place, or the date in figures
# ("Hà Nội ngày 5/3/2024"). Read only when no regular line is found, and only as a line of its
# own whose place is a name, so that a summary line with a date is not taken for it.
_DATE_LOOSE = re.compile(
    _SEG
    + r"(?P<place>[^\W\d_][^\W\d_.]*(?:[ \t]+[^\W\d_][^\W\d_.]*){0,5})(?P<comma>[ \t]*,)?[ \t]*"
    + r"[Nn]gày[ \t]*(?:(?P<nd>\d{1,2})[ \t]*[/.\-][ \t]*(?P<nm>\d{1,2})[ \t]*[/.\-][ \t]*(?P<ny>\d{4})"
    + r"|(?P<d>\d{1,2})[ \t]+[Tt]háng[ \t]+(?P<m>\d{1,2})[ \t]+[Nn]ăm[ \t]+(?P<y>\d{4}))"
    + r"(?=[ \t*_]*(?:$|[ \t]{2}|\t))",
    re.M,
)
_TOP_PART = re.compile(r"(?m)^[ \t*_|/]*(?:S[ốỐ][ \t]*:|[^\n]{0,60}?[Nn]gày[ \t.…]*\d{0,2}[ \t.…]*[Tt]háng"
                       r"[ \t.…]*\d{0,2}[ \t.…]*[Nn]ăm[ \t.…]*\d{4})")
_PLACE_LOWER = frozenset(["phố", "xã", "huyện", "tỉnh", "thị", "trấn", "quận", "phường"])
_VV = re.compile(r"V/[vV]\s*:?\s*")  # used with .match: anchored where it is asked to start
_RULE = re.compile(r"^[-–—_=*.~·•\s]{3,}$|^\*$")


@dataclass(slots=True)
class _CSeg:
    """A segment of the clean view (offsets in clean coordinates)."""

    start: int
    end: int
    text: str
    line: int


@dataclass
class _View:
    view: lay.CleanView
    lines: list[list[_CSeg]]
    line_starts: list[int]
    consumed: list[tuple[int, int]] = field(default_factory=list)
    org_words: set[str] = field(default_factory=set)  # folded words of the header's upper-case lines

    def line_of(self, pos: int) -> int:
        from bisect import bisect_right

        return max(0, bisect_right(self.line_starts, pos) - 1)

    def taken(self, seg: _CSeg) -> bool:
        return any(a < seg.end and seg.start < b for a, b in self.consumed)

    def span(self, start: int, end: int, text: str) -> Span:
        rs, re_ = self.view.raw(start), self.view.raw_end(end)
        return Span(text[rs:re_], rs, re_)


def _clean_lines(s: str) -> tuple[list[list[_CSeg]], list[int]]:
    lines: list[list[_CSeg]] = []
    starts: list[int] = []
    pos = 0
    for i, raw in enumerate(s.split("\n")):
        starts.append(pos)
        segs: list[_CSeg] = []
        a = 0
        for m in re.finditer(r"[ \t\u00a0]{2,}|\t+|$", raw):
            piece = raw[a : m.start()]
            stripped = piece.strip(" \t\u00a0>").lstrip("/\\")
            if stripped:
                off = piece.index(stripped[0])
                st = pos + a + off
                segs.append(_CSeg(st, st + len(stripped), " ".join(stripped.split()), i))
            a = m.end()
            if m.start() == len(raw):
                break
        lines.append(segs)
        pos += len(raw) + 1
    return lines, starts


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class _Vocab:
    heads: re.Pattern[str]  # any organisation head, at the start of folded text
    head_family: dict[str, str]
    head_any: re.Pattern[str]  # any organisation head, anywhere
    admin: re.Pattern[str]
    admin_start: re.Pattern[str]
    openers: re.Pattern[str]
    marks: frozenset[str]
    types: tuple[tuple[str, str], ...]  # (folded word, type name), longest first
    type_codes: dict[tuple[str, str], tuple[str, str]]  # (family, CODE) -> (code, type name)
    type_words: dict[str, tuple[str, ...]]  # type name -> folded words
    own_code: dict[tuple[str, str], str | None]  # (type name, family) -> code
    issuer_family: dict[str, str]


@cache
def _vocab() -> _Vocab:
    from vanban.extractor.citations import grammar

    data = lay.load_yaml("header.yaml")
    heads = data["org_heads_folded"]
    head_family = {h: fam for fam in ("party", "state", "other") for h in heads[fam]}
    all_heads = list(head_family)
    g = grammar()
    types: list[tuple[str, str]] = []
    type_words: dict[str, tuple[str, ...]] = {}
    own: dict[tuple[str, str], str | None] = {}
    for t in g.types:
        if t.generic:
            continue
        words = tuple(lay.fold_key(w) for w in t.words)
        type_words[t.name] = words
        types += [(w, t.name) for w in words]
        for fam in ("party", "state"):
            fam_codes = t.codes.get(fam)
            own[(t.name, fam)] = fam_codes[0] if fam_codes else None
    codes = {k: (code, dt.name) for k, (code, dt) in g.type_codes.items()}
    return _Vocab(
        heads=lay.phrase_regex(all_heads, at_start=True),
        head_family=head_family,
        head_any=lay.phrase_regex(all_heads),
        admin=lay.phrase_regex(data["admin_levels_folded"]),
        admin_start=lay.phrase_regex(data["admin_levels_folded"], at_start=True),
        openers=lay.phrase_regex(data["body_openers_folded"], at_start=True),
        marks=frozenset(data["header_marks_folded"]),
        types=tuple(sorted(types, key=lambda x: len(x[0]), reverse=True)),
        type_codes=codes,
        type_words=type_words,
        own_code=own,
        issuer_family={code: iss.family for code, iss in g.issuer_codes.items()},
    )


def org_head(text: str) -> tuple[str, str] | None:
    """The organisation head that ``text`` starts with and its family ("party", "state", "other")."""
    v = _vocab()
    key = lay.fold_key(text)
    m = v.heads.match(key)
    if not m:
        return None
    head = " ".join(m.group(0).split())
    return head, v.head_family.get(head, "other")


def org_family(text: str | None) -> str | None:
    """"party", "state", "joint" or None for an organisation name ("Khối dân vận Đảng ủy và UBND
    phường" is joint: its parts belong to both families)."""
    if not text:
        return None
    fams = set()
    for part in re.split(r"\s+(?:và|VÀ)\s+|\s+[-–]\s+", text):
        head = org_head(part)
        if head and head[1] in ("party", "state"):
            fams.add(head[1])
    if len(fams) == 2:
        return "joint"
    return fams.pop() if fams else None


# --------------------------------------------------------------------------- parts


@dataclass(slots=True)
class _Number:
    span: Span
    number: str | None
    symbol: str | None
    tail: str | None  # "/KH-UBND", "-KH/BDVHU", even when the number is blank
    cstart: int
    cend: int


@dataclass(slots=True)
class _Date:
    span: Span
    place: str | None
    iso: str | None
    valid: bool
    cstart: int
    cend: int


def _normalize_symbol(text: str) -> str:
    return ascii_dashes(re.sub(r"\s+", "", text)).rstrip(".")


def _find_number(v: _View, text: str, lo: int, hi: int) -> _Number | None:
    s = v.view.s
    for m in _NUMBER.finditer(s, lo, hi):
        num, tail = m.group("num"), m.group("tail")
        if num is None and tail is None:
            nl = s.find("\n", m.end("label"))
            if s[m.end("label") : nl if nl != -1 else len(s)].strip():
                continue
        if tail is not None and not re.search(r"[A-Za-zĐđ]", tail):
            continue
        end = m.end("tail") if tail else (m.end("num") if num else m.end("label"))
        start = m.start("label")
        digits = num if num and num.isdigit() else None
        symbol = _normalize_symbol(digits + tail) if digits and tail else None
        return _Number(
            v.span(start, end, text),
            digits,
            symbol,
            _normalize_symbol(tail) if tail else None,
            start,
            end,
        )
    return None


def _find_date(v: _View, text: str, lo: int, hi: int) -> _Date | None:
    s = v.view.s
    for m in _DATE.finditer(s, lo, hi):
        place = " ".join(m.group("place").split())
        words = place.split()
        if not words or len(words) > 6 or not words[0][0].isupper() or re.search(r"\d", place):
            continue
        if lay.fold_key(place).startswith(("can cu", "thuc hien", "trong", "theo")):
            continue
        if m.group("y") is None and m.group("m") is None and m.group("d") is None:
            continue
        start = m.start("place")
        # "Thành phố Hồ Chí\nMinh, ngày …": the place began on the line above.
        li = v.line_of(start)
        if li > 0 and not s[v.line_starts[li] : start].strip():
            prev = v.lines[li - 1]
            if (
                len(prev) == 1
                and not lay.is_caps(prev[0].text)
                and len(prev[0].text) <= 40
                and prev[0].text[:1].isupper()
                and not prev[0].text.rstrip().endswith((".", ":", ";", ","))
                and not re.search(r"\d", prev[0].text)
                and len(prev[0].text.split()) + len(words) <= 6
                and not _NUMBER.match(s, prev[0].start)
            ):
                place = f"{prev[0].text} {place}"
                start = prev[0].start
        end = max(m.end(g) for g in ("d", "m", "y") if m.group(g) is not None)
        d, mo, y = (int(m.group(g)) if m.group(g) else None for g in ("d", "m", "y"))
        iso, valid = None, True
        if m.group("m2"):
            valid = False  # two digits typed over each other ("tháng 5 4"): no reading is safe
        elif d is not None and mo is not None and y is not None:
            got = to_date(y, mo, d)
            iso, valid = (got.isoformat(), True) if got else (None, False)
        elif (mo is not None and not 1 <= mo <= 12) or (d is not None and not 1 <= d <= 31):
            valid = False
        return _Date(v.span(start, end, text), place, iso, valid, start, end)
    return _find_loose_date(v, text, lo, hi)


def _find_loose_date(v: _View, text: str, lo: int, hi: int) -> _Date | None:
    s = v.view.s
    for m in _DATE_LOOSE.finditer(s, lo, hi):
        words = m.group("place").split()
        if not all(w[0].isupper() or w in _PLACE_LOWER for w in words) or (m.group("comma") and not m.group("nd")):
            continue
        if lay.fold_key(m.group("place")).startswith(("can cu", "thuc hien", "trong", "theo", "so")):
            continue
        d, mo, y = (int(m.group(a) or m.group(b)) for a, b in (("nd", "d"), ("nm", "m"), ("ny", "y")))
        got = to_date(y, mo, d)
        start, end = m.start("place"), m.end()
        return _Date(v.span(start, end, text), " ".join(words), got.isoformat() if got else None, got is not None,
                     start, end)
    return None


def _find_type(v: _View, lo_line: int, hi_line: int) -> tuple[_CSeg, str] | None:
    voc = _vocab()
    for li in range(lo_line, min(hi_line, len(v.lines))):
        # The type line stands above the body: below "Căn cứ …" or "I. MỤC TIÊU" a capitalised "KẾ HOẠCH"
        # is a wrapped heading ("II. NỘI DUNG / KẾ HOẠCH") or a decision's "QUYẾT ĐỊNH:"; below
        # "Kính gửi" or a sentence of running text it heads an annex ("QUY ĐỊNH" issued with a
        # decision), not this document.
        if any(_body_line(seg.text) or (_prose_line(seg.text) and not v.taken(seg)) for seg in v.lines[li]):
            return None
        for seg in v.lines[li]:
            if not lay.is_caps(seg.text) or v.taken(seg):
                continue
            key = lay.fold_key(seg.text)
            for word, name in voc.types:
                if key == word or key.startswith(word + " "):
                    rest = key[len(word) :].split()
                    if len(rest) <= 3 and not re.search(r"\d", key):
                        return seg, name
                    break
    return None


def _prose_line(text: str) -> bool:
    """A line of the body's running text or its address ("Kính gửi: …"), which no header line is:
    header lines are short, and the one long line above the type line is a "V/v …" summary."""
    key = lay.fold_key(text).lstrip("-–•+* ")
    if key.startswith("kinh gui"):
        return True
    words = text.split()
    return len(words) >= 14 and not lay.is_caps(text) and not key.startswith(("v/v", "ve viec"))


def _body_line(text: str) -> bool:
    key = lay.fold_key(text).lstrip("-–•+* ")
    return bool((key.startswith(("can cu ", "thuc hien ", "theo de nghi ")) and lay.first_letter(text).isupper())
                or re.match(r"^(?:[IVX]{1,5}|\d{1,2})\s*[.\-–)]\s+\S", text))


def _stop_line(text: str) -> bool:
    """True for a line that cannot belong to a title (body openers, rules, headings, addresses)."""
    voc = _vocab()
    key = lay.fold_key(text).lstrip("-–•+* ")
    if (voc.openers.match(key) and lay.first_letter(text).isupper()) or _RULE.match(text):
        return True
    if re.match(r"^(?:[IVX]{1,5}|\d{1,2})\s*[.\-–)/]\s", text) or re.match(
        r"^(?:Chương|CHƯƠNG|Điều|ĐIỀU|Phần|PHẦN)\s+(?:[IVX]{1,5}|\d{1,3})\b", text
    ):
        return True
    return bool(_MOTTO.match(text) or _SLOGAN.search(text))


def _next_text(v: _View, li: int) -> str:
    for k in range(li + 1, min(li + 3, len(v.lines))):
        if v.lines[k]:
            return v.lines[k][0].text
    return ""


def _opener_title(text: str, following: str) -> bool:
    """A first summary line may open like a sentence ("Thực hiện phong trào thi đua …", "Triển khai
    thực hiện Chỉ thị …"); the body's opening sentence is longer and ends with punctuation, unless
    the summary goes on in lower case on the next line."""
    key = lay.fold_key(text)
    if key.startswith(("can cu", "kinh gui", "xet", "theo de nghi")) or _RULE.match(text) or len(text) > 200:
        return False
    if not text.rstrip().endswith((";", ":", ",", ".")):
        return True
    return text.rstrip().endswith(",") and lay.first_letter(following).islower()


def _title_lines(v: _View, first_line: int, *, max_lines: int, vv: bool) -> list[_CSeg]:
    """The summary lines starting at ``first_line`` (blank lines before it are skipped)."""
    out: list[_CSeg] = []
    li, blanks = first_line, 0
    caps_title: bool | None = None
    while li < len(v.lines) and len(out) < max_lines:
        segs = [s for s in v.lines[li] if not v.taken(s)]
        if not v.lines[li]:
            if out:
                break
            blanks += 1
            if blanks > 2:
                break
            li += 1
            continue
        if not segs or (len(segs) > 1 and not vv):
            break
        seg = segs[0]
        text = seg.text
        if _DATE.match(text) or _NUMBER.match(v.view.s, seg.start):
            break
        if _stop_line(text) and (out or not _opener_title(text, _next_text(v, li))):
            break
        caps = lay.is_caps(text)
        if out:
            if caps_title is False and caps:
                break  # the issuing authority of a decision ("ỦY BAN NHÂN DÂN TỈNH …")
            if caps_title and not caps:
                break  # an upper-case summary is followed by the body
            if caps and caps_title and _is_authority_line(v, li):
                break
        elif caps and _is_authority_line(v, li):
            break
        if caps_title is None:
            caps_title = caps
        out.append(seg)
        if sum(len(s.text) for s in out) > 600:
            break
        li += 1
    return out


def _is_authority_line(v: _View, li: int) -> bool:
    """An upper-case line naming the body that decides ("ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "GIÁM ĐỐC
    SỞ …", "… QUYẾT ĐỊNH"), which decisions print between the summary and "Căn cứ …"."""
    text = v.lines[li][0].text
    key = lay.fold_key(text)
    if key.endswith(("quyet dinh", "quyet nghi", "quyet dinh:", "quyet nghi:")):
        return True
    words = set(key.split())
    # A body is named with two words at least: "CÀ MAU" wrapped off a summary ("… TỈNH CÀ" / "MAU") is not.
    named = bool(re.match(r"^(?:chu tich|giam doc|bo truong|truong ban|tong|thu truong|cuc truong)\b", key)) or (
        bool(v.org_words) and len(key.split()) >= 2 and words <= v.org_words
    )
    if not named:
        return False
    for nxt in range(li + 1, min(li + 4, len(v.lines))):
        if v.lines[nxt]:
            key = lay.fold_key(v.lines[nxt][0].text).lstrip("-–•+* ")
            return bool(_vocab().openers.match(key)) or key.startswith(("quyet dinh", "quyet nghi"))
    return False


def _group_bodies(segs: list[_CSeg]) -> list[list[_CSeg]]:
    """Split header lines into bodies: a line opening with an organisation head starts a body,
    other lines ("TỈNH LÀO CAI", a wrapped "DÂN") continue the one above."""
    voc = _vocab()
    bodies: list[list[_CSeg]] = []
    for seg in segs:
        key = lay.fold_key(seg.text)
        head = org_head(seg.text)
        admin = voc.admin_start.match(key)
        opens = head is not None and (not admin or len(head[0]) > len(admin.group(0).strip()))
        if bodies:
            prev = bodies[-1][-1].text.rstrip()
            if prev.endswith((",", "-", "–")) or lay.fold_key(prev).endswith(" va"):
                opens = False
        if opens or not bodies:
            bodies.append([seg])
        else:
            bodies[-1].append(seg)
    return bodies


def _has_place(name: str) -> bool:
    voc = _vocab()
    key = lay.fold_key(name)
    if re.search(r"\b(?:trung uong|viet nam|chinh phu|quoc hoi|nha nuoc)\b", key):
        return True
    head = org_head(name)
    if head and head[0] in ("huyen uy", "tinh uy", "thanh uy", "quan uy", "thi uy") and len(key.split()) > 2:
        return True
    return any(key[m.end() :].strip() for m in voc.admin.finditer(key))


# --------------------------------------------------------------------------- inference

_INTRO_VERB = re.compile(
    r"(?<!\w)(?:xay dung|ban hanh|trien khai)\s+(?:ke hoach|chuong trinh|huong dan|quy che|de an|phuong an|bao cao)(?!\w)"
)
_CLOSING = re.compile(r"(?<!\w)tren day la\s+(?:ke hoach|bao cao|huong dan|chuong trinh|de an|phuong an)(?!\w)")
_BOUNDARY = re.compile(r"[.;:,\n(]")
_ABBREV = {
    "ubnd": r"(?:uy ban nhan dan|ubnd)",
    "uy ban nhan dan": r"(?:uy ban nhan dan|ubnd)",
    "hdnd": r"(?:hoi dong nhan dan|hdnd)",
    "hoi dong nhan dan": r"(?:hoi dong nhan dan|hdnd)",
}


def _clause_org(text: str, folded: str, end: int, *, forward: bool = False) -> tuple[str, int, int] | None:
    """The organisation named by the clause that ends (or, forward, starts) at ``end``."""
    voc = _vocab()
    if forward:
        stop = _BOUNDARY.search(text, end, min(len(text), end + 160))
        a, b = end, stop.start() if stop else min(len(text), end + 160)
    else:
        lo = max(0, end - 160)
        starts = [m.end() for m in _BOUNDARY.finditer(text, lo, end)]
        a, b = (starts[-1] if starts else lo), end
    while a < b and text[a] in " \t\u00a0":
        a += 1
    m = voc.head_any.match(folded, a, b)
    if not m:
        return None
    name = " ".join(text[a:b].split()).rstrip(" ,;.")
    words = name.split()
    if not 2 <= len(words) <= 14 or not words[0][0].isupper():
        return None
    return name, a, a + len(text[a:b].rstrip(" ,;.\n"))


def _complete(name: str, text: str, folded: str, place: str | None) -> str:
    """Give a generic name ("UBND phường", "Ủy ban nhân dân xã") its place name."""
    voc = _vocab()
    key = lay.fold_key(name)
    last = None
    for m in voc.admin.finditer(key):
        last = m
    if not last or key[last.end() :].strip():
        return name
    if place and all(w[:1].isupper() for w in place.split()):
        return f"{name} {place}"
    # The same body written with its place elsewhere in the text ("UBND xã Ba Nam").
    before = key[: last.start()].strip()
    head = org_head(before) if before else None
    parts = before.split()
    tail_words = parts[-4:] if parts else []
    tail = " ".join(tail_words)
    if not tail or not head:
        return name
    prefix = next((alt for k, alt in _ABBREV.items() if tail.endswith(k)), None)
    if prefix is None:
        prefix = re.escape(tail).replace(r"\ ", r"\s+")
    level = re.escape(last.group(0)).replace(r"\ ", r"\s+")
    place_rx = re.compile(rf"(?<!\w){prefix}\s+{level}\s+(?=[a-z])")
    names: Counter[str] = Counter()
    for m in place_rx.finditer(folded):
        words: list[str] = []
        for w in re.finditer(r"\S+", text[m.end() : m.end() + 40]):
            token = w.group(0).strip(",.;:()“”\"")
            if not token or not token[0].isupper() or not token.isalpha() or len(words) >= 3:
                break
            words.append(token)
            if w.group(0) != token:
                break
        if words:
            names[" ".join(words)] += 1
    if names:
        return f"{name} {names.most_common(1)[0][0]}"
    return name


def _infer_issuer(text: str, body_start: int, place: str | None) -> str | None:
    folded = lay.layout(text).folded
    candidates: list[str] = []
    # The deciding body of a decision or resolution: "ỦY BAN THƯỜNG VỤ QUỐC HỘI" before "Căn cứ".
    lo = body_start
    window_end = min(len(text), body_start + 4000)
    m_open = re.search(r"(?m)^[\W_]*(?:Căn cứ|Thực hiện|Xét)\b", text[lo:window_end])
    if m_open:
        head_zone = text[lo : lo + m_open.start()]
        for line in reversed(head_zone.split("\n")):
            line_c = lay.clean(line)
            if not line_c:
                continue
            if lay.is_caps(line_c) and org_head(line_c) and len(line_c.split()) >= 2:
                candidates.append(line_c)
            break
    for m in _INTRO_VERB.finditer(folded, body_start, window_end):
        got = _clause_org(text, folded, m.start())
        if got:
            candidates.append(got[0])
            break
    for m in _CLOSING.finditer(folded, body_start):
        seg_end = _BOUNDARY.search(text, m.end(), min(len(text), m.end() + 400))
        stop = seg_end.start() if seg_end else min(len(text), m.end() + 400)
        cua = [x.end() for x in re.finditer(r"(?<!\w)cua\s+", folded[m.end() : stop])]
        for off in cua[::-1]:
            got = _clause_org(text, folded, m.end() + off, forward=True)
            if got:
                candidates.append(got[0])
                break
    if not candidates:
        return None
    completed = [_complete(name, text, folded, place) for name in candidates]
    return next((name for name in completed if _has_place(name)), completed[0])


# --------------------------------------------------------------------------- family


def _symbol_family(symbol_tail: str | None) -> str | None:
    if not symbol_tail:
        return None
    voc = _vocab()
    style = "party" if symbol_tail.startswith("-") else "state"
    parts = re.split(r"[/\-]", symbol_tail.strip("-/"))
    issuer_parts = parts[1:] if style == "party" else parts
    fams = {voc.issuer_family.get(p.upper()) for p in issuer_parts} - {None, "both"}
    if style == "party" and "state" in fams:
        return "joint"
    if len(fams) == 2:
        return "joint"
    if fams:
        return fams.pop()
    return style


def _signer_family(s: Signer) -> str | None:
    fams = set()
    if s.authority:
        for part in re.split(r",\s*", s.authority):
            rest = re.sub(r"^(?:T\s?/\s?M|TM|T\.M|K\s?/\s?T|KT|K\.T|T\s?/\s?L|TL|T\.L|TUQ)\.?\s+", "", part)
            f = org_family(rest)
            if f in ("party", "state"):
                fams.add(f)
    if s.position and re.search(r"\bbi thu\b", lay.fold_key(s.position)):
        fams.add("party")
    if len(fams) == 1:
        return fams.pop()
    return None


def _family(
    motto: Span | None,
    banner: Span | None,
    tail: str | None,
    issuer: str | None,
    signers: tuple[Signer, ...],
    *,
    issuer_inferred: bool,
) -> tuple[str, bool]:
    """The family and whether it was inferred from the body rather than read in the header.

    The motto or banner decides; the symbol's shape and codes, the issuer's name and the signing
    authorities are used when both are missing. Evidence for both families makes a joint document.
    """
    sym = _symbol_family(tail)
    org = org_family(issuer)
    signer_fams = {f for f in (_signer_family(s) for s in signers) if f}
    joint = sym == "joint" or org == "joint" or len(signer_fams) == 2
    if motto and banner:
        return "joint", False
    if motto or banner:
        # The motto names the family; the issuer or the signers may show a joint plan, but a symbol
        # in the other family's shape alone is a slip in the symbol, not a second family.
        other = "party" if motto else "state"
        both = org in ("joint", other) or len(signer_fams) == 2 or other in signer_fams
        return ("joint" if both else ("state" if motto else "party")), False
    if joint:
        return "joint", sym != "joint"
    if sym and org and sym != org:
        return "joint", issuer_inferred
    if sym:
        return sym, False
    if org:
        return org, issuer_inferred
    if len(signer_fams) == 1:
        return signer_fams.pop(), True
    return "unknown", False


def _symbol_code(tail: str | None) -> str | None:
    """The type code written in a symbol tail: "-KH/BDVHU" → KH, "/2025/NQ-HĐND" → NQ."""
    if not tail:
        return None
    if tail.startswith("-"):
        return tail[1:].split("/")[0] or None
    parts = tail[1:].split("/")
    first = parts[1] if re.fullmatch(r"(?:19|20)\d\d", parts[0]) and len(parts) > 1 else parts[0]
    return first.split("-")[0] if "-" in first else None


def _type_code(type_name: str | None, tail: str | None, family: str) -> tuple[str | None, str | None]:
    """(type, type_code). The code is the one written in the symbol when that is a known type code
    (a compound such as KHPH stands for its base KH), else the type's own code for the family."""
    voc = _vocab()
    if family in ("party", "state"):
        fams = [family]
    else:
        fams = ["party", "state"] if tail and tail.startswith("-") else ["state", "party"]
    code = _symbol_code(tail)
    known = next((voc.type_codes[(f, code.upper())] for f in fams if code and (f, code.upper()) in voc.type_codes), None)
    if type_name is None:
        return (known[1], known[0]) if known else (None, None)
    if known:
        sym_code, sym_name = known
        # "THÔNG BÁO KẾT LUẬN" numbered TB is a thông báo: the type line starts with its words.
        line_words = voc.type_words.get(type_name, ())
        if sym_name != type_name and any(
            w.startswith(x + " ") for w in line_words for x in voc.type_words.get(sym_name, ())
        ):
            return sym_name, sym_code
        return type_name, sym_code
    for fam in fams:
        if (type_name, fam) in voc.own_code:
            return type_name, voc.own_code[(type_name, fam)]
    return type_name, None


def _find_title(
    v: _View, text: str, found_type: tuple[_CSeg, str] | None, anchor_line: int, last_line: int
) -> tuple[str | None, Span | None, list[_CSeg], bool]:
    """The summary (trích yếu): the lines after the type line, or the "V/v …" of a công văn.
    Returns the title, its span, its segments and whether it was a "V/v" summary."""
    title_segs: list[_CSeg] = []
    vv = False
    if found_type:
        title_segs = _title_lines(v, v.line_of(found_type[0].start) + 1, max_lines=6, vv=False)
        vv = bool(title_segs and _VV.match(title_segs[0].text))
    if not title_segs:
        stop = v.line_of(found_type[0].start) if found_type else last_line + 12
        for li in range(anchor_line, min(stop + 1, len(v.lines))):
            hit = next((sg for sg in v.lines[li] if _VV.match(sg.text) and not v.taken(sg)), None)
            if hit:
                title_segs = [hit, *_title_lines(v, li + 1, max_lines=8, vv=True)]
                vv = True
                break
    if not title_segs:
        return None, None, [], False
    first = title_segs[0]
    start = first.start
    words = " ".join(sg.text for sg in title_segs)
    if vv:
        pre = _VV.match(v.view.s, first.start)
        start = pre.end() if pre else first.start
        words = words[_VV.match(words).end() :]  # type: ignore[union-attr]
    for sg in title_segs:
        v.consumed.append((sg.start, sg.end))
    title = " ".join(words.split()) or None
    return title, v.span(start, title_segs[-1].end, text), title_segs, vv


def _find_issuer(v: _View, text: str, anchor_line: int, stop_line: int) -> tuple[str | None, Span | None]:
    """The issuing body: the upper-case lines around the motto and number that are nothing else.

    Lines above the first header part belong to it while they stay upper case (site chrome above
    a Markdown copy does not); lines between it and the type line come from interleaved columns.
    The lowest body is the issuer; a bare department ("SỞ CÔNG THƯƠNG", "BAN THƯỜNG TRỰC") is
    named with the body above it.
    """
    pre_segs: list[_CSeg] = []
    li = anchor_line
    while li > max(0, anchor_line - 14):
        li -= 1
        segs = [sg for sg in v.lines[li] if not v.taken(sg) and not _RULE.match(sg.text)]
        if not segs:
            continue
        if not all(lay.is_caps(sg.text) for sg in segs):
            break
        pre_segs = segs + pre_segs
    post_segs = [
        sg
        for li2 in range(anchor_line, min(stop_line, len(v.lines)))
        for sg in v.lines[li2]
        if not v.taken(sg) and not _RULE.match(sg.text) and lay.is_caps(sg.text)
    ]
    marks = _vocab().marks
    orgs = [
        sg
        for sg in pre_segs + post_segs
        if lay.fold_key(sg.text) not in marks and len(sg.text) <= 90 and not _VV.match(sg.text)
    ]
    bodies = _group_bodies(orgs)
    if not bodies:
        return None, None
    low = bodies[-1]
    issuer = " ".join(sg.text for sg in low)
    if len(bodies) > 1 and not _has_place(issuer):
        issuer = f"{issuer} - {' '.join(sg.text for sg in bodies[-2])}"
    return issuer, v.span(low[0].start, low[-1].end, text)


# --------------------------------------------------------------------------- main

_last: tuple[IngestedDocument, Header] | None = None


def find_header(doc: IngestedDocument) -> Header:
    """Everything the header says, with the located evidence the checks need.

    The last result is kept (sections ask for the header of the document the pipeline has just
    read); the pair is replaced in one assignment, so concurrent callers at worst recompute it."""
    global _last
    cached = _last
    if cached is not None and cached[0] is doc:
        return cached[1]
    header = _find_header(doc)
    _last = (doc, header)
    return header


def body_start(doc: IngestedDocument) -> int:
    """Offset where the body begins (after the header and summary)."""
    h = find_header(doc)
    ends = [
        s.end
        for s in (h.motto, h.slogan, h.issuer_span, h.number_span, h.date_span, h.type_span, h.title_span)
        if s is not None and s.start < len(doc.text) // 2 + 1
    ]
    return max(ends) if ends else 0


def _find_header(doc: IngestedDocument) -> Header:
    text = doc.text
    # Look for the motto or banner in the original text first, then read a window around it.
    reach = min(len(text), max(9000, len(text) * 2 // 5))
    raw_mark = _RAW_MARK.search(text, 0, reach)
    top_end = min(len(text), 4000)
    if raw_mark and raw_mark.start() > 2000 and _TOP_PART.search(text, 0, 1500):
        # The top has a number or a date line but no motto: the motto found further on heads an
        # annex (a form, a second document), not this document; read the top, up to that annex.
        top_end = min(top_end, text.rfind("\n", 0, raw_mark.start()) + 1)
        raw_mark = None
    if raw_mark:
        lo_raw = text.rfind("\n", 0, max(0, raw_mark.start() - 1500)) + 1
        view = lay.CleanView(text, lo_raw, min(len(text), raw_mark.start() + 3000))
    else:
        view = lay.CleanView(text, 0, top_end)
    lines, starts = _clean_lines(view.s)
    v = _View(view, lines, starts)
    s = view.s

    motto_m = _MOTTO.search(s)
    banner_m = _BANNER.search(s)
    marks = [m for m in (motto_m, banner_m) if m]
    anchor = min((m.start("m") for m in marks), default=None)
    lo = max(0, anchor - 1500) if anchor is not None else 0
    hi = min(len(s), anchor + 2000) if anchor is not None else min(len(s), 3000)

    number = _find_number(v, text, lo, hi)
    date = _find_date(v, text, lo, hi)
    slogan_m = _SLOGAN.search(s, lo, hi) if anchor is not None else None
    motto = v.span(motto_m.start("m"), motto_m.end("m"), text) if motto_m else None
    banner = v.span(banner_m.start("m"), banner_m.end("m"), text) if banner_m else None
    slogan = v.span(slogan_m.start(), slogan_m.end(), text) if slogan_m else None
    for m in (motto_m, banner_m):
        if m:
            v.consumed.append((m.start("m"), m.end("m")))
    if slogan_m:
        v.consumed.append((slogan_m.start(), slogan_m.end()))
    for part in (number, date):
        if part:
            v.consumed.append((part.cstart, part.cend))

    firsts = [p for p in (anchor, number.cstart if number else None, date.cstart if date else None) if p is not None]
    anchor_line = v.line_of(min(firsts)) if firsts else 0
    last_line = max(v.line_of(p) for p in firsts) if firsts else 0
    found_type = _find_type(v, anchor_line, (last_line + 25) if firsts else 25)
    if found_type and firsts and v.line_of(found_type[0].start) < anchor_line:
        found_type = None
    type_name = found_type[1] if found_type else None
    type_span = v.span(found_type[0].start, found_type[0].end, text) if found_type else None
    if found_type:
        v.consumed.append((found_type[0].start, found_type[0].end))

    type_line = v.line_of(found_type[0].start) if found_type else last_line + 1
    for li in range(max(0, anchor_line - 14), min(type_line, len(v.lines))):
        for sg in v.lines[li]:
            if lay.is_caps(sg.text) and not v.taken(sg):
                v.org_words.update(lay.fold_key(sg.text).split())

    title, title_span, title_segs, vv = _find_title(v, text, found_type, anchor_line, last_line)
    if vv and type_name is None:
        type_name = "Công văn"

    issuer = issuer_span = None
    if firsts:
        if found_type:
            stop_line = v.line_of(found_type[0].start)
        else:
            stop_line = v.line_of(title_segs[0].start) if title_segs else last_line + 1
        issuer, issuer_span = _find_issuer(v, text, anchor_line, stop_line)

    recipients = find_recipients(doc)
    signers = find_signers(doc, recipients=recipients)

    place = date.place if date else None
    inferred: list[str] = []
    header_end = max(
        (sp.end for sp in (motto, banner, slogan, number and number.span, date and date.span, type_span, title_span) if sp),
        default=0,
    )
    if issuer is None:
        issuer = _infer_issuer(text, header_end, place)
        if issuer:
            inferred.append("issuer")

    tail = number.tail if number else None
    family, fam_inferred = _family(
        motto, banner, tail, issuer, signers, issuer_inferred="issuer" in inferred
    )
    if family == "unknown":
        # Nothing in the header or the rules' reading of the body shows the family: the body's
        # wording still may (a trained model, used only where it beat the rules on held-out data).
        from vanban.models.family import infer_family

        fam_guess = infer_family(text[header_end:])
        if fam_guess:
            family, fam_inferred = fam_guess[0], True
    if fam_inferred:
        inferred.append("family")
    type_name, type_code = _type_code(type_name, tail, family)
    if type_name is None:
        # No type line, type code or "V/v": the body may still say what it is (a trained model).
        from vanban.models.doctype import infer_type

        guess = infer_type(text[header_end:])
        if guess:
            type_name, type_code = _type_code(guess[0], None, family)
            inferred.append("type")
    if found_type and title and type_name and lay.is_caps(title):
        # "THÔNG BÁO KẾT LUẬN" / "CỦA ĐỒNG CHÍ …": the words after the type name open the summary.
        line_words = found_type[0].text.split()
        n = len(type_name.split())
        if len(line_words) > n and lay.fold_key(" ".join(line_words[:n])) == lay.fold_key(type_name):
            title = f"{' '.join(line_words[n:])} {title}"

    return Header(
        family=family,  # type: ignore[arg-type]
        type=type_name,
        type_code=type_code,
        number=number.number if number else None,
        symbol=number.symbol if number else None,
        date=date.iso if date else None,
        place=place,
        issuer=issuer,
        title=title,
        signers=signers,
        recipients=recipients.names if recipients else (),
        motto=motto or banner,
        slogan=slogan,
        issuer_span=issuer_span,
        number_span=number.span if number else None,
        date_span=date.span if date else None,
        date_valid=date.valid if date else True,
        type_span=type_span,
        title_span=title_span,
        recipients_span=recipients.span if recipients else None,
        recipient_spans=recipients.items if recipients else (),
        inferred=tuple(inferred),
    )


__all__ = ["Recipients", "body_start", "find_header", "org_family", "org_head"]
