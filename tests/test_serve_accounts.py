"""Accounts: server-side sessions (logout, password change and revocation end them at
once), login throttling, and ``cronica user passwd / revoke-token / delete``, against a
real ``cronica serve`` process and a real SQLite file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from cronica.cli import main
from cronica.serve.accounts import (
    AccountError, add_user, authenticate, create_token, delete_user, revoke, set_password, start_session,
    user_for_session, user_for_token,
)
from cronica.serve.process import ServerProcess
from cronica.serve.security import LoginThrottle
from cronica.store import Cronica

PASSWORD = "correct horse battery"


def run(*args: str, input: str | None = None):  # noqa: A002
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("accounts")
    url = f"sqlite:///{tmp / 'cronica.db'}"
    with Cronica(url) as db:
        for name in ("rita", "paula", "tom", "dora", "bruno", "lena"):
            add_user(db.engine, name, PASSWORD, "reader")
    with ServerProcess(url, log=tmp / "server.log") as srv:
        yield {"url": srv.url, "db_url": url}


def login(site: dict, name: str, password: str = PASSWORD) -> tuple[httpx.Client, httpx.Response]:
    c = httpx.Client(base_url=site["url"], timeout=30, follow_redirects=False)
    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
    r = c.post("/login", data={"name": name, "password": password, "csrf": csrf, "next": "/"})
    return c, r


def csrf_of(c: httpx.Client) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get("/").text).group(1)


def stolen(site: dict, c: httpx.Client) -> httpx.Client:
    """Another client holding a copy of ``c``'s session cookie."""
    return httpx.Client(base_url=site["url"], timeout=30, cookies={"cronica_session": c.cookies["cronica_session"]})


def whoami(c: httpx.Client) -> int:
    return c.get("/api/v1/me").status_code


def test_logout_ends_the_session_on_the_server(site: dict) -> None:
    c, r = login(site, "rita")
    assert r.status_code == 303
    copy = stolen(site, c)
    assert whoami(copy) == 200
    assert c.post("/logout", data={"csrf": csrf_of(c)}).status_code == 303
    assert whoami(c) == 401
    assert whoami(copy) == 401  # the old cookie no longer works anywhere


def test_password_change_ends_sessions_and_keeps_tokens(site: dict) -> None:
    c, _ = login(site, "paula")
    copy = stolen(site, c)
    with Cronica(site["db_url"]) as db:
        token = create_token(db.engine, "paula")
    r = run("user", "passwd", "paula", "--password-stdin", "--db", site["db_url"], input="a-new-password\n")
    assert r.exit_code == 0 and r.output.strip() == "password of paula changed; 1 session(s) ended"
    assert whoami(c) == 401 and whoami(copy) == 401
    assert login(site, "paula")[1].status_code == 401
    assert login(site, "paula", "a-new-password")[1].status_code == 303
    assert httpx.get(site["url"] + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_revoke_token_ends_tokens_and_sessions_at_once(site: dict) -> None:
    c, _ = login(site, "tom")
    with Cronica(site["db_url"]) as db:
        tokens = [create_token(db.engine, "tom") for _ in range(2)]
    r = run("user", "revoke-token", "tom", "--db", site["db_url"])
    assert r.exit_code == 0 and r.output.strip() == "tom: 2 token(s) revoked, 1 session(s) ended"
    assert whoami(c) == 401
    for t in tokens:
        r = httpx.get(site["url"] + "/api/v1/me", headers={"Authorization": f"Bearer {t}"})
        assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_delete_user(site: dict) -> None:
    c, _ = login(site, "dora")
    r = run("user", "delete", "dora", "--db", site["db_url"])
    assert r.exit_code == 0 and r.output.strip() == "deleted dora"
    assert whoami(c) == 401
    assert login(site, "dora")[1].status_code == 401
    r = run("user", "delete", "dora", "--db", site["db_url"])
    assert r.exit_code == 1 and r.output.strip() == "Error: user 'dora' does not exist"
    r = run("user", "passwd", "ghost", "--password-stdin", "--db", site["db_url"], input="long enough\n")
    assert r.exit_code == 1 and r.output.strip() == "Error: user 'ghost' does not exist"
    r = run("user", "passwd", "lena", "--password-stdin", "--db", site["db_url"], input="short\n")
    assert r.exit_code == 1 and "too short" in r.output


def test_login_is_throttled_per_account(site: dict) -> None:
    codes = [login(site, "bruno", "wrong password")[1].status_code for _ in range(5)]
    assert codes == [401] * 5
    c, r = login(site, "bruno")  # even the right password, while throttled
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 800 and "Too many failed logins" in r.text
    assert whoami(c) == 401
    assert login(site, "lena")[1].status_code == 303  # other accounts are unaffected (under the address limit)


def test_throttle_windows() -> None:
    now = [1000.0]
    t = LoginThrottle(per_account=3, per_address=5, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert t.retry_after("Ana", "1.2.3.4") == 0
        t.failed("Ana", "1.2.3.4")
        now[0] += 1
    assert t.retry_after("ana", "9.9.9.9") == 57  # per account, whatever the address and case
    assert t.retry_after("bob", "1.2.3.4") == 0
    t.failed("bob", "1.2.3.4")
    t.failed("carl", "1.2.3.4")
    assert t.retry_after("dan", "1.2.3.4") == 57  # 5 failures from one address
    assert t.retry_after("dan", "5.5.5.5") == 0
    now[0] += 58
    assert t.retry_after("ana", "9.9.9.9") == 0
    t.succeeded("bob")
    assert t.retry_after("bob", "7.7.7.7") == 0


def test_throttle_memory_is_bounded() -> None:
    t = LoginThrottle(max_keys=100)
    for i in range(1000):
        t.failed(f"user{i}", f"10.0.{i // 250}.{i % 250}")
    assert len(t._fails) <= 100


def test_account_functions(tmp_path: Path) -> None:
    with Cronica(f"sqlite:///{tmp_path / 'a.db'}") as db:
        u = add_user(db.engine, "ana", PASSWORD, "editor")
        sid = start_session(db.engine, u, 3600)
        assert user_for_session(db.engine, sid) == u
        expired = start_session(db.engine, u, -1)
        assert user_for_session(db.engine, expired) is None
        assert user_for_session(db.engine, "made-up") is None
        sid2 = start_session(db.engine, u, 3600)  # cleans up the expired one on the way
        token = create_token(db.engine, "ana")
        assert set_password(db.engine, "ana", "another password") == 2  # the two live sessions
        assert user_for_session(db.engine, sid2) is None
        assert user_for_session(db.engine, sid) is None and user_for_token(db.engine, token) == u
        assert authenticate(db.engine, "ana", "another password") == u
        assert authenticate(db.engine, "ana", "x" * 5000) is None
        assert revoke(db.engine, "ana") == (0, 1)
        delete_user(db.engine, "ana")
        with pytest.raises(AccountError, match="'ana' does not exist"):
            revoke(db.engine, "ana")
        with pytest.raises(AccountError, match="too long"):
            add_user(db.engine, "bea", "p" * 1025)
