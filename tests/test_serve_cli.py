"""``cronica user add/token/list`` and ``cronica serve`` argument errors."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cronica.cli import main
from cronica.serve.accounts import authenticate, user_for_token
from cronica.store import Cronica


def run(*args: str, input: str | None = None):  # noqa: A002
    return CliRunner().invoke(main, list(args), input=input)


def test_user_add_token_and_list(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    r = run("user", "add", "maria", "--role", "editor", "--password-stdin", "--db", db, input="s3cret-pass\n")
    assert r.exit_code == 0 and r.output.strip() == "added maria (editor)"
    r = run("user", "add", "luis", "--db", db, input="another-pass\nanother-pass\n")  # prompted twice
    assert r.exit_code == 0, r.output
    token = run("user", "token", "maria", "--db", db).output.strip()
    assert token.startswith("cr_")
    assert run("user", "list", "--db", db).output.splitlines() == ["luis\treader", "maria\teditor"]
    with Cronica(db) as c:
        assert authenticate(c.engine, "maria", "s3cret-pass").role == "editor"
        assert authenticate(c.engine, "maria", "wrong-pass") is None
        assert user_for_token(c.engine, token).name == "maria"


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    r = run("user", "add", "ana", "--password-stdin", "--db", db, input="short\n")
    assert r.exit_code == 1 and r.output.strip() == "Error: password for 'ana' is too short: at least 8 characters"
    r = run("user", "add", "bad name", "--password-stdin", "--db", db, input="long enough\n")
    assert r.exit_code == 2 and "user name 'bad name' is invalid" in r.output
    r = run("user", "add", "ana", "--role", "boss", "--password-stdin", "--db", db, input="long enough\n")
    assert r.exit_code == 2 and "'boss' is not one of" in r.output
    run("user", "add", "ana", "--password-stdin", "--db", db, input="long enough\n")
    r = run("user", "add", "ana", "--password-stdin", "--db", db, input="long enough\n")
    assert r.exit_code == 1 and r.output.strip() == "Error: user 'ana' already exists"
    r = run("user", "token", "ghost", "--db", db)
    assert r.exit_code == 1 and r.output.strip() == "Error: user 'ghost' does not exist"


def test_serve_reports_a_bad_database(tmp_path: Path) -> None:
    r = run("serve", "--db", f"sqlite:///{tmp_path / 'missing' / 'c.db'}")
    assert r.exit_code == 1 and "does not exist" in r.output and "Traceback" not in r.output
    r = run("serve", "--port", "70000")
    assert r.exit_code == 2 and "70000" in r.output


def test_serve_rejects_a_bad_tile_url(tmp_path: Path) -> None:
    r = run("serve", "--db", f"sqlite:///{tmp_path / 'c.db'}", "--tiles", "ftp://tiles.example.org/x.png")
    assert r.exit_code == 1 and "tile URL 'ftp://tiles.example.org/x.png'" in r.output and "{z}/{x}/{y}" in r.output


def test_map_page_carries_the_tile_setting(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from cronica.serve.app import create_app

    db = f"sqlite:///{tmp_path / 'c.db'}"
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    with TestClient(create_app(db, public=True, tiles=url, tiles_attribution="© Example")) as client:
        html = client.get("/map").text
        assert f'data-tiles="{url}"' in html and 'data-tiles-attribution="© Example"' in html
        assert "leaflet.markercluster.js" in html
        assert client.get("/static/vendor/leaflet.markercluster/leaflet.markercluster.js").status_code == 200
    with TestClient(create_app(db, public=True)) as client:  # offline default: no tiles
        assert "data-tiles" not in client.get("/map").text
