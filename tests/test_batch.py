"""The one ingest pipeline (cronica.batch): outcomes and errors counted, the size cap, the
time and memory budgets of the worker process (killed and replaced, the batch goes on),
and the web app's worker pool (one slow ingest does not hold the others)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

import cronica
from cronica.batch import DocumentFailed, Limits, Pipeline, Worker, WorkerPool, ingest_paths
from cronica.records import Document

pytestmark = pytest.mark.slow

EN = ("Gunmen killed three police officers in an ambush near Tumaco, Colombia, on Friday, "
      "the army said. The patrol was returning to its base when it was attacked.")
ES = ("Hombres armados asesinaron a dos soldados en una emboscada cerca de Cúcuta el sábado, "
      "informó el ejército. La patrulla regresaba a su base.")


def _long_text(chars: int) -> str:
    """Distinct sentences (the boilerplate rules drop repeated lines)."""
    out, n = [], 0
    while sum(map(len, out)) < chars:
        n += 1
        out.append(f"On day {n} soldiers found {n} rifles near Tumaco, the army said in report {n}. ")
    return "".join(out)


def test_limits_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRONICA_DOC_TIMEOUT", "12.5")
    monkeypatch.setenv("CRONICA_MAX_CHARS", "1000")
    assert Limits.from_env() == Limits(max_chars=1000, timeout_s=12.5, memory_mb=1024)
    assert Limits.from_env(timeout_s=3).timeout_s == 3
    monkeypatch.setenv("CRONICA_DOC_MEMORY_MB", "lots")
    with pytest.raises(ValueError, match=r"\$CRONICA_DOC_MEMORY_MB: 'lots' is not a number"):
        Limits.from_env()


def test_batch_counts_outcomes_and_reports_every_error(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(EN, encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"text": ES, "language": "es"}) + "\n{bad\n"
                                    + json.dumps({"text": _long_text(3000)}) + "\n", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"\x00\x01binary")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    limits = Limits(max_chars=2000)
    with cronica.open(db) as store:
        rep = ingest_paths([folder], store, limits=limits)
        assert (rep.inputs, rep.documents) == (3, 3)
        assert rep.counts["added"] == 2 and rep.failed == 3
        errs = {e.source: e.problem for e in rep.errors}
        assert errs[f"{folder / 'b.jsonl'}:2"].startswith("invalid JSON")
        assert errs[f"{folder / 'b.jsonl'}:3"].startswith("document too long (")
        assert errs[f"{folder / 'b.jsonl'}:3"].endswith("characters after cleaning; limit 2,000)")
        assert errs[str(folder / "c.txt")] == "binary file (contains NUL bytes)"
        assert rep.reasons["too long"] == 1 and "2 added, 3 failed" in rep.summary()
        again = ingest_paths([folder], store, limits=limits)
        assert again.counts["unchanged"] == 2 and again.counts["added"] == 0
        assert len(store.documents()) == 2


def test_a_document_over_the_time_budget_is_killed_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "1-long.txt").write_text(_long_text(150_000), encoding="utf-8")
    (folder / "2-short.txt").write_text(EN, encoding="utf-8")
    with Pipeline(None, Limits(timeout_s=0.5)) as pipe:
        worker = pipe._runner
        assert isinstance(worker, Worker)
        results = []
        rep = pipe.run([folder], on_result=lambda o, r: results.append(r))
        assert [e.source for e in rep.errors] == [str(folder / "1-long.txt")]
        assert rep.errors[0].problem.startswith("over the time budget (0.5 s per document")
        assert rep.reasons == {"time budget": 1}
        assert [r.document.source_path for r in results] == [str(folder / "2-short.txt")]
        assert worker.starts >= 2  # killed, then replaced for the next document


def test_memory_budget_kills_the_worker() -> None:
    with Worker(Limits(timeout_s=0)) as w:
        w.start()
        w.extract(Document(id="d1", text=EN, language="en"))
        w.limits = Limits(timeout_s=0, memory_mb=int(w.rss_mb()) + 20)
        with pytest.raises(DocumentFailed, match=r"over the memory budget \(\d+ MiB per extraction process") as exc:
            w.extract(Document(id="d2", text=_long_text(190_000), language="en"))
        assert exc.value.reason == "memory budget" and w.pid is None
        w.limits = Limits(timeout_s=0)
        assert w.extract(Document(id="d3", text=ES, language="es")).document.id == "d3"  # a fresh worker
        assert w.starts == 2


def test_pool_hands_busy_workers_out_one_at_a_time() -> None:
    pool = WorkerPool(2, Limits())
    got: list[Worker] = []
    third_waiting = threading.Event()
    third_got = threading.Event()

    with pool.worker() as a, pool.worker() as b:
        assert a is not b

        def third() -> None:
            third_waiting.set()
            with pool.worker() as c:
                got.append(c)
                third_got.set()

        t = threading.Thread(target=third)
        t.start()
        third_waiting.wait(10)
        assert not third_got.is_set()  # both workers are held
    t.join(10)
    assert got and got[0] in (a, b)
    pool.close()


def test_workbench_slow_ingest_does_not_block_another(tmp_path: Path) -> None:
    from cronica.serve.workbench import IngestInputError, Workbench

    with cronica.open(f"sqlite:///{tmp_path / 'w.db'}") as db:
        wb = Workbench(db=db, limits=Limits(timeout_s=15), workers=2)
        wb.pool().prestart()
        slow_done = threading.Event()
        slow_error: list[str] = []

        def slow() -> None:
            try:
                wb.ingest(_long_text(190_000), source="long.txt")
            except IngestInputError as e:  # over the time budget on a slow machine: fine too
                slow_error.append(str(e))
            slow_done.set()

        t = threading.Thread(target=slow)
        t.start()
        outcome, result, doc_id = wb.ingest(EN, source="<pasted text>")
        assert outcome == "added" and result is not None and doc_id
        assert not slow_done.is_set()  # the short article did not wait for the long one
        t.join(300)
        assert slow_done.is_set()
        assert not slow_error or slow_error[0].startswith("long.txt: over the time budget (15 s")
        with pytest.raises(IngestInputError, match=r"^<pasted text>: no visible text"):
            wb.ingest("\u200b" * 50)
        wb.limits = Limits(max_chars=100)
        with pytest.raises(IngestInputError, match=r"document too long .* limit 100\)"):
            wb.ingest(ES + " " + EN, source="two.txt")
        wb.close()
