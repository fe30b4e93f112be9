"""The archive database: SQLite (default, one file) or PostgreSQL (a shared server).

``Store.open(db)`` connects and brings the schema to the current revision with the Alembic
migrations in ``migrations/`` (skipped without importing Alembic when the database is already
current). Everything that writes a document does it in one transaction: a document is either
absent, pending (known, not yet extracted), failed (with its error) or complete with all its rows;
a killed indexer never leaves half a document behind.

``db`` everywhere in ``vanban.corpus`` is a URL (``sqlite:///archive.sqlite``,
``postgresql://user@host/db``), a file path (SQLite), an open ``Store``, or None for the user's
default archive (``$VANBAN_HOME/archive.sqlite``, else ``~/.local/share/vanban/archive.sqlite``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.extractor.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from vanban.extractor.model import ExtractedDocument

SCHEMA_HEAD = "0002"  # the newest revision in migrations/versions (a test keeps them equal)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


# --------------------------------------------------------------------------- where


def default_db_path() -> Path:
    from vanban.corpus.registry import user_data_dir

    return user_data_dir() / "archive.sqlite"


def database_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL for ``db`` (URL, SQLite file path, or None for the default archive)."""
    if db is None:
        path = default_db_path()
        return f"sqlite:///{path}"
    text = os.fspath(db)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    scheme, rest = text.split("://", 1)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return f"postgresql+psycopg://{rest}"
    if scheme in ("sqlite", "sqlite+pysqlite"):
        return text
    raise StoreError(f"cơ sở dữ liệu không hỗ trợ {scheme!r}: dùng sqlite:///… hoặc postgresql://… "
                     f"(unsupported database URL)", path=_safe_url(text))


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


# --------------------------------------------------------------------------- rows of one document


@dataclass(frozen=True, slots=True)
class DocumentRows:
    """Everything written for one document, built away from the database (in an indexer worker)."""

    sha256: str
    document: dict[str, Any]
    sections: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


_BREAK = re.compile(r"\n|(?<=[.;:!?])\s")


