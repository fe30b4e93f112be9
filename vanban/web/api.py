"""The REST API, under ``/api/v1``. Every error is ``{"error": {"code", "message"}}``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from vanban.web.state import WebState

router = APIRouter()

MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL
Family = Literal["party", "state", "joint", "unknown"]


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    words = {400: "Bad request", 404: "Not found", 413: "File over the upload limit",
             415: "Not a multipart upload, or a file type vanban cannot read",
             422: "Invalid parameters, or a file that cannot be read (empty, damaged, encrypted, scanned)",
             501: "The server lacks a converter for this format (.doc needs antiword or LibreOffice)",
             503: "The archive cannot be opened"}
    return {s: {"model": ErrorResponse, "description": words[s]} for s in statuses}


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary",
                                    "description": ".docx, .pdf, .doc, .txt or .md; the type is read from "
                                                   "the content, not the name"}},
        }}},
    }
}
_JSON_OBJECT: dict[int | str, dict[str, Any]] = {200: {"content": {"application/json": {"schema": {"type": "object"}}}}}


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


async def _receive(request: Request) -> Any:
    from vanban.web.uploads import receive

    settings = state_of(request).settings
    return await receive(request.headers, request.stream(), settings.work_dir, settings.max_upload_bytes)


@router.post("/check", summary="Kiểm tra một văn bản (check a document)",
             description="Upload a file in the multipart field `file`; returns the check report: findings "
                         "with their spans, manual checks, the extracted header and the rule packs applied.",
             openapi_extra=_UPLOAD_BODY, responses={**_JSON_OBJECT, **_errors(400, 413, 415, 422, 501)})
async def check_document(request: Request) -> JSONResponse:
    from vanban.web.process import check_upload

    upload = await _receive(request)
    report = await run_in_threadpool(check_upload, upload, state_of(request))
    return JSONResponse(report.to_dict())


@router.post("/extract", summary="Trích xuất thông tin (extract a document)",
             description="Upload a file in the multipart field `file`; returns the extraction contract: text, "
                         "header, sections, citations, deadlines, targets, units and tasks with their offsets.",
             openapi_extra=_UPLOAD_BODY, responses={**_JSON_OBJECT, **_errors(400, 413, 415, 422, 501)})
async def extract_document(request: Request) -> JSONResponse:
    from vanban.web.process import extract_upload

    upload = await _receive(request)
    doc = await run_in_threadpool(extract_upload, upload)
    return JSONResponse(doc.to_dict())


class SearchHitOut(BaseModel):
    """One hit as ``vanban search --format json`` prints it (fields the archive adds pass through)."""

    model_config = ConfigDict(extra="allow")

    document_id: int
    path: str | None
    paths: list[str]
    sha256: str
    format: str | None
    family: str | None
    type: str | None
    type_code: str | None
    number: str | None
    symbol: str | None
    date: str | None
    issuer: str | None
    title: str | None
    score: float
    exact: bool
    snippet: str
    highlights: list[list[int]] = Field(description="half-open [start, end) spans of matched words in snippet")
    snippet_start: int = 0


class SearchResult(BaseModel):
    query: str
    limit: int
    offset: int
    next_offset: int | None
    hits: list[SearchHitOut]


@router.get("/search", summary="Tìm kiếm toàn văn (full-text search)", response_model=SearchResult,
            description='Diacritics optional: `dan van kheo` finds "dân vận khéo". Phrases in quotes, `word*` '
                        "prefixes, `-word` exclusions, `OR`. An empty query lists documents, newest first.",
            responses=_errors(400, 422, 503))
def search_archive(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="the query")] = "",
    type: Annotated[str | None, Query(max_length=100, description="type name or code: Kế hoạch, KH")] = None,
    family: Family | None = None,
    issuer: Annotated[str | None, Query(max_length=200, description="part of the issuer's name")] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    cites: Annotated[str | None, Query(max_length=200, description="cites this key or symbol: 25-NQ/TW")] = None,
    has_finding: Annotated[str | None, Query(max_length=64, description="any, a rule id or a severity")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    from vanban.web.queries import run_search

    hits, more = run_search(state_of(request).store(), q, type=type, family=family, issuer=issuer,
                            year_from=year_from, year_to=year_to, cites=cites, has_finding=has_finding,
                            limit=limit, offset=offset)
    return {"query": q, "limit": limit, "offset": offset, "next_offset": offset + limit if more else None,
            "hits": [h.to_dict() for h in hits]}


KeyPath = Annotated[str, Path(description="a key or symbol, slashes included: 25-NQ/TW, 124-QĐ/TW@2023")]


@router.get("/regulations/{key:path}/citing", summary="Văn bản trong kho dẫn một văn bản (who cites it)",
            description="Every mention of the document in the archive, and the chain of documents that "
                        "implement it (level 1 implements it directly, level 2 implements a level-1 plan, …).",
            responses={**_JSON_OBJECT, **_errors(404, 503)})
def regulation_citing(request: Request, key: KeyPath,
                      relation: Literal["implements", "basis", "mention"] | None = None) -> dict[str, Any]:
    from vanban.web.queries import regulation

    found = regulation(state_of(request), key, relation=relation)
    return {"key": found.key, "citing": [r.to_dict() for r in found.citing],
            "implementations": [r.to_dict() for r in found.chain]}


@router.get("/regulations/{key:path}", summary="Một văn bản được dẫn (a cited document)",
            description="What the registry knows (date, issuer, status, successor), the archived copies "
                        "and how many archived documents cite it.",
            responses={**_JSON_OBJECT, **_errors(404, 503)})
def regulation_detail(request: Request, key: KeyPath) -> dict[str, Any]:
    from vanban.web.queries import regulation

    found = regulation(state_of(request), key)
    return {"key": found.key, "entries": [e.to_dict() for e in found.entries],
            "successors": {k: v.to_dict() for k, v in found.successors.items()},
            "archived": found.archived, "cited_by_documents": len({r.document.id for r in found.citing})}


@router.get("/documents/{document_id}", summary="Một văn bản trong kho (an archived document)",
            description="The stored extraction (the contract, with the text), its paths and the findings "
                        "stored when it was indexed.",
            responses={**_JSON_OBJECT, **_errors(404, 503)})
def document_detail(request: Request, document_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> dict[str, Any]:
    from vanban.web.queries import stored_document

    record, doc = stored_document(state_of(request), document_id)
    return {**record, "extraction": doc.to_dict()}


class DeadlineOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    date: str
    end_date: str | None
    kind: str
    text: str
    unit: str | None
    task: str | None
    sentence: str
    document: dict[str, Any]


class DeadlinesResult(BaseModel):
    date_from: str | None
    date_to: str | None
    unit: str | None
    truncated: bool
    deadlines: list[DeadlineOut]


@router.get("/deadlines", summary="Hạn chót trong kho (deadlines across the archive)", response_model=DeadlinesResult,
            description="Dated deadlines in [from, to] (a period counts when it overlaps), optionally of one "
                        "unit (part of its name, diacritics optional), in date order.",
            responses=_errors(400, 422, 503))
def deadline_list(
    request: Request,
    date_from: Annotated[str | None, Query(alias="from", max_length=32,
                                           description="YYYY-MM-DD, DD/MM/YYYY or 'today'")] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=32)] = None,
    unit: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> dict[str, Any]:
    from vanban.corpus.queries import deadlines

    rows = deadlines(db=state_of(request).store(), date_from=date_from or None, date_to=date_to or None,
                     unit=unit or None)
    return {"date_from": date_from, "date_to": date_to, "unit": unit, "truncated": len(rows) > limit,
            "deadlines": [r.to_dict() for r in rows[:limit]]}
