"""Merged incidents in the web app: the API (read, split, merge) and the incident page,
against a real ``cronica serve`` process over a real SQLite file.

The articles are tests/data/merge/reports.jsonl (see tests/test_store_merge.py): three
reports of one attack (one Spanish) and a report of another incident."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cronica.ingest import read_file
from cronica.serve.accounts import add_user, create_token
from cronica.serve.process import ServerProcess
from cronica.store import Cronica

DATA = Path(__file__).parent / "data" / "merge" / "reports.jsonl"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    from cronica.extract import Extractor

    tmp = tmp_path_factory.mktemp("merge")
    url = f"sqlite:///{tmp / 'cronica.db'}"
    ex = Extractor()
    results = [ex.extract(d) for d in read_file(DATA)]
    with Cronica(url) as db:
        for r in results:
            assert db.save(r) == "added"
        tokens = {}
        for name, role in (("rita", "reader"), ("eddie", "editor")):
            add_user(db.engine, name, PASSWORD, role)
            tokens[role] = create_token(db.engine, name)
    attack = sorted(i.id for r in results for i in r.incidents
                    if i.status == "current" and i.location.admin1 == "Arauca")
    murder = next(i.id for r in results for i in r.incidents if i.status == "current" and i.location.admin1 == "Cauca")
    with ServerProcess(url, log=tmp / "server.log") as srv:
        yield {"url": srv.url, "db_url": url, "tokens": tokens, "attack": attack, "murder": murder,
               "results": results}


def api(site: dict, role: str) -> httpx.Client:
    return httpx.Client(base_url=site["url"], timeout=30,
                        headers={"Authorization": f"Bearer {site['tokens'][role]}"})


def login(site: dict, name: str) -> tuple[httpx.Client, str]:
    c = httpx.Client(base_url=site["url"], timeout=30)
    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    assert c.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf, "next": "/"}).status_code == 303
    return c, re.search(r'name="csrf" value="([^"]+)"', c.get("/incidents").text).group(1)


def test_api_reads_merged_incident_splits_and_merges(site: dict) -> None:
    attack, murder = site["attack"], site["murder"]
    with api(site, "reader") as c:
        one = c.get(f"/api/v1/incidents/{attack[2]}").json()
        assert one["merged_id"] == attack[0]
        assert [r["document"]["language"] for r in one["reports"]] == ["es", "en", "en"]
        assert all({"id", "url", "outlet", "published", "language"} <= set(r["document"]) for r in one["reports"])
        assert all(r["evidence"][0]["text"] for r in one["reports"])
        assert {k: one["tolls"]["killed"][k] for k in ("low", "best", "high")} == {"low": 1, "best": 3, "high": 3}
        assert len(one["merge_links"]) == 3 and "same perpetrator" in one["merge_links"][0]["agreed"]
        listed = [r["id"] for r in c.get("/api/v1/incidents", params={"limit": 100}).json()]
        assert sum(k in listed for k in attack) == 1 and murder in listed
        assert c.post(f"/api/v1/incidents/{attack[1]}/split", json={}).status_code == 403
    with api(site, "editor") as c:
        assert c.post("/api/v1/incidents/inc_nope/split", json={}).status_code == 404
        r = c.post(f"/api/v1/incidents/{murder}/split", json={})
        assert r.status_code == 422 and "nothing to split" in r.json()["detail"]
        r = c.post(f"/api/v1/incidents/{murder}/merge", json={"other": "inc_nope"})
        assert r.status_code == 422 and r.json()["field"] == "other"
        r = c.post(f"/api/v1/incidents/{attack[1]}/split", json={"note": "another attack"})
        assert r.status_code == 200, r.text
        assert r.json()["event"]["old_value"] == attack
        assert [x["incident_id"] for x in r.json()["merged"]["reports"]] == [attack[1]]
    with Cronica(site["db_url"]) as db:  # re-ingest: the split holds
        assert [db.save(x) for x in site["results"]] == ["unchanged"] * 4
        assert db.merged(attack[1])["merged_id"] == attack[1]
    with api(site, "editor") as c:
        assert len(c.get(f"/api/v1/incidents/{attack[0]}").json()["reports"]) == 2
        r = c.post(f"/api/v1/incidents/{attack[1]}/merge", json={"other": attack[0]})
        assert r.status_code == 200 and len(r.json()["merged"]["reports"]) == 3
        hist = c.get(f"/api/v1/review/incident/{attack[1]}").json()["history"]
        assert [h["field"] for h in hist] == ["split", "merge"] and hist[0]["note"] == "another attack"


def test_incident_page_shows_reports_side_by_side_and_editor_forms(site: dict) -> None:
    attack = site["attack"]
    c, csrf = login(site, "eddie")
    try:
        page = c.get(f"/incidents/{attack[0]}").text
        assert "One incident, 3 reports" in page and 'id="tolls"' in page and 'id="reasons"' in page
        assert page.count('data-action="split"') == 3 and 'action="/incidents/%s/merge"' % attack[0] in page
        assert "Latam Security Monitor" in page and "Noticias del Llano" in page
        r = c.post(f"/incidents/{attack[2]}/split", data={"csrf": csrf})
        assert r.status_code == 303
        assert "One incident, 2 reports" in c.get(f"/incidents/{attack[0]}").text
        assert c.post(f"/incidents/{attack[2]}/merge", data={"other": attack[0]}).status_code == 403  # no CSRF
        r = c.post(f"/incidents/{attack[2]}/merge", data={"other": attack[0], "csrf": csrf})
        assert r.status_code == 303
        assert "One incident, 3 reports" in c.get(f"/incidents/{attack[2]}").text
    finally:
        c.close()
    r2, _ = login(site, "rita")
    try:
        page = r2.get(f"/incidents/{attack[0]}").text
        assert "One incident, 3 reports" in page and 'data-action="split"' not in page
    finally:
        r2.close()
