"""Accounts of the workbench: users with roles, argon2 password hashes and API tokens.

Roles are ordered: ``reader`` (read) < ``editor`` (also ingest and review) < ``admin``
(also manage users). Passwords are stored as argon2id hashes; API tokens are random
strings shown once and stored as their sha256. Every function takes a SQLAlchemy
``Engine`` of a migrated Cronica database and raises :class:`AccountError` (one line,
naming the input and the problem) for bad input.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, insert, select

from cronica.store import schema as s

ROLES: tuple[str, ...] = s.USER_ROLES
_RANK = {r: i for i, r in enumerate(ROLES)}
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
MIN_PASSWORD = 8
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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    if not _NAME.match(name or ""):
        raise AccountError(f"user name {name!r} is invalid: use 1-64 letters, digits, '_', '.', '@' or '-'")
    return name


def add_user(engine: Engine, name: str, password: str, role: str = "reader") -> User:
    """Create a user; the name must be new, the password at least 8 characters."""
    check_name(name)
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"password for {name!r} is too short: at least {MIN_PASSWORD} characters")
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
