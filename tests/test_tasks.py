"""Tasks: in the implementation section, paragraphs led by units assign the rest to them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from vanban.extractor.deadlines import find_deadlines
from vanban.extractor.model import Section, Task
from vanban.extractor.tasks import find_tasks
from vanban.extractor.units import find_units

SHARED = Path(__file__).resolve().parents[2] / "shared"
_HEADING = re.compile(r"^[#*\s]*(?P<n>I|II|III|IV|V|VI)\s*[.\-–]\s*(?P<t>.+)$", re.MULTILINE)


def sections(text: str) -> tuple[Section, ...]:
    """Top-level "I. …" sections; "TỔ CHỨC THỰC HIỆN" is the implementation one (a test stand-in for
    vanban.extractor.sections, which these tests must not depend on)."""
    heads = list(_HEADING.finditer(text))
    out = []
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        title = h.group("t").strip("*# :")
        role = "implementation" if "tổ chức thực hiện" in title.lower() else "content"
        out.append(Section(h.group("n"), title, role, 1, h.start(), end, h.end()))  # type: ignore[arg-type]
    return tuple(out)


def tasks(text: str, doc_date: date | None = None) -> tuple[Task, ...]:
    got = find_tasks(text, sections(text), find_units(text, exclude=[]),
                     find_deadlines(text, doc_date=doc_date, exclude=[]))
    for t in got:
        assert text[t.start:t.end] == t.text
    return got


def test_inline_unit_with_deadline() -> None:
    text = ("I. NỘI DUNG\nTuyên truyền.\nII. TỔ CHỨC THỰC HIỆN\n"
            "- Khối Dân vận Đảng ủy tham mưu xây dựng kế hoạch, báo cáo trước ngày 07/4/2024.\n"
            "- Ủy ban kiểm tra Đảng ủy thường xuyên theo dõi, kiểm tra.\n")
    got = tasks(text)
    assert [(t.unit, t.text, t.deadline) for t in got] == [
        ("Khối Dân vận Đảng ủy", "tham mưu xây dựng kế hoạch, báo cáo trước ngày 07/4/2024.", "2024-04-07"),
        ("Ủy ban kiểm tra Đảng ủy", "thường xuyên theo dõi, kiểm tra.", None),
    ]


def test_unit_then_colon() -> None:
    text = ("IV. TỔ CHỨC THỰC HIỆN\n"
            "3. Sở Khoa học và Công nghệ: Chủ trì tổ chức các sự kiện tuyên truyền trong quý II/2026.\n"
            "4. Sở Tư pháp: Lồng ghép tuyên truyền công tác CCHC.\n")
    got = tasks(text)
    assert [(t.unit, t.text, t.deadline) for t in got] == [
        ("Sở Khoa học và Công nghệ", "Chủ trì tổ chức các sự kiện tuyên truyền trong quý II/2026.", "2026-06-30"),
        ("Sở Tư pháp", "Lồng ghép tuyên truyền công tác CCHC.", None),
    ]


def test_heading_unit_owns_the_items_under_it() -> None:
    text = ("III. TỔ CHỨC THỰC HIỆN\n"
            "1. Sở Nội vụ:\n"
            "a) Định kỳ phát sóng mỗi tháng 02 chuyên mục.\n"
            "b) Theo dõi, kiểm tra, đôn đốc quá trình tổ chức thực hiện.\n"
            "2. Cán bộ, công chức quán triệt kế hoạch.\n"
            "c) Không thuộc ai.\n")
    got = tasks(text)
    assert [(t.unit, t.text) for t in got] == [
        ("Sở Nội vụ", "Định kỳ phát sóng mỗi tháng 02 chuyên mục."),
        ("Sở Nội vụ", "Theo dõi, kiểm tra, đôn đốc quá trình tổ chức thực hiện."),
    ]


def test_heading_with_lead_verb_and_markdown() -> None:
    text = ("### **III. TỔ CHỨC THỰC HIỆN**\n\n"
            "#### **1. Ban chỉ đạo Dân vận chính quyền**\n\n"
            "Theo dõi, đôn đốc triển khai thực hiện.\n\n"
            "#### **2. Giao Cho Công chức Văn phòng- Thống kê ( DVCQ)**\n\n"
            "Định kỳ tổng hợp tình hình triển khai thực hiện Kế hoạch này.\n\n"
            "Trên đây là kế hoạch của UBND xã.\n")
    got = tasks(text)
    assert [(t.unit, t.text) for t in got] == [
        ("Ban chỉ đạo Dân vận chính quyền", "Theo dõi, đôn đốc triển khai thực hiện."),
        ("Công chức Văn phòng- Thống kê", "Định kỳ tổng hợp tình hình triển khai thực hiện Kế hoạch này."),
    ]


def test_list_of_units_after_request() -> None:
    text = ("III. TỔ CHỨC THỰC HIỆN\n"
            "- Yêu cầu các Chi ủy - Chi bộ, MTTQ, Công an, Quân sự lựa chọn ít nhất 01 mô hình, "
            "báo cáo về Đảng ủy xã trước ngày 07/4/2024.\n"
            "Đề nghị Thường trực HĐND, UBND xã thường xuyên phối hợp.\n"
            "2. Trưởng các phòng thuộc Văn phòng quán triệt kế hoạch.\n")
    got = tasks(text)
    assert [(t.unit, t.deadline) for t in got] == [
        ("Chi ủy - Chi bộ, MTTQ, Công an, Quân sự", "2024-04-07"),
        ("Thường trực HĐND, UBND xã", None),
        ("Trưởng các phòng thuộc Văn phòng", None),
    ]
    assert got[0].text.startswith("lựa chọn ít nhất 01 mô hình")


def test_only_implementation_and_assignment_sections() -> None:
    text = ("I. NỘI DUNG\n- UBND xã tổ chức tuyên truyền.\n"
            "II. NHIỆM VỤ CỤ THỂ CỦA TỪNG ĐƠN VỊ\n1. UBND phường\nChủ trì đánh giá chấm điểm.\n"
            "III. TỔ CHỨC THỰC HIỆN\n1. Phối hợp hướng dẫn thực hiện phong trào thi đua.\n"
            "Nơi nhận:\n- UBND xã thực hiện;\n")
    got = tasks(text)
    assert [(t.unit, t.text) for t in got] == [("UBND phường", "Chủ trì đánh giá chấm điểm.")]


def test_no_implementation_section_no_tasks() -> None:
    text = "Kế hoạch\n- UBND xã tổ chức tuyên truyền.\n"
    assert find_tasks(text, (), find_units(text, exclude=[]), ()) == ()


# Per seed: the (unit, deadline) of every task, in order.
SEEDS = {
    "000": [("Khôi Dân vận", None)],
    "001": [("Khối Dân vận Đảng uỷ", None)] * 5 + [("UBND phường", None)] * 4 + [("Khối Dân vận và UBND phường", None)],
    "002": [("Khối Dân vận Đảng ủy", None), ("Chi ủy - Chi bộ", None), ("Ủy ban kiểm tra Đảng ủy", None),
            ("Chi ủy - Chi bộ, MTTQ, Các ngành, đoàn thể CT-XH, Công an, Quân sự", "2024-04-07")],
    "003": [("Ban chỉ đạo Dân vận chính quyền", None), ("Công chức Văn phòng- Thống kê", None),
            ("Công chức Văn phòng- Thống kê", None)],
    "004": [("Ban Thực hiện quy chế dân chủ cơ sở", None), ("Ban Thực hiện quy chế dân chủ cơ sở", None),
            ("Trưởng các phòng thuộc Văn phòng", None)],
}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_tasks(seed: str) -> None:
    (path,) = (SHARED / "corpus" / "seeds").glob(f"{seed}_*.txt")
    got = tasks(path.read_text(encoding="utf-8"))
    assert [(t.unit, t.deadline) for t in got] == SEEDS[seed]
