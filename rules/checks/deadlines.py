"""Deadlines and time frames: impossible dates, dates already past, plans with no time frame."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from vanban.rules.context import EVIDENCE_KINDS, Check, CheckContext, Hit, Param, Text, clip, fold, vi_date

KINDS = ("before", "by", "on", "from", "period", "recurring")


def invalid(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    for d in ctx.doc.deadlines:
        if not d.valid:
            yield Hit(d.start, d.end, d.text, {"deadline": clip(d.text, 60)})


INVALID = Check(invalid, {}, ("deadline",), doc="a deadline date that does not exist")


def past(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    lo = ctx.reference.lo(p["evidence"])
    if lo is None:
        return
    kinds = set(p["kinds"])
    past = re.compile(p["past_pattern"], re.IGNORECASE)
    # Extraction keeps a deadline the plan sets before its own date (extractor/deadlines.py); it
    # drops narrated events and old cut-off dates, which are no deadlines at all.
    for d in ctx.doc.deadlines:
        if not d.valid or d.kind not in kinds or (d.inferred_year and not p["inferred_year"]):
            continue
        when = d.end_date if d.kind == "period" and d.end_date else d.date
        if not when or date.fromisoformat(when) >= lo.value:
            continue
        if past.search(_sentence_before(ctx.text, d.start)):
            continue  # "đã chỉ đạo … hoàn thành trước ngày …": a report of the past, not a deadline
        note = Text(" (năm được suy ra từ ngày của kế hoạch, văn bản không ghi năm)",
                    " (the year is not written; it was taken from the plan's date)") if d.inferred_year \
            else Text("", "")
        subject = when
        yield Hit(d.start, d.end, subject, {"deadline": clip(d.text, 60), "date": vi_date(when),
                                            "doc_date": vi_date(lo.value), "evidence": lo.evidence,
                                            "note": note})


def _sentence_before(text: str, at: int) -> str:
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at), text.rfind(";", 0, at), at - 300)
    return text[start + 1:at]


PAST = Check(past, {
    "evidence": Param(list, ["own_date", "header_partial", "cited_dates"], choices=EVIDENCE_KINDS,
                      doc="what may date the plan when it has no date of its own"),
    # A period that ended before the plan is nearly always a narrated event ("từ ngày 17 đến ngày 20
    # tháng 11, tỉnh đang phải hứng chịu …"), so periods are not judged by default.
    "kinds": Param(list, ["before", "by", "on"], choices=KINDS, doc="deadline kinds judged"),
    "inferred_year": Param(bool, False, doc="also judge deadlines whose year was not written"),
    "past_pattern": Param(str, r"(?<!\w)(?:đã|đang|vừa|trước đây)(?!\w)",
                          doc="regex: words before a date in its sentence that make it a past event"),
}, ("deadline", "date", "doc_date", "evidence", "note"), doc="a deadline earlier than the plan's own date")


def missing(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    if ctx.doc.deadlines:
        return
    # A part on the timeline is a time frame when it gives one ("III. THỜI GIAN THỰC HIỆN: Quý I/2026"),
    # not when only its heading is left.
    when = re.compile(p["timeline_pattern"], re.IGNORECASE)
    cited = [(c.start, c.end) for c in ctx.citations]  # "Nghị định số 98/2023/NĐ-CP" dates nothing
    for s in ctx.sections:
        if s.role == "timeline" and any(not any(a <= m.start() < b for a, b in cited)
                                        for m in when.finditer(ctx.text, s.heading_end or s.start, s.end)):
            return
    title = ctx.header.title or ""
    pattern = re.compile(p["period_pattern"], re.IGNORECASE)
    if pattern.search(title) or pattern.search(fold(title)):
        return
    if re.search(p["recurring_pattern"], ctx.text, re.IGNORECASE):
        return  # "báo cáo hằng ngày", "định kỳ hằng quý": a rhythm is a time frame too
    yield Hit(0, 0, "deadline", {})


MISSING = Check(missing, {
    "period_pattern": Param(str, r"\b(?:năm|nam|giai đoạn|giai doan|quý|quy|tháng|thang|nhiệm kỳ|nhiem ky)"
                                 r"\s+(?:[IVX]+\s*/?\s*)?\d{4}",
                            doc="regex: a time frame named in the summary line counts as one"),
    "timeline_pattern": Param(str, r"\d{1,2}\s*/\s*\d{1,2}|tháng\s*\d|năm\s*\d{4}|quý\s*(?:[IV]+|\d)|"
                                   r"thường\s+xuyên|hằng|hàng\s+(?:năm|tháng|quý|tuần)|định\s+kỳ",
                              doc="regex: what a timeline part must contain to count as a time frame"),
    "recurring_pattern": Param(str, r"(?<!\w)(?:hằng|hàng|mỗi)\s+(?:ngày|tuần|tháng|quý|năm)(?!\w)|(?<!\w)định\s+kỳ(?!\w)",
                               doc="regex: a recurring duty anywhere in the text counts as a time frame"),
}, (), doc="the plan sets no deadline or time frame")
