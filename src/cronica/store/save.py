"""Writing one :class:`~cronica.records.ExtractionResult` (and removing a document's records).

All functions take an open connection inside a transaction; the caller
(:meth:`cronica.store.api.Cronica.save`) owns the transaction, so a failure anywhere
leaves the database as it was.

Actors are canonical across documents: an actor row is created the first time its id is
seen and later documents only *add* to it (aliases, roles, missing kind/country/parent,
``known``). Removing a document removes its roles, incidents, figures, quotes, provenance
and full-text rows, but keeps actors and aliases (other documents may rely on them).

Concurrent writers. On SQLite every write transaction is ``BEGIN IMMEDIATE`` (see
:mod:`cronica.store.engine`), so writers run one at a time. On PostgreSQL several saves
run at once: :func:`insert_result` first takes transaction-scoped advisory locks on every
actor id it will touch (sorted, so two saves cannot deadlock), actor and alias inserts
use ``ON CONFLICT DO NOTHING``, and :func:`add_aliases` locks the actor row before it
rewrites the actor's search text (a reviewer correcting the actor waits, or is waited
for). Whatever still collides (a unique violation, a deadlock) makes
:meth:`~cronica.store.api.Cronica.save` retry the whole transaction.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timezone
from typing import Any, Iterator

from sqlalchemy import Connection, Insert, Table, delete, insert, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from cronica.records import Actor, Evidence, ExtractionResult, Incident
from cronica.store import schema as s
from cronica.store.errors import StoreError


def date_bounds(date: str | None) -> tuple[str | None, str | None]:
    """First and last day a YYYY / YYYY-MM / YYYY-MM-DD date may mean."""
    if not date:
        return None, None
    parts = date.split("-")
    try:
        if len(parts) == 1:
            int(parts[0])
            return f"{parts[0]}-01-01", f"{parts[0]}-12-31"
        if len(parts) == 2:
            y, m = int(parts[0]), int(parts[1])
            last = calendar.monthrange(y, m)[1]
            return f"{date}-01", f"{date}-{last:02d}"
        datetime.strptime(date, "%Y-%m-%d")
        return date, date
    except ValueError:
        raise StoreError(f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD") from None


def _evidence_items(record: Any, kind: str) -> Iterator[tuple[str, int, Evidence]]:
    """(field, seq, evidence) for every Evidence a record carries."""
    if kind == "incident":
        inc: Incident = record
        for i, ev in enumerate(inc.evidence):
            yield "evidence", i, ev
        if inc.trigger:
            yield "trigger", 0, inc.trigger
        if inc.date_evidence:
            yield "date", 0, inc.date_evidence
        if inc.location.evidence:
            yield "location", 0, inc.location.evidence
        for name in ("killed", "wounded", "kidnapped", "arrested"):
            c = getattr(inc, name)
            if c is not None and c.evidence:
                yield name, 0, c.evidence
        for fname in ("perpetrators", "targets"):
            for i, ref in enumerate(getattr(inc, fname)):
                if ref.evidence:
                    yield fname, i, ref.evidence
    elif kind == "actor":
        act: Actor = record
        for i, ev in enumerate(act.evidence):
            yield "evidence", i, ev
        for i, role in enumerate(act.roles):
            if role.evidence:
                yield "roles", i, role.evidence
    elif record.evidence:  # figure, quote
        yield "evidence", 0, record.evidence


def _check_evidence(doc_text: str, doc_id: str, kind: str, rid: str, fname: str, ev: Evidence) -> None:
    if not (0 <= ev.start <= ev.end <= len(doc_text)):
        raise StoreError(f"document {doc_id}: {kind} {rid} field {fname}: evidence offsets "
                         f"{ev.start}-{ev.end} are outside the text (length {len(doc_text)})")
    if doc_text[ev.start:ev.end] != ev.text:
        raise StoreError(f"document {doc_id}: {kind} {rid} field {fname}: evidence text {ev.text[:40]!r} "
                         f"does not match the document at {ev.start}-{ev.end}")


def _provenance_rows(doc_id: str, doc_text: str, kind: str, record: Any) -> list[dict[str, Any]]:
    rows = []
    for fname, seq, ev in _evidence_items(record, kind):
        _check_evidence(doc_text, doc_id, kind, record.id, fname, ev)
        rows.append({"record_kind": kind, "record_id": record.id, "document_id": doc_id, "field": fname,
                     "seq": seq, "start": ev.start, "end": ev.end, "text": ev.text})
    return rows


def _count(inc: Incident, name: str) -> tuple[int | None, str | None]:
    c = getattr(inc, name)
    return (c.value, c.qualifier) if c is not None else (None, None)


def _incident_row(doc_id: str, inc: Incident) -> dict[str, Any]:
    start, end = date_bounds(inc.date)
    loc = inc.location
    row: dict[str, Any] = {
        "id": inc.id, "document_id": doc_id, "type": inc.type, "status": inc.status,
        "date": inc.date, "date_precision": inc.date_precision, "date_start": start, "date_end": end,
        "location_name": loc.name, "location_admin1": loc.admin1, "location_country": loc.country,
        "location_lat": loc.lat, "location_lon": loc.lon, "location_precision": loc.precision,
        "weapons": list(inc.weapons), "confidence": inc.confidence, "data": inc.to_dict(),
        "review_state": "unreviewed", "merged_id": inc.id,  # alone until resolved (store.merges)
    }
    for name in ("killed", "wounded", "kidnapped", "arrested"):
        row[name], row[f"{name}_qualifier"] = _count(inc, name)
    return row


def lock_keys(conn: Connection, keys: list[str]) -> None:
    """PostgreSQL: hold transaction-scoped advisory locks on ``keys`` (taken in sorted
    order; released at commit or rollback). Nothing on SQLite, where writers are serial."""
    if conn.dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def _insert_new(conn: Connection, table: Table) -> Insert:
    """``INSERT`` that skips a row whose unique key another writer stored first (PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return insert(table)


def _actor_text(conn: Connection, actor_id: str) -> str:
    a = conn.execute(select(s.actors.c.canonical).where(s.actors.c.id == actor_id)).scalar_one()
    aliases = conn.execute(select(s.actor_aliases.c.alias).where(s.actor_aliases.c.actor_id == actor_id)).scalars()
    return " | ".join(dict.fromkeys([a, *aliases]))


def _refresh_actor_fts(conn: Connection, actor_id: str) -> None:
    t = s.records_fts
    conn.execute(delete(t).where(t.c.record_kind == "actor", t.c.record_id == actor_id))
    conn.execute(insert(t).values(record_kind="actor", record_id=actor_id, document_id=None,
                                  text=_actor_text(conn, actor_id)))


def merge_actor(conn: Connection, actor: Actor, *, doc_id: str, language: str | None,
                published: str | None) -> None:
    """Create or enrich the canonical actor row, its aliases and this document's roles."""
    existing = conn.execute(select(s.actors).where(s.actors.c.id == actor.id)).mappings().first()
    if existing is None:
        conn.execute(_insert_new(conn, s.actors).values(id=actor.id, canonical=actor.canonical or actor.name,
                                             kind=actor.kind, country=actor.country, parent=actor.parent,
                                             known=bool(actor.known)))
    else:
        changes = {k: v for k, v in (("country", actor.country), ("parent", actor.parent))
                   if v and not existing[k]}
        if actor.known and not existing["known"]:
            changes["known"] = True
        if changes:
            conn.execute(update(s.actors).where(s.actors.c.id == actor.id).values(**changes))
    add_aliases(conn, actor.id, [actor.name, actor.canonical, *actor.aliases], language)
    for role in actor.roles:
        conn.execute(insert(s.actor_roles).values(
            actor_id=actor.id, title=role.title, organization=role.organization, country=role.country,
            current=role.current, as_of=role.as_of or published, document_id=doc_id))


def add_aliases(conn: Connection, actor_id: str, names: list[str | None], language: str | None) -> None:
    """Add the names this actor does not have yet (case-sensitive, exact text) and refresh
    the actor's search text; on PostgreSQL the actor row is locked first, so concurrent
    writers of one actor take turns."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(s.actors.c.id).where(s.actors.c.id == actor_id).with_for_update())
    have = set(conn.execute(select(s.actor_aliases.c.alias).where(s.actor_aliases.c.actor_id == actor_id)).scalars())
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        if name not in have:
            conn.execute(_insert_new(conn, s.actor_aliases).values(actor_id=actor_id, alias=name,
                                                                   language=language))
            have.add(name)
    _refresh_actor_fts(conn, actor_id)


def insert_result(conn: Connection, result: ExtractionResult) -> None:
    """Insert a document and all its records (the document must not be stored yet)."""
    doc = result.document
    if not doc.id or not isinstance(doc.text, str):
        raise StoreError("document has no id or no text: cannot save it")
    lock_keys(conn, [f"actor:{a.id}" for a in result.actors]
              + [f"actor:{ref.actor_id}" for inc in result.incidents
                 for ref in (*inc.perpetrators, *inc.targets) if ref.actor_id])
    conn.execute(insert(s.documents).values(
        id=doc.id, url=doc.url, content_hash=doc.content_hash, title=doc.title, outlet=doc.outlet,
        published=doc.published, language=doc.language, text=doc.text, source_path=doc.source_path,
        raw_format=doc.raw_format, ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
    if conn.dialect.name == "sqlite":
        conn.execute(insert(s.documents_fts).values(document_id=doc.id, title=doc.title or "", text=doc.text))

    prov: list[dict[str, Any]] = []
    fts: list[dict[str, Any]] = []

    def fts_row(kind: str, rid: str, text: str) -> None:
        if text.strip():
            fts.append({"record_kind": kind, "record_id": rid, "document_id": doc.id, "text": text})

    seen_actors: set[str] = set()
    for actor in result.actors:
        if actor.id in seen_actors:
            raise StoreError(f"document {doc.id}: actor id {actor.id} appears twice")
        seen_actors.add(actor.id)
        merge_actor(conn, actor, doc_id=doc.id, language=doc.language, published=doc.published)
        prov += _provenance_rows(doc.id, doc.text, "actor", actor)

    for inc in result.incidents:
        conn.execute(insert(s.incidents).values(**_incident_row(doc.id, inc)))
        for role, refs in (("perpetrator", inc.perpetrators), ("target", inc.targets)):
            for ref in refs:
                if ref.actor_id and ref.actor_id not in seen_actors:
                    _ensure_actor(conn, ref.actor_id, ref.canonical or ref.name, ref.kind, doc.language)
                    seen_actors.add(ref.actor_id)
                conn.execute(insert(s.incident_actors).values(
                    incident_id=inc.id, actor_id=ref.actor_id, role=role, name=ref.name,
                    canonical=ref.canonical, kind=ref.kind))
        prov += _provenance_rows(doc.id, doc.text, "incident", inc)
        fts_row("incident", inc.id, " ".join(ev.text for ev in inc.evidence))

    for fig in result.figures:
        conn.execute(insert(s.figures).values(
            id=fig.id, document_id=doc.id, indicator=fig.indicator, subject=fig.subject, value=fig.value,
            low=fig.low, high=fig.high, qualifier=fig.qualifier, unit=fig.unit, period=fig.period,
            place=fig.place, place_country=fig.place_country, attributed_to=fig.attributed_to))
        prov += _provenance_rows(doc.id, doc.text, "figure", fig)
        fts_row("figure", fig.id, fig.evidence.text if fig.evidence else fig.indicator)

    for q in result.quotes:
        conn.execute(insert(s.quotes).values(
            id=q.id, document_id=doc.id, speaker=q.speaker, speaker_role=q.speaker_role,
            speaker_actor_id=q.speaker_actor_id, text=q.text))
        prov += _provenance_rows(doc.id, doc.text, "quote", q)
        fts_row("quote", q.id, " ".join(x for x in (q.text, q.speaker) if x))

    if prov:
        conn.execute(insert(s.provenance), prov)
    if fts:
        conn.execute(insert(s.records_fts), fts)


def _ensure_actor(conn: Connection, actor_id: str, name: str, kind: str | None, language: str | None) -> None:
    """An incident refers to an actor the result does not list: make a minimal row for it."""
    if conn.execute(select(s.actors.c.id).where(s.actors.c.id == actor_id)).first() is None:
        conn.execute(_insert_new(conn, s.actors).values(id=actor_id, canonical=name,
                                                        kind=kind or "organization", known=False))
    add_aliases(conn, actor_id, [name], language)


def delete_document(conn: Connection, doc_id: str) -> None:
    """Remove a document and every record extracted from it (actors stay)."""
    inc_ids = select(s.incidents.c.id).where(s.incidents.c.document_id == doc_id)
    ml = s.merge_links
    conn.execute(delete(ml).where(or_(ml.c.incident_a.in_(inc_ids), ml.c.incident_b.in_(inc_ids))))
    conn.execute(delete(s.incident_actors).where(s.incident_actors.c.incident_id.in_(inc_ids)))
    for table in (s.provenance, s.incidents, s.figures, s.quotes, s.actor_roles, s.records_fts):
        conn.execute(delete(table).where(table.c.document_id == doc_id))
    if conn.dialect.name == "sqlite":
        conn.execute(delete(s.documents_fts).where(s.documents_fts.c.document_id == doc_id))
    conn.execute(delete(s.documents).where(s.documents.c.id == doc_id))
