"""Header extraction: family, type, number and symbol, place and date, issuer, title, evidence."""

from __future__ import annotations

import json
import time

import pytest
from vanban.extractor.header import find_header, org_family
from vanban.extractor.layout import load_yaml
from vanban.extractor.model import Header

from tests.paths import REAL, SAMPLE, SEEDS_GOLD, SHARED
from tests.textdocs import contains, real_gold, same, text_doc

SEEDS_DIR = SHARED / "corpus" / "seeds"


def _ingest(path):  # type: ignore[no-untyped-def]
    from vanban.api import ingest

    return ingest(path)


def _spans(h: Header) -> list:  # type: ignore[type-arg]
    names = ("motto", "slogan", "issuer_span", "number_span", "date_span", "type_span", "title_span", "recipients_span")
    return [s for s in (getattr(h, n) for n in names) if s is not None] + list(h.recipient_spans)


def _check_document(h: Header, want: dict, where: str) -> list[str]:  # type: ignore[type-arg]
    misses = []
    for field in ("type", "type_code", "family", "number", "symbol", "date", "place"):
        if field not in want or (field == "family" and want[field] is None):
            continue
        got = getattr(h, field)
        if field == "family":
            ok = got == want[field]
        else:
            ok = same(got, want[field]) if want[field] is not None else got is None
        if not ok:
            misses.append(f"{where}: {field} want {want[field]!r} got {got!r}")
    if "date_valid" in want and h.date_valid != want["date_valid"]:
        misses.append(f"{where}: date_valid want {want['date_valid']} got {h.date_valid}")
    if "issuer_contains" in want and not contains(h.issuer, want["issuer_contains"]):
        misses.append(f"{where}: issuer {h.issuer!r} lacks {want['issuer_contains']!r}")
    if "title_contains" in want and not contains(h.title, want["title_contains"]):
        misses.append(f"{where}: title {h.title!r} lacks {want['title_contains']!r}")
    for name in want.get("inferred", []):
        if name not in h.inferred:
            misses.append(f"{where}: {name} should be marked inferred")
    return misses


# --------------------------------------------------------------------------- gold


