"""`vanban check` on a terminal: grouping, quoted lines, manual checks, summary, both languages."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from vanban.extractor.errors import UsageError
from vanban.rules.report import LineIndex, summary_line
from vanban.rules.report.terminal import render

from tests.report_factories import TEXT, document, finding, report, span


def _plain(rep, *, lang: str = "vi", width: int = 120) -> str:
    out = io.StringIO()
    render(rep, Console(file=out, width=width, color_system=None), lang=lang)
    return out.getvalue()


def test_findings_are_grouped_by_severity_most_severe_first() -> None:
    out = _plain(report())
    lines = out.splitlines()
    heads = [i for i, line in enumerate(lines) if line.startswith(("LỖI (", "CẢNH BÁO (", "THÔNG TIN ("))]
    assert [lines[i] for i in heads] == ["LỖI (3)", "CẢNH BÁO (2)", "THÔNG TIN (1)"]
    # Each rule sits under its own severity.
    where = {rule: next(i for i, line in enumerate(lines) if rule in line)
             for rule in ("HDR-DATE", "CIT-INCOMPLETE", "TXT-MARKUP")}
    assert heads[0] < where["HDR-DATE"] < heads[1] < where["CIT-INCOMPLETE"] < heads[2] < where["TXT-MARKUP"]


def test_summary_line_is_last_and_counts_each_severity() -> None:
    out = _plain(report())
    assert out.rstrip().splitlines()[-1] == "3 lỗi, 2 cảnh báo, 1 thông tin"
    assert _plain(report(), lang="en").rstrip().splitlines()[-1] == "3 errors, 2 warnings, 1 info"


def test_english_pluralises() -> None:
    rep = report(findings=(finding("HDR-DATE", "error", "31 tháng 4"),))
    assert summary_line(rep, "en") == "1 error, 0 warnings, 0 info"


def test_quoted_line_with_carets_under_the_span() -> None:
    out = _plain(report())
    lines = out.splitlines()
    i = next(i for i, line in enumerate(lines) if line.rstrip().endswith("An Bình, ngày 31 tháng 4 năm 2024"))
    quote, carets = lines[i], lines[i + 1]
    assert "3 │" in quote  # line number of the date line
    col = quote.index("31 tháng 4")
    assert carets[col:].rstrip() == "^" * len("31 tháng 4 năm 2024")
    assert carets[:col].strip() == ""


def test_rule_message_basis_suggestion_and_absence() -> None:
    out = _plain(report())
    assert "HDR-MOTTO  Thiếu Quốc hiệu và Tiêu ngữ" in out
    assert "Không có vị trí trong văn bản" in out
    assert "Căn cứ: Nghị định 30/2020/NĐ-CP, Phụ lục I" in out
    assert "Gợi ý: Thêm “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”." in out
    assert "(dòng 9)" in out  # SEC-NUMBERING on "III."


def test_manual_checks_and_suppressed_are_listed() -> None:
    out = _plain(report())
    assert "Kiểm tra thủ công (1)" in out
    assert "MAN-SEAL  Kiểm tra dấu và chữ ký trên bản giấy" in out
    assert "2 phát hiện đã bỏ qua theo cấu hình" in out
    assert "CIT-UNKNOWN (12/QĐ-UBND): đã biết" in out


def test_english_labels_and_messages() -> None:
    out = _plain(report(), lang="en")
    assert "ERROR (3)" in out and "WARNING (2)" in out and "INFO (1)" in out
    assert "No national motto" in out and "Thiếu Quốc hiệu" not in out
    assert "Manual checks (1)" in out
    assert "Check the seal and signature on paper" in out
    # A finding without an English text falls back to Vietnamese rather than vanishing.
    assert "Thiếu trích yếu của văn bản được dẫn" in out
    assert "Basis: " in out and "Suggestion: " in out


def test_document_text_is_never_console_markup() -> None:
    text = "Ghi chú [bold red]không phải markup[/] và [link=x]y[/link]\n"
    start, end = span("[bold red]không", text)
    rep = report(document=document(text), findings=(
        finding("X", "warning", (start, end), text=text, message="thông điệp [/] [red]"),
    ), manual_checks=(), suppressed=())
    out = _plain(rep)
    assert "[bold red]không phải markup[/]" in out
    assert "thông điệp [/] [red]" in out


def test_colours_emphasise_the_span_on_a_colour_terminal() -> None:
    out = io.StringIO()
    render(report(), Console(file=out, width=120, force_terminal=True, color_system="truecolor"))
    value = out.getvalue()
    assert "\x1b[" in value
    i = value.index("31 tháng 4 năm 2024")
    assert value[i - 30 : i].count("\x1b[") >= 1  # styled, not plain
    assert "^^^" not in value  # carets only where there are no colours


def test_long_lines_are_trimmed_around_the_span() -> None:
    text = "Mở đầu. " + "chữ " * 100 + "ĐÂY LÀ CHỖ SAI" + " đuôi" * 100 + "\n"
    rep = report(document=document(text), findings=(finding("X", "error", "ĐÂY LÀ CHỖ SAI", text=text),),
                 manual_checks=(), suppressed=())
    out = _plain(rep, width=140)
    quote = next(line for line in out.splitlines() if "ĐÂY LÀ CHỖ SAI" in line and "│" in line)
    body = quote.split("│", 1)[1]
    assert len(body) <= 125
    assert body.strip().startswith("…") and body.rstrip().endswith("…")


def test_no_findings() -> None:
    out = _plain(report(findings=(), manual_checks=(), suppressed=()))
    assert "Không phát hiện vấn đề nào." in out
    assert out.rstrip().endswith("0 lỗi, 0 cảnh báo, 0 thông tin")


def test_unknown_language_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        _plain(report(), lang="fr")


# --------------------------------------------------------------------------- excerpts


def test_excerpt_of_a_span_running_over_lines() -> None:
    lines = LineIndex(TEXT)
    start = TEXT.index("I. MỤC ĐÍCH")
    ex = lines.excerpt(start, TEXT.index("III.") + 4)
    assert ex is not None
    assert ex.span == "I. MỤC ĐÍCH, YÊU CẦU" and ex.continues and ex.line == 7 and ex.column == 1


def test_excerpt_skips_leading_line_breaks_and_rejects_empty_spans() -> None:
    lines = LineIndex("một\n\nhai ba\n")
    ex = lines.excerpt(3, 8)
    assert ex is not None and ex.span == "hai" and ex.line == 3
    assert lines.excerpt(4, 4) is None
    assert lines.excerpt(500, 600) is None  # past the end: clamped to nothing


def test_excerpt_of_a_very_long_span_is_cut() -> None:
    text = "x" * 500
    ex = LineIndex(text).excerpt(10, 400, width=80)
    assert ex is not None and len(ex.span) < 80 and ex.cut_right and ex.cut_left


def test_manual_check_messages_do_not_repeat_the_heading() -> None:
    manual = finding("MAN-SEAL", "info", None, message="Kiểm tra thủ công: dấu của cơ quan trùm lên chữ ký.",
                     manual=True)
    out = _plain(report(manual_checks=(manual,)))
    assert "MAN-SEAL  Dấu của cơ quan trùm lên chữ ký." in out
    assert out.count("Kiểm tra thủ công") == 1  # the heading only


def test_renderer_modules_import_nothing_heavy() -> None:
    import subprocess
    import sys
    import tempfile

    code = (
        "import sys\n"
        "import vanban.rules.report, vanban.rules.report.terminal, vanban.rules.report.markdown\n"
        "import vanban.rules.report.html, vanban.rules.report.docx\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tempfile.gettempdir())
    loaded = set(out.stdout.split())
    assert not loaded & {"rich", "jinja2", "markupsafe", "docx", "lxml"}, loaded
