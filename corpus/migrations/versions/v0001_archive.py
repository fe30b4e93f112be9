"""The archive: documents, their paths and extracted entities, regulations, full-text search.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_STATUS = "status IN ('pending', 'indexed', 'failed')"


def _span() -> list[sa.Column]:
    return [sa.Column("span_start", sa.Integer, nullable=False),
            sa.Column("span_end", sa.Integer, nullable=False)]


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("format", sa.String(16)),
        sa.Column("size", sa.BigInteger),
        sa.Column("pages", sa.Integer),
        sa.Column("family", sa.String(16)),
        sa.Column("type", sa.Text),
        sa.Column("type_code", sa.String(32)),
        sa.Column("number", sa.String(64)),
        sa.Column("symbol", sa.Text),
        sa.Column("date", sa.String(10)),
        sa.Column("year", sa.Integer),
        sa.Column("place", sa.Text),
        sa.Column("issuer", sa.Text),
        sa.Column("issuer_folded", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("quality", sa.String(16)),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("error_code", sa.String(16)),
        sa.Column("error_message", sa.Text),
        sa.Column("check_error", sa.Text),
        sa.Column("indexed_at", sa.DateTime(timezone=True)),
        sa.Column("extractor_version", sa.String(32)),
        sa.CheckConstraint(_STATUS, name="ck_documents_status"),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    op.create_index("ix_documents_symbol", "documents", ["symbol"])
    op.create_index("ix_documents_year", "documents", ["year"])
    op.create_index("ix_documents_status", "documents", ["status"])

    op.create_table(
        "document_texts",
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("documents.id", name="fk_document_texts_document_id_documents", ondelete="CASCADE"),
                  primary_key=True, autoincrement=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("folded", sa.Text, nullable=False),
        sa.Column("extraction", sa.Text, nullable=False),
    )

    op.create_table(
        "paths",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("documents.id", name="fk_paths_document_id_documents", ondelete="SET NULL")),
        sa.Column("sha256", sa.String(64)),
        sa.Column("format", sa.String(16)),
        sa.Column("size", sa.BigInteger),
        sa.Column("mtime", sa.Float),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("error_code", sa.String(16)),
        sa.Column("error_message", sa.Text),
        sa.Column("indexed_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(_STATUS, name="ck_paths_status"),
        sa.UniqueConstraint("path", name="uq_paths_path"),
    )
    op.create_index("ix_paths_document_id", "paths", ["document_id"])
    op.create_index("ix_paths_status", "paths", ["status"])

    def child(name: str, *cols: sa.Column, indexes: tuple[str, ...] = ()) -> None:
        op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("document_id", sa.Integer,
                      sa.ForeignKey("documents.id", name=f"fk_{name}_document_id_documents", ondelete="CASCADE"),
                      nullable=False),
            sa.Column("ord", sa.Integer, nullable=False),
            *cols,
        )
        for col in ("document_id", *indexes):
            op.create_index(f"ix_{name}_{col}", name, [col])

    child("sections",
          sa.Column("parent", sa.Integer),
          sa.Column("number", sa.String(32)),
          sa.Column("title", sa.Text, nullable=False),
          sa.Column("role", sa.String(16), nullable=False),
          sa.Column("level", sa.Integer, nullable=False),
          *_span(),
          sa.Column("heading_end", sa.Integer, nullable=False))
    child("citations",
          sa.Column("key", sa.Text, nullable=False),
          sa.Column("symbol", sa.Text),
          sa.Column("type", sa.Text),
          sa.Column("type_code", sa.String(32)),
          sa.Column("number", sa.String(64)),
          sa.Column("date", sa.String(10)),
          sa.Column("year", sa.Integer),
          sa.Column("issuer", sa.Text),
          sa.Column("title", sa.Text),
          sa.Column("relation", sa.String(16), nullable=False),
          *_span(),
          sa.Column("text", sa.Text, nullable=False),
          sa.Column("sentence", sa.Text, nullable=False),
          indexes=("key", "symbol"))
    child("deadlines",
          sa.Column("text", sa.Text, nullable=False),
          sa.Column("date", sa.String(10)),
          sa.Column("end_date", sa.String(10)),
          sa.Column("kind", sa.String(16), nullable=False),
          sa.Column("valid", sa.Boolean, nullable=False),
          sa.Column("inferred_year", sa.Boolean, nullable=False),
          sa.Column("unit", sa.Text),
          sa.Column("unit_folded", sa.Text),
          sa.Column("task", sa.Text),
          *_span(),
          sa.Column("sentence", sa.Text, nullable=False),
          indexes=("date",))
    child("targets",
          sa.Column("text", sa.Text, nullable=False),
          sa.Column("value", sa.Float),
          sa.Column("unit", sa.Text),
          sa.Column("kind", sa.String(16), nullable=False),
          *_span())
    child("units",
          sa.Column("name", sa.Text, nullable=False),
          sa.Column("name_folded", sa.Text, nullable=False),
          sa.Column("kind", sa.String(16)),
          *_span())
    child("findings",
          sa.Column("rule", sa.String(64), nullable=False),
          sa.Column("severity", sa.String(16), nullable=False),
          sa.Column("subject", sa.Text),
          sa.Column("message", sa.Text),
          sa.Column("manual", sa.Boolean, nullable=False),
          *_span(),
          indexes=("rule",))

    op.create_table(
        "regulations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("symbol", sa.Text, nullable=False),
        sa.Column("type", sa.Text),
        sa.Column("number", sa.String(64)),
        sa.Column("date", sa.String(10)),
        sa.Column("year", sa.Integer),
        sa.Column("issuer", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_date", sa.String(10)),
        sa.Column("replaced_by", sa.Text),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("documents.id", name="fk_regulations_document_id_documents", ondelete="CASCADE")),
    )
    for col in ("key", "symbol", "document_id"):
        op.create_index(f"ix_regulations_{col}", "regulations", [col])

    if op.get_bind().dialect.name == "postgresql":
        _postgres_search()
    else:
        _sqlite_search()


def _sqlite_search() -> None:
    # External content: the words live once, in documents; the index stores only postings.
    # 'text' keeps diacritics (exact-match ranking); 'folded' is folded in Python (đ → d,
    # which unicode61's remove_diacritics does not do).
    op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(text, folded, content='document_texts', "
               "content_rowid='document_id', tokenize='unicode61 remove_diacritics 0')")
    op.execute("CREATE TRIGGER document_texts_fts_insert AFTER INSERT ON document_texts BEGIN "
               "INSERT INTO documents_fts(rowid, text, folded) VALUES (new.document_id, new.text, new.folded); END")
    op.execute("CREATE TRIGGER document_texts_fts_delete AFTER DELETE ON document_texts BEGIN "
               "INSERT INTO documents_fts(documents_fts, rowid, text, folded) "
               "VALUES ('delete', old.document_id, old.text, old.folded); END")
    op.execute("CREATE TRIGGER document_texts_fts_update AFTER UPDATE OF text, folded ON document_texts BEGIN "
               "INSERT INTO documents_fts(documents_fts, rowid, text, folded) "
               "VALUES ('delete', old.document_id, old.text, old.folded); "
               "INSERT INTO documents_fts(rowid, text, folded) VALUES (new.document_id, new.text, new.folded); END")


def _postgres_search() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    # 'simple' keeps every word (no stemming, no stop words); unaccent folds marks and đ, so
    # queries typed with or without diacritics meet the same lexemes.
    op.execute("""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'vanban_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION vanban_unaccent (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION vanban_unaccent
              ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
          END IF;
        END $$""")
    # The match column is built from the Python-folded text (punctuation already spaces), so the
    # words are the ones SQLite sees and no server locale can change them. The exact column keeps
    # diacritics for ranking only, so it needs no index.
    op.execute("ALTER TABLE document_texts ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
               "(to_tsvector('vanban_unaccent'::regconfig, folded)) STORED")
    op.execute("ALTER TABLE document_texts ADD COLUMN tsv_exact tsvector GENERATED ALWAYS AS "
               "(to_tsvector('simple'::regconfig, text)) STORED")
    op.execute("CREATE INDEX ix_document_texts_tsv ON document_texts USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for name in ("regulations", "findings", "units", "targets", "deadlines", "citations", "sections",
                 "paths", "document_texts", "documents"):
        op.drop_table(name)
