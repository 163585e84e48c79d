"""Merged incidents in the store (cronica.store.merges), on a real SQLite file and PostgreSQL.

tests/data/merge/reports.jsonl holds four short articles written for these tests: three
reports of one event (the truck-bomb attack on the Puerto Jordán base, Arauca, Colombia, on
17 September 2024: one Spanish, two English, tolls "al menos un soldado", "two soldiers",
"three soldiers" on consecutive days) and a report of another event (a murder in Argelia,
Cauca, the next day). The extractor runs once per module; every test saves its results.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from sqlalchemy import func, select

import cronica
from cronica.ingest import read_file
from cronica.records import ExtractionResult
from cronica.store import schema as s
from cronica.store.merges import MergeError

DATA = Path(__file__).parent / "data" / "merge" / "reports.jsonl"
ATTACK_URLS = ("arauca-ataque-base-puerto-jordan", "arauca-base-truck-bomb", "eln-puerto-jordan-attack")


@pytest.fixture(scope="module")
def results() -> list[ExtractionResult]:
    from cronica.extract import Extractor

    ex = Extractor()
    return [ex.extract(d) for d in read_file(DATA)]


def _attack_ids(results: list[ExtractionResult]) -> list[str]:
    """The single-event incident of each report of the attack (not its background series)."""
    out = []
    for r in results:
        if any(u in (r.document.url or "") for u in ATTACK_URLS):
            out += [i.id for i in r.incidents if i.status == "current" and i.location.admin1 == "Arauca"]
    return out


def _murder_id(results: list[ExtractionResult]) -> str:
    r = next(r for r in results if "cauca" in (r.document.url or ""))
    return next(i.id for i in r.incidents if i.status == "current")


def _assignment(db: cronica.Cronica) -> dict[str, str]:
    with db.engine.connect() as conn:
        return dict(conn.execute(select(s.incidents.c.id, s.incidents.c.merged_id)).all())


def _n_links(db: cronica.Cronica) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.merge_links)).scalar_one()


def test_three_reports_become_one_incident_and_another_stays_apart(db_url: str, results: list[ExtractionResult]) -> None:
    attack, murder = _attack_ids(results), _murder_id(results)
    assert len(attack) == 3
    with cronica.open(db_url) as db:
        assert [db.save(r) for r in results] == ["added"] * 4
        merged = _assignment(db)
        assert {merged[k] for k in attack} == {min(attack)}
        assert merged[murder] == murder
        view = db.merged(attack[1])
        assert view is not None and view["merged_id"] == min(attack)
        assert [r["document"]["language"] for r in view["reports"]] == ["es", "en", "en"]  # by publication
        assert all(r["evidence"] and r["evidence"][0]["text"] for r in view["reports"])
        k = view["tolls"]["killed"]
        assert (k["low"], k["best"], k["high"]) == (1, 3, 3)
        assert {x["value"] for x in k["sources"]} == {1, 2, 3}
        assert len(view["links"]) == 3 and all(ln["score"] and ln["agreed"] for ln in view["links"])
        # lists count the merged incident once
        ids = [r.id for r in db.incidents(limit=100)]
        assert min(attack) in ids and not set(attack[1:]) & set(ids) - {min(attack)}
        assert sum(1 for k in attack if k in ids) == 1
        assert db.counts()["incidents"] == len(ids)
        links = _n_links(db)
        # re-ingest adds nothing
        assert [db.save(r) for r in results] == ["unchanged"] * 4
        assert _assignment(db) == merged and _n_links(db) == links


def test_shuffled_orders_give_identical_merged_ids(db_url: str, results: list[ExtractionResult]) -> None:
    seen = []
    with cronica.open(db_url) as db:
        for seed in range(5):
            order = list(results)
            random.Random(seed).shuffle(order)
            for r in order:
                db.save(r)
            seen.append(_assignment(db))
            for r in results:  # removing the articles regroups what is left
                assert db.delete(r.document.id)
            assert _assignment(db) == {} and _n_links(db) == 0
    assert all(a == seen[0] for a in seen[1:])
    assert len(set(seen[0].values())) == len(seen[0]) - 2  # three reports, one incident


def test_replaced_article_regroups_its_component(db_url: str, results: list[ExtractionResult]) -> None:
    attack = _attack_ids(results)
    with cronica.open(db_url) as db:
        for r in results:
            db.save(r)
        # the earliest report is corrected by its outlet: now it tells of an event in Venezuela
        first = next(r for r in results if ATTACK_URLS[0] in (r.document.url or ""))
        doc = dataclasses.replace(first.document, text=first.document.text + "\n\nCorrección.", content_hash="")
        moved = [dataclasses.replace(i, location=dataclasses.replace(i.location, country="VE", admin1="Apure", name="Guasdualito",
                                                                     lat=None, lon=None, gazetteer_id=None))
                 if i.id in attack else i for i in first.incidents]
        assert db.save(dataclasses.replace(first, document=doc, incidents=moved)) == "replaced"
        merged = _assignment(db)
        rest = sorted(k for k in attack if k in merged and k not in {i.id for i in moved})
        assert len(rest) == 2 and {merged[k] for k in rest} == {rest[0]}
        gone = next(i.id for i in moved if i.id in attack)
        assert merged[gone] != rest[0]
        assert db.save(first) == "replaced"  # the original text again: the three join again
        assert {_assignment(db)[k] for k in attack} == {min(attack)}


def test_split_holds_after_later_ingests_and_merge_undoes_it(db_url: str, results: list[ExtractionResult]) -> None:
    attack = sorted(_attack_ids(results))
    murder = _murder_id(results)
    with cronica.open(db_url) as db:
        for r in results[:2]:
            db.save(r)
        first_two = sorted(_assignment(db).keys() & set(attack))
        off, partner = first_two
        event = db.split_incident(off, "ed")
        assert event["field"] == "split" and event["old_value"] == first_two
        assert event["new_value"] == [[off], [partner]]
        for r in results[2:]:  # a later ingest brings a third report: it joins one side only
            db.save(r)
        merged = _assignment(db)
        assert merged[off] != merged[partner] and len({merged[k] for k in attack}) == 2
        for r in results:  # re-ingest: the split holds
            db.save(r)
        assert _assignment(db) == merged
        with pytest.raises(MergeError):
            db.split_incident(murder, "ed")  # alone: nothing to split
        with pytest.raises(LookupError):
            db.split_incident("inc_nope", "ed")
        third = next(k for k in attack if k not in first_two)
        with pytest.raises(MergeError):
            db.merge_incidents(third, next(k for k in first_two if merged[k] == merged[third]), "ed")  # already one
        ev = db.merge_incidents(off, partner, "ed", note="same attack")
        assert ev["field"] == "merge" and ev["new_value"] == attack
        assert {_assignment(db)[k] for k in attack} == {min(attack)}
        db.split_incident(off, "ed")  # and split again: the two others stay together
        after = _assignment(db)
        rest = [k for k in attack if k != off]
        assert after[off] == off and {after[k] for k in rest} == {min(rest)}
        with db.engine.connect() as conn:
            fields = list(conn.execute(select(s.review_events.c.field).where(
                s.review_events.c.record_id == off).order_by(s.review_events.c.id)).scalars())
        assert fields == ["split", "merge", "split"]


def test_exports_write_each_merged_incident_once_with_its_reports(db_url: str, results: list[ExtractionResult]) -> None:
    import csv
    import io
    import json

    attack = sorted(_attack_ids(results))
    with cronica.open(db_url) as db:
        for r in results:
            db.save(r)
        buf = io.StringIO()
        n = db.export("json", buf)
        records = json.loads(buf.getvalue())
        assert n == len(records) == len(db.incidents(limit=1000))
        ids = [r["id"] for r in records]
        assert attack[0] in ids and not set(attack[1:]) & set(ids)
        rec = next(r for r in records if r["id"] == attack[0])
        assert [x["incident_id"] for x in rec["reports"]] and len(rec["reports"]) == 3
        assert sorted(x["document"]["language"] for x in rec["reports"]) == ["en", "en", "es"]
        assert all(set(x["document"]) == {"id", "url", "outlet", "published", "language"} for x in rec["reports"])
        assert {k: rec["killed"][k] for k in ("low", "best", "high")} == {"low": 1, "best": 3, "high": 3}
        from jsonschema import Draft202012Validator

        from cronica.schema import load_schema

        check = Draft202012Validator({"$defs": load_schema()["$defs"], "$ref": "#/$defs/ExportedIncident"})
        for r in records:
            check.validate(r)
        buf = io.StringIO()
        db.export("csv", buf)
        rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(buf.getvalue()))}
        row = rows[attack[0]]
        assert len(row["sources"].split("; ")) == 3 and attack[1] not in rows
        assert (row["fatalities_low"], row["fatalities_best"], row["fatalities_high"], row["fatalities"]) == \
            ("1", "3", "3", "3")


def test_a_rejected_report_leaves_its_merged_incident(db_url: str, results: list[ExtractionResult]) -> None:
    from cronica.serve import review

    attack = sorted(_attack_ids(results))
    with cronica.open(db_url) as db:
        for r in results:
            db.save(r)
        review.apply_review(db.engine, "incident", attack[0], "reject", "ed")
        merged = _assignment(db)
        assert merged[attack[0]] == attack[0] and {merged[k] for k in attack[1:]} == {attack[1]}
        assert db.merged(attack[2])["merged_id"] == attack[1] and len(db.merged(attack[2])["reports"]) == 2
        review.apply_review(db.engine, "incident", attack[0], "confirm", "ed")  # back: it rejoins
        assert {_assignment(db)[k] for k in attack} == {attack[0]}
