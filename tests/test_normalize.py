"""Search folding: what a user types without diacritics finds the Vietnamese text."""

from __future__ import annotations

import unicodedata

import pytest
from vanban.extractor.normalize import collapse_spaces, fold, fold_aligned, strip_marks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kế hoạch  số 12/KH-UBND", "ke hoach so 12/kh-ubnd"),
        ("ĐẢNG ỦY XÃ Đông Sơn", "dang uy xa dong son"),
        ("Nghị định 04/2015/NĐ-CP", "nghi dinh 04/2015/nd-cp"),
        ("  Hội\tđồng\nnhân   dân ", "hoi dong nhan dan"),
        ("Thương ươm ưu", "thuong uom uu"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected
    assert fold(unicodedata.normalize("NFD", text)) == expected


def test_fold_aligned_keeps_offsets() -> None:
    text = "Ủy ban nhân dân xã Đắk Sắk, ngày 05 tháng 3"
    folded = fold_aligned(text)
    assert len(folded) == len(text)
    assert folded == "uy ban nhan dan xa dak sak, ngay 05 thang 3"
    start = folded.index("dak sak")
    assert text[start : start + 7] == "Đắk Sắk"


def test_strip_marks_keeps_case_and_spacing() -> None:
    assert strip_marks("Đồng  Tháp ") == "Dong  Thap "


def test_collapse_spaces() -> None:
    assert collapse_spaces(" a \t b\n\n c ") == "a b c"
    assert collapse_spaces(" a \t b\n\n c ", keep_newlines=True) == "a b\n\n c"
