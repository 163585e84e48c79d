"""Indexes for paging incident lists at any depth.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

``Cronica.incidents`` first finds a page with a narrow query over ``incidents`` alone
(ids in sort order, filters), then loads only that page's rows. These composite indexes
let that narrow query read the ids in sort order straight from an index, without a sort
and without touching the wide table rows:

* ``ix_incidents_page_date``: ``ORDER BY date_start IS NULL, date_start, id`` (sort=date),
  with ``date_end`` and ``review_state`` so date-range filters are answered from the index;
* ``ix_incidents_page_date_desc``: the same for sort=-date (newest first, undated last);
* ``ix_incidents_page_killed``: sort=killed / -killed.

The expressions match what ``Cronica.incidents`` sorts by, on SQLite and PostgreSQL alike.
Frozen copy of the indexes of ``cronica.store.schema`` at version 0003.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES: dict[str, list[str]] = {
    "ix_incidents_page_date": ["(date_start IS NULL)", "date_start", "id", "review_state", "date_end"],
    "ix_incidents_page_date_desc": ["(date_start IS NULL)", "date_start DESC", "id", "review_state", "date_end"],
    "ix_incidents_page_killed": ["(killed IS NULL)", "killed", "id", "review_state"],
}


def upgrade() -> None:
    for name, cols in INDEXES.items():
        op.create_index(name, "incidents", [sa.text(c) for c in cols])


def downgrade() -> None:
    for name in reversed(list(INDEXES)):
        op.drop_index(name, table_name="incidents")
