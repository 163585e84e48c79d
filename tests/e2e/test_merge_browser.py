"""End-to-end: one incident from three reports, in a real browser (Debian's chromium via
Playwright) against a real ``cronica serve`` process.

An editor ingests three reports of one attack (tests/data/merge/reports.jsonl: one Spanish,
two English) through the ingest form, sees one incident with three reports and a low /
best / high toll, splits the Spanish report off, re-ingests a corrected version of it, and
the split holds. Skipped like tests/e2e/test_serve_browser.py when no browser can start.
Screenshots go to ``$CRONICA_SCREENSHOTS`` (else the test's tmp folder)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cronica.serve.accounts import add_user
from cronica.serve.process import ServerProcess
from cronica.store import Cronica

from browser_setup import ARGS, CHROMIUM, PASSWORD, require_browser, unavailable

DATA = Path(__file__).resolve().parents[1] / "data" / "merge" / "reports.jsonl"
sync_api = require_browser()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    tmp = tmp_path_factory.mktemp("e2e-merge")
    url = f"sqlite:///{tmp / 'cronica.db'}"
    with Cronica(url) as db:
        add_user(db.engine, "edna", PASSWORD, "editor")
    with ServerProcess(url, log=tmp / "server.log") as srv:
        yield srv


def _ingest(page, base: str, art: dict) -> str:  # type: ignore[no-untyped-def]
    page.goto(base + "/ingest")
    page.fill("textarea[name=text]", art["text"])
    page.fill("input[name=url]", art["url"])
    page.fill("input[name=title]", art["title"])
    page.fill("input[name=published]", art["published"])
    page.click("form.stack button[type=submit]", timeout=300_000)
    page.wait_for_selector(".ok-box", timeout=300_000)
    return page.inner_text(".ok-box")


def test_three_reports_one_incident_split_holds(server: ServerProcess, tmp_path: Path) -> None:
    shots = Path(os.environ.get("CRONICA_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    arts = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()][:3]
    base = server.url
    with sync_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        except Exception as exc:  # playwright raises its own Error types
            unavailable(f"{CHROMIUM} cannot launch ({str(exc).strip().splitlines()[0]})")
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "/login")
        page.fill("input[name=name]", "edna")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.stack button[type=submit]")
        page.wait_for_url(base + "/")
        for art in arts:
            assert "added" in _ingest(page, base, art)

        page.goto(base + "/incidents?type=bombing")
        page.click("table.grid tbody tr td a >> nth=0")
        page.wait_for_selector("#merged")
        assert "One incident, 3 reports" in page.inner_text("#merged h2")
        assert page.locator("#reports tbody tr").count() == 3
        assert sorted(page.locator("#reports tbody tr td:nth-child(3)").all_inner_texts()) == ["en", "en", "es"]
        killed = page.locator("#tolls tbody tr").first.inner_text()
        assert killed.split("\t")[:4] == ["killed", "1", "3", "3"]  # low, best, high
        page.screenshot(path=str(shots / "merge-page.png"), full_page=True)

        spanish = page.locator("#reports tbody tr", has_text="es").filter(has_text="2024-09-17").first
        es_id = spanish.get_attribute("data-report")
        spanish.locator("button[data-action=split]").click()
        page.wait_for_url(f"{base}/incidents/{es_id}")
        assert page.locator("#reports tbody tr").count() == 1

        corrected = dict(arts[0], text=arts[0]["text"] + "\n\nActualización: el Ejército confirmó el balance.")
        assert "replaced" in _ingest(page, base, corrected)  # the same URL, a changed text
        page.goto(f"{base}/incidents/{es_id}")
        assert page.locator("#reports tbody tr").count() == 1  # the split holds
        page.goto(base + "/incidents?type=bombing")
        page.click("table.grid tbody tr td a >> nth=0")
        page.wait_for_selector("#merged")
        page.screenshot(path=str(shots / "merge-after-split.png"), full_page=True)
        assert not errors, errors
        browser.close()
