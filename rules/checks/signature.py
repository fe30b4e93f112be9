"""The signature block: present, with a position or signing authority, in the family's style."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from vanban.rules.context import Check, CheckContext, Hit, Param, Text, clip


def missing(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    if not ctx.header.signers:
        yield Hit(0, 0, "signature", {})


MISSING = Check(missing, {}, (), doc="no signature block")


def _signer_family(ctx: CheckContext, authority: str, party: re.Pattern[str], state: re.Pattern[str]) -> str | None:
    """The family whose form a signer follows: the body it signs for, else the document's."""
    if party.search(authority):
        return "party"
    if state.search(authority):
        return "state"
    return ctx.family if ctx.family in ("party", "state") else None


def position(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    party = re.compile(p["party_bodies"], re.IGNORECASE)
    state = re.compile(p["state_bodies"], re.IGNORECASE)
    for s in ctx.header.signers:
        if s.position:
            continue
        if s.authority and _signer_family(ctx, s.authority, party, state) not in p["require_position"]:
            continue
        who = s.name or ctx.text[s.start:s.end].strip()
        yield Hit(s.start, s.end, who or "signer", {"signer": clip(who or "?", 50)})


# Bodies of each family, by the words of a signing authority ("TM. ỦY BAN NHÂN DÂN", "T/M ĐẢNG ỦY");
# only heads and bodies that exist in one family alone ("CHÁNH VĂN PHÒNG" heads Party offices too).
PARTY_BODIES = (r"\b(?:ĐẢNG|ĐẢNG ỦY|ĐẢNG UỶ|HUYỆN ỦY|HUYỆN UỶ|TỈNH ỦY|TỈNH UỶ|THÀNH ỦY|THÀNH UỶ|QUẬN ỦY|QUẬN UỶ|"
                r"CHI BỘ|BAN THƯỜNG VỤ|BAN CHẤP HÀNH|BÍ THƯ|CẤP ỦY|CẤP UỶ)\b")
STATE_BODIES = (r"\b(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND|CHỦ TỊCH|GIÁM ĐỐC|THỦ TƯỚNG|"
                r"BỘ TRƯỞNG)\b")

POSITION = Check(position, {
    # NĐ 30 writes the signer's position under the authority ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"); in Party
    # documents the authority may stand alone: "T/M BỘ CHÍNH TRỊ" over the name, and a committee
    # member signing for the committee writes no position (HD 36-HD/VPTW, 1.7.1).
    "require_position": Param(list, [], choices=("party", "state"),
                              doc="families whose signers must write their position under the authority"),
    "party_bodies": Param(str, PARTY_BODIES, doc="regex: a signing body of the Party"),
    "state_bodies": Param(str, STATE_BODIES, doc="regex: a signing body or head of the state"),
}, ("signer",), doc="a signer without position (or signing authority)")


_SLASH = re.compile(r"^\s*([TKQ])\s*/\s*([MTLU])\b", re.IGNORECASE)  # T/M, K/T, T/L, T/U
_DOT = re.compile(r"^\s*(TM|KT|TL|TUQ|Q)\s*\.", re.IGNORECASE)  # TM., KT., TL., TUQ., Q.
_BARE = re.compile(r"^\s*(TM|KT|TL|TUQ)\b(?!\.)", re.IGNORECASE)  # "TM ỦY BAN" without the dot


def authority_format(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    party_bodies = re.compile(p["party_bodies"], re.IGNORECASE)
    state_bodies = re.compile(p["state_bodies"], re.IGNORECASE)
    for s in ctx.header.signers:
        line = (s.authority or "").strip(" *_")
        if not line:
            continue
        if party_bodies.search(line):
            fam = "party"
        elif state_bodies.search(line):
            fam = "state"
        elif ctx.family in ("party", "state"):
            fam = ctx.family
        else:
            continue  # a joint document's signer of unknown body: either style may be right
        form = "slash" if _SLASH.match(line) else "dot" if _DOT.match(line) else "bare" if _BARE.match(line) \
            else None
        if form is None:
            continue
        want = "slash" if fam == "party" else "dot"
        if form == want:
            continue
        if fam == "party":
            problem = Text(f"“{clip(line, 40)}”: văn bản của Đảng viết T/M, K/T, T/L (có gạch chéo)",
                           f"“{clip(line, 40)}”: Party documents write T/M, K/T, T/L (with a slash)")
        else:
            problem = Text(f"“{clip(line, 40)}”: văn bản nhà nước viết TM., KT., TL., TUQ., Q. (có dấu chấm)",
                           f"“{clip(line, 40)}”: state documents write TM., KT., TL., TUQ., Q. (with a dot)")
        yield Hit(s.start, s.end, line, {"authority": clip(line, 40), "problem": problem})


AUTHORITY_FORMAT = Check(authority_format, {
    "party_bodies": Param(str, PARTY_BODIES, doc="regex: a signing body of the Party"),
    "state_bodies": Param(str, STATE_BODIES, doc="regex: a signing body or head of the state"),
}, ("authority", "problem"), doc="signing authority written in the other family's style")
