"""The section tree: numbered and emphasized headings between the header and the signature.

Plans are divided as "I. MỤC ĐÍCH, YÊU CẦU" / "1. Mục đích" / "1.1. …" / "a) …"; laws and decisions
by "Chương I" / "Điều 1."; Party documents also write "I-" and "1-". The numbering styles and the
role vocabulary (purpose, content, implementation, timeline, funding) are data:
``data/headings.yaml``. Levels are relative to the styles a document uses: a heading nests under
the nearest earlier heading of an outer style, so a plan without roman parts has its "1." headings
at level 1.

Numbered lines are also plain list items ("1. Nhằm tạo sự chuyển biến sâu rộng, mạnh mẽ …"). Roman
parts, chapters and articles are always headings; "1.", "a)", "(1)" lines are headings only when
they read like a title: short, one sentence, no final full stop, or emphasized as a whole line.
A numbered run vouches for its members: "7." between the headings "6." and "8." is a heading even
when it reads like a sentence (it is then named by its first clause).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from vanban.extractor import layout as lay
from vanban.extractor.model import IngestedDocument, Role, Section

# A title cut off by a line break ends in a function word. Compared with diacritics: folded, "về"
# is "vệ" (bảo vệ), "để" is "đề" (vấn đề), "từ" is "tư" (đầu tư), "trong" is "trọng", "năm" is
# "Nam". "tại" ends "tồn tại", "hiện tại"; "số" dangles only as "number" after a noun that takes
# one ("Kế hoạch số", "một số"), not as "digital" or in "chỉ số", "dân số"; "năm" dangles before a
# year, not in "hằng năm", "5 năm".
_DANGLING = re.compile(
    r"(?<!\w)(?:và|của|với|về|cho|các|trong|theo|(?<!tồn )(?<!hiện )tại|để|đối|những|giữa|trên|từ|đến|nhằm|hoặc|là"
    r"|được|một"
    r"|(?:một|các|những|tổng|hoạch|định|quyết|thị|thông tư|công văn|văn bản|báo|cáo|luật|dẫn|trình|luận|mẫu|biểu"
    r"|lục) số"
    r"|(?<!hằng )(?<!hàng )(?<!mỗi )(?<!nhiều )(?<!các )(?<!những )(?<!\d )năm)$"
)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZĐÀ-Ỹ]")
_LABEL_VALUE = re.compile(r":\s*\S+\s+\S")
# "Đợt 1: Trong tháng 12/2025", "Giai đoạn 2: Từ năm 2027": a numbered stage named with its period
# heads the work of that stage, unlike "Thời gian kiểm tra: Ngày 31 …", a field with its value.
_STAGE = re.compile(r"^(?:đợt|giai đoạn|bước|phần|lần|kỳ|phase)\s+(?:\d{1,2}|[ivx]{1,4}|một|hai|ba|bốn|năm)\s*[:\-–]")
_NOT_HEADINGS = re.compile(r"^(?:quyet dinh|quyet nghi|nghi quyet|ke hoach|noi nhan|kinh gui|can cu)\s*:?$")


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    rank: int
    strict: bool
    label: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class _Grammar:
    styles: tuple[_Style, ...]  # in matching order (most specific first)
    roles: re.Pattern[str]  # every role phrase, longest first, one named group per role
    candidates: re.Pattern[str]  # any label at a line start, in the original text (markup allowed)
    any_label: re.Pattern[str]  # any label at the start of clean text
    strict_label: re.Pattern[str]  # a label of a strict style at a line start, in the original text
    weak: re.Pattern[str]  # "other" phrases that yield to a later role phrase
    lead: re.Pattern[str]  # words that may come before the phrase at the start of a title
    joint: re.Pattern[str]  # from one phrase of a list to the next
    anywhere: re.Pattern[str]  # phrases that count wherever they stand, one named group per role


@cache
def _grammar() -> _Grammar:
    data = lay.load_yaml("headings.yaml")
    styles = [
        _Style(s["name"], int(s["rank"]), bool(s.get("strict", False)), re.compile(r"^(?:" + s["label"] + r")\s*"))
        for s in data["styles"]
    ]
    order = ["part", "chapter", "step", "division", "article", "arabic3", "arabic2", "roman", "letter_part", "arabic", "letter", "paren"]
    styles.sort(key=lambda s: order.index(s.name) if s.name in order else len(order))
    phrases = sorted(((p, role) for role, ps in data["roles"].items() for p in ps), key=lambda x: -len(x[0]))
    # One alternation: the earliest match wins, and at one position the longest phrase (listed first).
    alts = [f"(?P<{role}_{i}>{p})" for i, (p, role) in enumerate(phrases)]
    roles = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")
    union = "|".join(f"(?:{s['label'].replace('(?P<num>', '(?:')})" for s in data["styles"])
    strict = "|".join(f"(?:{s['label'].replace('(?P<num>', '(?:')})" for s in data["styles"] if s.get("strict"))
    candidates = re.compile(rf"[ \t>*#_|]*(?:{union})|[ \t]*(?:#|\*\*)")
    weak = re.compile("|".join(f"(?:{p})" for p in data.get("weak_other", [])) or r"(?!)")
    anywhere = [f"(?P<{role}_{i}>{p})" for i, (role, ps) in enumerate(data.get("anywhere", {}).items()) for p in ps]
    return _Grammar(
        tuple(styles),
        roles,
        candidates,
        re.compile(rf"^(?:{union})"),
        re.compile(rf"[ \t>*#_|]*(?:{strict})"),
        weak,
        re.compile(data.get("lead", "")),
        re.compile(data["joint"]),
        re.compile(r"(?<!\w)(?:" + ("|".join(anywhere) or r"(?!)") + r")(?!\w)"),
    )


def role_of(title: str) -> Role:
    """The role of a heading title (``headings.yaml``): the phrase that opens the title, or the
    next one of a list of phrases opening it; a role word used in passing further on does not
    count. A phrase naming only who or where ("ĐỐI TƯỢNG, NỘI DUNG THI ĐUA") gives way to the
    next one of its list."""
    key = lay.fold_key(title).lstrip(" \"'“”‘’*-–(")
    g = _grammar()
    first: str | None = None
    pos = g.lead.match(key).end()  # type: ignore[union-attr]
    while (m := g.roles.match(key, pos)) is not None and m.lastgroup is not None:
        role = m.lastgroup.rsplit("_", 1)[0]
        if first is None:
            first = role
            if role != "other" or not g.weak.fullmatch(m.group(0)):
                break
        elif role != "other":
            return role  # type: ignore[return-value]
        joint = g.joint.match(key, m.end())
        if joint is None:
            break
        pos = joint.end()
    if first in (None, "other") and (m := g.anywhere.search(key)) is not None and m.lastgroup is not None:
        return m.lastgroup.rsplit("_", 1)[0]  # type: ignore[return-value]
    return (first or "other")  # type: ignore[return-value]


@dataclass(slots=True)
class _Heading:
    number: str | None
    title: str
    rank: float
    start: int
    heading_end: int
    last_line: int
    style: str = ""
    colon: bool = False  # the title ended with ":" (a label whose value follows)
    level: int = 0
    end: int = 0


def _emphasized(doc: IngestedDocument, L: lay.Layout, li: int) -> bool:
    line = L.line(li)
    if not line.segs:
        return False
    if all(sg.bold for sg in line.segs):
        return True
    raw = doc.text[line.start : line.end].lstrip()
    if raw.startswith("#"):
        return True
    b = doc.block_at(line.segs[0].start)
    return b is not None and b.start <= line.segs[0].start < b.end + 1 and (
        bool(b.bold) or b.kind == "heading" or b.heading_level is not None
    )


def _in_cell(doc: IngestedDocument, offset: int) -> bool:
    b = doc.block_at(offset)
    return b is not None and b.kind == "cell"


def _opens_bold(doc: IngestedDocument, line: lay.Line) -> bool:
    raw = doc.text[line.start : line.end]
    return raw.count("**") % 2 == 1


def _dangles(title: str) -> bool:
    return bool(_DANGLING.search(" ".join(title.lower().split()).rstrip(" *_")))


def _title_ok(title: str, emphasized: bool) -> bool:
    """Does the text after a list label read like a heading rather than a sentence?"""
    if not title:
        return False
    first = lay.first_letter(title)
    if not first or first.islower():
        return False
    if emphasized:
        return len(title) <= 320
    t = title.rstrip()
    if len(t) > 160:
        return False
    if t.endswith((".", ";", ",")) and not t.endswith("..."):
        return False
    if _SENTENCE_BREAK.search(t):
        return False
    if _LABEL_VALUE.search(t) and not t.endswith(":") and not _STAGE.match(t.lower()):
        return False  # "2. Thời gian kiểm tra: Ngày 31 tháng 03 năm 2026": a list item giving a value
    return not _dangles(t)


def find_sections(doc: IngestedDocument, *, start: int | None = None, end: int | None = None) -> tuple[Section, ...]:
    """The heading tree of the body (header and signature excluded)."""
    from vanban.extractor.header import body_start, find_header

    text = doc.text
    if start is None:
        start = body_start(doc)
    if end is None:
        h = find_header(doc)
        closing = [s.start for s in h.signers if s.start > start]
        if h.recipients_span is not None and h.recipients_span.start > start:
            closing.append(h.recipients_span.start)
        end = min(closing) if closing else len(text)
    L = lay.layout(text)
    g = _grammar()
    heads: list[_Heading] = []
    done = -1
    cands, labelled = _candidate_lines(doc, L, g, start, end)
    for li in cands:
        if li <= done:
            continue
        line = L.line(li)
        if not line.segs or line.segs[0].start >= end or line.segs[0].start < start:
            continue
        if _in_cell(doc, line.segs[0].start):
            continue
        got = _heading_at(doc, L, li, end, g, heads)
        if got is None:
            continue
        heads.append(got)
        done = got.last_line
    return _tree(text, _fill_gaps(doc, L, g, heads, labelled, start, end), end)


# Letters of list items in order; Vietnamese lists skip f, j, w and some skip đ.
_LETTERS = "abcdđefghijklmnopqrstuvwxyz"
_OPTIONAL = frozenset("đfjw")


def _seq(style: str, number: str | None) -> tuple[str, int] | None:
    """(prefix, position) of a list number within its style: "2.3" → ("2", 3), "đ" → ("", 4)."""
    if number is None:
        return None
    if style in ("arabic", "arabic2", "arabic3") or (style == "paren" and number.isdigit()):
        head, _, last = number.rpartition(".")
        return (head, int(last)) if last.isdigit() else None
    if style in ("letter", "paren") and len(number) == 1 and number in _LETTERS:
        return ("", _LETTERS.index(number))
    return None


def _next_in_list(style: str, a: int, b: int) -> bool:
    """Does position ``b`` follow ``a`` in a list of this style?"""
    if style in ("letter", "paren") and b - a > 1:
        return b > a and all(ch in _OPTIONAL for ch in _LETTERS[a + 1 : b])
    return b == a + 1


def _fill_gaps(
    doc: IngestedDocument, L: lay.Layout, g: _Grammar, heads: list[_Heading], labelled: list[int], start: int, end: int
) -> list[_Heading]:
    """Items missing from a numbered run of headings. "6. Bộ Nội vụ" and "8. Ủy ban nhân dân các
    tỉnh" are headings, so the "7. Các Bộ, ngành liên quan khác … tăng cường …" between them is the
    seventh, although it reads like a sentence; so is an unrecognised "1." before a recognised
    "2." and "3.". Only when the lines of that style between the two are exactly the missing
    items (a nested list of the same style would bring its own "1."), and not when the run is a
    list of fields ("4. Thành phần:" …), where "2. Thời gian: ngày …" is a field with its value."""
    if len(heads) < 2:
        return heads
    found = {h.start for h in heads}
    added: list[_Heading] = []
    for i, h in enumerate(heads):
        pos = _seq(h.style, h.number)
        if pos is None:
            continue
        # The previous heading of this style in the same parent, if any; else the parent's end.
        prev: _Heading | None = None
        lo_line = L.line_of(start)
        for j in range(i - 1, -1, -1):
            o = heads[j]
            if o.rank < h.rank:
                lo_line = o.last_line + 1
                break
            if o.style == h.style and o.rank == h.rank:
                prev = o
                break
        if prev is not None:
            ppos = _seq(prev.style, prev.number)
            if ppos is None or ppos[0] != pos[0] or ppos[1] >= pos[1] or _next_in_list(h.style, ppos[1], pos[1]):
                continue
            lo_line, first = prev.last_line + 1, ppos[1]
            siblings = [prev, h]
        else:
            # A missing first item: only when the run goes on after this heading.
            nxt = next((o for o in heads[i + 1 :] if o.rank <= h.rank), None)
            if nxt is None or nxt.style != h.style or (_seq(nxt.style, nxt.number) or ("", -9))[1] != pos[1] + 1:
                continue
            first = -1 if not (h.number or "").isdigit() and h.style in ("letter", "paren") else 0
            if pos[1] <= first + 1:
                continue
            siblings = [h, nxt]
        hi_line = L.line_of(h.start)
        items: list[tuple[int, int]] = []
        for k in labelled[bisect_left(labelled, lo_line) : bisect_left(labelled, hi_line)]:
            t = L.line(k).text
            if not t or not L.line(k).segs or L.line(k).segs[0].start < start:
                continue
            st = next((x for x in g.styles if x.label.match(t)), None)
            if st is None or st.name != h.style:
                continue
            m = st.label.match(t)
            kpos = _seq(st.name, " ".join(m.group("num").split())) if m else None
            if kpos is None or kpos[0] != pos[0]:
                continue
            if L.line(k).segs[0].start in found:
                continue
            items.append((k, kpos[1]))
        seq = [first] + [n for _, n in items] + [pos[1]]
        if not items or not all(_next_in_list(h.style, a, b) for a, b in pairwise(seq)):
            continue
        fields = any(o.colon for o in siblings)
        got: list[_Heading] = []
        for k, _ in items:
            if _in_cell(doc, L.line(k).segs[0].start):
                break
            x = _heading_at(doc, L, k, end, g, heads, force=True)
            if x is None or x.style != h.style or x.last_line >= hi_line:
                break
            if fields and _LABEL_VALUE.search(L.line(k).text):
                break
            got.append(x)
        else:
            added.extend(got)
    if not added:
        return heads
    unique = {x.start: x for x in added if x.start not in found}
    return sorted(heads + list(unique.values()), key=lambda x: x.start)


def _candidate_lines(
    doc: IngestedDocument, L: lay.Layout, g: _Grammar, start: int, end: int
) -> tuple[list[int], list[int]]:
    """Lines that may hold a heading: a label at the start, Markdown emphasis, or a block the
    reader marked bold or as a heading; and every line opening with a label, however long (an
    item numbered between two headings). Looking only at these keeps long documents fast."""
    text = doc.text
    first, last = L.line_of(start), L.line_of(end)
    starts = L.starts
    match = g.candidates.match
    found = set()
    labelled: list[int] = []
    for li in range(first, min(last + 1, len(starts))):
        pos = starts[li]
        nxt = starts[li + 1] if li + 1 < len(starts) else len(text)
        # A label opens a heading only on a line short enough to be one (roman parts, chapters
        # and articles may run long; list items of several sentences are not headings).
        if match(text, pos, nxt):
            labelled.append(li)
            if nxt - pos < 400 or g.strict_label.match(text, pos, nxt):
                found.add(li)
    blocks = doc.blocks
    lo, hi = 0, len(blocks)
    while lo < hi:
        mid = (lo + hi) // 2
        if blocks[mid].start < start:
            lo = mid + 1
        else:
            hi = mid
    i = lo
    while i < len(blocks) and blocks[i].start < end:
        b = blocks[i]
        if b.bold or b.kind == "heading" or b.heading_level is not None:
            found.add(L.line_of(b.start))
        i += 1
    return sorted(found), labelled


def _heading_at(
    doc: IngestedDocument,
    L: lay.Layout,
    li: int,
    end: int,
    g: _Grammar,
    heads: list[_Heading],
    *,
    force: bool = False,
) -> _Heading | None:
    """The heading whose label is on line ``li``, if the line holds one. ``force``: the numbering
    says the line is a heading (a missing item between sibling headings), so a sentence is cut to
    its first clause instead of being refused."""
    line = L.line(li)
    t = line.text
    emph = _emphasized(doc, L, li)
    style = None
    m = None
    for st in g.styles:
        m = st.label.match(t)
        if m:
            style = st
            break
    if style is None or m is None:
        return None if force else _unnumbered(doc, L, li, end, emph, heads)
    title = t[m.end() :].strip()
    number = m.group("num")
    if style.name == "roman" and not number:
        return None
    number = " ".join(number.split())
    last_line = li
    head_end = line.segs[-1].end

    def next_line(j: int) -> int | None:
        k = j + 1
        while k < len(L) and k <= j + 2 and not L.line(k).segs:
            k += 1
        if k < len(L) and L.line(k).segs and L.line(k).segs[0].start < end:
            return k
        return None

    # Title on the next line ("Chương I" / "QUY ĐỊNH CHUNG", "I." / "Lĩnh vực …").
    if not title:
        k = next_line(li)
        nt = L.line(k).text if k is not None else ""
        if k is None or g.any_label.match(nt) or (len(nt) > 200 and style.name != "article"):
            if not style.strict:
                return None
            # "Điều 2." followed by its numbered clauses: a heading without a title.
            return _Heading(number, "", float(style.rank), line.segs[0].start, head_end, li)
        title, last_line, head_end = nt, k, L.line(k).segs[-1].end
        emph = emph or _emphasized(doc, L, k)

    # A wrapped title: an open "**", an upper-case title going on in upper case, a dangling word.
    open_bold = _opens_bold(doc, line)
    pieces = [(last_line, len(title))]  # (line, length of the title up to the end of that line)
    for _ in range(3):
        k = last_line + 1
        if k >= len(L) or not L.line(k).segs or L.line(k).segs[0].start >= end:
            break
        nt = L.line(k).text
        if g.any_label.match(nt):
            break
        joined = False
        if open_bold:
            joined = True
            open_bold = not _opens_bold(doc, L.line(k))
        elif (lay.is_caps(title) and lay.is_caps(nt) and len(nt) <= 100 and not nt.rstrip().endswith(":") and (
            _emphasized(doc, L, k) == emph
        )) or (not title.rstrip().endswith((".", ":", ";", "!", "?")) and (
            lay.first_letter(nt).islower() or (_dangles(title) and not (force and len(nt) > 100))
        )):
            joined = True
        elif (
            emph
            and _emphasized(doc, L, k)
            and not title.rstrip().endswith((".", ":", ";", "!", "?"))
            and lay.is_caps(title) == lay.is_caps(nt)
            and len(title) + len(nt) <= 250
        ):
            joined = True  # one bold heading broken over two lines
        if not joined:
            break
        title = f"{title} {nt}"
        last_line, head_end = k, L.line(k).segs[-1].end
        pieces.append((k, len(title)))

    title = " ".join(title.split())
    if style.strict:
        if style.name == "article":
            title = _first_sentence(title)
        elif not lay.first_letter(title).isupper() or len(title) > 250:
            return None
        if style.name == "letter_part" and not lay.is_caps(title):
            return None
    elif not _title_ok(title, emph):
        if not force or not lay.first_letter(title).isupper():
            return None
        # A list item of sentences numbered as a heading: its first clause names it, and the
        # heading ends on the line where that clause ends.
        raw_len = len(title)
        title = _first_sentence(title).rstrip(" .")
        if len(title) < raw_len:
            for k, n in pieces:
                if n >= len(title) - 1:
                    last_line, head_end = k, L.line(k).segs[-1].end
                    break
    start = line.segs[0].start
    return _Heading(
        number, title.rstrip(" :"), float(style.rank), start, head_end, last_line, style.name, title.rstrip().endswith(":")
    )


def _first_sentence(title: str) -> str:
    m = re.search(r"[.:;](?=\s|$)", title)
    out = title[: m.start()] if m else title
    if len(out) > 200:
        out = out[:200].rsplit(" ", 1)[0]
    return out


def _unnumbered(
    doc: IngestedDocument, L: lay.Layout, li: int, end: int, emph: bool, heads: list[_Heading]
) -> _Heading | None:
    """An emphasized line without a number ("MỤC ĐÍCH, YÊU CẦU" in bold, on its own line)."""
    if not emph:
        return None
    line = L.line(li)
    t = " ".join(line.text.split())
    key = lay.fold_key(t)
    if len(t) > 120 or t.endswith((".", ";", ",")) or _NOT_HEADINGS.match(key) or not lay.first_letter(t).isupper():
        return None
    if lay.is_person_name(t) or re.match(r"^[\W\d_]+$", t):
        return None
    # An emphasized phrase at the head of a paragraph ("Mục tiêu: …") is not a heading.
    if ":" in t[:-1]:
        return None
    # The deciding body above "Căn cứ …" / "QUYẾT ĐỊNH:" of a decision is not a heading.
    k = li + 1
    while k < len(L) and k <= li + 3 and not L.line(k).segs:
        k += 1
    if k < len(L) and L.line(k).segs:
        nxt = lay.fold_key(L.line(k).text).lstrip("-–•+* ")
        if nxt.startswith(("can cu", "quyet dinh", "quyet nghi", "xet ", "theo de nghi")) or key.endswith(
            ("quyet dinh", "quyet nghi")
        ):
            return None
    numbered = [h for h in heads if h.number is not None]
    rank = numbered[-1].rank + 0.5 if numbered else 4.0
    if not lay.is_caps(t) and not heads:
        return None
    return _Heading(None, t.rstrip(" :"), rank, line.segs[0].start, line.segs[-1].end, li)


def _tree(text: str, heads: list[_Heading], body_end: int) -> tuple[Section, ...]:
    stack: list[_Heading] = []
    for h in heads:
        while stack and stack[-1].rank >= h.rank:
            stack.pop()
        h.level = len(stack) + 1
        stack.append(h)
    # The end of a section is the start of the next heading at its level or above.
    ends = [body_end] * len(heads)
    open_: list[int] = []
    for i, h in enumerate(heads):
        while open_ and heads[open_[-1]].level >= h.level:
            ends[open_.pop()] = h.start
        open_.append(i)
    for i, h in enumerate(heads):
        e = ends[i]
        while e > h.heading_end and text[e - 1].isspace():
            e -= 1
        h.end = max(e, h.heading_end)

    def build(i: int) -> tuple[Section, int]:
        h = heads[i]
        kids: list[Section] = []
        j = i + 1
        while j < len(heads) and heads[j].level > h.level:
            kid, j = build(j)
            kids.append(kid)
        return (
            Section(
                number=h.number,
                title=h.title,
                role=role_of(h.title),
                level=h.level,
                start=h.start,
                end=h.end,
                heading_end=h.heading_end,
                children=tuple(kids),
            ),
            j,
        )

    out: list[Section] = []
    i = 0
    while i < len(heads):
        sec, i = build(i)
        out.append(sec)
    return tuple(out)
