"""Forms of planted defects the rules once missed, and the clean forms they once flagged, end to end
(extraction, then the engine) on the example plans shipped with the packs."""

from __future__ import annotations

import pytest
from vanban.rules.engine import check

import vanban
from tests.factories import PARTY_TEXT, STATE_TEXT


def found(text: str, rule: str) -> list[tuple[str | None, str]]:
    doc = vanban.extract(text.encode("utf-8"), name="plan.txt")
    return [(f.subject, f.message) for f in check(doc).findings if f.rule == rule]


def subjects(text: str, rule: str) -> list[str | None]:
    return [s for s, _ in found(text, rule)]


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# --------------------------------------------------------------------------- outline

IMPL = "1. Văn phòng Ủy ban nhân dân xã chủ trì theo dõi"


def test_numbered_paragraphs_that_skip_or_repeat_a_number() -> None:
    two = "2. Các ban, ngành, đoàn thể xã căn cứ"
    assert subjects(edit(STATE_TEXT, two, "3. Các ban, ngành, đoàn thể xã căn cứ"), "SEC-NUMBERING") == ["gap:3"]
    assert subjects(edit(STATE_TEXT, two, "1. Các ban, ngành, đoàn thể xã căn cứ"), "SEC-NUMBERING") == []  # a new list
    text = edit(STATE_TEXT, IMPL, "1. Các phòng thực hiện:\n\n1. Lập danh sách.\n\n2. Báo cáo.\n\nVăn phòng theo dõi")
    assert subjects(text, "SEC-NUMBERING") == []  # a nested list closes, the outer one goes on
    text = edit(STATE_TEXT, two, "2. Các thôn báo cáo kết quả.\n\n2. Các ban, ngành, đoàn thể xã căn cứ")
    assert subjects(text, "SEC-NUMBERING") == ["repeat:2"]


def test_a_list_lettered_a_b_c_d_e_without_d_stroke_is_complete() -> None:
    items = "\n\n".join(f"{ch}) Nội dung thứ {i}" for i, ch in enumerate("abcde", 1))
    assert subjects(edit(STATE_TEXT, IMPL, f"1. Các phòng:\n\n{items}\n\n{IMPL}"), "SEC-NUMBERING") == []


def test_reporting_duties_alone_are_not_the_implementation_part() -> None:
    text = edit(STATE_TEXT, "III. TỔ CHỨC THỰC HIỆN", "III. CHẾ ĐỘ BÁO CÁO")
    assert subjects(text, "SEC-IMPLEMENTATION") == ["implementation"]
    assert subjects(edit(STATE_TEXT, "III. TỔ CHỨC THỰC HIỆN", "III. PHÂN CÔNG NHIỆM VỤ"), "SEC-IMPLEMENTATION") == []


def test_a_report_heading_is_not_the_content_part_out_of_order() -> None:
    text = edit(STATE_TEXT, "I. MỤC ĐÍCH, YÊU CẦU\n", "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ NĂM 2023\n\nĐã hoàn thành.\n\n"
                "II. MỤC ĐÍCH, YÊU CẦU\n")
    text = edit(edit(text, "II. NỘI DUNG, NHIỆM VỤ", "III. NỘI DUNG, NHIỆM VỤ"), "III. TỔ CHỨC", "IV. TỔ CHỨC")
    assert subjects(text, "SEC-ORDER") == []


def test_an_implementation_part_stripped_of_its_units() -> None:
    body = STATE_TEXT[STATE_TEXT.index(IMPL):STATE_TEXT.index("Nơi nhận")]
    text = edit(STATE_TEXT, body, "Kế hoạch này được triển khai nghiêm túc, hiệu quả.\n\n")
    text = edit(text, "II. NỘI DUNG, NHIỆM VỤ\n", "II. NỘI DUNG, NHIỆM VỤ\n\n1. Tổ chức thực hiện công tác tuyên truyền\n\n"
                "Văn phòng Ủy ban nhân dân xã chủ trì.\n")
    assert subjects(text, "ASG-MISSING") == ["implementation"]  # a task inside the content part is not the part


# --------------------------------------------------------------------------- cited documents

CITED = "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ"


