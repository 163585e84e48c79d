"""Queries of the store: search, incident filters, actor profiles, figures, quotes, counts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import update

import cronica
from cronica.store import Cronica, IncidentRow, StoreError
from cronica.store import schema as s
from test_store_samples import URL_A, URL_B, all_results


@pytest.fixture
def db(db_url: str) -> Iterator[Cronica]:
    with cronica.open(db_url) as store:
        for res in all_results():
            assert store.save(res) == "added"
        yield store


def _ids(rows: list[IncidentRow]) -> list[str]:
    return [r.id for r in rows]


def test_search_finds_articles_and_records_with_snippets(db: Cronica) -> None:
    hits = db.search("Zetas")
    kinds = {(h.kind, h.id) for h in hits}
    assert ("incident", "inc_a1") in kinds and ("incident", "inc_b1") in kinds
    assert ("actor", "act_zetas") in kinds
    assert {h.url for h in hits if h.kind == "document"} == {URL_A, URL_B}
    assert all("[" in h.snippet and "]" in h.snippet for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_needs_every_word_and_finds_spanish_text(db: Cronica) -> None:
    hits = db.search("hectareas coca")
    assert {h.id for h in hits if h.kind == "figure"} == {"fig_b1"}
    assert db.search("hectareas ambushed") == []
    assert {h.id for h in db.search("criminals") if h.kind == "quote"} == {"quo_a1"}
    assert len(db.search("Zetas", limit=2)) == 2


def test_search_without_words_is_a_clear_error(db: Cronica) -> None:
    with pytest.raises(StoreError, match="has no words"):
        db.search("  ?! ")
    # query syntax characters are not interpreted: only the words count
    assert {h.id for h in db.search('"Zetas" (cartel* -') if h.kind == "incident"} == {"inc_a1"}


def test_incident_filters(db: Cronica) -> None:
    assert _ids(db.incidents()) == ["inc_c2", "inc_a1", "inc_c1", "inc_b1", "inc_b2"]
    assert _ids(db.incidents(type="bombing")) == ["inc_c1"]
    assert _ids(db.incidents(group="zetas")) == ["inc_a1", "inc_b1"]          # alias, any case
    assert _ids(db.incidents(group="LOS ZETAS")) == ["inc_a1", "inc_b1"]      # canonical
    assert _ids(db.incidents(group="act_farc")) == ["inc_c1"]                  # id
    assert _ids(db.incidents(group="state police convoy")) == ["inc_a1"]       # target as written
    assert _ids(db.incidents(group="nobody")) == []
    assert set(_ids(db.incidents(country="co"))) == {"inc_c1", "inc_c2"}
    assert set(_ids(db.incidents(since="2012"))) == {"inc_b1", "inc_b2"}
    assert set(_ids(db.incidents(until="2011-05"))) == {"inc_c2", "inc_a1"}
    # a month-precision date overlaps a day inside that month
    assert set(_ids(db.incidents(since="2012-03-15", until="2012-03-20"))) == {"inc_b1"}
    assert _ids(db.incidents(status="background")) == ["inc_c2"]
    assert set(_ids(db.incidents(place="tamaul"))) == {"inc_b1", "inc_b2"}
    assert _ids(db.incidents(text="motorcycle")) == ["inc_c1"]
    assert _ids(db.incidents(text="nonexistentword")) == []
    assert _ids(db.incidents(group="zetas", country="MX", since="2012")) == ["inc_b1"]


def test_incident_sorting_and_paging(db: Cronica) -> None:
    by_date = _ids(db.incidents(sort="date"))
    assert by_date[0] == "inc_c2"
    assert _ids(db.incidents(sort="-date"))[0] == "inc_b1"
    assert _ids(db.incidents(sort="-killed"))[:2] == ["inc_a1", "inc_c1"]
    assert _ids(db.incidents(limit=2, offset=1)) == by_date[1:3]
    with pytest.raises(StoreError, match="sort 'size'"):
        db.incidents(sort="size")
    with pytest.raises(StoreError, match="since '2011-13'"):
        db.incidents(since="2011-13")


def test_incident_rows_carry_actors_counts_and_source(db: Cronica) -> None:
    (row,) = db.incidents(type="ambush")
    assert row.perpetrators == ["Los Zetas"] and row.targets == ["state police convoy"]
    assert (row.killed, row.killed_qualifier, row.wounded) == (6, "at_least", 3)
    assert row.url == URL_A and row.published == "2011-05-10" and row.lat == 25.67
    assert row.evidence.startswith("Gunmen from the Zetas cartel")
    assert row.to_dict()["data"]["type"] == "ambush"


def test_rejected_records_are_hidden_everywhere(db: Cronica) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(s.incidents).where(s.incidents.c.id == "inc_c1").values(review_state="rejected"))
        conn.execute(update(s.figures).where(s.figures.c.id == "fig_b1").values(review_state="rejected"))
    assert "inc_c1" not in _ids(db.incidents())
    assert [h for h in db.search("motorcycle") if h.kind == "incident"] == []
    assert [f.id for f in db.figures()] == ["fig_a1"]
    assert db.counts()["incidents"] == 4
    assert "inc_c1" not in _ids(db.actor("FARC").incidents)  # type: ignore[union-attr]


def test_actor_profile_merges_documents(db: Cronica) -> None:
    prof = db.actor("zetas cartel")
    assert prof is not None and prof.id == "act_zetas" and prof.canonical == "Los Zetas"
    assert set(prof.aliases) == {"Los Zetas", "Zetas", "Zetas cartel"}
    assert prof.incidents_per_year == {"2011": 1, "2012": 1}
    assert _ids(prof.incidents) == ["inc_a1", "inc_b1"]
    assert [src.url for src in prof.sources] == [URL_A, URL_B]
    person = db.actor("Ramiro Estevez")
    assert person is not None
    assert [(r.title, r.current, r.as_of) for r in person.roles] == [
        ("Governor", True, "2011-05-10"), ("gobernador", False, "2012-03-02")]
    assert [q.id for q in person.quotes] == ["quo_a1"]
    assert db.actor("estevez") is not None and db.actor("estevez").id == "act_estevez"  # type: ignore[union-attr]
    assert db.actor("Sinaloa Cartel") is None


def test_actor_profile_lists_figures_about_or_by_the_actor(db_url: str) -> None:
    results = all_results()
    results[2].figures = []
    from cronica.records import Figure
    from test_store_samples import ev
    t = results[2].document.text
    results[2].figures.append(Figure("fig_c1", "group_members", 2, subject="FARC", attributed_to="army",
                                     evidence=ev(t, "about two")))
    with cronica.open(db_url) as store:
        for r in results:
            store.save(r)
        prof = store.actor("Revolutionary Armed Forces of Colombia")
        assert prof is not None and [f.id for f in prof.figures] == ["fig_c1"]


def test_figures_side_by_side(db: Cronica) -> None:
    rows = db.figures(indicator="coca", place="colombia")
    assert [(f.value, f.attributed_to, f.outlet) for f in rows] == [
        (62000, "UN", "Example News"), (100000, "Casa Blanca", "Noticias Ejemplo")]
    assert {f.period for f in rows} == {"2010"}
    assert rows[0].evidence == "Colombia had 62,000 hectares of coca in 2010"
    assert [f.id for f in db.figures(place="CO")] == ["fig_a1", "fig_b1"]
    assert db.figures(indicator="homicide_rate") == []
    assert db.figures(subject="coca") == rows


def test_quotes_by_speaker(db: Cronica) -> None:
    assert [q.id for q in db.quotes(speaker="estevez")] == ["quo_a1"]
    assert [q.id for q in db.quotes(speaker="Ramiro Estevez")] == ["quo_a1"]  # via the resolved actor
    assert db.quotes(speaker="FARC") == []


def test_counts(db: Cronica) -> None:
    c = db.counts()
    assert (c["documents"], c["incidents"], c["figures"], c["quotes"], c["actors"]) == (3, 5, 2, 1, 3)
    assert c["incidents_by_type"]["bombing"] == 1 and sum(c["incidents_by_type"].values()) == 5
    assert c["killed"] == 8
    assert c["top_groups"][0] == {"name": "Los Zetas", "incidents": 2}


def test_documents_listing(db: Cronica) -> None:
    docs = db.documents()
    assert [d.published for d in docs] == ["2012-03-02", "2011-08-15", "2011-05-10"]
    assert len(db.documents(limit=1, offset=1)) == 1


def test_results_to_pandas(db: Cronica) -> None:
    pd = pytest.importorskip("pandas")
    frame = db.incidents().to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 5 and {"id", "type", "killed", "perpetrators"} <= set(frame.columns)
    assert list(db.figures().to_pandas()["value"]) == [62000, 100000]


def test_actor_profile_by_a_registry_alias_never_seen_in_articles(tmp_path):
    """"Sendero Luminoso" finds the Shining Path even when every article said "Shining Path"."""
    import cronica
    from cronica.records import Actor, Document, ExtractionResult, Evidence

    text = "The Shining Path ambushed a patrol."
    doc = Document(id=Document.make_id(text), text=text, language="en")
    actor = Actor(id="shining-path", name="Shining Path", canonical="Shining Path", kind="armed_group",
                  aliases=["Shining Path"], known=True, evidence=[Evidence(4, 16, "Shining Path")])
    with cronica.open(f"sqlite:///{tmp_path / 'a.db'}") as db:
        db.save(ExtractionResult(document=doc, actors=[actor]))
        profile = db.actor("Sendero Luminoso")
        assert profile is not None and profile.canonical == "Shining Path"
        assert db.actor("no such group at all") is None
