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
        (2, "3", "Hiệu lực thi hành", "implementation"),
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


# --------------------------------------------------------------------------- constructions of real documents

_TITLE_ENDINGS = (
    # A title ending in a word that is a function word only once folded ("số", "tại", "vệ", "năm"
    # in a compound) is a whole title; a number noun waiting for its number ("Kế hoạch số" / "15/…",
    # "năm" / "2026") goes on on the next line.
    "1. Xây dựng chính quyền số\na) Mục tiêu\nNội dung.\n2. Đánh giá chung về khó khăn và tồn tại\nNội dung.\n"
    "3. Về cơ cấu Bộ chỉ số\na) Bộ chỉ số cấp tỉnh\n4. Công tác bảo vệ\nCác lực lượng phối hợp.\n"
    "5. Kiểm tra định kỳ hằng năm\nCác đơn vị tự kiểm tra.\n"
    "6. Triển khai Kế hoạch số\n15/KH-UBND của Ủy ban nhân dân tỉnh\nNội dung.\n7. Nhiệm vụ trọng tâm năm\n2026\nNội dung.\n"
)

_CASES = [
    (
        "compound endings are not dangling words",
        _TITLE_ENDINGS,
        [
            (1, "1", "Xây dựng chính quyền số"),
            (2, "a", "Mục tiêu"),
            (1, "2", "Đánh giá chung về khó khăn và tồn tại"),
            (1, "3", "Về cơ cấu Bộ chỉ số"),
            (2, "a", "Bộ chỉ số cấp tỉnh"),
            (1, "4", "Công tác bảo vệ"),
            (1, "5", "Kiểm tra định kỳ hằng năm"),
            (1, "6", "Triển khai Kế hoạch số 15/KH-UBND của Ủy ban nhân dân tỉnh"),
            (1, "7", "Nhiệm vụ trọng tâm năm 2026"),
        ],
    ),
    (
        "a title does not swallow the sentence below it",
        "5. Về xây dựng chính quyền điện tử, chính quyền số\nGiao Sở Khoa học và Công nghệ chủ trì, phối hợp các cơ "
        "quan, đơn vị liên quan:\na) Thường xuyên theo dõi, kiểm tra việc sử dụng chữ ký số.\n",
        [(1, "5", "Về xây dựng chính quyền điện tử, chính quyền số")],
    ),
    (
        "a numbered stage with its period is a heading",
        "2. Nội dung tuyên truyền theo thời gian\n2.1. Đợt 1: Trong tháng 12/2025\n- Tuyên truyền Chỉ thị của Bộ Chính "
        "trị.\n2.2. Giai đoạn 2: Từ tháng 01 đến ngày bầu cử\n- Tuyên truyền những hoạt động đổi mới.\n",
        [
            (1, "2", "Nội dung tuyên truyền theo thời gian"),
            (2, "2.1", "Đợt 1: Trong tháng 12/2025"),
            (2, "2.2", "Giai đoạn 2: Từ tháng 01 đến ngày bầu cử"),
        ],
    ),
    (
        "a sentence numbered between two headings is the missing heading, named by its first clause",
        "1. Sở Công Thương\na) Chủ trì kiểm tra.\n2. Sở Nội vụ\na) Phối hợp kiểm tra.\n3. Các Bộ, ngành liên quan "
        "khác trong phạm vi chức năng, nhiệm vụ, tăng cường công tác quản lý nhà nước đối với khu công nghiệp.\n"
        "4. Ủy ban nhân dân các tỉnh\na) Rà soát quy hoạch.\n",
        [
            (1, "1", "Sở Công Thương"),
            (1, "2", "Sở Nội vụ"),
            (1, "3", "Các Bộ, ngành liên quan khác trong phạm vi chức năng, nhiệm vụ, tăng cường công tác quản lý nhà nước "
             "đối với khu công nghiệp"),
            (1, "4", "Ủy ban nhân dân các tỉnh"),
        ],
    ),
    (
        "a missing first item and a wrapped item ending in a full stop (hard-wrapped Markdown copy)",
        "II. MỤC TIÊU\n1. Mục tiêu\nchung: Hỗ trợ nâng cao chất lượng giáo dục mầm non ở địa bàn đô thị; địa bàn "
        "có\nkhu công nghiệp, khu chế xuất.\n2. Mục tiêu cụ\nthể đến năm 2035\n- Nội dung.\n3. Định hướng\nđến năm "
        "2045\n- Nội dung.\nIII. NHIỆM VỤ, GIẢI PHÁP\n1. Hoàn thiện cơ chế, chính sách\n2. Đa dạng mô hình giáo dục\n"
        "3. Nâng cao\nchất lượng nuôi dưỡng, chăm sóc trẻ em\nlà con công nhân ở địa bàn khu công nghiệp.\n"
        "4. Huy động nguồn lực xã hội hóa\n",
        [
            (1, "II", "MỤC TIÊU"),
            (2, "1", "Mục tiêu chung"),
            (2, "2", "Mục tiêu cụ thể đến năm 2035"),
            (2, "3", "Định hướng đến năm 2045"),
            (1, "III", "NHIỆM VỤ, GIẢI PHÁP"),
            (2, "1", "Hoàn thiện cơ chế, chính sách"),
            (2, "2", "Đa dạng mô hình giáo dục"),
            (2, "3", "Nâng cao chất lượng nuôi dưỡng, chăm sóc trẻ em là con công nhân ở địa bàn khu công nghiệp"),
            (2, "4", "Huy động nguồn lực xã hội hóa"),
        ],
    ),
    (
        "a nested list of the same style between two headings fills no gap",
        "1. Mục đích\nCác nội dung:\n1. Nâng cao nhận thức của cán bộ về công tác dân vận trong tình hình mới.\n"
        "2. Tăng cường sự lãnh đạo của cấp ủy đối với công tác dân vận.\n3. Tổ chức thực hiện\nGiao các đơn vị.\n",
        [(1, "1", "Mục đích"), (1, "3", "Tổ chức thực hiện")],
    ),
    (
        "fields with their values before a run of 'Label:' headings stay list items",
        "1. Giai đoạn kiểm tra: Giai đoạn hoàn thành thi công xây dựng công trình.\n2. Thời gian kiểm tra: Ngày 31 tháng "
        "03 năm 2026 (thứ Ba)\n3. Địa điểm: Tại hiện trường công trình.\n4. Thành phần tham gia kiểm tra:\n- Chủ trì: "
        "Sở Công Thương\n5. Nội dung kiểm tra:\na) Đối với công tác nghiệm thu:\n",
        [(1, "4", "Thành phần tham gia kiểm tra"), (1, "5", "Nội dung kiểm tra"), (2, "a", "Đối với công tác nghiệm thu")],
    ),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in _CASES], ids=[c[0] for c in _CASES])
