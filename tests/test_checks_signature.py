"""Signature, recipients, text-encoding rules and manual checks on hand-built documents."""

from __future__ import annotations

from dataclasses import replace

from vanban.rules.engine import check

from tests.factories import PARTY_TEXT, STATE_TEXT, party_doc, signer, state_doc, with_header


def fired(doc, rule: str):
    return [f for f in check(doc).findings if f.rule == rule]


def test_no_signature_block() -> None:
    doc = state_doc(STATE_TEXT.replace("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn Bình\n", ""))
    assert len(fired(doc, "SIG-MISSING")) == 1
    assert fired(state_doc(), "SIG-MISSING") == []


def test_signer_without_position() -> None:
    text = STATE_TEXT.replace("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n", "")
    doc = with_header(state_doc(text), signers=(signer(text, None, None, "Nguyễn Văn Bình"),))
    found = fired(doc, "SIG-POSITION")
    assert [f.subject for f in found] == ["Nguyễn Văn Bình"]
    assert text[found[0].start:found[0].end] == "Nguyễn Văn Bình"


def test_party_authority_in_a_state_document() -> None:
    text = STATE_TEXT.replace("TM. ỦY BAN NHÂN DÂN", "T/M ỦY BAN NHÂN DÂN")
    doc = with_header(state_doc(text), signers=(signer(text, "T/M ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Bình"),))
    found = fired(doc, "SIG-AUTHORITY-FORMAT")
    assert len(found) == 1 and "TM., KT." in found[0].message


def test_state_authority_in_a_party_document() -> None:
    text = PARTY_TEXT.replace("T/M ĐẢNG ỦY", "TM. ĐẢNG ỦY")
    doc = with_header(party_doc(text), signers=(signer(text, "TM. ĐẢNG ỦY", "BÍ THƯ", "Trần Văn Cường"),))
    found = fired(doc, "SIG-AUTHORITY-FORMAT")
    assert len(found) == 1 and "T/M, K/T" in found[0].message


def test_joint_plan_each_signer_in_its_own_body_style() -> None:
    text = PARTY_TEXT + "\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nLê Thị Hoa\n"
    signers = (signer(text, "T/M ĐẢNG ỦY", "BÍ THƯ", "Trần Văn Cường"),
               signer(text, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Thị Hoa"))
    doc = with_header(party_doc(text), family="joint", signers=signers)
    assert fired(doc, "SIG-AUTHORITY-FORMAT") == []
    wrong = text.replace("T/M ĐẢNG ỦY", "TM. ĐẢNG ỦY")
    signers = (signer(wrong, "TM. ĐẢNG ỦY", "BÍ THƯ", "Trần Văn Cường"),
               signer(wrong, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Thị Hoa"))
    doc = with_header(party_doc(wrong), family="joint", signers=signers)
    assert [f.subject for f in fired(doc, "SIG-AUTHORITY-FORMAT")] == ["TM. ĐẢNG ỦY"]


def test_no_recipients_block() -> None:
    doc = state_doc(STATE_TEXT.replace(
        "Nơi nhận:\n- Ủy ban nhân dân huyện;\n- Thường trực Đảng ủy xã;\n- Các ban, ngành, đoàn thể xã;\n- Lưu: VT.\n\n", ""))
    assert len(fired(doc, "RCP-MISSING")) == 1
    assert fired(doc, "RCP-ARCHIVE") == []  # nothing to look into
    assert fired(state_doc(), "RCP-MISSING") == []


def test_recipients_without_archive_line() -> None:
    doc = state_doc(STATE_TEXT.replace("- Các ban, ngành, đoàn thể xã;\n- Lưu: VT.\n", "- Các ban, ngành, đoàn thể xã.\n"))
    found = fired(doc, "RCP-ARCHIVE")
    assert len(found) == 1 and found[0].severity == "info"


def test_party_archive_line_without_colon_passes() -> None:
    assert fired(party_doc(), "RCP-ARCHIVE") == []


def test_legacy_encoding_reported_once_per_conversion() -> None:
    doc = replace(state_doc(), conversions=("tcvn3", "nfc", "tcvn3", "ocr"))
    found = fired(doc, "TXT-ENCODING")
    assert [f.subject for f in found] == ["tcvn3", "nfc"]
    assert "TCVN3" in found[0].message
    assert fired(state_doc(), "TXT-ENCODING") == []


def test_manual_checks_are_listed_not_passed() -> None:
    report = check(state_doc())
    assert {f.rule for f in report.manual_checks} == {"MAN-SEAL", "MAN-SIGNATURE"}
    assert all(f.manual for f in report.manual_checks)
    assert not {f.rule for f in report.findings} & {"MAN-SEAL", "MAN-SIGNATURE"}
    docx = check(replace(state_doc(), source=replace(state_doc().source, format="docx")))
    assert {"MAN-LAYOUT", "MAN-PAPER"} <= {f.rule for f in docx.manual_checks}
    scanned = check(replace(state_doc(), conversions=("ocr",)))
    assert {"MAN-LAYOUT", "MAN-PAPER"} <= {f.rule for f in scanned.manual_checks}
    unsigned = check(state_doc(STATE_TEXT.replace("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn Bình\n", "")))
    assert "MAN-SEAL" not in {f.rule for f in unsigned.manual_checks}
