"""Merged incidents in the store: resolution at ingest, editors' splits and merges.

Every stored incident is one article's *report* of an event. :func:`regroup` groups the
reports around some incidents with the pure resolver (:func:`cronica.resolve.merge.cluster`)
and writes the answer: ``incidents.merged_id`` (the smallest incident id of the group, so
it is deterministic) and ``merge_links`` (the pairs inside each group with score and
reasons). The resolver never sees SQL; this module fetches what it compares.

**Candidates** of a report come from indexed queries: the types that can describe one
event (its family, near families and ``other``; index ``ix_incidents_resolve``), dates
within :data:`~cronica.resolve.merge.DAY_WINDOW` days of its span (undated reports too),
then same or unknown country. Each candidate still has to pass
:func:`~cronica.resolve.merge.blocked`. The **component** is the closure: candidates of
candidates, the current members of each one's merged incident and editors' ``must``
partners. :func:`~cronica.resolve.merge.cluster` over the component with the stored
constraints depends only on that set, so the grouping never depends on the order in which
articles arrived.

**Editors** (:func:`split`, :func:`merge`) store constraints (``merge_constraints``:
``cannot`` / ``must`` pairs, the latest decision per pair) and regroup; because the
constraints are read at every regrouping, a later ingest never undoes them. Each decision
is a ``review_events`` row (action ``correct``, field ``split`` / ``merge``, old and new
groups).

All functions take an open connection inside the caller's transaction. On PostgreSQL the
resolution of concurrent writers is serialised by a transaction-scoped advisory lock.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from cronica.records import INCIDENT_TYPES, Document, Incident
from cronica.resolve.merge import (
    DAY_WINDOW, NEAR_FAMILIES, RECENT_DAYS, RESOLVED_STATUSES, Constraints, Link, Report, blocked, cluster,
    compare, report_span, tolls, type_family,
)
from cronica.store import schema as s
from cronica.store.errors import StoreError
from cronica.store.save import lock_keys

__all__ = ["report_of", "regroup", "group_of", "split", "merge", "merged_view", "all_views", "former_mates",
           "MergeError", "MERGE_LOCK"]

MERGE_LOCK = "merge:resolution"


class MergeError(StoreError):
    """An editor's split or merge that cannot be done (the message says why)."""


def _row_select() -> Any:
    i, d = s.incidents, s.documents
    return (select(i.c.id, i.c.document_id, i.c.data, i.c.merged_id, i.c.status, i.c.review_state,
                   d.c.url, d.c.outlet, d.c.published, d.c.language)
            .select_from(i.join(d, d.c.id == i.c.document_id)))


def report_of(row: Any) -> Report:
    """The resolver's :class:`Report` of a stored incident row (with its article's url,
    outlet, published and language), built from the stored full record."""
    inc = Incident.from_dict(dict(row.data))
    doc = Document(id=row.document_id, text="", url=row.url, outlet=row.outlet, published=row.published,
                   language=row.language, content_hash="-")
    r = Report.from_incident(inc, doc)
    return r if r.key == row.id else Report(**{**_fields(r), "key": row.id})


def _fields(r: Report) -> dict[str, Any]:
    return {f: getattr(r, f) for f in r.__slots__}  # type: ignore[attr-defined]


def _compatible_types(family: str) -> list[str] | None:
    """Incident types whose reports may be one event with a report of ``family`` (None: all)."""
    if family == "other":
        return None
    return [t for t in INCIDENT_TYPES if (f := type_family(t)) == family or f == "other"
            or frozenset((f, family)) in NEAR_FAMILIES]


def _eligible(row: Any) -> bool:
    return row.status in RESOLVED_STATUSES and row.review_state != "rejected"


