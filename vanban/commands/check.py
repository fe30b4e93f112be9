"""`vanban check FILE… [--format terminal|json|jsonl|md|html] [--rules PACK]… [--fail-on LEVEL]`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from vanban.rules.model import CheckReport


class CheckFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    jsonl = "jsonl"
    md = "md"
    html = "html"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Lang(StrEnum):
    vi = "vi"
    en = "en"


_RANK = {"info": 0, "warning": 1, "error": 2}


def _usage(message: str) -> typer.Exit:
    print(f"vanban: {message}", file=sys.stderr)
    return typer.Exit(2)


def _parse_severities(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        rule, sep, level = pair.partition("=")
        if not sep or not rule.strip() or not level.strip():
            raise _usage(f"--severity cần dạng QUY-TẮC=mức, ví dụ SEC-ORDER=info (got {pair!r})")
        out[rule.strip()] = level.strip()
    return out


def check_cli(
    files: Annotated[list[Path], typer.Argument(help="Tệp .txt/.md/.docx/.pdf/.doc cần kiểm tra (files to check)")],
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="terminal | json | jsonl | md | html")] = CheckFormat.terminal,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Ghi báo cáo vào tệp (a directory for several HTML reports)")] = None,
    annotate: Annotated[Path | None, typer.Option("--annotate", help="Ghi bản .docx có nhận xét (OUT.docx; a directory for several files)")] = None,
    rules: Annotated[list[str] | None, typer.Option("--rules", "-r", help="Gói quy tắc thêm (YAML) hoặc tên gói có sẵn: party, state")] = None,
    disable: Annotated[list[str] | None, typer.Option("--disable", help="Tắt quy tắc (rule id), lặp lại được")] = None,
    severity: Annotated[list[str] | None, typer.Option("--severity", help="Đổi mức độ: RULE=error|warning|info")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Mã thoát 1 khi có phát hiện từ mức này (error|warning|info|never)")] = FailOn.error,
    lang: Annotated[Lang, typer.Option("--lang", help="Ngôn ngữ báo cáo: vi | en")] = Lang.vi,
    ocr: Annotated[bool, typer.Option(help="OCR scanned PDFs with Tesseract (vie)")] = False,
) -> None:
    """Kiểm tra thể thức và nội dung kế hoạch (check plans against the rule packs).

    Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 on bad usage or an
    unreadable input (the other files are still checked).
    """
    from vanban.api import extract
    from vanban.extractor.errors import VanbanError
    from vanban.rules.engine import check, validate_options
    from vanban.rules.packs import build_ruleset, read_pack

    packs: list[str | Path] = [Path(r) if Path(r).suffix else r for r in (rules or [])]
    severities = _parse_severities(severity or [])
    disabled = list(disable or [])
    try:
        ruleset = build_ruleset([p for p in packs if isinstance(p, Path)])
        for name in (p for p in packs if not isinstance(p, Path)):
            read_pack(name)  # a built-in pack named by mistake fails here, once, with the list of names
        validate_options(ruleset, disabled, severities)
    except VanbanError as err:
        raise _usage(f"{err.code} {err}") from None

    if fmt is CheckFormat.json and len(files) > 1:
        fmt = CheckFormat.jsonl
    renderer = _renderer(fmt)
    if fmt is CheckFormat.html and len(files) > 1 and (output is None or output.suffix):
        raise _usage("nhiều tệp với --format html cần --output là một thư mục (several HTML reports need "
                     "--output DIR)")
    if annotate is not None and len(files) > 1 and annotate.suffix:
        raise _usage("--annotate với nhiều tệp cần một thư mục (several files need --annotate DIR)")

    reports: list[CheckReport] = []
    failed = 0
    lines: list[str] = []
    for path in files:
        try:
            doc = extract(path, ocr=ocr)
            report = check(doc, packs=packs, disable=disabled, severity=severities, lang=lang.value)
        except VanbanError as err:
            failed += 1
            if fmt is CheckFormat.jsonl:
                line = json.dumps({"source": {"path": str(path)}, "error": err.to_dict()}, ensure_ascii=False)
                lines.append(line)
                if output is None:
                    print(line, flush=True)
            print(f"vanban: {err.code} {err}", file=sys.stderr)
            continue
        reports.append(report)
        if fmt is CheckFormat.jsonl:
            line = json.dumps(report.to_dict(), ensure_ascii=False)
            lines.append(line)
            if output is None:
                print(line, flush=True)
        if annotate is not None:
            try:
                _annotate(report, path, annotate, len(files) > 1, lang.value)
            except VanbanError as err:
                failed += 1
                print(f"vanban: {err.code} {err}", file=sys.stderr)

    if fmt is CheckFormat.jsonl:
        if output is not None:
            _write(output, "\n".join(lines) + ("\n" if lines else ""))
    elif fmt is CheckFormat.json:
        if reports:
            _emit(output, json.dumps(reports[0].to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif fmt is CheckFormat.terminal:
        _terminal(renderer, reports, output, lang.value)
    elif fmt is CheckFormat.md:
        text = "\n\n---\n\n".join(renderer(r, lang=lang.value) for r in reports)
        if text:
            _emit(output, text if text.endswith("\n") else text + "\n")
    elif fmt is CheckFormat.html:
        if len(files) > 1:
            assert output is not None
            output.mkdir(parents=True, exist_ok=True)
            for r in reports:
                stem = Path(r.document.source.path or "report").stem
                _write(output / f"{stem}.html", renderer(r, lang=lang.value))
        elif reports:
            _emit(output, renderer(reports[0], lang=lang.value))

    if failed:
        raise typer.Exit(2)
    if fail_on is not FailOn.never:
        floor = _RANK[fail_on.value]
        if any(_RANK[f.severity] >= floor for r in reports for f in r.findings):
            raise typer.Exit(1)


def _renderer(fmt: CheckFormat) -> Any:
    """The report module's render function for ``fmt``; a clear usage error when it is not installed."""
    import importlib

    module = {CheckFormat.terminal: "terminal", CheckFormat.md: "markdown", CheckFormat.html: "html"}.get(fmt)
    if module is None:
        return None
    try:
        return importlib.import_module(f"vanban.rules.report.{module}").render
    except (ModuleNotFoundError, AttributeError):
        raise _usage(f"định dạng {fmt.value} chưa có trong bản cài đặt này (format {fmt.value} is unavailable); "
                     "dùng --format json hoặc jsonl") from None


def _terminal(render: Any, reports: list[CheckReport], output: Path | None, lang: str) -> None:
    from rich.console import Console

    if output is None:
        console = Console()
        for i, r in enumerate(reports):
            if i:
                console.print()
            render(r, console, lang=lang)
        return
    with output.open("w", encoding="utf-8") as fh:
        console = Console(file=fh, color_system=None, width=120)
        for i, r in enumerate(reports):
            if i:
                console.print()
            render(r, console, lang=lang)


def _annotate(report: CheckReport, source: Path, target: Path, many: bool, lang: str) -> None:
    import importlib

    try:
        annotate = importlib.import_module("vanban.rules.report.docx").annotate
    except (ModuleNotFoundError, AttributeError):
        raise _usage("ghi nhận xét vào .docx chưa có trong bản cài đặt này (--annotate is unavailable)") from None
    out = target / f"{source.stem}.checked.docx" if many else target
    if many:
        target.mkdir(parents=True, exist_ok=True)
    annotate(report, source, out, lang=lang)


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise _usage(f"{path}: không ghi được ({err.strerror})") from None


def _emit(output: Path | None, text: str) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        _write(output, text)


def register(app: typer.Typer) -> None:
    app.command("check")(check_cli)
