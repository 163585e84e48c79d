"""``cronica bench extract``: path handling, formatting, and real measurements in a
spawned subprocess (bare spaCy NER; the full pipeline once the extractor exists)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cronica.bench.gold import BenchError
from cronica.bench.speed import (
    StageResult, expand_paths, format_speed, measure_in_subprocess, ratio, run_speed,
)
from cronica.cli import main

# Two short texts written for these tests.
TEXTS = [
    "Gunmen ambushed a police patrol near Villa Azul on Sunday, killing four officers, "
    "the regional police chief said. The army sent troops to the area.",
    "Authorities in Lima seized 2 tonnes of cocaine hidden in a shipment of fruit bound for "
    "Rotterdam, the interior minister told reporters on Tuesday.",
]


def _importable(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except Exception:
        return False


HAVE_INGEST = _importable("cronica.ingest", "read_paths")
HAVE_EXTRACTOR = _importable("cronica.extract", "Extractor")


def _docs() -> list[dict]:
    return [{"id": f"d{i}", "text": t, "language": "en"} for i, t in enumerate(TEXTS)]


def test_expand_paths_lists_folder_files_and_rejects_missing(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "a.html").write_text("a", encoding="utf-8")
    (tmp_path / "README.md").write_text("r", encoding="utf-8")
    (tmp_path / ".hidden").write_text("h", encoding="utf-8")
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    extra = tmp_path / "sub" / "c.txt"
    extra.write_text("c", encoding="utf-8")
    assert [p.name for p in expand_paths([tmp_path, extra])] == ["a.html", "b.txt", "c.txt"]
    with pytest.raises(BenchError, match="nope.txt: no such file or directory"):
        expand_paths([tmp_path / "nope.txt"])


def test_run_speed_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(BenchError, match="--repeat must be at least 1, got 0"):
        run_speed([tmp_path], repeat=0)
    with pytest.raises(BenchError, match="unknown stage 'gpu'"):
        run_speed([tmp_path], stages=["gpu"])
    r = CliRunner().invoke(main, ["bench", "extract", str(tmp_path / "missing")])
    assert r.exit_code == 1 and "missing: no such file or directory" in r.output


def test_format_and_ratio_on_given_results() -> None:
    pipe = StageResult("pipeline", 10, 5000, 2, 1.5, 4.0, 3 * 2**20, 300 * 2**20, 200 * 2**20, 0)
    bare = StageResult("bare", 10, 5000, 2, 1.0, 1.0, 2**20, 150 * 2**20, 100 * 2**20, 0)
    assert pipe.articles_per_s == 5.0 and bare.words_per_s == 10000
    assert ratio([pipe, bare]) == 4.0 and ratio([pipe]) is None
    text = format_speed([pipe, bare], ["x.pdf: unsupported format"])
    assert "pipeline/bare time ratio: 4.00x" in text
    assert "300.0" in text and "200.0" in text and "3.0" in text and "skipped 1 unreadable input(s): x.pdf" in text
    assert json.loads(json.dumps(pipe.to_dict()))["articles_per_s"] == 5.0


@pytest.mark.slow
def test_bare_ner_measured_in_a_spawned_process() -> None:
    r = measure_in_subprocess("bare", _docs(), repeat=2)
    assert (r.stage, r.articles, r.repeat) == ("bare", 2, 2)
    assert r.words == sum(len(t.split()) for t in TEXTS)
    assert r.seconds > 0 and r.load_s > 0 and r.articles_per_s > 0
    assert r.tracemalloc_peak_bytes > 0
    assert r.rss_delta_bytes > 10 * 2**20  # the model itself is tens of MiB
    assert r.rss_peak_bytes >= r.rss_delta_bytes and r.maxrss_delta_bytes >= 0


@pytest.mark.slow
def test_stage_failures_come_back_as_one_line_errors() -> None:
    with pytest.raises(BenchError, match="unknown stage 'gpu'"):
        measure_in_subprocess("gpu", _docs(), repeat=1)
    with pytest.raises(BenchError, match="bare stage failed: KeyError: 'text'"):
        measure_in_subprocess("bare", [{"id": "d0"}], repeat=1)


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_INGEST, reason="cronica.ingest.read_paths not available yet")
def test_bench_extract_cli_bare_stage(tmp_path: Path) -> None:
    for i, t in enumerate(TEXTS):
        (tmp_path / f"{i}.txt").write_text(t, encoding="utf-8")
    r = CliRunner().invoke(main, ["bench", "extract", str(tmp_path), "--repeat", "1", "--stage", "bare", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert [s["stage"] for s in d["stages"]] == ["bare"] and d["stages"][0]["articles"] == 2
    assert d["ratio"] is None


@pytest.mark.slow
@pytest.mark.skipif(not (HAVE_INGEST and HAVE_EXTRACTOR), reason="ingest or extractor not available yet")
def test_bench_extract_cli_both_stages(tmp_path: Path) -> None:
    for i, t in enumerate(TEXTS):
        (tmp_path / f"{i}.txt").write_text(t, encoding="utf-8")
    r = CliRunner().invoke(main, ["bench", "extract", str(tmp_path), "--repeat", "1"])
    assert r.exit_code == 0, r.output
    assert "pipeline/bare time ratio:" in r.output
