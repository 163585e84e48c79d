"""The relational schema (SQLAlchemy Core), identical on SQLite and PostgreSQL.

This module is the *model*; the database is built by the Alembic migrations in
``cronica/store/migrations`` (``0001_initial`` creates exactly these tables, a test
checks that they agree). Full-text tables are dialect specific and live outside
:data:`metadata`:

* SQLite: FTS5 virtual tables ``documents_fts(document_id UNINDEXED, title, text)`` and
  ``records_fts(record_kind UNINDEXED, record_id UNINDEXED, document_id UNINDEXED, text)``.
* PostgreSQL: a GIN index on ``to_tsvector('simple', title || ' ' || text)`` of
  ``documents``, and a plain ``records_fts`` table with a GIN index on
  ``to_tsvector('simple', text)``.

:data:`records_fts` describes the columns both dialects share so save/delete code can
write to it with Core statements.

Record ids (documents, incidents, actors, figures, quotes) are the ids carried by the
records themselves (deterministic, see :func:`cronica.records.stable_id`), so they stay
stable across re-saves and can be referenced by later review history.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Column, Float, ForeignKey, Index, Integer, MetaData, String,
    Table, Text, UniqueConstraint,
)

REVIEW_STATES: tuple[str, ...] = ("unreviewed", "confirmed", "corrected", "rejected")
ROLES_IN_INCIDENT: tuple[str, ...] = ("perpetrator", "target")
RECORD_KINDS: tuple[str, ...] = ("document", "incident", "actor", "figure", "quote")

metadata = MetaData()

_review_check = "review_state IN ('unreviewed', 'confirmed', 'corrected', 'rejected')"

documents = Table(
    "documents", metadata,
    Column("id", String(64), primary_key=True),
    Column("url", Text),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("outlet", Text),
    Column("published", String(10)),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("source_path", Text),
    Column("raw_format", String(16)),
    Column("ingested_at", String(32), nullable=False),
)

actors = Table(
    "actors", metadata,
    Column("id", String(64), primary_key=True),
    Column("canonical", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("country", String(2)),
    Column("parent", Text),
    Column("known", Boolean, nullable=False, default=False),
    Column("review_state", String(16), nullable=False, default="unreviewed", server_default="unreviewed"),
    CheckConstraint(_review_check, name="ck_actors_review_state"),
)

actor_aliases = Table(
    "actor_aliases", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor_id", String(64), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("language", String(8)),
    UniqueConstraint("actor_id", "alias", name="uq_actor_aliases_actor_alias"),
)
Index("ix_actor_aliases_alias", actor_aliases.c.alias)

actor_roles = Table(
    "actor_roles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor_id", String(64), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("organization", Text),
    Column("country", String(2)),
    Column("current", Boolean),
    Column("as_of", String(10)),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("review_state", String(16), nullable=False, default="unreviewed", server_default="unreviewed"),
    CheckConstraint(_review_check, name="ck_actor_roles_review_state"),
)
Index("ix_actor_roles_actor", actor_roles.c.actor_id)
Index("ix_actor_roles_document", actor_roles.c.document_id)

incidents = Table(
    "incidents", metadata,
    Column("id", String(64), primary_key=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("date", String(10)),
    Column("date_precision", String(8)),
    Column("date_start", String(10)),  # first day the date may mean (for range filters)
    Column("date_end", String(10)),  # last day the date may mean
    Column("location_name", Text),
    Column("location_admin1", Text),
    Column("location_country", String(2)),
    Column("location_lat", Float),
    Column("location_lon", Float),
    Column("location_precision", String(16)),
    Column("killed", Integer),
    Column("killed_qualifier", String(16)),
    Column("wounded", Integer),
    Column("wounded_qualifier", String(16)),
    Column("kidnapped", Integer),
    Column("kidnapped_qualifier", String(16)),
    Column("arrested", Integer),
    Column("arrested_qualifier", String(16)),
    Column("weapons", JSON, nullable=False),
    Column("confidence", Float, nullable=False, default=1.0),
    Column("data", JSON, nullable=False),
    Column("review_state", String(16), nullable=False, default="unreviewed", server_default="unreviewed"),
    # The merged incident this report belongs to: the smallest incident id of its group
    # (its own id when it stands alone); see cronica.store.merges (migration 0006).
    Column("merged_id", String(64)),
    CheckConstraint(_review_check, name="ck_incidents_review_state"),
)
Index("ix_incidents_document", incidents.c.document_id)
Index("ix_incidents_type", incidents.c.type)
Index("ix_incidents_date_start", incidents.c.date_start)
# Paging indexes (migration 0003): the sort keys of Cronica.incidents, then id, then what
# the narrow page query filters on, so a page at any offset is read from the index.
# Migration 0006 adds merged_id to them: lists keep one row per merged incident
# (merged_id = id), still answered from the index.
Index("ix_incidents_page_date", incidents.c.date_start.is_(None), incidents.c.date_start, incidents.c.id,
      incidents.c.review_state, incidents.c.date_end, incidents.c.merged_id)
Index("ix_incidents_page_date_desc", incidents.c.date_start.is_(None), incidents.c.date_start.desc(),
      incidents.c.id, incidents.c.review_state, incidents.c.date_end, incidents.c.merged_id)
Index("ix_incidents_page_killed", incidents.c.killed.is_(None), incidents.c.killed, incidents.c.id,
      incidents.c.review_state, incidents.c.merged_id)
# Resolution (migration 0006): the members of a merged incident, and the candidates of a
# new report (type family, then the date window; country is checked on the few rows left).
Index("ix_incidents_merged", incidents.c.merged_id)
Index("ix_incidents_resolve", incidents.c.type, incidents.c.date_start, incidents.c.date_end)

merge_links = Table(
    "merge_links", metadata,  # the pairs of reports inside each merged incident, with the reasons
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("merged_id", String(64), nullable=False),
    Column("incident_a", String(64), ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("incident_b", String(64), ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("score", Float),  # None: joined by an editor's merge despite a hard conflict
    Column("agreed", JSON, nullable=False),
    Column("conflicted", JSON, nullable=False),
)
Index("ix_merge_links_merged", merge_links.c.merged_id)
Index("ix_merge_links_a", merge_links.c.incident_a)
Index("ix_merge_links_b", merge_links.c.incident_b)

merge_constraints = Table(
    "merge_constraints", metadata,  # editors' decisions; no FK: they outlive re-saves
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_a", String(64), nullable=False),  # incident_a < incident_b
    Column("incident_b", String(64), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("incident_a", "incident_b", name="uq_merge_constraints_pair"),
    CheckConstraint("kind IN ('must', 'cannot')", name="ck_merge_constraints_kind"),
)
Index("ix_merge_constraints_b", merge_constraints.c.incident_b)

incident_actors = Table(
    "incident_actors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", String(64), ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", String(64), ForeignKey("actors.id", ondelete="SET NULL")),
    Column("role", String(16), nullable=False),
    Column("name", Text, nullable=False),  # as written in the article
    Column("canonical", Text),
    Column("kind", String(32)),
    CheckConstraint("role IN ('perpetrator', 'target')", name="ck_incident_actors_role"),
)
Index("ix_incident_actors_incident", incident_actors.c.incident_id)
Index("ix_incident_actors_actor", incident_actors.c.actor_id)

figures = Table(
    "figures", metadata,
    Column("id", String(64), primary_key=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("indicator", Text, nullable=False),
    Column("subject", Text),
    Column("value", Float),
    Column("low", Float),
    Column("high", Float),
    Column("qualifier", String(16)),
    Column("unit", Text),
    Column("period", String(21)),
    Column("place", Text),
    Column("place_country", String(2)),
    Column("attributed_to", Text),
    Column("review_state", String(16), nullable=False, default="unreviewed", server_default="unreviewed"),
    CheckConstraint(_review_check, name="ck_figures_review_state"),
)
Index("ix_figures_document", figures.c.document_id)
Index("ix_figures_indicator", figures.c.indicator)

quotes = Table(
    "quotes", metadata,
    Column("id", String(64), primary_key=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("speaker", Text),
    Column("speaker_role", Text),
    Column("speaker_actor_id", String(64)),  # no FK: a speaker may be unresolved
    Column("text", Text, nullable=False),
    Column("review_state", String(16), nullable=False, default="unreviewed", server_default="unreviewed"),
    CheckConstraint(_review_check, name="ck_quotes_review_state"),
)
Index("ix_quotes_document", quotes.c.document_id)

provenance = Table(
    "provenance", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_kind", String(16), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("field", String(64), nullable=False),  # e.g. "evidence", "killed", "perpetrators"
    Column("seq", Integer, nullable=False, default=0),  # position within a list field
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
Index("ix_provenance_record", provenance.c.record_kind, provenance.c.record_id)
Index("ix_provenance_document", provenance.c.document_id)

# Shared column layout of the dialect-specific full-text table over record text
# (an FTS5 virtual table on SQLite, a GIN-indexed table on PostgreSQL).
fts_metadata = MetaData()
records_fts = Table(
    "records_fts", fts_metadata,
    Column("record_kind", Text),
    Column("record_id", Text),
    Column("document_id", Text),
    Column("text", Text),
)
documents_fts = Table(  # SQLite only
    "documents_fts", fts_metadata,
    Column("document_id", Text),
    Column("title", Text),
    Column("text", Text),
)

FTS_TABLE_PREFIXES: tuple[str, ...] = ("records_fts", "documents_fts")


# ---------------------------------------------------------------------------------------
# Workbench (cronica serve): accounts, API tokens and review history.
# Owned by the serve stage; created by migration 0002_serve_accounts.
# ---------------------------------------------------------------------------------------
USER_ROLES: tuple[str, ...] = ("reader", "editor", "admin")
REVIEW_ACTIONS: tuple[str, ...] = ("confirm", "correct", "reject")

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("role", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
    CheckConstraint("role IN ('reader', 'editor', 'admin')", name="ck_users_role"),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex of the token
    Column("created_at", String(32), nullable=False),
)
Index("ix_api_tokens_user", api_tokens.c.user_id)

#: Browser sessions of the workbench (cronica.serve): the cookie carries a random id, only
#: its sha256 is stored; logout, a password change or revocation deletes the rows.
user_sessions = Table(
    "user_sessions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("session_hash", String(64), nullable=False, unique=True),  # sha256 hex of the session id
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)
Index("ix_user_sessions_user", user_sessions.c.user_id)

review_events = Table(
    "review_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_kind", String(16), nullable=False),  # incident | figure | quote | actor | role
    Column("record_id", String(64), nullable=False),  # no FK: history outlives re-saves
    Column("action", String(16), nullable=False),
    Column("field", String(64)),  # corrected field (action = correct)
    Column("old_value", JSON),
    Column("new_value", JSON),
    Column("user_name", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("note", Text),
    CheckConstraint("action IN ('confirm', 'correct', 'reject')", name="ck_review_events_action"),
)
Index("ix_review_events_record", review_events.c.record_kind, review_events.c.record_id)
