"""Back-references ("Kế hoạch này", "Chỉ thị nêu trên") resolve only when one document fits."""

from __future__ import annotations

import pytest
from vanban.extractor.citations import extract_citations
from vanban.extractor.references import find_references


def refs(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(r.text, r.type, r.key) for r in find_references(text, extract_citations(text))]


def test_nay_is_the_document_itself() -> None:
    text = "Căn cứ Kế hoạch số 24-KHPH/BDV-UBND ngày 05/3/2024. Tổ chức thực hiện kế hoạch này trên cơ sở đúng nguyên tắc."
    assert refs(text) == [("kế hoạch này", "Kế hoạch", None)]


def test_pointer_resolves_to_the_one_earlier_document_of_its_type() -> None:
    text = (
        "Sau khi Chỉ thị số 38/CT-TTg ngày 29/9/2020 của Thủ tướng Chính phủ được ban hành, tỉnh đã cụ thể hóa "
        "Chỉ thị nêu trên (văn bản số 5529/UBND-KT ngày 01/12/2020 của UBND tỉnh)."
    )
    assert refs(text) == [("Chỉ thị nêu trên", "Chỉ thị", "38/CT-TTg")]


def test_two_fitting_documents_leave_the_pointer_unresolved() -> None:
    text = (
        "Thực hiện Nghị quyết số 25-NQ/TW và Nghị quyết số 28-NQ/TW ngày 17/11/2022 của Ban Chấp hành "
        "Trung ương Đảng. Cán bộ, đảng viên quán triệt Nghị quyết trên."
    )
    assert refs(text) == [("Nghị quyết trên", "Nghị quyết", None)]


def test_mentions_of_one_document_count_once() -> None:
    text = (
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; triển khai Nghị quyết số 57-NQ/TW "
        "trên địa bàn. Các sở, ngành quán triệt Nghị quyết nêu trên."
    )
    assert refs(text)[-1] == ("Nghị quyết nêu trên", "Nghị quyết", "57-NQ/TW")


def test_only_earlier_documents_fit() -> None:
    text = "Quán triệt Quyết định nói trên. Thực hiện Quyết định số 12/QĐ-UBND ngày 03/4/2020 của UBND tỉnh."
    assert refs(text) == [("Quyết định nói trên", "Quyết định", None)]


def test_a_plural_names_several_documents() -> None:
    text = "Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị. Quán triệt các Chỉ thị nêu trên."
    assert refs(text) == [("Chỉ thị nêu trên", "Chỉ thị", None)]


@pytest.mark.parametrize(
    "text",
    [
        "Triển khai kế hoạch trên địa bàn toàn tỉnh.",
        "triển khai kế hoạch trên\nđịa bàn huyện",
        "phổ biến pháp luật trên Báo và Phát thanh",
        "Kế hoạch số 22/KH-UBND ngày 29/01/2024 về khắc phục",
    ],
)
def test_words_that_are_not_back_references(text: str) -> None:
    assert refs(text) == []


def test_offsets_point_into_the_text() -> None:
    text = "Hướng dẫn này áp dụng cho các xã. Văn bản nêu trên được gửi các đơn vị."
    found = find_references(text, ())
    assert [(r.text, r.type) for r in found] == [("Hướng dẫn này", "Hướng dẫn"), ("Văn bản nêu trên", "Văn bản")]
    assert all(text[r.start : r.end] == r.text for r in found)
