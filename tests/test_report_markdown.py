"""`vanban check --format markdown`: structure, quotes, and escaping checked through a real
CommonMark renderer (markdown-it, which rich already depends on)."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from vanban.rules.report.markdown import escape, render

from tests.report_factories import document, finding, report, span


def _html(md: str) -> str:
    return MarkdownIt("commonmark").render(md)


def test_sections_per_severity_with_counts_and_numbered_findings() -> None:
    md = render(report())
    heads = re.findall(r"^## (.+)$", md, re.M)
    assert heads == ["Lỗi (3)", "Cảnh báo (2)", "Thông tin (1)", "Kiểm tra thủ công (1)", "Đã bỏ qua (2)"]
    numbered = re.findall(r"^### (\d+)\. `([A-Z-]+)`", md, re.M)
    assert [n for n, _ in numbered] == ["1", "2", "3", "4", "5", "6"]
    assert [r for _, r in numbered][:3] == ["HDR-MOTTO", "HDR-DATE", "CIT-DATE-FUTURE"]
    assert "- **Tổng hợp:** 3 lỗi, 2 cảnh báo, 1 thông tin" in md


def test_quote_emphasises_the_span_and_names_line_and_column() -> None:
    md = render(report())
    assert "> An Bình, ngày **31 tháng 4 năm 2024**" in md
    assert "> — dòng 3, cột 15" in md
    assert "<strong>31 tháng 4 năm 2024</strong>" in _html(md)


def test_absence_basis_and_suggestion() -> None:
    md = render(report())
    block = md.split("### 1.")[1].split("### 2.")[0]
    assert "*Không có vị trí trong văn bản (nội dung bị thiếu)*" in block
    assert "- **Căn cứ:** Nghị định 30/2020/NĐ-CP, Phụ lục I" in block
    assert "- **Gợi ý:** Thêm “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”." in block


def test_manual_checks_are_a_task_list() -> None:
    assert "- [ ] `MAN-SEAL` Kiểm tra dấu và chữ ký trên bản giấy" in render(report())


def test_document_text_and_messages_cannot_inject_markup() -> None:
    html = _html(render(report()))
    # The document's and the message's <script> are text, not tags.
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    # "*dấu sao*" in a message stays literal, no emphasis.
    assert "*dấu sao*" in html and "<em>dấu sao</em>" not in html


def test_line_start_markup_is_neutralised() -> None:
    text = "# không phải tiêu đề\n- không phải danh sách\n1. không phải số\n[x](http://a) <b>b</b> `c` & d\n"
    findings = tuple(
        finding("X", "warning", frag, text=text)
        for frag in ("không phải tiêu đề", "không phải danh sách", "không phải số", "b</b>")
    )
    html = _html(render(report(document=document(text), findings=findings, manual_checks=(), suppressed=())))
    assert "<h1>" not in html.split("</h1>", 1)[1]  # only the report's own title
    assert "<a href" not in html and "<code>c</code>" not in html and "<b>" not in html
    for frag in ("# <strong>không phải tiêu đề", "- <strong>không phải danh sách", "1. <strong>không phải số"):
        assert frag in html


def test_escape_keeps_plain_vietnamese_readable() -> None:
    assert escape("Số: 22/KH-UBND ngày 18/3/2024 (bản chính).") == "Số: 22/KH-UBND ngày 18/3/2024 (bản chính)."
    assert escape("a\nb") == "a b"


def test_rule_ids_with_backticks_stay_in_one_code_span() -> None:
    rep = report(findings=(finding("A`B", "info", "III"),), manual_checks=(), suppressed=())
    assert "<code>A`B</code>" in _html(render(rep))


def test_english() -> None:
    md = render(report(), lang="en")
    assert "# Document check report: ke-hoach.txt" in md
    assert "## Error (3)" in md and "## Manual checks (1)" in md
    assert "> — line 3, column 15" in md
    assert "No national motto" in md
    assert "- **Summary:** 3 errors, 2 warnings, 1 info" in md


def test_empty_report() -> None:
    md = render(report(findings=(), manual_checks=(), suppressed=()))
    assert "Không phát hiện vấn đề nào." in md and "## " not in md


def test_spans_are_those_of_the_findings() -> None:
    # Every bold quote in the report is exactly the text of its finding.
    rep = report()
    md = render(rep)
    bolds = re.findall(r"^> .*?\*\*(.+?)\*\*", md, re.M)
    texts = [rep.document.text[f.start:f.end] for f in sorted(rep.findings, key=lambda f: (
        {"error": 0, "warning": 1, "info": 2}[f.severity], f.start)) if f.end > f.start]
    unescaped = [re.sub(r"\\(.)", r"\1", b) for b in bolds]
    assert unescaped == texts
    assert span("III")[0] > 0
