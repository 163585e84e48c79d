"""Who is asking, and may they: sessions, API tokens, roles and CSRF.

* Browser sessions live in one signed cookie (``cronica_session``, itsdangerous, HttpOnly,
  SameSite=Lax) holding the user name and a CSRF token; every visitor gets one so the
  login form is protected too.
* The API also accepts ``Authorization: Bearer <token>`` (see ``cronica user token``).
* Every state-changing request made with the session cookie must carry the session's
  CSRF token: form field ``csrf`` for pages, header ``X-CSRF-Token`` for the API.
  Bearer-token requests need none (a browser never adds that header by itself).
* Reading needs a login unless the server runs with ``--public``; ingesting and review
  need ``editor``; user management needs ``admin``.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from cronica.serve.accounts import User, get_user, user_for_token

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

    def login(self, name: str) -> None:
        self.data = {"u": name, "csrf": secrets.token_urlsafe(24)}  # new token on login
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
        name = session_of(request).data.get("u")
        user = get_user(engine, name) if name else None
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
