"""Citation rules (CIT-*) on hand-built documents, with the built-in registry or a small one."""

from __future__ import annotations

from dataclasses import replace

from vanban.corpus.registry import RegEntry, Registry
from vanban.rules.engine import check

from tests.factories import PARTY_TEXT, STATE_TEXT, citation, party_doc, state_doc, with_header

OLD_DECREE = ("Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ về thực hiện dân chủ trong hoạt động "
              "của cơ quan hành chính nhà nước")


def fired(doc, rule: str, **kw):
    return [f for f in check(doc, **kw).findings if f.rule == rule]


def add_citations(doc, *cits):
    return replace(doc, citations=tuple(sorted([*doc.citations, *[c for c in cits if c]], key=lambda c: c.start)))


def cite_in_body(text: str, sentence: str) -> str:
    return text.replace("2. Thực hiện nghiêm quy chế dân chủ ở cơ sở;", f"2. {sentence};")


# ------------------------------------------------------------------ CIT-INCOMPLETE


def test_first_mention_without_date() -> None:
    text = STATE_TEXT.replace("Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ", "Nghị quyết số 76/NQ-CP của Chính phủ")
    doc = replace(state_doc(text), citations=(
        citation(text, "Nghị quyết số 76/NQ-CP của Chính phủ", symbol="76/NQ-CP", issuer="Chính phủ"),
        citation(text, "Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ", symbol="59/2023/NĐ-CP",
                 date="2023-08-14", issuer="Chính phủ")))
    found = fired(doc, "CIT-INCOMPLETE")
    assert [f.subject for f in found] == ["76/NQ-CP"]
    assert "ngày ban hành" in found[0].message and "cơ quan" not in found[0].message
    assert text[found[0].start:found[0].end] == "Nghị quyết số 76/NQ-CP của Chính phủ"


def test_first_mention_without_issuer_and_a_later_full_one() -> None:
    text = cite_in_body(PARTY_TEXT.replace("Nghị quyết số 35-NQ/TW, ngày 22/10/2018 của Bộ Chính trị", "Nghị quyết số 35-NQ/TW"),
                        "x")
    text = text.replace("2. Biểu dương", "2. Theo Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị, biểu dương")
    doc = replace(party_doc(text), citations=(
        citation(text, "Nghị quyết số 35-NQ/TW", symbol="35-NQ/TW"),
        citation(text, "Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị", symbol="35-NQ/TW",
                 date="2018-10-22", issuer="Bộ Chính trị")))
    found = fired(doc, "CIT-INCOMPLETE")
    assert len(found) == 1 and found[0].start == text.index("Nghị quyết số 35-NQ/TW")
    assert "ngày ban hành, cơ quan ban hành" in found[0].message and "lần nhắc sau có đủ" in found[0].message


def test_date_written_once_for_two_documents_belongs_to_both() -> None:
    sentence = ("Thực hiện Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày 12 tháng 12 năm 2013 "
                "của Bộ Chính trị")
    text = cite_in_body(STATE_TEXT, sentence)
    doc = add_citations(state_doc(text),
                        citation(text, "Quyết định số 217-QĐ/TW", symbol="217-QĐ/TW"),
                        citation(text, "Quyết định số 218-QĐ/TW ngày 12 tháng 12 năm 2013 của Bộ Chính trị",
                                 symbol="218-QĐ/TW", date="2013-12-12", issuer="Bộ Chính trị"))
    assert fired(doc, "CIT-INCOMPLETE") == []


def test_issuer_stated_once_for_a_list() -> None:
    sentence = ("Thực hiện các văn bản của UBND huyện tại: Công văn số 245/UBND ngày 31/10/2023 về báo cáo; "
                "Quyết định số 3807/QĐ-UBND ngày 29/12/2023 về phê duyệt kết quả")
    text = cite_in_body(STATE_TEXT, sentence)
    doc = add_citations(state_doc(text),
                        citation(text, "Công văn số 245/UBND ngày 31/10/2023", symbol="245/UBND", date="2023-10-31"),
                        citation(text, "Quyết định số 3807/QĐ-UBND ngày 29/12/2023", symbol="3807/QĐ-UBND",
                                 date="2023-12-29"))
    assert fired(doc, "CIT-INCOMPLETE") == []


