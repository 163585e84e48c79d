"""The extraction stage: cleaned documents in, Cronica records out (see ``pipeline``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from cronica.extract.pipeline import Extractor


def __getattr__(name: str) -> Any:
    # lazy: importing cronica.extract must not load spaCy
    if name == "Extractor":
        from cronica.extract.pipeline import Extractor

        return Extractor
    raise AttributeError(name)


__all__ = ["Extractor"]
