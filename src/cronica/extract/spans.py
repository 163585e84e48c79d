"""Per-Doc caches of spaCy views that cost a pass over the whole Doc on every access.

``Doc.ents`` builds a fresh tuple of every entity on each access, and ``Span.ents`` reads
``Doc.ents`` from the start, so asking each sentence for its entities is quadratic in the
length of the text. :func:`span_ents` gives the same list from one cached ``Doc.ents``
with a binary search. Components must not change ``doc.ents`` after parsing (none does):
the cache would not see it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span

__all__ = ["MAX_SENTENCE_CHARS", "doc_text", "doc_ents", "span_ents", "last_ent_before", "tokens_between",
           "sentence_pieces"]

_ENTS_KEY = "cronica.ents"
_TEXT_KEY = "cronica.text"  # shared with incidents._text


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc (spaCy joins every token on each access)."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None:
        cached = doc.user_data[_TEXT_KEY] = doc.text
    return cached


def _cache(doc: Doc) -> tuple[tuple[Span, ...], list[int], list[int]]:
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:
        ents = tuple(doc.ents)
        cached = doc.user_data[_ENTS_KEY] = (ents, [e.start for e in ents], [e.end_char for e in ents])
    return cached


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per Doc."""
    return _cache(doc)[0]


def span_ents(span: Span) -> list[Span]:
    """``span.ents`` (the entities inside ``span``, as spaCy defines it: from the first one
    starting at or after the span's start, while they end within it), in O(log n + k)."""
    ents, starts, _ = _cache(span.doc)
    out: list[Span] = []
    for k in range(bisect_left(starts, span.start), len(ents)):
        ent = ents[k]
        if ent.end > span.end:
            break
        out.append(ent)
    return out


def last_ent_before(doc: Doc, char: int, labels: frozenset[str]) -> Span | None:
    """The last entity with a label in ``labels`` that ends at or before character
    ``char`` (entities do not overlap, so their ends are sorted), or None."""
    key = (_ENTS_KEY, labels)
    cached = doc.user_data.get(key)
    if cached is None:
        picked = [e for e in doc_ents(doc) if e.label_ in labels]
        cached = doc.user_data[key] = (picked, [e.end_char for e in picked])
    picked, ends = cached
    k = bisect_right(ends, char)
    return picked[k - 1] if k else None


_IDX_KEY = "cronica.token_idx"


def tokens_between(doc: Doc, lo: int, hi: int) -> range:
    """Indices of the tokens starting at a character in [lo, hi) (a binary search over the
    token offsets, cached per Doc, instead of a pass over every token)."""
    idx = doc.user_data.get(_IDX_KEY)
    if idx is None:
        idx = doc.user_data[_IDX_KEY] = [t.idx for t in doc]
    return range(bisect_left(idx, lo), bisect_left(idx, hi))


#: Longest stretch read as one sentence by the per-number rules (figures): a longer
#: "sentence" (a text with no punctuation, a list of thousands of numbers) is read in
#: token-aligned pieces of at most this many characters, so the work per number is
#: bounded. The longest paragraph of the evaluation corpora has 539 characters.
MAX_SENTENCE_CHARS = 1_000


def sentence_pieces(sent: Span, limit: int = MAX_SENTENCE_CHARS) -> list[Span]:
    """``[sent]`` when it has at most ``limit`` characters, else consecutive spans of whole
    tokens covering it, each at most ``limit`` characters long (a single longer token
    is a piece of its own)."""
    if sent.end_char - sent.start_char <= limit:
        return [sent]
    doc = sent.doc
    out: list[Span] = []
    first = sent.start
    for i in range(sent.start + 1, sent.end):
        tok = doc[i]
        if tok.idx + len(tok.text) - doc[first].idx > limit:
            out.append(doc[first:i])
            first = i
    out.append(doc[first:sent.end])
    return out
