"""Full-text search over the archive, the same API and query language on SQLite and PostgreSQL.

Query language (diacritics optional everywhere: ``dang uy`` finds "Đảng ủy"):

    dan van kheo            all words, anywhere in the document
    "dân vận khéo"          a phrase (words next to each other)
    kheo*                   a word prefix
    -covid                  without this word (or -"phrase")
    a b OR c d              either (a and b) or (c and d)
    04/2015/NĐ-CP           a word with punctuation inside is the phrase of its parts

Matching happens on the folded text (``vanban.corpus.fold``); documents that also contain the
words exactly as typed, diacritics included, rank first, then by bm25 (SQLite) or ts_rank
(PostgreSQL). Snippets are cut and highlighted here, in Python, from the stored text, so both
engines show the same snippet for the same document.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vanban.corpus.fold import exact_words, fold, has_diacritics, words
from vanban.extractor.errors import UsageError

if TYPE_CHECKING:
    from vanban.corpus.store import Store

SNIPPET_CHARS = 220


# --------------------------------------------------------------------------- the query


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]  # folded
    exact: tuple[str, ...]  # as typed, lower-cased, diacritics kept
    prefix: bool = False
    negated: bool = False

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True, slots=True)
class Query:
    """OR of AND-groups of terms."""

    groups: tuple[tuple[Term, ...], ...]
    text: str

    @property
    def positive(self) -> list[Term]:
        return [t for g in self.groups for t in g if not t.negated]

    @property
    def has_diacritics(self) -> bool:
        return has_diacritics(self.text)

    # ------------------------------------------------------------ SQLite FTS5

    @staticmethod
    def _fts_term(t: Term, exact: bool) -> str:
        ws = t.exact if exact else t.words
        out = '"' + " ".join(ws) + '"'
        return out + " *" if t.prefix else out

    def fts5(self, *, exact: bool = False) -> str:
        """The MATCH expression for the ``folded`` column (or, with ``exact``, the ``text`` column)."""
        groups = []
        for g in self.groups:
            pos = [self._fts_term(t, exact) for t in g if not t.negated]
            expr = "(" + " AND ".join(pos) + ")"
            if not exact:
                for t in g:
                    if t.negated:
                        expr = f"({expr} NOT {self._fts_term(t, exact)})"
            groups.append(expr)
        return ("text" if exact else "folded") + " : (" + " OR ".join(groups) + ")"

    # ------------------------------------------------------------ PostgreSQL tsquery

    @staticmethod
    def _ts_term(t: Term, exact: bool) -> str:
        ws = t.exact if exact else t.words
        lex = ["'" + w.replace("'", "''").replace("\\", "\\\\") + "'" for w in ws]
        if t.prefix:
            lex[-1] += ":*"
        out = " <-> ".join(lex)
        return f"({out})" if len(lex) > 1 else out

    def tsquery(self, *, exact: bool = False, rank: bool = False) -> str:
        """The tsquery text; ``rank`` gives every positive word ANDed, without phrases (ranking a
        phrase position by position costs a hundred times more and orders no better)."""
        if rank:
            parts = []
            for t in self.positive:
                lex = ["'" + w.replace("'", "''").replace("\\", "\\\\") + "'" for w in t.words]
                if t.prefix:
                    lex[-1] += ":*"
                parts += lex
            return " & ".join(dict.fromkeys(parts))
        groups = []
        for g in self.groups:
            parts = [self._ts_term(t, exact) for t in g if not t.negated]
            if not exact:
                parts += ["!" + self._ts_term(t, exact) for t in g if t.negated]
            groups.append("(" + " & ".join(parts) + ")")
        return " | ".join(groups)


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(text: str) -> Query | None:
    """Parse a user query; None when it has no words (a filter-only search)."""
    text = text.replace("“", '"').replace("”", '"').strip()
    groups: list[list[Term]] = [[]]
    for m in _TOKEN.finditer(text):
        neg, quoted, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None:
            if bare == "OR":
                groups.append([])
                continue
            neg = "-" if bare.startswith("-") and len(bare) > 1 else ""
            raw = bare[1:] if neg else bare
            prefix = raw.endswith("*")
            raw = raw.rstrip("*")
        else:
            raw, prefix = quoted, False
        ws, ex = tuple(words(raw)), tuple(exact_words(raw))
        if not ws:
            continue
        if len(ex) != len(ws):  # a character folding cannot keep one-to-one: rank on folded only
            ex = ws
        groups[-1].append(Term(ws, ex, prefix=prefix, negated=bool(neg)))
    kept = tuple(tuple(g) for g in groups if g)
    if not kept:
        return None
    for g in kept:
        if all(t.negated for t in g):
            raise UsageError(f"truy vấn {text!r}: cần ít nhất một từ cần tìm bên cạnh từ loại trừ "
                             f"(a query needs a word to find, not only words to exclude)")
    return Query(kept, text)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class SearchHit:
    document_id: int
    path: str | None  # the first of ``paths``
    paths: tuple[str, ...]
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
    score: float  # higher is better; comparable only within one result list
    exact: bool  # the words occur as typed, diacritics included
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()  # half-open spans in ``snippet``
    snippet_start: int = 0  # offset of the snippet in the document text (after any leading "…")

    def marked(self, open_: str = "[", close: str = "]") -> str:
        out, pos = [], 0
        for s, e in self.highlights:
            out += [self.snippet[pos:s], open_, self.snippet[s:e], close]
            pos = e
        out.append(self.snippet[pos:])
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id, "path": self.path, "paths": list(self.paths),
            "sha256": self.sha256, "format": self.format, "family": self.family, "type": self.type,
            "type_code": self.type_code, "number": self.number, "symbol": self.symbol, "date": self.date,
            "issuer": self.issuer, "title": self.title, "score": self.score, "exact": self.exact,
            "snippet": self.snippet, "highlights": [list(h) for h in self.highlights],
            "snippet_start": self.snippet_start,
        }


# --------------------------------------------------------------------------- search


def search(
    query: str,
    *,
    db: str | os.PathLike[str] | Store | None = None,
    type: str | None = None,
    family: str | None = None,
    issuer: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    cites: str | None = None,
    has_finding: str | bool | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    """Documents matching ``query`` and the filters, best first, with highlighted snippets.

    ``type`` is a type name or code ("Kế hoạch", "KH"); ``issuer`` matches part of the issuer,
    diacritics optional; ``cites`` a citation key or symbol (``25-NQ/TW``, ``16/CT-TTg@2016``);
    ``has_finding`` True for any finding, or a rule id ("CIT-EXPIRED") or a severity ("error").
    An empty query lists the documents the filters select, newest first.
    """
    from vanban.corpus.store import using

    if limit < 0 or offset < 0:
        raise UsageError("limit/offset phải ≥ 0")
    parsed = parse_query(query)
    with using(db) as store:
        filters = _filters(store, type=type, family=family, issuer=issuer, year_from=year_from,
                           year_to=year_to, cites=cites, has_finding=has_finding)
        if parsed is None:
            ranked = _list(store, filters, limit, offset)
        elif store.dialect == "postgresql":
            ranked = _rank_postgres(store, parsed, filters, limit, offset)
        else:
            ranked = _rank_sqlite(store, parsed, filters, limit, offset)
        return _hits(store, ranked, parsed)


def _filters(store: Store, *, type: str | None, family: str | None, issuer: str | None,
             year_from: int | None, year_to: int | None, cites: str | None,
             has_finding: str | bool | None) -> list[Any]:
    from sqlalchemy import exists, or_, select
    from vanban.corpus.schema import citations, documents, findings

    d = documents.c
    out: list[Any] = [d.status == "indexed"]
    if type:
        want = " ".join(words(type))
        with store.engine.connect() as conn:
            kinds = conn.execute(select(d.type, d.type_code).distinct()).all()
        names = [t for t, _c in kinds if t and " ".join(words(t)) == want]
        codes = [c for _t, c in kinds if c and " ".join(words(c)) == want]
        out.append(or_(d.type.in_(names), d.type_code.in_(codes)))
    if family:
        out.append(d.family == family)
    if issuer:
        needle = " ".join(words(issuer))
        if needle:
            out.append(d.issuer_folded.contains(needle, autoescape=True))
    if year_from is not None:
        out.append(d.year >= year_from)
    if year_to is not None:
        out.append(d.year <= year_to)
    if cites:
        out.append(exists().where(citations.c.document_id == d.id, citation_matches(cites)))
    if has_finding is True:
        out.append(exists().where(findings.c.document_id == d.id))
    elif has_finding is False:
        out.append(~exists().where(findings.c.document_id == d.id))
    elif has_finding:
        out.append(exists().where(findings.c.document_id == d.id,
                                  or_(findings.c.rule == has_finding.upper(),
                                      findings.c.severity == has_finding.lower())))
    return out


def citation_matches(key: str) -> Any:
    """SQL condition on ``citations``: the citation names ``key`` (a key, a symbol, or
    ``SYMBOL@YEAR`` for one of several documents sharing a symbol)."""
    from sqlalchemy import and_, or_
    from vanban.corpus.registry import canonical_symbol
    from vanban.corpus.schema import citations

    c = citations.c
    k = canonical_symbol(key)
    m = re.fullmatch(r"(.+)@(\d{4})", k)
    if m:
        return or_(c.key == k, and_(c.symbol == m.group(1), c.year == int(m.group(2))))
    return or_(c.key == k, c.symbol == k)


def _list(store: Store, filters: list[Any], limit: int, offset: int) -> list[tuple[int, float, bool]]:
    from sqlalchemy import select
    from vanban.corpus.schema import documents

    q = (select(documents.c.id).where(*filters)
         .order_by(documents.c.date.desc().nulls_last(), documents.c.id).limit(limit).offset(offset))
    with store.engine.connect() as conn:
        return [(r[0], 0.0, False) for r in conn.execute(q)]


def _rank_sqlite(store: Store, query: Query, filters: list[Any], limit: int, offset: int
                 ) -> list[tuple[int, float, bool]]:
    from sqlalchemy import bindparam, column, false, func, literal_column, select, table
    from vanban.corpus.schema import documents

    fts = table("documents_fts", column("rowid"))
    fts_col: Any = literal_column("documents_fts")
    score = func.bm25(fts_col)
    if query.has_diacritics:
        exact_ids: Any = (select(literal_column("rowid")).select_from(table("documents_fts"))
                     .where(fts_col.op("MATCH")(bindparam("qx", query.fts5(exact=True)))))
        exact: Any = documents.c.id.in_(exact_ids)
    else:
        exact = false()
    q = (select(documents.c.id, score.label("score"), exact.label("exact"))
         .select_from(fts.join(documents, documents.c.id == literal_column("documents_fts.rowid")))
         .where(fts_col.op("MATCH")(bindparam("q", query.fts5())), *filters)
         .order_by(literal_column("exact").desc(), literal_column("score"), documents.c.id)
         .limit(limit).offset(offset))
    with store.engine.connect() as conn:
        try:
            rows = conn.execute(q).all()
        except Exception as err:
            raise UsageError(f"truy vấn không hợp lệ (invalid query) {query.text!r}: {err}") from None
    return [(r[0], -float(r[1]), bool(r[2])) for r in rows]


def _rank_postgres(store: Store, query: Query, filters: list[Any], limit: int, offset: int
                   ) -> list[tuple[int, float, bool]]:
    from sqlalchemy import bindparam, false, func, literal_column, select
    from vanban.corpus.schema import document_texts, documents

    tsq = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("q", query.tsquery()))
    tsr = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("qr", query.tsquery(rank=True)))
    tsv: Any = literal_column("document_texts.tsv")
    # Rank on the document's opening (see the migration); ties go to the newest documents.
    score = func.ts_rank(literal_column("document_texts.tsv_head"), tsr, 1)
    if query.has_diacritics:
        tsx = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("qx", query.tsquery(exact=True)))
        exact: Any = literal_column("document_texts.tsv_exact").op("@@")(tsx)
    else:
        exact = false()
    q = (select(documents.c.id, score.label("score"), exact.label("exact"))
         .join_from(documents, document_texts)
         .where(tsv.op("@@")(tsq), *filters)
         .order_by(literal_column("exact").desc(), literal_column("score").desc(),
                   documents.c.date.desc().nulls_last(), documents.c.id)
         .limit(limit).offset(offset))
    with store.engine.begin() as conn:
        # Matching through the GIN index reads each matching vector once (for ranking); the
        # sequential scan the planner picks for common words reads it twice.
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        try:
            rows = conn.execute(q).all()
        except Exception as err:
            raise UsageError(f"truy vấn không hợp lệ (invalid query) {query.text!r}: {err}") from None
    return [(r[0], float(r[1]), bool(r[2])) for r in rows]


def _hits(store: Store, ranked: list[tuple[int, float, bool]], query: Query | None) -> list[SearchHit]:
    from sqlalchemy import select
    from vanban.corpus.schema import document_texts, documents, paths

    if not ranked:
        return []
    ids = [r[0] for r in ranked]
    d = documents.c
    cols = [d.id, d.sha256, d.format, d.family, d.type, d.type_code, d.number, d.symbol, d.date, d.issuer,
            d.title, document_texts.c.text, document_texts.c.folded]
    with store.engine.connect() as conn:
        docs = {r[0]: r for r in conn.execute(select(*cols).join_from(documents, document_texts)
                                             .where(d.id.in_(ids)))}
        where: dict[int, list[str]] = {}
        for doc_id, path in conn.execute(select(paths.c.document_id, paths.c.path)
                                         .where(paths.c.document_id.in_(ids)).order_by(paths.c.path)):
            where.setdefault(doc_id, []).append(path)
    out = []
    for doc_id, score, exact in ranked:
        r = docs[doc_id]
        text, folded = r[11] or "", r[12] or ""
        if query is not None:
            snippet, marks, start = make_snippet(text, folded, query)
        else:
            snippet, marks, start = _lead(text, r[10]), (), 0
        ps = tuple(where.get(doc_id, ()))
        out.append(SearchHit(
            document_id=doc_id, path=ps[0] if ps else None, paths=ps, sha256=r[1], format=r[2], family=r[3],
            type=r[4], type_code=r[5], number=r[6], symbol=r[7], date=r[8], issuer=r[9], title=r[10],
            score=score, exact=exact, snippet=snippet, highlights=marks, snippet_start=start))
    return out


# --------------------------------------------------------------------------- snippets


def _lead(text: str, title: str | None) -> str:
    if title:
        return title
    lead = " ".join(text[:SNIPPET_CHARS * 2].split())
    return lead[:SNIPPET_CHARS] + ("…" if len(lead) > SNIPPET_CHARS else "")


def _tail(t: Term) -> re.Pattern[str] | None:
    """What must follow the first word of a phrase (the other words, across any punctuation)."""
    if len(t.words) == 1:
        return None
    pattern = r"\s+" + r"\s+".join(re.escape(w) for w in t.words[1:])
    return re.compile(pattern + (r"[^\W_]*" if t.prefix else r"(?![^\W_])"))


def occurrences(folded: str, t: Term, start: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
    """Spans of ``t`` in ``folded`` that begin in ``[start, stop)``.

    ``str.find`` and a boundary check, not one regular expression over the whole text: this runs
    for every hit of every search, and it is several times faster on long documents."""
    word, tail = t.words[0], _tail(t)
    n, size, pos = len(word), len(folded), start
    stop = size if stop is None else stop
    out: list[tuple[int, int]] = []
    while True:
        i = folded.find(word, pos, stop + n)
        if i < 0 or i >= stop:
            break
        pos = i + 1
        if i and folded[i - 1].isalnum():
            continue
        j = i + n
        if tail is not None:
            m = tail.match(folded, j)
            if m is None:
                continue
            j = m.end()
        elif t.prefix:
            while j < size and folded[j].isalnum():
                j += 1
        elif j < size and folded[j].isalnum():
            continue
        out.append((i, j))
    return out


def _best_window(found: list[tuple[int, int, int]], width: int) -> tuple[int, int]:
    """``(index in found, distinct terms)`` of the window start holding the most distinct terms."""
    best, best_score, k = 0, -1, 0
    inside: Counter[int] = Counter()
    for j, (s, _e, term) in enumerate(found):
        limit = max(0, s - width // 4) + width
        k = max(k, j)
        while k < len(found) and found[k][1] <= limit:
            inside[found[k][2]] += 1
            k += 1
        score = len(inside) if k > j else 1
        if score > best_score:
            best, best_score = j, score
        if k > j:
            inside[term] -= 1
            if not inside[term]:
                del inside[term]
    return best, best_score


_CHUNK = 8192


def _aligned(text: str, folded: str) -> list[int] | None:
    """Map from folded offsets to text offsets when folding dropped characters (stray marks)."""
    if len(text) == len(folded):
        return None
    mapping = []
    for i, ch in enumerate(text):
        mapping.extend([i] * len(fold(ch)))
    mapping.append(len(text))
    return mapping


def make_snippet(text: str, folded: str, query: Query, width: int = SNIPPET_CHARS
                 ) -> tuple[str, tuple[tuple[int, int], ...], int]:
    """``(snippet, highlights, start)``: the window of ``text`` with the most distinct query
    terms, their spans inside the snippet, and the window's offset in ``text``."""
    terms = query.positive
    found: list[tuple[int, int, int]] = []  # (start, end, term index) in folded offsets
    best = 0
    # Read the text a chunk at a time and stop at the first window that holds every term: the
    # earliest complete window is as good a snippet as any, and long documents end early.
    for lo in range(0, max(len(folded), 1), _CHUNK):
        for i, t in enumerate(terms):
            found += [(s, e, i) for s, e in occurrences(folded, t, lo, lo + _CHUNK)]
        found.sort()
        if found:
            best, score = _best_window(found, width)
            if score == len({t.words for t in terms}):
                break
    if not found:
        return _lead(text, None), (), 0
    mapping = _aligned(text, folded)

    def to_text(off: int) -> int:
        return mapping[off] if mapping is not None else off

    first = to_text(found[best][0])
    lo = max(0, first - width // 4)
    hi = min(len(text), lo + width)
    # Widen to whole words.
    while lo > 0 and not text[lo - 1].isspace() and first - lo < width // 2:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi - lo < width + 40:
        hi += 1
    body = text[lo:hi].replace("\n", " ").replace("\t", " ").replace("\r", " ")
    lead = "…" if lo > 0 else ""
    marks = []
    for s, e, _i in found:
        ts, te = to_text(s), to_text(e)
        if ts >= lo and te <= hi:
            marks.append((ts - lo + len(lead), te - lo + len(lead)))
    snippet = lead + body + ("…" if hi < len(text) else "")
    return snippet, tuple(marks), lo


__all__: Sequence[str] = ("Query", "SearchHit", "make_snippet", "parse_query", "search")
