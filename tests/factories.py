"""Builders of ExtractedDocuments by hand, for testing checks without the extraction pipeline.

Every entity is located by a fragment of the text, so offsets are always right. ``state_doc`` and
``party_doc`` build the clean example plans shipped with the packs (rules/packs/examples/) the way
a perfect extractor would; pass an edited text and whatever is no longer there is simply absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from vanban.extractor.model import (
    Citation,
    Deadline,
    ExtractedDocument,
    Header,
    Section,
    Signer,
    Source,
    Span,
    Target,
    Task,
    Unit,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "rules" / "packs" / "examples"
STATE_TEXT = (EXAMPLES / "state-plan.txt").read_text(encoding="utf-8")
PARTY_TEXT = (EXAMPLES / "party-plan.txt").read_text(encoding="utf-8")


def span(text: str, fragment: str | None, nth: int = 0) -> Span | None:
    """The ``nth`` occurrence of ``fragment`` as a Span, or None when it is not in the text."""
    if not fragment:
        return None
    start = -1
    for _ in range(nth + 1):
        start = text.find(fragment, start + 1)
        if start < 0:
            return None
    return Span(fragment, start, start + len(fragment))


def citation(text: str, fragment: str, *, symbol: str | None, type: str | None = None,
             date: str | None = None, issuer: str | None = None, title: str | None = None,
             date_valid: bool = True, date_text: str | None = None, key: str | None = None,
             relation: str = "mention", nth: int = 0) -> Citation | None:
    s = span(text, fragment, nth)
    if s is None:
        return None
    if type is None:
        m = re.match(r"(Nghị quyết|Nghị định|Quyết định|Chỉ thị|Kế hoạch|Kết luận|Công văn|Quy định|Luật|"
                     r"Thông tư|Hướng dẫn)", fragment)
        type = m.group(1) if m else None
    year = None
    if symbol:
        m = re.match(r"^\d+/((?:19|20)\d\d)/", symbol)
        year = int(m.group(1)) if m else None
    code = None
    if symbol:
        m = re.match(r"^\d+-([^/]+)/", symbol) or re.match(r"^\d+/(?:\d{4}/)?([^-/]+)-", symbol)
        code = m.group(1) if m else None
    return Citation(text=s.text, start=s.start, end=s.end, type=type, type_code=code,
                    number=symbol.split("/")[0].split("-")[0] if symbol else None, symbol=symbol,
                    date=date, issuer=issuer, title=title, key=key or symbol or fragment,
                    date_text=date_text, date_valid=date_valid, relation=relation, year=year)  # type: ignore[arg-type]


def deadline(text: str, fragment: str, date: str | None, *, kind: str = "before", valid: bool = True,
             end_date: str | None = None, inferred_year: bool = False) -> Deadline | None:
    s = span(text, fragment)
    if s is None:
        return None
    return Deadline(s.text, s.start, s.end, date, kind, end_date, valid, inferred_year)  # type: ignore[arg-type]


def target(text: str, fragment: str, value: float | None = 100, unit: str | None = "%") -> Target | None:
    s = span(text, fragment)
    return Target(s.text, s.start, s.end, value, unit, "percent" if unit == "%" else "count") if s else None


def unit(text: str, fragment: str, kind: str | None = None) -> Unit | None:
    s = span(text, fragment)
    return Unit(s.text, s.start, s.end, kind) if s else None


def signer(text: str, authority: str | None, position: str | None, name: str | None) -> Signer | None:
    parts = [span(text, x) for x in (authority, position, name) if x]
    found = [p for p in parts if p is not None]
    if not found or (name and span(text, name) is None):
        return None
    return Signer(authority if span(text, authority) else None, position if span(text, position) else None,
                  name, min(p.start for p in found), max(p.end for p in found))


def outline(text: str, headings: Sequence[tuple[str, str, str, int]]) -> tuple[Section, ...]:
    """Sections from (heading line, number, role, level); each ends where the next of its level or a
    higher one starts (or at ``Nơi nhận``/the end). Headings not in the text are skipped."""
    found = []
    for line, number, role, level in headings:
        s = span(text, line)
        if s is not None:
            found.append((s, number, role, level, line))
    found.sort(key=lambda t: t[0].start)
    tail = text.find("Nơi nhận")
    end_of_body = tail if tail >= 0 else len(text)

    def build(i: int) -> tuple[Section, int]:
        s, number, role, level, line = found[i]
        j = i + 1
        children = []
        while j < len(found) and found[j][3] > level:
            child, j = build(j)
            children.append(child)
        end = found[j][0].start if j < len(found) else end_of_body
        title = re.sub(r"^[IVX\d]+[.\-]\s*", "", line).strip()
        return Section(number, title, role, level, s.start, end, s.end, tuple(children)), j  # type: ignore[arg-type]

    out = []
    i = 0
    while i < len(found):
        sec, i = build(i)
        out.append(sec)
    return tuple(out)


def document(text: str, *, header: Header, sections: Iterable[Section] = (),
             citations: Iterable[Citation | None] = (), deadlines: Iterable[Deadline | None] = (),
             targets: Iterable[Target | None] = (), units: Iterable[Unit | None] = (),
             tasks: Iterable[Task] = (), conversions: Iterable[str] = (), path: str = "ke-hoach.txt",
             fmt: str | None = None) -> ExtractedDocument:
    return ExtractedDocument(
        source=Source(path=path, format=fmt or path.rsplit(".", 1)[-1], sha256="0" * 64),
        text=text,
        document=header,
        sections=tuple(sections),
        citations=tuple(sorted((c for c in citations if c), key=lambda c: c.start)),
        deadlines=tuple(d for d in deadlines if d),
        targets=tuple(t for t in targets if t),
        units=tuple(u for u in units if u),
        tasks=tuple(tasks),
        conversions=tuple(conversions),
    )


def _date_of(text: str, line: str | None) -> tuple[str | None, bool]:
    if line is None:
        return None, True
    m = re.search(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", line)
    if not m:
        return None, True
    import datetime

    d, mo, y = (int(x) for x in m.groups())
    try:
        return datetime.date(y, mo, d).isoformat(), True
    except ValueError:
        return None, False


def _recipients(text: str) -> tuple[Span | None, tuple[str, ...]]:
    start = text.find("Nơi nhận")
    if start < 0:
        return None, ()
    end = text.find("\n\n", start)
    end = len(text) if end < 0 else end
    block = text[start:end]
    lines = tuple(ln.lstrip("- ").strip() for ln in block.splitlines()[1:] if ln.strip())
    return Span(block, start, end), lines


def _header(text: str, *, issuer_lines: str, number_line: str, motto_text: str, slogan_text: str | None,
            date_line: str, type_line: str, title_line: str, signer_: tuple[str, str, str],
            **overrides: Any) -> Header:
    number_span = span(text, number_line)
    m = re.search(r"Số:?\s*(\d*)\s*[/-]?\s*(\S*)", number_line)
    number = m.group(1) if number_span and m and m.group(1) else None
    symbol = None
    if number_span and number:
        symbol = re.sub(r"^Số:?\s*", "", number_line).strip()
    date_span = span(text, date_line)
    iso, valid = _date_of(text, date_line if date_span else None)
    sig = signer(text, *signer_)
    rec_span, rec = _recipients(text)
    fields: dict[str, Any] = dict(
        type="Kế hoạch", type_code="KH", number=number, symbol=symbol, date=iso,
        place=date_line.split(",")[0] if date_span else None,
        issuer=issuer_lines.replace("\n", " ") if span(text, issuer_lines) else None,
        title=title_line if span(text, title_line) else None,
        signers=(sig,) if sig else (), recipients=rec,
        motto=span(text, motto_text), slogan=span(text, slogan_text), issuer_span=span(text, issuer_lines),
        number_span=number_span, date_span=date_span, date_valid=valid, type_span=span(text, type_line),
        title_span=span(text, title_line), recipients_span=rec_span,
    )
    fields.update(overrides)
    return Header(**fields)


def state_doc(text: str = STATE_TEXT, **header_overrides: Any) -> ExtractedDocument:
    """The clean state example plan (or an edit of it) as a perfect extractor would read it."""
    number_line = next((ln for ln in text.splitlines() if ln.startswith("Số")), "Số: 15/KH-UBND")
    date_line = next((ln for ln in text.splitlines() if re.fullmatch(r"[^,]{1,40}, ngày.{0,40}năm.{0,10}", ln)),
                     "An Hòa, ngày 12 tháng 3 năm 2024")
    header_overrides.setdefault("family", "state")
    header = _header(text, issuer_lines="ỦY BAN NHÂN DÂN\nXÃ AN HÒA", number_line=number_line,
                     motto_text="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", slogan_text="Độc lập - Tự do - Hạnh phúc",
                     date_line=date_line, type_line="KẾ HOẠCH",
                     title_line="Triển khai công tác dân vận chính quyền năm 2024",
                     signer_=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Bình"), **header_overrides)
    secs = outline(text, [
        ("I. MỤC ĐÍCH, YÊU CẦU", "I", "purpose", 1),
        ("II. NỘI DUNG, NHIỆM VỤ", "II", "content", 1),
        ("1. Tuyên truyền", "1", "other", 2),
        ("2. Thực hiện", "2", "other", 2),
        ("III. TỔ CHỨC THỰC HIỆN", "III", "implementation", 1),
    ])
    cits = [
        citation(text, "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ", symbol="76/NQ-CP",
                 date="2021-07-15", issuer="Chính phủ", relation="basis"),
        citation(text, "Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ", symbol="59/2023/NĐ-CP",
                 date="2023-08-14", issuer="Chính phủ", relation="basis"),
    ]
    return document(
        text, header=header, sections=secs, citations=cits,
        deadlines=[deadline(text, "trước ngày 15/12/2024", "2024-12-15")],
        targets=[target(text, "100% hồ sơ thủ tục hành chính được giải quyết đúng hạn")],
        units=[unit(text, "Văn phòng Ủy ban nhân dân xã"), unit(text, "Ủy ban nhân dân xã", )],
    )


def party_doc(text: str = PARTY_TEXT, **header_overrides: Any) -> ExtractedDocument:
    """The clean Party example plan (or an edit of it) as a perfect extractor would read it."""
    number_line = next((ln for ln in text.splitlines() if ln.startswith("Số")), "Số 08-KH/ĐU")
    date_line = next((ln for ln in text.splitlines() if re.fullmatch(r"[^,]{1,40}, ngày.{0,40}năm.{0,10}", ln)),
                     "An Hòa, ngày 05 tháng 02 năm 2024")
    header_overrides.setdefault("family", "party")
    header = _header(text, issuer_lines="ĐẢNG BỘ HUYỆN ĐÔNG SƠN\nĐẢNG ỦY XÃ AN HÒA",
                     number_line=number_line, motto_text="ĐẢNG CỘNG SẢN VIỆT NAM", slogan_text=None,
                     date_line=date_line, type_line="KẾ HOẠCH",
                     title_line="thực hiện phong trào thi đua “Dân vận khéo” năm 2024",
                     signer_=("T/M ĐẢNG ỦY", "BÍ THƯ", "Trần Văn Cường"), **header_overrides)
    secs = outline(text, [
        ("I. MỤC ĐÍCH, YÊU CẦU", "I", "purpose", 1),
        ("II. NỘI DUNG", "II", "content", 1),
        ("III. TỔ CHỨC THỰC HIỆN", "III", "implementation", 1),
    ])
    cits = [citation(text, "Nghị quyết số 35-NQ/TW, ngày 22/10/2018 của Bộ Chính trị", symbol="35-NQ/TW",
                     date="2018-10-22", issuer="Bộ Chính trị", relation="implements")]
    return document(
        text, header=header, sections=secs, citations=cits,
        deadlines=[deadline(text, "trước ngày 30/11/2024", "2024-11-30")],
        targets=[target(text, "ít nhất 01 mô hình", 1, "mô hình")],
        units=[unit(text, "Khối Dân vận Đảng ủy"), unit(text, "Các chi bộ trực thuộc")],
    )


def with_header(doc: ExtractedDocument, **fields: Any) -> ExtractedDocument:
    return replace(doc, document=replace(doc.document, **fields))