def test_laws_cited_by_name_are_exempt() -> None:
    text = cite_in_body(STATE_TEXT, "Thực hiện Luật số 10/2022/QH15")
    doc = add_citations(state_doc(text), citation(text, "Luật số 10/2022/QH15", symbol="10/2022/QH15", type="Luật"))
    assert fired(doc, "CIT-INCOMPLETE") == []


# ------------------------------------------------------------------ dates


def test_impossible_cited_date() -> None:
    text = STATE_TEXT.replace("ngày 15/7/2021", "ngày 31/4/2021")
    doc = replace(state_doc(text), citations=(
        citation(text, "Nghị quyết số 76/NQ-CP ngày 31/4/2021 của Chính phủ", symbol="76/NQ-CP", issuer="Chính phủ",
                 date_valid=False, date_text="31/4/2021"),))
    found = fired(doc, "CIT-DATE-INVALID")
    assert [f.subject for f in found] == ["76/NQ-CP"] and "31/4/2021" in found[0].message
    assert found[0].severity == "error"
    assert fired(state_doc(), "CIT-DATE-INVALID") == []


def test_cited_document_dated_after_the_plan() -> None:
    text = STATE_TEXT.replace("ngày 15/7/2021", "ngày 15/7/2024")
    doc = replace(state_doc(text), citations=(
        citation(text, "Nghị quyết số 76/NQ-CP ngày 15/7/2024 của Chính phủ", symbol="76/NQ-CP", date="2024-07-15",
                 issuer="Chính phủ"),))
    found = fired(doc, "CIT-DATE-FUTURE")
    assert [f.subject for f in found] == ["76/NQ-CP"]
    assert "15/07/2024" in found[0].message and "ngày ban hành 12/03/2024" in found[0].message


def test_future_citation_judged_by_the_title_year_when_the_plan_is_undated() -> None:
    text = STATE_TEXT.replace("An Hòa, ngày 12 tháng 3 năm 2024\n\n", "").replace("ngày 15/7/2021", "ngày 15/7/2025")
    doc = replace(state_doc(text), citations=(
        citation(text, "Nghị quyết số 76/NQ-CP ngày 15/7/2025 của Chính phủ", symbol="76/NQ-CP", date="2025-07-15",
                 issuer="Chính phủ"),))
    found = fired(doc, "CIT-DATE-FUTURE")
    assert len(found) == 1 and "“năm 2024” trong trích yếu" in found[0].message


def test_undated_plan_without_evidence_stays_silent() -> None:
    text = STATE_TEXT.replace("An Hòa, ngày 12 tháng 3 năm 2024\n\n", "")
    doc = with_header(replace(state_doc(text), citations=(
        citation(text, "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ", symbol="76/NQ-CP", date="2030-07-15",
                 issuer="Chính phủ"),)), title="Triển khai công tác dân vận chính quyền")
    assert fired(doc, "CIT-DATE-FUTURE") == []


def test_one_document_cited_with_two_dates_in_one_year() -> None:
    text = cite_in_body(STATE_TEXT, "Thực hiện Nghị quyết số 76/NQ-CP ngày 20/7/2021 của Chính phủ")
    doc = add_citations(state_doc(text), citation(text, "Nghị quyết số 76/NQ-CP ngày 20/7/2021 của Chính phủ",
                                                  symbol="76/NQ-CP", date="2021-07-20", issuer="Chính phủ"))
    found = fired(doc, "CIT-CONFLICT")
    assert [f.subject for f in found] == ["76/NQ-CP"]
    assert "15/07/2021" in found[0].message and "20/07/2021" in found[0].message


def test_same_state_symbol_in_two_years_is_two_documents() -> None:
    text = cite_in_body(STATE_TEXT, "Thực hiện Nghị quyết số 76/NQ-CP ngày 20/7/2023 của Chính phủ")
    doc = add_citations(state_doc(text), citation(text, "Nghị quyết số 76/NQ-CP ngày 20/7/2023 của Chính phủ",
                                                  symbol="76/NQ-CP", date="2023-07-20", issuer="Chính phủ"))
    assert fired(doc, "CIT-CONFLICT") == []


