"""`cronica extract` and `cronica ingest` end to end, on the bundled samples and a real
SQLite file: every output line is valid Cronica JSON, re-ingesting adds nothing, a changed
article at the same URL replaces its records, bad inputs are reported and the batch goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cronica
from cronica.cli import main
from cronica.samples import sample_paths
from cronica.schema import validate

pytestmark = pytest.mark.slow


def test_extract_prints_valid_cronica_json_for_every_sample():
    paths = [str(p) for p in sample_paths()]
    res = CliRunner().invoke(main, ["extract", *paths])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.strip()]
    assert len(lines) == len(paths)
    for obj in lines:
        validate(obj, check_offsets=True)
    assert sum(len(o["incidents"]) for o in lines) >= len(paths)


def test_ingest_is_idempotent_and_reports_bad_files(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sample_paths()[:3]:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", "--db", db, str(folder)])
    assert first.exit_code == 1  # the binary file failed ...
    assert "broken.txt" in first.stderr and "3 added" in first.stderr  # ... and the rest went in
    with cronica.open(db) as store:
        n_docs = len(store.documents())
        n_inc = len(store.incidents(limit=1000))
    assert n_docs == 3 and n_inc > 0
    (folder / "broken.txt").unlink()
    again = runner.invoke(main, ["ingest", "--db", db, str(folder)])
    assert again.exit_code == 0 and "3 unchanged" in again.stderr
    with cronica.open(db) as store:
        assert len(store.documents()) == n_docs and len(store.incidents(limit=1000)) == n_inc


def test_changed_article_at_same_url_replaces_its_records(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    art = tmp_path / "a.txt"
    art.write_text("Gunmen killed three police officers in an ambush in Tumaco, Colombia, on Friday, "
                   "the army said. The attack was blamed on the ELN.\n", encoding="utf-8")
    runner = CliRunner()
    url = "https://news.example.org/2022/09/03/tumaco"
    r1 = runner.invoke(main, ["ingest", "--db", db, "--url", url, "--published", "2022-09-03", str(art)])
    assert r1.exit_code == 0, r1.stderr
    art.write_text("Gunmen killed five police officers in an ambush in Tumaco, Colombia, on Friday, "
                   "the army said. The attack was blamed on the ELN.\n", encoding="utf-8")
    r2 = runner.invoke(main, ["ingest", "--db", db, "--url", url, "--published", "2022-09-03", str(art)])
    assert r2.exit_code == 0 and "1 replaced" in r2.stderr
    with cronica.open(db) as store:
        assert len(store.documents()) == 1
        rows = store.incidents(limit=100)
        assert [r.to_dict()["killed"] for r in rows if r.to_dict().get("killed") is not None] == [5]


def test_single_file_options_need_one_file(tmp_path: Path):
    res = CliRunner().invoke(main, ["extract", "--url", "https://x.example.org/a", str(tmp_path), str(tmp_path)])
    assert res.exit_code == 2 and "single file" in res.output
