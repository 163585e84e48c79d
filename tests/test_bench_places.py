"""``cronica bench places`` on a tiny split made here (own manifest, gold and saved
predictions): the command runs, prints every field, and scores place / admin1 / country."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cronica.bench.places import PlaceScorer, name_parts
from cronica.cli import main


def _event(eid: str, date: str, name: str, admin1: str | None, country: str) -> dict:
    return {"id": eid, "type": "attack", "status": "current", "date": date,
            "location": {"name": name, "admin1": admin1, "country": country}}


def _pred(date: str, loc: dict) -> dict:
    return {"type": "attack", "status": "current", "date": date, "date_precision": "day", "location": loc}


def _tiny(tmp_path: Path) -> tuple[Path, Path, Path]:
    shared = tmp_path / "shared"
    (shared / "news-dev" / "articles").mkdir(parents=True)
    gold = [
        {"file": "articles/a.txt", "language": "en", "published": "2020-01-02", "url": None,
         "gold": {"events": [_event("e1", "2020-01-01", "Huanta", "Ayacucho", "PE"),
                             _event("e2", "2020-01-05", "Matamoros", "Tamaulipas", "MX")]}},
        {"file": "articles/b.txt", "language": "es", "published": "2020-02-02", "url": None,
         "gold": {"events": [_event("e1", "2020-02-01", "vereda El Oso, San Luis", "Tolima", "CO"),
                             _event("e2", "2020-02-03", "Pichari", "Cusco", "PE")]}},
    ]
    (shared / "news-dev" / "gold.jsonl").write_text("\n".join(json.dumps(g) for g in gold) + "\n", encoding="utf-8")
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text("corpus\tfile\tlanguage\tgroup\tsplit\n"
                        "news-dev\tarticles/a.txt\ten\tg1\tdev\n"
                        "news-dev\tarticles/b.txt\tes\tg2\tdev\n", encoding="utf-8")
    preds = [
        {"file": "news-dev/articles/a.txt", "incidents": [
            # right town, right admin1 (coordinates of Huanta)
            _pred("2020-01-01", {"name": "Huanta", "admin1": "Ayacucho", "country": "PE", "lat": -12.93,
                                 "lon": -74.25, "precision": "locality", "gazetteer_id": "gn:3939386"}),
            # the Matamoros of Coahuila: wrong place and admin1, ~600 km off
            _pred("2020-01-05", {"name": "Matamoros", "admin1": "Coahuila de Zaragoza", "country": "MX",
                                 "lat": 25.53, "lon": -103.23, "precision": "locality",
                                 "gazetteer_id": "gn:3996426"})]},
        {"file": "news-dev/articles/b.txt", "incidents": [
            _pred("2020-02-01", {"name": "San Luis", "admin1": "Tolima", "country": "CO", "lat": 4.13,
                                 "lon": -75.09, "precision": "locality", "gazetteer_id": "gn:3669399"})]},
    ]
    pfile = tmp_path / "preds.jsonl"
    pfile.write_text("\n".join(json.dumps(p) for p in preds) + "\n", encoding="utf-8")
    return shared, manifest, pfile


def test_bench_places_prints_fields(tmp_path: Path) -> None:
    shared, manifest, pfile = _tiny(tmp_path)
    res = CliRunner().invoke(main, ["bench", "places", "--split", "dev", "--shared", str(shared), "--manifest",
                                    str(manifest), "--predictions", str(pfile), "--details"])
    assert res.exit_code == 0, res.output
    out = res.output
    for field in ("place", "admin1", "country", "median km", "gold", "found"):
        assert field in out
    lines = {ln.split()[0]: ln for ln in out.splitlines() if ln.split() and ln.split()[0] in ("en", "es", "all")}
    assert "1.00 (1/1)" in lines["es"]  # "vereda El Oso, San Luis" vs San Luis (Tolima)
    assert lines["en"].split()[1:3] == ["2", "2"] and "0.50 (1/2)" in lines["en"]
    assert lines["all"].split()[1:3] == ["4", "3"]  # Pichari was not found
    assert "Coahuila" in out  # --details lists the wrong one


def test_bench_places_json(tmp_path: Path) -> None:
    shared, manifest, pfile = _tiny(tmp_path)
    res = CliRunner().invoke(main, ["bench", "places", "--shared", str(shared), "--manifest", str(manifest),
                                    "--predictions", str(pfile), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)["scopes"]["all"]
    assert d["gold_events"] == 4 and d["found"] == 3
    assert d["place"] == {"accuracy": 2 / 3, "correct": 2, "n": 3}
    assert d["admin1"]["correct"] == 2 and d["country"]["correct"] == 3
    assert d["km_n"] == 3 and d["median_km"] < 5


def test_bench_places_bad_predictions(tmp_path: Path) -> None:
    shared, manifest, pfile = _tiny(tmp_path)
    pfile.write_text("{not json\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["bench", "places", "--shared", str(shared), "--manifest", str(manifest),
                                    "--predictions", str(pfile)])
    assert res.exit_code != 0 and "preds.jsonl line 1" in res.output


def test_name_parts_and_admin1_equivalence() -> None:
    assert name_parts("vereda Los Toros, Amalfi")[:2] == ["los toros", "vereda los toros"]
    assert "amalfi" in name_parts("vereda Los Toros, Amalfi")
    assert name_parts("district of Santo Domingo de Acobamba")[0] == "santo domingo de acobamba"
    sc = PlaceScorer()
    assert sc.admin1_ids("Cuzco", "PE") == sc.admin1_ids("Cusco", "PE") == {"iso:PE-CUS"}
    assert sc.admin1_ids("Tamaulipas", "MX") != sc.admin1_ids("Coahuila", "MX")