def context_of(text: str, start: int, end: int, limit: int = 320) -> str:
    """The sentence (or clause, in long paragraphs) around ``text[start:end]``, one line."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    if right - left > limit:
        lo = max(left, start - limit // 2)
        cuts = [m.end() for m in _BREAK.finditer(text, lo, start)]
        left = cuts[-1] if cuts else lo
        m = _BREAK.search(text, end, min(right, end + limit // 2))
        right = m.start() + 1 if m else min(right, end + limit // 2)
    return " ".join(text[left:right].split())


def _year(iso: str | None) -> int | None:
    return int(iso[:4]) if iso and len(iso) >= 4 and iso[:4].isdigit() else None


def extractor_version() -> str:
    from vanban import __version__

    return __version__


def document_rows(doc: ExtractedDocument, findings: Sequence[Any] = (), *, check_error: str | None = None
                  ) -> DocumentRows:
    """The rows of one extracted document (and the findings of its check, if any)."""
    from vanban.corpus.fold import fold

    text = doc.text
    head = doc.document
    data = doc.to_dict()
    data.pop("text", None)
    document = {
        "format": doc.source.format,
        "size": doc.source.size,
        "pages": doc.source.pages,
        "family": head.family,
        "type": head.type,
        "type_code": head.type_code,
        "number": head.number,
        "symbol": head.symbol,
        "date": head.date,
        "year": _year(head.date),
        "place": head.place,
        "issuer": head.issuer,
        "issuer_folded": " ".join(fold(head.issuer).split()) if head.issuer else None,
        "title": head.title,
        "text": text,
        "folded": fold(text),
        "quality": doc.quality.verdict if doc.quality else None,
        "extraction": json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        "check_error": check_error,
        "extractor_version": extractor_version(),
    }
    sections: list[dict[str, Any]] = []

    def walk(items: Iterable[Any], parent: int | None) -> None:
        for s in items:
            ord_ = len(sections)
            sections.append({"ord": ord_, "parent": parent, "number": s.number, "title": s.title,
                             "role": s.role, "level": s.level, "span_start": s.start, "span_end": s.end,
                             "heading_end": s.heading_end})
            walk(s.children, ord_)

    walk(doc.sections, None)
    citations = [
        {"ord": i, "key": c.key, "symbol": c.symbol, "type": c.type, "type_code": c.type_code,
         "number": c.number, "date": c.date, "year": _year(c.date) or c.year, "issuer": c.issuer,
         "title": c.title, "relation": c.relation, "span_start": c.start, "span_end": c.end,
         "text": c.text, "sentence": context_of(text, c.start, c.end)}
        for i, c in enumerate(doc.citations)
    ]
    deadlines = []
    for i, d in enumerate(doc.deadlines):
        unit, task = _owner(doc, d.start, d.end)
        deadlines.append(
            {"ord": i, "text": d.text, "date": d.date, "end_date": d.end_date, "kind": d.kind,
             "valid": d.valid, "inferred_year": d.inferred_year, "unit": unit,
             "unit_folded": " ".join(fold(unit).split()) if unit else None, "task": task,
             "span_start": d.start, "span_end": d.end, "sentence": context_of(text, d.start, d.end)})
    targets = [
        {"ord": i, "text": t.text, "value": t.value, "unit": t.unit, "kind": t.kind,
         "span_start": t.start, "span_end": t.end}
        for i, t in enumerate(doc.targets)
    ]
    units = [
        {"ord": i, "name": u.name, "name_folded": " ".join(fold(u.name).split()), "kind": u.kind,
         "span_start": u.start, "span_end": u.end}
        for i, u in enumerate(doc.units)
    ]
    found = [
        {"ord": i, "rule": f.rule, "severity": f.severity, "subject": f.subject, "message": f.message,
         "manual": bool(getattr(f, "manual", False)), "span_start": f.start, "span_end": f.end}
        for i, f in enumerate(findings)
    ]
    return DocumentRows(doc.source.sha256, document, sections, citations, deadlines, targets, units, found)


def _owner(doc: ExtractedDocument, start: int, end: int) -> tuple[str | None, str | None]:
    """The unit responsible for a deadline: the task that contains it, else the first unit named
    on the same line (table rows and "- Đơn vị chủ trì: …; thời gian: …" lines)."""
    for t in doc.tasks:
        if t.start <= start and end <= t.end:
            return t.unit, t.text
    text = doc.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for u in doc.units:
        if line_start <= u.start and u.end <= line_end:
            return u.name, None
    return None, None


# --------------------------------------------------------------------------- the store


@dataclass(frozen=True, slots=True)
class PathState:
    path: str
    sha256: str | None
    size: int | None
    mtime: float | None
    status: str
    document_id: int | None
    doc_status: str | None
    doc_version: str | None


@dataclass(frozen=True, slots=True)
class FileToIndex:
    path: str
    sha256: str
    size: int
    mtime: float
    format: str


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    code: str | None
    message: str | None
    sha256: str | None = None
    indexed_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "code": self.code, "message": self.message, "sha256": self.sha256,
                "indexed_at": self.indexed_at}


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """One open archive. Use as a context manager, or call ``close()``."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, db: str | os.PathLike[str] | Store | None = None, *, create: bool = True) -> Store:
        """Connect (and migrate). With ``create=False`` a missing SQLite file is an error rather
        than a new empty archive: searching an archive that was never built is a mistake."""
        if isinstance(db, Store):
            return db
        url = database_url(db)
        if not create and url.startswith("sqlite:///"):
            path = Path(url[len("sqlite:///"):])
            if str(path) != ":memory:" and not path.exists():
                raise StoreError("không tìm thấy kho lưu trữ; hãy chạy `vanban index THƯ_MỤC` trước "
                                 "(no archive here yet: run `vanban index DIR` first)", path=path)
        engine = _create_engine(url)
        store = cls(engine, url)
        try:
            store.migrate()
        except StoreError:
            engine.dispose()
            raise
        except Exception as err:
            engine.dispose()
            raise StoreError(f"không mở được kho lưu trữ (cannot open the archive): {_reason(err)}",
                             path=_safe_url(url)) from None
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return _safe_url(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def revision(self) -> str | None:
        from sqlalchemy import inspect, text

        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return row[0] if row else None

    def migrate(self) -> None:
        """Bring the schema to ``SCHEMA_HEAD``; Alembic is imported only when there is work."""
        current = self.revision()
        if current == SCHEMA_HEAD:
            return
        from alembic import command
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        known = {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}
        if current is not None and current not in known:
            raise StoreError(f"kho lưu trữ có lược đồ {current!r} mới hơn phiên bản vanban này "
                             f"(archive schema is newer than this vanban; upgrade vanban)",
                             path=self.display_url)
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # ------------------------------------------------------------ paths

    def path_states(self, roots: Sequence[str] | None = None) -> dict[str, PathState]:
        """Every known path (under ``roots`` when given), with the state of its document."""
        from sqlalchemy import select
        from vanban.corpus.schema import documents, paths

        q = (select(paths.c.path, paths.c.sha256, paths.c.size, paths.c.mtime, paths.c.status,
                    paths.c.document_id, documents.c.status, documents.c.extractor_version)
             .select_from(paths.outerjoin(documents, documents.c.id == paths.c.document_id)))
        if roots is not None:
            q = q.where(_under(paths.c.path, roots))
        with self.engine.connect() as conn:
            return {r[0]: PathState(*r) for r in conn.execute(q)}

    def touch_paths(self, items: Sequence[tuple[str, int, float]]) -> None:
        """Record a new size/mtime for files whose content did not change."""
        if not items:
            return
        from sqlalchemy import bindparam, update
        from vanban.corpus.schema import paths

        stmt = (update(paths).where(paths.c.path == bindparam("p"))
                .values(size=bindparam("s"), mtime=bindparam("m")))
        with self.engine.begin() as conn:
            conn.execute(stmt, [{"p": p, "s": s, "m": m} for p, s, m in items])

    def mark_pending(self, files: Sequence[FileToIndex], *, retry_failed: bool = False,
                     version: str | None = None) -> dict[str, str]:
        """Record files about to be indexed, in one transaction, before any work starts.

        Each path points at the document of its content (created as pending when the content is
        new). A path whose content is already indexed (a copy of a known file) is done at once;
        a path whose content failed before fails the same way unless ``retry_failed``. Returns
        ``{sha256: "extract" | "indexed" | "failed"}``: only "extract" needs a worker.
        """
        from sqlalchemy import select
        from vanban.corpus.schema import documents, paths

        version = version or extractor_version()
        plan: dict[str, str] = {}
        if not files:
            return plan
        now = _now()
        with self.engine.begin() as conn:
            shas = sorted({f.sha256 for f in files})
            known = _by_sha(conn, shas)
            new_docs: list[dict[str, Any]] = [{"sha256": s, "status": "pending"} for s in shas if s not in known]
            formats = {f.sha256: (f.format, f.size) for f in files}
            for d in new_docs:
                d["format"], d["size"] = formats[d["sha256"]]
            if new_docs:
                conn.execute(documents.insert(), new_docs)
                known = _by_sha(conn, shas)
            for sha in shas:
                doc_id, status, doc_version = known[sha]
                if status == "indexed" and doc_version == version:
                    plan[sha] = "indexed"
                elif status == "failed" and not retry_failed:
                    plan[sha] = "failed"
                else:
                    plan[sha] = "extract"
            redo = [known[s][0] for s, p in plan.items() if p == "extract" and known[s][1] != "pending"]
            if redo:
                conn.execute(documents.update().where(documents.c.id.in_(redo))
                             .values(status="pending", error_code=None, error_message=None))
            existing = {r[0]: (r[1], r[2]) for r in conn.execute(
                select(paths.c.path, paths.c.id, paths.c.document_id)
                .where(paths.c.path.in_([f.path for f in files])))}
            failed_docs = {}
            if any(p == "failed" for p in plan.values()):
                failed_docs = {r[0]: (r[1], r[2]) for r in conn.execute(
                    select(documents.c.sha256, documents.c.error_code, documents.c.error_message)
                    .where(documents.c.sha256.in_([s for s, p in plan.items() if p == "failed"])))}
            old_docs: set[int] = set()
            inserts, updates = [], []
            for f in files:
                doc_id = known[f.sha256][0]
                status = {"extract": "pending"}.get(plan[f.sha256], plan[f.sha256])
                code, message = failed_docs.get(f.sha256, (None, None))
                row = {"path": f.path, "document_id": doc_id, "sha256": f.sha256, "format": f.format,
                       "size": f.size, "mtime": f.mtime, "status": status, "error_code": code,
                       "error_message": message, "indexed_at": now if status != "pending" else None}
                if f.path in existing:
                    _pid, old = existing[f.path]
                    if old is not None and old != doc_id:
                        old_docs.add(old)
                    updates.append(row)
                else:
                    inserts.append(row)
            if inserts:
                conn.execute(paths.insert(), inserts)
            if updates:
                _update_paths(conn, updates)
            if old_docs:
                _delete_orphans(conn, old_docs)
        return plan

    def path_failed(self, path: str, code: str, message: str, *, size: int | None = None,
                    mtime: float | None = None, format: str | None = None) -> None:
        """A file that could not even be read (no content, so no document)."""
        from sqlalchemy import select
        from vanban.corpus.schema import paths

        row = {"path": path, "document_id": None, "sha256": None, "format": format, "size": size,
               "mtime": mtime, "status": "failed", "error_code": code, "error_message": message,
               "indexed_at": _now()}
        with self.engine.begin() as conn:
            old = conn.execute(select(paths.c.document_id).where(paths.c.path == path)).first()
            if old is None:
                conn.execute(paths.insert(), [row])
            else:
                _update_paths(conn, [row])
                if old[0] is not None:
                    _delete_orphans(conn, {old[0]})

    def prune(self, roots: Sequence[str], keep: set[str]) -> int:
        """Forget paths under ``roots`` that are not in ``keep`` (deleted files), and the documents
        no path refers to any more. Returns the number of paths removed."""
        from sqlalchemy import select
        from vanban.corpus.schema import paths

        with self.engine.begin() as conn:
            rows = conn.execute(select(paths.c.id, paths.c.path, paths.c.document_id)
                                .where(_under(paths.c.path, roots))).all()
            gone = [r for r in rows if r[1] not in keep]
            if not gone:
                return 0
            ids = [r[0] for r in gone]
            for chunk in _chunks(ids, 500):
                conn.execute(paths.delete().where(paths.c.id.in_(chunk)))
            _delete_orphans(conn, {r[2] for r in gone if r[2] is not None})
            return len(gone)

    # ------------------------------------------------------------ documents

    def write_batch(self, results: Sequence[DocumentRows | tuple[str, str, str]]) -> None:
        """Write finished documents and failures in one transaction (each one whole)."""
        if not results:
            return
        with self.engine.begin() as conn:
            for item in results:
                if isinstance(item, DocumentRows):
                    self._write_rows(conn, item)
                else:
                    self._write_failure(conn, *item)

    def write_document(self, doc: ExtractedDocument, findings: Sequence[Any] = (), *,
                       path: str | None = None, mtime: float | None = None) -> int:
        """Store one extracted document (tests, the web upload, single-file use); returns its id.

        With ``path`` the file is recorded too, exactly as the indexer would.
        """
        rows = document_rows(doc, findings)
        if path is not None:
            self.mark_pending([FileToIndex(path, rows.sha256, doc.source.size or len(doc.text.encode()),
                                           mtime if mtime is not None else 0.0, doc.source.format)],
                              retry_failed=True)
        with self.engine.begin() as conn:
            return self._write_rows(conn, rows)

    def _write_rows(self, conn: Connection, rows: DocumentRows) -> int:
        from sqlalchemy import select
        from vanban.corpus import schema as s

        now = _now()
        doc_id = conn.execute(select(s.documents.c.id).where(s.documents.c.sha256 == rows.sha256)).scalar()
        values = {k: v for k, v in rows.document.items() if k not in s.TEXT_COLUMNS}
        values.update(status="indexed", error_code=None, error_message=None, indexed_at=now)
        if doc_id is None:
            doc_id = conn.execute(s.documents.insert().values(sha256=rows.sha256, **values)
                                  .returning(s.documents.c.id)).scalar_one()
        else:
            for table in (*s.CHILD_TABLES, s.regulations):
                conn.execute(table.delete().where(table.c.document_id == doc_id))
            conn.execute(s.documents.update().where(s.documents.c.id == doc_id).values(**values))
        conn.execute(s.document_texts.insert().values(
            document_id=doc_id, **{k: rows.document[k] for k in s.TEXT_COLUMNS}))
        for table, items in ((s.sections, rows.sections), (s.citations, rows.citations),
                             (s.deadlines, rows.deadlines), (s.targets, rows.targets),
                             (s.units, rows.units), (s.findings, rows.findings)):
            if items:
                conn.execute(table.insert(), [dict(item, document_id=doc_id) for item in items])
        doc = rows.document
        if doc.get("symbol"):
            conn.execute(s.regulations.insert(), [{
                "key": doc["symbol"], "symbol": doc["symbol"], "type": doc.get("type"),
                "number": doc.get("number"), "date": doc.get("date"), "year": doc.get("year"),
                "issuer": doc.get("issuer"), "title": doc.get("title"), "status": "in_force",
                "origin": "archive", "document_id": doc_id}])
        conn.execute(s.paths.update().where(s.paths.c.document_id == doc_id)
                     .values(status="indexed", error_code=None, error_message=None, indexed_at=now))
        return int(doc_id)

    def _write_failure(self, conn: Connection, sha256: str, code: str, message: str) -> None:
        from vanban.corpus import schema as s

        now = _now()
        doc_id = conn.execute(s.documents.update().where(s.documents.c.sha256 == sha256)
                              .values(status="failed", error_code=code, error_message=message,
                                      indexed_at=now, extractor_version=extractor_version())
                              .returning(s.documents.c.id)).scalar()
        if doc_id is not None:
            conn.execute(s.paths.update().where(s.paths.c.document_id == doc_id)
                         .values(status="failed", error_code=code, error_message=message, indexed_at=now))

    def load(self, document_id: int) -> ExtractedDocument | None:
        """The stored document as the extractor produced it (text and entities, no re-extraction)."""
        from sqlalchemy import select
        from vanban.corpus.schema import document_texts, documents
        from vanban.extractor.model import ExtractedDocument

        with self.engine.connect() as conn:
            row = conn.execute(select(document_texts.c.text, document_texts.c.extraction)
                               .join_from(document_texts, documents)
                               .where(documents.c.id == document_id,
                                      documents.c.status == "indexed")).first()
        if row is None or row[1] is None:
            return None
        data = json.loads(row[1])
        data["text"] = row[0]
        return ExtractedDocument.from_dict(data)

    def document_for_path(self, path: str) -> int | None:
        from sqlalchemy import select
        from vanban.corpus.schema import paths

        with self.engine.connect() as conn:
            return conn.execute(select(paths.c.document_id).where(paths.c.path == path)).scalar()

    def document_for_sha(self, sha256: str) -> int | None:
        from sqlalchemy import select
        from vanban.corpus.schema import documents

        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar()

    # ------------------------------------------------------------ reports

    def failures(self, roots: Sequence[str] | None = None) -> list[Failure]:
        from sqlalchemy import select
        from vanban.corpus.schema import paths

        q = (select(paths.c.path, paths.c.error_code, paths.c.error_message, paths.c.sha256, paths.c.indexed_at)
             .where(paths.c.status == "failed").order_by(paths.c.path))
        if roots:
            q = q.where(_under(paths.c.path, roots))
        with self.engine.connect() as conn:
            return [Failure(r[0], r[1], r[2], r[3], r[4].isoformat() if r[4] else None) for r in conn.execute(q)]

    def counts(self) -> dict[str, int]:
        """Rows per table and paths per status (for summaries and tests)."""
        from sqlalchemy import func, select
        from vanban.corpus import schema as s

        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for table in (s.documents, s.paths, *s.CHILD_TABLES, s.regulations):
                out[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
            for status, n in conn.execute(select(s.paths.c.status, func.count()).group_by(s.paths.c.status)):
                out[f"paths_{status}"] = n
            for status, n in conn.execute(select(s.documents.c.status, func.count())
                                          .group_by(s.documents.c.status)):
                out[f"documents_{status}"] = n
        return out

    def sync_registry(self, entries: Iterable[Any]) -> int:
        """Replace the registry's rows (origin builtin/user) with ``entries`` (``RegEntry``)."""
        from vanban.corpus.schema import regulations

        rows = [{"key": e.key, "symbol": e.symbol, "type": e.type, "number": e.number, "date": e.date,
                 "year": _year(e.date), "issuer": e.issuer, "title": e.title, "status": e.status,
                 "status_date": e.status_date, "replaced_by": e.replaced_by, "origin": e.origin}
                for e in entries if e.origin != "archive"]
        with self.engine.begin() as conn:
            conn.execute(regulations.delete().where(regulations.c.origin != "archive"))
            if rows:
                conn.execute(regulations.insert(), rows)
        return len(rows)


# --------------------------------------------------------------------------- helpers


def open_store(db: str | os.PathLike[str] | Store | None, *, create: bool = True) -> tuple[Store, bool]:
    """``(store, owned)``: owned stores were opened here and must be closed by the caller."""
    if isinstance(db, Store):
        return db, False
    return Store.open(db, create=create), True


@contextmanager
def using(db: str | os.PathLike[str] | Store | None, *, create: bool = False) -> Iterator[Store]:
    """An open store for a read query (a missing SQLite archive is an error, not created)."""
    store, owned = open_store(db, create=create)
    try:
        yield store
    finally:
        if owned:
            store.close()


def _create_engine(url: str) -> Engine:
    try:
        from sqlalchemy import create_engine, event
    except ImportError:  # pragma: no cover - sqlalchemy is a core dependency
        raise StoreError("SQLAlchemy chưa được cài đặt (pip install sqlalchemy)") from None
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"không tạo được thư mục: {err.strerror}", path=path) from None
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")  # the cascades that delete a document's rows
            cur.execute("PRAGMA journal_mode=WAL")  # readers (search) never wait for the indexer
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a crash loses at most the last commit
            cur.close()

        return engine
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise StoreError("PostgreSQL cần gói psycopg: pip install 'vanban[postgres]' "
                         "(PostgreSQL needs psycopg)", path=_safe_url(url)) from None
    # A server that does not answer is an error after 10 s, not a hang.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _reason(err: Exception) -> str:
    orig = getattr(err, "orig", None)
    text = str(orig if orig is not None else err).strip().splitlines()
    return text[0] if text else type(err).__name__


def _under(column: Any, roots: Sequence[str]) -> Any:
    """``column`` is one of ``roots`` or lies below one (plain string prefix; LIKE would need
    escaping and is case-insensitive on SQLite)."""
    from sqlalchemy import false, func, or_

    conds = []
    for root in roots:
        prefix = root.rstrip("/") + "/"
        conds.append(column == root)
        conds.append(func.substr(column, 1, len(prefix)) == prefix)
    return or_(*conds) if conds else false()


def _by_sha(conn: Connection, shas: Sequence[str]) -> dict[str, tuple[int, str, str | None]]:
    from sqlalchemy import select
    from vanban.corpus.schema import documents

    out = {}
    for chunk in _chunks(list(shas), 500):
        q = select(documents.c.sha256, documents.c.id, documents.c.status, documents.c.extractor_version
                   ).where(documents.c.sha256.in_(chunk))
        out.update({r[0]: (r[1], r[2], r[3]) for r in conn.execute(q)})
    return out


def _update_paths(conn: Connection, rows: list[dict[str, Any]]) -> None:
    from sqlalchemy import bindparam
    from vanban.corpus.schema import paths

    cols = [k for k in rows[0] if k != "path"]
    stmt = (paths.update().where(paths.c.path == bindparam("_path"))
            .values({c: bindparam(f"_{c}") for c in cols}))
    conn.execute(stmt, [{f"_{k}": v for k, v in r.items()} for r in rows])


def _delete_orphans(conn: Connection, candidates: Iterable[int]) -> int:
    """Delete documents (and, by cascade, their rows) that no path refers to any more."""
    from sqlalchemy import exists, select
    from vanban.corpus.schema import documents, paths

    ids = sorted(set(candidates))
    deleted = 0
    for chunk in _chunks(ids, 500):
        orphan = (select(documents.c.id).where(documents.c.id.in_(chunk))
                  .where(~exists().where(paths.c.document_id == documents.c.id)))
        gone = [r[0] for r in conn.execute(orphan)]
        if gone:
            conn.execute(documents.delete().where(documents.c.id.in_(gone)))
            deleted += len(gone)
    return deleted


def _chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]
