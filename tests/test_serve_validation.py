"""Hostile HTTP input against a real ``cronica serve`` process (real SQLite file with the
hand-built records of :mod:`cronica.serve.demo`): every parameter is bounded, review
values are checked, invalid input is a 422 naming the field, pages never answer 5xx,
and every response carries the security headers."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cronica.serve import review
from cronica.serve.accounts import add_user, create_token
from cronica.serve.app import MAX_BODY, security_headers, tiles_origin
from cronica.serve.demo import demo_results
from cronica.serve.process import ServerProcess
from cronica.store import Cronica

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("validation")
    url = f"sqlite:///{tmp / 'cronica.db'}"
    with Cronica(url) as db:
        for r in demo_results():
            db.save(r)
        add_user(db.engine, "eddie", PASSWORD, "editor")
        token = create_token(db.engine, "eddie")
    with ServerProcess(url, log=tmp / "server.log") as srv:
        yield {"url": srv.url, "token": token, "log": tmp / "server.log"}


def client(site: dict) -> httpx.Client:
    return httpx.Client(base_url=site["url"], headers={"Authorization": f"Bearer {site['token']}"}, timeout=30)


# ------------------------------------------------------------------ review values
@pytest.mark.parametrize("field,value,problem", [
    ("killed", "inf", "is not a whole number"),
    ("killed", float("1e300"), "is more than 10,000,000"),
    ("killed", 10**30, "is more than 10,000,000"),
    ("killed", 10**400, "out of range"),
    ("killed", -1, "is negative"),
    ("killed", "9" * 5000, "is not a whole number"),
    ("date", "0000", "has a year outside 1800-2100"),
    ("date", "2023-02-30", "is not a real calendar date"),
    ("date", "2023-13", "is not a real calendar date"),
    ("date", "12/05/2020", "is not a date"),
    ("country", "XX", "is not an ISO 3166 alpha-2 country code"),
    ("country", "Mexico", "is not an ISO 3166 alpha-2 country code"),
    ("type", "picnic", "is not one of"),
    ("status", "x" * 1000, "at most 500"),
    ("location", "y" * 501, "at most 500"),
])
def test_bad_incident_corrections_are_422_naming_the_field(site: dict, field: str, value: object,
                                                           problem: str) -> None:
    r = client(site).post("/api/v1/review/incident/inc_demo_ambush",
                          json={"action": "correct", "field": field, "value": value})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["detail"].startswith(f"incident field {field}: ") and problem in body["detail"], body
    assert body["field"] == "value"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400", 1e16])
def test_figure_values_must_be_finite_and_in_range(site: dict, value: object) -> None:
    r = client(site).post("/api/v1/review/figure/fig_demo_clan_size",
                          json={"action": "correct", "field": "value", "value": value})
    assert r.status_code == 422 and r.json()["detail"].startswith("figure field value: "), r.text


def test_good_corrections_are_normalised(site: dict) -> None:
    c = client(site)
    r = c.post("/api/v1/review/incident/inc_demo_arrest", json={"action": "correct", "field": "country", "value": "mx"})
    assert r.status_code == 200 and r.json()["new_value"] == "MX"
    r = c.post("/api/v1/review/incident/inc_demo_arrest", json={"action": "correct", "field": "wounded", "value": 2.0})
    assert r.status_code == 200 and r.json()["new_value"] == 2
    r = c.post("/api/v1/review/figure/fig_demo_clan_size", json={"action": "correct", "field": "value",
                                                                 "value": "1500.5"})
    assert r.status_code == 200 and r.json()["new_value"] == 1500.5


def test_check_helpers() -> None:
    assert review.check_date("2024-02-29") == "2024-02-29"
    assert review.check_country(" co ") == "CO"
    for bad in ("2023-02-29", "1799", "2101-01", "20x4", ""):
        with pytest.raises(ValueError):
            review.check_date(bad)
    for bad in ("XX", "ZZ", "C0", "COL"):
        with pytest.raises(ValueError):
            review.check_country(bad)


def test_review_body_errors_name_the_field(site: dict) -> None:
    c = client(site)
    r = c.post("/api/v1/review/incident/inc_demo_ambush", json={"action": "shout"})
    assert r.status_code == 422 and r.json()["field"] == "action" and "'shout'" in r.json()["detail"]
    r = c.post("/api/v1/review/thing/x", json={"action": "confirm"})
    assert r.status_code == 422 and r.json()["field"] == "kind" and "'thing'" in r.json()["detail"]
    r = c.post("/api/v1/review/incident/inc_demo_ambush", json={"action": "correct", "field": "killed",
                                                                "value": [1, 2]})
    assert r.status_code == 422 and r.json()["field"].startswith("value")
    r = c.post("/api/v1/review/incident/inc_demo_ambush", content=b"{not json", headers={
        "Content-Type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["detail"]
    r = c.post("/api/v1/review/role/99999999999999999999999999", json={"action": "confirm"})
    assert r.status_code == 404
    r = c.post("/api/v1/users", json={"name": "x", "password": "p" * 5000})
    assert r.status_code in (403, 422)  # an editor: refused before or after validation, never 5xx


# ------------------------------------------------------------------ query parameters
def test_filters_name_the_bad_value(site: dict) -> None:
    c = client(site)
    for params, field, shown in (({"country": "XX"}, "country", "'XX'"), ({"type": "picnic"}, "type", "'picnic'"),
                                 ({"status": "maybe"}, "status", "'maybe'"), ({"since": "0000"}, "since", "'0000'"),
                                 ({"until": "2020-02-31"}, "until", "'2020-02-31'"),
                                 ({"offset": "1e20"}, "offset", "'1e20'"),
                                 ({"offset": str(10**20)}, "offset", "100000000000000000000"),
                                 ({"actor": "a" * 201}, "actor", "at most 200")):
        r = c.get("/api/v1/incidents", params=params)
        assert r.status_code == 422, (params, r.text)
        assert r.json()["field"] == field and shown in r.json()["detail"], r.json()
    assert [x["id"] for x in c.get("/api/v1/incidents", params={"country": "co", "type": "murder"}).json()] == [
        "inc_demo_murder"]


HOSTILE = ["-1", "1.5", "1e20", "99999999999999999999999", "NaN", "", "%", "%_%", "' OR 1=1 --", "\u0000",
           "\u202e" + "😀" * 50, "a" * 10_000, "%" * 20_000]
#: The query parameters of each page (the API's come from its OpenAPI schema).
PAGES = {"/search": ["q", "type", "country", "group", "year"],
         "/incidents": ["type", "status", "actor", "country", "place", "since", "until", "text", "sort", "offset"],
         "/figures": ["indicator", "place"], "/quotes": ["speaker"], "/documents": ["offset"],
         "/map": ["type", "country", "actor", "since", "until"]}


def test_fuzzed_query_parameters_never_answer_5xx(site: dict) -> None:
    """Every query parameter of every GET operation and page, one hostile value at a time
    (huge, negative and float integers, long strings, LIKE wildcards, NUL, emoji)."""
    c = client(site)
    spec = c.get("/api/v1/openapi.json").json()
    targets = {path: [p["name"] for p in op["get"].get("parameters", []) if p["in"] == "query"]
               for path, op in spec["paths"].items() if "get" in op and "{" not in path}
    targets.update(PAGES)
    statuses: dict[int, int] = {}
    bad = []
    for path, names in targets.items():
        for name in names:
            for value in HOSTILE:
                params = {name: value, **({"q": "x"} if path.endswith("search") and name != "q" else {})}
                r = c.get(path, params=params)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                if r.status_code >= 500 or (path.startswith("/api/") and r.status_code not in (200, 422)):
                    bad.append((path, name, value[:20], r.status_code, r.text[:200]))
    print(f"fuzzed {sum(statuses.values())} requests: statuses {dict(sorted(statuses.items()))}")
    assert sum(statuses.values()) > 700
    assert not bad, bad[:10]


def test_path_parameters_are_bounded(site: dict) -> None:
    c = client(site)
    for path in ("/api/v1/incidents/", "/api/v1/documents/", "/api/v1/actors/", "/incidents/", "/documents/",
                 "/actors/"):
        r = c.get(path + "x" * 300)
        assert r.status_code in (400, 422), (path, r.status_code)
        r = c.get(path + "%25_%27%00")
        assert r.status_code in (404, 400, 422), (path, r.status_code)


def test_pages_answer_400_naming_the_value(site: dict) -> None:
    c = client(site)
    for path, shown in (("/incidents?country=XX", "&#39;XX&#39;"), ("/incidents?offset=1e20", "offset"),
                        ("/incidents?offset=100000000000000000000", "offset"),
                        ("/documents?offset=-5", "offset"), ("/search?type=picnic", "&#39;picnic&#39;"),
                        ("/search?year=0000", "&#39;0000&#39;")):
        r = c.get(path)
        assert r.status_code == 400 and shown in r.text, (path, r.status_code)


# ------------------------------------------------------------------ bodies
def _raw(site: dict, request: bytes) -> bytes:
    host, port = site["url"].removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request)
        return s.recv(65536)


def test_oversized_and_unsized_bodies_are_refused_before_reading(site: dict) -> None:
    head = _raw(site, (f"POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {site['token']}\r\n"
                       f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {MAX_BODY + 1}\r\n\r\n")
                .encode())
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    head = _raw(site, (f"POST /api/v1/review/incident/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                       f"Content-Type: application/json\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n").encode())
    assert head.startswith(b"HTTP/1.1 411"), head[:200]


def test_ingest_errors(site: dict) -> None:
    c = client(site)
    r = c.post("/api/v1/ingest", data={"text": " \u200b "})
    assert r.status_code == 422 and r.json()["field"] in ("text", None)
    r = c.post("/api/v1/ingest", data={"text": "x", "title": "t" * 2000})
    assert r.status_code == 422 and r.json()["field"] == "title"


# ------------------------------------------------------------------ headers
def test_security_headers_on_every_kind_of_response(site: dict) -> None:
    c = httpx.Client(base_url=site["url"], timeout=30)
    for path in ("/login", "/", "/api/v1/incidents", "/static/app.css", "/no/such/page", "/api/v1/openapi.json",
                 "/favicon.ico"):
        r = c.get(path)
        assert r.status_code < 500
        for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
            assert name in r.headers, (path, name)
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    fav = c.get("/favicon.ico")
    assert fav.status_code == 200 and fav.headers["content-type"] == "image/x-icon" and fav.content[:4] == b"\0\0\1\0"


def test_templates_have_no_inline_script_or_style() -> None:
    templates = Path(__file__).resolve().parents[1] / "src" / "cronica" / "serve" / "templates"
    for t in templates.glob("*.html"):
        text = t.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), t.name
        assert "<style" not in text and not re.search(r"\sstyle=", text), t.name
        assert not re.search(r"\son[a-z]+=", text), t.name


def test_csp_allows_the_tile_server_images_only() -> None:
    assert tiles_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert tiles_origin("http://127.0.0.1:8080/t/{z}/{x}/{y}.png") == "http://127.0.0.1:8080"
    csp = security_headers("https://tiles.example.org/{z}/{x}/{y}.png")["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.org;" in csp
    assert "https://tiles.example.org" not in csp.split("img-src")[0]
