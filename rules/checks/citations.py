"""Cited documents: completeness of the first mention, dates, conflicts, symbol shape, registry status."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from vanban.extractor.model import Citation
from vanban.rules.checks.symbols import (
    PARTY_ISSUERS,
    STATE_ISSUERS,
    code_accepted,
    issuer_family,
    parse_symbol,
)
from vanban.rules.context import EVIDENCE_KINDS, Check, CheckContext, Hit, Param, Text, clip, fold, vi_date

if TYPE_CHECKING:
    from vanban.corpus.registry import RegEntry

# Citations joined only by these are written as one ("Quyết định số 217-QĐ/TW và Quyết định số
# 218-QĐ/TW ngày 12 tháng 12 năm 2013 của Bộ Chính trị"): the tail's date and issuer belong to all.
_JOINER = re.compile(r"^\s*,?\s*(?:và\s*)?$", re.IGNORECASE)
# "Thực hiện các văn bản của UBND huyện tại: Công văn số …; Quyết định số …" — one issuer for a list.
_LIST_ISSUER = re.compile(r"văn\s+bản\s+(?:của|do)\s+(?P<issuer>[^.;:\n]{2,60}?)\s*(?:tại|như\s+sau|gồm|sau\s+đây)?"
                          r"\s*:\s*$", re.IGNORECASE)
_FIELD = {"date": Text("ngày ban hành", "the date"), "issuer": Text("cơ quan ban hành", "the issuing body"),
          "title": Text("trích yếu", "the summary")}


def _numbered(ctx: CheckContext) -> Iterator[tuple[str, list[Citation]]]:
    for key, mentions in ctx.mentions.items():
        if mentions[0].symbol:
            yield key, mentions


def _shared_tail(ctx: CheckContext, c: Citation) -> Citation | None:
    """The citation this one shares its date and issuer with, when written as one list."""
    cits = ctx.citations
    i = ctx.citation_index.get(id(c))
    if i is None:
        return None
    prev = c
    for nxt in cits[i + 1:]:
        if not _JOINER.match(ctx.text[prev.end:nxt.start]):
            return None
        if nxt.date or nxt.date_text or nxt.issuer:
            return nxt
        prev = nxt
    return None


def _list_issuer(ctx: CheckContext, c: Citation) -> bool:
    """An issuer stated once before a list of its documents, in the same paragraph."""
    para = ctx.text.rfind("\n", 0, c.start) + 1
    before = ctx.text[para:c.start]
    # Only the stretch since the list opened: back to the last colon, skipping the list's own items.
    colon = before.rfind(":")
    if colon < 0:
        return False
    m = _LIST_ISSUER.search(before[: colon + 1])
    return m is not None and not re.search(r"\svề\s", m["issuer"])


_ACTED_AT = re.compile(
    r"(?:^|,)[\s*_]*(?:[-+•]\s*)?(?:Ngày\s[^,]{4,30},\s*)?(?:(?:Chủ\s+tịch|Giám\s+đốc|Thủ\s+trưởng|Lãnh\s+đạo)\s+)?"
    r"(?:Bộ|Sở|Cục|Ủy\s+ban|Uỷ\s+ban|UBND|HĐND|Hội\s+đồng|Chính\s+phủ|Thủ\s+tướng|Văn\s+phòng|Ban|Tỉnh\s+ủy|"
    r"Thành\s+ủy|Quốc\s+hội|Kiểm\s+toán|Thanh\s+tra|Công\s+an|Tổng\s+cục)\s+[A-ZĐ][^;:.]{0,220}?"
    r"\s(?:đã\s+|vừa\s+)?(?:ban\s+hành|có|tại)(?:\s+các)?(?:\s+[^\s]+(?:\s+[^\s]+)?\s+(?:số\s*)?)?\s*$")


def _issuer_before(ctx: CheckContext, c: Citation) -> bool:
    """The issuer written before the number: "Kế hoạch của Ban Dân vận phối hợp với … số 58-KH/…",
    "Công ty TNHH Lương Việt tại Văn bản số 05/…", "Sở Tài chính có Văn bản số …"."""
    para = ctx.text.rfind("\n", 0, c.start) + 1
    before = ctx.text[max(para, c.start - 250):c.start]
    if c.type:
        pattern = rf"{re.escape(c.type)}\s+(?:của|do)\s+[^;:.\n]{{2,180}}?\s+số\s*:?\s*$"
        if re.search(pattern, before, re.IGNORECASE):
            return True
    # "<Body> (đã) ban hành|có … tại <citation>": a name with a capital right before, in the same clause
    # ("Thủ tướng Chính phủ phê duyệt tại các Quyết định: số 36/QĐ-TTg …": the clause before a list).
    clauses = re.split(r"[;:.,(]", before)
    clause = clauses[-1]
    if len(clauses) > 1 and re.fullmatch(r"\s*(?:số\s*)?", clause) and before.rstrip(" \tsố").endswith(":"):
        clause = clauses[-2]
    if re.search(r"(?:quy\s+định|theo|căn\s+cứ|hướng\s+dẫn)\s+tại(?:\s+\S+){0,4}?\s*$", clause, re.IGNORECASE):
        return False  # "thực hiện theo quy định tại Thông tư số …" names no issuer
    m = re.search(r"(?P<name>\S+(?:\s+\S+){0,12}?)\s+(?:đã\s+|vừa\s+)?(?:ban\s+hành|có|tại)(?:\s+\S+){0,4}?\s*$",
                  clause)
    if m is not None and any(w[:1].isupper() for w in m["name"].split()):
        return True
    # "Giám đốc Sở Tài chính đã quyết định điều chuyển máy móc, thiết bị … tại Quyết định số …": a body
    # opens the sentence and the document is where it acted.
    start = max(para, c.start - 400)
    sentence = ctx.text[start:c.start]
    cut = max(sentence.rfind(". "), sentence.rfind(";"), sentence.rfind(":"))
    return _ACTED_AT.search(sentence[cut + 1:]) is not None


_LATER_JOINER = re.compile(r"^[\s,]*(?:và|hoặc|sửa\s+đổi,?\s+bổ\s+sung(?:\s+một\s+số\s+điều\s+(?:của\s+)?)?)?[\s,]*$",
                           re.IGNORECASE)


def _issuer_later_in_clause(ctx: CheckContext, c: Citation) -> bool:
    """"Quyết định số 2331/QĐ-TTg ngày 20/12/2010 và Quyết định số 2406/QĐ-TTg ngày 18/12/2011 của
    Thủ tướng Chính phủ": one issuer written after the last of several documents of the same body."""
    i = ctx.citation_index.get(id(c))
    if i is None:
        return False
    body, prev = _body_code(c), c
    for nxt in ctx.citations[i + 1:]:
        # Only documents written one after the other ("A ngày … và B ngày … của X", "A sửa đổi, bổ
        # sung B … của X"); "A ngày … về việc … và B … của X" gives A no issuer.
        if not _LATER_JOINER.match(ctx.text[prev.end:nxt.start]):
            return False
        if nxt.issuer:
            return _body_code(nxt) == body
        prev = nxt
    return False


