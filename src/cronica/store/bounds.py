"""Caps on what a store query accepts, so no input can make the database work unboundedly.

Every check raises a one-line :class:`StoreError` naming the input and the limit (the web
app turns it into a 4xx). The numbers are documented in ``docs/limits.md``.

* search text: at most :data:`MAX_QUERY_CHARS` characters and :data:`MAX_QUERY_TERMS`
  distinct words (a word repeated counts once: repeats are collapsed before querying);
* filter strings (group, place, speaker, indicator, ...): at most :data:`MAX_FILTER_CHARS`;
  LIKE filters match their text literally (``%``, ``_`` and ``\\`` are escaped);
* integers (limit, offset, top): whole numbers (not bool, not float) within stated ranges.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, func

from cronica.store.errors import StoreError

MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 32
MAX_FILTER_CHARS = 256
MAX_ROWS = 1 << 62  # limit/offset of list queries: what a 64-bit integer column holds, with room
MAX_SEARCH_LIMIT = 1000
MAX_TOP = 1000

_WORD = re.compile(r"\w+", re.UNICODE)
LIKE_ESCAPE = "\\"


def _preview(value: str, n: int = 40) -> str:
    return repr(value if len(value) <= n else value[:n] + "…")


def query_terms(query: Any, *, name: str = "search text") -> list[str]:
    """The distinct words of a search query, in first-seen order (compared case-insensitively).

    Raises :class:`StoreError` when ``query`` is not a string, is longer than
    :data:`MAX_QUERY_CHARS`, has no words, or has more than :data:`MAX_QUERY_TERMS`
    distinct words."""
    if not isinstance(query, str):
        raise StoreError(f"{name} must be text, not {type(query).__name__}")
    if len(query) > MAX_QUERY_CHARS:
        raise StoreError(f"{name} is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}")
    terms: dict[str, str] = {}
    for word in _WORD.findall(query):
        terms.setdefault(word.casefold(), word)
    if not terms:
        raise StoreError(f"{name} {_preview(query)} has no words to look for")
    if len(terms) > MAX_QUERY_TERMS:
        raise StoreError(f"{name} has {len(terms)} different words; the limit is {MAX_QUERY_TERMS}")
    return list(terms.values())


def filter_text(name: str, value: Any) -> str | None:
    """A filter string stripped of surrounding blanks (None when absent or blank); a
    :class:`StoreError` when it is not a string or longer than :data:`MAX_FILTER_CHARS`."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise StoreError(f"{name} filter must be text, not {type(value).__name__}")
    if len(value) > MAX_FILTER_CHARS:
        raise StoreError(f"{name} filter is {len(value)} characters long; the limit is {MAX_FILTER_CHARS}")
    if "\x00" in value:
        raise StoreError(f"{name} filter {_preview(value)} contains a NUL character")
    value = value.strip()
    return value or None


def bounded_int(name: str, value: Any, *, low: int = 0, high: int = MAX_ROWS) -> int:
    """``value`` when it is a whole number (int, not bool) with ``low <= value <= high``;
    a :class:`StoreError` naming ``name`` and the range otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise StoreError(f"{name} {value!r} is not a whole number")
    if not low <= value <= high:
        raise StoreError(f"{name} {value} is out of range: it must be {low} or more and at most {high}")
    return value


def escape_like(value: str) -> str:
    """``value`` with LIKE wildcards (``%``, ``_``) and the escape character escaped."""
    return (value.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%")
            .replace("_", LIKE_ESCAPE + "_"))


def contains_ci(column: Any, value: str) -> ColumnElement[bool]:
    """``lower(column) LIKE '%value%'`` with ``value`` matched literally (case-insensitive)."""
    return func.lower(column).like(f"%{escape_like(value.lower())}%", escape=LIKE_ESCAPE)
