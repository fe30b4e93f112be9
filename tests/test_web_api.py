"""The web app through FastAPI's TestClient: every REST endpoint, the pages, and what a hostile or
careless upload meets (too large, wrong type, damaged, HTML inside, cross-site posts)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.paths import SAMPLE, SEEDS
from tests.web_support import FAILED_MESSAGE, FAILED_PATH, seed_archive

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCRIPT = "<script>alert(1)</script>"
HOSTILE_TEXT = (
    "ỦY BAN NHÂN DÂN XÃ AN BÌNH\n"
    "Số: 15/KH-UBND\n"
    "An Bình, ngày 12 tháng 3 năm 2024\n"
    "KẾ HOẠCH\n"
    f"Tuyên truyền chuyển đổi số {SCRIPT} năm 2024\n"
    f"Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương {SCRIPT};\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "1. Nâng cao nhận thức <b onmouseover=alert(2)>của cán bộ</b> về chuyển đổi số.\n"
    "II. NỘI DUNG\n"
    "1. Văn phòng UBND xã hoàn thành trước ngày 30/6/2024.\n"
    "III. TỔ CHỨC THỰC HIỆN\n"
    "Các ban, ngành thực hiện nghiêm kế hoạch này.\n"
)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("web-api")
    mp = pytest.MonkeyPatch()
    mp.setenv("VANBAN_HOME", str(tmp / "home"))  # registry without the user's own rows
    db = f"sqlite:///{tmp / 'archive.sqlite'}"
    seeds = seed_archive(db)
    yield {"db": db, "tmp": tmp, "seeds": seeds}
    mp.undo()


@pytest.fixture(scope="module")
def client(env: dict[str, Any]) -> Iterator[TestClient]:
    from vanban.web.app import create_app

    app = create_app(db=env["db"], data_dir=env["tmp"] / "data")
    with TestClient(app) as c:
        yield c


@pytest.fixture
def small(env: dict[str, Any], tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """An app whose upload limit is 2000 bytes, and its data dir."""
    from vanban.web.app import create_app

    data = tmp_path / "data"
    with TestClient(create_app(db=env["db"], max_upload_bytes=2000, data_dir=data)) as c:
        yield c, data


def _upload(name: str, data: bytes, **fields: str) -> dict[str, Any]:
    return {"files": {"file": (name, data)}, "data": fields}


def _error(response: Any, status: int, code: str | None = None) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    if code is not None:
        assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    return str(body["error"]["message"])


def _work_files(data_dir: Path) -> list[Path]:
    work = data_dir / "work"
    return [p for p in work.rglob("*")] if work.exists() else []


def _corrupt_docx() -> bytes:
    # Starts like a zip (a .docx is one) and breaks off: a truncated download.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>" * 200)
    return buf.getvalue()[:300]


# --------------------------------------------------------------------------- POST /check, /extract


def test_check_returns_the_report_of_the_uploaded_docx(client: TestClient) -> None:
    r = client.post("/api/v1/check", **_upload("ke-hoach-mau.docx", SAMPLE.read_bytes()))
    assert r.status_code == 200
    body = r.json()
    assert body["source"]["format"] == "docx"
    assert body["source"]["path"] == "ke-hoach-mau.docx"  # the client's name, never a server path
    assert body["document"]["type"]
    assert body["findings"], "the sample plan has known problems"
    for f in body["findings"]:
        assert {"rule", "severity", "message", "start", "end"} <= set(f)
    assert body["summary"]["error"] + body["summary"]["warning"] + body["summary"]["info"] == len(body["findings"])


def test_extract_returns_the_contract_with_exact_offsets(client: TestClient, env: dict[str, Any]) -> None:
    seed = env["seeds"][0]
    r = client.post("/api/v1/extract", **_upload(seed.name, seed.read_bytes()))
    assert r.status_code == 200
    body = r.json()
    text = body["text"]
    assert body["schema_version"] == 1
    assert body["citations"]
    for key in ("citations", "deadlines", "targets", "units"):
        for e in body[key]:
            assert text[e["start"]:e["end"]] == (e.get("text") or e.get("name"))


def test_upload_leaves_no_file_behind(small: tuple[TestClient, Path]) -> None:
    c, data = small
    assert c.post("/api/v1/check", **_upload("a.txt", b"KE HOACH\nabc\n" * 10)).status_code == 200
    assert c.post("/api/v1/extract", **_upload("b.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50)).status_code == 415
    assert not _work_files(data)


def test_oversized_upload_is_refused_from_content_length(small: tuple[TestClient, Path]) -> None:
    c, data = small
    r = c.post("/api/v1/check", **_upload("big.txt", b"x" * 200_000))
    message = _error(r, 413, "VB106")
    assert "KB" in message or "MB" in message
    assert not _work_files(data)


def test_oversized_upload_is_stopped_while_streaming(small: tuple[TestClient, Path]) -> None:
    """No Content-Length (chunked): the limit is enforced on the bytes as they arrive."""
    c, data = small
    boundary = "vanbanboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(50):
            yield b"y" * 1000
        yield f"\r\n--{boundary}--\r\n".encode()

    r = c.post("/api/v1/check", content=body(), headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    _error(r, 413, "VB106")
    assert not _work_files(data)


def test_real_server_answers_413_before_the_body_is_sent(env: dict[str, Any], tmp_path: Path) -> None:
    """Against uvicorn on loopback: a chunked upload far over the limit is answered while the
    client is still sending, so the server never reads (or stores) the rest."""
    import select
    import socket
    import threading
    import time

    import uvicorn

    from vanban.web.app import create_app

    app = create_app(db=env["db"], max_upload_bytes=10_000, data_dir=tmp_path / "data")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        boundary = "b0undary"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n")
        sent = 0
        answer = b""
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall((f"POST /api/v1/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                          f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n").encode())
            chunk = b"z" * 16_384
            payload = head.encode()
            for _ in range(640):  # up to 10 MB, bounded
                data = payload + chunk
                payload = b""
                try:
                    sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += len(data)
                if select.select([sock], [], [], 0.01)[0]:
                    break
            sock.settimeout(10)
            try:
                while b"\r\n\r\n" not in answer:
                    part = sock.recv(4096)
                    if not part:
                        break
                    answer += part
            except ConnectionResetError:
                pass
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert sent < 2_000_000, f"the server let {sent} bytes in before answering"
        assert not _work_files(tmp_path / "data")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_file_at_the_limit_is_accepted(small: tuple[TestClient, Path]) -> None:
    c, _ = small
    text = ("KẾ HOẠCH tuyên truyền\n".encode() * 200)[:2000]
    text = text[: len(text.decode("utf-8", errors="ignore").encode())]
    assert c.post("/api/v1/extract", **_upload("k.txt", text)).status_code == 200


@pytest.mark.parametrize(("name", "data", "status", "code"), [
    ("anh.docx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, 415, "VB103"),  # a picture named .docx
    ("bang.xlsx", None, 415, "VB103"),  # an Excel workbook
    ("hong.docx", b"PK\x03\x04" + b"\x00\x01garbage" * 40, 422, "VB104"),  # zip header, no zip
    ("cut.docx", "corrupt", 422, "VB104"),  # a truncated .docx
    ("rong.txt", b"", 422, "VB102"),  # empty
    ("trang.txt", b"   \n\n  ", 422, "VB102"),  # whitespace only
])
def test_unreadable_uploads_get_typed_errors(client: TestClient, name: str, data: bytes | str | None, status: int,
                                             code: str) -> None:
    if data is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
        data = buf.getvalue()
    elif data == "corrupt":
        data = _corrupt_docx()
    assert isinstance(data, bytes)
    for endpoint in ("/api/v1/check", "/api/v1/extract"):
        message = _error(client.post(endpoint, **_upload(name, data)), status, code)
        assert name in message  # the message names the file


def test_type_comes_from_the_content_not_the_name(client: TestClient) -> None:
    # A .docx sent with a .txt name is still read as Word.
    r = client.post("/api/v1/extract", **_upload("ke-hoach.txt", SAMPLE.read_bytes()))
    assert r.status_code == 200
    assert r.json()["source"]["format"] == "docx"


def test_upload_must_be_multipart_with_a_file_field(client: TestClient) -> None:
    _error(client.post("/api/v1/check", json={"file": "abc"}), 415, "unsupported_media_type")
    _error(client.post("/api/v1/check", content=b"abc", headers={"content-type": "text/plain"}), 415)
    _error(client.post("/api/v1/check", data={"other": "x"}, files={"tep": ("a.txt", b"abc")}), 422, "missing_file")
    _error(client.post("/api/v1/check", content=b"--x\r\nbroken",
                       headers={"content-type": "multipart/form-data; boundary=x"}), 422)
    _error(client.post("/api/v1/check", content=b"abc", headers={"content-type": "multipart/form-data"}),
           400, "bad_multipart")


def test_client_file_name_never_becomes_a_path(small: tuple[TestClient, Path]) -> None:
    c, data = small
    r = c.post("/api/v1/extract", **_upload("../../../etc/passwd", "KẾ HOẠCH\nnội dung\n".encode()))
    assert r.status_code == 200
    assert r.json()["source"]["path"] == "passwd"
    assert not _work_files(data)


# --------------------------------------------------------------------------- GET endpoints


def test_search_without_diacritics_finds_and_highlights(client: TestClient) -> None:
    r = client.get("/api/v1/search", params={"q": "dan van kheo"})
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert hits
    for h in hits:
        marked = [h["snippet"][s:e].lower() for s, e in h["highlights"]]
        assert {"dân", "vận", "khéo"} & set(marked)


def test_search_filters_and_paging(client: TestClient) -> None:
    everything = client.get("/api/v1/search", params={"q": ""}).json()
    assert len(everything["hits"]) == 2
    first = client.get("/api/v1/search", params={"q": "", "limit": 1}).json()
    assert len(first["hits"]) == 1 and first["next_offset"] == 1
    second = client.get("/api/v1/search", params={"q": "", "limit": 1, "offset": 1}).json()
    assert second["next_offset"] is None
    assert second["hits"][0]["document_id"] != first["hits"][0]["document_id"]
    assert client.get("/api/v1/search", params={"year_from": 2100}).json()["hits"] == []
    party = client.get("/api/v1/search", params={"family": "party"}).json()["hits"]
    assert all(h["family"] == "party" for h in party)
    some = client.get("/api/v1/search", params={"has_finding": "any"}).json()["hits"]
    assert len(some) <= 2
    cited = client.get("/api/v1/search", params={"cites": "25-NQ/TW"}).json()["hits"]
    assert cited and all(h["document_id"] for h in cited)


def test_search_rejects_bad_parameters_with_the_error_shape(client: TestClient) -> None:
    _error(client.get("/api/v1/search", params={"limit": 0}), 422, "invalid_request")
    _error(client.get("/api/v1/search", params={"family": "martian"}), 422, "invalid_request")
    _error(client.get("/api/v1/search", params={"year_from": "soon"}), 422, "invalid_request")
    _error(client.get("/api/v1/search", params={"q": "-covid"}), 400, "VB400")


def test_regulation_and_who_cites_it(client: TestClient) -> None:
    r = client.get("/api/v1/regulations/25-NQ/TW")
    assert r.status_code == 200
    body = r.json()
    assert body["key"] == "25-NQ/TW"
    assert body["entries"][0]["status"] in ("in_force", "expired", "replaced")
    assert body["cited_by_documents"] >= 1
    citing = client.get("/api/v1/regulations/25-NQ/TW/citing").json()
    assert citing["citing"]
    for row in citing["citing"]:
        assert "25-NQ/TW" in row["text"].replace(" ", "") or row["cited_symbol"] == "25-NQ/TW"
    assert client.get("/api/v1/regulations/25-NQ/TW/citing", params={"relation": "basis"}).status_code == 200


def test_replaced_regulation_names_its_successor(client: TestClient) -> None:
    body = client.get("/api/v1/regulations/04/2015/NĐ-CP").json()
    entry = body["entries"][0]
    assert entry["status"] == "replaced" and entry["replaced_by"]
    assert body["successors"]


def test_unknown_regulation_is_404(client: TestClient) -> None:
    _error(client.get("/api/v1/regulations/999-XX/YY"), 404, "not_found")
    _error(client.get("/api/v1/regulations/999-XX/YY/citing"), 404, "not_found")


def test_document_by_id(client: TestClient) -> None:
    body = client.get("/api/v1/documents/1").json()
    assert body["id"] == 1 and body["status"] == "indexed"
    assert body["paths"] and body["paths"][0].endswith(".txt")
    assert body["extraction"]["text"]
    assert isinstance(body["findings"], list)
    _error(client.get("/api/v1/documents/99999"), 404, "not_found")
    _error(client.get("/api/v1/documents/0"), 422)
    _error(client.get("/api/v1/documents/abc"), 422)
    _error(client.get(f"/api/v1/documents/{2**40}"), 422)


def test_deadlines(client: TestClient) -> None:
    body = client.get("/api/v1/deadlines", params={"from": "2000-01-01"}).json()
    assert body["deadlines"]
    dates = [d["date"] for d in body["deadlines"]]
    assert dates == sorted(dates)
    assert client.get("/api/v1/deadlines", params={"from": "2999-01-01"}).json()["deadlines"] == []
    _error(client.get("/api/v1/deadlines", params={"from": "hôm qua nữa"}), 400, "VB400")


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    _error(client.get("/api/v1/nothing-here"), 404, "not_found")
    _error(client.delete("/api/v1/search"), 405, "method_not_allowed")


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/check", "/api/v1/extract", "/api/v1/search", "/api/v1/regulations/{key}",
                 "/api/v1/regulations/{key}/citing", "/api/v1/documents/{document_id}", "/api/v1/deadlines"):
        assert path in paths
    assert "multipart/form-data" in paths["/api/v1/check"]["post"]["requestBody"]["content"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/regulations/{key}/citing" in docs.text


# --------------------------------------------------------------------------- errors never leak


def test_a_crash_answers_with_a_generic_500(env: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    from vanban.web import queries
    from vanban.web.app import create_app

    def boom(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(queries, "run_search", boom)
    with TestClient(create_app(db=env["db"], data_dir=tmp_path), raise_server_exceptions=False) as c:
        r = c.get("/api/v1/search")
        message = _error(r, 500, "internal_error")
        assert "secret" not in message
        assert r.headers["x-frame-options"] == "DENY"
        page = c.get("/search", params={"q": "x"})
        assert page.status_code == 500 and "secret" not in page.text and "Traceback" not in page.text
    assert "secret internal detail" in caplog.text  # logged for the operator


def test_archive_that_cannot_be_opened_is_503(tmp_path: Path) -> None:
    from vanban.web.app import create_app

    with TestClient(create_app(db="mysql://nobody@nowhere/db", data_dir=tmp_path)) as c:
        _error(c.get("/api/v1/search"), 503, "VB300")
        assert c.get("/").status_code == 200  # checking a document needs no archive


# --------------------------------------------------------------------------- pages


def _check_page(client: TestClient, name: str, data: bytes, **fields: str) -> Any:
    r = client.post("/check", **_upload(name, data, **fields), follow_redirects=False)
    assert r.status_code == 303, r.text
    return client.get(r.headers["location"]), r.headers["location"]


def test_report_page_of_an_upload_and_its_downloads(client: TestClient) -> None:
    page, url = _check_page(client, "ke-hoach-mau.docx", SAMPLE.read_bytes())
    assert page.status_code == 200
    html = page.text
    assert 'id="doc-text"' in html and "<mark id=\"f1\"" in html
    assert 'class="finding sev-' in html
    assert 'href="/regulations/' in html  # cited documents link to their pages
    assert "Mục đích" in html or "MỤC ĐÍCH" in html  # the outline
    js = client.get(f"{url}/report.json")
    assert js.status_code == 200 and js.json()["findings"]
    assert "attachment" in js.headers["content-disposition"]
    rendered = client.get(f"{url}/report.html")
    assert rendered.status_code == 200 and "<mark" in rendered.text
    docx_file = client.get(f"{url}/annotated.docx")
    assert docx_file.status_code == 200 and docx_file.headers["content-type"] == DOCX
    import docx

    comments = list(docx.Document(io.BytesIO(docx_file.content)).comments)
    assert len(comments) >= len(js.json()["findings"])


def test_annotated_docx_only_for_docx_uploads(client: TestClient) -> None:
    page, url = _check_page(client, "k.txt", HOSTILE_TEXT.encode())
    assert "annotated.docx" not in page.text
    _html_error(client.get(f"{url}/annotated.docx"), 404)


def test_document_text_with_html_is_escaped_everywhere(client: TestClient, env: dict[str, Any]) -> None:
    page, url = _check_page(client, f"{SCRIPT}.txt", HOSTILE_TEXT.encode(), store="on")
    for html in (page.text, client.get(f"{url}/report.html").text):
        assert SCRIPT not in html
        assert "<b onmouseover" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    stored = re.search(r'href="/documents/(\d+)"', page.text)
    assert stored, "the draft was stored in the archive"
    doc_page = client.get(f"/documents/{stored.group(1)}").text
    assert SCRIPT not in doc_page and "&lt;script&gt;" in doc_page
    found = client.get("/search", params={"q": "alert chuyen doi so"}).text
    assert "<mark>" in found and SCRIPT not in found
    # Only the highlight marks are markup in a snippet.
    snippet = re.search(r'<p class="snippet">(.*?)</p>', found, re.S)
    assert snippet and re.sub(r"</?mark>", "", snippet.group(1)).count("<") == 0
    # The stored draft is searchable by its API too, and its JSON keeps the raw text.
    hits = client.get("/api/v1/search", params={"q": "alert"}).json()["hits"]
    assert any("<script>" in h["snippet"] for h in hits)


def test_pages_render(client: TestClient) -> None:
    for url in ("/", "/search", "/search?q=dan+van", "/search?family=party&year_from=2020", "/regulations",
                "/regulations?status=replaced", "/regulations?q=dan+van", "/regulations/25-NQ/TW",
                "/deadlines", "/deadlines?from=2000-01-01&unit=van+phong", "/archive", "/docs", "/documents/1"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("text/html")
        assert "<html lang=\"vi\">" in r.text


def test_archive_page_shows_failures(client: TestClient) -> None:
    html = client.get("/archive").text
    assert FAILED_PATH in html and FAILED_MESSAGE in html and "VB104" in html


def test_deadlines_export_to_ics(client: TestClient) -> None:
    r = client.get("/deadlines.ics", params={"from": "2000-01-01"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert r.text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in r.text
    assert 'href="/deadlines.ics?from=' in client.get("/deadlines").text


def test_page_upload_errors_show_on_the_upload_page(client: TestClient, small: tuple[TestClient, Path]) -> None:
    r = client.post("/check", **_upload("anh.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100))
    assert r.status_code == 415 and 'class="alert alert-error"' in r.text and "anh.docx" in r.text
    c, _ = small
    r = c.post("/check", **_upload("big.txt", b"x" * 100_000))
    assert r.status_code == 413 and "upload-form" in r.text


def _html_error(r: Any, status: int) -> None:
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert "Traceback" not in r.text


def test_expired_or_forged_report_tokens_are_404(client: TestClient) -> None:
    for token in ("A" * 32, "..%2F..%2Fetc%2Fpasswd", "abc"):
        _html_error(client.get(f"/report/{token}"), 404)
        _html_error(client.get(f"/report/{token}/annotated.docx"), 404)
    _html_error(client.get("/no/such/page"), 404)
    _html_error(client.get("/regulations/999-XX/YY"), 404)


def test_sessions_expire_and_their_files_go(tmp_path: Path) -> None:
    from vanban.rules.model import CheckReport

    from tests.report_factories import document
    from vanban.web.sessions import Session, Sessions

    sessions = Sessions(tmp_path, ttl_s=3600, max_sessions=2)
    made = []
    for _ in range(3):
        token, folder = sessions.new_folder()
        (folder / "annotated.docx").write_bytes(b"x")
        sessions.add(Session(token=token, report=CheckReport(document(), ()), name="a", format="txt", folder=folder))
        made.append((token, folder))
    assert sessions.get(made[0][0]) is None and not made[0][1].exists()  # the oldest went first
    assert sessions.get(made[2][0]) is not None
    sessions.ttl_s = 0
    assert sessions.get(made[2][0]) is None and not made[2][1].exists()


# --------------------------------------------------------------------------- headers


def test_security_headers_everywhere(client: TestClient) -> None:
    for url in ("/", "/api/v1/search", "/static/app.css", "/nope", "/api/v1/documents/424242"):
        h = client.get(url).headers
        csp = h["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert h["x-content-type-options"] == "nosniff"
        assert h["x-frame-options"] == "DENY"
        assert h["referrer-policy"]


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    page, _ = _check_page(client, "ke-hoach-mau.docx", SAMPLE.read_bytes())
    for html in (page.text, client.get("/").text, client.get("/search?q=dan").text, client.get("/docs").text):
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert "<style" not in html and " style=" not in html
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
        for src in re.findall(r'(?:src|href)="(https?:)?//', html):
            pytest.fail(f"external resource {src}")


def test_cross_site_posts_are_refused(client: TestClient) -> None:
    r = client.post("/check", **_upload("k.txt", HOSTILE_TEXT.encode(), store="on"),
                    headers={"origin": "https://evil.example"})
    _error(r, 403, "forbidden")
    same = client.post("/check", **_upload("k.txt", HOSTILE_TEXT.encode()),
                       headers={"origin": "http://testserver"}, follow_redirects=False)
    assert same.status_code == 303


def test_loopback_app_refuses_foreign_host_headers(env: dict[str, Any], tmp_path: Path) -> None:
    from vanban.web.app import create_app

    app = create_app(db=env["db"], data_dir=tmp_path, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "rebound.example"}).status_code == 400


# --------------------------------------------------------------------------- command


def test_serve_command_is_registered_without_importing_the_web_stack() -> None:
    import subprocess
    import sys

    exe = str(Path(sys.executable).with_name("vanban"))
    out = subprocess.run([exe, "serve", "--help"], capture_output=True, text=True, cwd=str(SEEDS))
    assert out.returncode == 0
    assert "--max-upload-mb" in out.stdout and "--host" in out.stdout and "127.0.0.1" in out.stdout


# --------------------------------------------------------------------------- both engines


def test_archive_pages_and_api_on_each_engine(archive_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The archive questions the app asks itself (cited keys, archived copies, index status, stored
    findings) run on SQLite and PostgreSQL alike."""
    from vanban.web.app import create_app

    monkeypatch.setenv("VANBAN_HOME", str(tmp_path / "home"))
    seed_archive(archive_db)
    with TestClient(create_app(db=archive_db, data_dir=tmp_path / "data")) as c:
        for url in ("/regulations", "/regulations/25-NQ/TW", "/archive", "/documents/1", "/search?q=dan+van+kheo",
                    "/deadlines?from=2000-01-01"):
            assert c.get(url).status_code == 200, url
        assert FAILED_MESSAGE in c.get("/archive").text
        assert c.get("/api/v1/search", params={"q": "dân vận"}).json()["hits"]
        assert c.get("/api/v1/regulations/25-NQ/TW/citing").json()["citing"]
        record = c.get("/api/v1/documents/1").json()
        assert record["findings"] and record["indexed_at"]
        page, _ = _check_page(c, "k.txt", HOSTILE_TEXT.encode(), store="on")
        assert "Đã lưu bản thảo vào kho" in page.text
