"""The header block: motto, issuing body, number and symbol, place and date, type name and summary."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from vanban.rules.checks.symbols import (
    PARTY_ISSUERS,
    STATE_ISSUERS,
    code_accepted,
    issuer_family,
    parse_symbol,
)
from vanban.rules.context import Check, CheckContext, Hit, Param, Text, clip, fold

# --------------------------------------------------------------------------- HDR-MOTTO


def motto(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    h = ctx.header
    want_motto, want_slogan = p["motto"], p.get("slogan")
    name_vi, name_en = p["motto_name"], p["motto_name_en"]
    if h.motto is None:
        yield Hit(0, 0, "motto", {"problem": Text(f"không có {name_vi} “{want_motto}”",
                                                  f"no {name_en} “{want_motto}”")})
    elif fold(h.motto.text) != fold(want_motto):
        yield Hit(h.motto.start, h.motto.end, "motto", {
            "problem": Text(f"{name_vi} viết “{clip(h.motto.text)}”, phải là “{want_motto}”",
                            f"the {name_en} reads “{clip(h.motto.text)}”, expected “{want_motto}”")})
    if not want_slogan:
        return
    if h.slogan is None:
        yield Hit(0, 0, "slogan", {"problem": Text(f"không có Tiêu ngữ “{want_slogan}”",
                                                   f"no motto line “{want_slogan}”")})
    elif _spaced(h.slogan.text) != _spaced(want_slogan):
        yield Hit(h.slogan.start, h.slogan.end, "slogan", {
            "problem": Text(f"Tiêu ngữ viết “{clip(h.slogan.text)}”, phải là “{want_slogan}”",
                            f"the motto line reads “{clip(h.slogan.text)}”, expected “{want_slogan}”")})


def _spaced(s: str) -> str:
    """Fold, and treat every dash with any spacing around it alike (NĐ 30 writes " - ")."""
    return re.sub(r"\s*-\s*", " - ", fold(s).strip("*_ "))


MOTTO = Check(motto, {
    "motto": Param(str, required=True, doc="the banner/national-name line, as it must read"),
    "motto_name": Param(str, "Quốc hiệu", doc="what the line is called (vi)"),
    "motto_name_en": Param(str, "national name", doc="what the line is called (en)"),
    "slogan": Param(str, doc="the line under it (state: Tiêu ngữ); omit when none"),
}, ("problem",), doc="the Quốc hiệu + Tiêu ngữ (state) or the Party banner")


# --------------------------------------------------------------------------- HDR-ISSUER


def issuer(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    h = ctx.header
    if h.issuer_span is None:
        hint = Text(f" (trong nội dung có “{clip(h.issuer, 60)}”)", f" (the body names “{clip(h.issuer, 60)}”)") \
            if h.issuer else Text("", "")
        yield Hit(0, 0, "issuer", {"inferred": hint})


ISSUER = Check(issuer, {}, ("inferred",), doc="the issuing-body block at the top left")


# --------------------------------------------------------------------------- HDR-NUMBER


def number(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    h = ctx.header
    if h.number_span is None:
        yield Hit(0, 0, "number", {"problem": Text("không có dòng số, ký hiệu", "there is no number-and-symbol line")})
    elif not h.number:
        yield Hit(h.number_span.start, h.number_span.end, "blank", {
            "problem": Text(f"số để trống (“{clip(h.number_span.text, 40)}”) — bản dự thảo chưa cấp số?",
                            f"the number is blank (“{clip(h.number_span.text, 40)}”) — an unnumbered draft?")})
    elif not h.symbol:
        yield Hit(h.number_span.start, h.number_span.end, "symbol", {
            "problem": Text(f"có số nhưng không có ký hiệu (“{clip(h.number_span.text, 40)}”)",
                            f"a number without a symbol (“{clip(h.number_span.text, 40)}”)")})


NUMBER = Check(number, {}, ("problem",), doc="the number and symbol line")


# --------------------------------------------------------------------------- HDR-SYMBOL-FORMAT

_STYLE_NAME = {"party": Text("văn bản của Đảng (12-KH/ĐU)", "Party documents (12-KH/ĐU)"),
               "state": Text("văn bản hành chính nhà nước (12/KH-UBND)", "state documents (12/KH-UBND)"),
               "normative": Text("văn bản quy phạm pháp luật (12/2024/QĐ-UBND)",
                                 "legal normative documents (12/2024/QĐ-UBND)")}


def symbol_format(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    h = ctx.header
    if h.number_span is None or not h.symbol:
        return
    span = h.number_span
    type_codes: Mapping[str, list[str]] = {fold(k): v for k, v in p["type_codes"].items()}
    known_codes = [c for codes in type_codes.values() for c in codes if c != "-"] + list(p["known_codes"])
    parts = parse_symbol(h.symbol, known_codes)
    sym = h.symbol
    if parts.style == "malformed":
        yield Hit(span.start, span.end, "format", {"symbol": sym, "problem": Text(
            "không đúng dạng số, ký hiệu", "is not a well-formed number and symbol")})
        return
    own = "state" if parts.style == "normative" else parts.style
    body = issuer_family(parts.issuers, p["party_issuers"], p["state_issuers"])
    # A joint document follows its lead body's style; the issuer codes say which family that is.
    style = body if ctx.family == "joint" else p["style"]
    if style is not None and own != style:
        yield Hit(span.start, span.end, "style", {"symbol": sym, "problem": Text(
            f"viết theo kiểu {_STYLE_NAME[parts.style].vi}, không theo kiểu {_STYLE_NAME[style].vi}",
            f"is written the way of {_STYLE_NAME[parts.style].en}, not of {_STYLE_NAME[style].en}")})
        return
    word = " ".join(re.sub(r"[^0-9a-z]+", " ", fold(h.type_span.text if h.type_span else h.type)).split())
    accepted = next((type_codes[k] for k in sorted(type_codes, key=len, reverse=True)
                     if word == k or word.startswith(k + " ")), None)
    if accepted is not None and not code_accepted(parts.type_code, accepted):
        want = ", ".join(c for c in accepted if c != "-")
        name = h.type_span.text.strip() if h.type_span else h.type
        yield Hit(span.start, span.end, "type_code", {"symbol": sym, "problem": Text(
            f"có mã loại “{parts.type_code or '(không có)'}”, không khớp tên loại “{name}” ({want})",
            f"has type code “{parts.type_code or '(none)'}”, which does not match the type “{name}” ({want})")})
    line = span.text.lstrip("*_ ")
    colon = p["colon"]
    has_colon = bool(re.match(r"(?i)số\s*:", line))
    if colon == "required" and not has_colon and re.match(r"(?i)số\b", line):
        yield Hit(span.start, span.end, "colon", {"symbol": sym, "problem": Text(
            "thiếu dấu hai chấm sau chữ “Số” (viết “Số: …”)", "lacks the colon after “Số” (write “Số: …”)")})
    elif colon == "forbidden" and has_colon:
        yield Hit(span.start, span.end, "colon", {"symbol": sym, "problem": Text(
            "có dấu hai chấm sau chữ “Số” (văn bản của Đảng viết “Số 12-KH/…”)",
            "has a colon after “Số” (Party documents write “Số 12-KH/…”)")})
    if p["leading_zero"] and h.number and h.number.isdigit() and len(h.number) == 1:
        yield Hit(span.start, span.end, "leading_zero", {"symbol": sym, "problem": Text(
            f"số nhỏ hơn 10 phải có số 0 phía trước (0{h.number})",
            f"numbers below 10 take a leading zero (0{h.number})")})


SYMBOL_FORMAT = Check(symbol_format, {
    "style": Param(str, required=True, choices=("party", "state"), doc="the family's symbol shape"),
    "type_codes": Param(dict, {}, doc="type name (as in the header) → accepted type codes (regexes, '-' = none)"),
    "known_codes": Param(list, [], doc="further type codes that may open a state symbol"),
    "colon": Param(str, "optional", choices=("required", "forbidden", "optional"), doc="“Số:” or “Số ”"),
    "leading_zero": Param(bool, False, doc="numbers below 10 written 01 … 09"),
    "party_issuers": Param(str, PARTY_ISSUERS, doc="regex: issuer codes of Party bodies"),
    "state_issuers": Param(str, STATE_ISSUERS, doc="regex: issuer codes of state bodies"),
}, ("symbol", "problem"), doc="the shape of the document's own number and symbol")


# --------------------------------------------------------------------------- HDR-DATE


def date_line(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    h = ctx.header
    span = h.date_span
    if span is None:
        yield Hit(0, 0, "date", {"problem": Text("không có dòng địa danh và ngày tháng ban hành",
                                                 "there is no place-and-date line")})
    elif not h.date_valid:
        yield Hit(span.start, span.end, "invalid", {"problem": Text(
            f"ngày ban hành không tồn tại (“{clip(span.text, 50)}”)",
            f"the date of issue does not exist (“{clip(span.text, 50)}”)")})
    elif not h.date:
        yield Hit(span.start, span.end, "blank", {"problem": Text(
            f"ngày ban hành để trống (“{clip(span.text, 50)}”) — bản dự thảo?",
            f"the date of issue is blank (“{clip(span.text, 50)}”) — a draft?")})


DATE = Check(date_line, {}, ("problem",), doc="the place-and-date line and its date")


# --------------------------------------------------------------------------- HDR-DATE-FORMAT

_WORDS = re.compile(r"^(?P<place>.*?)(?P<comma>,?)\s*ngày\s*(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})\s*"
                    r"năm\s*(?P<y>\d{4})", re.IGNORECASE)


def date_format(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    h = ctx.header
    span = h.date_span
    if span is None or not h.date or not h.date_valid:
        return
    line = " ".join(re.sub(r"[*_|]", " ", span.text).split())
    m = _WORDS.match(line)
    if not m:
        yield Hit(span.start, span.end, "form", {"line": clip(line, 60), "problem": Text(
            "không viết theo dạng “<Địa danh>, ngày … tháng … năm …”",
            "is not written “<Place>, ngày … tháng … năm …”")})
        return
    if p["require_place"] and not m["place"].strip(" ,"):
        yield Hit(span.start, span.end, "place", {"line": clip(line, 60), "problem": Text(
            "thiếu địa danh trước ngày tháng", "has no place name before the date")})
    elif p["require_place"] and not m["comma"]:
        yield Hit(span.start, span.end, "comma", {"line": clip(line, 60), "problem": Text(
            "thiếu dấu phẩy sau địa danh", "lacks the comma after the place name")})
    day, month = m["d"], m["m"]
    low_day, months = p["zero_day_below"], set(p["zero_months"])
    problems = []
    if int(day) < low_day and len(day) == 1:
        problems.append(Text(f"ngày {int(day)} phải viết {int(day):02d}", f"day {int(day)} should read {int(day):02d}"))
    if int(day) >= low_day and day.startswith("0"):
        problems.append(Text(f"ngày {day} không có số 0 phía trước", f"day {day} takes no leading zero"))
    if int(month) in months and len(month) == 1:
        problems.append(Text(f"tháng {int(month)} phải viết {int(month):02d}",
                             f"month {int(month)} should read {int(month):02d}"))
    if int(month) not in months and month.startswith("0"):
        problems.append(Text(f"tháng {month} phải viết {int(month)}", f"month {month} should read {int(month)}"))
    if problems:
        yield Hit(span.start, span.end, "leading_zero", {"line": clip(line, 60), "problem": Text(
            "; ".join(t.vi for t in problems), "; ".join(t.en for t in problems))})


DATE_FORMAT = Check(date_format, {
    "require_place": Param(bool, True, doc="a place name and a comma before “ngày”"),
    "zero_day_below": Param(int, 10, doc="days below this take a leading zero"),
    "zero_months": Param(list, [1, 2], doc="months that take a leading zero"),
}, ("line", "problem"), doc="how the place-and-date line is written")


# --------------------------------------------------------------------------- HDR-TITLE


def title(ctx: CheckContext, p: Mapping[str, Any]) -> Iterator[Hit]:
    h = ctx.header
    if h.type_span is None and ctx.type_code not in p["untitled_types"]:
        yield Hit(0, 0, "type", {"problem": Text("không có tên loại văn bản (ví dụ “KẾ HOẠCH”)",
                                                 "there is no document type name (e.g. “KẾ HOẠCH”)")})
    if not h.title:
        at = h.type_span
        yield Hit(at.start if at else 0, at.end if at else 0, "title", {"problem": Text(
            "không có trích yếu nội dung dưới tên loại", "there is no summary line under the type name")})


TITLE = Check(title, {
    "untitled_types": Param(list, ["CV"], doc="type codes written without a type name (công văn: “V/v …”)"),
}, ("problem",), doc="the type name and the summary line")