def test_a_later_mention_with_the_wrong_type_word() -> None:
    later = "2. Thực hiện nghiêm quy chế dân chủ ở cơ sở;"
    text = edit(STATE_TEXT, later, "2. Thực hiện Chỉ thị số 76/NQ-CP về quy chế dân chủ ở cơ sở;")
    assert subjects(text, "CIT-SYMBOL-FORMAT") == ["76/NQ-CP"]
    text = edit(STATE_TEXT, later, "2. Thực hiện Công văn số 76/NQ-CP về quy chế dân chủ ở cơ sở;")
    assert subjects(text, "CIT-SYMBOL-FORMAT") == []  # “công văn” is said of any letter after the first mention


def test_the_first_mention_in_the_text_counts_not_the_summary_line() -> None:
    text = edit(STATE_TEXT, "Triển khai công tác dân vận chính quyền năm 2024\n",
                f"Triển khai {CITED} năm 2024\n")
    assert subjects(text, "CIT-INCOMPLETE") == []
    text = edit(text, f"Căn cứ {CITED}", "Căn cứ Nghị quyết số 76/NQ-CP của Chính phủ")
    assert subjects(text, "CIT-INCOMPLETE") == ["76/NQ-CP"]


@pytest.mark.parametrize(("written", "fires"), [
    # one issuer after two documents of the same body, written one after the other
    ("Quyết định số 12/QĐ-TTg ngày 02/01/2024 và Quyết định số 14/QĐ-TTg ngày 05/01/2024 của Thủ tướng Chính phủ",
     False),
    ("Quyết định số 12/QĐ-TTg ngày 02/01/2024 sửa đổi, bổ sung Quyết định số 14/QĐ-TTg ngày 05/01/2020 của Thủ "
     "tướng Chính phủ", False),
    # … but not when the first has a summary of its own in between
    ("Quyết định số 12/QĐ-TTg ngày 02/01/2024 về cải cách hành chính và Quyết định số 14/QĐ-TTg ngày 05/01/2024 "
     "của Thủ tướng Chính phủ", True),
    # "theo quy định tại" names no issuer
    ("theo quy định tại Thông tư số 01/2023/TT-VPCP ngày 05/4/2023", True),
    # the body that acted opens the sentence
    ("Thủ tướng Chính phủ phê duyệt tại các Quyết định: số 12/QĐ-TTg ngày 02/01/2024", False),
])
def test_whose_issuer_the_words_around_a_citation_give(written: str, fires: bool) -> None:
    text = edit(STATE_TEXT, "2. Thực hiện nghiêm quy chế dân chủ ở cơ sở;", f"2. Thực hiện {written};")
    assert ("12/QĐ-TTg" in subjects(text, "CIT-INCOMPLETE") or "01/2023/TT-VPCP" in subjects(text, "CIT-INCOMPLETE")) \
        is fires


def test_an_issuer_of_the_other_family_is_not_the_documents_own() -> None:
    # The list names the Party committee's documents; the Prime Minister's directive in it has no issuer.
    text = edit(STATE_TEXT, "2. Thực hiện nghiêm quy chế dân chủ ở cơ sở;",
                "2. Thực hiện các văn bản của Tỉnh ủy về công tác dân vận: Nghị quyết số 25-NQ/TU ngày 03/6/2023, "
                "Chỉ thị số 16/CT-TTg ngày 16/5/2016;")
    assert "16/CT-TTg" in subjects(text, "CIT-INCOMPLETE")


# --------------------------------------------------------------------------- header

def test_a_place_and_date_line_written_another_way_is_the_date_line() -> None:
    date_line = "An Hòa, ngày 12 tháng 3 năm 2024"
    assert subjects(edit(STATE_TEXT, date_line, "An Hòa ngày 12/3/2024"), "HDR-DATE-FORMAT") == ["form"]
    assert subjects(edit(STATE_TEXT, date_line, "An Hòa ngày 12 tháng 3 năm 2024"), "HDR-DATE-FORMAT") == ["comma"]
    assert subjects(edit(STATE_TEXT, date_line, "An Hòa ngày 12/3/2024"), "HDR-DATE") == []


