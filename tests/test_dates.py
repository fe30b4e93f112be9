"""The date grammar shared by header, citations and deadlines."""

from __future__ import annotations

import pytest
from vanban.extractor.dates import find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("ngày 21/01/2022", "2022-01-21"),
        ("21-01-2022", "2022-01-21"),
        ("21.01.2022", "2022-01-21"),
        ("ngày 12 tháng 12 năm 2013", "2013-12-12"),
        ("12 tháng 12, năm 2013", "2013-12-12"),
        ("NGÀY 02 THÁNG 01 NĂM 2025", "2025-01-02"),
        ("ngày15 tháng 01năm 2026", "2026-01-15"),
        ("ngày 15 / 5 /2026", "2026-05-15"),
        ("ngày 30 tháng 4 năm\n2025", "2025-04-30"),
        ("ngày 14\ntháng 12 năm 2020", "2020-12-14"),
        ("ngày\u00a030\u202ftháng 4 năm 2025", "2025-04-30"),
    ],
)
def test_date_forms(text: str, iso: str) -> None:
    d = parse_date(text)
    assert d is not None and d.iso == iso
    assert text[d.start : d.end] == d.text


def test_a_paragraph_break_is_not_inside_a_date() -> None:
    assert find_dates("ngày 30 tháng 4 năm\n\n2025") == []


def test_impossible_dates_are_found_and_marked() -> None:
    (d,) = find_dates("ngày 31/4/2024")
    assert (d.valid, d.iso, d.text) == (False, None, "31/4/2024")


def test_symbols_are_not_dates() -> None:
    assert find_dates("Nghị định số 04/2015/NĐ-CP") == []
