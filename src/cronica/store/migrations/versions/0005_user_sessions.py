"""Server-side browser sessions of the workbench.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The session cookie used to be the whole session (valid until it expired, even after
logout). Now it carries a random session id whose sha256 is a row of ``user_sessions``,
checked on every request: logout, a password change, ``cronica user revoke-token`` and
``cronica user delete`` delete the rows and so end the sessions at once. Frozen copy of
the ``user_sessions`` table of ``cronica.store.schema`` at 0005.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("session_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_user_sessions_user", "user_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_user_sessions_user", table_name="user_sessions")
    op.drop_table("user_sessions")
