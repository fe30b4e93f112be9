"""`vanban check --format html`: one self-contained page (no external assets) with the document
text, every finding highlighted at its span, the list of findings beside it and what vanban
extracted.

Safety: the page is rendered by Jinja2 with autoescaping on, and the highlighted text is built
here from ``html.escape``d pieces; a document containing ``<script>`` shows it as text. The only
script and style are inline and allowed by their SHA-256 hashes in a Content-Security-Policy
``<meta>``, so nothing injected could run even if escaping failed.

Highlights: each finding with a non-empty span gets exactly one ``<mark id="fN">`` (N is its
1-based position in ``report.findings``). Spans that cross each other are split: the pieces
after the first carry ``data-f="fN"`` instead of the id, so ids stay unique and the text of the
pane is exactly the document text (offsets in the page match offsets in the JSON).

Reuse (the web app): ``context()`` gives the template's data, ``highlight()`` the document pane,
``assets()`` the CSS and JS, ``csp()`` the matching policy; ``templates/report.html.j2`` is the
page and can be extended or included.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.rules.report import (
    SEVERITIES,
    LineIndex,
    check_lang,
    clamp,
    describe,
    format_date,
    label,
    message,
    order_key,
    source_name,
    summary_line,
)

if TYPE_CHECKING:
    from markupsafe import Markup
    from vanban.extractor.model import ExtractedDocument, Section
    from vanban.rules.model import CheckReport, Finding

TEMPLATES = Path(__file__).parent / "templates"


def finding_id(index: int) -> str:
    """The element id of ``report.findings[index]`` in the page."""
    return f"f{index + 1}"


def render(report: CheckReport, *, lang: str = "vi") -> str:
    """The whole page as one string."""
    check_lang(lang)
    css, js = assets()
    env = _environment()
    return env.get_template("report.html.j2").render(
        **context(report, lang=lang), css=_markup(css), js=_markup(js), csp=csp(css, js)
    )


def assets() -> tuple[str, str]:
    """The page's inline CSS and JavaScript, for pages that embed the report (the web app)."""
    return _asset("report.css"), _asset("report.js")


def csp(css: str, js: str) -> str:
    """A policy that runs only the given inline style and script and loads nothing."""
    return (
        "default-src 'none'; "
        f"style-src '{_sha256(css)}'; script-src '{_sha256(js)}'; "
        "base-uri 'none'; form-action 'none'"
    )


def highlight(text: str, findings: Sequence[Finding], ids: Sequence[str] | None = None) -> Markup:
    """``text`` escaped, with one ``<mark>`` per finding that has a non-empty span.

    Marks are opened longest-first so that contained spans nest; a span that crosses the end of
    an open one closes and reopens it as a continuation piece (``data-f``).
    """
    from markupsafe import Markup

    ids = list(ids) if ids is not None else [finding_id(i) for i in range(len(findings))]
    items: list[tuple[int, int, str, Finding]] = []
    for f, fid in zip(findings, ids, strict=True):
        start, end = clamp(f.start, f.end, len(text))
        if end > start:
            items.append((start, end, fid, f))
    opening: dict[int, list[tuple[int, int, str, Finding]]] = {}
    for item in items:
        opening.setdefault(item[0], []).append(item)
    points = sorted({0, len(text)} | {i[0] for i in items} | {i[1] for i in items})

    out: list[str] = []
    stack: list[tuple[int, int, str, Finding]] = []
    for n, pos in enumerate(points):
        reopen: list[tuple[int, int, str, Finding]] = []
        first_closing = next((k for k, item in enumerate(stack) if item[1] == pos), None)
        if first_closing is not None:
            out.append("</mark>" * (len(stack) - first_closing))
            reopen = [item for item in stack[first_closing:] if item[1] != pos]
            del stack[first_closing:]
        todo = [(item, True) for item in reopen] + [(item, False) for item in opening.get(pos, ())]
        # Longest first, so the shorter spans that start here nest inside the longer ones.
        for item, continued in sorted(todo, key=lambda t: -t[0][1]):
            out.append(_open_mark(item[3], item[2], continued))
            stack.append(item)
        if n + 1 < len(points):
            out.append(_escape_text(text[pos : points[n + 1]]))
    return Markup("".join(out))


def context(report: CheckReport, *, lang: str = "vi") -> dict[str, Any]:
    """Everything the template shows; plain strings, escaped by the template."""
    doc = report.document
    lines = LineIndex(doc.text)
    ids = [finding_id(i) for i in range(len(report.findings))]
    order = sorted(range(len(report.findings)), key=lambda i: order_key(report.findings[i]))
    counts = report.summary()
    return {
        "lang": lang,
        "L": {key: label(key, lang) for key in _LABEL_KEYS},
        "version": _version(),
        "name": source_name(report),
        "describe": describe(report, lang),
        "title": doc.document.title,
        "summary": summary_line(report, lang),
        "chips": [
            {"severity": s, "count": counts[s], "label": label(s, lang).lower()} for s in SEVERITIES
        ],
        "highlighted": highlight(doc.text, report.findings, ids),
        "findings": [_finding_row(report.findings[i], ids[i], lines, lang) for i in order],
        "manual": [_finding_row(f, "", lines, lang) for f in report.manual_checks],
        "suppressed": report.suppressed,
        "suppressed_line": label("suppressed_count", lang).format(n=len(report.suppressed)),
        "fields": _fields(doc, lang),
        "sections": [_section(s, lang) for s in doc.sections],
        "section_count": len(doc.all_sections()),
        "entities": _entities(doc, lang),
        "packs": ", ".join(report.packs),
        "evidence": list(report.evidence.items()),
    }


