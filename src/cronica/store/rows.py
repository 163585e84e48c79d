"""Row types returned by :class:`cronica.store.api.Cronica` queries.

Each row is a small dataclass with ``to_dict()`` (plain JSON-ready values). List results
are :class:`Results`, a ``list`` with ``to_pandas()``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from cronica.records import Document
from cronica.store.errors import StoreError

if TYPE_CHECKING:  # pragma: no cover
    import pandas

R = TypeVar("R")

TITLE_DISPLAY_MAX = 120


def display_title(title: str | None, text: str | None, *, limit: int = TITLE_DISPLAY_MAX) -> str | None:
    """What to show as an article's title: its stored ``title`` when it has one, else the
    first non-blank line of ``text`` (whitespace collapsed, cut at ``limit`` characters
    with "…"), else None. The stored title itself is never changed or invented."""
    if title and title.strip():
        return title.strip()
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return None


class Results(list, Generic[R]):  # type: ignore[type-arg]
    """A list of rows that can become a pandas DataFrame (pandas is optional)."""

    def to_dicts(self) -> list[dict[str, Any]]:
        return [r.to_dict() if hasattr(r, "to_dict") else r for r in self]

    def to_pandas(self) -> "pandas.DataFrame":
        """One DataFrame row per result; raises :class:`StoreError` if pandas is missing."""
        try:
            import pandas as pd
        except ImportError:
            raise StoreError("to_pandas() needs pandas, which is not installed: pip install 'cronica[analysis]'") from None
        return pd.DataFrame(self.to_dicts())


class _Row:
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(slots=True)
class SearchHit(_Row):
    """An article or record matching a full-text search. ``score``: higher is better."""

    kind: str  # document | incident | figure | quote | actor
    id: str
    document_id: str | None
    snippet: str
    score: float
    title: str | None = None
    url: str | None = None
    published: str | None = None
    title_display: str | None = None  # title, else the article's first line


@dataclass(slots=True)
class IncidentRow(_Row):
    """An incident flattened for tables, with its source article; ``data`` is the full record."""

    id: str
    document_id: str
    type: str
    status: str
    date: str | None
    date_precision: str | None
    location: str | None
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    geo_precision: str | None
    killed: int | None
    killed_qualifier: str | None
    wounded: int | None
    wounded_qualifier: str | None
    kidnapped: int | None
    kidnapped_qualifier: str | None
    arrested: int | None
    arrested_qualifier: str | None
    perpetrators: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    evidence: str = ""
    review_state: str = "unreviewed"
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    title_display: str | None = None  # title, else the article's first line
    # Filled by Cronica.incident(id) only (empty in lists): every evidence span of the
    # incident (field, seq, start, end, text, document_id) and its whole article.
    provenance: list[dict[str, Any]] = field(default_factory=list)
    document: Document | None = None
    # The merged incident this report belongs to (its own id when it leads it or stands
    # alone). Filled by Cronica.incident(id) only: the merged incident's reports (document,
    # evidence, counts), tolls (low / best / high per count with sources) and the pairs'
    # scores and reasons (see cronica.store.merges.merged_view).
    merged_id: str | None = None
    reports: list[dict[str, Any]] = field(default_factory=list)
    tolls: dict[str, Any] = field(default_factory=dict)
    merge_links: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class FigureRow(_Row):
    """A numeric claim with the article that made it."""

    id: str
    document_id: str
    indicator: str
    subject: str | None
    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    unit: str | None
    period: str | None
    place: str | None
    place_country: str | None
    attributed_to: str | None
    evidence: str = ""
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    title_display: str | None = None


@dataclass(slots=True)
class QuoteRow(_Row):
    id: str
    document_id: str
    speaker: str | None
    speaker_role: str | None
    speaker_actor_id: str | None
    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    title_display: str | None = None


@dataclass(slots=True)
class RoleRow(_Row):
    title: str
    organization: str | None
    country: str | None
    current: bool | None
    as_of: str | None
    document_id: str
    url: str | None = None
    id: int | None = None
    review_state: str = "unreviewed"


@dataclass(slots=True)
class SourceRow(_Row):
    document_id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    title_display: str | None = None


@dataclass(slots=True)
class ActorProfile(_Row):
    """Everything stored about one canonical actor, merged across documents."""

    id: str
    canonical: str
    kind: str
    country: str | None
    parent: str | None
    known: bool
    aliases: list[str] = field(default_factory=list)
    roles: list[RoleRow] = field(default_factory=list)
    incidents_per_year: dict[str, int] = field(default_factory=dict)
    incidents: list[IncidentRow] = field(default_factory=list)
    figures: list[FigureRow] = field(default_factory=list)
    quotes: list[QuoteRow] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    review_state: str = "unreviewed"
