"""Cited documents: every one found, none invented, each with its date, issuer, type and key."""

from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vanban.extractor.citations import (
    canonical_symbol,
    doctypes,
    extract_citations,
    find_citation_mentions,
    resolve_citations,
)
from vanban.extractor.layout import load_yaml, portal_footer
from vanban.extractor.model import Citation

from tests.paths import FIXTURES, REAL, SEEDS_GOLD, SHARED

SEEDS = SHARED / "corpus" / "seeds"
REAL_GOLD = FIXTURES / "citations" / "real_gold.json"
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")


def symbol_key(s: str | None) -> str:
    """shared/eval/score.py's identity of a symbol: NFC, ASCII dashes, no spaces, đ→d, upper case."""
    if not s:
        return ""
    s = _DASHES.sub("-", unicodedata.normalize("NFC", s))
    s = re.sub(r"\s+", "", s).replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    return s.upper()


def one(text: str) -> Citation:
    cits = extract_citations(text)
    assert len(cits) == 1, [c.text for c in cits]
    return cits[0]


def symbols(text: str) -> list[str | None]:
    return [c.symbol for c in extract_citations(text)]


# --------------------------------------------------------------------------- the data file


def _examples() -> list[tuple[str, str, str | None, str]]:
    out = []
    for t in doctypes():
        for ex in t.examples:
            src, want = ex.split(" => ")
            wtype, wcode, wsym = (x.strip() for x in want.split("|"))
            out.append((src, wtype, None if wcode == "None" else wcode, wsym))
    return out


@pytest.mark.parametrize(("src", "wtype", "wcode", "wsym"), _examples())
def test_every_doctypes_example_parses_as_written(src: str, wtype: str, wcode: str | None, wsym: str) -> None:
    c = one(src)
    assert (c.type, c.type_code, c.symbol) == (wtype, wcode, wsym)


def test_doctypes_cover_the_state_and_party_type_codes() -> None:
    codes = {code for t in doctypes() for cs in t.codes.values() for code in cs}
    assert {"KH", "QĐ", "NQ", "CT", "KL", "HD", "TB", "CV", "NĐ", "TT", "CTr", "TTr", "BC"} <= codes


# --------------------------------------------------------------------------- numbering conventions


@pytest.mark.parametrize(
    ("text", "symbol", "type_code", "type_", "year"),
    [
        ("Thực hiện Quyết định số 266-QĐ/HU, ngày 21/01/2022", "266-QĐ/HU", "QĐ", "Quyết định", None),
        ("Kế hoạch số 22/KH-UBND ngày 29/01/2024", "22/KH-UBND", "KH", "Kế hoạch", None),
        ("Công văn số 245/UBND ngày 31/10/2023", "245/UBND", None, "Công văn", None),
        ("Quyết định số 3807/QĐ-UBND ngày 29/12/2023", "3807/QĐ-UBND", "QĐ", "Quyết định", None),
        ("theo Nghị định số 04/2015/NĐ-CP, ngày 09/01/2015", "04/2015/NĐ-CP", "NĐ", "Nghị định", 2015),
        ("Chỉ thị số 16/CT-TTg ngày 16/5/2016", "16/CT-TTg", "CT", "Chỉ thị", None),
        ("Nghị quyết số 76/NQ-CP ngày 15/7/2021", "76/NQ-CP", "NQ", "Nghị quyết", None),
        ("Kế hoạch số 24-KHPH/BDV-UBND ngày 05/3/2024", "24-KHPH/BDV-UBND", "KH", "Kế hoạch", None),
        ("Công văn số 524/CV-BDVTU ngày 08/5/2018", "524/CV-BDVTU", None, "Công văn", None),
        ("Kế hoạch số 68-KH/BCĐ ngày 29/02/2024", "68-KH/BCĐ", "KH", "Kế hoạch", None),
        ("Nghị quyết số 66.2/2025/NQ-CP ngày 28/8/2025", "66.2/2025/NQ-CP", "NQ", "Nghị quyết", 2025),
        ("Luật Dữ liệu số 60/2024/QH15 ngày 30/11/2024", "60/2024/QH15", None, "Luật", 2024),
    ],
)
def test_numbering_conventions(text: str, symbol: str, type_code: str | None, type_: str, year: int | None) -> None:
    c = one(text)
    assert (c.symbol, c.type_code, c.type, c.year) == (symbol, type_code, type_, year)
    assert c.number == symbol.split("-")[0].split("/")[0]
    assert c.key == symbol


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("Kết luận số 120 –KL/TW ngày 07/01/2016", "120-KL/TW"),
        ("theo Kế hoạch Số 12 - KH/BDVHU", "12-KH/BDVHU"),
        ("Thông tư số 21/2025/TT - BNV, ngày 12/10/2025", "21/2025/TT-BNV"),
        ("Quy định số\u202f296\u2011QĐ/TW, ngày 30/5/2025", "296-QĐ/TW"),
        ("QUYẾT ĐỊNH SỐ 06/QĐ-TTG NGÀY 02 THÁNG 01 NĂM 2025", "06/QĐ-TTg"),
    ],
)
def test_symbols_are_written_canonically(text: str, symbol: str) -> None:
    assert one(text).symbol == symbol


