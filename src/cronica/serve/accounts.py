"""Accounts of the workbench: users with roles, argon2 password hashes, API tokens and
server-side browser sessions.

Roles are ordered: ``reader`` (read) < ``editor`` (also ingest and review) < ``admin``
(also manage users). Passwords are stored as argon2id hashes; API tokens and session ids
are random strings stored only as their sha256. A session is a row of ``user_sessions``:
logout deletes it; a password change deletes every session of the user; revocation
deletes every session and every API token; deleting a user deletes all three. Every
function takes a SQLAlchemy ``Engine`` of a migrated Cronica database and raises
:class:`AccountError` (one line, naming the input and the problem) for bad input.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from cronica.store import schema as s

ROLES: tuple[str, ...] = s.USER_ROLES
_RANK = {r: i for i, r in enumerate(ROLES)}
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # longer input is refused before hashing (argon2 work grows with it)
_hasher = PasswordHasher()


class AccountError(ValueError):
    """Bad account input: a one-line message naming the input and the problem."""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or above it."""
        return _RANK[self.role] >= _RANK[role]


def _now(delta: float = 0.0) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=delta)).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    if not _NAME.match(name or ""):
        raise AccountError(f"user name {name!r} is invalid: use 1-64 letters, digits, '_', '.', '@' or '-'")
    return name


def check_password(name: str, password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"password for {name!r} is too short: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"password for {name!r} is too long: at most {MAX_PASSWORD} characters")
    return password


def add_user(engine: Engine, name: str, password: str, role: str = "reader") -> User:
    """Create a user; the name must be new, the password at least 8 characters."""
    check_name(name)
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    check_password(name, password)
    with engine.begin() as conn:
        if conn.execute(select(s.users.c.id).where(s.users.c.name == name)).first():
            raise AccountError(f"user {name!r} already exists")
        res = conn.execute(insert(s.users).values(name=name, password_hash=_hasher.hash(password), role=role,
                                                  created_at=_now()))
        return User(int(res.inserted_primary_key[0]), name, role)


def get_user(engine: Engine, name: str) -> User | None:
    with engine.connect() as conn:
        r = conn.execute(select(s.users.c.id, s.users.c.name, s.users.c.role).where(s.users.c.name == name)).first()
    return User(r.id, r.name, r.role) if r else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as conn:
        rows = conn.execute(select(s.users.c.id, s.users.c.name, s.users.c.role).order_by(s.users.c.name)).all()
    return [User(r.id, r.name, r.role) for r in rows]


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    """The user when ``password`` is right, else None (unknown user or wrong password)."""
    if not _NAME.match(name or "") or len(password or "") > MAX_PASSWORD:
        return None
    with engine.connect() as conn:
        r = conn.execute(select(s.users).where(s.users.c.name == name)).first()
    if r is None:
        _hasher.hash(password or "x")  # same work either way: no user enumeration by timing
        return None
    try:
        _hasher.verify(r.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return User(r.id, r.name, r.role)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(engine: Engine, name: str) -> str:
    """A new API token for user ``name`` (printed once; only its hash is stored)."""
    user = get_user(engine, name)
    if user is None:
        raise AccountError(f"user {name!r} does not exist")
    token = "cr_" + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(insert(s.api_tokens).values(user_id=user.id, token_hash=_token_hash(token), created_at=_now()))
    return token


def user_for_token(engine: Engine, token: str) -> User | None:
    """The user an API token belongs to, or None for an unknown token."""
    if not token:
        return None
    u, t = s.users, s.api_tokens
    with engine.connect() as conn:
        r = conn.execute(select(u.c.id, u.c.name, u.c.role).select_from(t.join(u, u.c.id == t.c.user_id))
                         .where(t.c.token_hash == _token_hash(token))).first()
    return User(r.id, r.name, r.role) if r else None


def _existing(engine: Engine, name: str) -> User:
    user = get_user(engine, name)
    if user is None:
        raise AccountError(f"user {name!r} does not exist")
    return user


def set_password(engine: Engine, name: str, password: str) -> int:
    """Change the password of ``name``; every browser session of the user ends (API
    tokens stay: see :func:`revoke`). Returns the number of sessions ended."""
    user = _existing(engine, name)
    check_password(name, password)
    with engine.begin() as conn:
        conn.execute(update(s.users).where(s.users.c.id == user.id).values(password_hash=_hasher.hash(password)))
        return int(conn.execute(delete(s.user_sessions).where(s.user_sessions.c.user_id == user.id)).rowcount)


def revoke(engine: Engine, name: str) -> tuple[int, int]:
    """End every browser session and delete every API token of ``name`` at once:
    (sessions ended, tokens revoked)."""
    user = _existing(engine, name)
    with engine.begin() as conn:
        n_s = conn.execute(delete(s.user_sessions).where(s.user_sessions.c.user_id == user.id)).rowcount
        n_t = conn.execute(delete(s.api_tokens).where(s.api_tokens.c.user_id == user.id)).rowcount
    return int(n_s), int(n_t)


def delete_user(engine: Engine, name: str) -> None:
    """Delete ``name`` with its sessions and tokens (review history keeps the name)."""
    user = _existing(engine, name)
    with engine.begin() as conn:
        conn.execute(delete(s.user_sessions).where(s.user_sessions.c.user_id == user.id))
        conn.execute(delete(s.api_tokens).where(s.api_tokens.c.user_id == user.id))
        conn.execute(delete(s.users).where(s.users.c.id == user.id))


def start_session(engine: Engine, user: User, max_age: int) -> str:
    """A new session id for ``user`` valid ``max_age`` seconds (only its hash is stored);
    expired sessions of every user are cleaned up on the way."""
    sid = secrets.token_urlsafe(32)
    now = _now()
    with engine.begin() as conn:
        conn.execute(delete(s.user_sessions).where(s.user_sessions.c.expires_at < now))
        conn.execute(insert(s.user_sessions).values(user_id=user.id, session_hash=_token_hash(sid), created_at=now,
                                                    expires_at=_now(max_age)))
    return sid


def end_session(engine: Engine, sid: str) -> None:
    """Forget one session id (logout); unknown ids are ignored."""
    with engine.begin() as conn:
        conn.execute(delete(s.user_sessions).where(s.user_sessions.c.session_hash == _token_hash(sid)))


def user_for_session(engine: Engine, sid: str) -> User | None:
    """The user of a live (stored, unexpired) session id, else None."""
    if not sid:
        return None
    u, t = s.users, s.user_sessions
    with engine.connect() as conn:
        r = conn.execute(select(u.c.id, u.c.name, u.c.role).select_from(t.join(u, u.c.id == t.c.user_id))
                         .where(t.c.session_hash == _token_hash(sid), t.c.expires_at >= _now())).first()
    return User(r.id, r.name, r.role) if r else None
