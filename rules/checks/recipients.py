"""The "Nơi nhận" block and its archive line ("Lưu: VT, …" in state style, "Lưu VPĐU." in Party style)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from vanban.rules.context import Check, CheckContext, Hit, Param


def missing(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    h = ctx.header
    if h.recipients_span is None and not h.recipients:
        yield Hit(0, 0, "recipients", {})


MISSING = Check(missing, {}, (), doc="no “Nơi nhận” block")


def archive(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    h = ctx.header
    if h.recipients_span is None and not h.recipients:
        return  # RCP-MISSING reports the block itself
    pattern = re.compile(p["pattern"], re.IGNORECASE)
    if any(pattern.search(r) for r in h.recipients):
        return
    span = h.recipients_span
    if span is not None and any(pattern.search(line) for line in span.text.splitlines()):
        return
    yield Hit(span.start if span else 0, span.end if span else 0, "archive", {})


ARCHIVE = Check(archive, {
    "pattern": Param(str, r"^[\s\-–•+*]*Lưu\b", doc="regex: the archive line of the recipients block"),
}, (), doc="the recipients block has no archive line")
