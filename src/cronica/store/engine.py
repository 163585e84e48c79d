"""Engines and migrations: open a database URL, bring its schema to the latest revision.

SQLite connections run with ``PRAGMA foreign_keys = ON``, ``journal_mode = WAL`` and a
busy timeout, and with explicit ``BEGIN`` so that a SQLAlchemy transaction is a real
SQLite transaction (reads included, DDL included). PostgreSQL uses psycopg 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from cronica.store.errors import StoreError
from cronica.store.urls import normalize_db_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 10000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def make_engine(db_url: str | Path, *, create: bool = True) -> Engine:
    """An :class:`Engine` for ``db_url`` (see :func:`cronica.store.urls.normalize_db_url`).

    With ``create=False`` a SQLite file that does not exist yet is an error instead of
    being created.
    """
    url: URL = normalize_db_url(db_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not create and not path.exists():
            raise StoreError(f"database file {str(path)!r} does not exist")
        if not path.parent.exists():
            raise StoreError(f"database file {str(path)!r}: directory {str(path.parent)!r} does not exist")
        engine = create_engine(url)
        _sqlite_setup(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config() -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest migration revision shipped with this version of Cronica."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """``alembic upgrade head`` on ``engine``, in one transaction."""
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except OperationalError as exc:
        raise StoreError(f"database {engine.url.render_as_string(hide_password=True)!r} cannot be opened or migrated: "
                         f"{str(exc.orig).splitlines()[0] if exc.orig else exc}") from None
