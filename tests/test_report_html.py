"""`vanban check --format html`: one highlight per located finding, the pane's text equal to the
document text, everything escaped, a CSP that admits only the page's own inline code."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from vanban.rules.model import Finding
from vanban.rules.report.html import assets, finding_id, highlight, render

from tests.report_factories import TEXT, document, finding, report, span

VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "source", "area", "base", "col", "embed"}


class Page(HTMLParser):
    """Collects what the tests look at; fails on mismatched end tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.pane_depth: int | None = None
        self.pane: list[str] = []
        self.open_marks: list[str] = []  # finding ids of the marks we are inside
        self.mark_text: dict[str, list[str]] = {}
        self.mark_ids: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._raw: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag in VOID:
            return
        self.stack.append(tag)
        if a.get("id") == "doc-text":
            self.pane_depth = len(self.stack)
        if tag == "mark" and self.pane_depth is not None:
            fid = a.get("id") or a.get("data-f")
            assert fid, "a highlight must name its finding"
            if a.get("id"):
                self.mark_ids.append(fid)
            self.open_marks.append(fid)
            self.mark_text.setdefault(fid, [])
        if tag in ("script", "style"):
            self._raw = tag

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        if self.pane_depth is not None and len(self.stack) == self.pane_depth:
            self.pane_depth = None
        if tag == "mark" and self.open_marks:
            self.open_marks.pop()
        self.stack.pop()
        self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw == "script":
            self.scripts.append(data)
            return
        if self._raw == "style":
            self.styles.append(data)
            return
        self.text.append(data)
        if self.pane_depth is not None:
            self.pane.append(data)
            for fid in self.open_marks:
                self.mark_text[fid].append(data)


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    assert not p.stack, p.stack
    return p


def located(rep) -> list[tuple[int, Finding]]:
    text = rep.document.text
    return [(i, f) for i, f in enumerate(rep.findings) if min(f.end, len(text)) > max(f.start, 0)]


# --------------------------------------------------------------------------- highlights


def test_one_highlight_per_located_finding_and_pane_text_is_the_document() -> None:
    rep = report()
    page = parse(render(rep))
    expected = located(rep)
    assert len(expected) == 5  # the absence (HDR-MOTTO) has no highlight
    assert len(page.mark_ids) == len(expected) == len(set(page.mark_ids))
    assert "".join(page.pane) == TEXT
    for i, f in expected:
        assert "".join(page.mark_text[finding_id(i)]) == TEXT[f.start:f.end]


def test_crossing_spans_are_split_and_the_piece_after_carries_data_f() -> None:
    page_html = render(report())
    # TXT-MARKUP (index 3) starts inside the citation (index 2) and ends after it.
    assert page_html.count('id="f4"') == 1
    assert page_html.count('data-f="f4"') == 1
    # The date inside the citation is nested, not split.
    assert 'data-f="f5"' not in page_html and page_html.count('id="f5"') == 1


def test_severity_classes_and_rule_on_each_highlight() -> None:
    page = parse(render(report()))
    marks = {a["id"]: a for tag, a in page.tags if tag == "mark" and a.get("id")}
    assert marks["f2"]["class"] == "sev-error" and marks["f2"]["data-rule"] == "HDR-DATE"
    assert marks["f3"]["class"] == "sev-warning" and marks["f4"]["class"] == "sev-info"


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet="ab <>&\"'\n\r\x00ếĐ😀", max_size=60),
    spans=st.lists(st.tuples(st.integers(-3, 70), st.integers(-3, 70)), max_size=8),
)
def test_highlight_invariants_hold_for_any_spans(text: str, spans: list[tuple[int, int]]) -> None:
    findings = [Finding("R", "warning", "m", s, e) for s, e in spans]
    markup = str(highlight(text, findings))
    # Browsers turn a raw CR into LF (and CRLF into one LF) and drop NUL: neither may be raw.
    assert "\r" not in markup and "\x00" not in markup
    page = parse(f'<div id="doc-text">{markup}</div>')
    # Every character survives exactly once: CR and NUL are kept as one character each.
    pane = "".join(page.pane)
    assert len(pane) == len(text)
    assert pane == text.replace("\x00", "\ufffd")
    expected = [(i, f) for i, f in enumerate(findings) if min(f.end, len(text)) > max(f.start, 0)]
    assert sorted(page.mark_ids) == sorted(finding_id(i) for i, _ in expected)
    for i, f in expected:
        start, end = max(f.start, 0), min(f.end, len(text))
        assert "".join(page.mark_text[finding_id(i)]) == text[start:end].replace("\x00", "\ufffd")


# --------------------------------------------------------------------------- safety


