"""Header rules (HDR-*) on hand-built documents: each fires on one defect and not on the clean plan."""

from __future__ import annotations

import pytest
from vanban.extractor.model import Span
from vanban.rules.engine import check

from tests.factories import PARTY_TEXT, STATE_TEXT, party_doc, state_doc, with_header


def fired(doc, rule: str, **kw):
    return [f for f in check(doc, **kw).findings if f.rule == rule]


def test_clean_plans_have_no_findings() -> None:
    assert check(state_doc()).findings == ()
    assert check(party_doc()).findings == ()


# ------------------------------------------------------------------ HDR-MOTTO


def test_state_plan_without_national_name_and_motto() -> None:
    doc = state_doc(STATE_TEXT.replace("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n", ""))
    found = fired(doc, "HDR-MOTTO")
    assert {f.subject for f in found} == {"motto", "slogan"}
    assert all(f.severity == "error" and f.start == f.end == 0 for f in found)
    assert "Quốc hiệu" in found[0].message
    assert "Nghị định 30/2020/NĐ-CP" in found[0].basis


def test_state_motto_typo_is_reported_where_it_is() -> None:
    text = STATE_TEXT.replace("Độc lập - Tự do", "Độqc lập - Tự do")
    found = fired(state_doc(text, slogan=Span("Độqc lập - Tự do - Hạnh phúc", *_at(text, "Độqc lập - Tự do - Hạnh phúc"))),
                  "HDR-MOTTO")
    assert [f.subject for f in found] == ["slogan"]
    assert text[found[0].start:found[0].end] == "Độqc lập - Tự do - Hạnh phúc"


