"""Engines and migrations: open a database URL, bring its schema to the latest revision.

SQLite connections run with ``PRAGMA foreign_keys = ON``, ``journal_mode = WAL`` and a
busy timeout (:data:`SQLITE_BUSY_TIMEOUT_MS`), and with explicit ``BEGIN`` so that a
SQLAlchemy transaction is a real SQLite transaction (reads included, DDL included).
PostgreSQL uses psycopg 3.

Transactions come in four modes, chosen with :func:`reading` / :func:`writing` (or the
``cronica_mode`` execution option):

* ``read`` (:func:`reading`): on SQLite a deferred ``BEGIN`` (readers never wait for
  writers in WAL mode); every statement has the query deadline.
* default (a plain ``engine.begin()`` / ``engine.connect()``): on SQLite
  ``BEGIN IMMEDIATE``, so a transaction that reads then writes takes the write lock up
  front and waits (busy timeout) instead of failing with "database is locked" when
  another process wrote in between; every statement has the query deadline.
* ``write`` (:func:`writing`): ``BEGIN IMMEDIATE`` on SQLite, no deadline on SQLite and
  :data:`WRITE_TIMEOUT_S` on PostgreSQL (a save may wait for another writer's lock).
* ``migrate``: like ``write`` with no deadline at all (schema upgrades).

The query deadline is :func:`query_timeout` seconds (``CRONICA_QUERY_TIMEOUT``, default
:data:`DEFAULT_QUERY_TIMEOUT_S`): PostgreSQL's ``statement_timeout`` on every connection,
and on SQLite a progress handler that aborts the running statement once it is past. A
statement stopped by the deadline raises :class:`StoreError` ("query took too long"),
never a raw driver error.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext
from sqlalchemy.exc import OperationalError

from cronica.store.errors import StoreError
from cronica.store.urls import normalize_db_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


QUERY_TIMEOUT_ENV = "CRONICA_QUERY_TIMEOUT"
DEFAULT_QUERY_TIMEOUT_S = 5.0
MAX_QUERY_TIMEOUT_S = 3600.0
WRITE_TIMEOUT_S = 60.0  # PostgreSQL statements of a save (they may wait for another writer)
SQLITE_BUSY_TIMEOUT_MS = 30_000  # how long a SQLite writer waits for the write lock
_PROGRESS_STEPS = 10_000  # SQLite VM instructions between deadline checks

Mode = Literal["read", "write", "migrate"]
_MODE_OPTION = "cronica_mode"


def query_timeout() -> float | None:
    """The read deadline in seconds from ``CRONICA_QUERY_TIMEOUT`` (default
    :data:`DEFAULT_QUERY_TIMEOUT_S`; ``0`` turns it off -> None). A value that is not a
    number from 0 to :data:`MAX_QUERY_TIMEOUT_S` is a :class:`StoreError`."""
    raw = os.environ.get(QUERY_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_QUERY_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= MAX_QUERY_TIMEOUT_S:  # also rejects nan
        raise StoreError(f"{QUERY_TIMEOUT_ENV}={raw!r} is not a number of seconds from 0 to "
                         f"{MAX_QUERY_TIMEOUT_S:g} (0 = no deadline)")
    return value or None


class _Deadline:
    """SQLite progress handler: non-zero (abort) once the running statement is past its deadline."""

    __slots__ = ("at", "fired", "seconds")

    def __init__(self) -> None:
        self.at: float | None = None
        self.seconds: float | None = None
        self.fired = False

    def start(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.at = None if seconds is None else time.monotonic() + seconds
        self.fired = False

    def __call__(self) -> int:
        if self.at is not None and time.monotonic() > self.at:
            self.fired = True
            return 1
        return 0


def _mode(conn: Connection) -> str | None:
    return conn.get_execution_options().get(_MODE_OPTION)


def _timeout_error(seconds: float | None) -> StoreError:
    limit = f" (over {seconds:g} s)" if seconds else ""
    return StoreError(f"query took too long{limit} and was stopped: narrow the search or filters")


def _sqlite_setup(engine: Engine, timeout: float | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.close()
        deadline = _Deadline()
        record.info["cronica_deadline"] = deadline
        dbapi_conn.set_progress_handler(deadline, _PROGRESS_STEPS)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.info["cronica_deadline"].start(None)
        conn.exec_driver_sql("BEGIN" if _mode(conn) == "read" else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Connection, _cursor: Any, _stmt: str, _params: Any, _ctx: Any, _many: bool) -> None:
        deadline = conn.info.get("cronica_deadline")
        if deadline is not None:
            deadline.start(None if _mode(conn) in ("write", "migrate") else timeout)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(conn: Connection) -> None:  # never interrupt COMMIT/ROLLBACK
        deadline = conn.info.get("cronica_deadline")
        if deadline is not None:
            deadline.start(None)

    @event.listens_for(engine, "handle_error")
    def _on_error(ctx: ExceptionContext) -> None:
        orig = ctx.original_exception
        deadline = ctx.connection.info.get("cronica_deadline") if ctx.connection is not None else None
        if isinstance(orig, sqlite3.OperationalError) and deadline is not None and deadline.fired:
            raise _timeout_error(deadline.seconds) from None


def _pg_setup(engine: Engine, timeout: float | None) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = _mode(conn)
        if mode in ("write", "migrate"):
            ms = 0 if mode == "migrate" else int(WRITE_TIMEOUT_S * 1000)
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {ms}")

    @event.listens_for(engine, "handle_error")
    def _on_error(ctx: ExceptionContext) -> None:
        if getattr(ctx.original_exception, "sqlstate", None) == "57014":  # query_canceled
            mode = _mode(ctx.connection) if ctx.connection is not None else None
            seconds = WRITE_TIMEOUT_S if mode == "write" else None if mode == "migrate" else timeout
            raise _timeout_error(seconds) from None


def make_engine(db_url: str | Path, *, create: bool = True) -> Engine:
    """An :class:`Engine` for ``db_url`` (see :func:`cronica.store.urls.normalize_db_url`).

    With ``create=False`` a SQLite file that does not exist yet is an error instead of
    being created.
    """
    url: URL = normalize_db_url(db_url)
    timeout = query_timeout()
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not create and not path.exists():
            raise StoreError(f"database file {str(path)!r} does not exist")
        if not path.parent.exists():
            raise StoreError(f"database file {str(path)!r}: directory {str(path.parent)!r} does not exist")
        engine = create_engine(url)
        _sqlite_setup(engine, timeout)
        return engine
    ms = max(1, round(timeout * 1000)) if timeout else 0  # 0 = none on PostgreSQL
    engine = create_engine(url, pool_pre_ping=True, connect_args={"options": f"-c statement_timeout={ms}"})
    _pg_setup(engine, timeout)
    return engine


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for queries: deferred ``BEGIN`` on SQLite, the query deadline on both."""
    with engine.connect() as conn:
        conn.execution_options(**{_MODE_OPTION: "read"})
        yield conn


@contextmanager
def writing(engine: Engine, mode: Mode = "write") -> Iterator[Connection]:
    """A write transaction (committed on success, rolled back on error): ``BEGIN IMMEDIATE``
    on SQLite, the write statement timeout on PostgreSQL (see the module doc)."""
    with engine.connect() as conn:
        conn.execution_options(**{_MODE_OPTION: mode})
        with conn.begin():
            yield conn


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
        with writing(engine, "migrate") as conn:
            if conn.dialect.name == "postgresql":  # one migrator at a time (concurrent opens)
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7202519411)")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except OperationalError as exc:
        raise StoreError(f"database {engine.url.render_as_string(hide_password=True)!r} cannot be opened or migrated: "
                         f"{str(exc.orig).splitlines()[0] if exc.orig else exc}") from None
