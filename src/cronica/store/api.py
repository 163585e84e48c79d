"""The Python API of the store: ``cronica.open(db_url)`` returns a :class:`Cronica`.

>>> with cronica.open("sqlite:///news.db") as db:           # doctest: +SKIP
...     db.save(result)                                     # "added" | "unchanged" | "replaced"
...     db.incidents(group="Zetas", since="2011").to_pandas()

Every query leaves out records whose ``review_state`` is ``rejected``. Every input is
bounded (see :mod:`cronica.store.bounds`: search text, filter strings, limits and offsets)
and every query has a deadline (see :mod:`cronica.store.engine`); bad input and queries
over the deadline raise :class:`StoreError`.
"""

from __future__ import annotations

import datetime as _dt
import time
from pathlib import Path
from typing import IO, Any, Literal

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from cronica.records import Document, ExtractionResult
from cronica.store import merges, schema as s
from cronica.store.bounds import MAX_SEARCH_LIMIT, MAX_TOP, bounded_int, contains_ci, filter_text
from cronica.store.engine import make_engine, reading, upgrade, writing
from cronica.store.errors import StoreError
from cronica.store.rows import (
    ActorProfile, FigureRow, IncidentRow, QuoteRow, Results, RoleRow, SearchHit, SourceRow, display_title,
)
from cronica.store.save import date_bounds, delete_document, insert_result, lock_keys
from cronica.store.search import matching_ids_select, matching_records, search_documents

SaveOutcome = Literal["added", "unchanged", "replaced"]
_SAVE_ATTEMPTS = 5
# PostgreSQL errors that mean "another writer got there first": unique_violation,
# serialization_failure, deadlock_detected. The save is retried from the start.
_RACE_SQLSTATES = frozenset({"23505", "40001", "40P01"})
ExportFormat = Literal["csv", "geojson", "json", "parquet"]
INCIDENT_SORTS: tuple[str, ...] = ("date", "-date", "killed", "-killed", "type")


