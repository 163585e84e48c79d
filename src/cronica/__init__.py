"""Cronica: from news about organized crime and political violence in Latin America to a
sourced incident database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from cronica.store.api import Cronica


def open(db_url: str | None = None, **kwargs: Any) -> "Cronica":  # noqa: A001 - public API name
    """Open (creating if needed) a Cronica database: ``cronica.open("sqlite:///news.db")``."""
    from cronica.config import default_db_url
    from cronica.store.api import Cronica

    return Cronica(db_url or default_db_url(), **kwargs)
