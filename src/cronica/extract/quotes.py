"""Direct quotations and who said them (English and Spanish).

Contract of :func:`extract_quotes`:

* Only text inside quotation marks is a quote: “…”, «…», "…" (‘…’ only nested inside
  those). ``Quote.text`` is the words inside the marks, without the marks and without
  trailing sentence punctuation. A quotation interrupted by its attribution
  (“A,” he said. “B.”) is ONE quote whose parts are joined by ``" […] "``.
* Short fragments in running text (up to :data:`FRAGMENT_WORDS` words, e.g. «sigue
  abierto») are quotes only when the sentence reports speech (a speech verb outside the
  marks) and the fragment is not a name, a nickname or a label ("known as “Guacho”",
  "what he called the “historical truth”", "an “internal armed conflict”"); see
  ``fragments=`` to measure other policies.
* Speaker: the person named next to a speech verb (“…,” said X / X said / dijo X /
  according to X / según X); a pronoun or a Spanish subject-less verb (“…”, afirmó)
  means the most recent person mentioned before the quote; an unnamed source ("a police
  spokesman", "un vocero de la ACIN") gives ``speaker=None`` and that phrase as
  ``speaker_role``. ``speaker`` is the person's canonical name, ``speaker_actor_id`` the
  id of the matching :class:`~cronica.records.Actor` from ``people``, ``speaker_role``
  the title of that person's role.
* ``Quote.evidence`` is the sentence(s) holding the quote and its attribution, with
  ``document.text[start:end] == text``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc

from cronica.extract import titles as T
from cronica.extract.spans import doc_text, tokens_between
from cronica.records import Actor, Document, Evidence, Quote, stable_id

OPEN_CLOSE = {"“": "”", "«": "»", '"': '"', "„": "“"}
FRAGMENT_WORDS = 5
TRAILING_PUNCT = " \t\n,.;:!?…"
JOINER = " […] "
UNNAMED_HEADS = frozenset({
    "a", "an", "the", "one", "un", "una", "el", "la", "uno",
})
NP_STOPS = frozenset({
    ",", ".", ";", ":", "who", "which", "que", "quien", "quienes", "on", "in", "at", "to",
    "by", "from", "after", "before", "during", "en", "a", "al", "tras", "durante", "desde",
    "con", "with", "y", "and", "“", "”", "«", "»", '"', "—", "–",
})
NP_KEEP_PREP = frozenset({"of", "de", "del", "for", "in", "en", "at"})
DETERMINER_BEFORE = frozenset({
    "the", "a", "an", "its", "his", "her", "their", "our", "el", "la", "los", "las", "un",
    "una", "su", "sus", "del", "al", "mere", "so-called", "’s", "'s", "this", "that", "these",
    "those", "este", "esta", "ese", "esa", "highest", "lowest", "as", "como",
})

FragmentPolicy = Literal["attributed", "all", "none"]


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation in the text: [start, end) includes the marks, [inner_start, inner_end)
    is what they enclose."""

    start: int
    end: int
    inner_start: int
    inner_end: int

    @property
    def inner(self) -> tuple[int, int]:
        return self.inner_start, self.inner_end


def quote_spans(text: str) -> list[QuoteSpan]:
    """Top-level quotations in ``text``, in order. A quotation never crosses a line break;
    an unclosed opening mark runs to the end of its line (multi-paragraph quotes)."""
    out: list[QuoteSpan] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        i, n = 0, len(line)
        while i < n:
            ch = line[i]
            if ch in OPEN_CLOSE:
                close = OPEN_CLOSE[ch]
                if ch == '"':
                    # a straight quote opens only before a word
                    if i + 1 >= n or line[i + 1].isspace():
                        i += 1
                        continue
                j = line.find(close, i + 1)
                if ch == "«":
                    # nested « » inside « »
                    depth, k = 1, i + 1
                    while k < n and depth:
                        if line[k] == "«":
                            depth += 1
                        elif line[k] == "»":
                            depth -= 1
                        k += 1
                    j = k - 1 if depth == 0 else -1
                if j == -1:
                    end = len(line.rstrip("\n"))
                    if end - i > 1:
                        out.append(QuoteSpan(pos + i, pos + end, pos + i + 1, pos + end))
                    break
                out.append(QuoteSpan(pos + i, pos + j + 1, pos + i + 1, pos + j))
                i = j + 1
                continue
            i += 1
        pos += len(line)
    return out


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(TRAILING_PUNCT).strip()


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’'-]+", text)


