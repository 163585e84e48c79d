"""Read helpers the workbench needs on top of :class:`cronica.store.Cronica`.

Incidents come from the public store API (:meth:`Cronica.incident`,
:meth:`Cronica.incidents`); the rest read the store's tables directly (read-only) for
what the store API does not offer yet: provenance spans of an article, incidents per month,
search facets, figure series and co-occurring actors. Rejected records are left out
everywhere, as in the store API.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from cronica.store import Cronica, IncidentRow
from cronica.store import schema as s

_KIND_TABLES = {"incident": s.incidents, "figure": s.figures, "quote": s.quotes}


def document_incidents(db: Cronica, document_id: str) -> list[IncidentRow]:
    """The non-rejected incidents of one article, in text order of their first evidence."""
    rows = list(db.incidents(document_id=document_id, limit=1 << 62))
    starts = evidence_starts(db, "incident", [r.id for r in rows])
    return sorted(rows, key=lambda r: starts.get(r.id, 1 << 30))


def provenance(db: Cronica, kind: str, record_id: str) -> list[dict[str, Any]]:
    """Evidence spans of one record: field, seq, start, end, text (in field order)."""
    p = s.provenance
    with db.engine.connect() as conn:
        rows = conn.execute(select(p.c.field, p.c.seq, p.c.start, p.c.end, p.c.text, p.c.document_id)
                            .where(p.c.record_kind == kind, p.c.record_id == record_id)
                            .order_by(p.c.id)).mappings().all()
    return [dict(r) for r in rows]


def _rejected_ids(conn: Any, document_id: str) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for kind, t in _KIND_TABLES.items():
        q = select(t.c.id).where(t.c.document_id == document_id, t.c.review_state == "rejected")
        out |= {(kind, r) for r in conn.execute(q).scalars()}
    return out


@dataclass(slots=True)
class Segment:
    """A piece of article text; ``labels`` name the fields whose evidence covers it."""

    text: str
    start: int
    labels: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)  # "kind:id" of the covering records


def highlight(db: Cronica, document_id: str, text: str) -> list[Segment]:
    """The article text cut at every evidence boundary, each piece with the fields that
    cover it (rejected records left out). Joining the pieces gives back ``text``."""
    p = s.provenance
    with db.engine.connect() as conn:
        spans = conn.execute(select(p.c.record_kind, p.c.record_id, p.c.field, p.c.start, p.c.end)
                             .where(p.c.document_id == document_id)).all()
        rejected = _rejected_ids(conn, document_id)
    spans = [sp for sp in spans if (sp.record_kind, sp.record_id) not in rejected
             and 0 <= sp.start < sp.end <= len(text)]
    cuts = sorted({0, len(text), *(sp.start for sp in spans), *(sp.end for sp in spans)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        cover = [sp for sp in spans if sp.start <= a and sp.end >= b]
        labels = sorted({f"{sp.record_kind} {sp.field}" for sp in cover})
        recs = sorted({f"{sp.record_kind}:{sp.record_id}" for sp in cover})
        out.append(Segment(text[a:b], a, labels, recs))
    return out


def incidents_per_month(db: Cronica, **filters: Any) -> list[tuple[str, int]]:
    """(YYYY-MM, number of non-rejected dated incidents matching ``filters``, the keyword
    filters of ``Cronica.incidents``), oldest first, empty months filled in (at most 200
    years)."""
    got = dict(db.incident_months(**filters))
    if not got:
        return []
    first, last = min(got), max(got)
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last and len(out) < 2400:
        key = f"{y:04d}-{m:02d}"
        out.append((key, got.get(key, 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def facets(rows: list[IncidentRow]) -> dict[str, list[tuple[str, int]]]:
    """Counts per type, country, group (perpetrators) and year of incident rows."""
    c: dict[str, Counter[str]] = {k: Counter() for k in ("type", "country", "group", "year")}
    for r in rows:
        c["type"][r.type] += 1
        if r.country:
            c["country"][r.country] += 1
        for g in set(r.perpetrators):
            c["group"][g] += 1
        if r.date:
            c["year"][r.date[:4]] += 1
    return {k: sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[:15] for k, v in c.items()}


def evidence_starts(db: Cronica, kind: str, ids: list[str]) -> dict[str, int]:
    """Start offset of the first evidence span of each record (for links to the article)."""
    if not ids:
        return {}
    p = s.provenance
    with db.engine.connect() as conn:
        rows = conn.execute(select(p.c.record_id, func.min(p.c.start))
                            .where(p.c.record_kind == kind, p.c.record_id.in_(ids))
                            .group_by(p.c.record_id)).all()
    return {r[0]: int(r[1]) for r in rows}


def figure_series(rows: list[Any], starts: dict[str, int]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """indicator -> claimant (attributed_to, else the outlet) -> points ordered by period."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for f in rows:
        who = f.attributed_to or f.outlet or "unattributed"
        out[f.indicator][who].append({
            "id": f.id, "period": f.period or (f.published or "")[:4], "value": f.value, "unit": f.unit,
            "place": f.place, "document_id": f.document_id, "start": starts.get(f.id), "evidence": f.evidence})
    for series in out.values():
        for pts in series.values():
            pts.sort(key=lambda p: p["period"] or "")
    return {k: dict(v) for k, v in out.items()}


def co_actors(db: Cronica, actor_id: str, limit: int = 15) -> list[tuple[str, int]]:
    """Actors that take part in the same (non-rejected) incidents as ``actor_id``: stored,
    non-rejected actors only (a target written as "at least eight people" is not one)."""
    ia, i, a = s.incident_actors, s.incidents, s.actors
    mine = select(ia.c.incident_id).where(ia.c.actor_id == actor_id)
    name = a.c.canonical
    q = (select(name, func.count(func.distinct(ia.c.incident_id)))
         .select_from(ia.join(i, i.c.id == ia.c.incident_id).join(a, a.c.id == ia.c.actor_id))
         .where(ia.c.incident_id.in_(mine), i.c.review_state != "rejected", a.c.review_state != "rejected",
                ia.c.actor_id != actor_id)
         .group_by(name).order_by(func.count(func.distinct(ia.c.incident_id)).desc(), name).limit(limit))
    with db.engine.connect() as conn:
        return [(r[0], int(r[1])) for r in conn.execute(q)]


def record_document(db: Cronica, kind: str, record_id: str) -> str | None:
    """Document id of a (possibly rejected) incident, figure or quote."""
    t = _KIND_TABLES.get(kind)
    if t is None:
        return None
    with db.engine.connect() as conn:
        return conn.execute(select(t.c.document_id).where(t.c.id == record_id)).scalar_one_or_none()
