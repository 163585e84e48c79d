"""Typed records that flow one way through Cronica's stages.

ingest -> :class:`Document`
extract -> :class:`ExtractionResult` (incidents, actors, figures, quotes, each with
           :class:`Evidence` = character offsets into ``Document.text``)
resolve -> fills ``canonical`` / ``actor_id`` / coordinates on those records
store   -> persists an :class:`ExtractionResult` and reads records back

Every record converts to and from plain dicts (``to_dict`` / ``from_dict``); the dict
form is the **Cronica JSON** interchange format (docs/cronica-json.md, schema in
``cronica/schema/cronica.schema.json``).  Nothing here is language specific: text
fields hold whatever language the article is in, and ``Document.language`` says which.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, TypeVar

FORMAT_VERSION = "1.0"

INCIDENT_TYPES: tuple[str, ...] = (
    "attack", "ambush", "bombing", "armed_clash", "murder", "massacre", "kidnapping",
    "arrest_capture", "drug_seizure", "eradication", "lab_raid", "extortion", "arson",
    "robbery", "armed_strike", "prison_riot", "other",
)
STATUSES: tuple[str, ...] = ("current", "background", "aggregate", "hypothetical", "negated")
QUALIFIERS: tuple[str, ...] = ("exact", "at_least", "about", "at_most")
ACTOR_KINDS: tuple[str, ...] = (
    "criminal_group", "armed_group", "state_force", "government_body", "person", "organization",
)
DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")
PLACE_PRECISIONS: tuple[str, ...] = ("point", "locality", "region", "admin1", "country")

IncidentType = Literal[
    "attack", "ambush", "bombing", "armed_clash", "murder", "massacre", "kidnapping",
    "arrest_capture", "drug_seizure", "eradication", "lab_raid", "extortion", "arson",
    "robbery", "armed_strike", "prison_riot", "other",
]
Status = Literal["current", "background", "aggregate", "hypothetical", "negated"]
Qualifier = Literal["exact", "at_least", "about", "at_most"]
ActorKind = Literal[
    "criminal_group", "armed_group", "state_force", "government_body", "person", "organization",
]

T = TypeVar("T")


def stable_id(prefix: str, *parts: object) -> str:
    """A short deterministic id: same inputs, same id, across runs and machines."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}_{h}"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def date_precision(value: str | None) -> str | None:
    """The precision a ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY`` date is written at (one of
    :data:`DATE_PRECISIONS`), or ``None`` for ``None`` and for anything of another shape."""
    if not value:
        return None
    return {10: "day", 7: "month", 4: "year"}.get(len(value)) if value[:4].isdigit() else None


class _Record:
    """dict round-tripping shared by all records (nested records handled per class)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def _plain(cls: type[T], data: dict[str, Any]) -> T:
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(slots=True)
class Evidence(_Record):
    """A span of ``Document.text``: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Evidence":
        return cls(int(d["start"]), int(d["end"]), d["text"])


def _ev(d: dict[str, Any] | None) -> Evidence | None:
    return Evidence.from_dict(d) if d else None


def _evs(items: list[dict[str, Any]] | None) -> list[Evidence]:
    return [Evidence.from_dict(x) for x in items or []]