# --- grouping --------------------------------------------------------------------------


def _has_speech_verb(text: str) -> bool:
    return any(w.lower() in T.SPEECH_VERBS for w in _words(text))


def _group(text: str, spans: list[QuoteSpan]) -> list[list[QuoteSpan]]:
    """Join “A,” he said. “B.” into one group."""
    groups: list[list[QuoteSpan]] = []
    for sp in spans:
        if groups:
            prev = groups[-1][-1]
            gap = text[prev.end: sp.start]
            inner_prev = text[prev.inner_start: prev.inner_end].rstrip()
            ends_comma = inner_prev.endswith(",") or gap.lstrip().startswith(",")
            if "\n" not in gap and len(gap) <= 160 and ends_comma and _has_speech_verb(gap) \
                    and re.search(r"[.!?]\s*$", gap) and len(groups[-1]) < 4:
                groups[-1].append(sp)
                continue
        groups.append([sp])
    return groups


# --- people mentions -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PersonMention:
    start: int
    end: int
    actor: Actor


def _mentions(text: str, people: list[Actor], spans: list[QuoteSpan]) -> list[_PersonMention]:
    """Occurrences of the people's names and aliases outside quotations (longest first;
    a form shared by several people goes to the one named first in the article)."""
    found: list[tuple[int, int, Actor]] = []
    for actor in people:
        forms = {actor.canonical, actor.name, *actor.aliases}
        for form in forms:
            form = form.strip()
            if len(form) < 2:
                continue
            for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
                found.append((m.start(), m.end(), actor))
    inside = [(q.inner_start, q.inner_end) for q in spans]

    def in_quote(s: int) -> bool:
        return any(a <= s < b for a, b in inside)

    full_at: dict[str, list[int]] = {}
    for actor in people:
        full_at[actor.id] = [m.start() for m in re.finditer(re.escape(actor.canonical), text)]
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[_PersonMention] = []
    last_end = -1
    i = 0
    while i < len(found):
        s, e, _ = found[i]
        same = [f for f in found if f[0] == s and f[1] == e]
        i += 1
        if s < last_end or in_quote(s):
            continue
        if len(same) > 1:
            def first_seen(f: tuple[int, int, Actor]) -> int:
                return min(full_at[f[2].id] or [len(text)])
            best = min(same, key=first_seen)
        else:
            best = same[0]
        out.append(_PersonMention(s, e, best[2]))
        last_end = e
    return out


# --- speakers --------------------------------------------------------------------------


def _role_for(actor: Actor, lo: int, hi: int) -> str | None:
    if not actor.roles:
        return None
    for r in actor.roles:
        if r.evidence and r.evidence.start < hi and r.evidence.end > lo:
            return r.title
    return actor.roles[0].title


def _np_phrase(tokens: list[str]) -> str | None:
    """A descriptive phrase for an unnamed speaker, determiner dropped."""
    if not tokens or tokens[0].lower() not in UNNAMED_HEADS:
        return None
    out = []
    for t in tokens[1:]:
        if t.lower() in NP_STOPS and t.lower() not in NP_KEEP_PREP:
            break
        out.append(t)
    while out and out[-1].lower() in NP_KEEP_PREP | {"de", "la", "el"}:
        out.pop()
    if not out or len(out) > 10:
        return None
    return " ".join(out).replace(" ’s", "’s").replace(" 's", "'s")