def _date_before(ctx: CheckContext, c: Citation) -> bool:
    """"Ngày 08/12/2023, Văn phòng Chính phủ có ý kiến tại Văn bản số …": the date opens the sentence."""
    from vanban.extractor.dates import find_dates

    para = ctx.text.rfind("\n", 0, c.start) + 1
    start = max(para, c.start - 200)
    stop = max(ctx.text.rfind(". ", start, c.start), ctx.text.rfind(";", start, c.start))
    start = stop + 1 if stop >= 0 else start
    opens = re.match(r"[\s*_]*(?:[-–+•]\s*)?(?:vào\s+)?ngày\b", ctx.text[start:c.start], re.IGNORECASE)
    return bool(opens) and bool(find_dates(ctx.text, start, c.start))


def _listed_after(ctx: CheckContext, c: Citation) -> Citation | None:
    """The citation this one continues in a list ("Quyết định số 304/QĐ-STC …; Quyết định số 305/…")."""
    cits = ctx.citations
    i = ctx.citation_index.get(id(c))
    if not i:
        return None
    prev = cits[i - 1]
    between = ctx.text[prev.end:c.start]
    if len(between) > 200 or "\n" in between or ". " in between or not re.search(r"[;,]|\bvà\b", between):
        return None
    return prev


def incomplete(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    exempt = {fold(t) for t in p["exempt_types"]}
    summary = ctx.header.title_span
    for key, mentions in _numbered(ctx):
        # The summary line names a document in short; the rule is for the first mention in the text.
        body = [m for m in mentions if summary is None or not (summary.start <= m.start < summary.end)]
        first = body[0] if body else mentions[0]
        if fold(first.type) in exempt:
            continue
        mentions = [first, *(m for m in mentions if m is not first)]
        bare = not (first.date or first.date_text or first.issuer)
        tail = _shared_tail(ctx, first) if p["shared_tail"] and bare else None
        missing = [name for name in p["require"] if not _given(ctx, first, tail, name)]
        if not missing:
            continue
        later = [m for m in mentions[1:] if all(_has(m, f) for f in missing)]
        note = Text(f" (lần nhắc sau có đủ: “{clip(later[0].text, 60)}”)",
                    f" (a later mention has it: “{clip(later[0].text, 60)}”)") if later else Text("", "")
        yield Hit(first.start, first.end, key, {
            "citation": clip(first.text, 80),
            "missing": Text(", ".join(_FIELD[m].vi for m in missing), ", ".join(_FIELD[m].en for m in missing)),
            "later": note,
        })


def _given(ctx: CheckContext, c: Citation, tail: Citation | None, name: str) -> bool:
    """Whether the mention gives ``name`` itself, through the citation it is listed with, or in
    the words around it ("Ngày 08/12/2023, Văn phòng Chính phủ có ý kiến tại Văn bản số …")."""
    if name == "date":
        return bool(c.date or c.date_text or (tail and (tail.date or tail.date_text)) or _date_before(ctx, c))
    if name == "issuer":
        return bool((c.issuer and _issuer_fits(c)) or (tail and tail.issuer) or _list_issuer(ctx, c) or _issuer_before(ctx, c)
                    or _issuer_of_list(ctx, c) or _issuer_later_in_clause(ctx, c))
    return bool(c.title or (tail and tail.title))


_PARTY_BODY = re.compile(r"(?:tinh|huyen|thanh|quan|dang) uy|dang bo|ban chap hanh|\bbch\b|bo chinh tri|ban bi thu|"
                         r"trung uong dang|ban dan van|ban tuyen giao|chi bo")
_STATE_BODY = re.compile(r"chinh phu|thu tuong|uy ban nhan dan|\bubnd\b|hoi dong nhan dan|\bhdnd\b|quoc hoi")


def _issuer_fits(c: Citation) -> bool:
    """Whether the issuer read for a mention can be its own: a Party body does not issue "16/CT-TTg"
    (an issuer named at the head of a list of mixed documents spilled over to it)."""
    parts = parse_symbol(c.symbol or "")
    fam = issuer_family(parts.issuers[-1:], PARTY_ISSUERS, STATE_ISSUERS) if parts.issuers else None
    words = fold(c.issuer)
    said = {f for f, rx in (("party", _PARTY_BODY), ("state", _STATE_BODY)) if rx.search(words)}
    return fam is None or len(said) != 1 or fam in said


def _issuer_of_list(ctx: CheckContext, c: Citation) -> bool:
    """An item of a list whose earlier item of the same body (its symbol names the same issuer:
    "Quyết định số 304/QĐ-STC …, 305/QĐ-STC … của Sở Tài chính") gives, or is preceded by, the issuer."""
    body = _body_code(c)
    prev = _listed_after(ctx, c)
    seen = 0
    while prev is not None and seen < 30:
        if (prev.issuer or _issuer_before(ctx, prev) or _list_issuer(ctx, prev)) and _body_code(prev) == body:
            return True
        prev, seen = _listed_after(ctx, prev), seen + 1
    return False


def _body_code(c: Citation) -> str | None:
    """The issuing body's code in a symbol ("STC" of 304/QĐ-STC, "TW" of 35-NQ/TW)."""
    parts = parse_symbol(c.symbol or "", [r"[A-ZĐ][A-Za-zĐ]*"])
    return parts.issuers[0].upper() if parts.issuers else None


def _has(c: Citation, name: str) -> bool:
    return bool({"date": c.date or c.date_text, "issuer": c.issuer, "title": c.title}[name])


INCOMPLETE = Check(incomplete, {
    "require": Param(list, ["date", "issuer"], choices=("date", "issuer", "title"),
                     doc="what the first mention of a numbered document must give"),
    "exempt_types": Param(list, ["Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp", "Điều lệ"],
                          doc="types cited by name only (NĐ 30 Phụ lục I II.6.b)"),
    "shared_tail": Param(bool, True, doc="“A và B ngày … của …”: B's date and issuer count for A"),
}, ("citation", "missing", "later"), doc="the first mention of a numbered document is complete")


def date_invalid(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    for c in ctx.doc.citations:
        if not c.date_valid:
            yield Hit(c.start, c.end, c.key, {"citation": clip(c.text, 80), "date": c.date_text or "?"})


DATE_INVALID = Check(date_invalid, {}, ("citation", "date"), doc="a cited date that does not exist")


def _evidence(bound: Any) -> Text:
    return bound.evidence


def date_future(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    hi = ctx.reference.hi(p["evidence"])
    if hi is None:
        return
    for key, mentions in ctx.mentions.items():
        for c in mentions:
            if c.date and date.fromisoformat(c.date) > hi.value:
                yield Hit(c.start, c.end, key, {"citation": clip(c.text, 80), "date": vi_date(c.date),
                                                "doc_date": vi_date(hi.value), "evidence": hi.evidence})
                break


DATE_FUTURE = Check(date_future, {
    "evidence": Param(list, ["own_date", "header_partial", "title_year"], choices=EVIDENCE_KINDS,
                      doc="what may date the citing document when it has no date of its own"),
}, ("citation", "date", "doc_date", "evidence"), doc="a cited document dated after the citing one")


_PAREN = re.compile(r"\([^)]*\)")
_ABBREV = {
    "bch": "ban chap hanh", "tw": "trung uong", "tu": "tinh uy", "hu": "huyen uy", "du": "dang uy",
    "btv": "ban thuong vu", "bct": "bo chinh tri", "bbt": "ban bi thu", "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan", "mttq": "mat tran to quoc", "ttg": "thu tuong", "cp": "chinh phu",
    "tp": "thanh pho", "bdv": "ban dan van", "vptw": "van phong trung uong", "tinh": "tinh",
}
_STOP = {"cua", "dang", "khoa", "viet", "nam", "cong", "san", "nuoc", "nha", "ve", "va", "cac", "ban"}


def _issuer_tokens(issuer: str) -> set[str]:
    s = fold(_PAREN.sub(" ", issuer))
    s = re.sub(r"\bkhoa\s+[xvil]+\b", " ", s)
    words = [w for w in re.split(r"[^0-9a-z]+", s) if w]
    out: list[str] = []
    for w in words:
        out.extend(_ABBREV.get(w, w).split())
    return {w for w in out if w not in _STOP}


def _same_issuer(a: str, b: str) -> bool:
    ta, tb = _issuer_tokens(a), _issuer_tokens(b)
    if not ta or not tb:
        return True
    return ta <= tb or tb <= ta or len(ta & tb) / min(len(ta), len(tb)) >= 0.5


def conflict(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    for key, mentions in _numbered(ctx):
        if len(mentions) < 2:
            continue
        yearly = mentions[0].year is not None  # the year in the symbol fixes the document
        dated = [c for c in mentions if c.date]
        first = dated[0] if dated else None
        reported = False
        for c in dated[1:]:
            assert first is not None
            if c.date == first.date:
                continue
            d1, d2 = date.fromisoformat(first.date), date.fromisoformat(c.date)  # type: ignore[arg-type]
            if yearly or d1.year == d2.year:
                yield Hit(c.start, c.end, key, {
                    "citation": key, "problem": Text(
                        f"ghi ngày {vi_date(d1)} ở “{clip(first.text, 50)}” nhưng ngày {vi_date(d2)} ở đây",
                        f"dated {vi_date(d1)} at “{clip(first.text, 50)}” but {vi_date(d2)} here")})
                reported = True
                break
        if reported:
            continue
        issued = [c for c in mentions if c.issuer]
        base = issued[0] if issued else None
        for c in issued[1:]:
            assert base is not None
            same_time = not (base.date and c.date and base.date[:4] != c.date[:4])
            if same_time and not _same_issuer(base.issuer or "", c.issuer or ""):
                yield Hit(c.start, c.end, key, {
                    "citation": key, "problem": Text(
                        f"ghi cơ quan ban hành “{clip(base.issuer or '', 40)}” ở lần nhắc trước nhưng "
                        f"“{clip(c.issuer or '', 40)}” ở đây",
                        f"issued by “{clip(base.issuer or '', 40)}” at an earlier mention but "
                        f"“{clip(c.issuer or '', 40)}” here")})
                break


CONFLICT = Check(conflict, {}, ("citation", "problem"),
                 doc="one document cited with different dates (in one numbering year) or issuers")


def symbol_format(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    type_codes: Mapping[str, list[str]] = {fold(k): v for k, v in p["type_codes"].items()}
    known = [c for codes in p["type_codes"].values() for c in codes if c != "-"] + list(p["known_codes"])
    generic = {fold(t) for t in p["generic_types"]}
    for key, mentions in _numbered(ctx):
        c = mentions[0]
        sym = c.symbol or ""
        parts = parse_symbol(sym, known)
        if parts.style == "malformed" and fold(c.type) in generic:
            continue  # "Văn bản số …" of a company or a body outside both systems: its own numbering
        if parts.style == "malformed":
            yield Hit(c.start, c.end, key, {"symbol": sym, "problem": Text(
                "không đúng dạng số, ký hiệu của văn bản Đảng (12-KH/ĐU) hay nhà nước (12/KH-UBND)",
                "is neither a Party (12-KH/ĐU) nor a state (12/KH-UBND) number and symbol")})
            continue
        fam = issuer_family(parts.issuers, p["party_issuers"], p["state_issuers"])
        style_fam = "party" if parts.style == "party" else "state"
        if fam is not None and fam != style_fam:
            body = Text("cơ quan Đảng", "a Party body") if fam == "party" else Text("cơ quan nhà nước", "a state body")
            want = Text("12-KH/ĐU", "12-KH/ĐU") if fam == "party" else Text("12/KH-UBND", "12/KH-UBND")
            yield Hit(c.start, c.end, key, {"symbol": sym, "problem": Text(
                f"là ký hiệu của {body.vi} nhưng viết theo kiểu {'nhà nước' if style_fam == 'state' else 'Đảng'} "
                f"(đúng dạng: {want.vi})",
                f"belongs to {body.en} but is written the {style_fam} way (expected shape: {want.en})")})
            continue
        # The type word is written at every mention, and any of them may be the slip; a later
        # "Công văn số 7886/HD-BNV" only calls the guidance a letter.
        loose = {fold(t) for t in p["later_generic_types"]}
        for m in mentions:
            if m is not c and fold(m.type) in loose:
                continue
            accepted = type_codes.get(fold(m.type))
            if accepted is None or code_accepted(parts.type_code, accepted):
                continue
            wanted = ", ".join(a for a in accepted if a != "-") or "không có mã loại"
            yield Hit(m.start, m.end, key, {"symbol": sym, "problem": Text(
                f"tên loại “{m.type}” không khớp mã loại “{parts.type_code or '(không có)'}” trong ký hiệu "
                f"(mong đợi {wanted})",
                f"the type word “{m.type}” does not match the symbol's type code "
                f"“{parts.type_code or '(none)'}” (expected {wanted})")})
            break


SYMBOL_FORMAT = Check(symbol_format, {
    "type_codes": Param(dict, {}, doc="type word → accepted type codes in the symbol (regexes; '-' = none)"),
    "known_codes": Param(list, [], doc="further type codes that may open a state symbol"),
    "generic_types": Param(list, ["Văn bản", "Đơn", "Giấy đề nghị"],
                           doc="type words that say only “a document”: their shape is not judged"),
    "later_generic_types": Param(list, ["Công văn"],
                                 doc="type words used loosely after the first mention (“công văn số …”)"),
    "party_issuers": Param(str, PARTY_ISSUERS, doc="regex: issuer codes of Party bodies"),
    "state_issuers": Param(str, STATE_ISSUERS, doc="regex: issuer codes of state bodies"),
}, ("symbol", "problem"), doc="a cited symbol's shape, family and type code")


def year_mismatch(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    for key, mentions in _numbered(ctx):
        for c in mentions:
            if c.year and c.date and int(c.date[:4]) != c.year:
                yield Hit(c.start, c.end, key, {"citation": clip(c.text, 80), "year": str(c.year),
                                                "date": vi_date(c.date)})
                break


YEAR_MISMATCH = Check(year_mismatch, {}, ("citation", "year", "date"),
                      doc="the year inside a normative symbol disagrees with the cited date")


def _lookup(ctx: CheckContext, c: Citation):
    reg = ctx.registry
    if reg is None:
        return None
    if c.symbol:
        return reg.lookup(c.symbol, date_=c.date, year=None)
    if c.title:
        return reg.lookup_title(c.type, c.title)
    return None


def _name(e: RegEntry) -> str:
    """"Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15", "Quy định số 366-QĐ/TW “Về kiểm điểm …”"."""
    title = clip(e.title or "", 90)
    if e.type and title and fold(title).startswith(fold(e.type)):
        return f"{title} số {e.symbol}"
    head = f"{e.type} số {e.symbol}" if e.type else e.symbol
    return f"{head} “{title}”" if title else head


def expired(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    lo = ctx.reference.lo(p["evidence"])
    if lo is None or ctx.registry is None:
        return
    for key, mentions in ctx.mentions.items():
        c = mentions[0]
        found = _lookup(ctx, c)
        if found is None or found.entry is None:
            continue
        e = found.entry
        if e.status == "in_force" or not e.status_date:
            continue
        since = date.fromisoformat(e.status_date)
        if lo.value < since:
            continue
        succ = ctx.registry.successor(e)
        repl = _name(succ) if succ is not None else (e.replaced_by or "")
        status = Text("được thay thế", "replaced") if e.status == "replaced" else Text("hết hiệu lực", "expired")
        note = Text("", "") if e.status_verified else Text(
            " (nguồn về tình trạng hiệu lực chưa được kiểm chứng)", " (the status source is not verified)")
        yield Hit(c.start, c.end, key, {
            "citation": clip(c.text, 80), "status": status, "since": vi_date(since),
            "replacement": repl or Text("(không rõ)", "(unknown)"),
            "evidence": lo.evidence, "note": note,
        })


EXPIRED = Check(expired, {
    "evidence": Param(list, list(EVIDENCE_KINDS), choices=EVIDENCE_KINDS,
                      doc="what may date the citing document when it has no date of its own"),
}, ("citation", "status", "since", "replacement", "evidence", "note"),
    doc="the registry says the cited document stopped applying before the citing document's date")


def unknown(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    reg = ctx.registry
    if reg is None:
        return
    central = re.compile(p["central_issuers"])
    for key, mentions in _numbered(ctx):
        c = mentions[0]
        sym = c.symbol or ""
        if p["scope"] == "central":
            parts = parse_symbol(sym)
            if not parts.issuers or not central.fullmatch(parts.issuers[-1]):
                continue
        found = _lookup(ctx, c)
        if found is not None and found.known:
            continue
        yield Hit(c.start, c.end, key, {"citation": clip(c.text, 80), "symbol": sym})


UNKNOWN = Check(unknown, {
    "scope": Param(str, "central", choices=("central", "all"),
                   doc="report only central documents (the registry's scope) or every numbered one"),
    "central_issuers": Param(str, r"(?:TW|VPTW|CP|TTg|VPCP|QH\d+|UBTVQH\d+)",
                             doc="regex: issuer codes of central bodies"),
}, ("citation", "symbol"), doc="a numbered document the registry does not know")