def test_canonical_symbol_removes_spaces_and_unifies_dashes() -> None:
    assert canonical_symbol("120 –KL/TW") == "120-KL/TW"
    assert canonical_symbol("12 \u2014 KH/BDVHU") == "12-KH/BDVHU"


# --------------------------------------------------------------------------- type words


def test_type_word_omitted_takes_the_type_from_the_code() -> None:
    c = one("Thực hiện Kế hoạch 51-KH/BDVTU của Ban Dân vận Tỉnh ủy về việc")
    assert (c.type, c.symbol, c.date, c.issuer) == ("Kế hoạch", "51-KH/BDVTU", None, "Ban Dân vận Tỉnh ủy")
    bare = one("như số 12-KH/BDVHU ngày 29/3/2024 đã nêu")
    assert (bare.type, bare.text) == ("Kế hoạch", "12-KH/BDVHU ngày 29/3/2024")


def test_type_word_separated_from_the_number_by_the_issuer() -> None:
    text = "Kế hoạch của Ban dân vận phối hợp với Ban cán sự Đảng UBND tỉnh số 58-KH/BDV-BCSDUBND ngày 27/4/2018 “Năm dân vận chính quyền”"
    c = one(text)
    assert c.text == "Kế hoạch của Ban dân vận phối hợp với Ban cán sự Đảng UBND tỉnh số 58-KH/BDV-BCSDUBND ngày 27/4/2018"
    assert (c.type, c.date, c.issuer, c.title) == (
        "Kế hoạch",
        "2018-04-27",
        "Ban dân vận phối hợp với Ban cán sự Đảng UBND tỉnh",
        "Năm dân vận chính quyền",
    )


def test_a_qualifier_between_type_word_and_number_needs_a_matching_code() -> None:
    assert one("Báo cáo thẩm tra số 292/BC-HĐND ngày 08/12/2025").text.startswith("Báo cáo thẩm tra")
    c = one("Quyết định chủ trương đầu tư số 2466/QĐ-UBND ngày 09/8/2019")
    assert c.text.startswith("Quyết định chủ trương đầu tư số")


def test_generic_document_word_keeps_the_code_type() -> None:
    assert one("tại Văn bản số 01/GM-HTCS ngày 17/3/2026").type == "Giấy mời"
    assert one("tại Văn bản số 10699/BNNMT-ĐCKS ngày 23/12/2025").type == "Văn bản"


def test_a_verb_before_the_number_is_not_the_type_word() -> None:
    c = one("Thông tư số 36 được quy định\n15/2026/TT-BCT hàng hóa")
    assert (c.type, c.text) == ("Thông tư", "15/2026/TT-BCT")


