"""Long texts are extracted in chunks, so extraction cost grows linearly with length.

Several components relate every mention to every other one in the document (people are
clustered by name, quotes look for their speaker among all person mentions, incidents
merge with earlier ones), and spaCy's memory grows with the size of one ``Doc``. On a news
article (a few KB) that is cheap; on a pasted book it is quadratic. A document longer than
:data:`CHUNK_CHARS` is therefore cut at paragraph (else line, sentence, word) boundaries
into pieces of at most that many characters; each piece is extracted as its own
sub-document and the results are joined back (:func:`merge_results`):

* every :class:`~cronica.records.Evidence` is shifted by the piece's start, so offsets
  point into the whole ``Document.text`` again;
* ids of records found in a piece derive from the piece's id (``stable_id("doc", document
  id, "chunk", start)``), so they stay deterministic and never collide across pieces;
* actors found in several pieces become one: the same id (registry groups and forces), or
  the same canonical name for people; references to the merged ids are rewritten.

What is lost is context across a cut: a pronoun at the start of a piece does not see a
name at the end of the previous one. No article in the evaluation corpora comes near the
limit (the longest is about 4,000 characters), so their output is exactly what a single
pass gives.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from cronica.records import Actor, Document, Evidence, ExtractionResult, stable_id

__all__ = ["CHUNK_CHARS", "split_points", "sub_documents", "merge_results"]

#: Longest text extracted in one pass (characters); longer texts are cut into pieces.
#: Five times the longest article of the evaluation corpora.
CHUNK_CHARS = 20_000

_BREAKS = ("\n\n", "\n", ". ", "? ", "! ", "; ", " ")


def split_points(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` pieces covering ``text`` with no gaps, each at most ``limit``
    characters, cut after the last paragraph break in the second half of the window
    (else line break, sentence end, space; a hard cut when there is none)."""
    if limit < 2:
        raise ValueError(f"chunk limit must be at least 2 characters, got {limit}")
    out: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while n - pos > limit:
        hi = pos + limit
        cut = -1
        for sep in _BREAKS:
            k = text.rfind(sep, pos + limit // 2, hi)
            if k >= 0:
                cut = k + len(sep)
                break
        if cut <= pos:
            cut = hi
        out.append((pos, cut))
        pos = cut
    out.append((pos, n))
    return out


def sub_documents(document: Document, limit: int | None = None) -> list[tuple[int, Document]]:
    """``[(0, document)]`` for a text within ``limit`` (default :data:`CHUNK_CHARS`); else
    ``(start, piece)`` pairs, each piece a Document with the same metadata and its own id."""
    if limit is None:
        limit = CHUNK_CHARS
    if len(document.text) <= limit:
        return [(0, document)]
    out = []
    for start, end in split_points(document.text, limit):
        piece = dataclasses.replace(document, id=stable_id("doc", document.id, "chunk", start),
                                    text=document.text[start:end], content_hash="")
        out.append((start, piece))
    return out


def _walk(obj: Any, seen: set[int], visit) -> None:  # type: ignore[no-untyped-def]
    """Call ``visit`` on every record reachable from ``obj`` (each object once)."""
    if isinstance(obj, list):
        for x in obj:
            _walk(x, seen, visit)
        return
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type) or id(obj) in seen:
        return
    seen.add(id(obj))
    visit(obj)
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, list) or dataclasses.is_dataclass(value):
            _walk(value, seen, visit)


def _shift(result: ExtractionResult, offset: int) -> None:
    def visit(rec: Any) -> None:
        if isinstance(rec, Evidence):
            rec.start += offset
            rec.end += offset

    seen: set[int] = set()
    for items in (result.incidents, result.actors, result.figures, result.quotes):
        _walk(items, seen, visit)


def _actor_key(a: Actor) -> tuple[str, str]:
    return ("person", a.canonical) if a.kind == "person" else ("id", a.id)


def merge_results(document: Document, parts: list[tuple[int, ExtractionResult]],
                  extractor: str) -> ExtractionResult:
    """One result for ``document`` from the results of its pieces (see module doc)."""
    merged = ExtractionResult(document=document, extractor=extractor)
    kept: dict[tuple[str, str], Actor] = {}
    renamed: dict[str, str] = {}
    for offset, part in sorted(parts, key=lambda p: p[0]):
        _shift(part, offset)
        for a in part.actors:
            key = _actor_key(a)
            first = kept.get(key)
            if first is None:
                kept[key] = a
                merged.actors.append(a)
                continue
            renamed[a.id] = first.id
            first.aliases.extend(x for x in a.aliases if x not in first.aliases)
            first.roles.extend(r for r in a.roles if r not in first.roles)
            first.evidence.extend(a.evidence)
            first.country = first.country or a.country
        merged.incidents.extend(part.incidents)
        merged.figures.extend(part.figures)
        merged.quotes.extend(part.quotes)
    if renamed:
        def visit(rec: Any) -> None:
            for name in ("actor_id", "speaker_actor_id"):
                value = getattr(rec, name, None)
                if isinstance(value, str) and value in renamed:
                    setattr(rec, name, renamed[value])

        seen: set[int] = set()
        for items in (merged.incidents, merged.quotes):
            _walk(items, seen, visit)
    return merged