def test_either_spelling_of_hoa_and_any_dash_pass() -> None:
    text = STATE_TEXT.replace("CỘNG HÒA", "CỘNG HOÀ").replace("Độc lập - Tự do - Hạnh phúc", "Độc lập – Tự do – Hạnh phúc")
    doc = state_doc(text, slogan=Span("Độc lập – Tự do – Hạnh phúc", *_at(text, "Độc lập – Tự do – Hạnh phúc")),
                    motto=Span("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", *_at(text, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")))
    assert fired(doc, "HDR-MOTTO") == []


def test_party_plan_without_banner() -> None:
    doc = party_doc(PARTY_TEXT.replace("ĐẢNG CỘNG SẢN VIỆT NAM\n\n", ""))
    found = fired(doc, "HDR-MOTTO")
    assert [f.subject for f in found] == ["motto"]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in found[0].message
    # A Party plan needs no Tiêu ngữ.
    assert fired(party_doc(), "HDR-MOTTO") == []


def test_state_banner_on_a_party_plan_is_wrong() -> None:
    text = PARTY_TEXT.replace("ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    doc = party_doc(text, motto=Span("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", *_at(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")))
    found = fired(doc, "HDR-MOTTO")
    assert len(found) == 1 and "phải là “ĐẢNG CỘNG SẢN VIỆT NAM”" in found[0].message


# ------------------------------------------------------------------ HDR-ISSUER, HDR-NUMBER, HDR-TITLE


def test_missing_issuer_block() -> None:
    doc = state_doc(STATE_TEXT.replace("ỦY BAN NHÂN DÂN\nXÃ AN HÒA\n\n", ""))
    assert [f.subject for f in fired(doc, "HDR-ISSUER")] == ["issuer"]
    assert fired(state_doc(), "HDR-ISSUER") == []


def test_issuer_inferred_from_body_is_still_no_header_block() -> None:
    doc = with_header(state_doc(STATE_TEXT.replace("ỦY BAN NHÂN DÂN\nXÃ AN HÒA\n\n", "")),
                      issuer="Ủy ban nhân dân xã An Hòa", inferred=("issuer",))
    found = fired(doc, "HDR-ISSUER")
    assert len(found) == 1 and "Ủy ban nhân dân xã An Hòa" in found[0].message


def test_missing_number_line() -> None:
    doc = state_doc(STATE_TEXT.replace("Số: 15/KH-UBND\n\n", ""))
    found = fired(doc, "HDR-NUMBER")
    assert len(found) == 1 and found[0].severity == "error"
    assert fired(state_doc(), "HDR-NUMBER") == []


def test_blank_number_of_a_draft() -> None:
    doc = state_doc(STATE_TEXT.replace("Số: 15/KH-UBND", "Số:     /KH-UBND"))
    found = fired(doc, "HDR-NUMBER")
    assert len(found) == 1 and "để trống" in found[0].message
    assert doc.text[found[0].start:found[0].end].startswith("Số:")


def test_missing_type_name_and_summary() -> None:
    doc = state_doc(STATE_TEXT.replace("KẾ HOẠCH\nTriển khai công tác dân vận chính quyền năm 2024\n", ""))
    assert {f.subject for f in fired(doc, "HDR-TITLE")} == {"type", "title"}
    assert fired(state_doc(), "HDR-TITLE") == []


# ------------------------------------------------------------------ HDR-SYMBOL-FORMAT


def test_state_symbol_written_party_style() -> None:
    doc = state_doc(STATE_TEXT.replace("Số: 15/KH-UBND", "Số: 15-KH/UBND"))
    found = fired(doc, "HDR-SYMBOL-FORMAT")
    assert [f.subject for f in found] == ["style"]
    assert "kiểu văn bản của Đảng" in found[0].message


def test_party_symbol_written_state_style() -> None:
    doc = party_doc(PARTY_TEXT.replace("Số 08-KH/ĐU", "Số 08/KH-ĐU"))
    assert [f.subject for f in fired(doc, "HDR-SYMBOL-FORMAT")] == ["style"]


def test_symbol_type_code_must_match_the_document_type() -> None:
    doc = state_doc(STATE_TEXT.replace("Số: 15/KH-UBND", "Số: 15/QĐ-UBND"))
    found = fired(doc, "HDR-SYMBOL-FORMAT")
    assert [f.subject for f in found] == ["type_code"]
    assert "“QĐ”" in found[0].message


def test_colon_rules_differ_by_family() -> None:
    state = state_doc(STATE_TEXT.replace("Số: 15/KH-UBND", "Số 15/KH-UBND"))
    assert [f.subject for f in fired(state, "HDR-SYMBOL-FORMAT")] == ["colon"]
    party = party_doc(PARTY_TEXT.replace("Số 08-KH/ĐU", "Số: 08-KH/ĐU"))
    assert [f.subject for f in fired(party, "HDR-SYMBOL-FORMAT")] == ["colon"]


def test_state_numbers_below_ten_take_a_leading_zero() -> None:
    doc = state_doc(STATE_TEXT.replace("Số: 15/KH-UBND", "Số: 5/KH-UBND"))
    assert [f.subject for f in fired(doc, "HDR-SYMBOL-FORMAT")] == ["leading_zero"]
    assert fired(state_doc(STATE_TEXT.replace("Số: 15/KH-UBND", "Số: 05/KH-UBND")), "HDR-SYMBOL-FORMAT") == []


def test_joint_plan_may_use_either_symbol_style() -> None:
    text = PARTY_TEXT.replace("Số 08-KH/ĐU", "Số 08-KHPH/ĐU-UBND")
    doc = party_doc(text, family="joint")
    assert fired(doc, "HDR-SYMBOL-FORMAT") == []


# ------------------------------------------------------------------ HDR-DATE, HDR-DATE-FORMAT


def test_missing_date_line() -> None:
    doc = state_doc(STATE_TEXT.replace("An Hòa, ngày 12 tháng 3 năm 2024\n\n", ""))
    assert len(fired(doc, "HDR-DATE")) == 1


def test_impossible_header_date() -> None:
    doc = state_doc(STATE_TEXT.replace("ngày 12 tháng 3 năm 2024", "ngày 31 tháng 4 năm 2024"))
    found = fired(doc, "HDR-DATE")
    assert len(found) == 1 and "không tồn tại" in found[0].message
    assert fired(state_doc(), "HDR-DATE") == []


def test_blank_date_of_a_draft() -> None:
    doc = state_doc(STATE_TEXT.replace("ngày 12 tháng 3 năm 2024", "ngày    tháng 3 năm 2024"))
    found = fired(doc, "HDR-DATE")
    assert len(found) == 1 and "để trống" in found[0].message


@pytest.mark.parametrize(("written", "fires"), [
    ("ngày 12 tháng 3 năm 2024", False),
    ("ngày 12 tháng 03 năm 2024", True),  # tháng 3 takes no zero
    ("ngày 5 tháng 3 năm 2024", True),  # ngày 05
    ("ngày 05 tháng 3 năm 2024", False),
    ("ngày 05 tháng 1 năm 2024", True),  # tháng 01
    ("ngày 05 tháng 01 năm 2024", False),
])
def test_leading_zeros_in_the_date_line(written: str, fires: bool) -> None:
    doc = state_doc(STATE_TEXT.replace("ngày 12 tháng 3 năm 2024", written))
    assert bool(fired(doc, "HDR-DATE-FORMAT")) is fires


def test_date_line_without_place() -> None:
    text = STATE_TEXT.replace("An Hòa, ngày 12 tháng 3 năm 2024", "ngày 12 tháng 3 năm 2024")
    doc = state_doc(text, date_span=Span("ngày 12 tháng 3 năm 2024", *_at(text, "ngày 12 tháng 3 năm 2024")),
                    date="2024-03-12")
    assert [f.subject for f in fired(doc, "HDR-DATE-FORMAT")] == ["place"]


def _at(text: str, fragment: str) -> tuple[int, int]:
    i = text.index(fragment)
    return i, i + len(fragment)
