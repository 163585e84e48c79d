"""Crash safety: ``kill -9`` of ``cronica ingest`` at several points, then the same ingest
again, gives a database equal to an uninterrupted run (every table, row for row, timestamps
aside) — on a real SQLite file and, when CRONICA_TEST_PG_URL is set, a real PostgreSQL.

The kill points are chosen by progress, not by time: while the models load (no document
stored yet) and after 1 and 3 documents are stored, so each trial interrupts a different
stage of the run. No extraction worker may outlive the killed run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, func, select, text

from cronica.store import Cronica
from cronica.store import schema as s

N_DOCS = 5
KILL_AFTER = (0, 1, 3)  # stored documents before the kill
TIMEOUT_S = 300
#: Columns that legitimately differ between two runs (when a row was written).
VOLATILE = {"ingested_at", "created_at", "at", "updated_at"}


def _ingest_cmd(db_url: str, folder: Path) -> list[str]:
    return [sys.executable, "-c", "from cronica.cli import main; main()", "ingest", "--db", db_url,
            "--no-progress", str(folder)]


def _stored(db_url: str) -> int:
    try:
        eng = create_engine(db_url)
        try:
            with eng.connect() as conn:
                return int(conn.execute(select(func.count()).select_from(s.documents)).scalar_one())
        finally:
            eng.dispose()
    except Exception:  # not created yet, or locked for a moment
        return 0


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and ") Z " in stat.read_text())


def _dump(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    eng = create_engine(db_url)
    try:
        md = MetaData()
        md.reflect(eng, only=[t.name for t in s.metadata.sorted_tables])
        out = {}
        with eng.connect() as conn:
            for t in md.sorted_tables:
                cols = [c for c in t.columns if c.name not in VOLATILE and not (  # surrogate keys
                    c.name == "id" and str(c.type).upper() == "INTEGER")]
                rows = conn.execute(select(*cols)).all()
                out[t.name] = sorted((tuple(repr(v) for v in r) for r in rows))
            if eng.dialect.name == "sqlite":
                fts = conn.execute(text("SELECT document_id, title FROM documents_fts")).all()
                out["documents_fts"] = sorted(tuple(map(repr, r)) for r in fts)
        return out
    finally:
        eng.dispose()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Path:
    src = sorted((shared_dir / "news-dev" / "articles").glob("*.txt"))[:N_DOCS]
    assert len(src) == N_DOCS
    dst = tmp_path_factory.mktemp("articles")
    for p in src:
        shutil.copy(p, dst / p.name)
    return dst


def _fresh(kind: str, tmp_path: Path, name: str) -> tuple[str, Any]:
    """A fresh empty database URL and what drops it afterwards (None for SQLite)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / (name + '.db')}", None
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(os.environ["CRONICA_TEST_PG_URL"]).set(drivername="postgresql")
    dsn = admin.render_as_string(hide_password=False)
    db = f"cronica_crash_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')

    def drop() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

    return admin.set(database=db).render_as_string(hide_password=False), drop


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_kill_9_then_rerun_equals_an_uninterrupted_run(kind: str, folder: Path, tmp_path: Path) -> None:
    if kind == "postgresql" and not os.environ.get("CRONICA_TEST_PG_URL"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but CRONICA_TEST_PG_URL is unset")
        pytest.skip("PostgreSQL crash trials need CRONICA_TEST_PG_URL")
    cleanups = []
    try:
        ref_url, drop = _fresh(kind, tmp_path, "reference")
        cleanups.append(drop)
        Cronica(ref_url).close()  # create the schema
        done = subprocess.run(_ingest_cmd(ref_url, folder), capture_output=True, text=True, timeout=TIMEOUT_S)
        assert done.returncode == 0, done.stderr[-2000:]
        reference = _dump(ref_url)
        assert len(reference["documents"]) == N_DOCS and reference["incidents"]

        for after in KILL_AFTER:
            url, drop = _fresh(kind, tmp_path, f"trial{after}")
            cleanups.append(drop)
            Cronica(url).close()
            proc = subprocess.Popen(_ingest_cmd(url, folder), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.monotonic() + TIMEOUT_S
            kids: set[int] = set()
            while time.monotonic() < deadline and proc.poll() is None:
                kids.update(_children(proc.pid))
                if _stored(url) >= after and (after > 0 or kids):
                    break
                time.sleep(0.05)
            assert proc.poll() is None, f"ingest ended before the kill point ({after} documents)"
            kids.update(_children(proc.pid))
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
            assert _stored(url) < N_DOCS or after == N_DOCS
            # the extraction worker notices its parent is gone and exits
            end = time.monotonic() + 30
            while time.monotonic() < end and any(_alive(k) for k in kids):
                time.sleep(0.2)
            assert not [k for k in kids if _alive(k)], f"worker outlived the killed ingest (after {after})"
            rerun = subprocess.run(_ingest_cmd(url, folder), capture_output=True, text=True, timeout=TIMEOUT_S)
            assert rerun.returncode == 0, rerun.stderr[-2000:]
            got = _dump(url)
            for table in reference:
                assert got[table] == reference[table], f"table {table} differs after a kill at {after} documents"
    finally:
        for drop in cleanups:
            if drop is not None:
                drop()