@pytest.mark.skipif(not SEEDS_GOLD.is_dir(), reason="shared corpus not available")
def test_seed_headers_match_the_gold() -> None:
    misses: list[str] = []
    total = 0
    for gold_path in sorted(SEEDS_GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        h = find_header(_ingest(SEEDS_DIR / gold["file"]))
        want = gold["document"]
        total += sum(1 for k in want if not (k == "family" and want[k] is None))
        misses += _check_document(h, want, gold["file"])
    assert len(misses) <= total // 10, misses  # header_acc ≥ 0.9
    assert not misses, misses


@pytest.mark.skipif(not REAL.is_dir(), reason="shared corpus not available")
@pytest.mark.parametrize("gold", real_gold(), ids=lambda g: g["file"])
def test_real_document_headers(gold: dict) -> None:  # type: ignore[type-arg]
    doc = _ingest(REAL / gold["file"])
    h = find_header(doc)
    assert not _check_document(h, gold["document"], gold["file"])
    for span in _spans(h):
        assert doc.text[span.start : span.end] == span.text


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample document not built")
def test_docx_header_table_cells() -> None:
    h = find_header(_ingest(SAMPLE))
    assert h.family == "party"
    assert (h.type, h.type_code, h.number, h.symbol) == ("Kế hoạch", "KH", "45", "45-KH/ĐU")
    assert (h.place, h.date) == ("An Phú", "2025-03-10")
    assert same(h.issuer, "Đảng ủy xã An Phú")
    assert h.title and h.title.startswith("thực hiện phong trào thi đua")


# --------------------------------------------------------------------------- constructions

PARTY_SIDE_BY_SIDE = """\
ĐẢNG BỘ HUYỆN LẠNG GIANG          ĐẢNG CỘNG SẢN VIỆT NAM
ĐẢNG ỦY XÃ TÂN DĨNH
        *                          Tân Dĩnh, ngày 05 tháng 4 năm 2024
Số 15-KH/ĐU

KẾ HOẠCH
thực hiện công tác dân vận
năm 2024
-----
Thực hiện Kế hoạch số 12-KH/BDVHU ngày 29/3/2024 của Ban Dân vận Huyện ủy, Đảng ủy xã xây dựng kế hoạch như sau:
I- MỤC ĐÍCH, YÊU CẦU
Nâng cao nhận thức.
"""


def test_two_columns_on_one_line_party_header() -> None:
    doc = text_doc(PARTY_SIDE_BY_SIDE)
    h = find_header(doc)
    assert h.family == "party"
    assert h.motto is not None and h.motto.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert h.issuer == "ĐẢNG ỦY XÃ TÂN DĨNH"  # the lowest body, not the Đảng bộ above it
    assert (h.number, h.symbol, h.type_code) == ("15", "15-KH/ĐU", "KH")
    assert (h.place, h.date) == ("Tân Dĩnh", "2024-04-05")
    assert h.title == "thực hiện công tác dân vận năm 2024"  # joined across the line break
    assert h.number_span is not None and h.number_span.text == "Số 15-KH/ĐU"
    assert h.date_span is not None and h.date_span.text == "Tân Dĩnh, ngày 05 tháng 4 năm 2024"
    assert h.inferred == ()
    for span in _spans(h):
        assert doc.text[span.start : span.end] == span.text


STATE_DRAFT = """\
UBND TỈNH LÀO CAI
CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ CÔNG THƯƠNG
Độc lập - Tự do - Hạnh phúc
Số:           /KH-SCT
   Lào Cai,  ngày       tháng 4 năm 2026
KẾ HOẠCH
Kiểm tra, cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn
vật liệu nổ công nghiệp trên địa bàn tỉnh
Căn cứ Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ;
"""


def test_blank_number_and_date_are_null_but_located() -> None:
    h = find_header(text_doc(STATE_DRAFT))
    assert h.family == "state"
    assert h.number is None and h.symbol is None
    assert h.type_code == "KH"  # still read from the symbol's tail "/KH-SCT"
    assert h.number_span is not None and h.number_span.text.startswith("Số:")
    assert h.date is None and h.date_valid is True
    assert h.place == "Lào Cai"
    assert h.slogan is not None and h.motto is not None
    # The department, named with the body above it (the PDF interleaves the two columns).
    assert h.issuer == "SỞ CÔNG THƯƠNG - UBND TỈNH LÀO CAI"
    assert h.issuer_span is not None and h.issuer_span.text == "SỞ CÔNG THƯƠNG"
    assert h.title == "Kiểm tra, cấp Giấy chứng nhận huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp trên địa bàn tỉnh"


def test_impossible_date_is_kept_as_evidence() -> None:
    text = STATE_DRAFT.replace("ngày       tháng 4 năm 2026", "ngày15 tháng 54 năm 2026")
    h = find_header(text_doc(text))
    assert h.date is None
    assert h.date_valid is False
    assert h.date_span is not None and h.date_span.text == "Lào Cai,  ngày15 tháng 54 năm 2026"


def test_cong_van_has_no_type_line_and_a_vv_summary() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH BÌNH THUẬN\nSố: 3083/UBND-NCKS\nV/v kết quả đại hội Hiệp hội\nDoanh nghiệp tỉnh\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\nBình Thuận, ngày 30 tháng 6 năm 2025\n"
        "Kính gửi: Hiệp hội Doanh nghiệp tỉnh Bình Thuận.\nỦy ban nhân dân tỉnh nhận được Văn bản số 01/BC-HHDN.\n"
    )
    h = find_header(text_doc(text))
    assert (h.type, h.type_code) == ("Công văn", None)
    assert h.symbol == "3083/UBND-NCKS"
    assert h.title == "kết quả đại hội Hiệp hội Doanh nghiệp tỉnh"
    assert h.title_span is not None and not h.title_span.text.startswith("V/v")
    assert h.issuer == "ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN"  # one body written on two lines


MARKDOWN_TABLE = """\
|
**ỦY BAN NHÂN
DÂN **
THÀNH PHỐ HỒ CHÍ MINH
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số:
2820/QĐ-UBND
|
*Thành phố Hồ
Chí Minh, ngày 19 tháng 11 năm 2025*
|
**QUYẾT ĐỊNH**
BAN HÀNH KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ
06/QĐ-TTG NGÀY 02 THÁNG 01 NĂM 2025
**ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH**
Căn cứ Luật Tổ chức chính quyền địa phương;
"""


