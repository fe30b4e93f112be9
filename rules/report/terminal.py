"""`vanban check` on a terminal: findings by severity, each with the line of text it is about.

Every piece of document text goes through ``rich.text.Text`` objects, never console markup, so
a document that contains ``[bold]`` or ``[/]`` prints as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vanban.rules.report import (
    LineIndex,
    check_lang,
    describe,
    grouped,
    label,
    message,
    source_name,
    summary_line,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text
    from vanban.rules.model import CheckReport, Finding

SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
SEVERITY_MARK = {"error": "✖", "warning": "▲", "info": "●"}
INDENT = "    "


def render(report: CheckReport, console: Console, *, lang: str = "vi") -> None:
    """Print ``report`` on ``console``; colours only where the console has them, carets under
    the quoted span where it has none."""
    from rich.text import Text

    check_lang(lang)
    plain = console.color_system is None
    doc = report.document
    lines = LineIndex(doc.text)

    title = Text()
    title.append("vanban check", style="bold")
    title.append("  ")
    title.append(source_name(report), style="bold underline")
    console.print(title)
    console.print(Text(describe(report, lang), style="dim"))
    if doc.document.title:
        console.print(Text(doc.document.title, style="dim italic"))
    if report.packs:
        console.print(Text(f"{label('packs', lang)}: {', '.join(report.packs)}", style="dim"))
    for key, value in report.evidence.items():
        console.print(Text(f"{label('notes', lang)}: {key}: {value}", style="dim"))
    console.print()

    if not report.findings:
        console.print(Text(label("no_findings", lang), style="bold green"))
    for severity, findings in grouped(report.findings):
        heading = Text()
        heading.append(f"{label(severity, lang).upper()} ({len(findings)})", style=SEVERITY_STYLE[severity])
        console.print(heading)
        for f in findings:
            _print_finding(console, f, lines, lang, plain=plain)
        console.print()

    if report.manual_checks:
        console.print(Text(f"{label('manual', lang)} ({len(report.manual_checks)})", style="bold magenta"))
        for f in report.manual_checks:
            line = Text(f.rule, style="magenta")
            line.append("  ")
            line.append(message(f, lang))
            _hanging(console, Text(" ☐ "), line)
            _print_notes(console, f, lang)
        console.print()

    if report.suppressed:
        console.print(
            Text(label("suppressed_count", lang).format(n=len(report.suppressed)), style="dim")
        )
        for s in report.suppressed[:10]:
            row = Text(f"{INDENT}{s.rule}", style="dim")
            if s.subject:
                row.append(f" ({s.subject})", style="dim")
            row.append(f": {s.reason}", style="dim")
            console.print(row)
        if len(report.suppressed) > 10:
            console.print(Text(f"{INDENT}…", style="dim"))
        console.print()

    console.print(_summary(report, lang))


def _print_finding(console: Console, f: Finding, lines: LineIndex, lang: str, *, plain: bool) -> None:
    from rich.text import Text

    mark = Text(f" {SEVERITY_MARK.get(f.severity, '•')} ", style=SEVERITY_STYLE.get(f.severity, "bold"))
    head = Text(f.rule, style=SEVERITY_STYLE.get(f.severity, "bold"))
    head.append("  ")
    head.append(message(f, lang))
    excerpt = lines.excerpt(f.start, f.end, width=max(40, min(120, console.width - 16)))
    if excerpt is not None:
        head.append(f"  ({label('line', lang)} {excerpt.line})", style="dim")
    _hanging(console, mark, head)

    if excerpt is None:
        _indented(console, Text(label("no_location", lang), style="dim italic"))
    else:
        gutter = f"{INDENT}{excerpt.line:>4} │ "
        quote = Text(gutter, style="dim")
        if excerpt.cut_left:
            quote.append("…", style="dim")
        quote.append(excerpt.before)
        quote.append(excerpt.span, style=f"{SEVERITY_STYLE.get(f.severity, 'bold')} underline")
        quote.append(excerpt.after)
        if excerpt.cut_right or excerpt.continues:
            quote.append("…", style="dim")
        console.print(quote, overflow="fold", no_wrap=False)
        if plain:
            offset = len(gutter) + (1 if excerpt.cut_left else 0) + len(excerpt.before)
            console.print(Text(" " * offset + "^" * max(1, len(excerpt.span))), no_wrap=True, crop=True)
    _print_notes(console, f, lang)


def _print_notes(console: Console, f: Finding, lang: str) -> None:
    from rich.text import Text

    for key, value in (("basis", f.basis), ("suggestion", f.suggestion)):
        if value:
            note = Text(f"{label(key, lang)}: ", style="bold dim" if key == "basis" else "bold green")
            note.append(value, style="dim" if key == "basis" else "")
            _indented(console, note)


def _indented(console: Console, text: Text) -> None:
    """Print with every wrapped line under the first, not at the margin."""
    from rich.text import Text

    _hanging(console, Text(INDENT), text)


def _hanging(console: Console, marker: Text, body: Text) -> None:
    from rich.text import Text

    pad = Text(" " * marker.cell_len)
    for i, line in enumerate(body.wrap(console, max(20, console.width - marker.cell_len))):
        line.rstrip()
        console.print(Text.assemble(marker if i == 0 else pad, line), no_wrap=True, crop=False)


def _summary(report: CheckReport, lang: str) -> Text:
    from rich.text import Text

    counts = report.summary()
    text = Text()
    parts = summary_line(report, lang).split(", ")
    for i, (severity, part) in enumerate(zip(("error", "warning", "info"), parts, strict=True)):
        if i:
            text.append(", ")
        text.append(part, style=SEVERITY_STYLE[severity] if counts[severity] else "dim")
    return text
