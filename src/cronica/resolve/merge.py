"""One incident from many reports: cross-article (and cross-language) incident resolution.

Pure over records: a :class:`Report` is one article's account of one incident (built from an
:class:`~cronica.records.Incident` and its :class:`~cronica.records.Document`); the
:class:`Resolver` groups reports into incidents.  Nothing here touches a database: the store's
caller asks the resolver which stored reports a new one joins and stores the answer.

**Comparing two reports** (:func:`compare`) gives a :class:`Link`: either a hard *conflict*
(the two cannot be one incident: same article, different country, type family, dates more than
:data:`DAY_WINDOW` days apart, different admin1, places far apart, or different ongoing /
one-off status) or a *score* with its reasons: which fields agreed (date, place, type,
perpetrators, targets, tolls) and which disagreed.

**Grouping** (:func:`cluster`) is order independent: the result depends only on the *set* of
reports, never on the order they arrived in.  Reports that could possibly be linked form a
component; inside it, pairs are taken best score first (ties by report key) and two groups join
when every cross pair is conflict-free, no article contributes two reports, no editor's
*split* forbids it, and their average pair score reaches :data:`THRESHOLD`.  An editor's *merge*
joins groups before anything else.  Because a split is stored as a constraint, a later ingest
never undoes it.

**Conflicting figures side by side** (:func:`tolls`): every report keeps its own counts; an
incident shows, per count, *low* (the lowest reported), *high* (the highest) and *best*: the
latest report's figure (latest publication date; on the same day the exact figure over an
"at least", then the higher one) — in the spirit of UCDP's best estimate, where later official
tolls revise earlier ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

from cronica.records import Document, Incident
from cronica.resolve.text import fold

__all__ = ["Report", "Link", "Resolver", "compare", "cluster", "tolls", "type_family",
           "DAY_WINDOW", "THRESHOLD", "FAMILIES"]

#: A day-precision date may differ by this many days between two reports of one incident.
DAY_WINDOW = 3
#: Average pair score two groups need to join (chosen on the train split's clusters).
THRESHOLD = 2.5
#: Places with coordinates farther apart than this (km) are not one incident.
MAX_KM = 60.0

#: Incident types that can describe one event in different reports ("a bank assault" is a
#: robbery in one outlet and an attack in another; a raid is a seizure and an arrest).
FAMILIES: dict[str, str] = {
    **{t: "violence" for t in ("attack", "ambush", "bombing", "armed_clash", "murder", "massacre",
                               "prison_riot", "arson", "robbery")},
    "kidnapping": "kidnapping",
    **{t: "enforcement" for t in ("arrest_capture", "drug_seizure", "lab_raid", "eradication")},
    "extortion": "extortion",
    "armed_strike": "armed_strike",
    "other": "other",
}
#: Statuses whose reports are resolved; hypothetical and negated incidents stay on their own.
RESOLVED_STATUSES = frozenset({"current", "background", "aggregate"})
COUNT_FIELDS = ("killed", "wounded", "kidnapped", "arrested")
GENERIC_ACTORS = frozenset({"unknown", "unidentified", "gunmen", "armed men", "hombres armados",
                            "sicarios", "desconocidos"})


def type_family(t: str | None) -> str:
    return FAMILIES.get(t or "other", "other")


#: Families that may still describe one event, at a cost: a kidnapping that ends in killings is
#: a murder in one report and a kidnapping in another; ``other`` (a release, an escape, an
#: extradition) is what a report calls an event it cannot type.
NEAR_FAMILIES: dict[frozenset[str], float] = {frozenset(("violence", "kidnapping")): -0.75}
OTHER_COST = -0.75
#: A current incident with no date happened shortly before its article was published.
RECENT_DAYS = 10


@dataclass(frozen=True, slots=True)
class Report:
    """One article's account of one incident: what resolution compares."""

    key: str  # stable id of the report (the stored incident id)
    document_id: str
    type: str
    status: str = "current"
    date: str | None = None  # YYYY-MM-DD | YYYY-MM | YYYY
    country: str | None = None
    admin1: str | None = None
    place: str | None = None  # folded most specific place name
    place_id: str | None = None  # gazetteer id
    precision: str | None = None
    lat: float | None = None
    lon: float | None = None
    perpetrators: frozenset[str] = frozenset()  # folded canonical names
    targets: frozenset[str] = frozenset()
    counts: tuple[tuple[str, int, str], ...] = ()  # (field, value, qualifier)
    published: str | None = None
    language: str | None = None
    outlet: str | None = None
    url: str | None = None

    @classmethod
    def from_incident(cls, inc: Incident, doc: Document) -> "Report":
        loc = inc.location
        counts = tuple((k, c.value, c.qualifier) for k in COUNT_FIELDS
                       if (c := getattr(inc, k)) is not None)
        return cls(
            key=inc.id, document_id=doc.id, type=inc.type, status=inc.status, date=inc.date,
            country=loc.country, admin1=fold(loc.admin1) if loc.admin1 else None,
            place=fold(loc.name) if loc.name and loc.precision not in ("country", "admin1") else None,
            place_id=loc.gazetteer_id if loc.precision not in ("country", None) else None,
            precision=loc.precision, lat=loc.lat, lon=loc.lon,
            perpetrators=_actors(inc.perpetrators), targets=_actors(inc.targets), counts=counts,
            published=doc.published, language=doc.language, outlet=doc.outlet, url=doc.url)

    def count(self, name: str) -> tuple[int, str] | None:
        for k, v, q in self.counts:
            if k == name:
                return v, q
        return None

    @property
    def family(self) -> str:
        return type_family(self.type)


