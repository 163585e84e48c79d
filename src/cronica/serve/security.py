"""Who is asking, and may they: sessions, API tokens, roles and CSRF.

* Browser sessions: a signed cookie (``cronica_session``, itsdangerous, HttpOnly,
  SameSite=Lax) holds a CSRF token and, once logged in, a random session id that must be
  a live row of ``user_sessions`` on every request (see :mod:`cronica.serve.accounts`):
  logout, a password change and revocation end sessions on the server, not only in the
  browser. Every visitor gets a cookie so the login form is protected too.
* Login throttling (:class:`LoginThrottle`): after 5 failed logins for one account, or
  20 from one client address, within 15 minutes, further attempts are refused with 429
  and ``Retry-After`` until the oldest failure leaves the window.
* The API also accepts ``Authorization: Bearer <token>`` (see ``cronica user token``).
* Every state-changing request made with the session cookie must carry the session's
  CSRF token: form field ``csrf`` for pages, header ``X-CSRF-Token`` for the API.
  Bearer-token requests need none (a browser never adds that header by itself).
* Reading needs a login unless the server runs with ``--public``; ingesting and review
  need ``editor``; user management needs ``admin``.
"""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from cronica.serve.accounts import User, user_for_session, user_for_token

COOKIE = "cronica_session"
MAX_AGE = 14 * 24 * 3600


class LoginRequired(Exception):
    """No (valid) credentials for something that needs them (HTTP 401 / redirect to login)."""

    def __init__(self, message: str = "login required") -> None:
        super().__init__(message)


class Forbidden(Exception):
    """Logged in, but the role does not allow it, or the CSRF token is wrong (HTTP 403)."""


@dataclass
class Session:
    data: dict[str, Any]
    changed: bool = False

    @property
    def csrf(self) -> str:
        return str(self.data["csrf"])

    @property
    def sid(self) -> str | None:
        sid = self.data.get("sid")
        return sid if isinstance(sid, str) else None

    def login(self, sid: str) -> None:
        self.data = {"sid": sid, "csrf": secrets.token_urlsafe(24)}  # new token on login
        self.changed = True

    def logout(self) -> None:
        self.data = {"csrf": secrets.token_urlsafe(24)}
        self.changed = True


class SessionCodec:
    """Signs and reads the session cookie."""

    def __init__(self, secret: str) -> None:
        self._s = URLSafeTimedSerializer(secret, salt="cronica-session")

    def load(self, cookie: str | None) -> Session:
        if cookie:
            try:
                data = self._s.loads(cookie, max_age=MAX_AGE)
                if isinstance(data, dict) and isinstance(data.get("csrf"), str):
                    return Session(data)
            except BadSignature:
                pass
        return Session({"csrf": secrets.token_urlsafe(24)}, changed=True)

    def dump(self, session: Session) -> str:
        return self._s.dumps(session.data)


def session_of(request: Request) -> Session:
    return request.state.session  # set by the middleware in cronica.serve.app


def current_user(request: Request) -> User | None:
    """The user behind a Bearer token or the session cookie; LoginRequired for a bad token."""
    if hasattr(request.state, "user"):
        return request.state.user
    engine = request.app.state.wb.db.engine
    auth = request.headers.get("authorization", "")
    user: User | None = None
    if auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise LoginRequired("Authorization header must be 'Bearer <token>'")
        user = user_for_token(engine, token.strip())
        if user is None:
            raise LoginRequired("API token is unknown or revoked")
        request.state.via_token = True
    else:
        sid = session_of(request).sid
        user = user_for_session(engine, sid) if sid else None
    request.state.user = user
    return user


def require_read(request: Request) -> User | None:
    """FastAPI dependency: anyone in --public mode, else a logged-in user."""
    user = current_user(request)
    if user is None and not request.app.state.wb.public:
        raise LoginRequired()
    return user


def _require(request: Request, role: str) -> User:
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    if not user.can(role):
        raise Forbidden(f"user {user.name!r} is a {user.role}; this needs the {role} role")
    return user


def require_editor(request: Request) -> User:
    """FastAPI dependency: an editor or admin."""
    return _require(request, "editor")


def require_admin(request: Request) -> User:
    """FastAPI dependency: an admin."""
    return _require(request, "admin")


def check_csrf(request: Request, submitted: str | None) -> None:
    """Forbidden unless ``submitted`` is this session's CSRF token (token requests pass)."""
    if getattr(request.state, "via_token", False):
        return
    if not submitted or not hmac.compare_digest(submitted, session_of(request).csrf):
        raise Forbidden("CSRF token missing or wrong: reload the page and try again")


@dataclass
class LoginThrottle:
    """Failed logins per account and per client address within a sliding window.

    :meth:`retry_after` gives the seconds to wait (0 = may try); :meth:`failed` records a
    failure; :meth:`succeeded` clears the account's failures (not the address's, so one
    known password does not reset an address that tries many accounts). In memory, per
    process; at most ``max_keys`` keys are kept (the stalest are dropped first).
    """

    per_account: int = 5
    per_address: int = 20
    window: float = 15 * 60
    max_keys: int = 100_000
    clock: Callable[[], float] = time.monotonic
    _fails: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails.get(key)
        if q is None:
            return deque()
        while q and q[0] <= now - self.window:
            q.popleft()
        if not q:
            del self._fails[key]
        return q

    def retry_after(self, account: str, address: str) -> int:
        now = self.clock()
        with self._lock:
            wait = 0.0
            for key, limit in ((f"u:{account.lower()}", self.per_account), (f"a:{address}", self.per_address)):
                q = self._recent(key, now)
                if len(q) >= limit:
                    wait = max(wait, q[len(q) - limit] + self.window - now)
            return max(1, math.ceil(wait)) if wait > 0 else 0

    def failed(self, account: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._fails) >= self.max_keys:
                for key in sorted(self._fails, key=lambda k: self._fails[k][-1])[: self.max_keys // 10]:
                    del self._fails[key]
            for key in (f"u:{account.lower()}", f"a:{address}"):
                self._fails.setdefault(key, deque()).append(now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._fails.pop(f"u:{account.lower()}", None)
