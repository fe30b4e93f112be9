"""The web app in a real browser: Debian's Chromium driven by Playwright against `vanban serve`'s
app on a free loopback port, with a throwaway archive and data dir.

A person uploads the sample plan, sees the findings, clicks one and sees its highlight flash,
downloads the annotated .docx, searches the archive without diacritics and opens a regulation
page. Screenshots of every page go to artifacts/screenshots/ (gitignored); the report page is
also written to docs/screenshot-report.png for the README (only with VANBAN_SCREENSHOT_DOCS=1,
so a test run does not rewrite a committed file).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.paths import ROOT, SAMPLE
from tests.web_support import FAILED_MESSAGE, seed_archive

CHROMIUM = Path(os.environ.get("VANBAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHOTS = ROOT / "artifacts" / "screenshots"
README_SHOT = ROOT / "docs" / "screenshot-report.png"

pytestmark = pytest.mark.slow

if not CHROMIUM.exists():
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:
    pytest.skip("the Python package playwright is not installed (pip install playwright; no browser "
                "download needed, Debian's chromium is used)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from vanban.web.app import create_app

    tmp = tmp_path_factory.mktemp("web-e2e")
    env = pytest.MonkeyPatch()
    env.setenv("VANBAN_HOME", str(tmp / "home"))  # no user registry from the real home
    db = f"sqlite:///{tmp / 'archive.sqlite'}"
    seed_archive(db)
    port = _free_port()
    app = create_app(db=db, data_dir=tmp / "data", allowed_hosts=["127.0.0.1", "localhost"])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    env.undo()


@pytest.fixture(scope="module")
def browser_page(server: str) -> Iterator[Page]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True,
                                      locale="vi-VN")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()


def _shot(page: Page, name: str, **kwargs: Any) -> Path:
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


def test_upload_check_highlight_and_download(server: str, browser_page: Page, tmp_path: Path) -> None:
    page = browser_page
    page.goto(server + "/")
    expect(page.locator("h1")).to_have_text("Kiểm tra văn bản")
    _shot(page, "01-check")

    page.set_input_files("#file", str(SAMPLE))
    expect(page.locator("#drop-file")).to_contain_text(SAMPLE.name)
    page.click("#submit")
    page.wait_for_url("**/report/*")
    findings = page.locator("ol.findings li.finding")
    assert findings.count() >= 1
    expect(page.locator(".report-top h1")).to_contain_text("Kế hoạch")
    assert page.locator("#doc-text mark").count() >= 1

    # Clicking a finding scrolls to its highlight, flashes it and marks the finding active.
    first = page.locator("ol.findings a.go").first
    target = first.get_attribute("data-target")
    first.click()
    expect(page.locator(f"#doc-text mark#{target}")).to_have_class(re.compile(r"\bflash\b"))
    expect(page.locator(f'li.finding[data-target="{target}"]')).to_have_class(re.compile(r"\bactive\b"))

    # The rule-family filter keeps one family's findings and highlights.
    families = page.locator("#rule-family option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
    if len(families) > 1:
        page.select_option("#rule-family", families[0])
        for li in page.locator("ol.findings li.finding").all():
            assert li.is_visible() == (li.get_attribute("data-family") == families[0])
        other = page.locator(f'#doc-text mark[data-rule]:not([data-rule^="{families[0]}-"])').first
        expect(other).to_have_class(re.compile(r"\boff-family\b"))
        page.select_option("#rule-family", "")
        expect(findings.first).to_be_visible()

    # The severity chip hides that severity's findings.
    sev = page.locator(f'li.finding[data-target="{target}"]').get_attribute("data-sev")
    page.click(f'button.chip[data-sev="{sev}"]')
    expect(page.locator(f'li.finding[data-target="{target}"]')).to_be_hidden()
    page.click(f'button.chip[data-sev="{sev}"]')
    expect(page.locator(f'li.finding[data-target="{target}"]')).to_be_visible()
    page.locator("ol.findings a.go").first.click()
    page.wait_for_timeout(400)
    _shot(page, "02-report")
    if os.environ.get("VANBAN_SCREENSHOT_DOCS") == "1":
        # The README's picture: the report as it opens, the document's header in view.
        report_url = page.url.split("#")[0]
        page.set_viewport_size({"width": 1280, "height": 760})
        page.goto(report_url)
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(README_SHOT), type="png")
        assert README_SHOT.stat().st_size < 300_000
        page.set_viewport_size({"width": 1440, "height": 900})

    with page.expect_download() as info:
        page.click("a.dl-docx")
    saved = tmp_path / "annotated.docx"
    info.value.save_as(str(saved))
    import docx

    annotated = docx.Document(str(saved))
    comments = list(annotated.comments)
    assert len(comments) >= findings.count()
    assert any("vanban" in (c.author or "") for c in comments)
    assert not page.errors  # type: ignore[attr-defined]


def test_search_without_diacritics_and_regulation_page(server: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(server + "/search")
    page.fill("input[name=q]", "dan van kheo")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r".*/search\?q=dan"))
    results = page.locator("ol.results li.result")
    assert results.count() >= 1
    marks = page.locator("ol.results .snippet mark")
    assert marks.count() >= 1
    assert any("khéo" in t.lower() for t in marks.all_inner_texts())
    _shot(page, "03-search", full_page=True)

    page.goto(server + "/regulations")
    expect(page.locator("h1")).to_have_text("Văn bản được trích dẫn")
    assert page.locator("span.status").count() >= 1
    _shot(page, "04-regulations")

    # A key the archive cites (seeds cite Party documents): open its page from the list.
    link = page.locator("table.table a[href^='/regulations/']").first
    key = link.inner_text()
    link.click()
    page.wait_for_url("**/regulations/**")
    expect(page.locator("h1.page-title").first).to_contain_text(key.split("@")[0])
    _shot(page, "05-regulation", full_page=True)

    page.goto(server + "/deadlines?from=2000-01-01")
    expect(page.locator("h1")).to_contain_text("Hạn chót")
    _shot(page, "06-deadlines", full_page=True)
    page.goto(server + "/archive")
    expect(page.locator(".stat-n").first).to_have_text(re.compile(r"[1-9]"))
    expect(page.locator("table.failures")).to_contain_text(FAILED_MESSAGE)
    _shot(page, "07-archive")
    page.goto(server + "/docs")
    _shot(page, "08-api")
    assert not page.errors  # type: ignore[attr-defined]


def test_report_of_an_uploaded_document_citing_a_regulation_links_to_it(server: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(server + "/")
    page.set_input_files("#file", str(SAMPLE))
    page.click("#submit")
    page.wait_for_url("**/report/*")
    # The cited documents are listed open, each with a link to its regulation page.
    link = page.locator("a.reg-link").first
    href = link.get_attribute("href")
    assert href and href.startswith("/regulations/")
    link.click()
    page.wait_for_url("**/regulations/**")
    expect(page.locator("h1.page-title").first).to_be_visible()
    assert page.locator("span.status").count() >= 1


def test_drag_and_drop_upload(server: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(server + "/")
    text = "KẾ HOẠCH\nTuyên truyền chuyển đổi số năm 2024\nI. MỤC ĐÍCH, YÊU CẦU\nHoàn thành trước ngày 31/4/2024.\n"
    page.evaluate(
        """([name, text]) => {
            const dt = new DataTransfer();
            dt.items.add(new File([text], name, {type: "text/plain"}));
            const drop = document.getElementById("drop");
            drop.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
            drop.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""",
        ["keo-tha.txt", text],
    )
    expect(page.locator("#drop-file")).to_contain_text("keo-tha.txt")
    expect(page.locator("#drop")).to_have_class(re.compile(r"\bhas-file\b"))
    page.click("#submit")
    page.wait_for_url("**/report/*")
    expect(page.locator(".report-top p")).to_contain_text("keo-tha.txt")
    expect(page.locator('li.finding[data-family="DL"]').first).to_be_visible()  # 31/4 does not exist
    assert page.locator("a.dl-docx").count() == 0  # annotated copies only for .docx


def test_unreadable_upload_is_explained_on_the_upload_page(server: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(server + "/")
    page.set_input_files("#file", {"name": "anh-chup.docx", "mimeType": DOCX_MIME,
                                   "buffer": b"\x89PNG\r\n\x1a\n" + bytes(200)})
    page.click("#submit")
    alert = page.locator(".alert-error")
    expect(alert).to_contain_text("anh-chup.docx")
    expect(alert).to_contain_text("VB103")
    expect(page.locator("#submit")).to_be_enabled()
    _shot(page, "09-upload-error")
