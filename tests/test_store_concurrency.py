"""Concurrent writers lose nothing: two ``cronica ingest`` processes of disjoint halves of
a folder of articles, plus a third process writing reviews, all at once into one database
(a real SQLite file; a real PostgreSQL when CRONICA_TEST_PG_URL is set).

Every document must be stored exactly once, with the same records as a sequential run of
the whole folder, and every review the reviewer made must be recorded.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cronica.store import Cronica
from cronica.store import schema as s
from cronica.store.engine import SQLITE_BUSY_TIMEOUT_MS, reading, writing

HALF = 15  # documents per ingest process (CI-sized; see docs/limits.md for the full run)
INGEST_TIMEOUT_S = 600

# The reviewer: confirms incidents and actors as they appear, and corrects the canonical
# name of actors (which rewrites aliases and the actor's search text, as a save does),
# until the stop file exists; prints how many reviews it applied.
REVIEWER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sqlalchemy import select
    from cronica.store import Cronica, schema as s
    from cronica.serve.review import apply_review

    url, stop = sys.argv[1], Path(sys.argv[2])
    done, seen = 0, set()
    with Cronica(url) as db:
        while True:
            last = stop.exists()
            with db.engine.connect() as conn:
                inc = list(conn.execute(select(s.incidents.c.id).order_by(s.incidents.c.id)).scalars())
                act = list(conn.execute(select(s.actors.c.id, s.actors.c.canonical)
                                        .order_by(s.actors.c.id)).all())
            for iid in inc:
                if ("incident", iid) not in seen:
                    apply_review(db.engine, "incident", iid, "confirm", "reviewer")
                    seen.add(("incident", iid)); done += 1
            for aid, canonical in act:
                if ("actor", aid) not in seen:
                    apply_review(db.engine, "actor", aid, "correct", "reviewer",
                                 field="canonical", value=canonical + " (rev)")
                    seen.add(("actor", aid)); done += 1
            if last:
                break
            time.sleep(0.05)
    print(done)
""")


def _cronica(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from cronica.cli import main; sys.exit(main())", *args]


def _ingest(db_url: str, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(_cronica("ingest", "--db", db_url, "--no-progress", str(folder)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str], what: str) -> str:
    out, err = proc.communicate(timeout=INGEST_TIMEOUT_S)
    assert proc.returncode == 0, f"{what} exited {proc.returncode}:\n{out}\n{err[-3000:]}"
    return out + err


@pytest.fixture(scope="module")
def folders(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copies of 2 x HALF news-dev articles: ``a`` and ``b`` (disjoint halves) and ``all``."""
    src = sorted(p for p in (shared_dir / "news-dev" / "articles").iterdir() if p.suffix == ".txt")
    assert len(src) >= 2 * HALF, "news-dev has fewer articles than the test needs"
    root = tmp_path_factory.mktemp("halves")
    out = {name: root / name for name in ("a", "b", "all")}
    for d in out.values():
        d.mkdir()
    for k, path in enumerate(src[:2 * HALF]):
        shutil.copy(path, out["a" if k < HALF else "b"] / path.name)
        shutil.copy(path, out["all"] / path.name)
    return out


def _snapshot(db_url: str) -> dict[str, Any]:
    """What must not depend on how the documents were written: the stored ids of every
    kind of record, per-document row counts, and duplicate checks."""
    with Cronica(db_url, create=False) as db, db.engine.connect() as conn:
        ids = {t.name: sorted(conn.execute(select(t.c.id)).scalars())
               for t in (s.documents, s.incidents, s.figures, s.quotes, s.actors)}
        per_doc = {t.name: dict(conn.execute(select(t.c.document_id, func.count()).group_by(t.c.document_id)).all())
                   for t in (s.provenance, s.actor_roles)}
        per_doc["incident_actors"] = dict(conn.execute(
            select(s.incidents.c.document_id, func.count()).select_from(
                s.incident_actors.join(s.incidents, s.incidents.c.id == s.incident_actors.c.incident_id))
            .group_by(s.incidents.c.document_id)).all())
        fts = s.records_fts
        actor_fts = list(conn.execute(select(fts.c.record_id, func.count()).where(fts.c.record_kind == "actor")
                                      .group_by(fts.c.record_id)).all())
        reviews = conn.execute(select(func.count()).select_from(s.review_events)).scalar_one()
    return {"ids": ids, "per_doc": per_doc, "actor_fts": actor_fts, "reviews": reviews}


@pytest.fixture(scope="module")
def sequential(folders: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The reference: one ``cronica ingest`` of the whole folder into a fresh SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('seq') / 'seq.db'}"
    _finish(_ingest(url, folders["all"]), "sequential ingest")
    return _snapshot(url)


def test_two_ingests_and_a_reviewer_at_once_lose_nothing(db_url: str, folders: dict[str, Path],
                                                         sequential: dict[str, Any], tmp_path: Path) -> None:
    Cronica(db_url).close()  # create the schema first, as `cronica init` would
    stop = tmp_path / "stop"
    env = {**os.environ}
    reviewer = subprocess.Popen([sys.executable, "-c", REVIEWER, db_url, str(stop)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    a, b = _ingest(db_url, folders["a"]), _ingest(db_url, folders["b"])
    try:
        out_a, out_b = _finish(a, "ingest of half a"), _finish(b, "ingest of half b")
    finally:
        stop.touch()
    rev_out, rev_err = reviewer.communicate(timeout=INGEST_TIMEOUT_S)
    assert reviewer.returncode == 0, f"reviewer exited {reviewer.returncode}:\n{rev_err[-3000:]}"
    assert f"{HALF} added" in out_a and f"{HALF} added" in out_b, (out_a, out_b)

    got = _snapshot(db_url)
    assert len(got["ids"]["documents"]) == 2 * HALF
    assert got["ids"] == sequential["ids"]  # every record stored, once, as in a sequential run
    assert got["per_doc"] == sequential["per_doc"]
    assert all(n == 1 for _, n in got["actor_fts"]), "an actor has duplicate search rows"
    assert len(got["actor_fts"]) == len(got["ids"]["actors"])
    reviews_made = int(rev_out.split()[-1])
    assert reviews_made > 0 and got["reviews"] == reviews_made  # no review lost either
    with Cronica(db_url, create=False) as db:  # every actor got its corrected name
        names = [db.actor(aid) for aid in got["ids"]["actors"]]
    assert all(p is not None and p.canonical.endswith(" (rev)") for p in names)


def _try_write_lock(path: Path) -> str:
    """Try to take the SQLite write lock from a separate connection, without waiting."""
    con = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return "free"
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        con.close()


def test_sqlite_writes_take_the_lock_up_front_and_reads_do_not(tmp_path: Path) -> None:
    """A transaction that reads then writes must hold the write lock from its BEGIN (else a
    concurrent writer makes its first write fail at once with "database is locked");
    queries use a deferred BEGIN in WAL mode, so they never hold it."""
    path = tmp_path / "c.db"
    with Cronica(f"sqlite:///{path}") as db:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
        with db.engine.begin() as conn:  # e.g. a review: reads first, writes later
            conn.execute(select(s.actors.c.id)).all()
            assert _try_write_lock(path) == "database is locked"
        with writing(db.engine) as conn:
            conn.execute(select(s.actors.c.id)).all()
            assert _try_write_lock(path) == "database is locked"
        with reading(db.engine) as conn:
            conn.execute(select(s.actors.c.id)).all()
            assert _try_write_lock(path) == "free"
        assert _try_write_lock(path) == "free"
