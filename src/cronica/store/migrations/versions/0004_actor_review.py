"""Review states for actors and their roles.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Editors can confirm, correct or reject an actor (its canonical name or kind: "Ayacucho"
tagged as a person is rejected, a group filed as an organisation is corrected to
criminal_group) and each dated role found for it ("Defense Minister", evidence in one
article). Like incidents, figures and quotes, a rejected actor or role is kept but left
out of every query. Frozen copy of the columns of ``cronica.store.schema`` at 0004.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CHECK = "review_state IN ('unreviewed', 'confirmed', 'corrected', 'rejected')"
TABLES = ("actors", "actor_roles")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("review_state", sa.String(16), nullable=False,
                                       server_default="unreviewed"))
            batch.create_check_constraint(f"ck_{table}_review_state", CHECK)


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"ck_{table}_review_state", type_="check")
            batch.drop_column("review_state")