def test_real_document_constructions(text: str, want: list[tuple[int, str, str]]) -> None:
    doc = text_doc(text)
    secs = find_sections(doc, start=0)
    assert [(s.level, s.number, s.title) for s in _flat(secs)] == want
    _check_spans(doc.text, secs)


def test_a_missing_heading_ends_where_its_name_ends() -> None:
    text = "1. Mục tiêu\nchung: Hỗ trợ nâng cao chất lượng.\nGiúp trẻ em được tiếp cận dịch vụ.\n2. Mục tiêu cụ thể\n3. Định hướng\n"
    doc = text_doc(text)
    first = find_sections(doc, start=0)[0]
    assert doc.text[first.start : first.heading_end] == "1. Mục tiêu\nchung: Hỗ trợ nâng cao chất lượng."
    assert doc.text[first.start : first.end].endswith("dịch vụ.")


@pytest.mark.parametrize(
    ("title", "role"),
    [
        # A role word counts at the start of the title, or next in a list of role words.
        ("Về phân công nhiệm vụ của các cơ quan liên quan", "implementation"),
        ("Một số hoạt động tuyên truyền trọng tâm", "content"),
        ("ĐỐI TƯỢNG VÀ THỜI GIAN THI ĐUA", "timeline"),
        ("HÌNH THỨC, THỜI GIAN TUYÊN TRUYỀN", "timeline"),
        # … and not in passing, further on.
        ("Trong thời gian 05 ngày làm việc kể từ ngày thông báo, Chi cục có trách nhiệm", "other"),
        ("Hết thời gian gia hạn mà hội không tổ chức đại hội", "other"),
        ("Nghiên cứu giải pháp thu hút nguồn nhân lực", "other"),
        ("Quy định về biện pháp bảo đảm an toàn trong thời gian nổ mìn", "other"),
        ("Cán bộ làm nhiệm vụ lưu trữ", "other"),
        ("Về mô hình, sáng kiến, giải pháp mới", "other"),
        # Phrases of execution clauses and assignments.
        ("Hiệu lực thi hành", "implementation"),
        ("Trách nhiệm thi hành", "implementation"),
        ("Trách nhiệm của người đứng đầu cơ quan", "implementation"),
        ("Giao Văn phòng Ủy ban nhân dân tỉnh theo dõi", "implementation"),
        ("Thủ trưởng các đơn vị và các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này", "implementation"),
        ("HƯỚNG DẪN CỤ THỂ", "content"),
        ("Giáo dục chính trị tư tưởng", "other"),
    ],
)
def test_role_words_count_where_they_name_the_part(title: str, role: str) -> None:
    assert role_of(title) == role