_LABEL_KEYS = (
    "title", "findings", "basis", "suggestion", "manual", "line", "no_location", "no_findings",
    "packs", "document", "extracted", "text", "filter", "sections", "none", "inferred",
    "generated_by", "invalid",
)


def _finding_row(f: Finding, fid: str, lines: LineIndex, lang: str) -> dict[str, Any]:
    excerpt = lines.excerpt(f.start, f.end, width=160)
    start, end = clamp(f.start, f.end, len(lines.text))
    return {
        "id": fid,
        "severity": f.severity,
        "severity_label": label(f.severity, lang),
        "rule": f.rule,
        "message": message(f, lang),
        "subject": f.subject,
        "basis": f.basis,
        "suggestion": f.suggestion,
        "located": excerpt is not None,
        "line": excerpt.line if excerpt else None,
        "quote": excerpt.span + ("…" if excerpt.continues or excerpt.cut_right else "") if excerpt else None,
        "spans": f"{start}-{end}" if end > start else "",
    }


def _fields(doc: ExtractedDocument, lang: str) -> list[dict[str, Any]]:
    head = doc.document
    inferred = set(head.inferred)

    def spans(*items: Any) -> str:
        return " ".join(f"{s.start}-{s.end}" for s in items if s is not None and s.end > s.start)

    rows: list[dict[str, Any]] = [
        {"label": label("family", lang), "value": label(f"family.{head.family}", lang), "spans": ""},
        {"label": label("type", lang), "value": head.type, "spans": spans(head.type_span), "key": "type"},
        {"label": label("symbol", lang), "value": head.symbol or head.number, "spans": spans(head.number_span),
         "key": "symbol"},
        {"label": label("date", lang), "value": format_date(head.date, lang), "spans": spans(head.date_span),
         "key": "date", "bad": not head.date_valid},
        {"label": label("place", lang), "value": head.place, "spans": spans(head.date_span), "key": "place"},
        {"label": label("issuer", lang), "value": head.issuer, "spans": spans(head.issuer_span), "key": "issuer"},
        {"label": label("doc_title", lang), "value": head.title, "spans": spans(head.title_span), "key": "title"},
    ]
    for signer in head.signers:
        value = " · ".join(x for x in (signer.authority, signer.position, signer.name) if x)
        rows.append({"label": label("signers", lang), "value": value,
                     "spans": f"{signer.start}-{signer.end}" if signer.end > signer.start else ""})
    if head.recipients:
        rows.append({"label": label("recipients", lang), "value": "; ".join(head.recipients),
                     "spans": spans(head.recipients_span)})
    for row in rows:
        row["inferred"] = row.get("key") in inferred or (row.get("key") == "symbol" and "number" in inferred)
        row.setdefault("bad", False)
        if not row["value"]:
            row["value"] = "—"
            row["spans"] = ""
    return rows


def _section(s: Section, lang: str) -> dict[str, Any]:
    return {
        "number": s.number,
        "title": s.title,
        "role": label(f"role.{s.role}", lang),
        "spans": f"{s.start}-{s.heading_end if s.heading_end > s.start else s.start + len(s.title)}",
        "children": [_section(c, lang) for c in s.children],
    }


def _entities(doc: ExtractedDocument, lang: str) -> list[dict[str, Any]]:
    citations = [
        {
            "text": c.key,
            "sub": " · ".join(
                x for x in (c.type, format_date(c.date, lang) or c.date_text, c.issuer) if x
            ),
            "bad": not c.date_valid,
            "spans": f"{c.start}-{c.end}",
        }
        for c in doc.citations
    ]
    deadlines = [
        {
            "text": d.text,
            "sub": " · ".join(
                x for x in (label(f"kind.{d.kind}", lang), format_date(d.date, lang),
                            format_date(d.end_date, lang)) if x
            ),
            "bad": not d.valid,
            "spans": f"{d.start}-{d.end}",
        }
        for d in doc.deadlines
    ]
    targets = [
        {
            "text": t.text,
            "sub": " ".join(x for x in (_number(t.value), t.unit) if x),
            "bad": False,
            "spans": f"{t.start}-{t.end}",
        }
        for t in doc.targets
    ]
    # A unit is usually named many times; one row per name, each click shows the next mention.
    by_name: dict[str, list[str]] = {}
    for u in doc.units:
        by_name.setdefault(u.name, []).append(f"{u.start}-{u.end}")
    units = [
        {"text": name, "sub": f"×{len(spans)}" if len(spans) > 1 else "", "bad": False, "spans": " ".join(spans)}
        for name, spans in by_name.items()
    ]
    return [
        {"label": label("citations", lang), "entries": citations},
        {"label": label("deadlines", lang), "entries": deadlines},
        {"label": label("targets", lang), "entries": targets},
        {"label": label("units", lang), "entries": units},
    ]


def _number(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)


def _open_mark(f: Finding, fid: str, continued: bool) -> str:
    sev = f.severity if f.severity in SEVERITIES else "info"
    title = html.escape(f"{f.rule}: {f.message}", quote=True)
    rule = html.escape(f.rule, quote=True)
    if continued:
        return f'<mark class="sev-{sev} cont" data-f="{fid}" data-rule="{rule}" title="{title}">'
    return f'<mark id="{fid}" class="sev-{sev}" data-rule="{rule}" title="{title}">'


def _escape_text(s: str) -> str:
    # The HTML parser turns CR and CRLF into LF and drops NUL; both would shift every offset after
    # them, so they are written so that the DOM keeps exactly one character for each.
    return html.escape(s, quote=False).replace("\r", "&#13;").replace("\x00", "\ufffd")


def _sha256(content: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode("ascii")


@cache
def _asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _markup(s: str) -> Markup:
    from markupsafe import Markup

    return Markup(s)


def _version() -> str:
    from vanban import __version__

    return __version__
