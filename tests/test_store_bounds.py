"""Bounded queries: search text and filter caps, repeated words collapsed, LIKE wildcards
matched literally, integer parameters in range, and a deadline on every query (SQLite
progress handler, PostgreSQL statement_timeout). Runs on SQLite and, with
CRONICA_TEST_PG_URL, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

import cronica
from cronica.records import Actor, Document, ExtractionResult, Figure, Incident, Location, Quote
from cronica.store import Cronica, StoreError
from cronica.store.bounds import (
    MAX_FILTER_CHARS, MAX_QUERY_CHARS, MAX_QUERY_TERMS, MAX_ROWS, MAX_SEARCH_LIMIT, escape_like, query_terms,
)
from cronica.store.engine import QUERY_TIMEOUT_ENV, query_timeout, reading
from test_store_samples import all_results, ev

ODD = "Zona_Norte 100% \\ sur"  # a place name holding every LIKE special character
TEXT_ODD = f"Hombres armados atacaron un retén en {ODD}. Dijo Ana_Paz 50%: \"No hay paz\"."
# Counts to a billion: minutes of work unless a deadline stops it.
SLOW_SQL = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
            "SELECT count(*) FROM c")


def result_odd() -> ExtractionResult:
    t = TEXT_ODD
    doc = Document(id=Document.make_id(t, "https://example.org/odd"), text=t, url="https://example.org/odd",
                   title="Odd names", published="2013-01-02", language="es")
    inc = Incident(id="inc_odd", type="attack", date="2013-01-01", date_precision="day",
                   location=Location(name=ODD, country="MX", evidence=ev(t, ODD)),
                   evidence=[ev(t, "Hombres armados atacaron un retén")])
    actor = Actor(id="act_odd", name="Grupo_100%", canonical="Grupo_100%", kind="criminal_group",
                  aliases=["Grupo_100%"], evidence=[])
    fig = Figure("fig_odd", "share_%", 50, subject="paz_50%", unit="percent", place=ODD,
                 evidence=ev(t, "50%"))
    quote = Quote("quo_odd", "No hay paz", "Ana_Paz 50%", None, None, ev(t, "No hay paz"))
    return ExtractionResult(document=doc, incidents=[inc], actors=[actor], figures=[fig], quotes=[quote],
                            extractor="hand-built")


@pytest.fixture
def db(db_url: str) -> Iterator[Cronica]:
    with cronica.open(db_url) as store:
        for res in [*all_results(), result_odd()]:
            assert store.save(res) == "added"
        yield store


# ------------------------------------------------------------------ search text
def test_repeated_words_are_collapsed_and_compared_without_case() -> None:
    assert query_terms(" ".join(["y"] * 400)) == ["y"]  # 400 terms, 799 characters
    assert query_terms("Zetas zetas ZETAS cartel Zetas") == ["Zetas", "cartel"]
    assert query_terms("x " * (MAX_QUERY_CHARS // 2)) == ["x"]


def test_repeated_words_find_what_the_word_finds_and_long_queries_are_refused(db: Cronica) -> None:
    many = " ".join(["Zetas"] * 160)  # 959 characters, one distinct word
    assert [(h.kind, h.id) for h in db.search(many)] == [(h.kind, h.id) for h in db.search("Zetas")]
    assert [r.id for r in db.incidents(text=many)] == [r.id for r in db.incidents(text="zetas")] != []
    # over the caps: refused, naming the limit
    long = "a" * (MAX_QUERY_CHARS + 1)
    for call in (lambda q: db.search(q), lambda q: db.incidents(text=q), lambda q: db.incident_months(text=q),
                 lambda q: db.incident_points(text=q)):
        with pytest.raises(StoreError, match=f"search text is {MAX_QUERY_CHARS + 1} characters long; "
                                             f"the limit is {MAX_QUERY_CHARS}"):
            call(long)
    wordy = " ".join(f"w{i}" for i in range(MAX_QUERY_TERMS + 1))
    with pytest.raises(StoreError, match=f"has {MAX_QUERY_TERMS + 1} different words; the limit is {MAX_QUERY_TERMS}"):
        db.search(wordy)
    assert db.search(" ".join(f"w{i}" for i in range(MAX_QUERY_TERMS))) == []  # at the cap: answered
    with pytest.raises(StoreError, match="must be text"):
        db.search(12)  # type: ignore[arg-type]


# ------------------------------------------------------------------ LIKE filters
def test_escape_like_escapes_wildcards_and_the_escape_character() -> None:
    assert escape_like("a%b_c\\d") == "a\\%b\\_c\\\\d"


def test_wildcards_in_filters_match_literally(db: Cronica) -> None:
    assert [r.id for r in db.incidents(place="%")] == ["inc_odd"]  # not every incident
    assert [r.id for r in db.incidents(place="_")] == ["inc_odd"]
    assert [r.id for r in db.incidents(place="\\")] == ["inc_odd"]
    assert [r.id for r in db.incidents(place="a_norte 100% \\ S")] == ["inc_odd"]  # case-insensitive
    assert db.incidents(place="M_nterrey") == [] and db.incidents(place="Mon%rey") == []
    assert [r.id for r in db.incidents(place="monterrey")] == ["inc_a1"]
    assert [f.id for f in db.figures(place="%")] == ["fig_odd"]
    assert [f.id for f in db.figures(subject="_")] == ["fig_odd"]
    assert [f.id for f in db.figures(indicator="_%")] == ["fig_odd"]
    assert {f.id for f in db.figures(indicator="coca_hect")} == {"fig_a1", "fig_b1"}
    assert [q.id for q in db.quotes(speaker="_")] == ["quo_odd"]
    assert db.quotes(speaker="Est_vez") == []
    prof = db.actor("o_100")
    assert prof is not None and prof.id == "act_odd"
    assert db.actor("Z_tas") is None and db.actor("%") is not None and db.actor("%").id == "act_odd"


# ------------------------------------------------------------------ caps and ranges
def test_overlong_filter_strings_are_refused(db: Cronica) -> None:
    big = "x" * (MAX_FILTER_CHARS + 1)
    calls = {"group": lambda: db.incidents(group=big), "place": lambda: db.incidents(place=big),
             "country": lambda: db.incident_months(country=big), "type": lambda: db.incident_points(type=big),
             "indicator": lambda: db.figures(indicator=big), "speaker": lambda: db.quotes(speaker=big),
             "actor name": lambda: db.actor(big), "document id": lambda: db.document(big)}
    for name, call in calls.items():
        with pytest.raises(StoreError, match=f"{name} filter is {MAX_FILTER_CHARS + 1} characters long; "
                                             f"the limit is {MAX_FILTER_CHARS}"):
            call()
    with pytest.raises(StoreError, match="since '2011201120112011"):
        db.incidents(since="2011" * 25_000)
    with pytest.raises(StoreError, match="NUL"):
        db.incidents(group="Zetas\x00")
    assert len(db.incidents(group="x" * MAX_FILTER_CHARS)) == 0  # at the cap: answered


def test_integer_parameters_are_bounded_with_clear_errors(db: Cronica) -> None:
    for value in (-1, 10**20, MAX_ROWS + 1, 1.5, 1e20, True, "10", None):
        for name, call in (("limit", lambda: db.incidents(limit=value)),
                           ("offset", lambda: db.incidents(offset=value)),
                           ("limit", lambda: db.documents(limit=value)),
                           ("offset", lambda: db.documents(offset=value))):
            with pytest.raises(StoreError, match=f"^{name} .*(out of range|not a whole number)"):
                call()  # type: ignore[arg-type]
    # the whole range is accepted
    assert len(db.incidents(limit=MAX_ROWS, offset=0)) == 6
    assert db.incidents(offset=MAX_ROWS) == [] and db.documents(offset=MAX_ROWS) == []
    assert len(db.search("Zetas", limit=MAX_SEARCH_LIMIT)) > 0
    with pytest.raises(StoreError, match=f"search limit {MAX_SEARCH_LIMIT + 1} is out of range"):
        db.search("Zetas", limit=MAX_SEARCH_LIMIT + 1)
    with pytest.raises(StoreError, match="top -1 is out of range"):
        db.counts(top=-1)
    with pytest.raises(StoreError, match="limit -5 is out of range"):
        db.incident_points(limit=-5)


# ------------------------------------------------------------------ deadline
def test_query_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(QUERY_TIMEOUT_ENV, raising=False)
    assert query_timeout() == 5.0
    monkeypatch.setenv(QUERY_TIMEOUT_ENV, "0.25")
    assert query_timeout() == 0.25
    monkeypatch.setenv(QUERY_TIMEOUT_ENV, "0")
    assert query_timeout() is None
    for bad in ("soon", "-1", "nan", "99999"):
        monkeypatch.setenv(QUERY_TIMEOUT_ENV, bad)
        with pytest.raises(StoreError, match=f"{QUERY_TIMEOUT_ENV}='{bad}' is not a number of seconds"):
            query_timeout()


def test_a_query_past_the_deadline_is_stopped_with_a_clear_error(db_url: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(QUERY_TIMEOUT_ENV, "0.3")
    with cronica.open(db_url) as store:
        store.save(all_results()[0])
        with pytest.raises(StoreError, match=r"query took too long \(over 0.3 s\) and was stopped"):
            with reading(store.engine) as conn:
                conn.execute(text(SLOW_SQL)).scalar()
        with pytest.raises(StoreError, match="query took too long"):  # plain connections too
            with store.engine.connect() as conn:
                conn.execute(text(SLOW_SQL)).scalar()
        assert [h.kind for h in store.search("Zetas")]  # the connections are still usable


def test_writes_are_not_cut_by_the_read_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(QUERY_TIMEOUT_ENV, "0.000001")  # every read over ~10k SQLite steps fails
    url = f"sqlite:///{tmp_path}/w.db"
    with cronica.open(url) as store:  # migrations run without a deadline
        for res in all_results():
            assert store.save(res) == "added"
        assert store.delete(all_results()[2].document.id) is True
    monkeypatch.delenv(QUERY_TIMEOUT_ENV)
    with cronica.open(url) as store:
        assert store.counts()["documents"] == 2
