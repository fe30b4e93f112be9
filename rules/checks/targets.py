"""Measurable targets ("100% cán bộ …", "ít nhất 01 mô hình", "đạt chuẩn 4 sao")."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vanban.rules.context import Check, CheckContext, Hit


def missing(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    if not ctx.doc.targets:
        yield Hit(0, 0, "target", {})


MISSING = Check(missing, {}, (), doc="the plan sets no measurable target")
