"""Deadline, target and assignment rules (DL-*, TGT-MISSING, ASG-MISSING) on hand-built documents."""

from __future__ import annotations

from dataclasses import replace

from vanban.rules.engine import check

from tests.factories import PARTY_TEXT, STATE_TEXT, deadline, party_doc, state_doc, unit, with_header


def fired(doc, rule: str):
    return [f for f in check(doc).findings if f.rule == rule]


def test_impossible_deadline() -> None:
    text = STATE_TEXT.replace("trước ngày 15/12/2024", "trước ngày 31/11/2024")
    doc = replace(state_doc(text), deadlines=(deadline(text, "trước ngày 31/11/2024", None, valid=False),))
    found = fired(doc, "DL-INVALID")
    assert len(found) == 1 and found[0].severity == "error"
    assert text[found[0].start:found[0].end] == "trước ngày 31/11/2024"
    assert fired(state_doc(), "DL-INVALID") == []


def test_deadline_before_the_plan_date() -> None:
    text = STATE_TEXT.replace("trước ngày 15/12/2024", "trước ngày 15/12/2023")
    doc = replace(state_doc(text), deadlines=(deadline(text, "trước ngày 15/12/2023", "2023-12-15"),))
    found = fired(doc, "DL-PAST")
    assert [f.subject for f in found] == ["2023-12-15"]
    assert "15/12/2023" in found[0].message and "12/03/2024" in found[0].message
    assert fired(state_doc(), "DL-PAST") == []


def test_deadline_whose_year_was_inferred_is_judged_only_on_request(tmp_path) -> None:
    text = STATE_TEXT.replace("trước ngày 15/12/2024", "trước ngày 15/02")
    doc = replace(state_doc(text), deadlines=(deadline(text, "trước ngày 15/02", "2024-02-15", inferred_year=True),))
    assert fired(doc, "DL-PAST") == []  # "trước ngày 15/02" in a March plan most likely means next year
    pack = tmp_path / "strict.yaml"
    pack.write_text("pack: strict\nrules:\n  - id: DL-PAST\n    params: {inferred_year: true}\n", encoding="utf-8")
    found = [f for f in check(doc, packs=[pack]).findings if f.rule == "DL-PAST"]
    assert len(found) == 1 and "không ghi năm" in found[0].message


def test_a_past_event_is_not_a_deadline() -> None:
    text = STATE_TEXT.replace("báo cáo Ủy ban nhân dân xã trước ngày 15/12/2024",
                              "đã báo cáo Ủy ban nhân dân xã trước ngày 15/12/2023")
    doc = replace(state_doc(text), deadlines=(deadline(text, "trước ngày 15/12/2023", "2023-12-15"),))
    assert fired(doc, "DL-PAST") == []


def test_ended_periods_are_narration_and_not_judged() -> None:
    text = STATE_TEXT.replace("trước ngày 15/12/2024", "từ ngày 01/02/2024 đến ngày 20/02/2024")
    doc = replace(state_doc(text), deadlines=(deadline(text, "từ ngày 01/02/2024 đến ngày 20/02/2024", "2024-02-01",
                                                       kind="period", end_date="2024-02-20"),))
    assert fired(doc, "DL-PAST") == []


def test_period_that_ends_after_the_plan_date_is_not_past() -> None:
    text = STATE_TEXT.replace("trước ngày 15/12/2024", "từ ngày 01/01/2024 đến ngày 31/12/2024")
    doc = replace(state_doc(text), deadlines=(deadline(text, "từ ngày 01/01/2024 đến ngày 31/12/2024", "2024-01-01",
                                                       kind="period", end_date="2024-12-31"),))
    assert fired(doc, "DL-PAST") == []


def test_past_deadline_of_an_undated_plan_uses_the_latest_cited_date() -> None:
    text = STATE_TEXT.replace("An Hòa, ngày 12 tháng 3 năm 2024\n\n", "").replace(
        "trước ngày 15/12/2024", "trước ngày 15/12/2022")
    doc = replace(state_doc(text), deadlines=(deadline(text, "trước ngày 15/12/2022", "2022-12-15"),))
    found = fired(doc, "DL-PAST")
    # The plan cites a decree of 14/8/2023, so it cannot be older; the title year is not used here.
    assert len(found) == 1 and "59/2023/NĐ-CP" in found[0].message and "14/08/2023" in found[0].message


def test_plan_without_any_time_frame() -> None:
    text = STATE_TEXT.replace(", báo cáo Ủy ban nhân dân xã trước ngày 15/12/2024.", ".")
    doc = with_header(replace(state_doc(text), deadlines=()), title="Triển khai công tác dân vận chính quyền")
    assert [f.subject for f in fired(doc, "DL-MISSING")] == ["deadline"]


def test_year_in_the_summary_line_is_a_time_frame() -> None:
    text = STATE_TEXT.replace(", báo cáo Ủy ban nhân dân xã trước ngày 15/12/2024.", ".")
    assert fired(replace(state_doc(text), deadlines=()), "DL-MISSING") == []
    assert fired(state_doc(), "DL-MISSING") == []


def test_plan_without_targets() -> None:
    doc = replace(state_doc(), targets=())
    found = fired(doc, "TGT-MISSING")
    assert len(found) == 1 and found[0].severity == "info"
    assert fired(state_doc(), "TGT-MISSING") == []


def test_implementation_section_without_units() -> None:
    body = ("1. Văn phòng Ủy ban nhân dân xã chủ trì theo dõi, tổng hợp kết quả thực hiện, báo cáo Ủy ban nhân dân xã "
            "trước ngày 15/12/2024.\n\n2. Các ban, ngành, đoàn thể xã căn cứ Kế hoạch này xây dựng kế hoạch và tổ "
            "chức thực hiện.")
    text = STATE_TEXT.replace(body, "Kế hoạch này được triển khai thực hiện nghiêm túc, hiệu quả.")
    doc = replace(state_doc(text), units=(), tasks=())
    found = fired(doc, "ASG-MISSING")
    assert len(found) == 1 and text[found[0].start:found[0].end] == "III. TỔ CHỨC THỰC HIỆN"


def test_units_found_by_the_extractor_count() -> None:
    doc = party_doc()
    assert fired(doc, "ASG-MISSING") == []
    # Without extracted units, the unit words in the section still count.
    assert fired(replace(doc, units=()), "ASG-MISSING") == []
    text = PARTY_TEXT
    assert unit(text, "Khối Dân vận Đảng ủy") is not None


def test_no_implementation_section_leaves_it_to_sec_implementation() -> None:
    doc = state_doc(STATE_TEXT.replace("III. TỔ CHỨC THỰC HIỆN\n\n", ""))
    assert fired(doc, "ASG-MISSING") == []
    assert len(fired(doc, "SEC-IMPLEMENTATION")) == 1
