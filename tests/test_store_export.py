"""Exports, read back with csv, json and pyarrow."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import cronica
from cronica.records import INCIDENT_TYPES
from cronica.store import Cronica, StoreError
from cronica.store.acled import ACLED_COLUMNS, ACLED_EVENT_TYPES, event_type
from test_store_samples import URL_A, all_results


@pytest.fixture
def db(db_url: str) -> Iterator[Cronica]:
    with cronica.open(db_url) as store:
        for res in all_results():
            store.save(res)
        yield store


def test_every_incident_type_has_an_acled_mapping() -> None:
    assert set(ACLED_EVENT_TYPES) == set(INCIDENT_TYPES)
    assert event_type("bombing") == ("Explosions/Remote violence", "Remote explosive/landmine/IED")
    assert event_type("arrest_capture") == ("Strategic developments", "Arrests")
    assert event_type("no_such_type") == ("Strategic developments", "Other")


def test_csv_export_has_acled_columns(db: Cronica, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert db.export("csv", out) == 5
    with out.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == ACLED_COLUMNS
        rows = {r["event_id_cnty"]: r for r in reader}
    amb = rows["inc_a1"]
    assert (amb["event_date"], amb["year"], amb["time_precision"]) == ("2011-05-09", "2011", "1")
    assert (amb["event_type"], amb["sub_event_type"]) == ("Battles", "Armed clash")
    assert (amb["actor1"], amb["inter1"], amb["actor2"], amb["inter2"], amb["interaction"]) == (
        "Los Zetas", "3", "state police convoy", "1", "13")
    assert (amb["country"], amb["iso"], amb["admin1"], amb["location"]) == ("Mexico", "484", "Nuevo Leon", "Monterrey")
    assert (float(amb["latitude"]), float(amb["longitude"]), amb["geo_precision"]) == (25.67, -100.31, "1")
    assert (amb["fatalities"], amb["cronica_wounded"], amb["source"], amb["cronica_url"]) == (
        "6", "3", "Example News", URL_A)
    assert amb["notes"].startswith("Gunmen from the Zetas cartel")
    kid = rows["inc_b1"]
    assert (kid["event_date"], kid["time_precision"], kid["cronica_kidnapped"], kid["fatalities"]) == (
        "2012-03-01", "2", "2", "0")
    assert rows["inc_c2"]["cronica_status"] == "background" and rows["inc_c2"]["time_precision"] == "3"


def test_geojson_export_has_only_placed_incidents(db: Cronica) -> None:
    buf = io.BytesIO()
    n = db.export("geojson", buf)
    data = json.loads(buf.getvalue().decode("utf-8"))
    assert data["type"] == "FeatureCollection" and n == len(data["features"]) == 3
    feats = {f["id"]: f for f in data["features"]}
    assert set(feats) == {"inc_a1", "inc_b1", "inc_c1"}
    assert feats["inc_c1"]["geometry"] == {"type": "Point", "coordinates": [-76.27, 2.95]}
    assert feats["inc_c1"]["properties"]["perpetrators"] == ["Revolutionary Armed Forces of Colombia"]


def test_json_export_has_full_records(db: Cronica) -> None:
    buf = io.StringIO()
    assert db.export("json", buf) == 5
    records = {r["id"]: r for r in json.loads(buf.getvalue())}
    amb = records["inc_a1"]
    assert amb["killed"] == {"value": 6, "qualifier": "at_least",
                             "evidence": {"start": amb["killed"]["evidence"]["start"],
                                          "end": amb["killed"]["evidence"]["end"], "text": "at least six"},
                             "low": 6, "best": 6, "high": 6, "best_source": "inc_a1"}  # one report: one toll
    assert amb["merged_id"] == "inc_a1" and [r["document"]["url"] for r in amb["reports"]] == [URL_A]
    assert amb["reports"][0]["killed"] == {"value": 6, "qualifier": "at_least"}
    assert amb["document"]["url"] == URL_A and amb["review_state"] == "unreviewed"
    assert amb["perpetrators"][0]["actor_id"] == "act_zetas"


def test_parquet_export_reads_back_with_pyarrow(db: Cronica, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "incidents.parquet"
    assert db.export("parquet", out) == 5
    table = pq.read_table(out)
    assert table.num_rows == 5
    rows = {r["id"]: r for r in table.to_pylist()}
    assert rows["inc_a1"]["killed"] == 6 and rows["inc_a1"]["perpetrators"] == ["Los Zetas"]
    assert rows["inc_b2"]["lat"] is None and rows["inc_b2"]["arrested"] == 4


def test_unknown_format_is_a_clear_error(db: Cronica) -> None:
    with pytest.raises(StoreError, match="export format 'xlsx' is not one of"):
        db.export("xlsx", io.StringIO())  # type: ignore[arg-type]


def test_empty_database_exports_a_header_only(tmp_path: Path) -> None:
    with cronica.open(str(tmp_path / "e.db")) as store:
        buf = io.StringIO()
        assert store.export("csv", buf) == 0
        assert buf.getvalue().strip() == ",".join(ACLED_COLUMNS)


def test_missing_optional_packages_give_clear_errors(db: Cronica, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if pyarrow were not installed
    with pytest.raises(StoreError, match="parquet export needs pyarrow"):
        db.export("parquet", tmp_path / "x.parquet")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(StoreError, match="to_pandas\\(\\) needs pandas"):
        db.incidents().to_pandas()