def test_markdown_table_fragments_with_wrapped_parts() -> None:
    doc = text_doc(MARKDOWN_TABLE)
    h = find_header(doc)
    assert h.family == "state"
    assert h.motto is not None and "CHỦ NGHĨA" in h.motto.text
    assert (h.number, h.symbol) == ("2820", "2820/QĐ-UBND")
    assert (h.place, h.date) == ("Thành phố Hồ Chí Minh", "2025-11-19")
    assert h.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"
    assert (h.type, h.type_code) == ("Quyết định", "QĐ")
    # The deciding body under the summary is not part of it.
    assert h.title == "BAN HÀNH KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG NGÀY 02 THÁNG 01 NĂM 2025"
    for span in _spans(h):
        assert doc.text[span.start : span.end] == span.text


def test_missing_header_issuer_is_inferred_from_the_body() -> None:
    text = (
        "KẾ HOẠCH\nxây dựng mô hình “Dân vận khéo” năm 2025\n\n"
        "Thực hiện Kế hoạch số 12-KH/BDVHU của Ban Dân vận Huyện ủy, Đảng ủy xã Hòa Bình xây dựng kế hoạch như sau:\n"
        "I. MỤC ĐÍCH, YÊU CẦU\nNâng cao nhận thức.\n"
    )
    h = find_header(text_doc(text))
    assert h.issuer == "Đảng ủy xã Hòa Bình"
    assert "issuer" in h.inferred
    assert h.family == "party" and "family" in h.inferred
    assert h.number is None and h.date is None and h.motto is None


def test_generic_inferred_issuer_takes_its_place_name_from_the_text() -> None:
    text = (
        "KẾ HOẠCH\nCải thiện chỉ số dân vận chính quyền năm 2024\n\n"
        "Ủy ban nhân dân xã ban hành Kế hoạch như sau:\nI. MỤC TIÊU\nNâng cao chỉ số.\n"
        "Trên đây là kế hoạch năm 2024 của UBND xã Ba Nam, kính báo cáo UBND huyện./.\n"
    )
    h = find_header(text_doc(text))
    assert h.issuer == "Ủy ban nhân dân xã Ba Nam"
    assert h.family == "state"


def test_generic_inferred_issuer_takes_the_header_place() -> None:
    text = (
        "Hòa Lạc, ngày 18 tháng 3 năm 2024\n\nSố 72-KHPH/KDV-UBND\n\nKẾ HOẠCH\n\nPhối hợp thực hiện công tác dân vận năm 2024\n\n"
        "Khối dân vận Đảng ủy và UBND phường xây dựng Kế hoạch phối hợp, cụ thể như sau:\nI- MỤC ĐÍCH YÊU CẦU\nPhối hợp.\n"
    )
    h = find_header(text_doc(text))
    assert h.issuer == "Khối dân vận Đảng ủy và UBND phường Hòa Lạc"
    assert h.family == "joint"  # a Party symbol naming a state issuer, and a joint issuer
    assert (h.type_code, h.symbol) == ("KH", "72-KHPH/KDV-UBND")  # KHPH stands for KH


def test_uninferable_issuer_stays_null() -> None:
    text = "KẾ HOẠCH\nPhát động phong trào thi đua năm 2024\n\nĐể phong trào đạt kết quả, cần làm như sau:\nI. MỤC ĐÍCH\nA.\n"
    h = find_header(text_doc(text))
    assert h.issuer is None
    assert h.family == "unknown"
    assert h.inferred == ()


def test_marks_beside_the_number_are_not_the_issuer() -> None:
    text = (
        "BỘ TÀI CHÍNH\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nKHẨN\n"
        "Số: 13/2015/TT-BTC\nHà Nội, ngày 30 tháng 01 năm 2015\nTHÔNG TƯ\nQuy định về kiểm tra hải quan\n"
        "Căn cứ Luật Hải quan;\n"
    )
    h = find_header(text_doc(text))
    assert h.issuer == "BỘ TÀI CHÍNH"
    assert (h.type, h.type_code, h.number, h.symbol) == ("Thông tư", "TT", "13", "13/2015/TT-BTC")


