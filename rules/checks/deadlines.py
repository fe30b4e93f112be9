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
    for d in ctx.doc.deadlines:
        if not d.valid or d.kind not in kinds or (d.inferred_year and not p["inferred_year"]):
            continue
        when = d.end_date if d.kind == "period" and d.end_date else d.date
        if not when or date.fromisoformat(when) >= lo.value:
            continue
        note = Text(" (năm được suy ra từ ngày của kế hoạch, văn bản không ghi năm)",
                    " (the year is not written; it was taken from the plan's date)") if d.inferred_year \
            else Text("", "")
        subject = when
        yield Hit(d.start, d.end, subject, {"deadline": clip(d.text, 60), "date": vi_date(when),
                                            "doc_date": vi_date(lo.value), "evidence": lo.evidence,
                                            "note": note})


PAST = Check(past, {
    "evidence": Param(list, ["own_date", "header_partial", "cited_dates"], choices=EVIDENCE_KINDS,
                      doc="what may date the plan when it has no date of its own"),
    "kinds": Param(list, ["before", "by", "on", "period"], choices=KINDS, doc="deadline kinds judged"),
    "inferred_year": Param(bool, True, doc="also judge deadlines whose year was not written"),
}, ("deadline", "date", "doc_date", "evidence", "note"), doc="a deadline earlier than the plan's own date")


def missing(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    if ctx.doc.deadlines:
        return
    if any(s.role == "timeline" for s in ctx.sections):
        return
    title = ctx.header.title or ""
    pattern = re.compile(p["period_pattern"], re.IGNORECASE)
    if pattern.search(title) or pattern.search(fold(title)):
        return
    yield Hit(0, 0, "deadline", {})


MISSING = Check(missing, {
    "period_pattern": Param(str, r"\b(?:năm|nam|giai đoạn|giai doan|quý|quy|tháng|thang|nhiệm kỳ|nhiem ky)"
                                 r"\s+(?:[IVX]+\s*/?\s*)?\d{4}",
                            doc="regex: a time frame named in the summary line counts as one"),
}, (), doc="the plan sets no deadline or time frame")