def test_normative_symbol_fixes_the_year_so_any_other_date_conflicts() -> None:
    text = cite_in_body(STATE_TEXT, "Thực hiện Nghị định số 59/2023/NĐ-CP ngày 14/9/2023 của Chính phủ")
    doc = add_citations(state_doc(text), citation(text, "Nghị định số 59/2023/NĐ-CP ngày 14/9/2023 của Chính phủ",
                                                  symbol="59/2023/NĐ-CP", date="2023-09-14", issuer="Chính phủ"))
    assert [f.subject for f in fired(doc, "CIT-CONFLICT")] == ["59/2023/NĐ-CP"]


def test_one_document_cited_with_two_issuers() -> None:
    text = cite_in_body(PARTY_TEXT, "x").replace(
        "2. Biểu dương", "2. Theo Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Ban Bí thư, biểu dương")
    doc = add_citations(party_doc(text), citation(text, "Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Ban Bí thư",
                                                  symbol="35-NQ/TW", date="2018-10-22", issuer="Ban Bí thư"))
    found = fired(doc, "CIT-CONFLICT")
    assert len(found) == 1 and "Ban Bí thư" in found[0].message


def test_abbreviated_issuer_is_not_a_conflict() -> None:
    text = cite_in_body(PARTY_TEXT, "x").replace(
        "2. Biểu dương", "2. Theo Nghị quyết số 35-NQ/TW ngày 22/10/2018 của BCT (khóa XII), biểu dương")
    doc = add_citations(party_doc(text), citation(text, "Nghị quyết số 35-NQ/TW ngày 22/10/2018 của BCT (khóa XII)",
                                                  symbol="35-NQ/TW", date="2018-10-22", issuer="BCT (khóa XII)"))
    assert fired(doc, "CIT-CONFLICT") == []


def test_year_in_normative_symbol_disagrees_with_the_date() -> None:
    text = STATE_TEXT.replace("ngày 14/8/2023", "ngày 14/8/2022")
    doc = replace(state_doc(text), citations=(
        citation(text, "Nghị định số 59/2023/NĐ-CP ngày 14/8/2022 của Chính phủ", symbol="59/2023/NĐ-CP",
                 date="2022-08-14", issuer="Chính phủ"),))
    found = fired(doc, "CIT-YEAR-MISMATCH")
    assert [f.subject for f in found] == ["59/2023/NĐ-CP"] and "2023" in found[0].message
    assert fired(state_doc(), "CIT-YEAR-MISMATCH") == []


# ------------------------------------------------------------------ CIT-SYMBOL-FORMAT


def test_type_word_disagrees_with_the_symbol() -> None:
    text = STATE_TEXT.replace("Nghị quyết số 76/NQ-CP", "Chỉ thị số 76/NQ-CP")
    doc = replace(state_doc(text), citations=(
        citation(text, "Chỉ thị số 76/NQ-CP ngày 15/7/2021 của Chính phủ", symbol="76/NQ-CP", date="2021-07-15",
                 issuer="Chính phủ"),))
    found = fired(doc, "CIT-SYMBOL-FORMAT")
    assert [f.subject for f in found] == ["76/NQ-CP"] and "Chỉ thị" in found[0].message


def test_party_body_numbered_in_state_style() -> None:
    text = cite_in_body(STATE_TEXT, "Thực hiện Công văn số 524/CV-BDVTU ngày 08/5/2023 của Ban Dân vận Tỉnh ủy")
    doc = add_citations(state_doc(text), citation(text, "Công văn số 524/CV-BDVTU ngày 08/5/2023 của Ban Dân vận Tỉnh ủy",
                                                  symbol="524/CV-BDVTU", date="2023-05-08", issuer="Ban Dân vận Tỉnh ủy"))
    found = fired(doc, "CIT-SYMBOL-FORMAT")
    assert [f.subject for f in found] == ["524/CV-BDVTU"] and "cơ quan Đảng" in found[0].message


def test_party_quy_dinh_numbered_qd_is_fine_and_joint_symbols_pass() -> None:
    text = cite_in_body(STATE_TEXT, "Thực hiện Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị và Kế hoạch "
                                    "số 24-KHPH/BDV-UBND ngày 05/3/2024 của Ban Dân vận và UBND")
    doc = add_citations(state_doc(text),
                        citation(text, "Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị", symbol="124-QĐ/TW",
                                 date="2023-10-04", issuer="Bộ Chính trị"),
                        citation(text, "Kế hoạch số 24-KHPH/BDV-UBND ngày 05/3/2024 của Ban Dân vận và UBND",
                                 symbol="24-KHPH/BDV-UBND", date="2024-03-05", issuer="Ban Dân vận và UBND"))
    assert fired(doc, "CIT-SYMBOL-FORMAT") == []