def test_joint_family_from_header_and_signers() -> None:
    assert org_family("Khối dân vận Đảng ủy và UBND phường") == "joint"
    assert org_family("Ban Tuyên giáo và Dân vận") == "party"
    assert org_family("Sở Nông nghiệp và Môi trường") == "state"
    assert org_family("Ban Thường trực Ủy ban MTTQ") is None


def test_data_file_examples_parse() -> None:
    ex = load_yaml("header.yaml")["examples"]
    for line in ex["type_lines"]:
        h = find_header(text_doc(f"{line}\nvề công tác dân vận\n\nCăn cứ Luật;\n"))
        assert h.type is not None, line
    for line in ex["numbers"]:
        h = find_header(text_doc(f"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{line}\nKẾ HOẠCH\nabc\n"))
        assert h.symbol is not None and h.number_span is not None, line
    for line in ex["dates"]:
        h = find_header(text_doc(f"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{line}\nKẾ HOẠCH\nabc\n"))
        assert h.date is not None and h.date_span is not None and h.date_span.text == line, line


@pytest.mark.skipif(not REAL.is_dir(), reason="shared corpus not available")
def test_header_and_sections_take_under_10_ms_on_a_30k_document() -> None:
    from vanban.extractor import header, layout, sections

    doc = _ingest(REAL / "043.txt")  # a Party regulation of about 30k characters
    assert len(doc.text) > 28_000
    find_header(doc)
    best = 1e9
    for _ in range(5):
        header._last = None
        layout._last = None
        t = time.process_time()  # CPU time: the machine may be shared with other work
        find_header(doc)
        sections.find_sections(doc)
        best = min(best, time.process_time() - t)
    assert best < 0.010, f"{best * 1000:.1f} ms"


def test_a_summary_wrapped_before_its_last_word_keeps_it() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 0204/KH-UBND\nCà Mau, ngày 24 tháng 11 năm 2025\n\nKẾ HOẠCH\n\n"
        "TÀI CHÍNH - NGÂN SÁCH NHÀ NƯỚC 03 NĂM 2026 - 2028 TỈNH CÀ\nMAU\n\n"
        "Kính gửi: Hội đồng nhân dân tỉnh Cà Mau\n\nCăn cứ Nghị định số 45/2017/NĐ-CP ngày 21/4/2017;\n"
    )
    h = find_header(text_doc(text))
    assert h.title == "TÀI CHÍNH - NGÂN SÁCH NHÀ NƯỚC 03 NĂM 2026 - 2028 TỈNH CÀ MAU"
    assert h.issuer == "ỦY BAN NHÂN DÂN TỈNH CÀ MAU"


_PROSE = (
    "Ủy ban nhân dân huyện đề nghị các cơ quan, đơn vị khẩn trương thực hiện một số nội dung sau đây để bảo đảm an toàn.\n"
    "Rà soát, kiện toàn Ban Chỉ huy phòng, chống thiên tai của đơn vị, phân công cụ thể trách nhiệm của từng thành viên.\n"
)


@pytest.mark.parametrize(
    ("text", "type_name"),
    [
        # No header: a capitalised type word below the body's running text or its address heads an
        # annex or a part ("QUY ĐỊNH" issued with a decision), it is not this document's type line.
        (_PROSE + "QUY ĐỊNH\nVề phân công trực ban\nChương I\nQUY ĐỊNH CHUNG\n", None),
        ("Kính gửi: Các phòng, ban chuyên môn.\n" + _PROSE + "KẾ HOẠCH\nPhân công trực ban\n", None),
        # The type line above the body still counts, with or without number and date.
        ("KẾ HOẠCH\nPhân công trực ban năm 2026\n" + _PROSE, "Kế hoạch"),
        ("Số: 12/KH-UBND\nHà Nội, ngày 05 tháng 4 năm 2024\nKẾ HOẠCH\nPhân công trực ban\n" + _PROSE, "Kế hoạch"),
    ],
)
def test_only_a_type_line_in_the_header_zone_gives_the_type(text: str, type_name: str | None) -> None:
    h = find_header(text_doc(text))
    assert (h.type_span.text if h.type_span else None) == (type_name.upper() if type_name else None)
    if type_name:
        assert h.type == type_name and "type" not in h.inferred
