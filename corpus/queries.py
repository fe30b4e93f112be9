"""Questions about the archive as a whole: who cites what, what implements what, what is due when.

A citation names a document by symbol (and usually date). Symbols are not unique — "01/KH-UBND"
is issued by every commune every year — so a citation resolves to an archived document only when
the symbols agree and the cited date equals the document's date (or, when the citation has no
date, when exactly one archived document carries that symbol). Everything else stays a key.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.extractor.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from vanban.corpus.store import Store

@dataclass(frozen=True, slots=True)
class DocRef:
    """An archived document, as query results name it."""

    id: int
    path: str | None
    symbol: str | None
    date: str | None
    type: str | None
    issuer: str | None
    title: str | None

    @property
    def label(self) -> str:
        if self.symbol:
            return self.symbol + (f" ({self.date})" if self.date else "")
        if self.title:
            return self.title if len(self.title) <= 60 else self.title[:59] + "…"
        return Path(self.path).name if self.path else f"#{self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "path": self.path, "symbol": self.symbol, "date": self.date,
                "type": self.type, "issuer": self.issuer, "title": self.title}


@dataclass(frozen=True, slots=True)
class CitingRow:
    """One mention of a cited document in an archived one."""

    key: str  # what was asked for (or the citation's key)
    document: DocRef  # the citing document
    relation: str
    cited_symbol: str | None
    cited_date: str | None
    text: str
    sentence: str
    start: int
    end: int
    level: int = 1  # for implementation chains: 1 = implements the key directly
    via: str | None = None  # the document in between, for level > 1

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "level": self.level, "via": self.via, "relation": self.relation,
                "cited_symbol": self.cited_symbol, "cited_date": self.cited_date, "text": self.text,
                "sentence": self.sentence, "start": self.start, "end": self.end,
                "document": self.document.to_dict()}


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    date: str
    end_date: str | None
    kind: str
    text: str
    unit: str | None
    task: str | None
    sentence: str
    document: DocRef
    ord: int

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "end_date": self.end_date, "kind": self.kind, "text": self.text,
                "unit": self.unit, "task": self.task, "sentence": self.sentence,
                "document": self.document.to_dict()}


@dataclass(slots=True)
class Graph:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (from, to, relation) -> mentions

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes.values()),
                "edges": [{"source": s, "target": t, "relation": r, "mentions": n}
                          for (s, t, r), n in sorted(self.edges.items())]}


# --------------------------------------------------------------------------- helpers


def _docs_by_id(conn: Connection, ids: Iterable[int]) -> dict[int, DocRef]:
    from sqlalchemy import select
    from vanban.corpus.schema import documents, paths

    ids = sorted(set(ids))
    out: dict[int, DocRef] = {}
    first_path: dict[int, str] = {}
    d = documents.c
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for doc_id, path in conn.execute(select(paths.c.document_id, paths.c.path)
                                         .where(paths.c.document_id.in_(chunk)).order_by(paths.c.path)):
            first_path.setdefault(doc_id, path)
        for r in conn.execute(select(d.id, d.symbol, d.date, d.type, d.issuer, d.title).where(d.id.in_(chunk))):
            out[r[0]] = DocRef(r[0], first_path.get(r[0]), r[1], r[2], r[3], r[4], r[5])
    return out


class _Resolver:
    """Archived documents by symbol, to tell which one a citation names."""

    def __init__(self, conn: Connection) -> None:
        from sqlalchemy import select
        from vanban.corpus.registry import symbol_fold
        from vanban.corpus.schema import documents

        self._fold = symbol_fold
        self.by_symbol: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
        q = select(documents.c.id, documents.c.symbol, documents.c.date).where(
            documents.c.status == "indexed", documents.c.symbol.is_not(None))
        for doc_id, symbol, day in conn.execute(q):
            self.by_symbol[symbol_fold(symbol)].append((doc_id, day))

    def resolve(self, symbol: str | None, day: str | None, year: int | None = None) -> int | None:
        if not symbol:
            return None
        cands = self.by_symbol.get(self._fold(symbol), [])
        if day:
            same = [i for i, d in cands if d == day]
            return same[0] if len(same) == 1 else None
        if year:
            cands = [(i, d) for i, d in cands if d and d[:4] == str(year)]
        return cands[0][0] if len(cands) == 1 else None


def _citation_rows(conn: Connection, where: Any, key: str | None = None) -> list[CitingRow]:
    from sqlalchemy import select
    from vanban.corpus.schema import citations, documents

    c = citations.c
    q = (select(c.document_id, c.key, c.relation, c.symbol, c.date, c.text, c.sentence, c.span_start,
                c.span_end)
         .join_from(citations, documents, documents.c.id == c.document_id)
         .where(documents.c.status == "indexed", where)
         .order_by(documents.c.date, c.document_id, c.ord))
    rows = conn.execute(q).all()
    docs = _docs_by_id(conn, (r[0] for r in rows))
    return [CitingRow(key or r[1], docs[r[0]], r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows]


# --------------------------------------------------------------------------- queries


def cites(keys: Sequence[str], *, db: str | os.PathLike[str] | Store | None = None,
          relation: str | None = None) -> list[CitingRow]:
    """Every mention, in archived documents, of the documents named by ``keys`` (a symbol such as
    ``25-NQ/TW``, a key, or ``SYMBOL@YEAR``). ``relation`` keeps only implements/basis/mention."""
    from sqlalchemy import and_
    from vanban.corpus.schema import citations
    from vanban.corpus.search import citation_matches
    from vanban.corpus.store import using

    if not keys:
        raise UsageError("cần ít nhất một ký hiệu văn bản (give at least one key)")
    out: list[CitingRow] = []
    with using(db) as store, store.engine.connect() as conn:
        for key in keys:
            cond = citation_matches(key)
            if relation:
                cond = and_(cond, citations.c.relation == relation)
            out += _citation_rows(conn, cond, key)
    return out


def document_for(file: str | os.PathLike[str], store: Store) -> DocRef:
    """The archived document of ``file``: by its path, else by its content (a copy elsewhere)."""
    from vanban.corpus.index import _sha256

    path = Path(file).expanduser()
    if not path.is_file():
        raise UsageError(f"không tìm thấy tệp (no such file): {path}")
    doc_id = store.document_for_path(str(path.resolve())) or store.document_for_sha(_sha256(str(path)))
    if doc_id is None:
        raise UsageError(f"{path}: tệp chưa có trong kho lưu trữ; chạy `vanban index` trước "
                         f"(the file is not in the archive; index it first)")
    with store.engine.connect() as conn:
        return _docs_by_id(conn, [doc_id])[doc_id]


def cited_by(file: str | os.PathLike[str], *, db: str | os.PathLike[str] | Store | None = None
             ) -> list[CitingRow]:
    """The archived documents that cite ``file`` (matched by its symbol and date)."""
    from sqlalchemy import and_, or_
    from vanban.corpus.schema import citations
    from vanban.corpus.store import using

    with using(db) as store:
        doc = document_for(file, store)
        if not doc.symbol:
            return []
        c = citations.c
        # The cited date must be the document's own; an undated citation counts only when no other
        # archived document carries the same symbol.
        with store.engine.connect() as conn:
            resolver = _Resolver(conn)
            cond = and_(c.symbol == doc.symbol, c.document_id != doc.id)
            if doc.date:
                cond = and_(cond, or_(c.date == doc.date, c.date.is_(None)))
            rows = _citation_rows(conn, cond, doc.symbol)
        return [r for r in rows
                if r.cited_date == doc.date or resolver.resolve(r.cited_symbol, None) == doc.id]


def implementations(key: str, *, db: str | os.PathLike[str] | Store | None = None, depth: int = 5
                    ) -> list[CitingRow]:
    """Documents that implement ``key`` ("Thực hiện Nghị quyết số …"), then the documents that
    implement those, down to ``depth`` levels: the cascade from a central resolution to the plans
    of districts and communes. Each row's ``via`` names the document it implements."""
    from sqlalchemy import and_
    from vanban.corpus.schema import citations
    from vanban.corpus.search import citation_matches
    from vanban.corpus.store import using

    out: list[CitingRow] = []
    with using(db) as store, store.engine.connect() as conn:
        resolver = _Resolver(conn)
        seen: set[int] = set()
        frontier: list[tuple[str, int | None, str | None]] = [(key, None, None)]  # (symbol, doc id, label)
        for level in range(1, depth + 1):
            nxt: list[tuple[str, int | None, str | None]] = []
            for wanted, target_id, via in frontier:
                cond = and_(citation_matches(wanted), citations.c.relation == "implements")
                for r in _citation_rows(conn, cond, key):
                    if r.document.id in seen:
                        continue
                    # Below the first level the citation must name the very document we came from:
                    # "01/KH-UBND" alone is issued by every commune.
                    if target_id is not None and resolver.resolve(r.cited_symbol, r.cited_date) != target_id:
                        continue
                    seen.add(r.document.id)
                    out.append(CitingRow(key, r.document, r.relation, r.cited_symbol, r.cited_date, r.text,
                                         r.sentence, r.start, r.end, level=level, via=via))
                    if r.document.symbol:
                        nxt.append((r.document.symbol, r.document.id, r.document.label))
            if not nxt:
                break
            frontier = nxt
    return out