WRAPPED = """Ủy ban nhân dân tỉnh xây dựng kế hoạch triển khai thực hiện các nhiệm vụ
trọng tâm trong năm, bảo đảm đồng bộ, thống nhất và hiệu quả; theo Nghị
quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ
Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và
chuyển đổi số quốc gia, các sở, ban, ngành chủ động rà soát, đề xuất các
nhiệm vụ cụ thể, báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ."""


def test_citation_across_the_line_breaks_of_wrapped_text() -> None:
    c = one(WRAPPED)
    assert (c.text, c.issuer, c.date) == (
        "Nghị\nquyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ\nChính trị",
        "Bộ Chính trị",
        "2024-12-22",
    )


def test_a_line_break_in_paragraph_text_ends_the_issuer() -> None:
    text = "Thực hiện Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ\nKết quả công khai định kỳ"
    assert one(text).issuer == "Thủ tướng Chính phủ"


def test_numbers_outside_the_grammar_need_type_word_and_date() -> None:
    assert symbols("Công ty tại Văn bản số 02 ngày 21/4/2026; Văn bản số YBB-SA032/26-LR ngày 21/4/2026") == ["02", "YBB-SA032/26-LR"]
    assert symbols("Văn bản số 02 gửi kèm") == []
    assert symbols("Kế hoạch số 3 năm 2024") == []


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Quyết định số 266-QĐ/HU, ngày 21/01/2022 của Ban", "2022-01-21"),
        ("Quyết định số 266-QĐ/HU ngày 21/01/2022", "2022-01-21"),
        ("Nghị quyết số 28-NQ/TW, ngày 17 tháng 11 năm 2022", "2022-11-17"),
        ("Kết luận số 114-KL/TW ngày 14/7/2015", "2015-07-14"),
        ("Nghị quyết số 66-NQ/TW ngày 30 tháng 4 năm\n2025 của Bộ Chính trị", "2025-04-30"),
        ("Quyết định số 1696 /QĐ-UBND ngày 15 / 5 /2026 của UBND tỉnh", "2026-05-15"),
        ("Kế hoạch số 459-KHHĐ/TU của Thành ủy ngày 21/5/2025", "2025-05-21"),
        ("Quyết định số 12/QĐ-UBND ban hành ngày 03/4/2020", "2020-04-03"),
    ],
)
def test_date_written_after_the_document(text: str, date: str) -> None:
    assert extract_citations(text)[0].date == date


def test_a_date_before_or_after_another_clause_is_not_the_documents() -> None:
    c = extract_citations("Ngày 08/10/2024, Chính phủ ban hành Nghị định số 126/2024/NĐ-CP quy định về hội")[0]
    assert c.date is None
    c = extract_citations("theo Chỉ thị số 05-CT/TW của Bộ Chính trị về học tập; đến ngày 15/5/2016 hoàn thành")[0]
    assert c.date is None


def test_one_date_written_for_two_documents_belongs_to_both() -> None:
    text = (
        "theo Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày 12 tháng 12 năm 2013 của Bộ Chính trị "
        "ban hành “Quy chế giám sát”"
    )
    a, b = extract_citations(text)
    assert (a.symbol, a.date, a.issuer) == ("217-QĐ/TW", "2013-12-12", "Bộ Chính trị")
    assert (b.symbol, b.date, b.issuer) == ("218-QĐ/TW", "2013-12-12", "Bộ Chính trị")
    assert a.text == "Quyết định số 217-QĐ/TW"


def test_a_date_is_not_shared_between_documents_of_different_kinds() -> None:
    a, b = extract_citations("triển khai Nghị quyết số 140/NQ-CP và Chương trình hành động số 06-CTr/TU, ngày 29/8/2025")
    assert (a.date, b.date) == (None, "2025-08-29")


