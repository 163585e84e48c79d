"""Shared pytest fixtures (generic; any stage's tests may use them, others may add more).

* ``shared_dir``: the read-only data folder ``../shared`` next to the repository
  (MUC-4, seed article, news-dev); the test is skipped when it is absent.
* ``db_url``: a fresh, empty Cronica database URL, parametrised over a real SQLite file
  and, when ``CRONICA_TEST_PG_URL`` is set (e.g. ``postgresql://me@127.0.0.1:5432/postgres``),
  a real PostgreSQL database created for the test and dropped after it. Without that
  variable the PostgreSQL variant is skipped with the reason, except under ``CI=true``,
  where it fails (CI must not silently lose the PostgreSQL coverage).
* ``pg_url``: like ``db_url`` but PostgreSQL only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
PG_ENV = "CRONICA_TEST_PG_URL"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared data folder {SHARED_DIR} is absent")
    return SHARED_DIR


def _fresh_pg_database() -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if not base:
        reason = f"PostgreSQL tests need {PG_ENV}=postgresql://USER@HOST:PORT/DB (see .ci/run)"
        if os.environ.get("CI", "").lower() == "true":  # CI must run them, not skip them
            pytest.fail(f"CI=true but {PG_ENV} is unset: {reason}", pytrace=False)
        pytest.skip(reason)
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(base).set(drivername="postgresql")
    name = f"cronica_test_{uuid.uuid4().hex[:12]}"
    admin_dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cronica.db'}"
    else:
        yield from _fresh_pg_database()


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _fresh_pg_database()
