"""Who does what: the implementation section must name responsible units."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from vanban.rules.context import Check, CheckContext, Hit, Param, clip, fold


def missing(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    from vanban.rules.checks.sections import PARTS, _with_ancestors

    titles = [fold(t) for t in p["titles"]]
    # "5.2. Tổ chức thực hiện công tác tuyên truyền" inside the content part is a task, not the part.
    own = [s for s, up in _with_ancestors(ctx.doc.sections)
           if not any(a.role in PARTS and a.role != "implementation" for a in up)]
    # The part named for it ("TỔ CHỨC THỰC HIỆN", "PHÂN CÔNG NHIỆM VỤ"); only without one, any part the
    # extractor calls implementation ("CHẾ ĐỘ BÁO CÁO" sets a reporting duty, not who does the work).
    parts = [s for s in own if any(t in fold(s.title) for t in titles)] or \
        [s for s in own if s.role == "implementation"]
    if not parts:
        return  # SEC-IMPLEMENTATION reports the missing section
    spans = [(s.start, s.end) for s in parts]

    def inside(a: int) -> bool:
        return any(lo <= a < hi for lo, hi in spans)

    if any(inside(u.start) for u in ctx.doc.units) or any(inside(t.start) for t in ctx.doc.tasks):
        return
    words = re.compile(p["unit_pattern"])
    if any(words.search(ctx.text, lo, hi) for lo, hi in spans):
        return
    s = parts[0]
    yield Hit(s.start, s.heading_end or s.start, "implementation",
              {"heading": clip(ctx.text[s.start:s.heading_end] or s.title, 60)})


MISSING = Check(missing, {
    "titles": Param(list, ["tổ chức thực hiện", "phân công"], doc="heading words of the implementation section"),
    "unit_pattern": Param(str, r"\b(?:UBND|HĐND|MTTQ|Ủy ban|Uỷ ban|Ban [A-ZĐ]|Phòng [A-ZĐ]|Sở [A-ZĐ]|Chi bộ|"
                               r"Đảng ủy|Đảng uỷ|Văn phòng|Công an|Mặt trận|Hội [A-ZĐ]|Đoàn [A-ZĐ]|Khối [A-ZĐ]|"
                               r"[Cc]ác (?:phòng|ban|ngành|sở|cơ quan|đơn vị|chi bộ|tổ chức))",
                        doc="regex: unit names that count when the unit extractor found none"),
}, ("heading",), doc="the implementation section names no responsible unit")
