"""The authorization matrix of docs/security.md against every route of the real app.

Every route of ``create_app`` (API, pages, static files, favicon, OpenAPI) must have a
row in the table, and every row a route. Each route is then sent as each role to a real
``cronica serve`` process (private and ``--public``), with harmless input (unknown ids,
empty forms: nothing is changed), and the answer must be what the table says: refused
(401 / 403 / redirect to the login page) or let through (anything else below 500).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.routing import Mount

from cronica.serve.accounts import add_user, create_token
from cronica.serve.app import create_app
from cronica.serve.demo import demo_results
from cronica.serve.process import ServerProcess
from cronica.store import Cronica

DOC = Path(__file__).resolve().parents[1] / "docs" / "security.md"
ROLES = ("anonymous", "reader", "editor", "admin", "public")
PASSWORD = "correct horse battery"
USERS = {"reader": "rita", "editor": "eddie", "admin": "ada"}

#: Concrete values for path parameters.
SAMPLE = {"document_id": "doc_demo_mx", "incident_id": "inc_demo_ambush", "name": "Sinaloa Cartel", "fmt": "json",
          "kind": "incident", "record_id": "inc_nope", "path": "app.css"}
#: Harmless bodies: every write is let through to its validation, which refuses it.
API_BODY: dict[str, dict] = {
    "/api/v1/ingest": {"data": {"text": ""}},
    "/api/v1/review/{kind}/{record_id}": {"json": {"action": "confirm"}},  # unknown record: 404
    "/api/v1/users": {"json": {"name": "bad name", "password": "long enough pw"}},  # 422
    "/api/v1/incidents/{incident_id}/split": {"json": {"note": "x" * 100_000}},  # 422: note too long
    "/api/v1/incidents/{incident_id}/merge": {"json": {"other": "inc_nope"}},  # 422: no such incident
}
PAGE_FORM: dict[str, dict[str, str]] = {
    "/login": {"name": "nobody", "password": "wrong password"},
    "/ingest": {"text": ""},
    "/review/{kind}/{record_id}": {"action": "confirm"},
    "/incidents/{incident_id}/split": {"note": "x" * 100_000},  # refused: note too long
    "/incidents/{incident_id}/merge": {"other": "inc_nope"},  # 400: no such incident
    "/admin/users": {"name": "bad name", "password": "long enough pw"},
    "/logout": {},
}


def table() -> dict[str, dict[str, bool]]:
    """``"METHOD /path"`` -> role -> allowed, from docs/security.md."""
    rows = {}
    for line in DOC.read_text().splitlines():
        m = re.match(r"^\| `((?:GET|POST) \S+)` \|(.*)\|$", line)
        if m:
            cells = [c.strip() for c in m.group(2).split("|")]
            assert len(cells) == len(ROLES) and set(cells) <= {"yes", "no"}, line
            rows[m.group(1)] = dict(zip(ROLES, (c == "yes" for c in cells)))
    return rows


def app_routes(tmp_path: Path) -> set[str]:
    """Every ``"METHOD /path"`` the app serves (HEAD left out; static files as one)."""
    app = create_app(f"sqlite:///{tmp_path / 'routes.db'}")
    out: set[str] = set()

    def add(routes: list, prefix: str = "") -> None:
        for r in routes:
            if hasattr(r, "original_router"):  # an included router (FastAPI keeps it whole)
                add(r.original_router.routes, prefix + r.include_context.prefix)
            elif isinstance(r, Mount):
                out.add(f"GET {prefix}{r.path}/{{path}}")
            else:
                out.update(f"{m} {prefix}{r.path}" for m in r.methods if m != "HEAD")

    add(app.routes)
    return out


def test_every_route_is_in_the_table_and_every_row_is_a_route(tmp_path: Path) -> None:
    routes, rows = app_routes(tmp_path), set(table())
    assert len(routes) >= 39
    assert not routes - rows, f"routes missing from docs/security.md: {sorted(routes - rows)}"
    assert not rows - routes, f"rows of docs/security.md with no route: {sorted(rows - routes)}"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("authz")
    url = f"sqlite:///{tmp / 'cronica.db'}"
    tokens = {}
    with Cronica(url) as db:
        for r in demo_results():
            db.save(r)
        for role, name in USERS.items():
            add_user(db.engine, name, PASSWORD, role)
            tokens[role] = create_token(db.engine, name)
    with ServerProcess(url, log=tmp / "private.log") as private, \
            ServerProcess(url, public=True, log=tmp / "public.log") as public:
        yield {"private": private.url, "public": public.url, "tokens": tokens}


def _csrf(c: httpx.Client, page: str = "/login") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(page).text).group(1)


def browser(servers: dict, role: str) -> tuple[httpx.Client, str]:
    """A cookie client: logged in as ``role``'s user, or anonymous (with a CSRF token)."""
    base = servers["public" if role == "public" else "private"]
    c = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
    csrf = _csrf(c)
    if role in USERS:
        r = c.post("/login", data={"name": USERS[role], "password": PASSWORD, "csrf": csrf, "next": "/"})
        assert r.status_code == 303, r.text
        csrf = _csrf(c, "/map")
    return c, csrf


def _path(template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], template)


def refused(r: httpx.Response, api: bool) -> bool:
    """401 (API; on pages it is a failed login), 403, or a redirect to the login page."""
    return r.status_code == 403 or (api and r.status_code == 401) or (
        r.status_code == 303 and r.headers["location"].startswith("/login?next="))


def send(servers: dict, role: str, op: str, page: tuple[httpx.Client, str]) -> httpx.Response:
    method, template = op.split(" ")
    path = _path(template)
    if template.startswith("/api/") and template != "/api/v1/openapi.json":
        base = servers["public" if role == "public" else "private"]
        headers = {"Authorization": f"Bearer {servers['tokens'][role]}"} if role in USERS else {}
        with httpx.Client(base_url=base, timeout=30, headers=headers) as c:
            return c.request(method, path, **API_BODY.get(template, {}))
    c, csrf = page
    if method == "GET":
        return c.get(path)
    form = dict(PAGE_FORM[template], csrf=csrf)
    if template == "/login":
        form["name"] = f"nobody-{role}"  # distinct accounts: no throttling
    return c.post(path, data=form)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says(servers: dict, role: str) -> None:
    wrong = []
    page = browser(servers, role)
    # logout last: it ends the session the other page requests use
    for op, allowed in sorted(table().items(), key=lambda kv: (kv[0] == "POST /logout", kv[0])):
        r = send(servers, role, op, page)
        assert r.status_code < 500, (op, role, r.status_code, r.text[:300])
        if refused(r, op.split(" ")[1].startswith("/api/")) == allowed[role]:
            wrong.append(f"{op} as {role}: {r.status_code} {r.headers.get('location', '')} "
                         f"(table: {'yes' if allowed[role] else 'no'})")
    page[0].close()
    assert not wrong, "\n".join(wrong)