def _speaker(sdoc: Doc, group: list[QuoteSpan], ctx_lo: int, ctx_hi: int,
             mentions: list[_PersonMention], spans: list[QuoteSpan]
             ) -> tuple[Actor | None, str | None]:
    """(person, descriptive role for an unnamed speaker)."""
    # only the quotes that reach into the context can hold one of its tokens
    inside = [(q.start, q.end) for q in spans if q.start < ctx_hi and q.end > ctx_lo]

    def outside(tok_idx: int) -> bool:
        return all(not (a <= tok_idx < b) for a, b in inside)

    toks = [t for t in (sdoc[i] for i in tokens_between(sdoc, ctx_lo, ctx_hi)) if outside(t.idx)]
    q_start, q_end = group[0].start, group[-1].end
    verbs = [k for k, t in enumerate(toks) if t.lower_ in T.SPEECH_VERBS]
    if not verbs:
        return None, None
    # prefer the verb right after a quote part, then any after, then the nearest before
    def score(k: int) -> tuple[int, int]:
        pos = toks[k].idx
        after_parts = [pos - sp.end for sp in group if pos >= sp.end]
        if after_parts:
            return (0, min(after_parts))
        return (1, q_start - pos)
    verbs.sort(key=score)

    def mention_at(lo: int, hi: int) -> _PersonMention | None:
        for m in mentions:
            if lo <= m.start < hi:
                return m
        return None

    def most_recent_before(pos: int) -> Actor | None:
        """The antecedent of "he"/"she": among the people named in this and the previous
        sentence, the one in subject position wins over one in a possessive or after a
        preposition ("For former minister X, ... under Humala ... “…,” he said" -> X)."""
        prior = [m for m in mentions if m.end <= pos]
        if not prior:
            return None
        full = doc_text(sdoc)
        here = sdoc.char_span(pos, min(pos + 1, len(full)), alignment_mode="expand") if pos < len(full) else None
        sent_start = here.sent.start if here is not None and len(here) else None
        lo = 0
        if sent_start is not None:
            prev = sdoc[sent_start - 1].sent if sent_start > 0 else sdoc[sent_start:sent_start + 1].sent
            lo = prev.start_char
        cands = [m for m in prior if m.start >= lo]
        if len(cands) < 2:
            return prior[-1].actor

        def rank(m: _PersonMention) -> int:
            before = full[max(0, m.start - 12):m.start].lower()
            after = full[m.end:m.end + 2]
            score = 0
            span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and span.root.dep_ in ("nsubj", "nsubjpass", "appos", "pobj") \
                    and span.root.dep_ != "pobj":
                score += 2
            if re.search(r"\b(under|by|of|with|to|from|against|than|bajo|de|con|contra)\s+$", before):
                score -= 2
            if after.startswith(("’s", "'s")):
                score -= 2
            if re.search(r"\b(for|para)\s+$", before) or re.search(r"(minister|minster|president|general|official|spokes\w+|ministro|presidente|director)\s+$", before):
                score += 1
            return score

        best = max(cands, key=lambda m: (rank(m), m.start))
        return best.actor

    def window_after(start: int) -> list:
        win = []
        for t in toks[start: start + 9]:
            if t.text in (";", "!", "?") or (t.text == "." and t.i > 0 and
                                            sdoc[t.i - 1].whitespace_ != ""):
                break
            if t.text == "." and (t.i + 1 >= len(sdoc) or sdoc[t.i + 1].text[:1].islower()
                                  or not sdoc[t.i - 1].text[:1].isupper()
                                  or len(sdoc[t.i - 1].text) > 4):
                break
            win.append(t)
        return win

    for k in verbs:
        v = toks[k]
        nxt = k + 1
        if v.lower_ == "according" and nxt < len(toks) and toks[nxt].lower_ == "to":
            nxt += 1
        # 1. X said: a mention ending just before the verb (allowing "has", "also")
        for back in (1, 2):
            if k - back >= 0:
                t = toks[k - back]
                m = next((m for m in mentions if m.start <= t.idx < m.end), None)
                if m is not None:
                    return m.actor, None
                if t.lower_ in T.PRONOUNS:
                    return most_recent_before(q_start), None
                if t.lower_ not in ("has", "had", "also", "then", "later", "ha", "había",
                                    "también", "luego"):
                    break
        # 2. “…,” a TC Televisión employee told … / the company said
        if v.idx >= q_end or any(v.idx >= sp.end for sp in group):
            j = k - 1
            np_toks: list[str] = []
            while j >= 0 and toks[j].text not in (",", ".", "”", "»", '"', ";") and \
                    len(np_toks) < 8 and not any(sp.start <= toks[j].idx < sp.end
                                                 for sp in spans):
                np_toks.insert(0, toks[j].text)
                j -= 1
            phrase = _np_phrase(np_toks)
            if phrase:
                return None, phrase
        # 3. said X / dijo el ministro de Defensa, X / according to X
        window = window_after(nxt)
        if window:
            if window[0].lower_ in T.PRONOUNS:
                return most_recent_before(q_start), None
            m = mention_at(window[0].idx, window[-1].idx + len(window[-1].text))
            if m is not None:
                return m.actor, None
            phrase = _np_phrase([t.text for t in window] + [t.text for t in
                                                           toks[nxt + 9: nxt + 14]])
            if phrase:
                return None, phrase
        # 4. a verb before the quote: the person earlier in its sentence is the subject
        #    (Yehude Simon … aseguró que el diálogo «sigue abierto»)
        if v.idx < q_start:
            sent = v.sent
            prior = [m for m in mentions if sent.start_char <= m.start < v.idx]
            if prior:
                return prior[-1].actor, None
            return most_recent_before(q_start), None
        # 5. subject-less verb right after the quote (“…”, afirmó.)
        return most_recent_before(q_start), None
    return None, None


