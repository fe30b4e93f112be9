"""The section tree: numbering styles, relative levels, roles, spans."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vanban.extractor.layout import load_yaml
from vanban.extractor.model import Section
from vanban.extractor.sections import find_sections, role_of

from tests.paths import REAL, SEEDS_GOLD, SHARED
from tests.textdocs import real_gold, text_doc

SEEDS_DIR = SHARED / "corpus" / "seeds"


def _ingest(path):  # type: ignore[no-untyped-def]
    from vanban.api import ingest

    return ingest(path)


def _tree(sections: tuple[Section, ...]) -> list[tuple]:  # type: ignore[type-arg]
    return [(s.level, s.number, s.title, s.role, _tree(s.children)) for s in sections]


def _flat(sections: tuple[Section, ...]) -> list[Section]:
    return [x for s in sections for x in s.walk()]


def _check_spans(text: str, sections: tuple[Section, ...], lo: int = 0, hi: int | None = None) -> None:
    hi = len(text) if hi is None else hi
    prev = lo
    for s in sections:
        assert lo <= s.start < s.heading_end <= s.end <= hi, s
        assert s.start >= prev
        prev = s.end
        _check_spans(text, s.children, s.heading_end, s.end)


# --------------------------------------------------------------------------- data


def test_role_vocabulary_examples() -> None:
    for ex in load_yaml("headings.yaml")["examples"]:
        assert role_of(ex["title"]) == ex["role"], ex


def test_numbering_style_examples_are_headings() -> None:
    for style in load_yaml("headings.yaml")["styles"]:
        for ex in style["examples"]:
            secs = find_sections(text_doc(f"{ex} MỤC TIÊU CHUNG\nNội dung của mục này.\n"), start=0)
            assert secs, (style["name"], ex)


def test_late_keyword_does_not_give_a_long_title_a_role() -> None:
    assert role_of("TIẾP NHẬN, XỬ LÝ ĐƠN ĐỀ NGHỊ KIỂM TRA, GIÁM SÁT HÀNG HÓA XUẤT KHẨU, NHẬP KHẨU CÓ YÊU CẦU") == "other"
    assert role_of("Mục đích yêu cầu:") == "purpose"


# --------------------------------------------------------------------------- gold


@pytest.mark.skipif(not SEEDS_GOLD.is_dir(), reason="shared corpus not available")
def test_seed_top_level_sections_and_roles() -> None:
    for gold_path in sorted(SEEDS_GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = _ingest(SEEDS_DIR / gold["file"])
        secs = find_sections(doc)
        top = {s.number: s.role for s in secs if s.level == 1}
        assert top == {s["number"]: s["role"] for s in gold["sections"]}, (gold["file"], top)
        _check_spans(doc.text, secs)


@pytest.mark.skipif(not REAL.is_dir(), reason="shared corpus not available")
@pytest.mark.parametrize("gold", [g for g in real_gold() if "sections" in g], ids=lambda g: g["file"])
def test_real_document_top_level_sections(gold: dict) -> None:  # type: ignore[type-arg]
    doc = _ingest(REAL / gold["file"])
    secs = find_sections(doc)
    top = {s.number: s.role for s in secs if s.level == 1}
    for want in gold["sections"]:
        assert top.get(want["number"]) == want["role"], (want, top)
    _check_spans(doc.text, secs)


# --------------------------------------------------------------------------- constructions

PLAN = """\
KẾ HOẠCH
thực hiện công tác dân vận năm 2024
Thực hiện Kế hoạch số 12-KH/BDVHU, Đảng ủy xã xây dựng kế hoạch như sau:
I- MỤC ĐÍCH, YÊU CẦU
1- Nâng cao nhận thức của cán bộ, đảng viên về công tác dân vận trong tình hình mới, góp phần thực hiện thắng lợi nhiệm vụ chính trị của địa phương.
II- NỘI DUNG
1- Tuyên truyền
Tổ chức tuyên truyền sâu rộng.
2- Xây dựng mô hình
a) Mô hình cấp xã
Mỗi chi bộ xây dựng 01 mô hình.
III- TỔ CHỨC THỰC HIỆN
Văn phòng Đảng ủy theo dõi, tổng hợp.
Nơi nhận:
- Các chi bộ,
- Lưu VPĐU.
T/M ĐẢNG ỦY
BÍ THƯ
Nguyễn Văn An
"""


def test_plan_tree_levels_and_roles() -> None:
    doc = text_doc(PLAN)
    secs = find_sections(doc)
    assert _tree(secs) == [
        (1, "I", "MỤC ĐÍCH, YÊU CẦU", "purpose", []),  # the long "1- Nâng cao …" is a list item
        (
            1,
            "II",
            "NỘI DUNG",
            "content",
            [
                (2, "1", "Tuyên truyền", "other", []),
                (2, "2", "Xây dựng mô hình", "other", [(3, "a", "Mô hình cấp xã", "other", [])]),
            ],
        ),
        (1, "III", "TỔ CHỨC THỰC HIỆN", "implementation", []),
    ]
    _check_spans(doc.text, secs)
    # Sections stop where the closing starts; the header is not a section.
    last = secs[-1]
    assert doc.text[last.start : last.end] == "III- TỔ CHỨC THỰC HIỆN\nVăn phòng Đảng ủy theo dõi, tổng hợp."
    assert doc.text[secs[0].start : secs[0].heading_end] == "I- MỤC ĐÍCH, YÊU CẦU"
    ii = secs[1]
    assert ii.end == last.start - 1 and doc.text[ii.children[1].start :].startswith("2- Xây dựng mô hình")


def test_levels_are_relative_when_there_are_no_roman_parts() -> None:
    doc = text_doc(
        "KẾ HOẠCH\nPhối hợp năm 2025\n\n1. MỤC ĐÍCH\nTăng cường phối hợp.\n2. NỘI DUNG\n2.1. Tuyên truyền\n"
        "Các nội dung.\n2.2. Vận động\nCác nội dung.\n3. TỔ CHỨC THỰC HIỆN\nGiao các đơn vị.\n"
    )
    assert _tree(find_sections(doc)) == [
        (1, "1", "MỤC ĐÍCH", "purpose", []),
        (1, "2", "NỘI DUNG", "content", [(2, "2.1", "Tuyên truyền", "other", []), (2, "2.2", "Vận động", "other", [])]),
        (1, "3", "TỔ CHỨC THỰC HIỆN", "implementation", []),
    ]


def test_markdown_and_bold_headings() -> None:
    text = (
        "KẾ HOẠCH\nabc\n\n#### I. MỤC ĐÍCH, YÊU CẦU\n**1.** Khối Dân vận phối hợp với UBND xã, MTTQ, các tổ chức "
        "chính trị - xã hội hướng dẫn, chỉ đạo phát động, vận động xây dựng mô hình.\n"
        "## **III. TỔ CHỨC THỰC HIỆN**\n**1. Cơ quan hoàn thành tốt nhiệm vụ; cán bộ nêu cao ý thức, tinh thần trách "
        "nhiệm trong thực thi công vụ; rèn luyện phẩm chất đạo đức người cán bộ; hưởng ứng các phong trào thi đua**\n"
        "Nội dung.\n"
    )
    secs = find_sections(text_doc(text))
    assert [(s.number, s.title, s.role) for s in secs] == [
        ("I", "MỤC ĐÍCH, YÊU CẦU", "purpose"),
        ("III", "TỔ CHỨC THỰC HIỆN", "implementation"),
    ]
    assert secs[0].children == ()  # a bold label alone does not make a heading of a sentence
    assert [c.number for c in secs[1].children] == ["1"]  # a wholly bold line does


def test_unnumbered_bold_heading_from_block_hints() -> None:
    lines = ["KẾ HOẠCH", "abc", "", "MỤC ĐÍCH, YÊU CẦU", "Nâng cao nhận thức.", "TỔ CHỨC THỰC HIỆN", "Giao các đơn vị."]
    secs = find_sections(text_doc("\n".join(lines), bold={3, 5}))
    assert [(s.number, s.title, s.role, s.level) for s in secs] == [
        (None, "MỤC ĐÍCH, YÊU CẦU", "purpose", 1),
        (None, "TỔ CHỨC THỰC HIỆN", "implementation", 1),
    ]
    assert find_sections(text_doc("\n".join(lines))) == ()  # without emphasis they are plain lines


def test_wrapped_headings_are_joined() -> None:
    text = "KẾ HOẠCH\nabc\n\n**III. KINH\nPHÍ THỰC HIỆN**\nNgân sách tỉnh.\nIV. TỔ CHỨC\nTHỰC HIỆN\nCác sở thực hiện.\n"
    secs = find_sections(text_doc(text))
    assert [(s.number, s.title, s.role) for s in secs] == [
        ("III", "KINH PHÍ THỰC HIỆN", "funding"),
        ("IV", "TỔ CHỨC THỰC HIỆN", "implementation"),
    ]


def test_not_roman_headings() -> None:
    text = (
        "KẾ HOẠCH\nabc\n\nI. MỤC ĐÍCH\nx.\nV/v kết quả đại hội\nI/2025 như đề xuất là không phù hợp.\n"
        "II. TỔ CHỨC THỰC HIỆN\ny.\n"
    )
    assert [s.number for s in find_sections(text_doc(text))] == ["I", "II"]


def test_chapters_and_articles() -> None:
    text = (
        "THÔNG TƯ\nQuy định về lễ tang\n\nCăn cứ Nghị định;\nChương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\n"
        "Thông tư này quy định.\nĐiều 2.\n1. Cán bộ, chiến sĩ chết do tự sát.\nChương II\nTỔ CHỨC THỰC HIỆN\n"
        "Điều 3. Hiệu lực thi hành\nThông tư có hiệu lực.\n"
    )
    secs = find_sections(text_doc(text))
    assert [(s.level, s.number, s.title, s.role) for s in _flat(secs)] == [
        (1, "I", "QUY ĐỊNH CHUNG", "other"),
        (2, "1", "Phạm vi điều chỉnh", "other"),
        (2, "2", "", "other"),
        (1, "II", "TỔ CHỨC THỰC HIỆN", "implementation"),
        (2, "3", "Hiệu lực thi hành", "other"),
    ]


def test_decision_authority_line_is_not_a_heading() -> None:
    text = (
        "QUYẾT ĐỊNH\nBAN HÀNH KẾ HOẠCH\n**ỦY BAN NHÂN DÂN THÀNH PHỐ**\nCăn cứ Luật;\nQUYẾT ĐỊNH:\n"
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.\nĐiều 2. Quyết định này có hiệu lực.\n"
    )
    secs = find_sections(text_doc(text))
    assert [(s.number, s.level) for s in secs] == [("1", 1), ("2", 1)]


@pytest.mark.skipif(not REAL.is_dir(), reason="shared corpus not available")
def test_corpus_sections_are_well_formed() -> None:
    for path in sorted(REAL.glob("*.txt")):
        doc = _ingest(path)
        secs = find_sections(doc)
        _check_spans(doc.text, secs)
        for s in _flat(secs):
            assert not re.match(r"^(?:V/v|Nơi nhận\s*:)", s.title), (path.name, s.title)


_LINES = [
    "KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "II- NỘI DUNG", "1. Tuyên truyền", "1.1. Trên lĩnh vực kinh tế", "a) Mô hình",
    "**III. KINH", "PHÍ THỰC HIỆN**", "Chương I", "Điều 1. Phạm vi", "Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH", "Nguyễn Văn An", "Số: 12/KH-UBND", "Hà Nội, ngày 05 tháng 4 năm 2024", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc", "V/v triển khai", "Căn cứ Luật;", "Nâng cao nhận thức của cán bộ.", "", "|", "***",
    "ĐẢNG BỘ HUYỆN X          ĐẢNG CỘNG SẢN VIỆT NAM",
]


@given(st.lists(st.sampled_from(_LINES), max_size=40))
@settings(max_examples=150, deadline=None)
def test_any_arrangement_of_lines_gives_consistent_offsets(lines: list[str]) -> None:
    from vanban.extractor.header import find_header

    doc = text_doc("\n".join(lines))
    h = find_header(doc)
    for span in (h.motto, h.slogan, h.issuer_span, h.number_span, h.date_span, h.type_span, h.title_span, h.recipients_span):
        if span is not None:
            assert doc.text[span.start : span.end] == span.text
    for span in h.recipient_spans:
        assert doc.text[span.start : span.end] == span.text
    for s in h.signers:
        assert 0 <= s.start < s.end <= len(doc.text)
    _check_spans(doc.text, find_sections(doc))


def test_a_numbered_label_with_its_value_is_a_list_item_not_a_heading() -> None:
    text = (
        "1. Mục đích, yêu cầu\nKiểm tra công tác nghiệm thu.\n"
        "2. Thời gian kiểm tra: Ngày 31 tháng 03 năm 2026 (thứ Ba)\n"
        "3. Địa điểm: Tại công trình kho chứa\n"
        "4. Đợt 1: Từ ngày 05/12/2025 đến ngày 20/02/2026:\n"
        "a) Kiểm tra việc tổ chức hội nghị.\n"
    )
    secs = find_sections(text_doc(text), start=0)
    assert [(s.number, s.title) for s in secs] == [("1", "Mục đích, yêu cầu"), ("4", "Đợt 1: Từ ngày 05/12/2025 đến ngày 20/02/2026")]


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("ĐỐI TƯỢNG, NỘI DUNG THI ĐUA", "content"),
        ("ĐỐI TƯỢNG VÀ THỜI GIAN THI ĐUA", "timeline"),
        ("ĐỐI TƯỢNG KIỂM TRA, GIÁM SÁT", "other"),
        ("THÀNH PHẦN HỘI NGHỊ", "other"),
        ("ĐỐI TƯỢNG, NGUYÊN TẮC, HÌNH THỨC VÀ TIÊU CHUẨN KHEN THƯỞNG", "other"),
    ],
)
def test_who_or_where_gives_way_to_a_later_role(title: str, role: str) -> None:
    assert role_of(title) == role
