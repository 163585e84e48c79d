"""Incident lists page correctly and cheaply at any depth; one incident by id; the
``document_id`` filter; display titles for articles without a title. Real databases."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, inspect, update

import cronica
from cronica.records import ActorRef, Count, Document, Evidence, ExtractionResult, Incident, Location, Quote
from cronica.store import Cronica, StoreError
from cronica.store import schema as s
from cronica.store.api import INCIDENT_SORTS
from cronica.store.rows import display_title

PAGING_INDEXES = {"ix_incidents_page_date", "ix_incidents_page_date_desc", "ix_incidents_page_killed"}


def _result(k: int, per_doc: int, rng: random.Random, *, title: str | None = "A report") -> ExtractionResult:
    """An invented article with ``per_doc`` incidents, some undated, some without a count."""
    first = f"Weekly security digest number {k}"
    sentences, incidents, pos = [first], [], len(first) + 1
    for j in range(per_doc):
        day = rng.choice([None, f"20{rng.randint(10, 12)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"])
        sent = f"Gunmen attacked a checkpoint in Tumaco and left {j + 1} dead."
        sentences.append(sent)
        ev = Evidence(pos, pos + len(sent), sent)
        incidents.append(Incident(
            id=f"inc_p{k:03d}_{j:02d}", type=rng.choice(["murder", "attack", "kidnapping"]), date=day,
            date_precision="day" if day else None, location=Location(name="Tumaco", country="CO"),
            perpetrators=[ActorRef("Gunmen")], killed=Count(rng.randint(0, 5)) if rng.random() < .7 else None,
            evidence=[ev]))
        pos += len(sent) + 1
    text = "\n".join(sentences)
    doc = Document(id=f"doc_p{k:03d}", text=text, title=title and f"{title} {k}", outlet="Test Wire",
                   published="2012-12-31", language="en")
    return ExtractionResult(document=doc, incidents=incidents, quotes=[
        Quote(id=f"q_p{k:03d}", text="We will not give up", speaker="A mayor",
              evidence=Evidence(len(first) + 1, len(first) + 9, text[len(first) + 1:len(first) + 9]))])


@pytest.fixture
def db(db_url: str) -> Iterator[Cronica]:
    rng = random.Random(11)
    with cronica.open(db_url) as store:
        for k in range(12):
            assert store.save(_result(k, 9, rng, title=None if k % 3 == 0 else "A report")) == "added"
        with store.engine.begin() as conn:  # rejected incidents never show up
            conn.execute(update(s.incidents).where(s.incidents.c.id.in_(["inc_p001_03", "inc_p007_00"]))
                         .values(review_state="rejected"))
        yield store


def _expected(db: Cronica, sort: str) -> list[str]:
    """Every live merged incident id (reports of one event are listed once, see
    cronica.store.merges) in ``sort`` order, computed in Python from the stored rows."""
    with db.engine.connect() as conn:
        rows = conn.execute(s.incidents.select().where(s.incidents.c.review_state != "rejected",
                                                       s.incidents.c.merged_id == s.incidents.c.id)).all()
    big = "~"  # sorts after any date string

    def key(r: Any) -> tuple:
        return {
            "date": (r.date_start is None, r.date_start or "", r.id),
            "-date": (r.date_start is None, _neg(r.date_start or big), r.id),
            "killed": (r.killed is None, r.killed or 0, r.id),
            "-killed": (r.killed is None, -(r.killed or 0), r.id),
            "type": (r.type, r.date_start is None, r.date_start or "", r.id),
        }[sort]
    return [r.id for r in sorted(rows, key=key)]


def _neg(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)


@pytest.mark.parametrize("sort", INCIDENT_SORTS)
def test_pages_follow_the_sort_and_cover_every_incident_once(db: Cronica, sort: str) -> None:
    if sort == "type":  # where undated incidents fall within a type differs by dialect
        full = db.incidents(sort=sort, limit=1000)
        assert [r.type for r in full] == sorted(r.type for r in full)
        expected = [r.id for r in full]
        assert sorted(expected) == sorted(_expected(db, "date"))
    else:
        expected = _expected(db, sort)
    pages: list[str] = []
    for offset in range(0, len(expected) + 7, 7):
        pages += [r.id for r in db.incidents(sort=sort, limit=7, offset=offset)]
    assert pages == expected
    assert 12 < len(expected) < 12 * 9 - 2  # the invented reports of one event are merged
    assert db.incidents(sort=sort, limit=5, offset=len(expected)) == []


def test_filters_combine_with_paging(db: Cronica) -> None:
    murders = [r.id for r in db.incidents(type="murder", country="co", since="2011", limit=1000)]
    assert murders and all(r.type == "murder" and r.date and r.date[:4] >= "2011"
                           for r in db.incidents(type="murder", country="co", since="2011", limit=1000))
    paged = [r.id for k in range(0, len(murders), 4)
             for r in db.incidents(type="murder", country="co", since="2011", limit=4, offset=k)]
    assert paged == murders
    text_hits = db.incidents(text="checkpoint Tumaco", limit=1000)
    assert len(text_hits) == len(_expected(db, "date"))  # every live incident's evidence has both words
    assert db.incidents(text="nonexistentword", limit=10) == []


def test_document_id_filter(db: Cronica) -> None:
    rows = db.incidents(document_id="doc_p001", limit=100)
    assert {r.id for r in rows} == {f"inc_p001_{j:02d}" for j in range(9)} - {"inc_p001_03"}
    assert all(r.document_id == "doc_p001" for r in rows)
    assert db.incidents(document_id="doc_nope") == []


def test_incident_by_id_has_actors_evidence_provenance_and_document(db: Cronica) -> None:
    row = db.incident("inc_p002_04")
    assert row is not None and row.id == "inc_p002_04" and row.perpetrators == ["Gunmen"]
    assert row.document is not None and row.document.id == "doc_p002"
    text = row.document.text
    assert row.provenance and {p["field"] for p in row.provenance} >= {"evidence"}
    for p in row.provenance:
        assert text[p["start"]:p["end"]] == p["text"] and p["document_id"] == "doc_p002"
    assert row.evidence == "Gunmen attacked a checkpoint in Tumaco and left 5 dead."
    assert row.to_dict()["document"]["id"] == "doc_p002"
    assert db.incident("inc_p001_03") is None  # rejected
    assert db.incident("inc_nope") is None
    listed = db.incidents(document_id="doc_p002", limit=100)
    assert all(r.provenance == [] and r.document is None for r in listed)  # lists stay lean


def test_bad_sort_and_negative_paging_are_clear_errors(db: Cronica) -> None:
    with pytest.raises(StoreError, match="sort 'colour' is not one of"):
        db.incidents(sort="colour")
    with pytest.raises(StoreError, match="must be 0 or more"):
        db.incidents(offset=-1)


def test_titles_are_not_invented_but_displayed_from_the_first_line(db: Cronica) -> None:
    doc = db.document("doc_p003")
    assert doc is not None and doc.title is None  # stored as given
    row = db.incident("inc_p003_00")
    assert row is not None and row.title is None
    assert row.title_display == "Weekly security digest number 3"
    titled = db.incident("inc_p004_00")
    assert titled is not None and titled.title_display == titled.title == "A report 4"
    assert {r.title_display for r in db.incidents(document_id="doc_p006")} == {"Weekly security digest number 6"}
    quotes = {q.document_id: q.title_display for q in db.quotes()}
    assert quotes["doc_p000"] == "Weekly security digest number 0" and quotes["doc_p001"] == "A report 1"
    hits = {h.document_id: h.title_display for h in db.search("digest") if h.kind == "document"}
    assert hits["doc_p009"] == "Weekly security digest number 9" and hits["doc_p002"] == "A report 2"


def test_display_title_rules() -> None:
    assert display_title("  Kept  ", "first line") == "Kept"
    assert display_title(None, "\n\n   First   line here \nsecond") == "First line here"
    assert display_title("", "x" * 300, limit=10) == "x" * 9 + "…"
    assert display_title(None, "   \n  ") is None and display_title(None, None) is None


def test_paging_indexes_are_created_by_the_migration(db: Cronica) -> None:
    if db.dialect == "sqlite":  # SQLAlchemy does not reflect expression indexes on SQLite
        with db.engine.connect() as conn:
            names = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents'")}
    else:
        names = {ix["name"] for ix in inspect(db.engine).get_indexes("incidents")}
    assert PAGING_INDEXES <= names


def _page_plans(db: Cronica, **kw: Any) -> list[str]:
    """The query plans SQLite chooses for the statements ``db.incidents(**kw)`` runs."""
    seen: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        db.incidents(**kw)
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    page_sql = [(st, p) for st, p in seen if st.lstrip().upper().startswith("SELECT INCIDENTS.ID")]
    assert len(page_sql) == 1, [st for st, _ in seen]
    st, params = page_sql[0]
    with db.engine.connect() as conn:
        return [r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + st, params)]


@pytest.mark.parametrize("sort, index", [("date", "ix_incidents_page_date"),
                                         ("-date", "ix_incidents_page_date_desc")])
def test_deep_pages_are_read_from_the_index_without_sorting(tmp_path: Any, sort: str, index: str) -> None:
    with Cronica(f"sqlite:///{tmp_path / 'plan.db'}") as db:
        rng = random.Random(3)
        for k in range(3):
            db.save(_result(k, 5, rng))
        plan = _page_plans(db, sort=sort, limit=50, offset=50_000)
    assert any(f"COVERING INDEX {index}" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
