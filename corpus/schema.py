"""The archive's tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

This module describes the *current* schema; the database is created and upgraded only by the
Alembic migrations in ``migrations/versions`` (a test checks both agree). Full-text objects are
engine specific and live only in the migrations: on SQLite an external-content FTS5 table
``documents_fts(text, folded)`` over ``document_texts``, kept in sync by triggers; on PostgreSQL
generated ``tsv`` and ``tsv_exact`` columns on ``document_texts`` and a ``vanban_unaccent`` text
search configuration.

The text lives apart from the document's other fields: SQLite stores a row's columns in order,
so every filter on a column placed after 50 KB of text would read through the text first.

Offsets are ``span_start``/``span_end`` (half-open, into ``document_texts.text``): ``end`` is an
SQL keyword and would need quoting in every hand-written query.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

STATUSES = ("pending", "indexed", "failed")
_STATUS_CHECK = "status IN ('pending', 'indexed', 'failed')"


def _doc_fk() -> Column[int]:
    return Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)


def _span() -> tuple[Column[int], Column[int]]:
    return Column("span_start", Integer, nullable=False), Column("span_end", Integer, nullable=False)


documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("format", String(16)),
    Column("size", BigInteger),
    Column("pages", Integer),
    Column("family", String(16)),
    Column("type", Text),
    Column("type_code", String(32)),
    Column("number", String(64)),
    Column("symbol", Text),
    Column("date", String(10)),  # ISO date; text so both engines compare it the same way
    Column("year", Integer),
    Column("place", Text),
    Column("issuer", Text),
    Column("issuer_folded", Text),
    Column("title", Text),
    Column("quality", String(16)),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("error_code", String(16)),
    Column("error_message", Text),
    Column("check_error", Text),  # why findings are missing when the rule engine refused the document
    Column("indexed_at", DateTime(timezone=True)),
    Column("extractor_version", String(32)),
    CheckConstraint(_STATUS_CHECK, name="status"),
    Index(None, "symbol"),
    Index(None, "year"),
    Index(None, "status"),
)

document_texts = Table(
    "document_texts", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    Column("text", Text, nullable=False),
    Column("folded", Text, nullable=False),
    Column("extraction", Text, nullable=False),  # the extraction contract as JSON, without "text"
)

paths = Table(
    "paths", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False, unique=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("sha256", String(64)),
    Column("format", String(16)),
    Column("size", BigInteger),
    Column("mtime", Float),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("error_code", String(16)),
    Column("error_message", Text),
    Column("indexed_at", DateTime(timezone=True)),
    CheckConstraint(_STATUS_CHECK, name="status"),
    Index(None, "document_id"),
    Index(None, "status"),
)

sections = Table(
    "sections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("ord", Integer, nullable=False),
    Column("parent", Integer),  # ord of the enclosing section
    Column("number", String(32)),
    Column("title", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("level", Integer, nullable=False),
    *_span(),
    Column("heading_end", Integer, nullable=False),
    Index(None, "document_id"),
)

citations = Table(
    "citations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("ord", Integer, nullable=False),
    Column("key", Text, nullable=False),
    Column("symbol", Text),
    Column("type", Text),
    Column("type_code", String(32)),
    Column("number", String(64)),
    Column("date", String(10)),
    Column("year", Integer),
    Column("issuer", Text),
    Column("title", Text),
    Column("relation", String(16), nullable=False),
    *_span(),
    Column("text", Text, nullable=False),
    Column("sentence", Text, nullable=False),
    Index(None, "document_id"),
    Index(None, "key"),
    Index(None, "symbol"),
)

deadlines = Table(
    "deadlines", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("ord", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("date", String(10)),
    Column("end_date", String(10)),
    Column("kind", String(16), nullable=False),
    Column("valid", Boolean, nullable=False),
    Column("inferred_year", Boolean, nullable=False),
    Column("unit", Text),  # the unit of the task the deadline belongs to
    Column("unit_folded", Text),
    Column("task", Text),
    *_span(),
    Column("sentence", Text, nullable=False),
    Index(None, "document_id"),
    Index(None, "date"),
)

targets = Table(
    "targets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("ord", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("value", Float),
    Column("unit", Text),
    Column("kind", String(16), nullable=False),
    *_span(),
    Index(None, "document_id"),
)

units = Table(
    "units", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("ord", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_folded", Text, nullable=False),
    Column("kind", String(16)),
    *_span(),
    Index(None, "document_id"),
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("ord", Integer, nullable=False),
    Column("rule", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("subject", Text),
    Column("message", Text),
    Column("manual", Boolean, nullable=False),
    *_span(),
    Index(None, "document_id"),
    Index(None, "rule"),
)

# Documents the archive knows about: the registry's facts (origin builtin/user) and every indexed
# document with a symbol (origin archive, linked by document_id). Keys are not unique across
# origins: "01/KH-UBND" is issued by every commune every year.
regulations = Table(
    "regulations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False),
    Column("symbol", Text, nullable=False),
    Column("type", Text),
    Column("number", String(64)),
    Column("date", String(10)),
    Column("year", Integer),
    Column("issuer", Text),
    Column("title", Text),
    Column("status", String(16), nullable=False),
    Column("status_date", String(10)),  # the day it stopped applying
    Column("replaced_by", Text),
    Column("origin", String(16), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE")),
    Index(None, "key"),
    Index(None, "symbol"),
    Index(None, "document_id"),
)

CHILD_TABLES = (document_texts, sections, citations, deadlines, targets, units, findings)
TEXT_COLUMNS = ("text", "folded", "extraction")