def test_an_impossible_date_is_kept_as_written_and_flagged() -> None:
    c = one("theo Chỉ thị số 16/CT-TTg ngày 31/4/2016 của Thủ tướng Chính phủ")
    assert (c.date, c.date_text, c.date_valid) == (None, "31/4/2016", False)
    assert c.text.endswith("31/4/2016 của Thủ tướng Chính phủ")


# --------------------------------------------------------------------------- issuer, title, relation


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        ("Nghị quyết số 13-NQ/TU ngày 06/11/2020 của Ban Thường vụ Thành ủy về “Tăng cường”", "Ban Thường vụ Thành ủy"),
        ("Kết luận số 21-KL/TW ngày 25/10/2021 của BCH Trung ương Đảng (khóa XIII) về đẩy mạnh", "BCH Trung ương Đảng (khóa XIII)"),
        ("Chỉ thị số 03/CT-UBND ngày 14/5/2022 của Chủ tịch UBND tỉnh về “Tăng cường”", "Chủ tịch UBND tỉnh"),
        ("Kế hoạch số 24-KHPH/BDV-UBND ngày 05/3/2024 của Ban dân vận Thành ủy và UBND thành phố về", "Ban dân vận Thành ủy và UBND thành phố"),
        ("Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ Ban hành chương trình", "Chính phủ"),
        ("Thông tư số 21/2025/TT-BNV, ngày 12/10/2025 của Bộ Nội vụ, Hướng dẫn", "Bộ Nội vụ"),
        ("Nghị định số 29/2008/NĐ-CP ngày 14/3/2008 của Chính phủ và thực hiện tốt Quy chế", "Chính phủ"),
        ("Nghị định số 87/2025/NĐ-CP ngày 11/4/2025 của Chính phủ khoảng 21 tỷ đồng", "Chính phủ"),
    ],
)
def test_issuer_is_the_cua_phrase_up_to_the_clause_end(text: str, issuer: str) -> None:
    assert extract_citations(text)[0].issuer == issuer


def test_title_is_the_quoted_text_or_the_ve_clause() -> None:
    c = extract_citations("Nghị quyết số 13-NQ/TU ngày 06/11/2020 của Ban Thường vụ Thành ủy về “Tăng cường lãnh đạo”; Chỉ thị")[0]
    assert c.title == "Tăng cường lãnh đạo"
    c = extract_citations("Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư về nâng cao hiệu quả công tác dân vận; tiếp")[0]
    assert c.title == "nâng cao hiệu quả công tác dân vận"
    first = extract_citations(
        "Nghị quyết số 68-NQ/TW ngày 04/5/2025 của Bộ Chính trị về phát triển kinh tế tư nhân, Nghị quyết số 02/NQ-CP"
    )[0]
    assert first.title == "phát triển kinh tế tư nhân"


def test_relation_follows_the_clause_verb() -> None:
    text = (
        "Căn cứ Luật Đất đai số 31/2024/QH15;\n"
        "Thực hiện các văn bản của UBND huyện tại: Công văn số 245/UBND ngày 31/10/2023 về báo cáo kết quả; "
        "Quyết định số 3807/QĐ-UBND ngày 29/12/2023 về việc phê duyệt;\n"
        "Triển khai Kế hoạch số 12-KH/BDVHU ngày 29/3/2024 của Ban Dân vận Huyện ủy về thực hiện Nghị quyết số 28-NQ/TW;\n"
        "Phối hợp theo Chỉ thị số 05-CT/TW của Bộ Chính trị."
    )
    rel = {c.symbol: c.relation for c in extract_citations(text)}
    assert rel == {
        "31/2024/QH15": "basis",
        "245/UBND": "implements",
        "3807/QĐ-UBND": "implements",
        "12-KH/BDVHU": "implements",
        "28-NQ/TW": "mention",  # what the cited plan implements, not this document
        "05-CT/TW": "mention",
    }


