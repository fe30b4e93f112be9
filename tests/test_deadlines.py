"""Deadlines: time-bound phrases become deadlines; dates of cited documents and past events do not."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from vanban.extractor.deadlines import find_deadlines

SHARED = Path(__file__).resolve().parents[2] / "shared"
DOC = date(2024, 3, 18)

# (text, doc_date, [(kind, date, end_date)]) — one row per construction.
CASES = [
    ("báo cáo về Đảng ủy trước ngày 07/4/2024.", DOC, [("before", "2024-04-07", None)]),
    ("Từ khi ban hành kế hoạch đến trước ngày **15/12/2024**.", DOC, [("before", "2024-12-15", None)]),
    ("hoàn thành chậm nhất ngày 10/12/2025.", DOC, [("by", "2025-12-10", None)]),
    ("Chậm nhất là ngày 15 tháng 12 năm 2025, Ủy ban công bố", DOC, [("by", "2025-12-15", None)]),
    ("hoàn thành chậm nhất đến ngày 01 tháng 7 năm 2028.", DOC, [("by", "2028-07-01", None)]),
    ("Chậm nhất là 17 giờ 00 ngày 01 tháng 2 năm 2026, người ứng cử nộp hồ sơ", DOC, [("by", "2026-02-01", None)]),
    ("yêu cầu đến 30/5/2026 phải bàn giao toàn bộ mặt bằng", DOC, [("by", "2026-05-30", None)]),
    ("phường đảm bảo đến hết năm 2024 đạt chuẩn 4 sao.", DOC, [("by", "2024-12-31", None)]),
    ("triển khai thực hiện, hoàn thành trong tháng 12 năm 2025;", DOC, [("by", "2025-12-31", None)]),
    ("Đợt 1: Trong tháng 12/2025", DOC, [("period", "2025-12-01", "2025-12-31")]),
    ("báo cáo Thủ tướng Chính phủ trong quý III năm 2012.", None, [("period", "2012-07-01", "2012-09-30")]),
    ("- Thời gian hoàn thành: Quý IV/2025;", DOC, [("period", "2025-10-01", "2025-12-31")]),
    ("dự kiến hoàn thành xong trong quý 2/2026.", DOC, [("by", "2026-06-30", None)]),
    ("Xử lý dứt điểm, xong trong Quý II/2026", DOC, [("by", "2026-06-30", None)]),
    ("kết quả 6 tháng đầu năm 2024", DOC, [("period", "2024-01-01", "2024-06-30")]),
    ("các nhiệm vụ trong 6 tháng cuối năm 2025", DOC, [("period", "2025-07-01", "2025-12-31")]),
    ("Đợt 1: Từ ngày 05/12/2025 đến ngày 20/02/2026:\n1. Tuyên truyền", DOC, [("period", "2025-12-05", "2026-02-20")]),
    ("Thời gian thực hiện: Từ tháng 12/2025 đến quý I/2026.", DOC, [("period", "2025-12-01", "2026-03-31")]),
    ("khai thực hiện từ tháng 10 năm 2025 đến hết tháng 3 năm 2026.", DOC, [("period", "2025-10-01", "2026-03-31")]),
    ("(Thực hiện từ ngày 01/12 đến ngày 10/12/2025)", DOC, [("period", "2025-12-01", "2025-12-10")]),
    ("trong 03 ngày làm việc (từ ngày 08 đến ngày 10 tháng 12 năm 2025).", DOC,
     [("period", "2025-12-08", "2025-12-10")]),
    ("(từ ngày 20 tháng 11 năm 2025 đến ngày 03 tháng 12\nnăm 2025)", DOC, [("period", "2025-11-20", "2025-12-03")]),
    ("Trong khoảng thời gian từ ngày 17/12/2025 đến 17 giờ 00, ngày 01/02/2026.", DOC,
     [("period", "2025-12-17", "2026-02-01")]),
    ("Thời gian kiểm tra: 13h30’ ngày 29/4/2026 (Thứ Tư).", DOC, [("on", "2026-04-29", None)]),
    ("Ban Thường trực dự kiến tổ chức hội nghị vào ngày 02/02/2026.", DOC, [("on", "2026-02-02", None)]),
    ("- Thời gian: Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025 - 95 ngày trước bầu cử)", DOC,
     [("on", "2025-12-05", None), ("by", "2025-12-10", None)]),
    ("Thời kỳ kiểm tra: Từ 01/3/2025 đến thời điểm kiểm tra.", DOC, [("from", "2025-03-01", None)]),
    ("gửi về Sở Nội vụ trước 17 giờ 00 phút, ngày 05/12/2025;", DOC, [("before", "2025-12-05", None)]),
    # A yearless range starts in the year its start falls in after the plan's date.
    ("thời gian quan trắc từ tháng 3 đến tháng 10", date(2025, 11, 18), [("period", "2026-03-01", "2026-10-31")]),
    ("thời gian quan trắc từ tháng 11 đến tháng 02", date(2025, 10, 1), [("period", "2025-11-01", "2026-02-28")]),
    # One year written for two months: both are time frames of that year.
    ("thời gian quan trắc vào tháng 4 và tháng 8 năm 2026;", date(2025, 11, 18),
     [("period", "2026-04-01", "2026-04-30"), ("period", "2026-08-01", "2026-08-31")]),
    # A running duty may start a little before the plan's date.
    ("Thời gian thực hiện: Từ 01/7/2025.", date(2025, 11, 20), [("from", "2025-07-01", None)]),
]

RECURRING = [
    "duy trì và thực hiện theo định kỳ công tác đánh giá theo hàng quý, 6 tháng, 9 tháng và năm",
    "tham mưu báo cáo định kỳ quý, 6 tháng, 9 tháng và năm 2024.",
    "Định kỳ hằng tháng tổng hợp kết quả",
    "công khai kết quả đánh giá chậm nhất vào ngày 05 hằng tháng.",
    "Ban hành kế hoạch trong tháng 01 hằng năm và tổ chức thực hiện",
    "định kỳ hàng năm (trước ngày 10/12) hoặc đột xuất báo cáo",
    "Ban hành kế hoạch chậm nhất là ngày 31/12 năm trước liền kề",
    "hàng năm xây dựng kế hoạch, nội dung công việc",
    "Số văn bản được đánh theo từng năm, từ ngày 01/01 đến hết ngày 31/12.",
]

# Dates that are not deadlines: cited documents, past events, effective dates, statistics.
NOT_DEADLINES = [
    "Thực hiện Kế hoạch số 12-KH/BDVHU ngày 29/3/2024 của Ban Dân vận Huyện uỷ",
    "Ngày 18/3/2024 Ban Dân vận đã tổ chức hội nghị",
    "Nghị quyết này có hiệu lực từ ngày 26 tháng 12 năm 2025.",
    "Số tiền đã thu được tính đến hết ngày 31/12/2025: 142.343.395.324 đồng",
    "Tổng thu ngân sách địa phương thực hiện đến ngày 10/12/2025 là 28.611 tỷ đồng",
    "vào xếp loại chính quyền phường hằng năm, thực hiện từ năm 2024.",
    "nhiệm kỳ 2020 - 2025 và giai đoạn 2021 - 2030",
    "Đến ngày 25/02/2026, Chủ tịch UBND tỉnh đã ban hành quyết định",
    "Chiến lược phát triển đến năm 2030, tầm nhìn đến năm 2045",
    "dừng xem xét hồ sơ người ứng cử trước ngày bầu cử 10 ngày",
    "Số liệu thống kê báo cáo từ ngày 14/7/2011 đến ngày 15/9/2025.",
    "Cơ quan hoàn thành tốt nhiệm vụ năm 2024; thi đua hàng năm của cơ quan",
    "Quyết định số 266-QĐ/HU, ngày 21/01/2022 của Ban Thường vụ Huyện ủy",
    "Tập trung quyết liệt trong năm 2024 và những năm tiếp theo",
]


@pytest.mark.parametrize(("text", "doc_date", "expected"), CASES)
def test_construction(text: str, doc_date: date, expected: list[tuple[str, str, str | None]]) -> None:
    got = find_deadlines(text, doc_date=doc_date, exclude=[])
    assert [(d.kind, d.date, d.end_date) for d in got] == expected
    for d in got:
        assert text[d.start:d.end] == d.text
        assert d.valid


@pytest.mark.parametrize("text", RECURRING)
def test_recurring_duties_have_no_date(text: str) -> None:
    got = find_deadlines(text, doc_date=DOC, exclude=[])
    assert [d.kind for d in got] == ["recurring"]
    assert got[0].date is None
    assert text[got[0].start:got[0].end] == got[0].text


@pytest.mark.parametrize("text", NOT_DEADLINES)
def test_ordinary_dates_are_not_deadlines(text: str) -> None:
    assert find_deadlines(text, doc_date=DOC, exclude=[]) == ()


# Time frames over before the document was issued: past events and categories of people.
PAST = [
    ("Do mưa lớn kéo dài, từ ngày 17 đến ngày 20 tháng 11 năm 2025 tỉnh đang phải hứng chịu ngập lụt.",
     date(2025, 11, 21)),
    ("Cán bộ là người hoạt động cách mạng trước ngày 01/01/1945, người hoạt động cách mạng từ 01/01/1945 "
     "đến ngày khởi nghĩa tháng Tám năm 1945", date(2019, 11, 25)),
    ("Hội đồng đã thẩm định 02 đợt (Đợt 1: Từ ngày 12/12/2025\nđến hết ngày 18/12/2025).", date(2026, 2, 2)),
    ("Theo dự báo của cơ quan khí tượng,\ntừ tối nay đến ngày 18/11/2025 khu vực có mưa lớn", date(2025, 11, 16)),
]


@pytest.mark.parametrize(("text", "doc_date"), PAST)
def test_time_frames_over_before_the_document_are_not_deadlines(text: str, doc_date: date) -> None:
    assert [d for d in find_deadlines(text, doc_date=doc_date, exclude=[]) if d.kind != "recurring"] == []


def test_the_latest_cited_date_bounds_an_undated_document() -> None:
    text = "người hoạt động cách mạng trước ngày 01/01/1945; báo cáo trước ngày 15/12/2025."
    got = find_deadlines(text, doc_date=None, exclude=[], issued_after=date(2025, 6, 1))
    assert [d.date for d in got] == ["2025-12-15"]
    assert [d.date for d in find_deadlines(text, doc_date=None, exclude=[])] == ["1945-01-01", "2025-12-15"]


def test_year_comes_from_the_plan_date() -> None:
    text = "Các đơn vị báo cáo kết quả trước ngày 30/6."
    (d,) = find_deadlines(text, doc_date=date(2024, 3, 18), exclude=[])
    assert (d.kind, d.date, d.inferred_year) == ("before", "2024-06-30", True)
    # Without the plan's date the year is unknown: the deadline stays, undated.
    (d,) = find_deadlines(text, doc_date=None, exclude=[])
    assert (d.date, d.inferred_year, d.valid) == (None, False, True)


def test_yearless_date_long_before_the_plan_date_is_next_year() -> None:
    text = "gửi báo cáo trước ngày 15 tháng 01."
    (d,) = find_deadlines(text, doc_date=date(2024, 12, 10), exclude=[])
    assert d.date == "2025-01-15"
    assert d.inferred_year


def test_impossible_date_is_kept_invalid() -> None:
    text = "hoàn thành trước ngày 31/4/2024."
    (d,) = find_deadlines(text, doc_date=DOC, exclude=[])
    assert (d.kind, d.date, d.valid, d.text) == ("before", None, False, "trước ngày 31/4/2024")


def test_excluded_spans_are_skipped() -> None:
    text = "Thực hiện Kế hoạch về việc triển khai từ ngày 01/4/2024 đến ngày 30/4/2024; báo cáo trước ngày 10/5/2024."
    cited = (0, text.index(";"))
    got = find_deadlines(text, doc_date=DOC, exclude=[cited])
    assert [d.date for d in got] == ["2024-05-10"]


def test_results_are_in_text_order() -> None:
    text = "- hằng quý báo cáo; trước ngày 07/4/2024 đăng ký; chậm nhất ngày 05/9/2024 báo cáo kết quả."
    got = find_deadlines(text, doc_date=DOC, exclude=[])
    assert [d.start for d in got] == sorted(d.start for d in got)
    assert [d.kind for d in got] == ["recurring", "before", "by"]


def _seed_golds() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((SHARED / "corpus" / "seeds-gold").glob("*.json"))]


@pytest.mark.parametrize("gold", _seed_golds(), ids=lambda g: g["file"][:3])
def test_seed_deadline_dates_match_gold(gold: dict) -> None:
    """The multiset of deadline dates equals the gold one (score.py's deadlines_f1 = 1 per seed)."""
    text = (SHARED / "corpus" / "seeds" / gold["file"]).read_text(encoding="utf-8")
    doc_date = date.fromisoformat(gold["document"]["date"]) if gold["document"].get("date") else None
    got = Counter(d.date for d in find_deadlines(text, doc_date=doc_date, exclude=[]) if d.date)
    want = Counter(d["date"] for d in gold["deadlines"] if d.get("date"))
    assert got == want


def test_a_span_of_hours_on_one_day_is_that_days_event() -> None:
    text = "Lãnh đạo Sở Công Thương\nTừ 20 giờ 15 phút - 20 giờ 45 phút ngày 23 tháng 1\n"
    (d,) = find_deadlines(text, doc_date=date(2026, 1, 1), exclude=[])
    assert (d.kind, d.date, d.inferred_year) == ("on", "2026-01-23", True)


def test_years_in_a_completion_column_are_due_at_the_end_of_the_year() -> None:
    table = (
        "TT\nNội dung thực hiện\nCơ quan chủ trì\nThời gian hoàn thành\n"
        "1\nTổ chức lại Ban Chỉ huy\nSở Tài chính\nTrước ngày 30/11/2025\n"
        "2\nBan hành quy chế quản lý quỹ\nSở Tài chính\n2025\n"
        "3\nỨng dụng AI trong phổ biến pháp luật\nSở Tư pháp\nNăm 2026\n"
    )
    got = find_deadlines(table, doc_date=date(2025, 11, 18), exclude=[])
    assert [(d.kind, d.date) for d in got] == [("before", "2025-11-30"), ("by", "2025-12-31"), ("by", "2026-12-31")]
    # A year under "Thời gian thực hiện" is a span, not a due date (as with labels).
    assert find_deadlines(table.replace("hoàn thành", "thực hiện"), doc_date=date(2025, 11, 18), exclude=[])[1:] == ()


def test_counting_up_to_a_day_ahead_of_the_document_is_its_time_frame() -> None:
    text = "Phong trào thi đua trong năm 2026 và tính đến hết ngày 31/12/2026."
    (d,) = find_deadlines(text, doc_date=date(2026, 1, 1), exclude=[])
    assert (d.kind, d.date) == ("by", "2026-12-31")
    assert find_deadlines("Tính đến ngày 30/6/2025, toàn tỉnh có 120 hội", doc_date=date(2025, 7, 10), exclude=[]) == ()


def test_a_yearless_date_in_a_yearly_sentence_recurs() -> None:
    text = "Hàng năm, Quỹ có trách nhiệm công khai các khoản đóng góp trên\nphương tiện thông tin đại chúng trước ngày 31\ntháng 3."
    (d,) = find_deadlines(text, doc_date=date(2022, 3, 23), exclude=[])
    assert (d.kind, d.date) == ("recurring", None)


def test_a_draft_dated_by_month_and_year_gives_yearless_deadlines_their_year() -> None:
    from vanban.api import extract

    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số:      /KH-UBND\nLâm Đồng, ngày      tháng 01 năm 2026\nKẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2026\n"
        "I. MỤC ĐÍCH, YÊU CẦU\nCác sở báo cáo kết quả trước ngày 15 tháng 12.\n"
    )
    doc = extract(text.encode(), name="kh.txt")
    assert doc.document.date is None
    assert [(d.kind, d.date, d.inferred_year) for d in doc.deadlines] == [("before", "2026-12-15", True)]


