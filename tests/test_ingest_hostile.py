"""The hostile corpus (CI size, 1,000 files) through ``cronica ingest`` in a child process:
0 tracebacks, every input ingested or rejected with a message naming it, every valid JSONL
line and feed item around the bad ones kept, every bad line reported (docs/limits.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cronica.bench.hostile import format_hostile, generate, run_hostile

pytestmark = pytest.mark.slow


def test_generator_is_deterministic(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", files=120, seed=3)
    b = generate(tmp_path / "b", files=120, seed=3)
    assert a.kinds == b.kinds and a.files == b.files >= 120
    for fa in sorted((tmp_path / "a" / "corpus").rglob("*")):
        fb = tmp_path / "b" / "corpus" / fa.relative_to(tmp_path / "a" / "corpus")
        if fa.is_file() and not fa.is_symlink():
            assert fa.read_bytes() == fb.read_bytes()


def test_hostile_corpus_never_stops_the_batch(tmp_path: Path) -> None:
    man = generate(tmp_path, files=1000)
    assert man.files >= 1000 and len(man.kinds) >= 25
    r = run_hostile(man, tmp_path / "hostile.db", timeout_s=30)
    report = format_hostile(r)
    print(report)
    assert r.tracebacks == 0, report
    assert r.exit_code == 1, report  # bad inputs failed, and nothing crashed
    assert r.unreported == [], report
    assert r.lost_lines == [] and r.bad_lines_accepted == [], report
    assert len(man.valid_lines) > 100 and len(man.bad_lines) > 100
    assert r.ingested >= len(man.valid_lines) + len(man.valid_items)
    assert r.reasons["too long"] >= 1 and r.reasons["link not followed"] >= 1
    assert r.peak_rss_mb < 1024, report