# --------------------------------------------------------------------------- named documents


@pytest.mark.parametrize(
    ("text", "cited", "key"),
    [
        ("Tổ chức thực hiện tốt Luật Tiếp cận thông tin nhằm đảm bảo quyền", "Luật Tiếp cận thông tin", "Luật|tiếp cận thông tin"),
        ("đẩy mạnh việc cụ thể hoá Luật thực hiện dân chủ ở cơ sở, nhất là", "Luật thực hiện dân chủ ở cơ sở", "Luật|thực hiện dân chủ ở cơ sở"),
        ("theo quy định của Bộ luật Lao động.", "Bộ luật Lao động", "Bộ luật|lao động"),
        ("theo Hiến pháp năm 2013 và pháp luật", "Hiến pháp năm 2013", "Hiến pháp|2013"),
        ("thắng lợi Nghị quyết Đại hội XIII của Đảng và", "Nghị quyết Đại hội XIII", "Nghị quyết|đại hội xiii"),
        ("gắn với thực hiện Nghị quyết TW 4 (khóa XII) về xây dựng Đảng", "Nghị quyết TW 4 (khóa XII)", "Nghị quyết|trung ương 4 khóa xii"),
        ("Nghị quyết Trung ương 4 khóa XII về tăng cường", "Nghị quyết Trung ương 4 khóa XII", "Nghị quyết|trung ương 4 khóa xii"),
        ("Căn cứ Luật Phòng, chống ma túy;", "Luật Phòng, chống ma túy", "Luật|phòng, chống ma túy"),
    ],
)
def test_named_documents_without_number(text: str, cited: str, key: str) -> None:
    c = one(text)
    assert c.text.startswith(cited)
    assert (c.symbol, c.key) == (None, key)


def test_named_law_with_number_and_date_keeps_commas_in_its_name() -> None:
    c = one("Căn cứ Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ ngày 26 tháng 8 năm 2024;")
    assert (c.title, c.date, c.symbol) == ("Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ", "2024-08-26", None)
    c = one("Căn cứ Pháp lệnh Ưu đãi người\ncó công với cách mạng số 02/2020/UBTVQH14;")
    assert (c.type, c.title, c.symbol) == ("Pháp lệnh", "Ưu đãi người có công với cách mạng", "02/2020/UBTVQH14")


@pytest.mark.parametrize(
    "text",
    [
        "Luật sư của công ty",
        "theo quy định của pháp luật và Luật này",
        "các Luật có liên quan",
        "cộng đồng Dân Luật Việt Nam",
        "Nghị quyết Đại hội đảng bộ các cấp nhiệm kỳ 2020 - 2025 đề ra",
        "LUẬT ĐẤT ĐAI",
        "sửa đổi, bổ sung một số điều của 15 Luật trong lĩnh vực nông nghiệp",
    ],
)
def test_words_that_only_look_like_named_documents(text: str) -> None:
    assert extract_citations(text) == ()


# --------------------------------------------------------------------------- invent nothing


@pytest.mark.parametrize(
    "text",
    [
        "Liên hệ: 0203.3825.123 hoặc 0912-345-678.",
        "theo khoản 2 Điều 5 Quyết định này",
        "kinh phí 1.500.000 đồng/người, tổng 2.000.000/tháng",
        "trước ngày 30/6/2024 và 15-7-2024",
        "Số: /KH-UBND",
        "Số:      /QĐ-UBND\nHà Nội, ngày    tháng    năm 2026",
        "đạt 95% kế hoạch, 02/19 xã, 3/4 số hộ",
        "Trang 2/5",
        "Biểu số 02/TH kèm theo; Mẫu số 01/HNCT; theo mẫu số 01/BCĐBQH-MT; Mau số 06/BBKPHN",
        "lúc 7h30 ngày 12/3/2024, từ 13h30-17h00",
        "xem https://vbpl.vn/van-ban/12/KH-UBND và www.example.vn/22/KH-UBND",
        "tại số 12 đường Trần Phú, phường 5, số nhà 34/2A",
        "thay thế QCVN 40:2011/BTNMT bằng QCVN 40:2025/BTNMT",
        "giai đoạn 2021 – 2030, năm 2020 - 2025, ISO 9001:2015",
        "Số: 22/KH-UBND",
        "Số 72-KHPH/KDV-UBND",
        "**Số hiệu:**\n|\n980/KH-UBND\n|",
        "tiểu mục 1.1/1/I, phụ lục 3",
        "khu vực (1584-TD), xã Yên Hưng",
    ],
)
def test_things_that_are_not_cited_documents(text: str) -> None:
    assert extract_citations(text) == ()


