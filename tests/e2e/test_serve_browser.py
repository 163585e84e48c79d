"""End-to-end: a real browser (Debian's chromium, driven by Playwright) against a real
``cronica serve`` process. Skipped when /usr/bin/chromium or playwright is absent or
chromium cannot start, unless ``CRONICA_REQUIRE_BROWSER=1`` (set by .ci/run): then
each of those is a test failure naming the problem.

Flow: an editor logs in, ingests two bundled samples through the ingest page, searches,
opens an incident, follows its evidence to the highlighted article, reviews the incident;
a reader sees no review forms and is refused when posting anyway. Screenshots of every
page go to $CRONICA_SCREENSHOTS (default: the test's tmp_path).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from cronica.serve.accounts import add_user
from cronica.serve.process import ServerProcess
from cronica.store import Cronica

from browser_setup import ARGS, CHROMIUM, PASSWORD, require_browser, unavailable

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "cronica" / "samples"
sync_api = require_browser()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    tmp = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{tmp / 'cronica.db'}"
    with Cronica(url) as db:
        add_user(db.engine, "edna", PASSWORD, "editor")
        add_user(db.engine, "reed", PASSWORD, "reader")
    with ServerProcess(url, log=tmp / "server.log") as srv:
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        except Exception as exc:  # playwright raises its own Error types
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            unavailable(f"{CHROMIUM} cannot launch ({first})")
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CRONICA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _login(page, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(base + "/")


def test_editor_flow(server: ServerProcess, browser, shots: Path) -> None:  # type: ignore[no-untyped-def]
    base = server.url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/incidents")
    assert page.url.startswith(base + "/login")
    page.screenshot(path=str(shots / "01-login.png"))
    _login(page, base, "edna")

    for name in ("culiacan-2019.txt", "otoniel-2021.txt"):
        page.goto(base + "/ingest")
        page.set_input_files("input[type=file]", str(SAMPLES / name))
        page.click("form.stack button[type=submit]", timeout=300_000)
        page.wait_for_selector(".ok-box", timeout=300_000)
        assert "added" in page.inner_text(".ok-box")
    page.screenshot(path=str(shots / "02-ingested.png"), full_page=True)

    page.goto(base + "/")
    assert page.locator("svg.chart").count() == 1
    page.screenshot(path=str(shots / "03-overview.png"), full_page=True)

    page.goto(base + "/search")
    page.fill("input[name=q]", "Culiacán")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("table.grid tbody tr td a")
    assert page.locator(".facets h3").count() >= 3  # type, country, group (year only when dated)
    page.screenshot(path=str(shots / "04-search.png"), full_page=True)

    page.click("table.grid tbody tr td a >> nth=0")
    page.wait_for_url(re.compile(r".*/incidents/inc_[0-9a-f]+$"))
    incident_url = page.url
    page.screenshot(path=str(shots / "05-incident.png"), full_page=True)

    link = page.locator("a.ev").first
    evidence = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r".*/documents/doc_[0-9a-f]+#o\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"mark#{anchor}")
    assert target.count() == 1 and evidence.startswith(target.inner_text().strip()[:10])
    assert target.get_attribute("title")  # hover shows the field
    page.screenshot(path=str(shots / "06-article.png"), full_page=True)

    page.goto(incident_url)
    page.select_option("form.correct select[name=field]", "killed")
    page.fill("form.correct input[name=value]", "2")
    page.fill("form.correct input[name=note]", "checked against a second report")
    page.click("form.correct button[type=submit]")
    page.wait_for_url(incident_url)
    assert page.inner_text("#review-state") == "corrected"
    assert "checked against a second report" in page.inner_text("table.history")
    page.click("button[data-action=confirm]")
    page.wait_for_url(incident_url)
    assert page.inner_text("#review-state") == "confirmed"
    page.screenshot(path=str(shots / "07-reviewed.png"), full_page=True)

    actors = page.locator("table.kv a[href^='/actors/']")
    page.goto(base + (actors.first.get_attribute("href") if actors.count() else "/actors/Sinaloa%20Cartel"))
    assert page.locator("h1").count() == 1 and "Error" not in page.inner_text("h1")
    with page.expect_navigation():  # the actor itself is reviewed too; back on its profile
        page.click("#review button[data-action=confirm]")
    assert "/actors/" in page.url
    assert "confirmed" in page.inner_text("#review h2") and "edna" in page.inner_text("#review table.history")
    page.screenshot(path=str(shots / "08-actor.png"), full_page=True)
    page.goto(base + "/figures")
    page.screenshot(path=str(shots / "09-figures.png"), full_page=True)
    page.goto(base + "/map")
    page.wait_for_selector("#map[data-points]")
    assert page.locator("path.leaflet-interactive").count() > 20  # country outlines and points
    points = int(page.get_attribute("#map", "data-points") or 0)
    assert points > 0
    # every point is drawn either alone or inside a numbered cluster
    clustered = sum(int(t) for t in page.locator(".marker-cluster span").all_inner_texts())
    assert clustered <= points and (clustered > 0 or page.locator("path.leaflet-interactive").count() > points)
    page.screenshot(path=str(shots / "10-map.png"))
    assert errors == []
    ctx.close()


def test_reader_cannot_review(server: ServerProcess, browser, shots: Path) -> None:  # type: ignore[no-untyped-def]
    base = server.url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    _login(page, base, "reed")
    page.goto(base + "/incidents")
    rows = page.locator("table.grid tbody tr td a")
    if rows.count() == 0:
        pytest.skip("no incidents stored (the editor flow did not run first)")
    rows.first.click()
    page.wait_for_url(re.compile(r".*/incidents/inc_[0-9a-f]+$"))
    assert page.locator("button[data-action=reject]").count() == 0
    assert "Editors can confirm" in page.inner_text("main")
    page.screenshot(path=str(shots / "11-reader-incident.png"), full_page=True)
    # posting anyway (with a valid CSRF token taken from the page) is refused
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    incident_id = page.url.rsplit("/", 1)[1]
    resp = page.request.post(f"{base}/review/incident/{incident_id}", form={"action": "reject", "csrf": csrf})
    assert resp.status == 403
    ctx.close()
