"""The workbench's HTTP API and pages, against a real ``cronica serve`` process with a real
SQLite file (filled with the hand-built records of :mod:`cronica.serve.demo`)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cronica.serve.accounts import add_user, create_token
from cronica.serve.demo import demo_results
from cronica.serve.process import ServerProcess
from cronica.store import Cronica

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("serve")
    url = f"sqlite:///{tmp / 'cronica.db'}"
    with Cronica(url) as db:
        for r in demo_results():
            assert db.save(r) == "added"
        tokens = {}
        for name, role in (("rita", "reader"), ("eddie", "editor"), ("ada", "admin")):
            add_user(db.engine, name, PASSWORD, role)
            tokens[role] = create_token(db.engine, name)
    with ServerProcess(url, log=tmp / "server.log") as srv:
        yield {"url": srv.url, "db_url": url, "tokens": tokens, "tmp": tmp}


def client(site: dict, role: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {site['tokens'][role]}"} if role else {}
    return httpx.Client(base_url=site["url"], headers=headers, timeout=30, follow_redirects=False)


def login(site: dict, name: str) -> tuple[httpx.Client, str]:
    """A browser-like client logged in through the form; returns it and its CSRF token."""
    c = client(site)
    page = c.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf, "next": "/incidents"})
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/incidents"
    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/incidents").text).group(1)
    return c, csrf


def ids(rows: list[dict]) -> set[str]:
    return {r["id"] for r in rows}


# ------------------------------------------------------------------ access
def test_openapi_lists_the_api(site: dict) -> None:
    spec = httpx.get(site["url"] + "/api/v1/openapi.json").json()
    for path in ("/api/v1/incidents", "/api/v1/incidents/{incident_id}", "/api/v1/documents/{document_id}",
                 "/api/v1/actors/{name}", "/api/v1/figures", "/api/v1/quotes", "/api/v1/search",
                 "/api/v1/exports/{fmt}", "/api/v1/ingest", "/api/v1/review/{kind}/{record_id}"):
        assert path in spec["paths"], path


def test_anonymous_needs_a_login_when_not_public(site: dict) -> None:
    c = client(site)
    r = c.get("/api/v1/incidents")
    assert r.status_code == 401 and r.json()["detail"] == "login required"
    page = c.get("/incidents?type=murder")
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/incidents%3Ftype%3Dmurder"


def test_bad_tokens_and_wrong_passwords_are_refused(site: dict) -> None:
    r = httpx.get(site["url"] + "/api/v1/incidents", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and "token" in r.json()["detail"]
    r = httpx.get(site["url"] + "/api/v1/incidents", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401 and "Bearer" in r.json()["detail"]
    c = client(site)
    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    r = c.post("/login", data={"name": "rita", "password": "wrong password", "csrf": csrf})
    assert r.status_code == 401 and "wrong password" in r.text
    assert c.get("/api/v1/me").status_code == 401


def test_me_reports_the_user_behind_a_token(site: dict) -> None:
    assert client(site, "reader").get("/api/v1/me").json()["user"] == {"name": "rita", "role": "reader"}


# ------------------------------------------------------------------ reading
def test_incident_filters(site: dict) -> None:
    c = client(site, "reader")
    get = lambda **p: c.get("/api/v1/incidents", params=p).json()  # noqa: E731
    assert ids(get()) == {"inc_demo_ambush", "inc_demo_arrest", "inc_demo_murder", "inc_demo_bomb"}
    assert ids(get(type="murder")) == {"inc_demo_murder"}
    assert ids(get(country="co")) == {"inc_demo_murder", "inc_demo_bomb"}
    assert ids(get(actor="Urabeños")) == {"inc_demo_murder"}  # an alias
    assert ids(get(actor="sinaloa cartel")) == {"inc_demo_ambush"}
    assert ids(get(place="mochis")) == {"inc_demo_arrest"}
    assert ids(get(since="2020")) == {"inc_demo_ambush", "inc_demo_arrest"}
    assert ids(get(until="2018-05-31")) == {"inc_demo_bomb"}
    assert ids(get(since="2018-06", until="2018-06")) == {"inc_demo_murder"}
    assert ids(get(text="farmers")) == {"inc_demo_murder"}
    assert ids(get(status="current", type="bombing")) == {"inc_demo_bomb"}
    assert [r["id"] for r in get(sort="-killed", limit=2)] == ["inc_demo_ambush", "inc_demo_murder"]
    assert [r["id"] for r in get(sort="date", limit=1, offset=1)] == ["inc_demo_murder"]
    row = get(type="ambush")[0]
    assert row["killed"] == 4 and row["perpetrators"] == ["Sinaloa Cartel"] and "data" not in row


def test_map_points_are_compact_and_filtered(site: dict) -> None:
    c = client(site, "reader")
    data = c.get("/api/v1/map/points").json()
    assert data["fields"] == ["id", "lat", "lon", "type", "date", "killed", "location", "country"]
    assert data["points"][0] == ["inc_demo_ambush", 24.8, -107.39, "ambush", "2020-03-03", 4, "Culiacan", "MX"]
    assert [p[0] for p in data["points"]] == ["inc_demo_ambush", "inc_demo_arrest", "inc_demo_murder", "inc_demo_bomb"]
    # the map page passes its own query string on, empty fields included
    got = c.get("/api/v1/map/points", params={"type": "", "actor": "", "country": "co", "since": "", "until": ""})
    assert [p[0] for p in got.json()["points"]] == ["inc_demo_murder", "inc_demo_bomb"]
    assert c.get("/api/v1/map/points", params={"since": "yesterday"}).status_code == 422
    page = c.get("/map", params={"country": "CO"}).text
    assert 'name="country" value="CO"' in page


def test_timeline_counts_the_filtered_incidents_per_month(site: dict) -> None:
    c = client(site, "reader")
    months = c.get("/api/v1/timeline").json()
    assert months[0] == {"month": "2018-05", "incidents": 1} and months[-1] == {"month": "2020-03", "incidents": 2}
    assert len(months) == 23 and sum(m["incidents"] for m in months) == 4  # empty months filled in
    assert c.get("/api/v1/timeline", params={"country": "CO"}).json() == [
        {"month": "2018-05", "incidents": 1}, {"month": "2018-06", "incidents": 1}]
    assert c.get("/api/v1/timeline", params={"actor": "Nobody At All"}).json() == []
    assert c.get("/api/v1/timeline", params={"until": "soon"}).status_code == 422
    page = c.get("/incidents", params={"country": "CO"}).text
    assert 'id="timeline"' in page and "<svg" in page.split('id="timeline"')[1].split("</section>")[0]
    assert c.get("/incidents", params={"since": "last week"}).status_code == 400


def test_bad_filters_are_one_line_422s(site: dict) -> None:
    c = client(site, "reader")
    r = c.get("/api/v1/incidents", params={"since": "last week"})
    assert r.status_code == 422 and r.json()["detail"] == (
        "since 'last week' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    r = c.get("/api/v1/incidents", params={"sort": "colour"})
    assert r.status_code == 422 and "sort 'colour'" in r.json()["detail"]
    r = c.get("/api/v1/incidents", params={"limit": 0})
    assert r.status_code == 422 and r.json()["detail"].startswith("limit:")
    assert c.get("/api/v1/search", params={"q": "!!"}).status_code == 422
    assert c.get("/api/v1/exports/xlsx").status_code == 422


def test_incident_by_id_has_every_evidence_span(site: dict) -> None:
    c = client(site, "reader")
    inc = c.get("/api/v1/incidents/inc_demo_ambush").json()
    doc = c.get(f"/api/v1/documents/{inc['document_id']}").json()
    fields = {p["field"] for p in inc["provenance"]}
    assert {"evidence", "trigger", "date", "location", "killed", "wounded", "perpetrators", "targets"} <= fields
    for p in inc["provenance"]:
        assert doc["text"][p["start"]:p["end"]] == p["text"]
    assert c.get("/api/v1/incidents/inc_nope").status_code == 404


def test_documents_actor_figures_quotes_search(site: dict) -> None:
    c = client(site, "reader")
    docs = c.get("/api/v1/documents").json()
    assert [d["id"] for d in docs] == ["doc_demo_mx", "doc_demo_co"] and "text" not in docs[0]
    doc = c.get("/api/v1/documents/doc_demo_co").json()
    assert "<script>" in doc["text"] and any("incident killed" in h["fields"] for h in doc["highlights"])
    assert c.get("/api/v1/documents/doc_nope").status_code == 404
    actor = c.get("/api/v1/actors/Cartel de Sinaloa").json()
    assert actor["canonical"] == "Sinaloa Cartel" and [i["id"] for i in actor["incidents"]] == ["inc_demo_ambush"]
    assert {"name": "Mexican Police", "incidents": 1} in actor["co_actors"]
    # "farmers", a target with no actor record, is not a related actor of the Clan del Golfo
    assert c.get("/api/v1/actors/Clan del Golfo").json()["co_actors"] == []
    assert c.get("/api/v1/actors/Nobody At All").status_code == 404
    assert {f["document_id"] for f in c.get("/api/v1/figures", params={"document_id": "doc_demo_co"}).json()} == {
        "doc_demo_co"}
    assert c.get("/api/v1/quotes", params={"document_id": "doc_nope"}).json() == []
    figs = c.get("/api/v1/figures", params={"indicator": "homicides"}).json()
    assert [(f["value"], f["place"]) for f in figs] == [(1000.0, "Sinaloa")]
    assert [q["speaker"] for q in c.get("/api/v1/quotes").json()] == ["Quirino Ordaz"]
    hits = c.get("/api/v1/search", params={"q": "Apartado farmers"}).json()
    assert {"doc_demo_co"} == {h["document_id"] for h in hits}


def test_exports(site: dict) -> None:
    c = client(site, "reader")
    r = c.get("/api/v1/exports/csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) >= 3
    gj = c.get("/api/v1/exports/geojson").json()
    assert gj["type"] == "FeatureCollection" and all(f["geometry"]["type"] == "Point" for f in gj["features"])
    js = c.get("/api/v1/exports/json").json()
    assert all("document" in x and "review_state" in x for x in js)


def test_pages_render_and_escape_article_text(site: dict) -> None:
    c, _ = login(site, "rita")
    for path in ("/", "/search?q=convoy", "/search?type=murder", "/incidents", "/incidents/inc_demo_ambush",
                 "/actors/Sinaloa%20Cartel", "/figures", "/quotes", "/documents", "/documents/doc_demo_mx", "/map"):
        r = c.get(path)
        assert r.status_code == 200, path
        assert "<script>alert" not in r.text, path
    article = c.get("/documents/doc_demo_co").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in article
    assert re.search(r'<mark id="o\d+" title="[^"]*incident killed[^"]*"', article)
    incident = c.get("/incidents/inc_demo_ambush").text
    start = json.loads(c.get("/api/v1/incidents/inc_demo_ambush").text)["provenance"][0]["start"]
    assert f'href="/documents/doc_demo_mx#o{start}"' in incident
    assert f'<mark id="o{start}"' in c.get("/documents/doc_demo_mx").text
    assert "Editors can confirm" in incident and 'action="/review/' not in incident  # reader: no forms
    assert c.get("/incidents/inc_nope").status_code == 404
    assert c.get("/incidents?since=never").status_code == 400
    overview = c.get("/").text
    assert "<svg" in overview and "2020-03: 2" in overview


# ------------------------------------------------------------------ writing
def test_readers_cannot_review_or_ingest(site: dict) -> None:
    c = client(site, "reader")
    r = c.post("/api/v1/review/incident/inc_demo_bomb", json={"action": "reject"})
    assert r.status_code == 403 and "needs the editor role" in r.json()["detail"]
    r = c.post("/api/v1/ingest", data={"text": "Some article"})
    assert r.status_code == 403
    page, csrf = login(site, "rita")
    r = page.post("/review/incident/inc_demo_bomb", data={"action": "reject", "csrf": csrf})
    assert r.status_code == 403
    assert client(site, "reader").get("/api/v1/review/incident/inc_demo_bomb").json()["history"] == []


def test_csrf_is_required_for_cookie_sessions(site: dict) -> None:
    c, csrf = login(site, "eddie")
    r = c.post("/review/incident/inc_demo_arrest", data={"action": "confirm"})
    assert r.status_code == 403 and "CSRF" in r.text
    r = c.post("/review/incident/inc_demo_arrest", data={"action": "confirm", "csrf": "forged"})
    assert r.status_code == 403
    r = c.post("/api/v1/review/incident/inc_demo_arrest", json={"action": "confirm"})
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    anon = client(site)
    assert anon.post("/login", data={"name": "eddie", "password": PASSWORD}).status_code == 403
    assert client(site, "reader").get("/api/v1/review/incident/inc_demo_arrest").json()["history"] == []
    r = c.post("/api/v1/review/incident/inc_demo_arrest", json={"action": "confirm"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["user_name"] == "eddie"


def test_review_history_corrections_and_rejection(site: dict) -> None:
    c, csrf = login(site, "eddie")
    r = c.post("/review/incident/inc_demo_murder",
               data={"action": "correct", "field": "killed", "value": "5", "note": "later report", "csrf": csrf,
                     "next": "/incidents/inc_demo_murder"})
    assert r.status_code == 303 and r.headers["location"] == "/incidents/inc_demo_murder"
    api = client(site, "editor")
    r = api.post("/api/v1/review/incident/inc_demo_murder", json={"action": "correct", "field": "date",
                                                                  "value": "2018-06-04"})
    assert r.status_code == 200
    inc = api.get("/api/v1/incidents/inc_demo_murder").json()
    assert inc["killed"] == 5 and inc["killed_qualifier"] == "exact" and inc["date"] == "2018-06-04"
    assert inc["review_state"] == "corrected" and inc["data"]["killed"]["value"] == 5
    hist = inc["history"]
    assert [(e["field"], e["old_value"], e["new_value"], e["user_name"]) for e in hist] == [
        ("killed", 3, 5, "eddie"), ("date", "2018-06-05", "2018-06-04", "eddie")]
    assert hist[0]["note"] == "later report" and hist[0]["created_at"]
    assert ids(api.get("/api/v1/incidents", params={"until": "2018-06-04", "since": "2018-06-04"}).json()) == {
        "inc_demo_murder"}
    page = c.get("/incidents/inc_demo_murder").text
    assert "later report" in page and "corrected" in page
    bad = api.post("/api/v1/review/incident/inc_demo_murder", json={"action": "correct", "field": "killed",
                                                                    "value": "many"})
    assert bad.status_code == 422 and bad.json()["detail"] == "incident field killed: 'many' is not a whole number"
    bad = api.post("/api/v1/review/incident/inc_demo_murder", json={"action": "correct", "field": "url", "value": "x"})
    assert bad.status_code == 422 and "cannot be corrected" in bad.json()["detail"]
    assert api.post("/api/v1/review/incident/inc_nope", json={"action": "confirm"}).status_code == 404
    assert api.post("/api/v1/review/thing/x", json={"action": "confirm"}).status_code == 422

    # reject the bombing: gone from lists, search, counts, exports, the map and the article view
    r = c.post("/review/incident/inc_demo_bomb", data={"action": "reject", "csrf": csrf})
    assert r.status_code == 303 and r.headers["location"] == "/documents/doc_demo_co"
    assert "inc_demo_bomb" not in ids(api.get("/api/v1/incidents").json())
    assert api.get("/api/v1/incidents/inc_demo_bomb").status_code == 404
    assert api.get("/api/v1/search", params={"q": "Turbo bomb"}).json() == [
        h for h in api.get("/api/v1/search", params={"q": "Turbo bomb"}).json() if h["kind"] != "incident"]
    assert api.get("/api/v1/counts").json()["incidents"] == 3
    assert "inc_demo_bomb" not in api.get("/api/v1/exports/json").text
    assert "inc_demo_bomb" not in api.get("/api/v1/exports/geojson").text
    assert "incident:inc_demo_bomb" not in c.get("/documents/doc_demo_co").text
    state = api.get("/api/v1/review/incident/inc_demo_bomb").json()
    assert state["review_state"] == "rejected" and [e["action"] for e in state["history"]] == ["reject"]


def test_figures_and_quotes_can_be_reviewed(site: dict) -> None:
    api = client(site, "editor")
    r = api.post("/api/v1/review/figure/fig_demo_clan_size", json={"action": "correct", "field": "value",
                                                                   "value": 1800})
    assert r.status_code == 200 and r.json()["old_value"] == 1500.0
    assert [f["value"] for f in api.get("/api/v1/figures", params={"indicator": "group_size"}).json()] == [1800.0]
    assert api.post("/api/v1/review/quote/quo_demo_ordaz", json={"action": "reject"}).status_code == 200
    assert api.get("/api/v1/quotes").json() == []


def test_admins_manage_users_editors_do_not(site: dict) -> None:
    body = {"name": "newbie", "password": "long enough pw", "role": "reader"}
    assert client(site, "editor").post("/api/v1/users", json=body).status_code == 403
    r = client(site, "admin").post("/api/v1/users", json=body)
    assert r.status_code == 201 and r.json() == {"name": "newbie", "role": "reader"}
    r = client(site, "admin").post("/api/v1/users", json=body)
    assert r.status_code == 409 and r.json()["detail"] == "user 'newbie' already exists"
    c, csrf = login(site, "ada")
    r = c.post("/admin/users", data={"name": "x y", "password": "long enough pw", "role": "editor", "csrf": csrf})
    assert r.status_code == 400 and "user name &#39;x y&#39; is invalid" in r.text
    assert "newbie" in c.get("/admin/users").text


def test_logout_ends_the_session(site: dict) -> None:
    c, csrf = login(site, "rita")
    assert c.get("/api/v1/me").json()["user"]["name"] == "rita"
    assert c.post("/logout", data={"csrf": csrf}).status_code == 303
    assert c.get("/api/v1/me").status_code == 401


def test_ingest_input_errors(site: dict) -> None:
    api = client(site, "editor")
    r = api.post("/api/v1/ingest", data={"text": "   "})
    assert r.status_code == 422 and r.json()["detail"] == "ingest needs a file or a non-empty text field"
    r = api.post("/api/v1/ingest", files={"file": ("bad.txt", b"\xff\xfe\x00bad", "text/plain")})
    assert r.status_code == 422 and r.json()["detail"] == "bad.txt: not UTF-8 text"


@pytest.mark.slow
def test_ingest_runs_the_pipeline(site: dict) -> None:
    sample = Path(__file__).resolve().parents[1] / "src" / "cronica" / "samples" / "culiacan-2019.txt"
    api = client(site, "editor")
    with sample.open("rb") as fh:
        r = api.post("/api/v1/ingest", files={"file": (sample.name, fh, "text/plain")}, timeout=300)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["outcome"] == "added" and body["result"]["incidents"]
    new = {i["id"] for i in body["result"]["incidents"]}
    assert new <= ids(api.get("/api/v1/incidents", params={"limit": 1000}).json())
    again = api.post("/api/v1/ingest", data={"text": sample.read_text(encoding="utf-8")})
    assert again.json()["outcome"] == "unchanged" and again.json()["document_id"] == body["document_id"]


def test_public_mode_reads_without_login_but_never_writes(site: dict, tmp_path: Path) -> None:
    with ServerProcess(site["db_url"], public=True, log=tmp_path / "public.log") as srv:
        anon = httpx.Client(base_url=srv.url, timeout=30)
        assert anon.get("/api/v1/incidents").status_code == 200
        assert anon.get("/incidents").status_code == 200
        assert anon.get("/api/v1/me").json() == {"user": None, "public": True}
        assert anon.post("/api/v1/review/incident/inc_demo_ambush", json={"action": "reject"}).status_code == 401
        r = anon.get("/ingest", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_actors_can_be_reviewed(site: dict) -> None:
    """Actors: correct the kind and the canonical name (kept as an alias), reject one (no
    profile, out of the counts; the incidents keep the name as written)."""
    api = client(site, "editor")
    before = api.get("/api/v1/counts").json()["actors"]
    r = api.post("/api/v1/review/actor/act_demo_clan", json={"action": "correct", "field": "kind",
                                                             "value": "criminal_group"})
    assert r.status_code == 200 and r.json()["old_value"] == "armed_group"
    r = api.post("/api/v1/review/actor/act_demo_clan", json={"action": "correct", "field": "canonical",
                                                             "value": "Gaitanista Army of Colombia"})
    assert r.status_code == 200
    prof = api.get("/api/v1/actors/Clan del Golfo").json()
    assert prof["kind"] == "criminal_group" and prof["canonical"] == "Gaitanista Army of Colombia"
    assert prof["review_state"] == "corrected" and "Gaitanista Army of Colombia" in prof["aliases"]
    assert api.get("/api/v1/actors/Gaitanista Army of Colombia").json()["id"] == "act_demo_clan"
    bad = api.post("/api/v1/review/actor/act_demo_clan", json={"action": "correct", "field": "kind", "value": "gang"})
    assert bad.status_code == 422 and bad.json()["detail"].startswith("actor field kind: 'gang' is not one of")
    bad = api.post("/api/v1/review/actor/act_demo_clan", json={"action": "correct", "field": "canonical", "value": " "})
    assert bad.status_code == 422 and bad.json()["detail"] == "actor field canonical: a value is required"
    assert client(site, "reader").post("/api/v1/review/actor/act_demo_marines",
                                       json={"action": "reject"}).status_code == 403
    c, csrf = login(site, "eddie")
    page = c.get("/actors/act_demo_marines").text
    assert 'action="/review/actor/act_demo_marines"' in page
    r = c.post("/review/actor/act_demo_marines", data={"action": "reject", "csrf": csrf,
                                                       "next": "/actors/act_demo_marines"})
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert api.get("/api/v1/actors/Mexican Navy").status_code == 404
    assert api.get("/api/v1/counts").json()["actors"] == before - 1
    history = api.get("/api/v1/review/actor/act_demo_marines").json()
    assert history["review_state"] == "rejected" and history["history"][0]["user_name"] == "eddie"
    assert "Editors can confirm" in client(site, "reader").get("/actors/act_demo_clan").text