# --------------------------------------------------------------------------- API and offsets


def test_two_steps_give_the_same_citations() -> None:
    text = "Thực hiện Kế hoạch số 12-KH/BDVHU ngày 29/3/2024 của Ban Dân vận Huyện uỷ về việc phát động"
    mentions = find_citation_mentions(text)
    assert [text[m.start : m.end] for m in mentions] == ["Kế hoạch số 12-KH/BDVHU"]
    assert resolve_citations(mentions, text) == extract_citations(text)


def test_exclude_drops_the_documents_own_number_wherever_it_is_repeated() -> None:
    text = (
        "Số: 2820/QĐ-UBND\nBan hành kèm theo Quyết định số 2820/QĐ-UBND ngày 19/11/2025 triển khai "
        "Quyết định số 06/QĐ-TTg ngày 02/01/2025"
    )
    own = (text.index("2820"), text.index("2820") + len("2820/QĐ-UBND"))
    assert [c.symbol for c in extract_citations(text, exclude=[own])] == ["06/QĐ-TTg"]
    assert [c.symbol for c in extract_citations(text)] == ["2820/QĐ-UBND", "06/QĐ-TTg"]


def test_same_state_number_in_two_years_is_two_documents() -> None:
    text = (
        "Chỉ thị số 16/CT-TTg ngày 16/5/2016 về dân vận; Chỉ thị số 16/CT-TTg ngày 31/3/2020 về phòng dịch; "
        "theo Chỉ thị số 16/CT-TTg nêu trên"
    )
    assert [c.key for c in extract_citations(text)] == ["16/CT-TTg@2016", "16/CT-TTg@2020", "16/CT-TTg@2020"]


def test_citations_serialize_to_the_contract() -> None:
    c = one("Căn cứ Kế hoạch số 24-KHPH/BDV-UBND ngày 05/3/2024 của Ban dân vận Thành ủy và UBND thành phố về phối hợp")
    d = c.to_dict()
    assert {k: d[k] for k in ("type", "type_code", "number", "symbol", "date", "issuer", "key")} == {
        "type": "Kế hoạch",
        "type_code": "KH",
        "number": "24",
        "symbol": "24-KHPH/BDV-UBND",
        "date": "2024-03-05",
        "issuer": "Ban dân vận Thành ủy và UBND thành phố",
        "key": "24-KHPH/BDV-UBND",
    }
    assert Citation.from_dict(json.loads(json.dumps(d))) == c


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="Số số/-–KHQĐNQ UBND TW 0123456789ngàythángnăm,.;\n của Luật Kế hoạch", max_size=160))
def test_any_text_gives_consistent_offsets(text: str) -> None:
    for c in extract_citations(text):
        assert text[c.start : c.end] == c.text
        assert c.symbol is None or (" " not in c.symbol and "–" not in c.symbol)


# --------------------------------------------------------------------------- corpus figures


def _seeds() -> list[tuple[str, dict]]:
    if not SEEDS_GOLD.is_dir():
        return []
    return [(json.loads(p.read_text(encoding="utf-8"))["file"], json.loads(p.read_text(encoding="utf-8")))
            for p in sorted(SEEDS_GOLD.glob("*.json"))]


