"""The query commands through click's CliRunner against a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cronica
from cronica.cli import main
from test_store_samples import URL_A, all_results


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "news.db"
    with cronica.open(f"sqlite:///{path}") as db:
        for res in all_results():
            db.save(res)
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_search_table_and_json(db_path: str) -> None:
    code, out, _ = run("search", "Zetas", "--db", db_path)
    assert code == 0
    header, rule, *lines = out.splitlines()
    assert header.split() == ["kind", "id", "published", "snippet"] and set(rule) <= {"-", " "}
    assert any(line.startswith("incident") and "inc_a1" in line for line in lines)
    code, out, _ = run("search", "Zetas", "--limit", "1", "--json", "--db", db_path)
    hits = json.loads(out)
    assert code == 0 and len(hits) == 1 and "[Zetas]" in hits[0]["snippet"]


def test_incidents_filters(db_path: str) -> None:
    code, out, _ = run("incidents", "--group", "zetas", "--since", "2012", "--json", "--db", db_path)
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["inc_b1"]
    code, out, _ = run("incidents", "--type", "bombing", "--country", "CO", "--db", db_path)
    assert code == 0 and "Toribio" in out and "inc_c1" in out and "Monterrey" not in out
    code, out, _ = run("incidents", "--status", "background", "--until", "2010", "--json", "--db", db_path)
    assert [r["id"] for r in json.loads(out)] == ["inc_c2"]
    code, out, _ = run("incidents", "--group", "nobody", "--db", db_path)
    assert code == 0 and "no incidents match" in out


def test_bad_since_is_a_bad_parameter(db_path: str) -> None:
    code, _, err = run("incidents", "--since", "last week", "--db", db_path)
    assert code == 2 and "Invalid value for '--since'" in err and "YYYY" in err


def test_actor_profile_and_unknown_actor(db_path: str) -> None:
    code, out, _ = run("actor", "Zetas", "--db", db_path)
    assert code == 0
    assert out.startswith("Los Zetas  (criminal_group, MX)")
    assert "2011: 1, 2012: 1" in out and URL_A in out
    code, out, _ = run("actor", "estevez", "--json", "--db", db_path)
    prof = json.loads(out)
    assert [r["title"] for r in prof["roles"]] == ["Governor", "gobernador"]
    code, out, err = run("actor", "Cartel del Golfo", "--db", db_path)
    assert code == 1 and "no actor named 'Cartel del Golfo'" in err and out == ""


def test_figures_side_by_side(db_path: str) -> None:
    code, out, _ = run("figures", "--indicator", "coca", "--place", "Colombia", "--db", db_path)
    assert code == 0
    lines = out.splitlines()[2:]
    assert len(lines) == 2 and "62,000" in lines[0] and "100,000" in lines[1] and "Casa Blanca" in lines[1]


def test_export_to_stdout_and_file(db_path: str, tmp_path: Path) -> None:
    code, out, _ = run("export", "--format", "csv", "--db", db_path)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5 and {r["event_id_cnty"] for r in rows} >= {"inc_a1", "inc_c1"}
    code, out, _ = run("export", "--format", "geojson", "--db", db_path)
    assert len(json.loads(out)["features"]) == 3
    target = tmp_path / "all.json"
    code, _, err = run("export", "--format", "json", "-o", str(target), "--db", db_path)
    assert code == 0 and "wrote 5 incidents" in err and len(json.loads(target.read_text())) == 5
    code, _, err = run("export", "--format", "parquet", "--db", db_path)
    assert code == 2 and "-o FILE" in err


def test_stats(db_path: str) -> None:
    code, out, _ = run("stats", "--db", db_path)
    assert code == 0 and "incidents" in out and "Los Zetas" in out
    code, out, _ = run("stats", "--json", "--db", db_path)
    data = json.loads(out)
    assert data["incidents"] == 5 and data["incidents_by_type"]["ambush"] == 1


def test_missing_database_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    code, _, err = run("stats", "--db", str(missing))
    assert code == 1 and "does not exist" in err and not missing.exists()