def _actors(refs: Iterable[Any]) -> frozenset[str]:
    out = set()
    for r in refs:
        name = fold(r.canonical or r.name or "")
        if name and name not in GENERIC_ACTORS:
            out.add(name)
    return frozenset(out)


# ----------------------------------------------------------------------------- dates
def _span(d: str | None) -> tuple[Date, Date] | None:
    """The first and last day a (possibly partial) date covers."""
    if not d:
        return None
    try:
        y = int(d[:4])
        if len(d) >= 10:
            x = Date(y, int(d[5:7]), int(d[8:10]))
            return x, x
        if len(d) >= 7:
            m = int(d[5:7])
            end = Date(y + (m == 12), m % 12 + 1, 1)
            return Date(y, m, 1), Date.fromordinal(end.toordinal() - 1)
        return Date(y, 1, 1), Date(y, 12, 31)
    except ValueError:
        return None


def report_span(r: "Report") -> tuple[Date, Date] | None:
    """The days a report's incident may have happened on: its date's span; for a current
    incident without a date, the :data:`RECENT_DAYS` before publication."""
    span = _span(r.date)
    if span is None and r.status == "current" and r.published and len(r.published) >= 10:
        pub = _span(r.published)
        if pub is not None:
            span = (Date.fromordinal(pub[0].toordinal() - RECENT_DAYS), pub[1])
    return span


def _precision(d: str | None) -> str | None:
    return None if not d else {10: "day", 7: "month"}.get(len(d), "year")


def date_gap(a: str | None, b: str | None) -> int | None:
    """Days between two dates' spans (0 when they overlap); None when either is unknown."""
    return _gap(_span(a), _span(b))


def _gap(sa: tuple[Date, Date] | None, sb: tuple[Date, Date] | None) -> int | None:
    if sa is None or sb is None:
        return None
    if sa[1] < sb[0]:
        return (sb[0] - sa[1]).days
    if sb[1] < sa[0]:
        return (sa[0] - sb[1]).days
    return 0


def _km(a: Report, b: Report) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)  # type: ignore[operator]
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


# ----------------------------------------------------------------------------- pairs
@dataclass(slots=True)
class Link:
    """How two reports compare: a conflict (``None`` score) or a score with its reasons."""

    score: float | None
    agreed: list[str] = field(default_factory=list)
    conflicted: list[str] = field(default_factory=list)

    @property
    def possible(self) -> bool:
        return self.score is not None

    def to_dict(self) -> dict[str, Any]:
        return {"score": None if self.score is None else round(self.score, 3),
                "agreed": list(self.agreed), "conflicted": list(self.conflicted)}


def _conflict(why: str) -> Link:
    return Link(None, [], [why])