def graph(*, db: str | os.PathLike[str] | Store | None = None) -> Graph:
    """Citation graph: archived documents and the documents they cite (resolved to archived ones
    where possible, else by key, named from the registry when it knows them)."""
    from sqlalchemy import select
    from vanban.corpus.registry import symbol_fold
    from vanban.corpus.schema import citations, documents, regulations
    from vanban.corpus.store import using

    g = Graph()
    with using(db) as store, store.engine.connect() as conn:
        resolver = _Resolver(conn)
        ids = [r[0] for r in conn.execute(select(documents.c.id).where(documents.c.status == "indexed"))]
        docs = _docs_by_id(conn, ids)
        for doc in docs.values():
            g.nodes[f"doc:{doc.id}"] = {"id": f"doc:{doc.id}", "kind": "document", "label": doc.label,
                                        **{k: v for k, v in doc.to_dict().items() if k != "id"}}
        known = {symbol_fold(r[0]): r for r in conn.execute(
            select(regulations.c.key, regulations.c.title, regulations.c.status, regulations.c.type)
            .where(regulations.c.origin != "archive"))}
        c = citations.c
        q = (select(c.document_id, c.key, c.symbol, c.date, c.year, c.relation, c.type, c.title)
             .join_from(citations, documents, documents.c.id == c.document_id)
             .where(documents.c.status == "indexed"))
        for doc_id, key, symbol, day, year, relation, type_, title in conn.execute(q):
            target = resolver.resolve(symbol, day, year)
            if target == doc_id:
                continue
            if target is not None:
                node = f"doc:{target}"
            else:
                node = f"key:{key}"
                if node not in g.nodes:
                    reg = known.get(symbol_fold(key))
                    g.nodes[node] = {"id": node, "kind": "cited", "label": key, "key": key,
                                     "type": type_ or (reg[3] if reg else None),
                                     "title": title or (reg[1] if reg else None),
                                     "status": reg[2] if reg else None}
            edge = (f"doc:{doc_id}", node, relation)
            g.edges[edge] = g.edges.get(edge, 0) + 1
    return g


