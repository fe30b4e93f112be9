"""Number-and-symbol shapes: Party ``12-KH/BDVHU``, state ``22/KH-UBND``, normative ``04/2015/NĐ-CP``.

The punctuation roles are reversed between the families (NĐ 30/2020 Phụ lục I II.3; HD 36-HD/VPTW
1.3): state symbols put ``/`` after the number and join groups with ``-``; Party symbols put
``-`` after the number and ``/`` before the issuer. That is how the families are told apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vanban.rules.context import fold

if TYPE_CHECKING:
    from vanban.extractor.model import ExtractedDocument

# Numbers may carry a sub-number ("66.4/2025/NQ-CP"); groups may join units with "&" ("CCHC&VTLT").
_NUM = r"(?P<num>\d+(?:\.\d+)?)"
_GROUP = r"[A-Za-zĐđ0-9&.]+"
_PARTY = re.compile(rf"^{_NUM}-(?P<type>[A-Za-zĐđ]+)/(?P<issuer>{_GROUP}(?:-{_GROUP})*)$")
_NORMATIVE = re.compile(rf"^{_NUM}/(?P<year>(?:19|20)\d\d)/(?P<rest>{_GROUP}(?:-{_GROUP})*)$")
_STATE = re.compile(rf"^{_NUM}/(?P<rest>[A-Za-zĐđ][A-Za-zĐđ0-9&.]*(?:-{_GROUP})*)$")


# Issuer codes whose family is certain (the lists are not closed: other codes decide nothing).
PARTY_ISSUERS = r"(?:[A-ZĐ]*(?:TW|TU|HU|ĐU|QU)|VPTW|BCS[A-ZĐ]*)"
STATE_ISSUERS = r"(?:UBND|HĐND|CP|TTg|VPCP|UBTVQH\d*|QH\d+)"

# Type names as written in a header (folded) → the type code of NĐ 30 Phụ lục III / HD 36.
TYPE_CODES = {
    "ke hoach": "KH", "nghi quyet": "NQ", "quyet dinh": "QĐ", "quy dinh": "QyĐ", "chi thi": "CT",
    "ket luan": "KL", "quy che": "QC", "thong bao": "TB", "thong cao": "TC", "huong dan": "HD",
    "chuong trinh": "CTr", "phuong an": "PA", "de an": "ĐA", "du an": "DA", "bao cao": "BC",
    "bien ban": "BB", "to trinh": "TTr", "cong dien": "CĐ", "giay moi": "GM", "thong tri": "TT",
    "cong van": "CV", "luat": "L", "bo luat": "L", "phap lenh": "PL", "thong tu": "TT", "nghi dinh": "NĐ",
}


@dataclass(frozen=True, slots=True)
class SymbolParts:
    style: str  # "party" | "state" | "normative" | "malformed"
    number: str | None = None
    year: int | None = None
    type_code: str | None = None
    issuers: tuple[str, ...] = ()


def parse_symbol(symbol: str, type_codes: Iterable[str] = ()) -> SymbolParts:
    """Split a canonical symbol; ``type_codes`` (regexes) tell a state type code from an issuer group."""
    m = _PARTY.match(symbol)
    if m:
        return SymbolParts("party", m["num"], None, m["type"], tuple(m["issuer"].split("-")))
    m = _NORMATIVE.match(symbol)
    if m:
        groups = m["rest"].split("-")
        typ = groups[0] if len(groups) > 1 else None
        issuers = tuple(groups[1:] if typ else groups)
        return SymbolParts("normative", m["num"], int(m["year"]), typ, issuers)
    m = _STATE.match(symbol)
    if m:
        groups = m["rest"].split("-")
        if len(groups) > 1 and any(re.fullmatch(c, groups[0]) for c in type_codes if c != "-"):
            return SymbolParts("state", m["num"], None, groups[0], tuple(groups[1:]))
        # Công văn: no type code, the issuer then the drafting unit ("12/UBND-VX").
        return SymbolParts("state", m["num"], None, None, tuple(groups))
    return SymbolParts("malformed")


def issuer_family(issuers: Iterable[str], party_pattern: str, state_pattern: str) -> str | None:
    """"party"/"state" when every issuer group is a known code of that family, else None."""
    groups = list(issuers)
    if not groups:
        return None
    if all(re.fullmatch(party_pattern, g) for g in groups):
        return "party"
    if all(re.fullmatch(state_pattern, g) for g in groups):
        return "state"
    return None


def code_accepted(code: str | None, accepted: Iterable[str]) -> bool:
    """Accepted codes are regular expressions matched against the whole code; "-" means no code."""
    for pattern in accepted:
        if pattern == "-" and code is None:
            return True
        if code is not None and pattern != "-" and re.fullmatch(pattern, code):
            return True
    return False


def document_type_code(doc: ExtractedDocument) -> str | None:
    """The type code of the type name in the header ("KẾ HOẠCH" → KH); the extracted one otherwise.

    The header's type name wins over a code read from the symbol: a plan numbered "15/QĐ-UBND" is
    still a plan, with a wrong symbol."""
    h = doc.document
    if h.type_span is not None:
        word = " ".join(re.sub(r"[^0-9a-z]+", " ", fold(h.type_span.text)).split())
        for name in sorted(TYPE_CODES, key=len, reverse=True):
            if word == name or word.startswith(name + " "):
                return TYPE_CODES[name]
    if h.number_span is not None and fold(h.number_span.text).lstrip("*_ ").startswith("luat so"):
        return "L"  # "Luật số: 83/2025/QH15"
    if h.type_code:
        return h.type_code
    # Công văn have no type name: their summary follows "V/v" under the number (NĐ 30, Phụ lục I, II.5).
    if h.type_span is None and re.search(r"(?m)^[ \t*_|]*V/v\b", doc.text[:1500]):
        return "CV"
    # … and no type code in the symbol: "Số: 193/UBND-KT" (NĐ 30, Phụ lục I, II.3).
    if h.symbol and re.fullmatch(r"\d+/[^/]+", h.symbol):
        codes = [re.escape(c) for c in {*TYPE_CODES.values(), "NĐ", "TT", "TTLT", "PL", "HĐ", "GP", "KHPH"}]
        if parse_symbol(h.symbol, codes).type_code is None:
            return "CV"
    return None
