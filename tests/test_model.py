"""The extraction contract round-trips through JSON without loss."""

from __future__ import annotations

import json

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
    Unit,
)


def _doc() -> ExtractedDocument:
    text = "Số: 22/KH-UBND\nCăn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013; hoàn thành trước ngày 07/4/2024."
    return ExtractedDocument(
        source=Source(path="a.txt", format="txt", sha256="0" * 64),
        text=text,
        document=Header(family="state", type="Kế hoạch", type_code="KH", number="22", symbol="22/KH-UBND",
                        signers=(Signer("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"),),
                        recipients=("Lưu VT.",), number_span=Span("Số: 22/KH-UBND", 0, 14)),
        sections=(Section("I", "MỤC ĐÍCH", "purpose", 1, 0, 10, 5, (Section("1", "x", "other", 2, 5, 10, 6),)),),
        citations=(Citation("Nghị quyết số 25-NQ/TW ngày 03/6/2013", 22, 60, "Nghị quyết", "NQ", "25", "25-NQ/TW",
                            "2013-06-03", None, None, "25-NQ/TW", relation="basis"),),
        deadlines=(Deadline("trước ngày 07/4/2024", 74, 94, "2024-04-07", "before"),),
        targets=(Target("100% cán bộ", 0, 3, 100.0, "%", "percent"),),
        units=(Unit("UBND", 0, 4),),
    )


def test_json_round_trip_is_lossless() -> None:
    doc = _doc()
    again = ExtractedDocument.from_dict(json.loads(json.dumps(doc.to_dict(), ensure_ascii=False)))
    assert again.to_dict() == doc.to_dict()
    assert again == doc


def test_contract_fields_are_present_and_unknown_is_null() -> None:
    data = _doc().to_dict()
    assert data["schema_version"] == 1
    for key in ("source", "text", "document", "sections", "citations", "deadlines", "targets", "units"):
        assert key in data
    assert data["document"]["date"] is None  # never ""
    assert data["document"]["signers"][0]["authority"] == "TM. ỦY BAN NHÂN DÂN"