def _score(pairs: list[tuple[str, list[dict], list[Citation]]]) -> tuple[float, float, list[str]]:
    """citations F1 and citation date accuracy, as shared/eval/score.py counts them."""
    tp = n_out = n_gold = dates_ok = n_dates = 0
    misses: list[str] = []
    for name, gold, cits in pairs:
        out: dict[str, str | None] = {}
        for c in cits:
            k = symbol_key(c.symbol)
            if k:
                out[k] = out.get(k) or c.date
        want = {symbol_key(g["symbol"]): g.get("date") for g in gold}
        tp += len(set(want) & set(out))
        n_out += len(out)
        n_gold += len(want)
        misses += [f"{name}: missed {k}" for k in set(want) - set(out)]
        misses += [f"{name}: spurious {k}" for k in set(out) - set(want)]
        for k in set(want) & set(out):
            n_dates += 1
            dates_ok += out[k] == want[k]
            if out[k] != want[k]:
                misses.append(f"{name}: {k} date {out[k]} != {want[k]}")
    p = tp / n_out if n_out else 1.0
    r = tp / n_gold if n_gold else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f1, (dates_ok / n_dates if n_dates else 1.0), misses


@pytest.mark.skipif(not _seeds(), reason="shared seed corpus not available")
def test_seed_plans_reach_the_quality_bar() -> None:
    pairs = []
    for name, gold in _seeds():
        text = unicodedata.normalize("NFC", (SEEDS / name).read_text(encoding="utf-8"))
        pairs.append((name, gold["citations"], list(extract_citations(text))))
    f1, dates, misses = _score(pairs)
    assert f1 >= 0.99 and dates >= 0.99, misses


_HEADER_NUMBER = re.compile(r"(?m)^[\s*|_#]*Số\s*:?\s*(?P<n>\d[^\s]*(?:\s*/\s*\S+)?)")


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real corpus not available")
def test_real_documents_match_hand_made_gold() -> None:
    gold = json.loads(REAL_GOLD.read_text(encoding="utf-8"))
    pairs = []
    for name, items in gold.items():
        if name.startswith("_"):
            continue
        text = unicodedata.normalize("NFC", (REAL / name).read_text(encoding="utf-8"))
        # The header's number span, as header extraction gives it to the pipeline.
        m = _HEADER_NUMBER.search(text[:3000])
        exclude = [(m.start("n"), m.end("n"))] if m else []
        pairs.append((name, items, list(extract_citations(text, exclude=exclude))))
    assert len(pairs) >= 8
    f1, dates, misses = _score(pairs)
    assert f1 >= 0.98 and dates >= 0.98, misses


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real corpus not available")
def test_every_real_citation_is_well_formed() -> None:
    for path in sorted(Path(REAL).glob("*.txt")):
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        for c in extract_citations(text):
            assert text[c.start : c.end] == c.text, path.name
            assert c.type is not None, (path.name, c.text)
            assert c.symbol or c.key.startswith(f"{c.type}|"), (path.name, c.text)
            if c.symbol:
                assert not re.search(r"\s|[\u2010-\u2015\u2212]", c.symbol), (path.name, c.symbol)
                assert c.key.split("@")[0] == c.symbol
            assert c.date is None or c.date_valid


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real corpus not available")
def test_a_long_document_takes_under_ten_milliseconds_per_30k_characters() -> None:
    text = unicodedata.normalize("NFC", (REAL / "008.txt").read_text(encoding="utf-8"))
    text = (text * 2)[:30_000]
    extract_citations(text)  # grammar and automaton load once
    best = min(_timed(text) for _ in range(7))
    assert best < 0.010, f"{best * 1000:.1f} ms"


def _timed(text: str) -> float:
    # CPU time of this process: other jobs on a shared machine do not count against us.
    start = time.process_time()
    extract_citations(text)
    return time.process_time() - start


