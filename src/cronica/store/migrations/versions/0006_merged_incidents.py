"""Merged incidents: one incident from many reports.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Every stored incident is one article's *report*; reports of one event are grouped into a
merged incident (see ``cronica.store.merges`` and docs/merging.md):

* ``incidents.merged_id``: the id of the merged incident (the smallest incident id of the
  group; its own id when it stands alone), indexed; existing rows start alone;
* the paging indexes of 0003 get ``merged_id`` as a last column, so lists of merged
  incidents (``merged_id = id``) are still read from the index;
* ``ix_incidents_resolve`` (type, date_start, date_end): candidate reports of a new one;
* ``merge_links``: the pairs inside each merged incident with their score and reasons;
* ``merge_constraints``: editors' splits (``cannot``) and merges (``must``).

Frozen copy of those parts of ``cronica.store.schema`` at 0006.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD_INDEXES: dict[str, list[str]] = {
    "ix_incidents_page_date": ["(date_start IS NULL)", "date_start", "id", "review_state", "date_end"],
    "ix_incidents_page_date_desc": ["(date_start IS NULL)", "date_start DESC", "id", "review_state", "date_end"],
    "ix_incidents_page_killed": ["(killed IS NULL)", "killed", "id", "review_state"],
}


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("merged_id", sa.String(64)))
    op.execute("UPDATE incidents SET merged_id = id")
    for name, cols in OLD_INDEXES.items():
        op.drop_index(name, table_name="incidents")
        op.create_index(name, "incidents", [sa.text(c) for c in [*cols, "merged_id"]])
    op.create_index("ix_incidents_merged", "incidents", ["merged_id"])
    op.create_index("ix_incidents_resolve", "incidents", ["type", "date_start", "date_end"])
    op.create_table(
        "merge_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("merged_id", sa.String(64), nullable=False),
        sa.Column("incident_a", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("incident_b", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("agreed", sa.JSON, nullable=False),
        sa.Column("conflicted", sa.JSON, nullable=False),
    )
    op.create_index("ix_merge_links_merged", "merge_links", ["merged_id"])
    op.create_index("ix_merge_links_a", "merge_links", ["incident_a"])
    op.create_index("ix_merge_links_b", "merge_links", ["incident_b"])
    op.create_table(
        "merge_constraints",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_a", sa.String(64), nullable=False),
        sa.Column("incident_b", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("incident_a", "incident_b", name="uq_merge_constraints_pair"),
        sa.CheckConstraint("kind IN ('must', 'cannot')", name="ck_merge_constraints_kind"),
    )
    op.create_index("ix_merge_constraints_b", "merge_constraints", ["incident_b"])


def downgrade() -> None:
    op.drop_index("ix_merge_constraints_b", table_name="merge_constraints")
    op.drop_table("merge_constraints")
    for name in ("ix_merge_links_b", "ix_merge_links_a", "ix_merge_links_merged"):
        op.drop_index(name, table_name="merge_links")
    op.drop_table("merge_links")
    op.drop_index("ix_incidents_resolve", table_name="incidents")
    op.drop_index("ix_incidents_merged", table_name="incidents")
    for name, cols in OLD_INDEXES.items():
        op.drop_index(name, table_name="incidents")
        op.create_index(name, "incidents", [sa.text(c) for c in cols])
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("merged_id")