# ------------------------------------------------------------------ registry: CIT-EXPIRED, CIT-UNKNOWN


def _old_decree_doc(plan_date_line: str = "An Hòa, ngày 12 tháng 3 năm 2024"):
    text = cite_in_body(STATE_TEXT, "Thực hiện " + OLD_DECREE).replace("An Hòa, ngày 12 tháng 3 năm 2024", plan_date_line)
    return add_citations(state_doc(text), citation(text, OLD_DECREE, symbol="04/2015/NĐ-CP", date="2015-01-09",
                                                   issuer="Chính phủ"))


def test_citing_a_replaced_decree_after_its_replacement() -> None:
    found = fired(_old_decree_doc(), "CIT-EXPIRED")
    assert [f.subject for f in found] == ["04/2015/NĐ-CP"]
    f = found[0]
    assert "01/07/2023" in f.message and "ngày ban hành 12/03/2024" in f.message
    assert "10/2022/QH15" in f.suggestion and "Luật Thực hiện dân chủ ở cơ sở" in f.suggestion
    assert "chưa được kiểm chứng" in f.message  # the registry's status source is secondary
    assert f.severity == "warning"


def test_citing_it_before_the_replacement_took_effect_is_fine() -> None:
    assert fired(_old_decree_doc("An Hòa, ngày 12 tháng 3 năm 2023"), "CIT-EXPIRED") == []


def test_expired_judged_by_title_year_when_undated_and_says_so() -> None:
    doc = _old_decree_doc("")
    doc = with_header(doc, date=None, date_span=None)
    found = fired(doc, "CIT-EXPIRED")
    assert len(found) == 1 and "“năm 2024” trong trích yếu" in found[0].message


def test_expired_uses_a_given_registry() -> None:
    reg = Registry([RegEntry(key="59/2023/NĐ-CP", symbol="59/2023/NĐ-CP", status="replaced",
                             status_date="2024-01-01", replaced_by="1/2024/NĐ-CP",
                             source="test; status: official gazette"),
                    RegEntry(key="76/NQ-CP", symbol="76/NQ-CP")])
    found = fired(state_doc(), "CIT-EXPIRED", registry=reg)
    assert [f.subject for f in found] == ["59/2023/NĐ-CP"] and "chưa được kiểm chứng" not in found[0].message


def test_unknown_central_document_is_info_and_local_ones_are_not_reported() -> None:
    text = cite_in_body(STATE_TEXT, "Thực hiện Chỉ thị số 91/CT-TTg ngày 02/02/2023 của Thủ tướng Chính phủ và "
                                    "Kế hoạch số 22/KH-UBND ngày 29/01/2024 của UBND huyện")
    doc = add_citations(state_doc(text),
                        citation(text, "Chỉ thị số 91/CT-TTg ngày 02/02/2023 của Thủ tướng Chính phủ", symbol="91/CT-TTg",
                                 date="2023-02-02", issuer="Thủ tướng Chính phủ"),
                        citation(text, "Kế hoạch số 22/KH-UBND ngày 29/01/2024 của UBND huyện", symbol="22/KH-UBND",
                                 date="2024-01-29", issuer="UBND huyện"))
    found = fired(doc, "CIT-UNKNOWN")
    assert [(f.subject, f.severity) for f in found] == [("91/CT-TTg", "info")]
    assert fired(state_doc(), "CIT-UNKNOWN") == []


def test_unknown_scope_all_reports_local_documents_too(tmp_path) -> None:
    pack = tmp_path / "all.yaml"
    pack.write_text("pack: mine\nrules:\n  - id: CIT-UNKNOWN\n    params: {scope: all}\n", encoding="utf-8")
    text = cite_in_body(STATE_TEXT, "Thực hiện Kế hoạch số 22/KH-UBND ngày 29/01/2024 của UBND huyện")
    doc = add_citations(state_doc(text), citation(text, "Kế hoạch số 22/KH-UBND ngày 29/01/2024 của UBND huyện",
                                                  symbol="22/KH-UBND", date="2024-01-29", issuer="UBND huyện"))
    assert [f.subject for f in fired(doc, "CIT-UNKNOWN", packs=[pack])] == ["22/KH-UBND"]
