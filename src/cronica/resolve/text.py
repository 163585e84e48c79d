"""Text helpers shared by the resolvers: name folding and tokenisation for ruler patterns.

``fold`` is the one normalisation every lookup key goes through: Unicode NFKD with the
accents dropped, lower case, typographic quotes made plain, periods removed ("U.S." ->
"us"), hyphens and other punctuation turned into spaces, whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "“": '"', "”": '"',
                         "–": "-", "—": "-", "‐": "-", "‑": "-"})
_PUNCT = re.compile(r"[^\w' ]+")
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """``"Cártel de Sinaloa"`` -> ``"Cartel de Sinaloa"`` (case kept; ñ becomes n)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def fold(text: str) -> str:
    """The comparison key of a name: accent-, case-, punctuation-insensitive."""
    s = strip_accents(text.translate(_QUOTES)).lower().replace(".", "")
    s = _PUNCT.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


_POSSESSIVE = re.compile(r"(?:'s|')$")
_LEADING_THE = ("the ",)


def lookup_keys(name: str) -> list[str]:
    """Candidate keys for a free-text name, most literal first: the folded name, then without
    a possessive ("FARC's"), then without a leading English "the"."""
    base = fold(name)
    keys = [base]
    no_poss = _POSSESSIVE.sub("", base).strip()
    keys.append(no_poss)
    for k in list(keys):
        for art in _LEADING_THE:
            if k.startswith(art):
                keys.append(k[len(art):])
    out: list[str] = []
    for k in keys:
        k = _SPACES.sub(" ", k).strip()
        if k and k not in out:
            out.append(k)
    return out


@lru_cache(maxsize=4)
def _tokenizer(lang: str):  # type: ignore[no-untyped-def]
    import spacy

    try:
        return spacy.blank(lang).tokenizer
    except Exception:  # unknown language code: English rules are the fallback
        return spacy.blank("en").tokenizer


_PLAIN_WORDS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")


def tokenize(text: str, lang: str) -> list[str]:
    """The token texts spaCy's ``lang`` tokenizer makes of ``text`` (patterns must agree
    with the pipeline's tokenisation to match).  Plain letter words separated by single
    spaces are split directly (spaCy never splits them), which keeps pattern building fast."""
    if _PLAIN_WORDS.fullmatch(text) and len(text) > 3:
        return text.split(" ")
    return [t.text for t in _tokenizer(lang)(text)]


def is_acronym(form: str) -> bool:
    """True for forms written without lower-case letters (``FARC``, ``PCP-SL``, ``MS13``,
    ``R7``) or with an upper-case letter after the first (``EMC``, ``SEDENA``, ``FACh``):
    such forms are matched case-sensitively."""
    letters = [c for c in form if c.isalpha()]
    if not letters:
        return True
    if not any(c.islower() for c in letters):
        return True
    words = form.split()
    return len(words) == 1 and any(c.isupper() for c in form[1:])


def surface_variants(form: str) -> list[str]:
    """The written variants a pattern should cover: as given, without accents, and with
    straight/typographic apostrophes swapped."""
    out = [form]
    for v in (strip_accents(form), form.replace("’", "'"), form.replace("'", "’")):
        if v not in out:
            out.append(v)
    return out
