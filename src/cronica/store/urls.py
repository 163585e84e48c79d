"""Database URL handling.

Accepted forms (anything else is a :class:`~cronica.store.errors.StoreError`):

* ``sqlite:///relative/or/absolute.db`` (SQLAlchemy form)
* a bare filesystem path (``news.db``, ``/data/news.db``) -> SQLite file
* ``postgresql://USER@HOST:PORT/NAME`` or ``postgres://...`` -> the psycopg (v3) driver
  (``postgresql+psycopg://...``); ``postgresql+psycopg://`` is accepted as is.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from cronica.store.errors import StoreError


def normalize_db_url(db_url: str | Path) -> URL:
    """Turn what a user typed into a SQLAlchemy :class:`URL` with the right driver."""
    raw = str(db_url).strip()
    if not raw:
        raise StoreError("database URL is empty: give sqlite:///PATH.db, a file path, or postgresql://...")
    if "://" not in raw:
        return URL.create("sqlite", database=raw)
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise StoreError(f"database URL {raw!r} is not valid: {exc}") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise StoreError(f"database URL {raw!r} has no file path: in-memory SQLite is not supported, use sqlite:///PATH.db")
        return url.set(drivername="sqlite")
    raise StoreError(f"database URL {raw!r} uses unsupported backend {backend!r}: use sqlite:///PATH.db or postgresql://...")
