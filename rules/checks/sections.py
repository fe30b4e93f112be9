"""The body's outline: required parts of a plan, their order, and the numbering of headings.

No regulation fixes the sections of a Kế hoạch; these rules encode established practice and the
title words a pack accepts for each part, so a province can demand its own ("Kinh phí").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from vanban.extractor.model import Section
from vanban.rules.context import Check, CheckContext, Hit, Param, Text, clip, fold

ROLES = ("purpose", "content", "implementation", "timeline", "funding", "other")
ROLE_NAMES = {
    "purpose": Text("mục đích, yêu cầu", "purpose and requirements"),
    "content": Text("nội dung, nhiệm vụ", "content and tasks"),
    "implementation": Text("tổ chức thực hiện", "implementation"),
    "timeline": Text("thời gian, tiến độ", "timeline"),
    "funding": Text("kinh phí", "funding"),
    "other": Text("khác", "other"),
}


PARTS = ("purpose", "content", "implementation")


def _matches(section: Section, role: str, titles: Sequence[str], by_role: bool = True) -> bool:
    if by_role and section.role == role:
        return True
    t = fold(section.title)
    return any(fold(w) in t for w in titles)


def _with_ancestors(sections: Sequence[Section], up: tuple[Section, ...] = ()) -> Iterator[tuple[Section, tuple[Section, ...]]]:
    for s in sections:
        yield s, up
        yield from _with_ancestors(s.children, (*up, s))


def required(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    role, titles, max_level = p["role"], p["titles"], p.get("max_level")
    for s, up in _with_ancestors(ctx.doc.sections):
        if max_level is not None and s.level > max_level:
            continue
        # A sub-heading inside another part is a point of that part: "3. Nâng cao trách nhiệm của
        # các cơ quan" under "NHIỆM VỤ, GIẢI PHÁP" is a task, not the plan's implementation part.
        if any(a.role in PARTS and a.role != role for a in up):
            continue
        if _matches(s, role, titles, p["match_role"]):
            return
    words = ", ".join(f"“{w}”" for w in titles[:4])
    yield Hit(0, 0, role, {"part": ROLE_NAMES[role], "titles": words})


REQUIRED = Check(required, {
    "role": Param(str, required=True, choices=ROLES, doc="the section role the plan must contain"),
    "titles": Param(list, [], doc="heading words that also count as that part (folded, contained)"),
    "match_role": Param(bool, True, doc="a heading the extractor gave this role counts even without the words"),
    "max_level": Param(int, doc="only look at headings down to this level"),
}, ("part", "titles"), doc="a plan contains a part with the given role")


def _part(s: Section, want: Sequence[str], titles: Mapping[str, Sequence[str]], report: Sequence[str]) -> str | None:
    """The part a top-level heading is: its role, or for a heading the extractor gave another role
    ("LỘ TRÌNH THỰC HIỆN VÀ NỘI DUNG TUYÊN TRUYỀN" is a timeline), the part its words name — unless
    it reports on the past ("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ …" is no task list)."""
    if s.role in want:
        return s.role
    if fold(s.title).startswith(tuple(fold(w) for w in report)):
        return None
    named = [r for r in want if _matches(s, r, titles.get(r, ()), by_role=False)]
    return named[0] if len(named) == 1 else None


def order(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    want: list[str] = p["order"]
    top = _top(ctx)
    first: dict[str, Section] = {}
    for s in top:
        part = _part(s, want, p["titles"], p["report_words"])
        if part is not None and part not in first:
            first[part] = s
    present = [r for r in want if r in first]
    found = sorted(present, key=lambda r: first[r].start)
    if found == present:
        return
    # The first section that comes before one it should follow.
    culprit = next(first[r] for r, w in zip(found, present, strict=True) if r != w)
    yield Hit(culprit.start, culprit.heading_end or culprit.start, "order", {
        "found": Text(" → ".join(ROLE_NAMES[r].vi for r in found), " → ".join(ROLE_NAMES[r].en for r in found)),
        "expected": Text(" → ".join(ROLE_NAMES[r].vi for r in present),
                         " → ".join(ROLE_NAMES[r].en for r in present)),
        "heading": clip(ctx.text[culprit.start:culprit.heading_end or culprit.start] or culprit.title, 60),
    })


ORDER = Check(order, {
    "order": Param(list, ["purpose", "content", "implementation"], choices=ROLES,
                   doc="roles in the order they must first appear among the top-level sections"),
    "titles": Param(dict, {}, doc="role → heading words that name that part when the extractor gave another role"),
    "report_words": Param(list, ["tình hình", "kết quả", "đánh giá", "dự báo", "thực trạng"],
                          doc="opening words of a heading that reports rather than plans"),
}, ("found", "expected", "heading"), doc="required parts appear in the usual order")


def _top(ctx: CheckContext) -> list[Section]:
    return sorted(ctx.doc.sections, key=lambda s: s.start)


# --------------------------------------------------------------------------- SEC-NUMBERING

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_VI_LETTERS = "abcdđeghiklmnopqrstuvxy"
_LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _roman(s: str) -> int | None:
    if not re.fullmatch(r"[IVXLC]+", s):
        return None
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def _to_roman(n: int) -> str:
    out = ""
    for v, sym in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"),
                   (1, "I")):
        while n >= v:
            out, n = out + sym, n - v
    return out


def _parse(number: str) -> tuple[str, str, int] | None:
    """(style, prefix, value): "IV" → (roman, "", 4); "2.3" → (dotted, "2.", 3); "b" → (letter, "", 2)."""
    n = number.strip().strip(".-)/:(").strip()
    n = re.sub(r"^(?:phần|mục|chương)\s+", "", n, flags=re.IGNORECASE)
    if not n:
        return None
    r = _roman(n.upper()) if n.isupper() else None
    if r:
        return "roman", "", r
    if n.isdigit():
        return "arabic", "", int(n)
    m = re.fullmatch(r"((?:\d+\.)+)(\d+)", n)
    if m:
        return f"dotted{m[1].count('.')}", m[1], int(m[2])
    if len(n) == 1 and n.lower() in _LATIN_LETTERS + "đ":
        return "letter", "", 0  # value filled per group (the alphabet depends on the group)
    return None


def _format(style: str, prefix: str, value: int, alphabet: str) -> str:
    if style == "roman":
        return _to_roman(value)
    if style == "letter":
        return alphabet[value - 1] if 0 < value <= len(alphabet) else str(value)
    return f"{prefix}{value}"


def _is_article(ctx: CheckContext, s: Section) -> bool:
    return bool(re.match(r"[\s*_#]*Điều\b", ctx.text[s.start:s.heading_end or s.start + 10]))


def numbering(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    outline = list(_sibling_groups(ctx, list(ctx.doc.sections), p, 0))
    yield from outline
    if p["paragraphs"]:
        seen = {ctx.text.rfind("\n", 0, h.start) for h in outline}
        yield from (h for h in _numbered_paragraphs(ctx) if ctx.text.rfind("\n", 0, h.start) not in seen)
    # Articles ("Điều 12.") are numbered through the whole document, across chapters.
    articles = sorted((s for s in ctx.sections if s.number and _is_article(ctx, s) and not _quoted(ctx, s)),
                      key=lambda s: s.start)
    items = [(s, s.number.strip().strip(".-)/:(").strip()) for s in articles if s.number]
    items = [(s, n) for s, n in items if n.isdigit()]
    if len(items) >= p["min_group"]:
        # A document may quote a run of another one's articles ("Điều 57 … Điều 59"): judge the run only.
        yield from _check_group(ctx, "arabic", "", items, {**p, "must_start_at_one": False}, 0)


_ITEM = re.compile(r"(?m)^[ \t*_#>|]*(?P<n>\d{1,2})(?:\*\*)?[ \t]*\.(?!\d)[ \t*_]*(?=[^\W\d_])")
_ARTICLE_LINE = re.compile(r"(?m)^[ \t*_#>|]*(?:Điều|ĐIỀU)[ \t]+\d+")


def _numbered_paragraphs(ctx: CheckContext) -> Iterator[Hit]:
    """Numbered paragraphs of each Roman-numbered part, which the outline need not hold ("1. Việc
    tiếp công dân … phải …" is a point, not a heading): 1, 2, 2 or 1, 2, 4 there is a slip too.

    A "1." opens a list (nested or new); any later number must continue one of the open lists."""
    h = ctx.header
    ends = [s.start for s in h.signers] + ([h.recipients_span.start] if h.recipients_span else [])
    for top in ctx.doc.sections:
        parsed = _parse(top.number) if top.number else None
        if parsed is None or parsed[0] != "roman":
            continue
        lo = top.heading_end or top.start
        hi = min([top.end, *(e for e in ends if e > lo)])
        marks: list[tuple[int, re.Match[str] | None]] = [(m.start(), None)
                                                        for m in _ARTICLE_LINE.finditer(ctx.text, lo, hi)]
        marks += [(m.start(), m) for m in _ITEM.finditer(ctx.text, lo, hi)
                  if ctx.text[m.end():m.end() + 1].isupper() and not _in_quote(ctx, m.start())]
        open_lists: list[int] = []
        prev = lo
        for at, m in sorted(marks, key=lambda t: t[0]):
            if m is None:
                open_lists, prev = [], at  # khoản are numbered afresh in every article
                continue
            v = int(m["n"])
            if v == 1:
                open_lists.append(1)
            elif not open_lists:
                open_lists.append(v)  # a list whose first points are written another way
            else:
                i = next((i for i in range(len(open_lists) - 1, -1, -1) if open_lists[i] + 1 == v), None)
                if i is not None:
                    del open_lists[i + 1:]
                    open_lists[i] = v
                else:
                    last = open_lists[-1]
                    labels = [str(k) for k in range(last + 1, v)]
                    if not (labels and all(_written(ctx, label, prev, at) for label in labels)):
                        end = ctx.text.find("\n", at)
                        end = len(ctx.text) if end < 0 else end
                        problem = (Text(f"thiếu {', '.join(labels)} trước “{v}”", f"{', '.join(labels)} missing before “{v}”")
                                   if labels else Text(f"số “{v}” lặp lại hoặc lùi lại", f"“{v}” repeats or goes back"))
                        yield Hit(m.start("n"), min(end, m.start("n") + 80), f"{'gap' if labels else 'repeat'}:{v}",
                                  {"numbers": f"{last}, {v}", "problem": problem})
                    open_lists[-1] = max(last, v)
            prev = at


def _in_quote(ctx: CheckContext, at: int) -> bool:
    """Inside a quotation opened earlier in the same paragraph block (an amended article)."""
    block = ctx.text[max(0, at - 1500):at]
    cut = block.rfind("\n\n")
    block = block[cut + 2:] if cut >= 0 else block
    return block.count("“") > block.count("”")


def _quoted(ctx: CheckContext, s: Section) -> bool:
    """A heading inside quotation marks belongs to a quoted document (an amended article)."""
    head = ctx.text[s.start:s.heading_end or s.start + 3].lstrip(" \t*_")
    before = ctx.text[max(0, s.start - 3):s.start].rstrip(" \t*_")
    if head[:1] in "“\"'‘«" or before[-1:] in "“\"'‘«":
        return True
    # Inside a quotation opened on an earlier line of the same paragraph block and not yet closed.
    block = ctx.text[max(0, s.start - 1500):s.start]
    cut = block.rfind("\n\n")
    block = block[cut + 2:] if cut >= 0 else block
    return block.count("“") > block.count("”")


def _written(ctx: CheckContext, label: str, lo: int, hi: int) -> bool:
    """Whether a line between ``lo`` and ``hi`` opens with ``label`` ("7.", "c)", "III-"): the heading
    is in the text even if the outline did not take it, so no number is missing. A Roman numeral
    also counts after the end of a sentence (a heading run into the paragraph before it)."""
    pattern = re.compile(rf"(?m)^[ \t*_#>|]*{re.escape(label)}[ \t]*[.)\-/:]")
    if pattern.search(ctx.text, lo, hi):
        return True
    if re.fullmatch(r"[IVXLC]+", label):
        inline = re.compile(rf"[.;:)][ \t*_]+{re.escape(label)}[ \t]*[.\-/][ \t]*[A-ZĐ*]")
        return inline.search(ctx.text, lo, hi) is not None
    return False


def _other_heading(ctx: CheckContext, style: str, lo: int, hi: int) -> bool:
    """A numbered line of another style between two siblings: the parent heading of a new list."""
    others = {"roman": r"\d+[.)]|[a-zđ]\)", "arabic": r"[IVXLC]+[.\-]|[a-zđ]\)", "letter": r"[IVXLC]+[.\-]|\d+[.)]"}
    pattern = others.get(style, r"[IVXLC]+[.\-]|\d+[.)]")
    return re.search(rf"(?m)^[ \t*_#>|]*(?:{pattern})[ \t]+\S", ctx.text[lo:hi]) is not None


def _sibling_groups(ctx: CheckContext, siblings: list[Section], p: Mapping[str, Any],
                    parent_end: int) -> Iterator[Hit]:
    groups: dict[tuple[str, str], list[tuple[Section, str]]] = {}
    for s in sorted(siblings, key=lambda s: s.start):
        if _is_article(ctx, s) or _quoted(ctx, s):
            continue  # articles are judged across the document; quoted ones are not ours
        if not s.number:
            continue
        parsed = _parse(s.number)
        if parsed:
            style, prefix, _ = parsed
            groups.setdefault((style, prefix), []).append((s, s.number.strip().strip(".-)/:(").strip()))
    for (style, prefix), items in groups.items():
        if len(items) < p["min_group"]:
            continue
        yield from _check_group(ctx, style, prefix, items, p, parent_end)
    for s in siblings:
        if s.children:
            yield from _sibling_groups(ctx, list(s.children), p, s.heading_end or s.start)


def _check_group(ctx: CheckContext, style: str, prefix: str, items: list[tuple[Section, str]],
                 p: Mapping[str, Any], parent_end: int) -> Iterator[Hit]:
    alphabet = _VI_LETTERS
    if style == "letter":
        letters = [raw.lower() for _, raw in items]
        # Lists run a, b, c, d, đ, e in Vietnamese order, or a, b, c, d, e when no "đ" is used at all.
        if any(ch in "fjwz" for ch in letters) or ("đ" not in letters and "e" in letters):
            alphabet = _LATIN_LETTERS
        values = [alphabet.index(ch) + 1 if ch in alphabet else 0 for ch in letters]
        if all(raw.isupper() for _, raw in items):
            alphabet = alphabet.upper()
    else:
        values = [_parse(raw)[2] for _, raw in items]  # type: ignore[index]
    written = ", ".join(raw for _, raw in items)
    expected = 1 if p["must_start_at_one"] else values[0]
    previous = parent_end
    for (section, raw), value in zip(items, values, strict=True):
        lo, previous = previous, section.start
        if value == expected:
            expected += 1
            continue
        if value < expected:
            # A list that starts again ("a, b" under a heading the outline did not take, then "a, b"):
            # the earlier items are written just before it.
            restart = [_format(style, prefix, v, alphabet) for v in range(1, value)]
            # Lettered sub-lists restart freely ("a, b" … "a, b"); numbered ones need their new parent.
            if all(_written(ctx, label, lo, section.start) for label in restart) and (
                    value > 1 or style == "letter" or _other_heading(ctx, style, lo, section.start)):
                expected = value + 1
                continue
            problem = Text(f"số “{raw}” lặp lại hoặc lùi lại", f"“{raw}” repeats or goes back")
            subject = f"repeat:{raw}"
        else:
            labels = [_format(style, prefix, v, alphabet) for v in range(expected, value)]
            if all(_written(ctx, label, lo, section.start) for label in labels):
                expected = value + 1
                continue
            missing = ", ".join(labels)
            problem = Text(f"thiếu {missing} trước “{raw}”", f"{missing} missing before “{raw}”")
            subject = f"gap:{raw}"
        yield Hit(section.start, section.heading_end or section.start, subject, {
            "numbers": written, "problem": problem})
        expected = max(expected, value + 1)


NUMBERING = Check(numbering, {
    "min_group": Param(int, 2, doc="only judge runs of at least this many sibling headings"),
    "paragraphs": Param(bool, True, doc="also judge numbered paragraphs (1., 2., …) inside Roman-numbered parts"),
    "must_start_at_one": Param(bool, True, doc="a run must start at I / 1 / a"),
}, ("numbers", "problem"), doc="no gap or repeat in the heading numbers at one level")
