"""Tasks: who must do what, read from the implementation section of a plan.

Only where the text makes it clear. In the "Tổ chức thực hiện" section (and sections titled for
assignments: "phân công", "nhiệm vụ cụ thể của từng đơn vị"), a paragraph or list item that
starts with units assigns the rest of it to them:

    - Khối Dân vận Đảng ủy tham mưu xây dựng kế hoạch …        (inline)
    3. Sở Khoa học và Công nghệ: Chủ trì, phối hợp …            (after a colon)
    - Yêu cầu các Chi ủy - Chi bộ, MTTQ, … lựa chọn …          (after "Giao", "Yêu cầu", "Đề nghị")
    1. Sở Nội vụ:                                                (a heading: the items under it
    a) Đối với chương trình …                                     are its tasks)

A task's deadline is the first dated deadline inside its text (the last day of a period).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vanban.extractor.model import Deadline, Section, Task, Unit

_ASSIGN_TITLE_RE = re.compile(
    r"phân\s+công|trách\s+nhiệm\s+(?:của|thực\s+hiện)|(?:của\s+)?(?:từng|các)\s+(?:cơ\s+quan,\s+)?đơn\s+vị",
    re.IGNORECASE,
)
# List marker at the start of a paragraph, with markdown around it ("#### **2. ", "**1.** ", "- ", "a) ").
_MARKER_RE = re.compile(
    r"[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*"
    r"(?P<m>(?P<roman>[IVXLC]+[.)\-–])|(?P<num>\d+(?:\.\d+)*[.)\-–]?)(?=[ \t*])|(?P<alpha>[a-zđ][.)])|(?P<paren>\(\d+\))"
    r"|(?P<bullet>[-+•–—]))?"
    r"(?:\*\*|__)?[ \t]*(?:\*\*|__)?[ \t]*",
)
_LEAD_RE = re.compile(r"(?:(?:kính\s+)?đề\s+nghị|giao(?:\s+cho)?|yêu\s+cầu|phân\s+công|mời)[ \t]+", re.IGNORECASE)
_FILLER_RE = re.compile(r"(?:các|đồng\s+chí|đ/c)[ \t]+", re.IGNORECASE)
_SEPARATOR_RE = re.compile(r"[ \t]*(?:,|;|và|-|–|&)[ \t]*", re.IGNORECASE)
_QUALIFIER_RE = re.compile(r"[ \t]+(?:có\s+liên\s+quan|liên\s+quan|trực\s+thuộc|thuộc|của)(?=[ \t,:;\n*]|$)",
                           re.IGNORECASE)
_ITEM_RE = re.compile(r"(?:[a-zđ][.)]|[-+•])[ \t]")  # "a) …", "- …": a new item, not a wrapped line
_AFTER_GROUP_RE = re.compile(r"[ \t]*(?:\([^)\n]*\))?[ \t*_]*(?P<sep>:|-|–)?[ \t*_]*")
_STOP_RE = re.compile(r"[ \t*#]*(?:trên\s+đây|nơi\s+nhận|tm\.|t/m|kt\.|q\.|tl\.)", re.IGNORECASE)


def _scopes(sections: Iterable[Section]) -> list[Section]:
    """Implementation and assignment sections, outermost only."""
    out: list[Section] = []

    def visit(s: Section) -> None:
        if s.role == "implementation" or _ASSIGN_TITLE_RE.search(s.title or ""):
            out.append(s)
            return
        for c in s.children:
            visit(c)

    for s in sections:
        visit(s)
    return out


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-blank lines of ``text[start:end]``; a line that goes on in lower case joins the previous one."""
    out: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        s, e = pos, line_end
        while s < e and text[s] in " \t\r":
            s += 1
        while e > s and text[e - 1] in " \t\r":
            e -= 1
        if s < e:
            if (out and text[s].islower() and text[out[-1][1] - 1] not in ".;:!?"
                    and not _ITEM_RE.match(text, s, e)):
                out[-1] = (out[-1][0], e)
            else:
                out.append((s, e))
        pos = line_end + 1
    return out


