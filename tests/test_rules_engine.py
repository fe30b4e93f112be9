"""The engine: packs by family, joint documents, dated legal bases, evidence, suppression, JSON."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from vanban.extractor.errors import RulePackError
from vanban.rules.engine import check

from tests.factories import PARTY_TEXT, STATE_TEXT, party_doc, state_doc, with_header


def rules_of(report) -> set[str]:
    return {f.rule for f in report.findings}


# ------------------------------------------------------------------ families and packs


def test_packs_follow_the_family() -> None:
    assert check(state_doc()).packs == ("common", "state")
    assert check(party_doc()).packs == ("common", "party")
    assert check(with_header(party_doc(), family="joint")).packs == ("common", "party", "state")


def test_unknown_family_is_assumed_from_evidence_and_said() -> None:
    report = check(with_header(party_doc(), family="unknown"))
    assert report.family == "party" and report.packs == ("common", "party")
    assert "T/M ĐẢNG ỦY" in report.evidence["family"] and "coi là văn bản của Đảng" in report.evidence["family"]
    bare = with_header(state_doc(), family="unknown", symbol=None, signers=(), issuer=None)
    report = check(bare)
    assert report.family == "state" and "Nghị định 30/2020" in report.evidence["family"]


def test_forcing_a_builtin_pack_by_name() -> None:
    report = check(with_header(state_doc(), family="unknown"), packs=["party"])
    assert report.packs == ("common", "party")
    # The state plan read as a Party one: its motto and symbol are now wrong.
    assert {"HDR-MOTTO", "HDR-SYMBOL-FORMAT"} <= rules_of(report)


def test_joint_plan_accepts_either_family_form() -> None:
    text = PARTY_TEXT.replace("ĐẢNG CỘNG SẢN VIỆT NAM\n\n", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n")
    doc = with_header(party_doc(text), family="joint")
    from tests.factories import span

    doc = with_header(doc, motto=span(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    report = check(doc)
    # No Tiêu ngữ under the national name: the state form is incomplete, the Party form is not there;
    # either family would do, so the finding stands only for what both miss.
    assert [(f.rule, f.subject) for f in report.findings if f.rule == "HDR-MOTTO"] == [("HDR-MOTTO", "slogan")]
    assert all(f.pack == "party+state" for f in report.findings if f.rule == "HDR-MOTTO")
    both = next(f for f in report.findings if f.rule == "HDR-MOTTO")
    assert "Nghị định 30/2020" in both.basis and "Hướng dẫn 36-HD/VPTW" in both.basis


# ------------------------------------------------------------------ dated legal basis (the 2026 change)


def _party_dated(day: str) -> object:
    text = PARTY_TEXT.replace("ngày 05 tháng 02 năm 2024", day).replace("ĐẢNG CỘNG SẢN VIỆT NAM\n\n", "")
    return check(party_doc(text))


def test_party_basis_before_2026_is_qd66_and_hd36() -> None:
    basis = next(f.basis for f in _party_dated("ngày 05 tháng 02 năm 2024").findings if f.rule == "HDR-MOTTO")
    assert "66-QĐ/TW" in basis and "36-HD/VPTW" in basis and "399" not in basis and "05-HD" not in basis


def test_party_basis_between_the_two_changes_is_qd399_and_hd36() -> None:
    basis = next(f.basis for f in _party_dated("ngày 10 tháng 3 năm 2026").findings if f.rule == "HDR-MOTTO")
    assert "399-QĐ/TW" in basis and "36-HD/VPTW" in basis and "05-HD/VPTW" not in basis


def test_party_basis_after_may_2026_is_qd399_and_hd05() -> None:
    basis = next(f.basis for f in _party_dated("ngày 15 tháng 6 năm 2026").findings if f.rule == "HDR-MOTTO")
    assert "399-QĐ/TW" in basis and "05-HD/VPTW" in basis and "36-HD/VPTW (2018)," not in basis


def test_undated_party_document_gets_every_basis_with_its_dates() -> None:
    text = PARTY_TEXT.replace("An Hòa, ngày 05 tháng 02 năm 2024\n\n", "").replace("ĐẢNG CỘNG SẢN VIỆT NAM\n\n", "")
    doc = with_header(party_doc(text), title="thực hiện phong trào thi đua “Dân vận khéo”")
    doc = replace(doc, citations=())
    basis = next(f.basis for f in check(doc).findings if f.rule == "HDR-MOTTO")
    assert "66-QĐ/TW" in basis and "399-QĐ/TW" in basis and "hoặc" in basis and "27/05/2026" in basis


# ------------------------------------------------------------------ reference-date evidence


def test_reference_date_evidence_is_reported() -> None:
    assert check(state_doc()).evidence["reference_date"] == "ngày ban hành 12/03/2024"
    text = STATE_TEXT.replace("ngày 12 tháng 3 năm 2024", "ngày    tháng 3 năm 2024")
    report = check(state_doc(text))
    assert "tháng 3 năm 2024" in report.evidence["reference_date"]
    assert check(state_doc(), lang="en").evidence["reference_date"] == "the date of issue 2024-03-12"


# ------------------------------------------------------------------ suppression


def _undated_targets():
    return replace(state_doc(), targets=())


def test_comment_in_the_text_suppresses_with_its_reason() -> None:
    text = STATE_TEXT + "\nvanban-disable TGT-MISSING: kế hoạch tuyên truyền, không đặt chỉ tiêu\n"
    doc = replace(state_doc(text), targets=())
    report = check(doc)
    assert "TGT-MISSING" not in rules_of(report)
    assert [(s.rule, s.reason, s.source) for s in report.suppressed] == [
        ("TGT-MISSING", "kế hoạch tuyên truyền, không đặt chỉ tiêu", "comment")]
    assert report.to_dict()["suppressed_count"] == 1


def test_comment_without_reason_is_not_applied_and_said() -> None:
    doc = replace(state_doc(STATE_TEXT + "\nvanban-disable TGT-MISSING\n"), targets=())
    report = check(doc)
    assert "TGT-MISSING" in rules_of(report)
    assert "không ghi lý do" in report.evidence["ignored_suppressions"]


def test_comment_for_one_subject_only() -> None:
    from tests.test_checks_citations import OLD_DECREE, _old_decree_doc

    doc = _old_decree_doc()
    text = doc.text + "\nvanban-disable CIT-EXPIRED 04/2015/NĐ-CP: đã đối chiếu, còn áp dụng phần chuyển tiếp\n"
    doc = replace(doc, text=text)
    assert "CIT-EXPIRED" not in rules_of(check(doc))
    other = replace(doc, text=doc.text.replace("04/2015/NĐ-CP: đã", "98/2023/NĐ-CP: đã"))
    assert "CIT-EXPIRED" in rules_of(check(other))
    assert OLD_DECREE in doc.text


def test_sidecar_file_beside_the_document(tmp_path) -> None:
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(b"")
    (tmp_path / "ke-hoach.docx.vanban.yaml").write_text(
        "- rule: TGT-MISSING\n  reason: chỉ tiêu nằm ở phụ lục riêng\n", encoding="utf-8")
    doc = replace(_undated_targets(), source=replace(state_doc().source, path=str(source)))
    report = check(doc)
    assert "TGT-MISSING" not in rules_of(report)
    assert report.suppressed[0].source.endswith("ke-hoach.docx.vanban.yaml")


def test_bad_sidecar_is_an_error_naming_the_file(tmp_path) -> None:
    side = tmp_path / "x.vanban.yaml"
    side.write_text("- rule: TGT-MISING\n  reason: r\n- rule: SEC-ORDER\n", encoding="utf-8")
    with pytest.raises(RulePackError) as err:
        check(state_doc(), suppress_file=side)
    msg = str(err.value)
    assert str(side) in msg and "'TGT-MISSING'" in msg and "reason" in msg


# ------------------------------------------------------------------ report


def test_report_json_follows_the_contract() -> None:
    report = check(replace(state_doc(STATE_TEXT.replace("Số: 15/KH-UBND\n\n", "")), targets=()))
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["schema_version"] == 1
    assert set(data) >= {"source", "document", "findings", "summary", "manual_checks", "suppressed", "packs"}
    assert data["summary"] == {"error": 1, "warning": 0, "info": 1}
    f = next(x for x in data["findings"] if x["rule"] == "HDR-NUMBER")
    assert set(f) >= {"rule", "severity", "message", "start", "end", "subject", "basis", "suggestion", "message_en"}
    assert f["message_en"].startswith("The number and symbol are missing")
    assert [m["rule"] for m in data["manual_checks"]] == ["MAN-SEAL", "MAN-SIGNATURE"]


def test_findings_are_in_text_order_and_deterministic() -> None:
    text = STATE_TEXT.replace("Số: 15/KH-UBND\n\n", "").replace("III. TỔ CHỨC THỰC HIỆN\n\n", "")
    a, b = check(state_doc(text)), check(state_doc(text))
    assert a.findings == b.findings
    assert [f.start for f in a.findings] == sorted(f.start for f in a.findings)
