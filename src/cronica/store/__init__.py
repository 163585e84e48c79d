"""Store stage: persist :class:`~cronica.records.ExtractionResult` objects in SQLite or
PostgreSQL and query them back (:class:`~cronica.store.api.Cronica`)."""

from __future__ import annotations

from cronica.store.api import Cronica
from cronica.store.errors import StoreError
from cronica.store.rows import (
    ActorProfile, FigureRow, IncidentRow, QuoteRow, Results, RoleRow, SearchHit, SourceRow,
)

__all__ = ["ActorProfile", "Cronica", "FigureRow", "IncidentRow", "QuoteRow", "Results", "RoleRow",
           "SearchHit", "SourceRow", "StoreError"]
