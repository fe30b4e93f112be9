"""Signers and recipients ("Nơi nhận") of the closing block."""

from __future__ import annotations

import json

import pytest
from vanban.extractor.header import find_header
from vanban.extractor.signature import find_recipients, find_signers, is_authority, is_position

from tests.paths import REAL, SEEDS_GOLD, SHARED
from tests.textdocs import real_gold, same, text_doc

SEEDS_DIR = SHARED / "corpus" / "seeds"


def _ingest(path):  # type: ignore[no-untyped-def]
    from vanban.api import ingest

    return ingest(path)


@pytest.mark.skipif(not SEEDS_GOLD.is_dir(), reason="shared corpus not available")
def test_seed_signers_and_recipients_match_the_gold() -> None:
    for gold_path in sorted(SEEDS_GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        h = find_header(_ingest(SEEDS_DIR / gold["file"]))
        names = [s.name for s in h.signers]
        for want in gold["signers"]:
            assert any(same(n, want["name"]) for n in names), (gold["file"], names)
        assert len(h.recipients) == gold["recipients"]["count"], (gold["file"], h.recipients)
        if gold["recipients"].get("has_archive"):
            assert h.recipients[-1].startswith("Lưu"), h.recipients


@pytest.mark.skipif(not REAL.is_dir(), reason="shared corpus not available")
@pytest.mark.parametrize("gold", real_gold(), ids=lambda g: g["file"])
def test_real_document_closings(gold: dict) -> None:  # type: ignore[type-arg]
    doc = _ingest(REAL / gold["file"])
    h = find_header(doc)
    got = [(s.authority, s.position, s.name) for s in h.signers]
    want = [(s["authority"], s["position"], s["name"]) for s in gold["signers"]]
    assert len(got) == len(want), got
    for g, w in zip(got, want, strict=True):
        assert all((same(a, b) if b is not None else a is None) for a, b in zip(g, w, strict=True)), (g, w)
    rec = gold["recipients"]
    assert len(h.recipients) == rec["count"], h.recipients
    if rec["count"]:
        assert h.recipients[0] == rec["first"]
        assert h.recipients[-1] == rec["last"]
        assert h.recipients_span is not None
        assert doc.text[h.recipients_span.start : h.recipients_span.end] == h.recipients_span.text
        for span in h.recipient_spans:
            assert doc.text[span.start : span.end] == span.text


def test_authority_and_position_lines() -> None:
    for line in ("TM. ỦY BAN NHÂN DÂN", "T/M ĐẢNG ỦY", "KT. CHỦ TỊCH", "TL.CHỦ TỊCH", "K/T TRƯỞNG BAN", "TUQ. GIÁM ĐỐC"):
        assert is_authority(line), line
    for line in ("KTNN;", "TTUB: CT, các PCT", "TM"):
        assert not is_authority(line), line
    for line in ("CHỦ TỊCH", "PHÓ BÍ THƯ THƯỜNG TRỰC", "PHÓ CHÁNH VĂN PHÒNG", "BỘ TRƯỞNG", "TỔNG KIỂM TOÁN NHÀ NƯỚC"):
        assert is_position(line), line
    assert not is_position("Chủ tịch UBND tỉnh")  # an addressee, written in lower case


CLOSING = """\
Trên đây là kế hoạch thực hiện năm 2025./.
Nơi nhận:
- Ban Dân vận Huyện ủy (b/c),
- Công an xã; Quân sự xã,
- Các Bộ: TC; NN&MT;
- Uỷ ban Kiểm tra Đảng uỷ, Ban xây dựng Đảng,
VP Đảng uỷ;
- Lưu: VT, NC (TP,
Vinh).
T/M ĐẢNG ỦY
PHÓ BÍ THƯ

(Đã ký)

Nguyễn Văn Minh
"""


def test_recipients_one_per_dash_line_with_wraps_and_semicolons() -> None:
    doc = text_doc(CLOSING)
    rec = find_recipients(doc)
    assert rec is not None
    assert rec.names == (
        "Ban Dân vận Huyện ủy (b/c)",
        "Công an xã",
        "Quân sự xã",
        "Các Bộ: TC; NN&MT",  # an enumeration after a colon stays one addressee
        "Uỷ ban Kiểm tra Đảng uỷ, Ban xây dựng Đảng, VP Đảng uỷ",  # wrapped line joined
        "Lưu: VT, NC (TP, Vinh).",
    )
    for span in rec.items:
        assert doc.text[span.start : span.end] == span.text
    assert rec.label is not None and rec.label.text == "Nơi nhận:"
    signers = find_signers(doc, recipients=rec)
    assert [(s.authority, s.position, s.name) for s in signers] == [("T/M ĐẢNG ỦY", "PHÓ BÍ THƯ", "Nguyễn Văn Minh")]
    s = signers[0]
    assert doc.text[s.start : s.end].startswith("T/M ĐẢNG ỦY") and doc.text[s.start : s.end].endswith("Nguyễn Văn Minh")


def test_joint_signatures_side_by_side_and_recipients_after_them() -> None:
    text = (
        "Giao các đơn vị thực hiện./.\n"
        "TM. BAN THƯỜNG VỤ ĐẢNG ỦY              TM. ỦY BAN NHÂN DÂN\n"
        "BÍ THƯ                                  CHỦ TỊCH\n\n"
        "Trần Văn Bình                           Lê Thị Hoa\n\n"
        "Nơi nhận:\n- Ban Dân vận Huyện ủy;\n- Lưu: VT.\n"
    )
    h = find_header(text_doc(text))
    assert [(s.authority, s.position, s.name) for s in h.signers] == [
        ("TM. BAN THƯỜNG VỤ ĐẢNG ỦY", "BÍ THƯ", "Trần Văn Bình"),
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Thị Hoa"),
    ]
    assert h.recipients == ("Ban Dân vận Huyện ủy", "Lưu: VT.")


def test_two_signers_one_after_the_other_with_kiem() -> None:
    text = (
        "tổng hợp, báo cáo theo quy định./.\n"
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n\nNguyễn Thị Hoa\n\n"
        "PHÓ BÍ THƯ ĐẢNG ỦY\nKiêm\nTRƯỞNG KHỐI DÂN VẬN\n\nĐỗ Văn Dũng\n\n"
        "Nơi nhận:\n- TT Đảng ủy (b/c),\n- Lưu VPĐU.\n"
    )
    h = find_header(text_doc(text))
    assert [(s.authority, s.position, s.name) for s in h.signers] == [
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Thị Hoa"),
        (None, "PHÓ BÍ THƯ ĐẢNG ỦY kiêm TRƯỞNG KHỐI DÂN VẬN", "Đỗ Văn Dũng"),
    ]
    assert len(h.recipients) == 2


def test_docx_table_read_row_by_row_interleaves_the_columns() -> None:
    lines = [
        "Kinh phí thực hiện theo quy định.",
        "Nơi nhận:",
        "KT. CHỦ TỊCH",
        "- Chủ tịch, PCT. UBND tỉnh;",
        "- UBND các xã, phường;",
        "- Lưu: VT, NC.",
        "PHÓ CHỦ TỊCH",
        "",
        "Nguyễn Ngọc Phúc",
    ]
    cells = {1: (1, 0, 0), 2: (1, 0, 1), 3: (1, 1, 0), 4: (1, 1, 0), 5: (1, 1, 0), 6: (1, 1, 1), 8: (1, 2, 1)}
    for doc in (text_doc("\n".join(lines)), text_doc("\n".join(lines), cells=cells)):
        h = find_header(doc)
        assert h.recipients == ("Chủ tịch, PCT. UBND tỉnh", "UBND các xã, phường", "Lưu: VT, NC.")
        assert [(s.authority, s.position, s.name) for s in h.signers] == [
            ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Ngọc Phúc")
        ]


def test_wrapped_authority_and_name() -> None:
    text = (
        "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n"
        "**TM. ỦY BAN NHÂN\nDÂN**\n**KT. CHỦ TỊCH**\n**PHÓ CHỦ TỊCH**\n**Ngô\nVăn Tuấn**\n"
    )
    h = find_header(text_doc(text))
    assert [(s.authority, s.position, s.name) for s in h.signers] == [
        ("TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Ngô Văn Tuấn")
    ]


def test_name_only_signature_and_rank_prefix() -> None:
    h = find_header(text_doc("Xin báo cáo./\nNơi nhận:\n- Ban Dân vận Tỉnh ủy;\n- Lưu: VT.\n\n\nLê Thanh Dũng\n"))
    assert [(s.authority, s.position, s.name) for s in h.signers] == [(None, None, "Lê Thanh Dũng")]
    h = find_header(text_doc("Điều 45. Trách nhiệm thi hành\nCác đơn vị thực hiện.\nBỘ TRƯỞNG\n\nĐại tướng Tô Lâm\n"))
    assert [(s.authority, s.position, s.name) for s in h.signers] == [(None, "BỘ TRƯỞNG", "Tô Lâm")]


def test_list_without_dashes() -> None:
    text = "Nơi nhận:\n\tBan Thường vụ Tỉnh ủy;\n\tUBND tỉnh;\n\tỦy ban bầu cử, Thường trực\nĐảng uỷ;\n   -   Lưu VP.\nTM. BAN THƯỜNG TRỰC\n\t\tCHỦ TỊCH\nNguyễn Chí Thành\n"
    h = find_header(text_doc(text))
    assert h.recipients == ("Ban Thường vụ Tỉnh ủy", "UBND tỉnh", "Ủy ban bầu cử, Thường trực Đảng uỷ", "Lưu VP.")
    assert [s.name for s in h.signers] == ["Nguyễn Chí Thành"]


def test_a_sentence_about_recipients_is_not_the_list_and_annex_forms_come_second() -> None:
    text = (
        "1.9. Nơi nhận văn bản\nNơi nhận văn bản xác định những cơ quan nhận văn bản.\n"
        "Nơi nhận:\n- Các tỉnh uỷ, thành uỷ,\n- Lưu Văn phòng Trung ương Đảng.\n"
        "K/T CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\nBùi Văn Thạch\n"
        "PHỤ LỤC\nMẫu 01\nNơi nhận:\n- Như trên;\n- Lưu ………..\nCHI CỤC TRƯỞNG\n"
    )
    h = find_header(text_doc(text))
    assert h.recipients == ("Các tỉnh uỷ, thành uỷ", "Lưu Văn phòng Trung ương Đảng.")
    assert [(s.authority, s.name) for s in h.signers] == [("K/T CHÁNH VĂN PHÒNG", "Bùi Văn Thạch")]


def test_no_closing_at_all() -> None:
    h = find_header(text_doc("KẾ HOẠCH\nabc\n\nI. MỤC ĐÍCH\nNâng cao nhận thức của cán bộ.\n"))
    assert h.signers == ()
    assert h.recipients == () and h.recipients_span is None
