"""Alembic environment for Cronica's store.

Run programmatically by :func:`cronica.store.migrate.upgrade`, which passes an open
connection in ``config.attributes["connection"]``; there is no alembic.ini. Offline
(SQL script) mode is not supported.
"""

from __future__ import annotations

from alembic import context

from cronica.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable when misused from the alembic CLI
    raise RuntimeError("Cronica migrations run through cronica.store.migrate.upgrade(), not the alembic CLI")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