class _Rows:
    """Stored rows and their reports, fetched once per regrouping."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: dict[str, Any] = {}
        self.reports: dict[str, Report] = {}

    def add(self, row: Any) -> None:
        if row.id not in self.rows:
            self.rows[row.id] = row
            self.reports[row.id] = report_of(row)

    def load(self, ids: Iterable[str]) -> None:
        want = [k for k in set(ids) if k not in self.rows]
        for k in range(0, len(want), 500):
            for row in self.conn.execute(_row_select().where(s.incidents.c.id.in_(want[k:k + 500]))):
                self.add(row)

    def candidates(self, key: str) -> set[str]:
        """Stored eligible reports that ``key``'s report could be linked with."""
        r, i, d = self.reports[key], s.incidents, s.documents
        q = _row_select().where(i.c.id != key, i.c.status.in_(sorted(RESOLVED_STATUSES)),
                                i.c.review_state != "rejected")
        types = _compatible_types(r.family)
        if types is not None:
            q = q.where(i.c.type.in_(types))
        if r.country:
            q = q.where(or_(i.c.location_country == r.country, i.c.location_country.is_(None)))
        span = report_span(r)
        if span is not None:
            lo = (span[0] - _dt.timedelta(days=DAY_WINDOW)).isoformat()
            hi = (span[1] + _dt.timedelta(days=DAY_WINDOW)).isoformat()
            # an undated current report happened in the RECENT_DAYS before its publication
            pub_hi = (span[1] + _dt.timedelta(days=DAY_WINDOW + RECENT_DAYS)).isoformat()
            q = q.where(or_(and_(i.c.date_start <= hi, i.c.date_end >= lo),
                            and_(i.c.date_start.is_(None),
                                 or_(i.c.status != "current", d.c.published.is_(None),
                                     and_(d.c.published >= lo, d.c.published <= pub_hi)))))
        out = set()
        for row in self.conn.execute(q):
            self.add(row)
            if blocked(r, self.reports[row.id]) is None:
                out.add(row.id)
        return out

    def mates(self, key: str) -> set[str]:
        """The other members of ``key``'s current merged incident."""
        mid = self.rows[key].merged_id
        if mid is None:
            return set()
        i = s.incidents
        ids = set(self.conn.execute(select(i.c.id).where(i.c.merged_id == mid)).scalars()) - {key}
        self.load(ids)
        return ids


def _constraints(conn: Connection, keys: set[str]) -> tuple[Constraints, dict[str, set[str]]]:
    """Editors' constraints touching ``keys`` and, per key, its ``must`` partners."""
    c, mc = Constraints(), s.merge_constraints
    must: dict[str, set[str]] = {}
    ks = sorted(keys)
    for k in range(0, len(ks), 400):
        chunk = ks[k:k + 400]
        q = select(mc.c.incident_a, mc.c.incident_b, mc.c.kind).where(
            or_(mc.c.incident_a.in_(chunk), mc.c.incident_b.in_(chunk)))
        for a, b, kind in conn.execute(q):
            pair = frozenset((a, b))
            (c.must if kind == "must" else c.cannot).add(pair)
            if kind == "must":
                must.setdefault(a, set()).add(b)
                must.setdefault(b, set()).add(a)
    return c, must


def regroup(conn: Connection, start: Iterable[str]) -> dict[str, list[str]]:
    """Regroup the component around the incidents ``start`` (ids that no longer exist are
    ignored) and store the result; returns {merged_id: member ids} of the component."""
    lock_keys(conn, [MERGE_LOCK])
    rows = _Rows(conn)
    rows.load(start)
    todo = [k for k in rows.rows]
    singles = {k for k in todo if not _eligible(rows.rows[k])}
    for k in singles:  # rejected, hypothetical or negated: alone; their old mates regroup
        todo.extend(rows.mates(k))
    todo = [k for k in todo if k not in singles]
    seen = set(todo)
    musts: dict[str, set[str]] = {}
    while todo:
        k = todo.pop()
        _, m = _constraints(conn, {k})
        musts.update(m)
        nxt = rows.candidates(k) | rows.mates(k) | m.get(k, set())
        rows.load(nxt)
        for c in sorted(nxt):
            if c in seen or c in singles or c not in rows.rows:
                continue
            if _eligible(rows.rows[c]):
                seen.add(c)
                todo.append(c)
            else:
                singles.add(c)
    constraints, _ = _constraints(conn, seen)
    groups, links = cluster([rows.reports[k] for k in sorted(seen)], constraints)
    groups += [[k] for k in sorted(singles)]
    _store(conn, groups, links, rows)
    return {g[0]: g for g in groups}


def _store(conn: Connection, groups: list[list[str]], links: dict[frozenset[str], Link], rows: _Rows) -> None:
    i, ml = s.incidents, s.merge_links
    keys = [k for g in groups for k in g]
    for k in range(0, len(keys), 400):
        chunk = keys[k:k + 400]
        conn.execute(delete(ml).where(or_(ml.c.incident_a.in_(chunk), ml.c.incident_b.in_(chunk))))
    new_links = []
    for g in groups:
        mid = g[0]
        changed = [k for k in g if rows.rows[k].merged_id != mid]
        if changed:
            conn.execute(update(i).where(i.c.id.in_(changed)).values(merged_id=mid))
        for x, a in enumerate(g):
            for b in g[x + 1:]:
                ln = links.get(frozenset((a, b))) or compare(rows.reports[a], rows.reports[b])
                conflicted = list(ln.conflicted) + (["joined by an editor"] if ln.score is None else [])
                new_links.append({"merged_id": mid, "incident_a": a, "incident_b": b,
                                  "score": None if ln.score is None else round(ln.score, 3),
                                  "agreed": list(ln.agreed), "conflicted": conflicted})
    if new_links:
        conn.execute(insert(ml), new_links)


