"""Check families: one small function per kind of rule, registered here and nowhere else.

A rule pack's ``check:`` key names one of these. Adding a rule is a YAML edit; adding a family is
one function in the module of its area and one line below.
"""

from __future__ import annotations

from vanban.rules.checks import (
    assignments,
    citations,
    deadlines,
    header,
    manual,
    recipients,
    sections,
    signature,
    targets,
    text,
)
from vanban.rules.context import Check

CHECKS: dict[str, Check] = {
    "header.motto": header.MOTTO,
    "header.issuer": header.ISSUER,
    "header.number": header.NUMBER,
    "header.symbol_format": header.SYMBOL_FORMAT,
    "header.date": header.DATE,
    "header.date_format": header.DATE_FORMAT,
    "header.title": header.TITLE,
    "sections.required": sections.REQUIRED,
    "sections.order": sections.ORDER,
    "sections.numbering": sections.NUMBERING,
    "citations.incomplete": citations.INCOMPLETE,
    "citations.date_invalid": citations.DATE_INVALID,
    "citations.date_future": citations.DATE_FUTURE,
    "citations.conflict": citations.CONFLICT,
    "citations.symbol_format": citations.SYMBOL_FORMAT,
    "citations.year_mismatch": citations.YEAR_MISMATCH,
    "citations.expired": citations.EXPIRED,
    "citations.unknown": citations.UNKNOWN,
    "deadlines.invalid": deadlines.INVALID,
    "deadlines.past": deadlines.PAST,
    "deadlines.missing": deadlines.MISSING,
    "targets.missing": targets.MISSING,
    "assignments.missing": assignments.MISSING,
    "signature.missing": signature.MISSING,
    "signature.position": signature.POSITION,
    "signature.authority_format": signature.AUTHORITY_FORMAT,
    "recipients.missing": recipients.MISSING,
    "recipients.archive": recipients.ARCHIVE,
    "text.encoding": text.ENCODING,
    "manual.item": manual.ITEM,
}

__all__ = ["CHECKS", "Check"]