def test_blank_and_missing_number_and_date_have_their_own_subjects() -> None:
    assert subjects(edit(STATE_TEXT, "Số: 15/KH-UBND", "Số:     /KH-UBND"), "HDR-NUMBER") == ["blank"]
    assert subjects(edit(STATE_TEXT, "Số: 15/KH-UBND\n", ""), "HDR-NUMBER") == ["number"]
    blank = edit(STATE_TEXT, "ngày 12 tháng 3 năm 2024", "ngày     tháng 3 năm 2024")
    assert subjects(blank, "HDR-DATE") == ["blank"]
    assert subjects(edit(STATE_TEXT, "ngày 12 tháng 3", "ngày 31 tháng 4"), "HDR-DATE") == ["invalid"]


def test_an_impossible_header_date_is_not_evidence_of_its_month() -> None:
    # "31 tháng 4": the day or the month is wrong; a citation of June is not "after the plan".
    text = edit(edit(STATE_TEXT, "ngày 12 tháng 3", "ngày 31 tháng 4"), "ngày 15/7/2021", "ngày 15/6/2024")
    assert found(text, "CIT-DATE-FUTURE") == []


def test_a_type_name_below_the_body_opening_is_not_the_type_line() -> None:
    text = edit(STATE_TEXT, "KẾ HOẠCH\n", "")
    text = edit(text, "II. NỘI DUNG, NHIỆM VỤ", "II. NỘI DUNG\nKẾ HOẠCH")
    assert "type" in subjects(text, "HDR-TITLE")


def test_a_state_symbol_in_party_shape_does_not_make_the_plan_joint() -> None:
    text = edit(STATE_TEXT, "Số: 15/KH-UBND", "Số: 15-KH/MTTQ-BTT")
    assert subjects(text, "HDR-SYMBOL-FORMAT") == ["style"]


def test_without_a_motto_at_the_top_the_header_is_still_read_there() -> None:
    annex = "\n\n" + "Ghi chú. " * 150 + "\n\nPHỤ LỤC\nMẫu báo cáo\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n" \
        "Độc lập - Tự do - Hạnh phúc\n"
    text = edit(STATE_TEXT + annex, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n", "")
    assert subjects(text, "HDR-MOTTO") == ["motto", "slogan"]
    assert subjects(text, "HDR-NUMBER") == [] and subjects(text, "HDR-TITLE") == []


# --------------------------------------------------------------------------- signature, deadlines

def test_a_state_signer_needs_a_position_a_party_committee_member_does_not() -> None:
    assert subjects(edit(STATE_TEXT, "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n", "TM. ỦY BAN NHÂN DÂN\n"), "SIG-POSITION") \
        == ["Nguyễn Văn Bình"]
    assert subjects(edit(PARTY_TEXT, "T/M ĐẢNG ỦY\nBÍ THƯ\n", "T/M ĐẢNG ỦY\n"), "SIG-POSITION") == []


def test_a_deadline_set_before_the_plan_is_reported_from_extraction() -> None:
    text = edit(STATE_TEXT, "trước ngày 15/12/2024", "trước ngày 15/02/2024")
    doc = vanban.extract(text.encode("utf-8"), name="plan.txt")
    assert [(d.kind, d.date) for d in doc.deadlines] == [("before", "2024-02-15")]
    assert [f.subject for f in check(doc).findings if f.rule == "DL-PAST"] == ["2024-02-15"]


def test_a_timeline_heading_with_no_time_in_it_is_no_time_frame() -> None:
    text = edit(STATE_TEXT, ", báo cáo Ủy ban nhân dân xã trước ngày 15/12/2024.", ".")
    text = edit(text, "năm 2024\n\nCăn cứ", "\n\nCăn cứ").replace("chính quyền năm 2024 như sau", "chính quyền như sau")
    text = edit(text, "III. TỔ CHỨC THỰC HIỆN", "III. THỜI GIAN THỰC HIỆN\n\nTheo tiến độ chung.\n\nIV. TỔ CHỨC THỰC HIỆN")
    assert subjects(text, "DL-MISSING") == ["deadline"]
    assert subjects(edit(text, "Theo tiến độ chung.", "Trong quý II/2024."), "DL-MISSING") == []
