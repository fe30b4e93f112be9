"""The pages, in Vietnamese: Kiểm tra văn bản (check an upload, its report and downloads), Tìm
kiếm, Văn bản được trích dẫn, Hạn chót, Lưu trữ, and the API reference."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from vanban.web.api import MAX_ID, state_of
from vanban.web.views import render

router = APIRouter()

PAGE_SIZE = 20
LIST_CAP = 1000  # rows a list page shows at most; narrower filters show the rest


def _page(name: str, http_status: int = 200, **ctx: Any) -> HTMLResponse:
    return HTMLResponse(render(name, **ctx), status_code=http_status)


def _attachment(filename: str) -> str:
    """``Content-Disposition`` for a download: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "vanban"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _stem(name: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return stem or "van-ban"


# --------------------------------------------------------------------------- check


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return _check_page(request)


def _check_page(request: Request, *, error: dict[str, str] | None = None, status: int = 200) -> HTMLResponse:
    from vanban.web.uploads import limit_text

    settings = state_of(request).settings
    return _page("check.html.j2", status, active="check", error=error,
                 limit=limit_text(settings.max_upload_bytes), limit_bytes=settings.max_upload_bytes)


@router.post("/check")
async def check_upload_page(request: Request) -> Response:
    from vanban.extractor.errors import VanbanError
    from vanban.web.errors import status_of
    from vanban.web.process import check_for_page
    from vanban.web.uploads import UploadError, receive

    state = state_of(request)
    settings = state.settings
    try:
        upload = await receive(request.headers, request.stream(), settings.work_dir, settings.max_upload_bytes)
        store = upload.fields.get("store", "") not in ("", "0", "off", "false")
        session = await run_in_threadpool(check_for_page, upload, state, store=store)
    except UploadError as err:
        return _check_page(request, error={"code": err.code, "message": err.message}, status=err.status)
    except VanbanError as err:
        return _check_page(request, error={"code": err.code, "message": str(err)}, status=status_of(err))
    return RedirectResponse(f"/report/{session.token}", status_code=303)


def _session(request: Request, token: str) -> Any:
    from fastapi import HTTPException

    session = state_of(request).sessions.get(token)
    if session is None:
        raise HTTPException(404, "báo cáo không còn: phiên kiểm tra đã hết hạn hoặc không tồn tại; hãy tải "
                                 "văn bản lên lại (this report has expired; upload the document again)")
    return session


@router.get("/report/{token}", response_class=HTMLResponse)
def report_page(request: Request, token: str) -> HTMLResponse:
    from vanban.web.views import report_view

    session = _session(request, token)
    ctx = report_view(session.report)
    return _page("report.html.j2", active="check", r=ctx, session=session, stored=None,
                 downloads=_downloads(session))


def _downloads(session: Any) -> list[dict[str, str]]:
    base = f"/report/{session.token}"
    out = [{"href": f"{base}/report.json", "label": "JSON", "kind": "json", "title": "Báo cáo dạng JSON"},
           {"href": f"{base}/report.html", "label": "HTML", "kind": "html", "title": "Báo cáo HTML xem ngoại tuyến"}]
    if session.annotated is not None:
        out.append({"href": f"{base}/annotated.docx", "label": f".docx có nhận xét ({session.comments})",
                    "kind": "docx", "title": "Tệp Word gốc kèm một nhận xét cho mỗi phát hiện"})
    return out


@router.get("/report/{token}/report.json")
def report_json(request: Request, token: str) -> JSONResponse:
    session = _session(request, token)
    return JSONResponse(session.report.to_dict(),
                        headers={"content-disposition": _attachment(f"{_stem(session.name)}.vanban.json")})


@router.get("/report/{token}/report.html")
def report_html(request: Request, token: str) -> Response:
    from vanban.rules.report.html import render as render_report

    session = _session(request, token)
    page = render_report(session.report, lang="vi")
    # The report page carries its own, stricter policy (hashes of its inline style and script).
    from vanban.rules.report.html import assets, csp

    return Response(page, media_type="text/html; charset=utf-8",
                    headers={"content-disposition": _attachment(f"{_stem(session.name)}.vanban.html"),
                             "content-security-policy": csp(*assets())})


@router.get("/report/{token}/annotated.docx")
def report_docx(request: Request, token: str) -> FileResponse:
    from fastapi import HTTPException

    session = _session(request, token)
    if session.annotated is None or not session.annotated.is_file():
        raise HTTPException(404, "chỉ có bản có nhận xét cho tệp .docx (annotated copies exist only for .docx "
                                 "uploads)")
    return FileResponse(session.annotated, filename=f"{_stem(session.name)}.nhan-xet.docx",
                        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


# --------------------------------------------------------------------------- archive documents


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: int) -> HTMLResponse:
    from fastapi import HTTPException

    from vanban.api import check
    from vanban.web.queries import stored_document
    from vanban.web.views import report_view

    if not 1 <= document_id <= MAX_ID:
        raise HTTPException(404, f"không có văn bản số {document_id} trong kho")
    state = state_of(request)
    record, doc = stored_document(state, document_id)
    report = check(doc, registry=state.registry())
    return _page("report.html.j2", active="search", r=report_view(report), session=None, stored=record,
                 downloads=[{"href": f"/api/v1/documents/{document_id}", "label": "JSON", "kind": "json",
                            "title": "Dữ liệu đã lưu của văn bản"}])


# --------------------------------------------------------------------------- search


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    type: Annotated[str, Query(max_length=100)] = "",
    family: Annotated[str, Query(max_length=16)] = "",
    issuer: Annotated[str, Query(max_length=200)] = "",
    year_from: Annotated[str, Query(max_length=8)] = "",
    year_to: Annotated[str, Query(max_length=8)] = "",
    cites: Annotated[str, Query(max_length=200)] = "",
    has_finding: Annotated[str, Query(max_length=64)] = "",
    page: Annotated[int, Query(ge=1, le=5000)] = 1,
) -> HTMLResponse:
    from vanban.extractor.errors import UsageError
    from vanban.web.queries import run_search
    from vanban.web.views import marked_snippet

    form = {"q": q, "type": type, "family": family, "issuer": issuer, "year_from": year_from,
            "year_to": year_to, "cites": cites, "has_finding": has_finding}
    searched = any(v.strip() for v in form.values())
    hits: list[Any] = []
    more = False
    error = None
    if searched:
        try:
            years = [_year(year_from, "Từ năm"), _year(year_to, "Đến năm")]
            found, more = run_search(state_of(request).store(), q, type=type, family=family or None, issuer=issuer,
                                     year_from=years[0], year_to=years[1], cites=cites, has_finding=has_finding,
                                     limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
            hits = [{"hit": h, "snippet": marked_snippet(h)} for h in found]
        except UsageError as err:
            error = str(err)
    return _page("search.html.j2", 400 if error else 200, active="search", form=form, hits=hits, more=more,
                 page=page, searched=searched, error=error, first=(page - 1) * PAGE_SIZE + 1)


def _year(value: str, label: str) -> int | None:
    from vanban.extractor.errors import UsageError

    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 1900 <= int(value) <= 2200:
        raise UsageError(f"{label}: năm không hợp lệ {value!r}")
    return int(value)


# --------------------------------------------------------------------------- regulations


@router.get("/regulations", response_class=HTMLResponse)
def regulations_page(request: Request, status: Annotated[str, Query(max_length=16)] = "",
                     q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    from vanban.corpus.fold import fold
    from vanban.corpus.registry import symbol_fold
    from vanban.web.archive import cited_keys

    state = state_of(request)
    registry = state.registry()
    cited = cited_keys(state.store())
    needle = " ".join(fold(q).split())
    rows: list[dict[str, Any]] = []
    known: set[str] = set()
    for e in registry:
        known.add(symbol_fold(e.key))
        known.add(symbol_fold(e.symbol))
        if status and e.status != status:
            continue
        if needle and needle not in " ".join(fold(f"{e.key} {e.type or ''} {e.title or ''} {e.issuer or ''}").split()):
            continue
        hits = cited.get(symbol_fold(e.key)) or cited.get(symbol_fold(e.symbol))
        rows.append({"entry": e, "cited": hits.documents if hits else 0})
    # Most cited first; then newest, since recent documents are the ones plans cite today.
    rows.sort(key=lambda r: (r["entry"].date or "", r["entry"].key), reverse=True)
    rows.sort(key=lambda r: -int(r["cited"]))
    unknown = sorted((c for k, c in cited.items() if k not in known and k.split("@")[0] not in known),
                     key=lambda c: (-c.documents, c.key))
    if needle:
        unknown = [c for c in unknown if needle in " ".join(fold(f"{c.key} {c.type or ''}").split())]
    counts = {s: sum(1 for e in registry if e.status == s) for s in ("in_force", "expired", "replaced")}
    return _page("regulations.html.j2", active="regulations", rows=rows, unknown=unknown[:200],
                 unknown_total=len(unknown), status=status, q=q, counts=counts, total=len(registry))


@router.get("/regulations/{key:path}", response_class=HTMLResponse)
def regulation_page(request: Request, key: str) -> HTMLResponse:
    from vanban.web.queries import regulation
    from vanban.web.views import marked_sentence

    found = regulation(state_of(request), key)
    citing: list[dict[str, Any]] = [{"row": r, "sentence": marked_sentence(r.sentence, r.text)} for r in found.citing]
    by_doc: dict[int, list[dict[str, Any]]] = {}
    for item in citing:
        by_doc.setdefault(item["row"].document.id, []).append(item)
    docs = list(by_doc.values())
    return _page("regulation.html.j2", active="regulations", reg=found, citing_docs=docs[:LIST_CAP],
                 citing_total=len(docs), chain=found.chain[:LIST_CAP])


# --------------------------------------------------------------------------- deadlines


def _deadline_rows(request: Request, date_from: str, date_to: str, unit: str) -> list[Any]:
    from vanban.corpus.queries import deadlines

    return deadlines(db=state_of(request).store(), date_from=date_from or None, date_to=date_to or None,
                     unit=unit or None)


@router.get("/deadlines", response_class=HTMLResponse)
def deadlines_page(
    request: Request,
    date_from: Annotated[str | None, Query(alias="from", max_length=32)] = None,
    date_to: Annotated[str, Query(alias="to", max_length=32)] = "",
    unit: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    from vanban.extractor.errors import UsageError

    # Upcoming by default: a first visit shows what is due from today on.
    start = date.today().isoformat() if date_from is None else date_from
    error = None
    rows: list[Any] = []
    try:
        rows = _deadline_rows(request, start, date_to, unit)
    except UsageError as err:
        error = str(err)
    total = len(rows)
    groups: dict[str, list[Any]] = {}
    for r in rows[:LIST_CAP]:
        groups.setdefault(r.unit or "", []).append(r)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[1][0].date, kv[0]))
    ics = {"from": start, "to": date_to, "unit": unit}
    return _page("deadlines.html.j2", 400 if error else 200, active="deadlines", groups=ordered, total=total,
                 shown=min(total, LIST_CAP),
                 form={"from": start, "to": date_to, "unit": unit}, error=error, ics=ics,
                 today=date.today().isoformat())


@router.get("/deadlines.ics")
def deadlines_ics(
    request: Request,
    date_from: Annotated[str, Query(alias="from", max_length=32)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=32)] = "",
    unit: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    from vanban.corpus.queries import deadlines_ics as to_ics

    rows = _deadline_rows(request, date_from, date_to, unit)
    return Response(to_ics(rows), media_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": _attachment("han-chot.ics")})


# --------------------------------------------------------------------------- archive status


@router.get("/archive", response_class=HTMLResponse)
def archive_page(request: Request) -> HTMLResponse:
    from vanban.web.archive import index_status

    store = state_of(request).store()
    failures = store.failures()
    return _page("archive.html.j2", active="archive", info=index_status(store), failures=failures[:LIST_CAP],
                 failures_total=len(failures))


# --------------------------------------------------------------------------- API reference and assets


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    from vanban.web.app import openapi_operations

    return _page("docs.html.j2", active="docs", ops=openapi_operations(request.app),
                 version=request.app.version)


@router.get("/assets/report.css")
def report_css() -> Response:
    from vanban.rules.report.html import assets

    return Response(assets()[0], media_type="text/css; charset=utf-8",
                    headers={"cache-control": "public, max-age=3600"})


@router.get("/assets/report.js")
def report_js() -> Response:
    from vanban.rules.report.html import assets

    return Response(assets()[1], media_type="text/javascript; charset=utf-8",
                    headers={"cache-control": "public, max-age=3600"})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    from vanban.web.views import STATIC

    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml",
                        headers={"cache-control": "public, max-age=86400"})
