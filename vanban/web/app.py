"""The web application: pages in Vietnamese, the REST API under ``/api/v1``, its reference at
``/docs`` and the OpenAPI schema at ``/openapi.json``. Everything it serves is in the package;
it needs no network.

``create_app`` is the factory ``vanban serve`` (and the tests) call. Uploads are processed in a
working folder inside ``data_dir`` and deleted at once; a checked document's report and
annotated .docx stay for a while under a random token (see ``sessions.py``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.web.state import DEFAULT_MAX_UPLOAD, Settings, WebState, default_data_dir

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from starlette.responses import Response

log = logging.getLogger("vanban.web")

DESCRIPTION = """\
Kiểm tra, trích xuất và tra cứu kế hoạch hành chính tiếng Việt.
(Check, extract and search Vietnamese administrative plans.)

Errors are always `{"error": {"code": ..., "message": ...}}`: `VB1xx` codes for files vanban
cannot read (415 unsupported type, 413 over the upload limit, 422 empty/damaged/encrypted/scanned),
`VB3xx` when the archive cannot be opened (503), and HTTP names (`not_found`,
`invalid_request`, …) otherwise.
"""


def create_app(
    db: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    data_dir: Path | None = None,
    *,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """Build the app. ``db`` is the archive (URL or SQLite path; None for the user's default),
    ``max_upload_bytes`` the largest file accepted, ``data_dir`` where uploads are processed and
    reports kept for download; ``allowed_hosts`` limits the ``Host`` header (``vanban serve``
    passes the loopback names when bound to 127.0.0.1, which stops DNS-rebinding pages)."""
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from vanban import __version__
    from vanban.web import api, pages
    from vanban.web.security import SecurityHeaders
    from vanban.web.uploads import sweep
    from vanban.web.views import STATIC

    if max_upload_bytes < 1:
        from vanban.extractor.errors import UsageError

        raise UsageError(f"giới hạn tải lên phải > 0 (got {max_upload_bytes})")
    settings = Settings(db=db, data_dir=Path(data_dir or default_data_dir()).expanduser().resolve(),
                        max_upload_bytes=max_upload_bytes)
    state = WebState(settings)
    # Leftovers of a process that died: working folders older than an hour, stale sessions.
    sweep(settings.work_dir, 3600)
    state.sessions.sweep_disk()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(title="vanban", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.web = state
    _install_error_handlers(app)
    app.add_middleware(SecurityHeaders, on_crash=_crash_response)
    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router, prefix="/api/v1", tags=["api"])
    app.include_router(pages.router, include_in_schema=False)
    return app


# --------------------------------------------------------------------------- errors


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/openapi.json"


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    from fastapi.responses import HTMLResponse, JSONResponse

    from vanban.web.errors import body

    if _wants_json(request):
        return JSONResponse(body(code, message), status_code=status)
    from vanban.web.views import render

    return HTMLResponse(render("error.html.j2", active="", status=status, code=code, message=message),
                        status_code=status)


def _crash_response(scope: dict[str, Any]) -> Response:
    from starlette.requests import Request

    from vanban.web.errors import HTTP_MESSAGES

    return error_response(Request(scope), 500, "internal_error", HTTP_MESSAGES[500])


def _install_error_handlers(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    from vanban.extractor.errors import VanbanError
    from vanban.web.errors import HTTP_CODES, HTTP_MESSAGES, status_of
    from vanban.web.uploads import UploadError

    async def on_vanban(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, VanbanError)
        status = status_of(exc)
        if status >= 500:
            log.error("%s %s: %s %s", request.method, request.url.path, exc.code, exc)
        return error_response(request, status, exc.code, str(exc))

    async def on_upload(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, UploadError)
        return error_response(request, exc.status, exc.code, exc.message)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        status = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) else ""
        from http import HTTPStatus

        try:
            standard = HTTPStatus(status).phrase
        except ValueError:
            standard = ""
        message = detail if detail and detail != standard else HTTP_MESSAGES.get(status, standard or "error")
        response = error_response(request, status, HTTP_CODES.get(status, f"http_{status}"), message)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        parts = []
        for err in exc.errors()[:5]:
            loc = ".".join(str(x) for x in err.get("loc", ())[1:]) or "request"
            parts.append(f"{loc}: {err.get('msg', 'invalid')}")
        message = "tham số không hợp lệ (invalid parameters): " + "; ".join(parts)
        return error_response(request, 422, "invalid_request", message)

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal_error", HTTP_MESSAGES[500])

    app.add_exception_handler(VanbanError, on_vanban)
    app.add_exception_handler(UploadError, on_upload)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_crash)


def openapi_operations(app: Any) -> list[dict[str, Any]]:
    """The API's operations in path order, for the reference page at /docs."""
    spec = app.openapi()
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description") or p.get("schema", {}).get("description", ""),
                       "type": _type_name(p.get("schema", {}))}
                      for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {})
            out.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "params": params,
                        "body": ", ".join(body), "responses": sorted(op.get("responses", {}))})
    return out


def _type_name(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type_name(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    kind = str(schema.get("type", ""))
    bounds = [f"{k} {schema[k]}" for k in ("minimum", "maximum", "maxLength") if k in schema]
    return kind + (f" ({', '.join(bounds)})" if bounds else "")
