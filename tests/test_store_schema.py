"""Migrations, URLs and connection settings of the store, on real databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import cronica
from cronica.store import StoreError
from cronica.store.engine import alembic_config, current_revision, head_revision, make_engine, upgrade
from cronica.store.schema import FTS_TABLE_PREFIXES, metadata
from cronica.store.urls import normalize_db_url

TABLES = {"documents", "incidents", "incident_actors", "actors", "actor_aliases", "actor_roles", "figures",
          "quotes", "provenance"}


def _include(obj: object, name: str | None, type_: str, *_: object) -> bool:
    """Leave out the dialect-specific full-text tables/indexes (not part of the model)."""
    if type_ == "table" and name and (name.startswith(FTS_TABLE_PREFIXES) or name == "alembic_version"):
        return False
    return not (type_ == "index" and name == "ix_documents_fts")


def test_open_creates_a_fully_migrated_database(db_url: str) -> None:
    with cronica.open(db_url) as db:
        names = set(inspect(db.engine).get_table_names())
        assert TABLES <= names
        assert "records_fts" in names
        assert current_revision(db.engine) == head_revision()
        cols = {c["name"] for c in inspect(db.engine).get_columns("incidents")}
        assert {"review_state", "data", "weapons", "location_lat", "killed_qualifier"} <= cols


# SQLite cannot reflect the expression indexes of migration 0003, so autogenerate skips
# them there (with these warnings); tests/test_store_paging.py checks they exist.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_migrations_match_the_model(db_url: str) -> None:
    with cronica.open(db_url) as db, db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": _include, "compare_type": True})
        assert compare_metadata(ctx, metadata) == []


def test_existing_database_is_upgraded_and_data_kept(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:  # an "old" database: at no revision at all
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.stamp(cfg, "base")
    assert current_revision(engine) is None
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO actors (id, canonical, kind, known) VALUES ('a1', 'X', 'person', false)"))
    engine.dispose()
    with cronica.open(db_url) as db:  # opening again is a no-op upgrade that keeps data
        assert current_revision(db.engine) == head_revision()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT canonical FROM actors")).scalar_one() == "X"


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with cronica.open(f"sqlite:///{path}") as db, db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file
    fts = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'").fetchone()[0]
    assert "fts5" in fts.lower()
    raw.close()


def test_bare_path_means_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with cronica.open("plain.db") as db:
        assert db.dialect == "sqlite"
    assert (tmp_path / "plain.db").is_file()


@pytest.mark.parametrize("raw, driver", [
    ("postgresql://u@127.0.0.1:5432/news", "postgresql+psycopg"),
    ("postgres://u@db/news", "postgresql+psycopg"),
    ("postgresql+psycopg://u@db/news", "postgresql+psycopg"),
    ("sqlite:///x/news.db", "sqlite"),
    ("news.db", "sqlite"),
])
def test_urls_are_normalised(raw: str, driver: str) -> None:
    assert normalize_db_url(raw).drivername == driver


@pytest.mark.parametrize("raw, problem", [
    ("mysql://u@h/db", "unsupported backend"),
    ("", "empty"),
    ("sqlite://", "no file path"),
])
def test_bad_urls_are_one_line_errors(raw: str, problem: str) -> None:
    with pytest.raises(StoreError, match=problem) as err:
        normalize_db_url(raw)
    assert "\n" not in str(err.value)


def test_missing_directory_and_create_false_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        cronica.open(f"sqlite:///{tmp_path / 'nope' / 'x.db'}")
    with pytest.raises(StoreError, match="does not exist"):
        cronica.open(str(tmp_path / "absent.db"), create=False)
    assert not (tmp_path / "absent.db").exists()