def deadlines(*, db: str | os.PathLike[str] | Store | None = None, date_from: str | date | None = None,
              date_to: str | date | None = None, unit: str | None = None) -> list[DeadlineRow]:
    """Dated deadlines of archived documents falling in [date_from, date_to] (a period counts when
    it overlaps), optionally only those of units whose name contains ``unit`` (diacritics
    optional), in date order. Recurring and impossible dates have no day and are left out."""
    from sqlalchemy import func, select
    from vanban.corpus.fold import words
    from vanban.corpus.schema import deadlines as dl
    from vanban.corpus.schema import documents
    from vanban.corpus.store import using

    lo = _iso(date_from, "--from")
    hi = _iso(date_to, "--to")
    c = dl.c
    conds: list[Any] = [documents.c.status == "indexed", c.date.is_not(None), c.valid.is_(True)]
    if lo:
        conds.append(func.coalesce(c.end_date, c.date) >= lo)
    if hi:
        conds.append(c.date <= hi)
    if unit:
        needle = " ".join(words(unit))
        if needle:
            conds.append(c.unit_folded.contains(needle, autoescape=True))
    q = (select(c.document_id, c.date, c.end_date, c.kind, c.text, c.unit, c.task, c.sentence, c.ord)
         .join_from(dl, documents, documents.c.id == c.document_id)
         .where(*conds).order_by(c.date, c.document_id, c.ord))
    with using(db) as store, store.engine.connect() as conn:
        rows = conn.execute(q).all()
        docs = _docs_by_id(conn, (r[0] for r in rows))
    return [DeadlineRow(r[1], r[2], r[3], r[4], r[5], r[6], r[7], docs[r[0]], r[8]) for r in rows]