def blocked(a: Report, b: Report) -> str | None:
    """Why two reports can never be one incident (``None`` when they can)."""
    if a.document_id == b.document_id:
        return "same article"
    if a.status not in RESOLVED_STATUSES or b.status not in RESOLVED_STATUSES:
        return "hypothetical or negated"
    if (a.status == "aggregate") != (b.status == "aggregate"):
        return "a series and a single event"
    # Without a date or a country a report would be a candidate for every report of its
    # type family, chaining whole archives into one component: it stays on its own (an
    # editor can still merge it).  A year alone only meets other coarse dates.
    if report_span(a) is None or report_span(b) is None:
        return "date unknown"
    if not a.country or not b.country:
        return "country unknown"
    if "year" in (_precision(a.date), _precision(b.date)) and "day" in (_precision(a.date), _precision(b.date)):
        return f"date {a.date} / {b.date} (a year against a day)"
    if family_cost(a, b) is None:
        return f"type {a.type} / {b.type}"
    if a.country and b.country and a.country != b.country:
        return f"country {a.country} / {b.country}"
    gap = _gap(report_span(a), report_span(b))
    if gap is not None and gap > DAY_WINDOW:
        return f"date {a.date or 'recent'} / {b.date or 'recent'}"
    km = _km(a, b)
    if km is not None and km > MAX_KM and a.precision in ("locality", "point") \
            and b.precision in ("locality", "point"):
        return f"places {km:.0f} km apart"
    return None


def family_cost(a: Report, b: Report) -> float | None:
    """0 for one type family, a cost for near families, ``None`` for families that never meet."""
    if a.family == b.family:
        return 0.0
    if "other" in (a.family, b.family):
        return OTHER_COST
    return NEAR_FAMILIES.get(frozenset((a.family, b.family)))


def compare(a: Report, b: Report) -> Link:
    """Score how likely two reports tell of one incident, with the reasons."""
    why = blocked(a, b)
    if why:
        return _conflict(why)
    s, agreed, conflicted = 0.0, [], []
    cost = family_cost(a, b) or 0.0
    if cost:
        s += cost
        conflicted.append(f"types {a.type} / {b.type}")
    gap = _gap(report_span(a), report_span(b))
    day = len(a.date or "") >= 10 and len(b.date or "") >= 10
    if gap is None:
        conflicted.append("date unknown")
        s -= 0.5
    elif not a.date or not b.date:
        s += 0.25
        agreed.append("recent, as published")
    elif day:
        s += (2.0, 1.5, 0.5, 0.25)[min(gap, 3)]
        agreed.append("same day" if gap == 0 else f"dates {gap} day{'s' * (gap > 1)} apart")
    else:
        s += 0.5
        agreed.append("dates overlap")
    if a.place_id and a.place_id == b.place_id or a.place and a.place == b.place:
        s += 2.0
        agreed.append("same place")
    elif a.place and b.place and (a.place in b.place or b.place in a.place):
        s += 1.5
        agreed.append("same place")
    else:
        km = _km(a, b)
        if km is not None and km <= 25 and a.precision in ("locality", "point") and b.precision in ("locality", "point"):
            s += 1.5
            agreed.append(f"places {km:.0f} km apart")
        elif a.admin1 and a.admin1 == b.admin1:
            s += 0.75
            agreed.append("same admin1")
        elif a.admin1 and b.admin1:
            s -= 1.5
            conflicted.append(f"admin1 {a.admin1} / {b.admin1}")
        elif a.place and b.place:
            s -= 0.5
            conflicted.append("different places")
    if a.country and a.country == b.country:
        s += 0.25
    if a.type == b.type:
        s += 1.0
        agreed.append("same type")
    if a.perpetrators and b.perpetrators:
        if a.perpetrators & b.perpetrators:
            s += 1.5
            agreed.append("same perpetrator")
        else:
            s -= 1.0
            conflicted.append("different perpetrators")
    if a.targets & b.targets:
        s += 0.5
        agreed.append("same target")
    for k in ("killed", "kidnapped"):
        ca, cb = a.count(k), b.count(k)
        if ca is None or cb is None:
            continue
        lo, hi = sorted((ca[0], cb[0]))
        if lo == hi:
            s += 1.0
            agreed.append(f"{k} {lo}")
        elif hi <= 2 * lo + 2:
            s += 0.5
            agreed.append(f"{k} {lo} / {hi}")
        else:
            s -= 1.0
            conflicted.append(f"{k} {lo} / {hi}")
    if a.status == b.status == "current":
        s += 0.25
    return Link(s, agreed, conflicted)


