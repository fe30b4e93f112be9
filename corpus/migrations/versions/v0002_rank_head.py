"""PostgreSQL ranks on the document's opening (``document_texts.tsv_head``).

Ranking reads the tsvector of every match. On whole texts of a 10,000-document archive that cost
0.2-1 s for common words; on the first 3,000 folded characters (header, title, legal bases,
purpose: where a plan states its subject) it costs 20-80 ms. Matching still uses the whole text.
SQLite needs nothing: FTS5's bm25 is fast enough on the whole text.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE document_texts ADD COLUMN tsv_head tsvector GENERATED ALWAYS AS "
                   "(to_tsvector('vanban_unaccent'::regconfig, left(folded, 3000))) STORED")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE document_texts DROP COLUMN tsv_head")
