"""Settings shared by the stages (kept tiny: everything else is passed explicitly)."""

from __future__ import annotations

import os


def default_db_url() -> str:
    """``$CRONICA_DB`` if set, else a SQLite file ``cronica.db`` in the working directory."""
    return os.environ.get("CRONICA_DB") or "sqlite:///cronica.db"