def parse_date_bound(value: str | _dt.date | None, *, end: bool, name: str) -> str | None:
    """Normalise a since/until bound (YYYY, YYYY-MM, YYYY-MM-DD or a date) to YYYY-MM-DD.

    ``end=False`` gives the first day of the period, ``end=True`` the last.
    """
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise StoreError(f"{name} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    if len(str(value)) > 10:
        raise StoreError(f"{name} {str(value)[:40]!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        lo, hi = date_bounds(str(value).strip())
    except StoreError:
        raise StoreError(f"{name} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return hi if end else lo


def _id_arg(name: str, value: Any) -> str:
    """A record id argument: text within the filter cap (a :class:`StoreError` otherwise)."""
    out = filter_text(name, value)
    return out or ""


def _text_head(d: Any) -> Any:
    """The first characters of an article's text (enough for a fallback title)."""
    return func.substr(d.c.text, 1, 400)


def _doc(row: Any) -> Document:
    return Document(id=row.id, text=row.text, url=row.url, title=row.title, outlet=row.outlet,
                    published=row.published, language=row.language, source_path=row.source_path,
                    content_hash=row.content_hash, raw_format=row.raw_format or "text")


class Cronica:
    """A Cronica database (SQLite file or PostgreSQL), migrated to the latest schema on open."""

    def __init__(self, db_url: str, *, create: bool = True) -> None:
        self.db_url = str(db_url)
        self.engine = make_engine(db_url, create=create)
        try:
            upgrade(self.engine)
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Cronica":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Cronica({self.engine.url.render_as_string(hide_password=True)!r})"

    # ------------------------------------------------------------------ writing
    def has_content(self, content_hash: str) -> bool:
        """True when an article with exactly this text (sha256) is stored."""
        with reading(self.engine) as conn:
            q = select(s.documents.c.id).where(s.documents.c.content_hash == content_hash)
            return conn.execute(q).first() is not None

    def save(self, result: ExtractionResult, *, resolve: bool = True) -> SaveOutcome:
        """Store one document and its records, atomically.

        * same ``content_hash`` already stored -> ``"unchanged"`` (nothing written);
        * same document id (URL identity), different hash -> the old document's records
          are deleted and the new ones inserted in the same transaction -> ``"replaced"``;
        * otherwise -> ``"added"``.

        With ``resolve`` (the default), the new incidents are then resolved against the
        stored ones in the same transaction (:func:`cronica.store.merges.regroup`: they join
        merged incidents or start their own; a replaced article's old group regroups).

        On any error nothing of this document is written and what was stored stays as it
        was; the error is a :class:`StoreError` naming the document and the problem.

        Several processes may save at once (see :mod:`cronica.store.save`): on PostgreSQL
        a save that loses a race to another writer is retried from the start.
        """
        doc = result.document
        for attempt in range(1, _SAVE_ATTEMPTS + 1):
            try:
                with writing(self.engine) as conn:
                    return self._save_in(conn, result, resolve)
            except DBAPIError as exc:
                sqlstate = getattr(exc.orig, "sqlstate", None)
                if sqlstate in _RACE_SQLSTATES and attempt < _SAVE_ATTEMPTS:
                    time.sleep(0.05 * attempt)  # another writer won a race: look again
                    continue
                problem = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
                if isinstance(exc, IntegrityError):
                    raise StoreError(f"document {doc.id}: cannot save, conflicting or invalid record "
                                     f"({problem})") from None
                raise StoreError(f"document {doc.id}: cannot save ({problem})") from None
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _save_in(conn: Any, result: ExtractionResult, resolve: bool = True) -> SaveOutcome:
        doc = result.document
        # PostgreSQL: one writer per document id / text at a time (nothing on SQLite, whose
        # writers are serial); the checks below then see what the other writer committed.
        # Resolution regroups other articles' incidents, so a resolving save first takes the
        # merge lock, before any row: every writer that regroups (saves, deletes, reviews of
        # incidents, splits, merges) takes it first, so none can hold a row another waits for.
        if resolve:
            lock_keys(conn, [merges.MERGE_LOCK])
        lock_keys(conn, [f"document:{doc.id}", f"hash:{doc.content_hash}"])
        same_hash = select(s.documents.c.id).where(s.documents.c.content_hash == doc.content_hash)
        if conn.execute(same_hash).first() is not None:
            return "unchanged"
        same_id = select(s.documents.c.id).where(s.documents.c.id == doc.id)
        outcome: SaveOutcome = "added"
        mates: set[str] = set()
        if conn.execute(same_id).first() is not None:
            mates = merges.former_mates(conn, doc.id)
            delete_document(conn, doc.id)
            outcome = "replaced"
        insert_result(conn, result)
        if resolve:
            merges.regroup(conn, [inc.id for inc in result.incidents] + sorted(mates))
        return outcome

    def delete(self, document_id: str) -> bool:
        """Remove a document and its records; False if there was no such document."""
        document_id = _id_arg("document id", document_id)
        with writing(self.engine) as conn:
            lock_keys(conn, [merges.MERGE_LOCK])  # before any row (see _save_in)
            if conn.execute(select(s.documents.c.id).where(s.documents.c.id == document_id)).first() is None:
                return False
            mates = merges.former_mates(conn, document_id)
            delete_document(conn, document_id)
            if mates:
                merges.regroup(conn, sorted(mates))
            return True

    # ------------------------------------------------------------------ merged incidents
    def merged(self, id: str) -> dict[str, Any] | None:  # noqa: A002 - API name
        """The merged incident of incident ``id``: ``merged_id``, its ``reports`` (document,
        evidence, counts), ``tolls`` (low / best / high per count with sources) and ``links``
        (score and reasons of each pair); None when there is no such incident. See
        :func:`cronica.store.merges.merged_view`."""
        id = _id_arg("incident id", id)  # noqa: A001
        with reading(self.engine) as conn:
            return merges.merged_view(conn, id)

    def split_incident(self, id: str, user: str, *, note: str | None = None) -> dict[str, Any]:  # noqa: A002
        """An editor splits report ``id`` off its merged incident, for good (a later ingest
        never rejoins them); returns the review event. LookupError: no such incident;
        :class:`~cronica.store.merges.MergeError`: it is not merged."""
        id = _id_arg("incident id", id)  # noqa: A001
        with writing(self.engine) as conn:
            return merges.split(conn, id, user, note)

    def merge_incidents(self, id: str, other: str, user: str, *, note: str | None = None) -> dict[str, Any]:  # noqa: A002
        """An editor merges the merged incidents of ``id`` and ``other``; returns the review
        event. LookupError: no such incident ``id``; :class:`~cronica.store.merges.MergeError`:
        ``other`` does not exist, they are already one, or they share an article."""
        id, other = _id_arg("incident id", id), _id_arg("other incident id", other)  # noqa: A001
        with writing(self.engine) as conn:
            return merges.merge(conn, id, other, user, note)

    def resolve_all(self) -> int:
        """Regroup every stored incident (e.g. after an upgrade from a database without
        merged incidents); returns the number of merged incidents with several reports."""
        with writing(self.engine) as conn:
            ids = sorted(conn.execute(select(s.incidents.c.id)).scalars())
            done: set[str] = set()
            multi = 0
            for k in ids:
                if k in done:
                    continue
                for mid, members in merges.regroup(conn, [k]).items():
                    done.update(members)
                    multi += len(members) > 1
            return multi

    # ------------------------------------------------------------------ documents
    def document(self, id: str) -> Document | None:  # noqa: A002 - API name
        id = _id_arg("document id", id)  # noqa: A001
        with reading(self.engine) as conn:
            row = conn.execute(select(s.documents).where(s.documents.c.id == id)).first()
        return _doc(row) if row else None

    def documents(self, *, limit: int = 50, offset: int = 0) -> Results[Document]:
        """Stored articles, newest publication first."""
        limit, offset = bounded_int("limit", limit), bounded_int("offset", offset)
        q = (select(s.documents).order_by(s.documents.c.published.desc(), s.documents.c.id)
             .limit(limit).offset(offset))
        with reading(self.engine) as conn:
            return Results(_doc(r) for r in conn.execute(q))

    # ------------------------------------------------------------------ search
    def search(self, text: str, *, limit: int = 20) -> Results[SearchHit]:
        """Articles and records matching every word of ``text``, best first, with snippets
        (``limit``: 0 to :data:`~cronica.store.bounds.MAX_SEARCH_LIMIT`)."""
        limit = bounded_int("search limit", limit, high=MAX_SEARCH_LIMIT)
        with reading(self.engine) as conn:
            docs = search_documents(conn, text, limit)
            recs = matching_records(conn, text, limit)
            doc_ids = {r["document_id"] for r in recs if r["document_id"]}
            meta = {}
            if doc_ids:
                q = select(s.documents.c.id, s.documents.c.title, s.documents.c.url, s.documents.c.published,
                           _text_head(s.documents).label("text_head"))
                meta = {r.id: r for r in conn.execute(q.where(s.documents.c.id.in_(doc_ids)))}
        hits = [SearchHit(kind="document", id=d["document_id"], document_id=d["document_id"], snippet=d["snippet"],
                          score=float(d["score"]), title=d["title"], url=d["url"], published=d["published"],
                          title_display=display_title(d["title"], d.get("text_head")))
                for d in docs]
        for r in recs:
            m = meta.get(r["document_id"])
            hits.append(SearchHit(kind=r["record_kind"], id=r["record_id"], document_id=r["document_id"],
                                  snippet=r["snippet"], score=float(r["score"]),
                                  title=m.title if m else None, url=m.url if m else None,
                                  published=m.published if m else None,
                                  title_display=display_title(m.title, m.text_head) if m else None))
        hits.sort(key=lambda h: -h.score)
        return Results(hits[:limit])

    # ------------------------------------------------------------------ incidents
    _LOAD_CHUNK = 500  # ids per IN (...) when loading rows (SQLite caps bound parameters)

    def _load_incidents(self, conn: Any, ids: list[str]) -> Results[IncidentRow]:
        """Full rows (source article, actors, evidence) of the incidents ``ids``, in that
        order; ids that do not exist or are rejected are left out."""
        i, d = s.incidents, s.documents
        rows: dict[str, Any] = {}
        actors: dict[str, dict[str, list[str]]] = {}
        evidence: dict[str, list[str]] = {}
        ia, p = s.incident_actors, s.provenance
        for k in range(0, len(ids), self._LOAD_CHUNK):
            chunk = ids[k:k + self._LOAD_CHUNK]
            q = (select(i, d.c.url, d.c.title, d.c.outlet, d.c.published, _text_head(d).label("text_head"))
                 .select_from(i.join(d, d.c.id == i.c.document_id))
                 .where(i.c.id.in_(chunk), i.c.review_state != "rejected"))
            for r in conn.execute(q).mappings():
                rows[r["id"]] = r
                actors[r["id"]] = {"perpetrator": [], "target": []}
                evidence[r["id"]] = []
            aq = (select(ia.c.incident_id, ia.c.role, func.coalesce(s.actors.c.canonical, ia.c.canonical,
                                                                    ia.c.name).label("display"))
                  .select_from(ia.outerjoin(s.actors, s.actors.c.id == ia.c.actor_id))
                  .where(ia.c.incident_id.in_(chunk)).order_by(ia.c.id))
            for a in conn.execute(aq):
                if a.incident_id in actors:
                    actors[a.incident_id][a.role].append(a.display)
            pq = (select(p.c.record_id, p.c.text).where(p.c.record_kind == "incident", p.c.field == "evidence",
                                                        p.c.record_id.in_(chunk)).order_by(p.c.record_id, p.c.seq))
            for e in conn.execute(pq):
                if e.record_id in evidence:
                    evidence[e.record_id].append(e.text)
        out: Results[IncidentRow] = Results()
        for iid in ids:
            r = rows.get(iid)
            if r is None:
                continue
            out.append(IncidentRow(
                id=r["id"], document_id=r["document_id"], type=r["type"], status=r["status"], date=r["date"],
                date_precision=r["date_precision"], location=r["location_name"], admin1=r["location_admin1"],
                country=r["location_country"], lat=r["location_lat"], lon=r["location_lon"],
                geo_precision=r["location_precision"], killed=r["killed"], killed_qualifier=r["killed_qualifier"],
                wounded=r["wounded"], wounded_qualifier=r["wounded_qualifier"], kidnapped=r["kidnapped"],
                kidnapped_qualifier=r["kidnapped_qualifier"], arrested=r["arrested"],
                arrested_qualifier=r["arrested_qualifier"], perpetrators=actors[iid]["perpetrator"],
                targets=actors[iid]["target"], weapons=list(r["weapons"] or []),
                evidence=" … ".join(evidence[iid]), review_state=r["review_state"], url=r["url"],
                title=r["title"], outlet=r["outlet"], published=r["published"], data=dict(r["data"] or {}),
                title_display=display_title(r["title"], r["text_head"]), merged_id=r["merged_id"]))
        return out

    def incident(self, id: str) -> IncidentRow | None:  # noqa: A002 - API name
        """One non-rejected incident with its actors, evidence, every provenance span
        (``provenance``: field, seq, start, end, text, document_id, in stored order) and
        its article (``document``); None when there is no such incident or it was rejected."""
        id = _id_arg("incident id", id)  # noqa: A001
        p = s.provenance
        with reading(self.engine) as conn:
            rows = self._load_incidents(conn, [id])
            if not rows:
                return None
            row = rows[0]
            spans = conn.execute(select(p.c.field, p.c.seq, p.c.start, p.c.end, p.c.text, p.c.document_id)
                                 .where(p.c.record_kind == "incident", p.c.record_id == id)
                                 .order_by(p.c.id)).mappings().all()
            doc = conn.execute(select(s.documents).where(s.documents.c.id == row.document_id)).first()
            view = merges.merged_view(conn, id)
        row.provenance = [dict(sp) for sp in spans]
        row.document = _doc(doc) if doc else None
        if view is not None:
            row.reports, row.tolls, row.merge_links = view["reports"], view["tolls"], view["links"]
        return row

    @staticmethod
    def _actor_match(name: str) -> Any:
        """Incident ids where an actor called ``name`` (canonical, alias or as written) takes part."""
        ia, a, al = s.incident_actors, s.actors, s.actor_aliases
        low = name.strip().lower()
        by_alias = select(al.c.actor_id).where(func.lower(al.c.alias) == low)
        by_canon = select(a.c.id).where(or_(func.lower(a.c.canonical) == low, a.c.id == name.strip()))
        return select(ia.c.incident_id).where(or_(
            ia.c.actor_id.in_(by_alias), ia.c.actor_id.in_(by_canon),
            func.lower(ia.c.name) == low, func.lower(ia.c.canonical) == low))

    def incidents(self, *, type: str | None = None, group: str | None = None,  # noqa: A002
                  country: str | None = None, since: str | _dt.date | None = None,
                  until: str | _dt.date | None = None, status: str | None = None, place: str | None = None,
                  text: str | None = None, document_id: str | None = None, limit: int = 100, offset: int = 0,
                  sort: str = "date") -> Results[IncidentRow]:
        """Incidents matching every given filter.

        ``group``: canonical name, alias or id of an actor (case-insensitive), as
        perpetrator or target. ``country``: ISO alpha-2. ``since``/``until``: YYYY,
        YYYY-MM or YYYY-MM-DD; an incident matches when the period its date may mean
        overlaps the range (undated incidents are left out when either is given).
        ``place``: substring of the location name or admin1. ``text``: full-text words in
        the incident's evidence. ``document_id``: incidents of that article only.
        ``sort``: date (oldest first, undated last), -date, killed, -killed, type; ties
        are broken by id, so pages are stable.

        The page is found with a narrow query over the incidents table alone (ids, sort
        keys, filters; served by indexes, see migration 0003), then only the page's rows
        are loaded, so a deep ``offset`` costs about as much as the first page.
        """
        if sort not in INCIDENT_SORTS:
            raise StoreError(f"sort {sort!r} is not one of {', '.join(INCIDENT_SORTS)}")
        limit, offset = bounded_int("limit", limit), bounded_int("offset", offset)
        i = s.incidents
        q = self._incident_filter(select(i.c.id), type=type, group=group, country=country, since=since,
                                  until=until, status=status, place=place, text=text, document_id=document_id)
        undated = i.c.date_start.is_(None)
        order = {
            "date": [undated, i.c.date_start, i.c.id],
            "-date": [undated, i.c.date_start.desc(), i.c.id],
            "killed": [i.c.killed.is_(None), i.c.killed, i.c.id],
            "-killed": [i.c.killed.is_(None), i.c.killed.desc(), i.c.id],
            "type": [i.c.type, i.c.date_start, i.c.id],
        }[sort]
        with reading(self.engine) as conn:
            ids = list(conn.execute(q.order_by(*order).limit(limit).offset(offset)).scalars())
            return self._load_incidents(conn, ids)

    def incident_months(self, *, type: str | None = None, group: str | None = None,  # noqa: A002
                        country: str | None = None, since: str | _dt.date | None = None,
                        until: str | _dt.date | None = None, status: str | None = None,
                        place: str | None = None, text: str | None = None) -> list[tuple[str, int]]:
        """(YYYY-MM, number) of the dated incidents matching the filters of
        :meth:`incidents`, by the first month their date may mean; oldest first, months
        with none left out. Undated incidents are not counted."""
        i = s.incidents
        month = func.substr(i.c.date_start, 1, 7)
        q = self._incident_filter(select(month, func.count()), type=type, group=group, country=country,
                                  since=since, until=until, status=status, place=place, text=text)
        with reading(self.engine) as conn:
            rows = conn.execute(q.where(i.c.date_start.is_not(None)).group_by(month).order_by(month)).all()
        return [(m, int(n)) for m, n in rows if m]

    #: Columns of :meth:`incident_points` rows, in order.
    POINT_FIELDS: tuple[str, ...] = ("id", "lat", "lon", "type", "date", "killed", "location", "country")

    def incident_points(self, *, type: str | None = None, group: str | None = None,  # noqa: A002
                        country: str | None = None, since: str | _dt.date | None = None,
                        until: str | _dt.date | None = None, status: str | None = None,
                        place: str | None = None, text: str | None = None,
                        limit: int | None = None) -> list[tuple[Any, ...]]:
        """The incidents with coordinates matching the filters of :meth:`incidents`, as
        compact tuples (:data:`POINT_FIELDS`), newest first: what a map needs and no more
        (one narrow query; a full export reads every record)."""
        i = s.incidents
        cols = (i.c.id, i.c.location_lat, i.c.location_lon, i.c.type, i.c.date, i.c.killed, i.c.location_name,
                i.c.location_country)
        q = self._incident_filter(select(*cols), type=type, group=group, country=country, since=since,
                                  until=until, status=status, place=place, text=text)
        q = q.where(i.c.location_lat.is_not(None), i.c.location_lon.is_not(None))
        q = q.order_by(i.c.date_start.is_(None), i.c.date_start.desc(), i.c.id)
        if limit is not None:
            q = q.limit(bounded_int("limit", limit))
        with reading(self.engine) as conn:
            return [tuple(r) for r in conn.execute(q)]

    def _incident_filter(self, q: Select, *, type: str | None = None, group: str | None = None,  # noqa: A002
                         country: str | None = None, since: str | _dt.date | None = None,
                         until: str | _dt.date | None = None, status: str | None = None,
                         place: str | None = None, text: str | None = None,
                         document_id: str | None = None) -> Select:
        """``q`` (a select over ``incidents``) restricted to the non-rejected incidents
        matching every given filter (see :meth:`incidents`). Filter strings are bounded
        (:func:`~cronica.store.bounds.filter_text`); ``text`` is a search query."""
        type, status = filter_text("type", type), filter_text("status", status)  # noqa: A001
        document_id, country = filter_text("document_id", document_id), filter_text("country", country)
        place, group = filter_text("place", place), filter_text("group", group)
        i = s.incidents
        q = q.where(i.c.review_state != "rejected")
        if not document_id:  # one row per merged incident (an article's own reports: all)
            q = q.where(i.c.merged_id == i.c.id)
        if type:
            q = q.where(i.c.type == type)
        if status:
            q = q.where(i.c.status == status)
        if document_id:
            q = q.where(i.c.document_id == document_id)
        if country:
            q = q.where(func.upper(i.c.location_country) == country.upper())
        lo = parse_date_bound(since, end=False, name="since")
        hi = parse_date_bound(until, end=True, name="until")
        if lo:
            q = q.where(i.c.date_end >= lo)
        if hi:
            q = q.where(i.c.date_start <= hi)
        if place:
            q = q.where(or_(contains_ci(i.c.location_name, place), contains_ci(i.c.location_admin1, place)))
        # a merged incident matches when any of its reports names the actor or the words
        if group:
            q = q.where(i.c.id.in_(self._merged_of(self._actor_match(group), document_id)))
        if text is not None and text != "":
            q = q.where(i.c.id.in_(self._merged_of(matching_ids_select(self.dialect, text, kind="incident"),
                                                   document_id)))
        return q

    @staticmethod
    def _merged_of(ids: Any, document_id: str | None) -> Any:
        """The merged incidents of the incidents ``ids`` (a select), or ``ids`` themselves
        when listing one article's reports."""
        if document_id:
            return ids
        m = s.incidents.alias("members")
        return select(m.c.merged_id).where(m.c.id.in_(ids))

    # ------------------------------------------------------------------ figures & quotes
    def _figure_select(self) -> Select:
        f, d, p = s.figures, s.documents, s.provenance
        ev = (select(p.c.text).where(p.c.record_kind == "figure", p.c.record_id == f.c.id)
              .order_by(p.c.seq).limit(1).scalar_subquery())
        return (select(f, ev.label("evidence"), d.c.url, d.c.title, d.c.outlet, d.c.published,
                       _text_head(d).label("text_head"))
                .select_from(f.join(d, d.c.id == f.c.document_id)).where(f.c.review_state != "rejected"))

    @staticmethod
    def _figure_row(r: Any) -> FigureRow:
        return FigureRow(id=r.id, document_id=r.document_id, indicator=r.indicator, subject=r.subject,
                         value=r.value, low=r.low, high=r.high, qualifier=r.qualifier, unit=r.unit,
                         period=r.period, place=r.place, place_country=r.place_country,
                         attributed_to=r.attributed_to, evidence=r.evidence or "", url=r.url, title=r.title,
                         outlet=r.outlet, published=r.published, title_display=display_title(r.title, r.text_head))

    def figures(self, *, indicator: str | None = None, place: str | None = None,
                subject: str | None = None, document_id: str | None = None) -> Results[FigureRow]:
        """Numeric claims, grouped so that every source's value for the same indicator,
        place and period sits side by side (ordered by indicator, place, period, then
        publication date). Filters are case-insensitive; ``place`` also matches the
        ISO country code, ``indicator``/``subject`` are substrings; ``document_id``
        keeps one article's figures."""
        indicator, place = filter_text("indicator", indicator), filter_text("place", place)
        subject, document_id = filter_text("subject", subject), filter_text("document_id", document_id)
        f = s.figures
        q = self._figure_select()
        if document_id:
            q = q.where(f.c.document_id == document_id)
        if indicator:
            q = q.where(contains_ci(f.c.indicator, indicator))
        if place:
            q = q.where(or_(contains_ci(f.c.place, place), func.lower(f.c.place_country) == place.lower()))
        if subject:
            q = q.where(contains_ci(f.c.subject, subject))
        q = q.order_by(f.c.indicator, f.c.place, f.c.period, s.documents.c.published, f.c.id)
        with reading(self.engine) as conn:
            return Results(self._figure_row(r) for r in conn.execute(q))

    def _quote_select(self) -> Select:
        qt, d = s.quotes, s.documents
        return (select(qt, d.c.url, d.c.title, d.c.outlet, d.c.published, _text_head(d).label("text_head"))
                .select_from(qt.join(d, d.c.id == qt.c.document_id)).where(qt.c.review_state != "rejected"))

    @staticmethod
    def _quote_row(r: Any) -> QuoteRow:
        return QuoteRow(id=r.id, document_id=r.document_id, speaker=r.speaker, speaker_role=r.speaker_role,
                        speaker_actor_id=r.speaker_actor_id, text=r.text, url=r.url, title=r.title,
                        outlet=r.outlet, published=r.published, title_display=display_title(r.title, r.text_head))

    def quotes(self, *, speaker: str | None = None, document_id: str | None = None) -> Results[QuoteRow]:
        """Quotes, newest first; ``speaker`` is a substring of the speaker as written or a
        name (canonical or alias) of the resolved speaker; ``document_id`` keeps one
        article's quotes."""
        speaker, document_id = filter_text("speaker", speaker), filter_text("document_id", document_id)
        qt = s.quotes
        q = self._quote_select()
        if document_id:
            q = q.where(qt.c.document_id == document_id)
        if speaker:
            ids = self._actor_ids(speaker.lower())
            q = q.where(or_(contains_ci(qt.c.speaker, speaker), qt.c.speaker_actor_id.in_(ids)))
        q = q.order_by(s.documents.c.published.desc(), qt.c.id)
        with reading(self.engine) as conn:
            return Results(self._quote_row(r) for r in conn.execute(q))

    @staticmethod
    def _actor_ids(low: str) -> Any:
        a, al = s.actors, s.actor_aliases
        return select(a.c.id).where(a.c.review_state != "rejected", or_(
            func.lower(a.c.canonical) == low, func.lower(a.c.id) == low,
            a.c.id.in_(select(al.c.actor_id).where(func.lower(al.c.alias) == low))))

    # ------------------------------------------------------------------ actors
    def actor(self, name: str) -> ActorProfile | None:
        """Profile of the actor whose id, canonical name or alias is ``name`` (case-insensitive),
        or whom the actor registry knows by that name (any EN/ES alias or acronym); when none is, the actor whose canonical name or an alias contains ``name`` (registry
        actors first, then shortest name). None when nothing matches. Rejected actors and
        roles are left out."""
        name = filter_text("actor name", name) or ""
        low = name.lower()
        if not low:
            return None
        a, al, ro, d = s.actors, s.actor_aliases, s.actor_roles, s.documents
        with reading(self.engine) as conn:
            row = conn.execute(select(a).where(a.c.id.in_(self._actor_ids(low)))
                               .order_by(a.c.known.desc(), a.c.id)).first()
            if row is None:  # a registry alias not seen in any stored article ("Sendero Luminoso")
                from cronica.resolve.actors import ActorRegistry

                entry = ActorRegistry.default().lookup(name)
                if entry is not None:
                    row = conn.execute(select(a).where(a.c.id == entry.id, a.c.review_state != "rejected")).first()
            if row is None:  # no exact name: fall back to a name containing the words given
                fuzzy = select(a.c.id).where(a.c.review_state != "rejected", or_(
                    contains_ci(a.c.canonical, name),
                    a.c.id.in_(select(al.c.actor_id).where(contains_ci(al.c.alias, name)))))
                row = conn.execute(select(a).where(a.c.id.in_(fuzzy))
                                   .order_by(a.c.known.desc(), func.length(a.c.canonical), a.c.id)).first()
            if row is None:
                return None
            aliases = list(conn.execute(select(al.c.alias).where(al.c.actor_id == row.id).order_by(al.c.id)).scalars())
            roles = [RoleRow(title=r.title, organization=r.organization, country=r.country, current=r.current,
                             as_of=r.as_of, document_id=r.document_id, url=r.url, id=r.id,
                             review_state=r.review_state)
                     for r in conn.execute(select(ro, d.c.url).select_from(ro.join(d, d.c.id == ro.c.document_id))
                                           .where(ro.c.actor_id == row.id, ro.c.review_state != "rejected")
                                           .order_by(ro.c.as_of, ro.c.id))]
            ia = s.incident_actors
            i = s.incidents
            members = select(i.c.merged_id).where(i.c.id.in_(select(ia.c.incident_id).where(ia.c.actor_id == row.id)))
            inc_q = (select(i.c.id).where(i.c.id.in_(members), i.c.merged_id == i.c.id)
                     .order_by(i.c.date_start.is_(None), i.c.date_start, i.c.id))
            incidents = self._load_incidents(conn, list(conn.execute(inc_q).scalars()))
            names = {n.lower() for n in [row.canonical, *aliases]}
            f = s.figures
            fig_q = self._figure_select().where(or_(func.lower(f.c.subject).in_(names),
                                                    func.lower(f.c.attributed_to).in_(names)))
            figures = [self._figure_row(r) for r in conn.execute(fig_q.order_by(f.c.indicator, f.c.period, f.c.id))]
            qt = s.quotes
            quote_q = self._quote_select().where(or_(qt.c.speaker_actor_id == row.id,
                                                     func.lower(qt.c.speaker).in_(names)))
            quotes = [self._quote_row(r) for r in conn.execute(quote_q.order_by(d.c.published, qt.c.id))]
            doc_ids = ({r.document_id for r in roles} | {r.document_id for r in incidents}
                       | {r.document_id for r in figures} | {r.document_id for r in quotes})
            prov_docs = select(s.provenance.c.document_id).where(s.provenance.c.record_kind == "actor",
                                                                 s.provenance.c.record_id == row.id)
            doc_ids |= set(conn.execute(prov_docs).scalars())
            sources = [SourceRow(document_id=r.id, url=r.url, title=r.title, outlet=r.outlet, published=r.published,
                                 title_display=display_title(r.title, r.text_head))
                       for r in conn.execute(select(d.c.id, d.c.url, d.c.title, d.c.outlet, d.c.published,
                                                    _text_head(d).label("text_head"))
                                             .where(d.c.id.in_(doc_ids)).order_by(d.c.published, d.c.id))]
        per_year: dict[str, int] = {}
        for inc in incidents:
            year = (inc.date or "")[:4] or "undated"
            per_year[year] = per_year.get(year, 0) + 1
        return ActorProfile(id=row.id, canonical=row.canonical, kind=row.kind, country=row.country,
                            parent=row.parent, known=bool(row.known), aliases=aliases, roles=roles,
                            incidents_per_year=dict(sorted(per_year.items())), incidents=incidents,
                            figures=figures, quotes=quotes, sources=sources, review_state=row.review_state)

    # ------------------------------------------------------------------ summary & export
    def counts(self, *, top: int = 10) -> dict[str, Any]:
        """Totals for a quick overview: documents, incidents (and per type), killed,
        actors, figures, quotes, and the ``top`` groups by number of incidents (``top``: 0 to
        :data:`~cronica.store.bounds.MAX_TOP`)."""
        top = bounded_int("top", top, high=MAX_TOP)
        i, ia, a = s.incidents, s.incident_actors, s.actors
        live = and_(i.c.review_state != "rejected", i.c.merged_id == i.c.id)  # merged incidents, once
        with reading(self.engine) as conn:
            n = lambda t, *w: conn.execute(select(func.count()).select_from(t).where(*w)).scalar_one()  # noqa: E731
            by_type = dict(conn.execute(select(i.c.type, func.count()).where(live).group_by(i.c.type)
                                        .order_by(func.count().desc(), i.c.type)).all())
            killed = conn.execute(select(func.coalesce(func.sum(i.c.killed), 0)).where(live)).scalar_one()
            name = func.coalesce(a.c.canonical, ia.c.canonical, ia.c.name)
            groups = conn.execute(
                select(name.label("name"), func.count(func.distinct(i.c.merged_id)).label("n"))
                .select_from(ia.join(i, i.c.id == ia.c.incident_id).outerjoin(a, a.c.id == ia.c.actor_id))
                .where(i.c.review_state != "rejected", or_(a.c.kind.in_(("criminal_group", "armed_group")),
                                 and_(a.c.id.is_(None), ia.c.kind.in_(("criminal_group", "armed_group")))))
                .group_by(name).order_by(func.count(func.distinct(i.c.merged_id)).desc(), name).limit(top)).all()
            return {
                "documents": n(s.documents),
                "incidents": n(i, live),
                "incidents_by_type": by_type,
                "killed": int(killed or 0),
                "actors": n(a, a.c.review_state != "rejected"),
                "figures": n(s.figures, s.figures.c.review_state != "rejected"),
                "quotes": n(s.quotes, s.quotes.c.review_state != "rejected"),
                "top_groups": [{"name": g.name, "incidents": g.n} for g in groups],
            }

    def export(self, format: ExportFormat, out: IO[bytes] | IO[str] | str | Path) -> int:  # noqa: A002
        """Write every non-rejected incident to ``out`` (a path or an open file); returns
        the number of incidents written. See :mod:`cronica.store.export` for formats."""
        from cronica.store.export import export_incidents

        return export_incidents(self, format, out)

    def _merged_views(self) -> dict[str, dict[str, Any]]:
        """Every merged incident's reports, tolls and links, by merged id (for exports)."""
        with reading(self.engine) as conn:
            return merges.all_views(conn)

    def _all_incidents_with_kinds(self) -> tuple[Results[IncidentRow], dict[str, dict[str, list[str | None]]]]:
        """Every non-rejected incident (oldest first) and the actor kinds per role."""
        rows = self.incidents(limit=2**62)
        kinds: dict[str, dict[str, list[str | None]]] = {r.id: {"perpetrator": [], "target": []} for r in rows}
        ia, a = s.incident_actors, s.actors
        q = (select(ia.c.incident_id, ia.c.role, func.coalesce(a.c.kind, ia.c.kind).label("kind"))
             .select_from(ia.outerjoin(a, a.c.id == ia.c.actor_id)).order_by(ia.c.id))
        with reading(self.engine) as conn:
            for r in conn.execute(q):
                if r.incident_id in kinds:
                    kinds[r.incident_id][r.role].append(r.kind)
        return rows, kinds
