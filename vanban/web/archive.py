"""The few read-only archive questions the pages ask that ``vanban.corpus`` has no verb for:
how often each key is cited, which archived documents carry a symbol, the state of the last
indexing run, and one document's stored findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vanban.corpus.store import Store


@dataclass(frozen=True, slots=True)
class CitedKey:
    key: str
    type: str | None
    documents: int  # archived documents that cite it
    mentions: int


def cited_keys(store: Store) -> dict[str, CitedKey]:
    """Every key cited in the archive, by its symbol-folded form."""
    from sqlalchemy import distinct, func, select

    from vanban.corpus.registry import symbol_fold
    from vanban.corpus.schema import citations, documents

    c = citations.c
    q = (select(c.key, func.max(c.type), func.count(distinct(c.document_id)), func.count())
         .join_from(citations, documents, documents.c.id == c.document_id)
         .where(documents.c.status == "indexed").group_by(c.key))
    out: dict[str, CitedKey] = {}
    with store.engine.connect() as conn:
        for key, type_, docs, mentions in conn.execute(q):
            folded = symbol_fold(key)
            old = out.get(folded)
            if old is None:
                out[folded] = CitedKey(key, type_, docs, mentions)
            else:  # spellings that fold together (case) are one key
                out[folded] = CitedKey(old.key, old.type or type_, old.documents + docs, old.mentions + mentions)
    return out


def documents_with_symbol(store: Store, symbol: str) -> list[dict[str, Any]]:
    """Archived documents whose own number/symbol is ``symbol`` (the cited document itself, when
    it is in the archive)."""
    from sqlalchemy import func, select

    from vanban.corpus.registry import canonical_symbol
    from vanban.corpus.schema import documents

    d = documents.c
    bare = canonical_symbol(symbol).split("@", 1)[0]
    q = (select(d.id, d.symbol, d.date, d.type, d.issuer, d.title)
         .where(d.status == "indexed", func.upper(d.symbol) == bare.upper()).order_by(d.date, d.id))
    with store.engine.connect() as conn:
        return [dict(zip(("id", "symbol", "date", "type", "issuer", "title"), r, strict=True))
                for r in conn.execute(q)]


def index_status(store: Store) -> dict[str, Any]:
    """Counts, the time of the last indexing activity and the documents vanban knows about."""
    from sqlalchemy import func, select

    from vanban.corpus.schema import documents, paths

    counts = store.counts()
    with store.engine.connect() as conn:
        last = conn.execute(select(func.max(paths.c.indexed_at))).scalar()
        last_doc = conn.execute(select(func.max(documents.c.indexed_at))).scalar()
        formats: dict[str | None, int] = dict(conn.execute(select(documents.c.format, func.count())
                                    .where(documents.c.status == "indexed").group_by(documents.c.format)).all())
    stamps = [t for t in (last, last_doc) if t is not None]
    newest = max(stamps, key=lambda t: t.replace(tzinfo=None)) if stamps else None
    return {
        "db": store.display_url,
        "documents": counts.get("documents_indexed", 0),
        "failed": counts.get("documents_failed", 0) + _failed_paths_without_document(store),
        "pending": counts.get("documents_pending", 0),
        "paths": counts.get("paths", 0),
        "citations": counts.get("citations", 0),
        "deadlines": counts.get("deadlines", 0),
        "findings": counts.get("findings", 0),
        "formats": {k or "?": v for k, v in sorted(formats.items(), key=lambda kv: -kv[1])},
        "last_run": newest.isoformat(timespec="seconds") if newest is not None else None,
    }


def _failed_paths_without_document(store: Store) -> int:
    from sqlalchemy import func, select

    from vanban.corpus.schema import paths

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(paths)
                                .where(paths.c.status == "failed", paths.c.document_id.is_(None))).scalar_one())


def document_record(store: Store, document_id: int) -> dict[str, Any] | None:
    """The stored facts of one indexed document: paths, status and the findings of its check."""
    from sqlalchemy import select

    from vanban.corpus.schema import documents, findings, paths

    with store.engine.connect() as conn:
        row = conn.execute(select(documents.c.id, documents.c.sha256, documents.c.status, documents.c.indexed_at,
                                  documents.c.extractor_version, documents.c.check_error)
                           .where(documents.c.id == document_id)).first()
        if row is None:
            return None
        where = [r[0] for r in conn.execute(select(paths.c.path).where(paths.c.document_id == document_id)
                                            .order_by(paths.c.path))]
        f = findings.c
        stored = [{"rule": r[0], "severity": r[1], "subject": r[2], "message": r[3], "manual": r[4],
                   "start": r[5], "end": r[6]}
                  for r in conn.execute(select(f.rule, f.severity, f.subject, f.message, f.manual, f.span_start,
                                               f.span_end).where(f.document_id == document_id).order_by(f.ord))]
    return {"id": row[0], "sha256": row[1], "status": row[2],
            "indexed_at": row[3].isoformat(timespec="seconds") if row[3] else None,
            "extractor_version": row[4], "check_error": row[5], "paths": where, "findings": stored}
