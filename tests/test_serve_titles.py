"""Articles stored without a title show their first line as title everywhere in the
workbench (API ``title_display`` and every page), against a real ``cronica serve``."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cronica.records import ActorRef, Document, Evidence, ExtractionResult, Incident, Location, Quote
from cronica.serve.accounts import add_user, create_token
from cronica.serve.process import ServerProcess
from cronica.store import Cronica

FIRST_LINE = "Night raid on the river port of Tumaco leaves two dead"
TEXT = (f"{FIRST_LINE}\n\nArmed men attacked a police post in Tumaco on Tuesday, officials said. "
        "\"We will find those responsible,\" the mayor said.")


def _untitled() -> ExtractionResult:
    s = TEXT.index("Armed men")
    sent = TEXT[s:TEXT.index(".", s) + 1]
    q0 = TEXT.index("We will")
    quote = TEXT[q0:TEXT.index(",", q0)]
    doc = Document(id="doc_untitled", text=TEXT, url=None, title=None, outlet="River Wire",
                   published="2020-05-06", language="en")
    return ExtractionResult(document=doc, incidents=[Incident(
        id="inc_untitled", type="attack", date="2020-05-05", date_precision="day",
        location=Location(name="Tumaco", country="CO"), perpetrators=[ActorRef("Armed men")],
        evidence=[Evidence(s, s + len(sent), sent)])],
        quotes=[Quote(id="q_untitled", text=quote, speaker="the mayor", evidence=Evidence(q0, q0 + len(quote), quote))])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("titles")
    url = f"sqlite:///{tmp / 'cronica.db'}"
    with Cronica(url) as db:
        assert db.save(_untitled()) == "added"
        add_user(db.engine, "rita", "reader-pass-123", "reader")
        token = create_token(db.engine, "rita")
        assert db.document("doc_untitled").title is None  # nothing invented on save
    with ServerProcess(url, log=tmp / "server.log") as srv:
        yield srv.url, token


@pytest.fixture
def c(site: tuple[str, str]) -> Iterator[httpx.Client]:
    base, token = site
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        yield client


def test_api_gives_title_display_and_keeps_title_empty(c: httpx.Client) -> None:
    inc = c.get("/api/v1/incidents/inc_untitled").json()
    assert inc["title"] is None and inc["title_display"] == FIRST_LINE
    assert inc["document"]["id"] == "doc_untitled" and "text" not in inc["document"]
    assert [p["field"] for p in inc["provenance"]] == ["evidence"]
    listed = c.get("/api/v1/incidents", params={"document_id": "doc_untitled"}).json()
    assert [r["title_display"] for r in listed] == [FIRST_LINE]
    assert "provenance" not in listed[0] and "data" not in listed[0]
    assert c.get("/api/v1/incidents", params={"document_id": "doc_other"}).json() == []
    docs = c.get("/api/v1/documents").json()
    assert [(d["title"], d["title_display"]) for d in docs] == [(None, FIRST_LINE)]
    assert c.get("/api/v1/documents/doc_untitled").json()["title_display"] == FIRST_LINE
    assert [q["title_display"] for q in c.get("/api/v1/quotes").json()] == [FIRST_LINE]
    hits = c.get("/api/v1/search", params={"q": "Tumaco"}).json()
    assert hits and {h["title_display"] for h in hits} == {FIRST_LINE}


@pytest.mark.parametrize("path", ["/documents", "/documents/doc_untitled", "/incidents", "/incidents/inc_untitled",
                                  "/search?q=Tumaco", "/quotes", "/"])
def test_pages_show_the_first_line_as_title(c: httpx.Client, path: str) -> None:
    r = c.get(path)
    assert r.status_code == 200, r.text[:300]
    shown = FIRST_LINE if path in ("/documents", "/documents/doc_untitled", "/search?q=Tumaco", "/quotes") \
        else FIRST_LINE[:31]  # incident tables cut the source column at a word, within 40 characters
    assert shown in r.text
    assert ">doc_untitled</a>" not in r.text  # no link shows the id in place of a title
