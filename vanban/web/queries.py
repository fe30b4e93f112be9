"""The questions pages and API share, composed from ``vanban.corpus`` (search, cites,
implementations) and the registry; each raises ``NotFound`` for a 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException

if TYPE_CHECKING:
    from vanban.corpus.queries import CitingRow
    from vanban.corpus.registry import RegEntry
    from vanban.corpus.search import SearchHit
    from vanban.corpus.store import Store
    from vanban.extractor.model import ExtractedDocument
    from vanban.web.state import WebState

ANY_FINDING = {"any", "yes", "true", "có", "co"}
NO_FINDING = {"none", "no", "false", "không", "khong"}


def not_found(message: str) -> HTTPException:
    return HTTPException(status_code=404, detail=message)


def finding_filter(value: str | None) -> str | bool | None:
    """``--has-finding`` semantics: any/none, or a rule id or severity."""
    if value is None or not value.strip():
        return None
    v = value.strip()
    if v.lower() in ANY_FINDING:
        return True
    if v.lower() in NO_FINDING:
        return False
    return v


def run_search(store: Store, q: str, *, type: str | None = None, family: str | None = None,
               issuer: str | None = None, year_from: int | None = None, year_to: int | None = None,
               cites: str | None = None, has_finding: str | None = None, limit: int = 20, offset: int = 0
               ) -> tuple[list[SearchHit], bool]:
    """One page of hits and whether another page follows (one hit more is asked for to know)."""
    from vanban.corpus.search import search

    hits = search(q, db=store, type=type or None, family=family or None, issuer=issuer or None,
                  year_from=year_from, year_to=year_to, cites=(cites or "").strip() or None,
                  has_finding=finding_filter(has_finding), limit=limit + 1, offset=offset)
    return hits[:limit], len(hits) > limit


@dataclass(slots=True)
class Regulation:
    key: str
    entries: list[RegEntry] = field(default_factory=list)
    successors: dict[str, RegEntry] = field(default_factory=dict)
    archived: list[dict[str, Any]] = field(default_factory=list)
    citing: list[CitingRow] = field(default_factory=list)
    chain: list[CitingRow] = field(default_factory=list)


def regulation(state: WebState, key: str, *, relation: str | None = None) -> Regulation:
    """Everything known about one cited document; 404 when neither the registry nor the archive
    has heard of it."""
    from vanban.corpus.queries import cites, implementations
    from vanban.corpus.registry import canonical_symbol
    from vanban.web.archive import documents_with_symbol

    key = canonical_symbol(key.strip().strip("/"))
    if not key:
        raise not_found("thiếu ký hiệu văn bản (no key given)")
    registry = state.registry()
    store = state.store()
    entries = registry.resolve(key)
    citing = cites([key], db=store, relation=relation)
    archived = documents_with_symbol(store, key)
    if not entries and not citing and not archived:
        hints = registry.suggest(key)
        hint = f"; ý bạn là {', '.join(hints)}?" if hints else ""
        raise not_found(f"không có văn bản {key!r} trong sổ văn bản hay trong kho{hint}")
    successors = {}
    for e in entries:
        nxt = registry.successor(e)
        if nxt is not None:
            successors[e.key] = nxt
    chain = implementations(key, db=store) if relation in (None, "implements") else []
    return Regulation(key=entries[0].key if len(entries) == 1 else key, entries=entries, successors=successors,
                      archived=archived, citing=citing, chain=chain)


def stored_document(state: WebState, document_id: int) -> tuple[dict[str, Any], ExtractedDocument]:
    from vanban.web.archive import document_record

    store = state.store()
    doc = store.load(document_id)
    record = document_record(store, document_id) if doc is not None else None
    if doc is None or record is None:
        raise not_found(f"không có văn bản số {document_id} trong kho (no archived document {document_id})")
    return record, doc