@dataclass(slots=True)
class Document(_Record):
    """A cleaned article. ``text`` is what extraction sees (boilerplate removed)."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD | YYYY-MM | YYYY (see published_precision)
    language: str | None = None  # ISO 639-1
    source_path: str | None = None
    content_hash: str = ""
    raw_format: str = "text"  # text | html | jsonl | feed

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.text)

    @property
    def published_precision(self) -> str | None:
        """``day`` / ``month`` / ``year``: how much of the publication date is known. The
        precision is the shape of ``published`` (``2021-05-03`` / ``2021-05`` / ``2021``),
        so it is not stored separately; ``None`` when ``published`` is ``None``."""
        return date_precision(self.published)

    @staticmethod
    def make_id(text: str, url: str | None = None) -> str:
        """Identity of an article: its URL when known (so a changed article at the same
        URL replaces the old one), else its content."""
        return stable_id("doc", url) if url else stable_id("doc", content_hash(text))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        return cls._plain(d)


@dataclass(slots=True)
class Count(_Record):
    value: int
    qualifier: str = "exact"  # Qualifier
    evidence: Evidence | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Count | None":
        if d is None:
            return None
        return cls(int(d["value"]), d.get("qualifier", "exact"), _ev(d.get("evidence")))


@dataclass(slots=True)
class Location(_Record):
    name: str | None = None  # as written (most specific place)
    admin1: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None  # PLACE_PRECISIONS
    gazetteer_id: str | None = None
    evidence: Evidence | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Location":
        if not d:
            return cls()
        loc = cls._plain({k: v for k, v in d.items() if k != "evidence"})
        loc.evidence = _ev(d.get("evidence"))
        return loc


@dataclass(slots=True)
class ActorRef(_Record):
    """A mention of an actor inside an incident (perpetrator or target)."""

    name: str  # as written
    canonical: str | None = None
    actor_id: str | None = None
    kind: str | None = None
    evidence: Evidence | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ActorRef":
        ref = cls._plain({k: v for k, v in d.items() if k != "evidence"})
        ref.evidence = _ev(d.get("evidence"))
        return ref


@dataclass(slots=True)
class Incident(_Record):
    id: str
    type: str  # IncidentType
    status: str = "current"  # Status
    date: str | None = None  # YYYY-MM-DD | YYYY-MM | YYYY
    date_precision: str | None = None  # day | month | year
    location: Location = field(default_factory=Location)
    perpetrators: list[ActorRef] = field(default_factory=list)
    targets: list[ActorRef] = field(default_factory=list)
    killed: Count | None = None
    wounded: Count | None = None
    kidnapped: Count | None = None
    arrested: Count | None = None
    weapons: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0
    date_evidence: Evidence | None = None
    trigger: Evidence | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Incident":
        return cls(
            id=d["id"], type=d["type"], status=d.get("status", "current"),
            date=d.get("date"), date_precision=d.get("date_precision"),
            location=Location.from_dict(d.get("location")),
            perpetrators=[ActorRef.from_dict(x) for x in d.get("perpetrators", [])],
            targets=[ActorRef.from_dict(x) for x in d.get("targets", [])],
            killed=Count.from_dict(d.get("killed")), wounded=Count.from_dict(d.get("wounded")),
            kidnapped=Count.from_dict(d.get("kidnapped")),
            arrested=Count.from_dict(d.get("arrested")),
            weapons=list(d.get("weapons", [])), evidence=_evs(d.get("evidence")),
            confidence=float(d.get("confidence", 1.0)),
            date_evidence=_ev(d.get("date_evidence")), trigger=_ev(d.get("trigger")),
        )


@dataclass(slots=True)
class Role(_Record):
    """A dated role: "Defense Minister" of Peru, "then-" marks a former holder."""

    title: str
    organization: str | None = None
    country: str | None = None
    current: bool | None = None  # False for "former"/"then-" roles
    as_of: str | None = None  # the publication date the role was stated at
    evidence: Evidence | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Role":
        r = cls._plain({k: v for k, v in d.items() if k != "evidence"})
        r.evidence = _ev(d.get("evidence"))
        return r


@dataclass(slots=True)
class Actor(_Record):
    id: str
    name: str  # first form as written in this document
    canonical: str
    kind: str  # ActorKind
    aliases: list[str] = field(default_factory=list)  # forms seen in this document
    roles: list[Role] = field(default_factory=list)
    country: str | None = None
    parent: str | None = None  # canonical name of the umbrella organisation
    known: bool = False  # True when the actor comes from the shipped registry
    evidence: list[Evidence] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Actor":
        a = cls._plain({k: v for k, v in d.items() if k not in ("roles", "evidence")})
        a.roles = [Role.from_dict(x) for x in d.get("roles", [])]
        a.evidence = _evs(d.get("evidence"))
        return a


@dataclass(slots=True)
class Figure(_Record):
    """A numeric claim not tied to one incident (coca hectares, group size, ...)."""

    id: str
    indicator: str
    value: float | None
    subject: str | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    unit: str | None = None
    period: str | None = None  # YYYY | YYYY-MM | YYYY-MM-DD | YYYY/YYYY
    place: str | None = None
    place_country: str | None = None
    attributed_to: str | None = None
    evidence: Evidence | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Figure":
        f = cls._plain({k: v for k, v in d.items() if k != "evidence"})
        f.evidence = _ev(d.get("evidence"))
        return f


@dataclass(slots=True)
class Quote(_Record):
    id: str
    text: str
    speaker: str | None = None
    speaker_role: str | None = None
    speaker_actor_id: str | None = None
    evidence: Evidence | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quote":
        q = cls._plain({k: v for k, v in d.items() if k != "evidence"})
        q.evidence = _ev(d.get("evidence"))
        return q


@dataclass(slots=True)
class ExtractionResult(_Record):
    """One document and everything extracted from it: one line of Cronica JSON."""

    document: Document
    incidents: list[Incident] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    version: str = FORMAT_VERSION
    extractor: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        # "version" first reads better in a JSON line
        return {"version": d.pop("version"), **d}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ExtractionResult":
        return cls(
            document=Document.from_dict(d["document"]),
            incidents=[Incident.from_dict(x) for x in d.get("incidents", [])],
            actors=[Actor.from_dict(x) for x in d.get("actors", [])],
            figures=[Figure.from_dict(x) for x in d.get("figures", [])],
            quotes=[Quote.from_dict(x) for x in d.get("quotes", [])],
            version=d.get("version", FORMAT_VERSION), extractor=d.get("extractor", ""),
        )


@dataclass(slots=True)
class IngestError(_Record):
    """A file (or line of a file) that could not be read; the batch goes on."""

    source: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"
