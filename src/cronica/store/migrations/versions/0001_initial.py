"""Initial schema: documents, incidents, actors, figures, quotes, provenance, full text.

Revision ID: 0001
Revises:
Create Date: 2026-11-29

Frozen copy of the tables in ``cronica.store.schema`` at version 0001 (a migration must
not change when the model moves on). Full text is dialect specific: FTS5 virtual tables
on SQLite, ``to_tsvector('simple', ...)`` GIN indexes on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_REVIEW = "review_state IN ('unreviewed', 'confirmed', 'corrected', 'rejected')"


def _review_state() -> sa.Column:
    return sa.Column("review_state", sa.String(16), nullable=False, server_default="unreviewed")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("language", sa.String(8)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source_path", sa.Text),
        sa.Column("raw_format", sa.String(16)),
        sa.Column("ingested_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "actors",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("canonical", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("parent", sa.Text),
        sa.Column("known", sa.Boolean, nullable=False),
    )
    op.create_table(
        "actor_aliases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("actor_id", sa.String(64), sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("alias", sa.Text, nullable=False),
        sa.Column("language", sa.String(8)),
        sa.UniqueConstraint("actor_id", "alias", name="uq_actor_aliases_actor_alias"),
    )
    op.create_index("ix_actor_aliases_alias", "actor_aliases", ["alias"])
    op.create_table(
        "actor_roles",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("actor_id", sa.String(64), sa.ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("organization", sa.Text),
        sa.Column("country", sa.String(2)),
        sa.Column("current", sa.Boolean),
        sa.Column("as_of", sa.String(10)),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_actor_roles_actor", "actor_roles", ["actor_id"])
    op.create_index("ix_actor_roles_document", "actor_roles", ["document_id"])
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("date_precision", sa.String(8)),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("location_name", sa.Text),
        sa.Column("location_admin1", sa.Text),
        sa.Column("location_country", sa.String(2)),
        sa.Column("location_lat", sa.Float),
        sa.Column("location_lon", sa.Float),
        sa.Column("location_precision", sa.String(16)),
        sa.Column("killed", sa.Integer),
        sa.Column("killed_qualifier", sa.String(16)),
        sa.Column("wounded", sa.Integer),
        sa.Column("wounded_qualifier", sa.String(16)),
        sa.Column("kidnapped", sa.Integer),
        sa.Column("kidnapped_qualifier", sa.String(16)),
        sa.Column("arrested", sa.Integer),
        sa.Column("arrested_qualifier", sa.String(16)),
        sa.Column("weapons", sa.JSON, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        _review_state(),
        sa.CheckConstraint(_REVIEW, name="ck_incidents_review_state"),
    )
    op.create_index("ix_incidents_document", "incidents", ["document_id"])
    op.create_index("ix_incidents_type", "incidents", ["type"])
    op.create_index("ix_incidents_date_start", "incidents", ["date_start"])
    op.create_table(
        "incident_actors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("actor_id", sa.String(64), sa.ForeignKey("actors.id", ondelete="SET NULL")),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("canonical", sa.Text),
        sa.Column("kind", sa.String(32)),
        sa.CheckConstraint("role IN ('perpetrator', 'target')", name="ck_incident_actors_role"),
    )
    op.create_index("ix_incident_actors_incident", "incident_actors", ["incident_id"])
    op.create_index("ix_incident_actors_actor", "incident_actors", ["actor_id"])
    op.create_table(
        "figures",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("indicator", sa.Text, nullable=False),
        sa.Column("subject", sa.Text),
        sa.Column("value", sa.Float),
        sa.Column("low", sa.Float),
        sa.Column("high", sa.Float),
        sa.Column("qualifier", sa.String(16)),
        sa.Column("unit", sa.Text),
        sa.Column("period", sa.String(21)),
        sa.Column("place", sa.Text),
        sa.Column("place_country", sa.String(2)),
        sa.Column("attributed_to", sa.Text),
        _review_state(),
        sa.CheckConstraint(_REVIEW, name="ck_figures_review_state"),
    )
    op.create_index("ix_figures_document", "figures", ["document_id"])
    op.create_index("ix_figures_indicator", "figures", ["indicator"])
    op.create_table(
        "quotes",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("speaker", sa.Text),
        sa.Column("speaker_role", sa.Text),
        sa.Column("speaker_actor_id", sa.String(64)),
        sa.Column("text", sa.Text, nullable=False),
        _review_state(),
        sa.CheckConstraint(_REVIEW, name="ck_quotes_review_state"),
    )
    op.create_index("ix_quotes_document", "quotes", ["document_id"])
    op.create_table(
        "provenance",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_kind", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_provenance_record", "provenance", ["record_kind", "record_id"])
    op.create_index("ix_provenance_document", "provenance", ["document_id"])

    if op.get_bind().dialect.name == "sqlite":
        tok = "tokenize = 'unicode61 remove_diacritics 2'"
        op.execute(f"CREATE VIRTUAL TABLE documents_fts USING fts5(document_id UNINDEXED, title, text, {tok})")
        op.execute(
            "CREATE VIRTUAL TABLE records_fts USING fts5("
            f"record_kind UNINDEXED, record_id UNINDEXED, document_id UNINDEXED, text, {tok})"
        )
    else:
        op.execute(
            "CREATE INDEX ix_documents_fts ON documents USING GIN "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || text))"
        )
        op.create_table(
            "records_fts",
            sa.Column("record_kind", sa.Text, nullable=False),
            sa.Column("record_id", sa.Text, nullable=False),
            sa.Column("document_id", sa.Text),
            sa.Column("text", sa.Text, nullable=False),
        )
        op.create_index("ix_records_fts_record", "records_fts", ["record_kind", "record_id"])
        op.create_index("ix_records_fts_document", "records_fts", ["document_id"])
        op.execute("CREATE INDEX ix_records_fts_text ON records_fts USING GIN (to_tsvector('simple', text))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS records_fts")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    else:
        op.drop_table("records_fts")
        op.execute("DROP INDEX IF EXISTS ix_documents_fts")
    for name in ("provenance", "quotes", "figures", "incident_actors", "incidents", "actor_roles",
                 "actor_aliases", "actors", "documents"):
        op.drop_table(name)