# ----------------------------------------------------------------------------- grouping
@dataclass(slots=True)
class Constraints:
    """An editor's decisions: reports that must (merge) or must not (split) share an incident."""

    must: set[frozenset[str]] = field(default_factory=set)
    cannot: set[frozenset[str]] = field(default_factory=set)

    def split(self, report: str, others: Iterable[str]) -> None:
        for o in others:
            if o != report:
                self.cannot.add(frozenset((report, o)))
                self.must.discard(frozenset((report, o)))

    def merge(self, a: Iterable[str], b: Iterable[str]) -> None:
        for x in a:
            for y in b:
                if x != y:
                    self.must.add(frozenset((x, y)))
                    self.cannot.discard(frozenset((x, y)))


def cluster(reports: Sequence[Report], constraints: Constraints | None = None,
            threshold: float = THRESHOLD) -> tuple[list[list[str]], dict[frozenset[str], Link]]:
    """Group ``reports`` into incidents (lists of report keys, each sorted; groups sorted by
    their first key) and return the pair links that were computed.  Depends only on the set
    of reports and the constraints, never on their order."""
    cons = constraints or Constraints()
    reps = sorted(reports, key=lambda r: r.key)
    by_key = {r.key: r for r in reps}
    links: dict[frozenset[str], Link] = {}
    for i, a in enumerate(reps):
        for b in reps[i + 1:]:
            links[frozenset((a.key, b.key))] = compare(a, b)
    group = {r.key: i for i, r in enumerate(reps)}
    members: dict[int, list[str]] = {i: [r.key] for i, r in enumerate(reps)}

    def join(x: int, y: int) -> None:
        if x == y:
            return
        x, y = min(x, y), max(x, y)
        for k in members[y]:
            group[k] = x
        members[x] = sorted(members[x] + members.pop(y))

    for pair in sorted(cons.must, key=sorted):
        a, b = sorted(pair)
        if a in group and b in group:
            join(group[a], group[b])

    def can_join(x: int, y: int) -> float | None:
        docs_x = {by_key[k].document_id for k in members[x]}
        if any(by_key[k].document_id in docs_x for k in members[y]):
            return None
        total = 0.0
        for ka in members[x]:
            for kb in members[y]:
                p = frozenset((ka, kb))
                if p in cons.cannot:
                    return None
                ln = links[p]
                if ln.score is None:
                    return None
                total += ln.score
        return total / (len(members[x]) * len(members[y]))

    ranked = sorted(((ln.score, sorted(p)) for p, ln in links.items() if ln.score is not None
                     and ln.score >= threshold), key=lambda t: (-t[0], t[1]))
    for _, (a, b) in ranked:
        x, y = group[a], group[b]
        if x == y:
            continue
        avg = can_join(x, y)
        if avg is not None and avg >= threshold:
            join(x, y)
    groups = sorted((sorted(m) for m in members.values()), key=lambda m: m[0])
    return groups, links