# A deadline the plan sets before its own date is the plan's mistake: it stays a deadline, so that
# DL-PAST can report it; a narrated event or an old cut-off date is still no deadline.
@pytest.mark.parametrize(("text", "expected"), [
    ("Các phòng báo cáo kết quả về Văn phòng trước ngày 15/12/2023.", [("before", "2023-12-15")]),
    ("Hoàn thành việc rà soát chậm nhất ngày 10 tháng 01 năm 2024.", [("by", "2024-01-10")]),
    ("Các đơn vị tổng hợp, gửi Sở Nội vụ đến hết ngày 30/11/2023.", [("by", "2023-11-30")]),
    ("Ủy ban đã chỉ đạo hoàn thành việc cập nhật trước ngày 30/10/2023.", []),
    ("Cán bộ là người hoạt động cách mạng trước ngày 01/01/1945 được hưởng chế độ.", []),
    ("Do mưa lớn, từ ngày 17 đến ngày 20 tháng 11 năm 2023 tỉnh bị ngập.", []),
])
def test_a_deadline_set_before_the_document_date_is_kept(text: str, expected: list[tuple[str, str]]) -> None:
    got = find_deadlines(text, doc_date=DOC, exclude=[])
    assert [(d.kind, d.date) for d in got] == expected


def test_a_part_of_goals_for_a_year_is_due_by_its_end() -> None:
    (d,) = find_deadlines("2. Mục tiêu đến năm 2030\n- Hoàn thiện hạ tầng viễn thông.", doc_date=date(2025, 11, 24), exclude=[])
    assert (d.kind, d.date) == ("by", "2030-12-31")
    text = "gắn với Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030 của Thủ tướng Chính phủ"
    assert find_deadlines(text, doc_date=date(2025, 11, 24), exclude=[]) == ()
