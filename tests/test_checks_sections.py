"""Outline rules (SEC-*) on hand-built documents."""

from __future__ import annotations

from dataclasses import replace

from vanban.extractor.model import Header
from vanban.rules.engine import check

from tests.factories import PARTY_TEXT, STATE_TEXT, document, outline, party_doc, span, state_doc


def fired(doc, rule: str):
    return [f for f in check(doc).findings if f.rule == rule]


def test_plan_without_purpose_section() -> None:
    doc = state_doc(STATE_TEXT.replace("I. MỤC ĐÍCH, YÊU CẦU\n\n", ""))
    found = fired(doc, "SEC-PURPOSE")
    assert len(found) == 1 and found[0].subject == "purpose" and found[0].severity == "warning"
    assert "mục đích, yêu cầu" in found[0].message
    assert "Thông lệ" in found[0].basis  # convention, not law: the basis says so


def test_plan_without_content_or_implementation() -> None:
    doc = state_doc(STATE_TEXT.replace("II. NỘI DUNG, NHIỆM VỤ\n\n", "").replace("III. TỔ CHỨC THỰC HIỆN\n\n", ""))
    assert [f.subject for f in fired(doc, "SEC-CONTENT")] == ["content"]
    assert [f.subject for f in fired(doc, "SEC-IMPLEMENTATION")] == ["implementation"]


def test_accepted_title_words_count_even_when_the_role_is_other() -> None:
    # "MỤC TIÊU, CHỈ TIÊU" and "NHIỆM VỤ, GIẢI PHÁP" are common variants (an extractor may call them "other").
    text = STATE_TEXT.replace("I. MỤC ĐÍCH, YÊU CẦU", "I. MỤC TIÊU, CHỈ TIÊU")
    doc = state_doc(text)
    doc = replace(doc, sections=outline(text, [("I. MỤC TIÊU, CHỈ TIÊU", "I", "other", 1),
                                               ("II. NỘI DUNG, NHIỆM VỤ", "II", "content", 1),
                                               ("III. TỔ CHỨC THỰC HIỆN", "III", "implementation", 1)]))
    assert fired(doc, "SEC-PURPOSE") == []


def test_section_rules_apply_to_plans_only() -> None:
    text = STATE_TEXT.replace("I. MỤC ĐÍCH, YÊU CẦU\n\n", "").replace("KẾ HOẠCH\n", "BÁO CÁO\n")
    doc = state_doc(text, type="Báo cáo", type_code="BC", type_span=span(text, "BÁO CÁO"))
    assert "SEC-PURPOSE" not in {f.rule for f in check(doc).findings}
    # The type name in the header wins over a type code read from a wrong symbol.
    doc = state_doc(STATE_TEXT.replace("I. MỤC ĐÍCH, YÊU CẦU\n\n", ""), type_code="QĐ")
    assert "SEC-PURPOSE" in {f.rule for f in check(doc).findings}


def test_sections_out_of_order() -> None:
    text = STATE_TEXT.replace("I. MỤC ĐÍCH, YÊU CẦU", "I. NỘI DUNG, NHIỆM VỤ").replace(
        "II. NỘI DUNG, NHIỆM VỤ", "II. MỤC ĐÍCH, YÊU CẦU")
    doc = replace(state_doc(text), sections=outline(text, [
        ("I. NỘI DUNG, NHIỆM VỤ", "I", "content", 1),
        ("II. MỤC ĐÍCH, YÊU CẦU", "II", "purpose", 1),
        ("III. TỔ CHỨC THỰC HIỆN", "III", "implementation", 1)]))
    found = fired(doc, "SEC-ORDER")
    assert len(found) == 1
    assert text[found[0].start:found[0].end] == "I. NỘI DUNG, NHIỆM VỤ"
    assert "nội dung, nhiệm vụ → mục đích, yêu cầu" in found[0].message
    assert fired(state_doc(), "SEC-ORDER") == []


def test_funding_between_content_and_implementation_is_fine() -> None:
    text = STATE_TEXT.replace("III. TỔ CHỨC THỰC HIỆN", "III. KINH PHÍ\n\nNgân sách xã.\n\nIV. TỔ CHỨC THỰC HIỆN")
    doc = replace(state_doc(text), sections=outline(text, [
        ("I. MỤC ĐÍCH, YÊU CẦU", "I", "purpose", 1), ("II. NỘI DUNG, NHIỆM VỤ", "II", "content", 1),
        ("III. KINH PHÍ", "III", "funding", 1), ("IV. TỔ CHỨC THỰC HIỆN", "IV", "implementation", 1)]))
    assert fired(doc, "SEC-ORDER") == [] and fired(doc, "SEC-NUMBERING") == []


def test_heading_number_gap() -> None:
    text = STATE_TEXT.replace("III. TỔ CHỨC THỰC HIỆN", "IV. TỔ CHỨC THỰC HIỆN")
    doc = replace(state_doc(text), sections=outline(text, [
        ("I. MỤC ĐÍCH, YÊU CẦU", "I", "purpose", 1), ("II. NỘI DUNG, NHIỆM VỤ", "II", "content", 1),
        ("IV. TỔ CHỨC THỰC HIỆN", "IV", "implementation", 1)]))
    found = fired(doc, "SEC-NUMBERING")
    assert len(found) == 1
    assert found[0].subject == "gap:IV" and "thiếu III" in found[0].message and "I, II, IV" in found[0].message
    assert text[found[0].start:found[0].end] == "IV. TỔ CHỨC THỰC HIỆN"


def test_heading_number_repeat_at_a_lower_level() -> None:
    text = STATE_TEXT.replace("2. Thực hiện nghiêm", "1. Thực hiện nghiêm")
    doc = replace(state_doc(text), sections=outline(text, [
        ("I. MỤC ĐÍCH, YÊU CẦU", "I", "purpose", 1), ("II. NỘI DUNG, NHIỆM VỤ", "II", "content", 1),
        ("1. Tuyên truyền", "1", "other", 2), ("1. Thực hiện", "1", "other", 2),
        ("III. TỔ CHỨC THỰC HIỆN", "III", "implementation", 1)]))
    found = fired(doc, "SEC-NUMBERING")
    assert [f.subject for f in found] == ["repeat:1"]


def test_numbering_styles_i_dash_and_letters() -> None:
    text = "KẾ HOẠCH\nI- MỤC ĐÍCH\na) một\nb) hai\nđ) ba\nII- NỘI DUNG\nIII- TỔ CHỨC THỰC HIỆN\n"
    secs = outline(text, [("I- MỤC ĐÍCH", "I", "purpose", 1), ("a) một", "a", "other", 2), ("b) hai", "b", "other", 2),
                          ("đ) ba", "đ", "other", 2), ("II- NỘI DUNG", "II", "content", 1),
                          ("III- TỔ CHỨC THỰC HIỆN", "III", "implementation", 1)])
    doc = document(text, header=Header(family="state", type_code="KH"), sections=secs)
    found = fired(doc, "SEC-NUMBERING")
    # Vietnamese letters run a, b, c, d, đ: "c, d" are missing before "đ".
    assert [f.subject for f in found] == ["gap:đ"] and "thiếu c, d" in found[0].message


def test_party_plan_clean_outline() -> None:
    assert [f for f in check(party_doc(PARTY_TEXT)).findings if f.rule.startswith("SEC-")] == []
