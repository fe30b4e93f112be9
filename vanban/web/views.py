"""What the pages show: the Jinja2 environment (autoescaping on), Vietnamese labels, and the
view models built from reports, search hits and archive rows."""

from __future__ import annotations

import html
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

if TYPE_CHECKING:
    from markupsafe import Markup

    from vanban.corpus.search import SearchHit
    from vanban.rules.model import CheckReport

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

FAMILY = {"party": "Đảng", "state": "Nhà nước", "joint": "Liên tịch", "unknown": "Không rõ"}
STATUS = {"in_force": "Còn hiệu lực", "expired": "Hết hiệu lực", "replaced": "Bị thay thế"}
RELATION = {"implements": "Thực hiện", "basis": "Căn cứ", "mention": "Nhắc đến"}
RULE_FAMILY = {
    "ASG": "Phân công nhiệm vụ", "CIT": "Văn bản được dẫn", "DL": "Thời hạn", "HDR": "Thể thức phần đầu",
    "MAN": "Kiểm tra thủ công", "RCP": "Nơi nhận", "SEC": "Bố cục", "SIG": "Chữ ký", "TGT": "Chỉ tiêu",
    "TXT": "Mã chữ, chất lượng văn bản",
}
FORMAT = {"docx": "Word (.docx)", "doc": "Word 97-2003 (.doc)", "pdf": "PDF", "txt": "văn bản thuần (.txt)",
          "md": "Markdown"}


def vi_date(iso: str | None) -> str:
    from vanban.rules.report import format_date

    return format_date(iso, "vi") or ""


def rule_family(rule: str) -> str:
    return rule.split("-", 1)[0]


def regulation_url(key: str) -> str:
    # Keys hold "/" ("25-NQ/TW"); the route takes the rest of the path, so "/" stays literal.
    return "/regulations/" + quote(key, safe="/@")


def code_ticks(text: str) -> Markup:
    """Escaped text with `backticked` parts as <code> (the API descriptions are written so)."""
    from markupsafe import Markup

    parts = html.escape(text).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


def query_url(path: str, params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(kept) if kept else "")


@cache
def environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["vi_date"] = vi_date
    env.filters["regurl"] = regulation_url
    env.filters["ticks"] = code_ticks
    env.globals.update(FAMILY=FAMILY, STATUS=STATUS, RELATION=RELATION, RULE_FAMILY=RULE_FAMILY,
                       FORMAT=FORMAT, query_url=query_url)
    return env


def render(name: str, **ctx: Any) -> str:
    return str(environment().get_template(name).render(**ctx))


# --------------------------------------------------------------------------- report


def report_view(report: CheckReport) -> dict[str, Any]:
    """The context of ``rules/report/html.py`` (same highlighting, same classes, so its CSS and
    script work unchanged), plus links from each cited document to its regulation page and the
    rule families for the filter."""
    from vanban.rules.report.html import context

    ctx = context(report, lang="vi")
    citations = ctx["entities"][0]["entries"]
    for entry, c in zip(citations, report.document.citations, strict=True):
        entry["href"] = regulation_url(c.key)
        entry["relation"] = RELATION.get(c.relation, c.relation)
    for group in ctx["entities"][1:]:
        for entry in group["entries"]:
            entry["href"] = None
            entry["relation"] = None
    counts = Counter(rule_family(f["rule"]) for f in ctx["findings"])
    ctx["rule_families"] = [{"code": code, "label": RULE_FAMILY.get(code, code), "count": n}
                            for code, n in sorted(counts.items())]
    for f in ctx["findings"]:
        f["family"] = rule_family(f["rule"])
    return ctx


# --------------------------------------------------------------------------- search


def marked_snippet(hit: SearchHit) -> Markup:
    """The snippet escaped, with ``<mark>`` around the matched words and nothing else as markup."""
    from markupsafe import Markup

    # Words of one query found side by side read as one highlight ("Dân vận khéo", not three).
    spans: list[list[int]] = []
    for s, e in sorted(hit.highlights):
        if spans and s >= spans[-1][0] and (s <= spans[-1][1] or not hit.snippet[spans[-1][1]:s].strip()):
            spans[-1][1] = max(spans[-1][1], e)
        elif not spans or s >= spans[-1][1]:
            spans.append([s, e])
    out, pos = [], 0
    for s, e in spans:
        out += [html.escape(hit.snippet[pos:s]), "<mark>", html.escape(hit.snippet[s:e]), "</mark>"]
        pos = e
    out.append(html.escape(hit.snippet[pos:]))
    return Markup("".join(out))


def marked_sentence(sentence: str, text: str) -> Markup:
    """A citing sentence with the citation's own words marked (first occurrence)."""
    from markupsafe import Markup

    i = sentence.find(text) if text else -1
    if i < 0:
        return Markup(html.escape(sentence))
    return Markup(html.escape(sentence[:i]) + "<mark>" + html.escape(text) + "</mark>"
                  + html.escape(sentence[i + len(text):]))