class Resolver:
    """Incremental resolution: add reports one at a time; :meth:`groups` always equals
    :func:`cluster` over every report added so far (so the arrival order never matters).

    Only the component of possibly-linked reports around a new report is regrouped, and
    candidates come from an index by type family and country, so cost follows the number of
    nearby reports, not the size of the store."""

    def __init__(self, threshold: float = THRESHOLD, constraints: Constraints | None = None) -> None:
        self.threshold = threshold
        self.constraints = constraints or Constraints()
        self.reports: dict[str, Report] = {}
        self._index: dict[tuple[str, str | None], set[str]] = {}
        self._group_of: dict[str, int] = {}
        self._groups: dict[int, list[str]] = {}
        self._next = 0
        self.links: dict[frozenset[str], Link] = {}

    def _block(self, r: Report) -> tuple[str, str | None]:
        return (r.family, r.country)

    def candidates(self, r: Report) -> set[str]:
        """Keys of stored reports that ``r`` could possibly be linked with."""
        keys = set(self._index.get(self._block(r), ()))
        if r.country is not None:
            keys |= self._index.get((r.family, None), set())
        else:
            for (fam, _), ks in self._index.items():
                if fam == r.family:
                    keys |= ks
        return {k for k in keys if k != r.key and blocked(r, self.reports[k]) is None}

    def _component(self, start: str) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            k = todo.pop()
            for c in self.candidates(self.reports[k]):
                if c not in seen:
                    seen.add(c)
                    todo.append(c)
            for m in self._groups.get(self._group_of.get(k, -1), []):
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        return seen

    def add(self, report: Report) -> list[str]:
        """Add (or replace) a report; returns the keys of the incident it now belongs to."""
        if report.key in self.reports:
            self.remove(report.key)
        self.reports[report.key] = report
        self._index.setdefault(self._block(report), set()).add(report.key)
        self._regroup(self._component(report.key))
        return self.group(report.key)

    def remove(self, key: str) -> None:
        r = self.reports.pop(key)
        self._index[self._block(r)].discard(key)
        gid = self._group_of.pop(key, None)
        rest = [k for k in self._groups.pop(gid, []) if k != key] if gid is not None else []
        for k in rest:
            self._group_of.pop(k, None)
        if rest:
            self._regroup(set().union(*(self._component(k) for k in rest)))

    def _regroup(self, keys: set[str]) -> None:
        for k in keys:
            gid = self._group_of.pop(k, None)
            if gid is not None:
                self._groups.pop(gid, None)
        groups, links = cluster([self.reports[k] for k in keys], self.constraints, self.threshold)
        self.links.update(links)
        for g in groups:
            gid = self._next
            self._next += 1
            self._groups[gid] = g
            for k in g:
                self._group_of[k] = gid

    def split(self, key: str) -> None:
        """An editor's split: ``key`` leaves its incident and never rejoins those reports."""
        self.constraints.split(key, self.group(key))
        self._regroup(self._component(key))

    def merge(self, a: str, b: str) -> None:
        """An editor's merge of the incidents of reports ``a`` and ``b``."""
        self.constraints.merge(self.group(a), self.group(b))
        self._regroup(self._component(a) | self._component(b))

    def group(self, key: str) -> list[str]:
        return list(self._groups[self._group_of[key]])

    def groups(self) -> list[list[str]]:
        return sorted((list(g) for g in self._groups.values()), key=lambda g: g[0])

    def explain(self, key: str) -> list[dict[str, Any]]:
        """Why ``key`` is grouped as it is: its links to the other reports of its incident."""
        out = []
        for other in self.group(key):
            if other != key:
                ln = self.links.get(frozenset((key, other))) or compare(self.reports[key], self.reports[other])
                out.append({"report": other, **ln.to_dict()})
        return out


# ----------------------------------------------------------------------------- figures
def tolls(reports: Sequence[Report]) -> dict[str, dict[str, Any]]:
    """Per count field: low / best / high and which report said what (see module docs)."""
    out: dict[str, dict[str, Any]] = {}
    for k in COUNT_FIELDS:
        said = [(r, c) for r in reports if (c := r.count(k)) is not None]
        if not said:
            continue
        values = [c[0] for _, c in said]

        def rank(rc: tuple[Report, tuple[int, str]]) -> tuple[str, int, int]:
            r, (v, q) = rc
            return (r.published or "", q == "exact", v)

        best_r, (best_v, best_q) = max(said, key=rank)
        out[k] = {"low": min(values), "best": best_v, "high": max(values), "best_qualifier": best_q,
                  "best_source": best_r.key,
                  "sources": [{"report": r.key, "value": v, "qualifier": q, "published": r.published,
                               "outlet": r.outlet} for r, (v, q) in sorted(said, key=lambda rc: rc[0].key)]}
    return out


def reports_from(result: Any) -> list[Report]:
    """Reports of an :class:`~cronica.records.ExtractionResult` or of its Cronica JSON dict."""
    if isinstance(result, Mapping):
        doc = Document.from_dict(dict(result["document"]))
        return [Report.from_incident(Incident.from_dict(dict(i)), doc) for i in result.get("incidents") or []]
    return [Report.from_incident(i, result.document) for i in result.incidents]
