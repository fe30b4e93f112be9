"""Short back-references to documents: "Kế hoạch này", "Nghị quyết trên", "Chỉ thị nêu trên".

"… này" names the document itself: type set, key None. "… trên", "… nêu trên", "… nói trên"
point back; such a reference takes a citation's key only when exactly one earlier citation of
that type fits (eyecite's rule for short forms: ambiguity resolves to nothing, never to a guess).
A plural ("các Nghị quyết trên") names several documents and resolves to none of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vanban.extractor.citations import TypeWords, grammar
from vanban.extractor.model import Citation, Reference

_BL = r"[ \t\u00a0\u202f\u2009]"
# The demonstrative after the type word; a bare "trên" ("Kế hoạch trên địa bàn …" means "in") is a
# back-reference only before punctuation or a verb.
_POINTER = re.compile(
    rf"(?:{_BL}|\n)+(?P<p>này|nêu{_BL}+trên|nói{_BL}+trên|kể{_BL}+trên|vừa{_BL}+nêu|dẫn{_BL}+trên|đã{_BL}+dẫn"
    rf"|đã{_BL}+nêu(?:{_BL}+trên)?"
    rf"|trên(?={_BL}*(?:[,.;:)]|$|\n(?!\s*[a-zđà-ỹ])|(?:và|thì|đã|được|là|cho|để|nhằm|với|đến|tới|sâu)(?!\w))))(?!\w)",
    re.IGNORECASE,
)
# "pháp luật trên …" is the law in general, not a document.
_NOT_A_DOCUMENT = re.compile(rf"(?<!\w)pháp{_BL}+$", re.IGNORECASE)
_PLURAL = re.compile(rf"(?<!\w)(?:các|những|hai|ba){_BL}+$", re.IGNORECASE)


def find_references(text: str, citations: Sequence[Citation]) -> tuple[Reference, ...]:
    """Every back-reference of ``text`` in text order, resolved against ``citations``."""
    words = TypeWords(text, grammar())
    spans = sorted((c.start, c.end) for c in citations)
    out: list[Reference] = []
    for hit in words.hits:
        if _inside(spans, hit.start) or _NOT_A_DOCUMENT.search(text, max(0, hit.start - 6), hit.start):
            continue
        m = _POINTER.match(text, hit.end)
        if m is None:
            continue
        tname = hit.type.name
        pointer = m.group("p").casefold()
        key: str | None = None
        if pointer != "này" and not _PLURAL.search(text, max(0, hit.start - 12), hit.start):
            key = _antecedent(citations, hit.start, None if hit.type.generic else tname)
        out.append(Reference(text=text[hit.start : m.end()], start=hit.start, end=m.end(), type=tname, key=key))
    return tuple(out)


def _antecedent(citations: Sequence[Citation], before: int, tname: str | None) -> str | None:
    """The key of the one earlier document of type ``tname`` (any type when None), if only one."""
    keys = {c.key for c in citations if c.end <= before and (tname is None or c.type == tname)}
    return keys.pop() if len(keys) == 1 else None


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)