def _iso(value: str | date | None, option: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    from vanban.extractor.dates import find_dates

    text = value.strip()
    if text.casefold() in ("today", "hôm nay", "hom nay"):
        return date.today().isoformat()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    found = [d for d in find_dates(text, 0, len(text)) if d.valid and d.iso]
    if len(found) == 1:
        return found[0].iso
    raise UsageError(f"{option}: ngày không hợp lệ {value!r} (viết YYYY-MM-DD hoặc DD/MM/YYYY)")


# --------------------------------------------------------------------------- renderings


def graph_dot(g: Graph) -> str:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    style = {"implements": "bold", "basis": "solid", "mention": "dashed"}
    lines = ["digraph vanban {", "  rankdir=LR;", '  node [shape=box, fontname="DejaVu Sans"];']
    for node in g.nodes.values():
        label = node["label"]
        title = node.get("title")
        if title and title != label:
            label += "\n" + (title[:60] + "…" if len(title) > 60 else title)
        shape = "" if node["kind"] == "document" else ", style=dashed"
        lines.append(f"  {q(node['id'])} [label={q(label)}{shape}];")
    for (s, t, r), n in sorted(g.edges.items()):
        extra = f", penwidth={min(1 + n / 2, 4):g}" if n > 1 else ""
        lines.append(f"  {q(s)} -> {q(t)} [label={q(r)}, style={style.get(r, 'solid')}{extra}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _ics_text(s: str) -> str:
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> list[str]:
    """RFC 5545: lines of at most 75 octets, continued with a leading space."""
    out: list[str] = []
    cur = ""
    for ch in line:
        limit = 75 if not out else 74
        if len((cur + ch).encode()) > limit:
            out.append(cur)
            cur = ch
        else:
            cur += ch
    out.append(cur)
    return [out[0]] + [" " + x for x in out[1:]]


def deadlines_ics(rows: Sequence[DeadlineRow], *, stamp: str | None = None) -> str:
    """An iCalendar file with one all-day event per deadline (periods span their days)."""
    from datetime import UTC, datetime

    now = stamp or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//vanban//deadlines//VI", "CALSCALE:GREGORIAN"]
    for r in rows:
        start = date.fromisoformat(r.date)
        end = date.fromisoformat(r.end_date) if r.end_date else start
        what = r.task or r.sentence or r.text
        if r.unit and not what.startswith(r.unit):
            what = f"{r.unit}: {what}"
        summary = (f"{r.document.symbol} · " if r.document.symbol else "") + what[:160]
        desc = "\n".join(x for x in (r.text, r.unit and f"Đơn vị: {r.unit}", r.sentence,
                                     r.document.title, r.document.path) if x)
        ref = r.document.symbol or str(r.document.id)
        event = [
            "BEGIN:VEVENT",
            f"UID:{r.document.id}-{r.ord}-{r.date}@vanban",
            f"DTSTAMP:{now}",
            f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(max(end, start) + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(desc)}",
            f"CATEGORIES:{_ics_text(ref)}",
            "END:VEVENT",
        ]
        for line in event:
            lines += _ics_fold(line)
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def registry_entries(*, db: str | os.PathLike[str] | Store | None = None) -> list[Any]:
    """Every archived document with a symbol as a registry entry (``RegEntry``, origin "archive"),
    for ``Registry.add``: documents of the archive are citable like central ones.

    Keys follow the registry: the symbol, ``SYMBOL@YEAR`` when the archive holds that symbol more
    than once, ``SYMBOL@DATE`` when even the year is shared (two communes' "01/KH-UBND" of 2024).
    """
    from sqlalchemy import select
    from vanban.corpus.registry import RegEntry, symbol_fold
    from vanban.corpus.schema import documents
    from vanban.corpus.store import using

    d = documents.c
    with using(db) as store, store.engine.connect() as conn:
        rows = conn.execute(select(d.symbol, d.type, d.number, d.date, d.issuer, d.title)
                            .where(d.status == "indexed", d.symbol.is_not(None)).order_by(d.date, d.id)).all()
    per_symbol = Counter(symbol_fold(r[0]) for r in rows)
    per_year = Counter((symbol_fold(r[0]), (r[3] or "")[:4]) for r in rows)
    out = []
    for symbol, type_, number, day, issuer, title in rows:
        key = symbol
        if per_symbol[symbol_fold(symbol)] > 1 and day:
            key = f"{symbol}@{day[:4]}" if per_year[(symbol_fold(symbol), day[:4])] == 1 else f"{symbol}@{day}"
        out.append(RegEntry(key=key, symbol=symbol, type=type_, number=number, date=day, issuer=issuer,
                            title=title, origin="archive"))
    return out


def archive_registry(db: str | os.PathLike[str] | Store | None = None) -> Any:
    """The default registry (built-in + user CSV) grown with every document of the archive.

    With ``db=None`` the default archive is used when it exists; a missing default archive leaves
    the registry as it is, so commands that only read the registry work before any indexing.
    """
    from vanban.corpus.registry import Registry
    from vanban.corpus.store import default_db_path

    registry = Registry.load_default()
    if db is None and not default_db_path().exists():
        return registry
    for entry in registry_entries(db=db):
        if not registry.resolve(entry.key):
            registry.add(entry)
    return registry
