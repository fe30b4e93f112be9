"""Alembic migrations of the archive schema; run programmatically by ``vanban.corpus.store``."""
