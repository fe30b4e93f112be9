"""The text itself: legacy encodings and mixed Unicode normalization that ingest had to convert."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vanban.rules.context import Check, CheckContext, Hit, Param, Text

_NAMES = {
    "tcvn3": Text("phông TCVN3 (ABC)", "the TCVN3 (ABC) legacy encoding"),
    "vni": Text("phông VNI", "the VNI legacy encoding"),
    "nfc": Text("Unicode tổ hợp (NFD) lẫn dựng sẵn", "decomposed (NFD) Unicode mixed with precomposed"),
    "u01a3": Text("ký tự “ƣ” thay cho “ư” (lỗi phông PDF)", "“ƣ” in place of “ư” (a PDF font mapping fault)"),
    "cp1258": Text("bảng mã Windows-1258", "the Windows-1258 code page"),
    "utf-16": Text("UTF-16", "UTF-16"),
}


def encoding(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    wanted = set(p["conversions"])
    for conv in dict.fromkeys(ctx.doc.conversions):
        if conv in wanted:
            yield Hit(0, 0, conv, {"encoding": _NAMES.get(conv, Text(conv, conv))})


ENCODING = Check(encoding, {
    "conversions": Param(list, ["tcvn3", "vni", "nfc", "u01a3", "cp1258"],
                         doc="the ingest conversions that mean the source was not plain Unicode (TCVN 6909)"),
}, ("encoding",), doc="legacy encodings or mixed normalization were found and converted")
