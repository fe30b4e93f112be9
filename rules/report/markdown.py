"""`vanban check --format markdown`: a report to paste into an issue, a wiki or an e-mail.

Document text and messages are escaped so that a ``*``, ``_``, ``<`` or ``[`` in a Vietnamese
document shows as written instead of turning into emphasis, links or raw HTML.
"""

from __future__ import annotations

import re
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
    from vanban.rules.model import CheckReport, Finding

# Characters that start inline markup anywhere in a line: code, emphasis, links, raw HTML,
# entities, table cells, strikethrough. Escaping only these keeps the Markdown source readable.
_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# Markup that only counts at the start of a line: headings, quotes, lists, rules.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def _escape_line_start(m: re.Match[str]) -> str:
    lead, marker = m.group(1), m.group(2)
    return f"{lead}{marker[:-1]}\\{marker[-1]}"


def escape(text: str) -> str:
    """Escape ``text`` for inline Markdown; line breaks become spaces."""
    text = " ".join(text.replace("\r", "").split("\n"))
    return _LINE_START.sub(_escape_line_start, _INLINE.sub(r"\\\1", text))


def _code(text: str) -> str:
    """An inline code span that survives backticks inside ``text``."""
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render(report: CheckReport, *, lang: str = "vi") -> str:
    check_lang(lang)
    doc = report.document
    lines = LineIndex(doc.text)
    out: list[str] = [f"# {escape(label('title', lang))}: {escape(source_name(report))}", ""]
    out.append(f"- **{label('document', lang)}:** {escape(describe(report, lang))}")
    if doc.document.title:
        out.append(f"- **{label('doc_title', lang)}:** {escape(doc.document.title)}")
    if report.packs:
        out.append(f"- **{label('packs', lang)}:** {escape(', '.join(report.packs))}")
    for key, value in report.evidence.items():
        out.append(f"- **{label('notes', lang)}:** {escape(key)}: {escape(value)}")
    out.append(f"- **{label('summary', lang)}:** {escape(summary_line(report, lang))}")
    out.append("")

    if not report.findings:
        out += [escape(label("no_findings", lang)), ""]
    number = 0
    for severity, findings in grouped(report.findings):
        out += [f"## {label(severity, lang)} ({len(findings)})", ""]
        for f in findings:
            number += 1
            out += _finding(f, number, lines, lang)

    if report.manual_checks:
        out += [f"## {label('manual', lang)} ({len(report.manual_checks)})", ""]
        for f in report.manual_checks:
            out.append(f"- [ ] {_code(f.rule)} {escape(message(f, lang))}")
            for name, note in (("basis", f.basis), ("suggestion", f.suggestion)):
                if note:
                    out.append(f"  - *{label(name, lang)}:* {escape(note)}")
        out.append("")

    if report.suppressed:
        out += [f"## {label('suppressed', lang)} ({len(report.suppressed)})", ""]
        for s in report.suppressed:
            subject = f" ({escape(s.subject)})" if s.subject else ""
            out.append(f"- {_code(s.rule)}{subject}: {escape(s.reason)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _finding(f: Finding, number: int, lines: LineIndex, lang: str) -> list[str]:
    out = [f"### {number}. {_code(f.rule)} {escape(message(f, lang))}", ""]
    excerpt = lines.excerpt(f.start, f.end)
    if excerpt is None:
        out.append(f"*{escape(label('no_location', lang))}*")
    else:
        quote = (
            ("…" if excerpt.cut_left else "")
            + escape(excerpt.before)
            + f"**{escape(excerpt.span).strip()}**"
            + escape(excerpt.after)
            + ("…" if excerpt.cut_right or excerpt.continues else "")
        )
        out.append(f"> {quote}")
        out.append(">")
        out.append(f"> — {label('line', lang)} {excerpt.line}, {label('column', lang)} {excerpt.column}")
    out.append("")
    notes = [(k, v) for k, v in (("basis", f.basis), ("suggestion", f.suggestion)) if v]
    for key, value in notes:
        out.append(f"- **{label(key, lang)}:** {escape(value)}")
    if notes:
        out.append("")
    return out
