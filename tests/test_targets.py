"""Targets: numbers phrased as commitments, each with the clause it belongs to."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from vanban.extractor.targets import find_targets

SHARED = Path(__file__).resolve().parents[2] / "shared"

# (text, [(kind, value, unit, text of the target)])
CASES = [
    (
        "Phân đấu cơ quan hoàn thành tốt nhiệm vụ; 100% cán bộ công chức nêu cao tinh thần trách nhiệm; rèn luyện.",
        [("percent", 100.0, "%", "100% cán bộ công chức nêu cao tinh thần trách nhiệm")],
    ),
    (
        "Có 100% cán bộ, công chức ký cam kết thực hiện tốt nhiệm vụ được giao; thực hiện tốt văn hóa công sở.",
        [("percent", 100.0, "%", "Có 100% cán bộ, công chức ký cam kết thực hiện tốt nhiệm vụ được giao")],
    ),
    (
        "- 100% văn bản quy phạm pháp luật được kiểm tra theo quy định.\n- Tối thiểu 98% hồ sơ được giải quyết đúng hạn.",
        [("percent", 100.0, "%", "100% văn bản quy phạm pháp luật được kiểm tra theo quy định"),
         ("percent", 98.0, "%", "Tối thiểu 98% hồ sơ được giải quyết đúng hạn")],
    ),
    (
        "Phấn đấu mức độ hài lòng đạt tối thiểu 90%, mức độ hài lòng lĩnh vực đất đai đạt tối thiểu 85%.",
        [("percent", 90.0, "%", "Phấn đấu mức độ hài lòng đạt tối thiểu 90%"),
         ("percent", 85.0, "%", "mức độ hài lòng lĩnh vực đất đai đạt tối thiểu 85%")],
    ),
    (
        "Có tỷ lệ cử tri đi bầu cử đạt từ 98% trở lên.",
        [("percent", 98.0, "%", "Có tỷ lệ cử tri đi bầu cử đạt từ 98% trở lên")],
    ),
    (
        "- Yêu cầu các chi bộ lựa chọn ít nhất 01 mô hình “Dân vận khéo”, đăng ký thực hiện.",
        [("count", 1.0, "mô hình", "Yêu cầu các chi bộ lựa chọn ít nhất 01 mô hình “Dân vận khéo”, đăng ký thực hiện")],
    ),
    (
        "Mỗi xã xây dựng 01 mô hình điểm về dân vận khéo.",
        [("count", 1.0, "mô hình", "Mỗi xã xây dựng 01 mô hình điểm về dân vận khéo")],
    ),
    (
        "Phấn đấu mỗi năm tổ chức đấu giá từ 05 mỏ khoáng sản trở lên.",
        [("count", 5.0, "mỏ", "Phấn đấu mỗi năm tổ chức đấu giá từ 05 mỏ khoáng sản trở lên")],
    ),
    (
        "Năm 2024, phấn đấu giữ vững mức xếp hạng 02/19 xã (hoàn thành tốt nhiệm vụ).",
        [("rank", 2.0, None, "Năm 2024, phấn đấu giữ vững mức xếp hạng 02/19 xã (hoàn thành tốt nhiệm vụ)")],
    ),
    (
        "Nâng cao chất lượng “Chính quyền thân thiện” phường đảm bảo đến hết năm 2024 đạt chuẩn 4 sao.",
        [("level", 4.0, "sao", "Nâng cao chất lượng “Chính quyền thân thiện” phường đảm bảo đến hết năm 2024 đạt chuẩn 4 sao")],
    ),
    (
        "- Tại địa bàn đô thị: 100% trẻ\nem trong cơ sở giáo dục được chăm sóc an toàn.",
        [("percent", 100.0, "%", "Tại địa bàn đô thị: 100% trẻ\nem trong cơ sở giáo dục được chăm sóc an toàn")],
    ),
]

NOT_TARGETS = [
    "Tỷ lệ số hóa hồ sơ đã đạt 82%, tăng 5% so với cùng kỳ.",  # a reported result
    "Tổng thu ngân sách ước đạt 101,28% dự toán.",
    "- Tỷ lệ = b/a * 100%",  # a formula
    "92,56%",  # a table cell of results
    "Số đơn vị tự bảo đảm dưới 30% chi thường xuyên là 29 đơn vị.",
    "Năm 2023 được UBND huyện thẩm định 85,50 điểm, đứng thứ hạng 02/19.",  # a past rank
    "Kế hoạch số 22/KH-UBND ngày 29/01/2024; kinh phí 150.000.000 đồng.",  # symbols, dates, money
    "trong thời hạn ít nhất 05 ngày làm việc",  # a time limit, not a count target
    "Văn phòng UBND tỉnh mỗi đơn vị đề nghị không quá 02 tập thể, 05 cá nhân",  # a quota to stay under
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:30] for c in CASES])
def test_construction(text: str, expected: list[tuple]) -> None:
    got = find_targets(text, exclude=[])
    assert [(t.kind, t.value, t.unit, t.text) for t in got] == expected
    for t in got:
        assert text[t.start:t.end] == t.text


@pytest.mark.parametrize("text", NOT_TARGETS)
def test_not_targets(text: str) -> None:
    assert find_targets(text, exclude=[]) == ()


def test_excluded_spans_are_skipped() -> None:
    text = "Thực hiện Đề án “Đầu tư xây dựng ít nhất 01 trường mầm non”; phấn đấu 100% xã có nhóm trẻ."
    cited = (0, text.index(";"))
    got = find_targets(text, exclude=[cited])
    assert [t.value for t in got] == [100.0]


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", s).strip().casefold()


def _seed_golds() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((SHARED / "corpus" / "seeds-gold").glob("*.json"))]


@pytest.mark.parametrize("gold", _seed_golds(), ids=lambda g: g["file"][:3])
def test_seed_targets(gold: dict) -> None:
    """score.py: every gold key phrase is inside some target, and every target holds some key phrase."""
    text = (SHARED / "corpus" / "seeds" / gold["file"]).read_text(encoding="utf-8")
    out = [fold(t.text) for t in find_targets(text, exclude=[])]
    keys = [fold(t["contains"]) for t in gold["targets"]]
    assert [k for k in keys if not any(k in o for o in out)] == []
    assert [o for o in out if not any(k in o for k in keys)] == []


def test_a_rank_group_is_a_target_when_the_clause_commits_to_it() -> None:
    text = ("1. Phấn đấu kết quả đánh giá các Chỉ số PAR Index, SIPAS, PAPI năm 2026 của tỉnh Lâm Đồng nằm "
            "trong nhóm 15 tỉnh, thành phố dẫn đầu cả nước.")
    (t,) = find_targets(text, exclude=[])
    assert (t.kind, t.value) == ("rank", 15.0)
    assert find_targets("Năm 2024 tỉnh đứng trong nhóm 10 tỉnh có chỉ số cao nhất", exclude=[]) == ()
