"""Builders of small ExtractedDocuments and CheckReports for the report renderer tests."""

from __future__ import annotations

from vanban.extractor.model import (
    Citation,
    Deadline,
    ExtractedDocument,
    Header,
    IngestedDocument,
    Section,
    Signer,
    Source,
    Span,
    Target,
    Unit,
)
from vanban.rules.model import CheckReport, Finding, Suppressed

TEXT = (
    "ỦY BAN NHÂN DÂN XÃ AN BÌNH\n"
    "Số: 15/KH-UBND\n"
    "An Bình, ngày 31 tháng 4 năm 2024\n"
    "KẾ HOẠCH\n"
    "Triển khai chuyển đổi số năm 2024\n"
    "Căn cứ Quyết định số 12/QĐ-UBND ngày 05/01/2024 của UBND huyện <script>alert(1)</script>;\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "1. Phấn đấu 100% hồ sơ được xử lý trực tuyến *trước* [hạn] & đúng quy trình.\n"
    "III. TỔ CHỨC THỰC HIỆN\n"
    "Văn phòng UBND xã hoàn thành trước ngày 30/6/2024.\n"
    "TM. ỦY BAN NHÂN DÂN\n"
    "CHỦ TỊCH\n"
    "Nguyễn Văn A\n"
)


def span(fragment: str, text: str = TEXT, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    return start, start + len(fragment)


def located(fragment: str, text: str = TEXT) -> Span:
    s, e = span(fragment, text)
    return Span(fragment, s, e)


def document(text: str = TEXT, ingested: IngestedDocument | None = None, path: str = "ke-hoach.txt") -> ExtractedDocument:
    if text is not TEXT:
        return ExtractedDocument(
            source=Source(path=path, format=path.rsplit(".", 1)[-1], sha256="0" * 64),
            text=text,
            document=Header(),
            ingested=ingested,
        )
    cit_s, cit_e = span("Quyết định số 12/QĐ-UBND ngày 05/01/2024 của UBND huyện")
    sec1 = span("I. MỤC ĐÍCH, YÊU CẦU")
    sec3 = span("III. TỔ CHỨC THỰC HIỆN")
    body_end = span("TM. ỦY BAN NHÂN DÂN")[0]
    dl = span("trước ngày 30/6/2024")
    tgt = span("100% hồ sơ được xử lý trực tuyến")
    sig = (span("TM. ỦY BAN NHÂN DÂN")[0], span("Nguyễn Văn A")[1])
    units = [span("Văn phòng UBND xã"), span("UBND huyện")]
    header = Header(
        family="state",
        type="Kế hoạch",
        type_code="KH",
        number="15",
        symbol="15/KH-UBND",
        date=None,
        place="An Bình",
        issuer="Ủy ban nhân dân xã An Bình",
        title="Triển khai chuyển đổi số năm 2024",
        signers=(Signer("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A", *sig),),
        issuer_span=located("ỦY BAN NHÂN DÂN XÃ AN BÌNH"),
        number_span=located("Số: 15/KH-UBND"),
        date_span=located("An Bình, ngày 31 tháng 4 năm 2024"),
        date_valid=False,
        type_span=located("KẾ HOẠCH"),
        title_span=located("Triển khai chuyển đổi số năm 2024"),
    )
    return ExtractedDocument(
        source=Source(path=f"/tmp/in/{path}", format=path.rsplit(".", 1)[-1], sha256="0" * 64),
        text=text,
        document=header,
        sections=(
            Section("I", "MỤC ĐÍCH, YÊU CẦU", "purpose", 1, sec1[0], sec3[0], sec1[1]),
            Section("III", "TỔ CHỨC THỰC HIỆN", "implementation", 1, sec3[0], body_end, sec3[1]),
        ),
        citations=(
            Citation(
                text=TEXT[cit_s:cit_e], start=cit_s, end=cit_e, type="Quyết định", type_code="QĐ",
                number="12", symbol="12/QĐ-UBND", date="2024-01-05", issuer="UBND huyện", title=None,
                key="12/QĐ-UBND", relation="basis",
            ),
        ),
        deadlines=(Deadline(TEXT[dl[0]:dl[1]], dl[0], dl[1], "2024-06-30", "before"),),
        targets=(Target(TEXT[tgt[0]:tgt[1]], tgt[0], tgt[1], 100.0, "%", "percent"),),
        units=tuple(Unit(TEXT[s:e], s, e, "state") for s, e in units),
        ingested=ingested,
    )


def finding(
    rule: str,
    severity: str,
    where: str | tuple[int, int] | None = None,
    *,
    text: str = TEXT,
    message: str | None = None,
    **kw: object,
) -> Finding:
    if where is None:
        start = end = 0
    elif isinstance(where, tuple):
        start, end = where
    else:
        start, end = span(where, text)
    return Finding(
        rule=rule,
        severity=severity,  # type: ignore[arg-type]
        message=message or f"Thông điệp của {rule}",
        start=start,
        end=end,
        **kw,  # type: ignore[arg-type]
    )


def findings() -> tuple[Finding, ...]:
    """Six findings: an absence, nested spans, spans that cross, and one with markup in it."""
    cit = span("Quyết định số 12/QĐ-UBND ngày 05/01/2024 của UBND huyện")
    return (
        finding("HDR-MOTTO", "error", None, message="Thiếu Quốc hiệu và Tiêu ngữ",
                message_en="No national motto", basis="Nghị định 30/2020/NĐ-CP, Phụ lục I",
                suggestion="Thêm “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”."),
        finding("HDR-DATE", "error", "31 tháng 4 năm 2024", message="Ngày ban hành không tồn tại (31/4/2024)",
                message_en="The date does not exist (31/4/2024)", subject="2024-04-31"),
        finding("CIT-INCOMPLETE", "warning", cit, message="Thiếu trích yếu của văn bản được dẫn",
                subject="12/QĐ-UBND", basis="Thực tiễn soạn thảo", suggestion="Ghi đầy đủ trích yếu."),
        # Crosses the end of the citation above: starts inside it, ends after it.
        finding("TXT-MARKUP", "info", "UBND huyện <script>alert(1)</script>",
                message="Văn bản có thẻ <script>alert(2)</script> và *dấu sao*"),
        # Nested inside the citation.
        finding("CIT-DATE-FUTURE", "error", "05/01/2024", message="Ngày của văn bản được dẫn sau ngày ban hành"),
        finding("SEC-NUMBERING", "warning", "III", message="Số mục nhảy từ I sang III",
                message_en="Heading numbers jump from I to III"),
    )


def report(**overrides: object) -> CheckReport:
    values: dict[str, object] = {
        "document": document(),
        "findings": findings(),
        "manual_checks": (
            finding("MAN-SEAL", "info", None, message="Kiểm tra dấu và chữ ký trên bản giấy", manual=True,
                    message_en="Check the seal and signature on paper"),
        ),
        "suppressed": (Suppressed("RCP-MISSING", None, "tắt trong cấu hình"),
                       Suppressed("CIT-UNKNOWN", "12/QĐ-UBND", "đã biết")),
        "packs": ("core",),
        "evidence": {"reference_date": "năm 2024 trong trích yếu"},
    }
    values.update(overrides)
    return CheckReport(**values)  # type: ignore[arg-type]
