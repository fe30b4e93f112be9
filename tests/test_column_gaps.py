"""Headers typed as two columns on one line ("left<gap>right") in text and PDF output."""

from __future__ import annotations

import pytest

import vanban

TOP = "ĐẢNG ỦY XÃ BÌNH MINH          ĐẢNG CỘNG SẢN VIỆT NAM\n"
TAIL = "\nKẾ HOẠCH\nVề việc tuyên truyền\n\nQuán triệt Nghị quyết số 25-NQ/TW ngày 03/6/2013 của BCH.\n"


@pytest.mark.parametrize(
    "line",
    [
        "Số 12-KH/ĐU             Bình Minh, ngày 15 tháng 3 năm 2024",
        "Số 12 - KH/ĐU      Bình Minh, ngày 15 tháng 3 năm 2024",
        "Số: 12/KH-UBND\t\tBình Minh, ngày 15 tháng 3 năm 2024",
    ],
)
def test_number_and_date_side_by_side(line: str) -> None:
    doc = vanban.extract((TOP + line + "\n" + TAIL).encode(), name="a.txt")
    assert doc.document.date == "2024-03-15"
    assert doc.document.place == "Bình Minh"
    assert doc.document.symbol is not None and doc.document.symbol.startswith("12")


def test_a_unit_name_never_runs_across_the_column_gap() -> None:
    text = "ĐẢNG BỘ HUYỆN TÂN HÒA          ĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG ỦY XÃ BÌNH MINH\n" + TAIL
    doc = vanban.extract(text.encode(), name="a.txt")
    names = [u.name for u in doc.units]
    assert "ĐẢNG BỘ HUYỆN TÂN HÒA" in names
    assert not any("CỘNG SẢN" in n for n in names)


def test_pointer_before_a_preposition_is_a_back_reference() -> None:
    text = TAIL + "1. Quán triệt sâu sắc Nghị quyết trên đến cán bộ, đảng viên.\n"
    doc = vanban.extract(text.encode(), name="a.txt")
    refs = [(r.text, r.key) for r in doc.references]
    assert ("Nghị quyết trên", "25-NQ/TW") in refs


def test_on_the_territory_is_not_a_back_reference() -> None:
    text = TAIL + "1. Triển khai Kế hoạch trên địa bàn xã.\n"
    doc = vanban.extract(text.encode(), name="a.txt")
    assert not [r for r in doc.references if r.text.startswith("Kế hoạch trên")]
