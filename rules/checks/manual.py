"""Things software cannot decide from text ("kiểm tra thủ công"): listed for a person, never passed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vanban.rules.context import Check, CheckContext, Hit, Param


def item(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    doc = ctx.doc
    if p["needs_signature"] and not doc.document.signers:
        return  # nothing signed yet: SIG-MISSING says so
    formats = p["formats"]
    scanned = "ocr" in doc.conversions
    if formats and doc.source.format not in formats and not (scanned and p["scans"]):
        return
    if p["scans"] and not formats and not scanned:
        return
    yield Hit(0, 0, None, {"format": doc.source.format})


ITEM = Check(item, {
    "needs_signature": Param(bool, False, doc="only for documents with a signature block"),
    "formats": Param(list, [], doc="only for these source formats (empty: every format)"),
    "scans": Param(bool, False, doc="also (or, without formats: only) for scanned, OCR'd sources"),
}, ("format",), manual=True, doc="a manual check listed for a person to do")