def former_mates(conn: Connection, document_id: str) -> set[str]:
    """Incidents of other articles that share a merged incident with ``document_id``'s
    incidents (to regroup once that article is removed or replaced)."""
    i = s.incidents
    mids = select(i.c.merged_id).where(i.c.document_id == document_id, i.c.merged_id.is_not(None))
    return set(conn.execute(select(i.c.id).where(i.c.merged_id.in_(mids), i.c.document_id != document_id))
               .scalars())


def group_of(conn: Connection, incident_id: str) -> list[str]:
    """Ids of the reports of ``incident_id``'s merged incident (sorted; [] when unknown)."""
    i = s.incidents
    mid = conn.execute(select(i.c.merged_id).where(i.c.id == incident_id)).scalar_one_or_none()
    if mid is None:
        return []
    return sorted(conn.execute(select(i.c.id).where(i.c.merged_id == mid)).scalars())


def _set_constraints(conn: Connection, pairs: Iterable[tuple[str, str]], kind: str, user: str, now: str) -> None:
    mc = s.merge_constraints
    for a, b in pairs:
        a, b = sorted((a, b))
        conn.execute(delete(mc).where(mc.c.incident_a == a, mc.c.incident_b == b))
        conn.execute(insert(mc).values(incident_a=a, incident_b=b, kind=kind, user_name=user, created_at=now))


def _event(conn: Connection, incident_id: str, field: str, old: Any, new: Any, user: str, now: str,
           note: str | None) -> dict[str, Any]:
    event = {"record_kind": "incident", "record_id": incident_id, "action": "correct", "field": field,
             "old_value": old, "new_value": new, "user_name": user, "created_at": now, "note": note or None}
    res = conn.execute(insert(s.review_events).values(**event))
    return {"id": int(res.inserted_primary_key[0]), **event}


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _live(conn: Connection, incident_id: str) -> Any:
    i = s.incidents
    row = conn.execute(select(i.c.id, i.c.review_state).where(i.c.id == incident_id)).first()
    if row is None or row.review_state == "rejected":
        raise LookupError(f"incident {incident_id!r} does not exist or was rejected")
    return row


def split(conn: Connection, incident_id: str, user: str, note: str | None = None) -> dict[str, Any]:
    """An editor splits the report ``incident_id`` off its merged incident: it may never
    again share an incident with those reports. Raises LookupError (no such incident) or
    :class:`MergeError` (it stands alone)."""
    _live(conn, incident_id)
    lock_keys(conn, [MERGE_LOCK])
    old = group_of(conn, incident_id)
    if len(old) < 2:
        raise MergeError(f"incident {incident_id!r} is not merged with any other report: nothing to split")
    now = _now()
    _set_constraints(conn, [(incident_id, o) for o in old if o != incident_id], "cannot", user, now)
    regroup(conn, old)
    new = [group_of(conn, k) for k in old]
    return _event(conn, incident_id, "split", old, sorted(map(list, {tuple(g) for g in new})), user, now, note)


def merge(conn: Connection, incident_id: str, other_id: str, user: str, note: str | None = None) -> dict[str, Any]:
    """An editor merges the merged incidents of ``incident_id`` and ``other_id``. Raises
    LookupError (no such incident) or :class:`MergeError` (already one, or one article)."""
    if incident_id == other_id:
        raise MergeError(f"incident {incident_id!r} cannot be merged with itself")
    _live(conn, incident_id)
    try:
        _live(conn, other_id)
    except LookupError as exc:
        raise MergeError(f"other incident: {exc}") from None
    lock_keys(conn, [MERGE_LOCK])
    ga, gb = group_of(conn, incident_id), group_of(conn, other_id)
    if other_id in ga:
        raise MergeError(f"incidents {incident_id!r} and {other_id!r} are already one merged incident")
    i = s.incidents
    docs = dict(conn.execute(select(i.c.id, i.c.document_id).where(i.c.id.in_(ga + gb))).all())
    if {docs[k] for k in ga} & {docs[k] for k in gb}:
        raise MergeError(f"incidents {incident_id!r} and {other_id!r} have reports from one article: "
                         "an article that reports two incidents reports two incidents")
    now = _now()
    _set_constraints(conn, [(a, b) for a in ga for b in gb], "must", user, now)
    regroup(conn, ga + gb)
    return _event(conn, incident_id, "merge", [ga, gb], group_of(conn, incident_id), user, now, note)