def test_document_text_and_messages_are_escaped() -> None:
    text = (
        "Căn cứ <script>alert(1)</script> và </div><img src=x onerror=alert(1)>\n"
        "Dòng hai \"><svg onload=alert(3)>\n"
    )
    rep = report(
        document=document(text),
        findings=(
            finding('R"><script>', "error", "<script>alert(1)</script>", text=text,
                    message='"><script>alert(2)</script>', basis="<b>căn cứ</b>", suggestion="<i>x</i>"),
            finding("R2", "warning", None, text=text, message="<img src=y onerror=alert(4)>"),
        ),
        manual_checks=(finding("M", "info", None, text=text, message="<script>m</script>", manual=True),),
        suppressed=(),
    )
    html_page = render(rep)
    page = parse(html_page)
    scripts = [a for tag, a in page.tags if tag == "script"]
    assert len(scripts) == 1 and page.scripts == [assets()[1]]
    assert not [t for t, _ in page.tags if t in ("img", "svg", "b", "i")]
    assert not [k for _, a in page.tags for k in a if k.startswith("on")]
    assert "".join(page.pane) == text
    visible = "".join(page.text)
    for s in ("<script>alert(1)</script>", '"><script>alert(2)</script>', "<b>căn cứ</b>",
              "<img src=y onerror=alert(4)>", "<script>m</script>"):
        assert s in visible


def test_csp_allows_exactly_the_inline_style_and_script() -> None:
    page = parse(render(report()))
    metas = [a for tag, a in page.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    policy = {d.split()[0]: d.split()[1:] for d in metas[0]["content"].split(";") if d.strip()}
    assert policy["default-src"] == ["'none'"]

    def sha(s: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"

    assert policy["style-src"] == [sha(page.styles[0])]
    assert policy["script-src"] == [sha(page.scripts[0])]
    assert not any("unsafe" in v for values in policy.values() for v in values)


def test_self_contained_no_external_assets_no_inline_handlers_or_style_attributes() -> None:
    html_page = render(report())
    page = parse(html_page)
    assert not [t for t, _ in page.tags if t in ("link", "img", "iframe", "object", "embed")]
    assert not [a for _, a in page.tags if "src" in a or "style" in a]
    assert not [k for _, a in page.tags for k in a if k.startswith("on")]
    hrefs = [a["href"] for t, a in page.tags if t == "a" and "href" in a]
    assert hrefs and all(h.startswith("#") for h in hrefs)
    css = page.styles[0]
    assert "url(" not in css and "@import" not in css
    assert "fetch(" not in page.scripts[0] and "XMLHttpRequest" not in page.scripts[0]


# --------------------------------------------------------------------------- list and panels


def test_findings_list_links_each_located_finding_and_shows_absences() -> None:
    rep = report()
    page = parse(render(rep))
    items = [a for t, a in page.tags if t == "li" and "finding" in (a.get("class") or "").split()]
    assert len(items) == len(rep.findings)
    # Most severe first, as in the terminal.
    assert [a["data-sev"] for a in items] == ["error"] * 3 + ["warning"] * 2 + ["info"]
    links = [a["href"] for t, a in page.tags if t == "a" and "go" in (a.get("class") or "")]
    assert sorted(links) == sorted(f"#{finding_id(i)}" for i, _ in located(rep))
    visible = "".join(page.text)
    assert "Không có vị trí trong văn bản" in visible
    assert "Nghị định 30/2020/NĐ-CP, Phụ lục I" in visible


def test_severity_filter_chips_carry_the_counts() -> None:
    page = parse(render(report()))
    chips = {a["data-sev"]: a for t, a in page.tags if t == "button" and "chip" in (a.get("class") or "")}
    assert set(chips) == {"error", "warning", "info"}
    html_page = render(report(findings=(finding("X", "info", "III"),)))
    assert re.search(r'data-sev="error" aria-pressed="true" disabled><span class="n">0</span>', html_page)


def test_extracted_information_is_shown_and_points_into_the_text() -> None:
    rep = report()
    page = parse(render(rep))
    visible = "".join(page.text)
    for s in ("15/KH-UBND", "Ủy ban nhân dân xã An Bình", "MỤC ĐÍCH, YÊU CẦU", "TỔ CHỨC THỰC HIỆN",
              "12/QĐ-UBND", "trước ngày 30/6/2024", "100% hồ sơ được xử lý trực tuyến", "Văn phòng UBND xã",
              "Nguyễn Văn A", "Nhà nước"):
        assert s in visible, s
    spans = [a["data-spans"] for _, a in page.tags if a.get("data-spans")]
    texts = [TEXT[int(s):int(e)] for value in spans for s, e in (p.split("-") for p in value.split())]
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts
    assert "trước ngày 30/6/2024" in texts
    assert "Quyết định số 12/QĐ-UBND ngày 05/01/2024 của UBND huyện" in texts
    assert TEXT[slice(*span("An Bình, ngày 31 tháng 4 năm 2024"))] in texts


def test_manual_checks_and_suppressed_are_listed() -> None:
    visible = "".join(parse(render(report())).text)
    assert "Kiểm tra thủ công" in visible and "Kiểm tra dấu và chữ ký trên bản giấy" in visible
    assert "2 phát hiện đã bỏ qua theo cấu hình" in visible and "tắt trong cấu hình" in visible


def test_english_page() -> None:
    html_page = render(report(), lang="en")
    page = parse(html_page)
    assert '<html lang="en">' in html_page
    visible = "".join(page.text)
    assert "Findings" in visible and "No national motto" in visible and "3 errors, 2 warnings, 1 info" in visible
    assert "Heading numbers jump from I to III" in visible


def test_empty_document_and_no_findings() -> None:
    rep = report(document=document(""), findings=(), manual_checks=(), suppressed=())
    page = parse(render(rep))
    assert page.mark_ids == [] and "".join(page.pane) == ""
    assert "Không phát hiện vấn đề nào." in "".join(page.text)
