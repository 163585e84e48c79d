"""Save semantics of the store (added / unchanged / replaced, atomicity, provenance)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select, text

import cronica
from cronica.records import Evidence, ExtractionResult
from cronica.store import StoreError
from cronica.store import schema as s
from test_store_samples import TEXT_A, URL_A, all_results, result_a, result_b, result_c


def _count(db: cronica.store.Cronica, table: object, *where: object) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()  # type: ignore[arg-type]


def _snapshot(db: cronica.store.Cronica) -> dict[str, int]:
    tables = [s.documents, s.incidents, s.incident_actors, s.actors, s.actor_aliases, s.actor_roles, s.figures,
              s.quotes, s.provenance, s.records_fts]
    return {t.name: _count(db, t) for t in tables}


def test_added_then_unchanged_writes_nothing(db_url: str) -> None:
    with cronica.open(db_url) as db:
        res = result_a()
        assert not db.has_content(res.document.content_hash)
        assert db.save(res) == "added"
        assert db.has_content(res.document.content_hash)
        before = _snapshot(db)
        assert before["documents"] == 1 and before["incidents"] == 1 and before["quotes"] == 1
        assert db.save(result_a()) == "unchanged"
        assert _snapshot(db) == before
        stored = db.document(res.document.id)
        assert stored is not None and stored.text == TEXT_A and stored.url == URL_A
        assert stored.content_hash == res.document.content_hash


def test_provenance_has_one_row_per_evidence_and_matches_the_text(db_url: str) -> None:
    with cronica.open(db_url) as db:
        res = result_a()
        db.save(res)
        with db.engine.connect() as conn:
            rows = conn.execute(select(s.provenance)).mappings().all()
        # incident: evidence, trigger, date, location, killed, wounded, 2 actor refs = 8;
        # actors: 1 + (1 + role) = 3; figure 1; quote 1
        assert len(rows) == 13
        by = {(r["record_kind"], r["record_id"], r["field"]) for r in rows}
        assert ("incident", "inc_a1", "killed") in by and ("actor", "act_estevez", "roles") in by
        for r in rows:
            assert TEXT_A[r["start"]:r["end"]] == r["text"]
            assert r["document_id"] == res.document.id


def test_changed_article_at_same_url_replaces_its_records(db_url: str) -> None:
    with cronica.open(db_url) as db:
        db.save(result_a())
        db.save(result_c())
        other = _count(db, s.incidents, s.incidents.c.document_id == result_c().document.id)
        changed_text = TEXT_A.replace("on Monday", "early on Monday")
        new = result_a(changed_text)
        new.incidents[0].id = "inc_a1_v2"
        new.figures = []
        assert new.document.id == result_a().document.id  # same URL identity
        assert db.save(new) == "replaced"
        assert _count(db, s.documents) == 2
        ids = [r.id for r in db.incidents(place="Monterrey")]
        assert ids == ["inc_a1_v2"]
        assert _count(db, s.figures) == 0
        assert _count(db, s.provenance, s.provenance.c.record_id == "inc_a1") == 0
        assert _count(db, s.records_fts, s.records_fts.c.record_id == "inc_a1") == 0
        assert _count(db, s.actor_roles) == 1  # the old document's role is gone, the new one is in
        assert db.document(new.document.id).text == changed_text  # type: ignore[union-attr]
        # offsets now point into the new text
        with db.engine.connect() as conn:
            for r in conn.execute(select(s.provenance).where(s.provenance.c.document_id == new.document.id)).mappings():
                assert changed_text[r["start"]:r["end"]] == r["text"]
        assert _count(db, s.incidents, s.incidents.c.document_id == result_c().document.id) == other
        assert db.search("early")[0].document_id == new.document.id
        assert [h for h in db.search("hectares") if h.kind == "figure"] == []


def test_failed_save_stores_nothing_and_keeps_previous_data(db_url: str) -> None:
    with cronica.open(db_url) as db:
        db.save(result_a())
        before = _snapshot(db)
        bad = result_b()
        bad.incidents[1].id = bad.incidents[0].id  # duplicate record id in one document
        with pytest.raises(StoreError, match=bad.document.id) as err:
            db.save(bad)
        assert "\n" not in str(err.value)
        assert _snapshot(db) == before
        assert db.document(bad.document.id) is None
        # a failing *replacement* keeps the old version intact
        broken = result_a(TEXT_A.replace("officials said", "officers said"))
        broken.quotes.append(dataclasses.replace(broken.quotes[0]))  # same quote id twice
        with pytest.raises(StoreError):
            db.save(broken)
        assert _snapshot(db) == before
        assert db.document(result_a().document.id).text == TEXT_A  # type: ignore[union-attr]


def test_evidence_that_does_not_match_the_text_is_rejected(db_url: str) -> None:
    with cronica.open(db_url) as db:
        res = result_c()
        res.incidents[0].evidence = [Evidence(0, 5, "Bomb!")]
        with pytest.raises(StoreError, match="inc_c1 field evidence: evidence text 'Bomb!' does not match"):
            db.save(res)
        res.incidents[0].evidence = [Evidence(10, 10_000, "x")]
        with pytest.raises(StoreError, match="outside the text"):
            db.save(res)
        assert _count(db, s.documents) == 0


def test_actors_are_canonical_across_documents(db_url: str) -> None:
    with cronica.open(db_url) as db:
        for res in all_results():
            db.save(res)
        assert _count(db, s.actors) == 3
        with db.engine.connect() as conn:
            aliases = set(conn.execute(select(s.actor_aliases.c.alias)
                                       .where(s.actor_aliases.c.actor_id == "act_zetas")).scalars())
            langs = dict(conn.execute(select(s.actor_aliases.c.alias, s.actor_aliases.c.language)
                                      .where(s.actor_aliases.c.actor_id == "act_zetas")).all())
        assert aliases == {"Los Zetas", "Zetas", "Zetas cartel"}
        assert langs["Zetas cartel"] == "en"
        assert _count(db, s.actor_roles, s.actor_roles.c.actor_id == "act_estevez") == 2


def test_unresolved_actor_ids_get_a_minimal_actor(db_url: str) -> None:
    with cronica.open(db_url) as db:
        res = result_c()
        res.actors = []  # the incident still points at act_farc
        assert db.save(res) == "added"
        prof = db.actor("act_farc")
        assert prof is not None and prof.kind == "armed_group" and prof.canonical == "FARC"


def test_delete_removes_a_document_and_its_records(db_url: str) -> None:
    with cronica.open(db_url) as db:
        db.save(result_a())
        db.save(result_b())
        assert db.delete(result_b().document.id) is True
        assert db.delete(result_b().document.id) is False
        assert {r.id for r in db.incidents()} == {"inc_a1"}
        assert db.actor("Los Zetas") is not None  # actors outlive documents


def test_result_round_trips_through_the_stored_record(db_url: str) -> None:
    with cronica.open(db_url) as db:
        res = result_b()
        db.save(res)
        rows = db.incidents(sort="date")
        back = [dict(r.data) for r in rows]
        assert back == [i.to_dict() for i in sorted(res.incidents, key=lambda i: i.id)]
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT DISTINCT review_state FROM incidents")).scalar_one() == "unreviewed"
        assert isinstance(ExtractionResult.from_dict(res.to_dict()), ExtractionResult)