def _style(m: re.Match[str]) -> str | None:
    if m.group("roman"):
        return "roman"
    if m.group("num"):
        return "num" + str(m.group("num").count("."))
    for name in ("alpha", "paren", "bullet"):
        if m.group(name):
            return name if name != "bullet" else "bullet" + m.group(name)
    return None


def _unit_group(text: str, pos: int, end: int, by_start: dict[int, Unit]) -> tuple[int, int] | None:
    """Span of the units listed at ``pos`` ("Chi ủy - Chi bộ, MTTQ, Công an"), or None."""
    f = _FILLER_RE.match(text, pos, end)
    if pos not in by_start and f and f.end() in by_start:
        pos = f.end()
    if pos not in by_start:
        return None
    first = pos
    last = by_start[pos].end
    while True:
        q = _QUALIFIER_RE.match(text, last, end)
        if q and "liên" in q.group(0).lower():
            last = q.end()  # "các cơ quan, đơn vị có liên quan"
            continue
        if q and q.end() + 1 in by_start and text[q.end()] in " \t":
            last = by_start[q.end() + 1].end  # "Trưởng các phòng thuộc Văn phòng"
            continue
        s = _SEPARATOR_RE.match(text, last, end)
        if s is None:
            break
        nxt = s.end()
        f = _FILLER_RE.match(text, nxt, end)
        if nxt not in by_start and f:
            nxt = f.end()  # "…, các đoàn thể"
        if nxt not in by_start:
            break
        last = by_start[nxt].end
    return first, last


def _due(deadlines: list[Deadline], start: int, end: int) -> str | None:
    for d in deadlines:
        if start <= d.start < end:
            if d.kind == "period" and d.end_date:
                return d.end_date
            if d.date:
                return d.date
    return None


def find_tasks(
    text: str, sections: tuple[Section, ...], units: tuple[Unit, ...], deadlines: tuple[Deadline, ...]
) -> tuple[Task, ...]:
    """Tasks assigned to units in the implementation part of the plan, in text order."""
    by_start = {u.start: u for u in units}
    dls = sorted(deadlines, key=lambda d: d.start)
    tasks: list[Task] = []
    for sec in _scopes(sections):
        body_start = sec.heading_end or (text.find("\n", sec.start, sec.end) + 1 or sec.end)
        owner: str | None = None
        owner_style: str | None = None
        for ps, pe in _paragraphs(text, body_start, sec.end):
            if _STOP_RE.match(text, ps, pe):
                break
            if text[ps] == "(" and text[pe - 1] == ")":
                continue  # "(Một số nhiệm vụ … có Phụ lục kèm theo)"
            m = _MARKER_RE.match(text, ps, pe)
            style = _style(m) if m else None
            cs = m.end() if m else ps
            lead = _LEAD_RE.match(text, cs, pe)
            gs = lead.end() if lead else cs
            group = _unit_group(text, gs, pe, by_start)
            action: tuple[int, int] | None = None
            if group is not None:
                after = _AFTER_GROUP_RE.match(text, group[1], pe)
                rest = after.end() if after else group[1]
                while pe > rest and text[pe - 1] in "*_ \t":
                    pe -= 1
                sep = after.group("sep") if after else None
                if rest >= pe:
                    # "1. Sở Nội vụ:" — the items under it are its tasks.
                    owner, owner_style = text[group[0]:group[1]], style
                    continue
                if sep or text[rest].islower() or lead:
                    action = (rest, pe)
                    unit_name = text[group[0]:group[1]]
                    if style is not None and style == owner_style:
                        owner = None
            if action is None:
                if owner is None or (style is not None and style == owner_style):
                    owner = None
                    continue
                unit_name = owner
                end = pe
                while end > cs and text[end - 1] in "*_ \t":
                    end -= 1
                action = (cs, end)
            a, b = action
            if a < b:
                tasks.append(Task(unit_name, text[a:b], a, b, _due(dls, a, b)))
    tasks.sort(key=lambda t: t.start)
    return tuple(tasks)
