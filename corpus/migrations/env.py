"""Alembic environment. vanban runs the migrations itself (``vanban.corpus.store``), passing an
open connection in ``config.attributes["connection"]``; there is no alembic.ini. A configuration
with ``sqlalchemy.url`` set works as well, for running Alembic by hand.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection
from vanban.corpus.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("vanban migrations need a connection or sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
