"""Reading the news-dev gold file (``gold.jsonl``) and the group hierarchy it defines.

Contract: :func:`load_gold` returns one :class:`GoldArticle` per non-blank line, in file
order, or raises :class:`BenchError` with a one-line message naming the file, the line
and the problem.  Nothing here touches the article texts.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

REQUIRED_KEYS = ("file", "language", "published", "gold")


class BenchError(Exception):
    """A benchmark input is unusable; the message is one line naming input and problem."""


@dataclass(slots=True)
class GoldArticle:
    """One line of gold.jsonl: the article path (relative to the dev dir) and its answers."""

    file: str
    language: str
    published: str | None
    url: str | None
    events: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "gold") -> "GoldArticle":
        """Build from a parsed gold line; ``where`` names the line in error messages."""
        if not isinstance(d, dict):
            raise BenchError(f"{where}: expected a JSON object, got {type(d).__name__}")
        missing = [k for k in REQUIRED_KEYS if k not in d]
        if missing:
            raise BenchError(f"{where}: missing key(s) {', '.join(missing)}")
        g = d["gold"]
        if not isinstance(g, dict):
            raise BenchError(f"{where}: 'gold' must be an object")
        parts: dict[str, list[dict[str, Any]]] = {}
        for key in ("events", "groups", "people", "claims", "quotes"):
            val = g.get(key, [])
            if not isinstance(val, list):
                raise BenchError(f"{where}: gold.{key} must be a list")
            parts[key] = val
        for i, ev in enumerate(parts["events"]):
            if not isinstance(ev, dict) or "type" not in ev:
                raise BenchError(f"{where}: gold.events[{i}] has no 'type'")
        return cls(file=str(d["file"]), language=str(d["language"]), published=d.get("published"),
                   url=d.get("url"), **parts)


def load_gold(path: str | Path) -> list[GoldArticle]:
    """Parse ``path`` (JSON lines). Raises :class:`BenchError` on a missing file or bad line."""
    p = Path(path)
    if not p.is_file():
        raise BenchError(f"{p}: gold file not found")
    out: list[GoldArticle] = []
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise BenchError(f"{p} line {n}: not valid JSON ({e.msg})") from None
            out.append(GoldArticle.from_dict(d, where=f"{p} line {n}"))
    if not out:
        raise BenchError(f"{p}: gold file has no records")
    return out


def norm(text: str | None) -> str:
    """Comparison form of a name or quote: accents removed, case folded, typographic
    quotes/apostrophes unified, punctuation at the ends stripped, whitespace collapsed."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"',
                                   "—": "-", "–": "-"}))
    t = " ".join(t.casefold().split())
    return t.strip(" .,;:!?\"'-")


def parent_map(articles: Iterable[GoldArticle]) -> dict[str, str]:
    """Normalised canonical -> normalised parent canonical, from every article's groups."""
    parents: dict[str, str] = {}
    for art in articles:
        for g in art.groups:
            if g.get("parent") and g.get("canonical"):
                parents[norm(g["canonical"])] = norm(g["parent"])
    return parents


def with_ancestors(name: str, parents: dict[str, str]) -> set[str]:
    """``{norm(name)}`` plus every ancestor reachable through ``parents`` (cycle-safe)."""
    cur = norm(name)
    seen: set[str] = set()
    while cur and cur not in seen:
        seen.add(cur)
        cur = parents.get(cur, "")
    return seen