# --------------------------------------------------------------------------- constructions from real plans


def test_a_law_name_followed_by_its_number_without_so() -> None:
    c = one("Căn cứ Luật Hóa chất 69/2025/QH15; Căn cứ Quy chuẩn kỹ thuật quốc gia")
    assert (c.type, c.title, c.symbol) == ("Luật", "Hóa chất", "69/2025/QH15")


def test_a_law_name_repeating_its_head_word_after_a_comma() -> None:
    c = one("Thực hiện Luật Thuế xuất khẩu, thuế nhập khẩu và các văn bản hướng dẫn")
    assert c.title == "Thuế xuất khẩu, thuế nhập khẩu"
    # A long head before the comma is still the whole name when the next words are another subject.
    c = extract_citations("Căn cứ Luật Tổ chức chính quyền địa phương, Luật Đầu tư công")[0]
    assert c.title == "Tổ chức chính quyền địa phương"


def test_a_type_word_written_with_a_double_space() -> None:
    a, b = extract_citations("Thực hiện Kế  hoạch số 12/KH-UBND ngày 03/4/2024; Quyết   định số 15/QĐ-UBND ngày 01/02/2024")
    assert (a.type, a.text, a.date) == ("Kế hoạch", "Kế  hoạch số 12/KH-UBND ngày 03/4/2024", "2024-04-03")
    assert (b.type, b.symbol, b.date) == ("Quyết định", "15/QĐ-UBND", "2024-02-01")


def test_an_issuer_written_once_before_a_list() -> None:
    text = (
        "Thực hiện các văn bản của UBND huyện tại: Công văn số 245/UBND ngày 31/10/2023 về báo cáo kết quả; "
        "Quyết định số 3807/QĐ-UBND ngày 29/12/2023 về việc phê duyệt kết quả."
    )
    a, b = extract_citations(text)
    assert (a.symbol, a.issuer) == ("245/UBND", "UBND huyện")
    assert (b.symbol, b.issuer) == ("3807/QĐ-UBND", "UBND huyện")
    # Without such a head nothing is lent.
    assert extract_citations("Thực hiện Công văn số 245/UBND ngày 31/10/2023 về báo cáo")[0].issuer is None


@pytest.mark.parametrize("example", load_yaml("chrome.yaml")["examples"], ids=lambda e: e["text"][:30])
def test_portal_footer_examples(example: dict) -> None:  # type: ignore[type-arg]
    start = portal_footer(example["text"])
    want = example["footer_starts_with"]
    assert (start is None) if want is None else example["text"][start:].startswith(want)


def test_the_portal_footer_holds_no_citations_of_the_document() -> None:
    from vanban.api import extract

    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 980/KH-UBND\nNghệ An, ngày 18 tháng 11 năm 2025\nKẾ HOẠCH\nTHỰC HIỆN QUYẾT ĐỊNH SỐ 1899/QĐ-TTG\n"
        "Thực hiện Quyết định số 1899/QĐ-TTg ngày 04/9/2025 của Thủ tướng Chính phủ, UBND tỉnh ban hành Kế hoạch.\n"
        "Nơi nhận:\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn Đệ\n"
        "Kế hoạch 980/KH-UBND thực hiện Quyết định 1899/QĐ-TTg Văn bản này chưa cập nhật nội dung Tiếng Anh\n"
        "Văn bản liên quan\nKính gửi: Quý Thành viên, Nghị định 13/2023/NĐ-CP về Bảo vệ dữ liệu cá nhân\n"
    )
    doc = extract(text.encode(), name="kh.txt")
    assert sorted({c.symbol for c in doc.citations}) == ["1899/QĐ-TTg"]
    footer = doc.text.index("Kế hoạch 980/KH-UBND thực hiện")
    assert all(c.end <= footer for c in doc.citations)
    assert all(d.start < footer for d in doc.deadlines) and all(u.start < footer for u in doc.units)