def all_views(conn: Connection) -> dict[str, dict[str, Any]]:
    """:func:`merged_view` of every merged incident, by merged id, in a few queries (for
    exports)."""
    i, p, ml = s.incidents, s.provenance, s.merge_links
    rows = _Rows(conn)
    for row in conn.execute(_row_select().where(i.c.review_state != "rejected")):
        rows.add(row)
    ev: dict[str, list[dict[str, Any]]] = {k: [] for k in rows.rows}
    for e in conn.execute(select(p.c.record_id, p.c.start, p.c.end, p.c.text)
                          .where(p.c.record_kind == "incident", p.c.field == "evidence")
                          .order_by(p.c.record_id, p.c.seq)):
        if e.record_id in ev:
            ev[e.record_id].append({"start": e.start, "end": e.end, "text": e.text})
    links: dict[str, list[Any]] = {}
    for x in conn.execute(select(ml).order_by(ml.c.incident_a, ml.c.incident_b)):
        links.setdefault(x.merged_id, []).append(x)
    groups: dict[str, list[str]] = {}
    for k in sorted(rows.rows):
        groups.setdefault(rows.rows[k].merged_id or k, []).append(k)
    return {mid: _view(mid, ids, rows, ev, links.get(mid, [])) for mid, ids in groups.items()}


def _view(mid: str, ids: list[str], rows: _Rows, ev: dict[str, list[dict[str, Any]]],
          links: list[Any]) -> dict[str, Any]:
    reports = []
    for k in sorted(ids, key=lambda k: (rows.rows[k].published or "", k)):
        r, row = rows.reports[k], rows.rows[k]
        data = dict(row.data)
        counts = {c: ({"value": data[c]["value"], "qualifier": data[c].get("qualifier", "exact")}
                      if isinstance(data.get(c), dict) else None)
                  for c in ("killed", "wounded", "kidnapped", "arrested")}
        reports.append({"incident_id": k, "type": r.type, "date": r.date,
                        "document": {"id": row.document_id, "url": row.url, "outlet": row.outlet,
                                     "published": row.published, "language": row.language},
                        "evidence": ev.get(k, []), **counts})
    out_links = [{"incident_a": x.incident_a, "incident_b": x.incident_b, "score": x.score,
                  "agreed": list(x.agreed or []), "conflicted": list(x.conflicted or [])} for x in links]
    return {"merged_id": mid, "reports": reports, "tolls": tolls([rows.reports[k] for k in ids]), "links": out_links}


def merged_view(conn: Connection, incident_id: str) -> dict[str, Any] | None:
    """The merged incident of ``incident_id``: ``merged_id``, ``reports`` (document, evidence
    spans, counts, in publication order), ``tolls`` (low / best / high per count with the
    source of each, see :func:`cronica.resolve.merge.tolls`) and ``links`` (the pairs with
    score, agreed and conflicted reasons). None when there is no such incident."""
    i, p, ml = s.incidents, s.provenance, s.merge_links
    mid = conn.execute(select(i.c.merged_id).where(i.c.id == incident_id)).scalar_one_or_none()
    if mid is None:
        return None
    rows = _Rows(conn)
    for row in conn.execute(_row_select().where(i.c.merged_id == mid, i.c.review_state != "rejected")):
        rows.add(row)
    if incident_id not in rows.rows:
        rows.load([incident_id])
    ids = sorted(rows.rows)
    ev: dict[str, list[dict[str, Any]]] = {k: [] for k in ids}
    for e in conn.execute(select(p.c.record_id, p.c.start, p.c.end, p.c.text)
                          .where(p.c.record_kind == "incident", p.c.field == "evidence", p.c.record_id.in_(ids))
                          .order_by(p.c.record_id, p.c.seq)):
        ev[e.record_id].append({"start": e.start, "end": e.end, "text": e.text})
    links = list(conn.execute(select(ml).where(ml.c.merged_id == mid).order_by(ml.c.incident_a, ml.c.incident_b)))
    return _view(mid, ids, rows, ev, links)