# --- main ------------------------------------------------------------------------------


def _is_fragment(text: str, sp: QuoteSpan) -> bool:
    inner = text[sp.inner_start: sp.inner_end]
    if len(_words(inner)) > FRAGMENT_WORDS:
        return False
    before = text[:sp.start].rstrip()
    return bool(before) and not re.search(r"[.!?:\n]$", before)


def _keep_fragment(text: str, sp: QuoteSpan, sent_text: str, policy: FragmentPolicy) -> bool:
    if policy == "all":
        return True
    if policy == "none":
        return False
    inner = _clean(text[sp.inner_start: sp.inner_end])
    words = _words(inner)
    if not words:
        return False
    if all(w[:1].isupper() for w in words):
        return False  # a name or nickname: “Guacho”, «El Ratón»
    prev_words = _words(text[max(0, sp.start - 40): sp.start])
    prev = T.fold(prev_words[-1]) if prev_words else ""
    prev2 = [T.fold(w) for w in prev_words[-3:]]
    if text[:sp.start].rstrip().endswith(("’s", "'s", "’")):
        return False
    if prev in DETERMINER_BEFORE or any(w in T.NAMING_WORDS for w in prev2):
        return False
    outside = sent_text.replace(text[sp.start: sp.end], " ")
    return any(w.lower() in T.SPEECH_VERBS and w.lower() not in T.NAMING_WORDS
               for w in _words(outside))


def extract_quotes(sdoc: Doc, document: Document, people: list[Actor],
                   fragments: FragmentPolicy = "attributed") -> list[Quote]:
    """Direct quotations of ``document`` with their speakers (see module doc)."""
    if doc_text(sdoc) != document.text:
        raise ValueError(f"document {document.id}: spaCy Doc text differs from document text")
    text = document.text
    spans = quote_spans(text)
    mentions = _mentions(text, people, spans)
    sents = list(sdoc.sents)
    sent_starts = [s.start_char for s in sents]
    sent_ends = [s.end_char for s in sents]
    out: list[Quote] = []
    for group in _group(text, spans):
        # the sentences overlapping the group (sentences are sorted and do not overlap)
        lo_sents = sents[bisect_right(sent_ends, group[0].start):bisect_left(sent_starts, group[-1].end)]
        if not lo_sents:
            continue
        ctx_lo = lo_sents[0].start_char
        ctx_hi = lo_sents[-1].end_char
        if len(group) == 1 and _is_fragment(text, group[0]):
            if not _keep_fragment(text, group[0], text[ctx_lo:ctx_hi], fragments):
                continue
        parts = [_clean(text[sp.inner_start: sp.inner_end]) for sp in group]
        parts = [p for p in parts if p]
        if not parts:
            continue
        actor, unnamed = _speaker(sdoc, group, ctx_lo, ctx_hi, mentions, spans)
        role = _role_for(actor, ctx_lo, ctx_hi) if actor else unnamed
        out.append(Quote(
            id=stable_id("quote", document.id, group[0].start),
            text=JOINER.join(parts),
            speaker=actor.canonical if actor else None,
            speaker_role=role,
            speaker_actor_id=actor.id if actor else None,
            evidence=Evidence(ctx_lo, ctx_hi, text[ctx_lo:ctx_hi]),
        ))
    return out
