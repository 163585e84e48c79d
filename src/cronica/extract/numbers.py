"""Finding and parsing quantities in English and Spanish news text.

Contract
--------
* :func:`find_quantities` scans a text and returns every quantity it finds as a
  :class:`Quantity`, with character offsets into that text (so offsets into a sentence
  slice plus the sentence start are article offsets).  It understands

  - digits with either separator convention: ``15,000`` / ``19.700`` (thousands: the
    groups after the first one have exactly three digits), ``1.5`` / ``2,5`` (decimals),
    ``1,234.5`` / ``1.234,5`` (both: the last separator is the decimal one);
  - multipliers: ``1.5 million``, ``2,5 millones``, ``5 mil``, ``3 billion``,
    ``mil millones``;
  - numbers written in words (via ``text2num``): ``five``, ``two hundred and fifty``,
    ``cinco``, ``veinte mil``; standalone ``un``/``una``/``a``/``an`` are articles, not 1;
  - collective nouns: ``a dozen`` (12), ``half a dozen`` (6), ``una docena``,
    ``una decena``, ``una veintena`` (20), ``un centenar``, ``un millar``;
  - ranges: ``200-300``, ``200–300``, ``between 300 and 500``, ``entre 20 y 50``,
    ``200 to 300`` (only when ascending and not after "from"/"de"/"desde");
  - qualifiers before the number (:data:`QUALIFIER_WORDS`) and after it
    (``or more`` / ``o más`` → ``at_least``);
  - percent (``13%``, ``13 percent``, ``2.3 por ciento``, ``57 %``) and money
    (``$5 million``, ``US$5 million``, ``cinco millones de dólares``, ``3 billion pesos``)
    as :attr:`Quantity.unit`; simple fractions (``a third``, ``la mitad``) as percent;
  - vague amounts (``dozens``, ``hundreds``, ``a few hundred``, ``decenas``, ``miles``,
    ``several``, ``varios``): reported with ``vague=True`` and no value.

* :func:`parse_quantity` returns ``(value, low, high, qualifier)`` for the first
  quantity in a short text: ``value`` is ``None`` for a range (then ``low``/``high`` are
  set) and for vague or absent amounts; qualifier is one of
  ``exact | at_least | about | at_most`` (:data:`cronica.records.QUALIFIERS`).

Nothing here knows about indicators or incidents; it is shared by the figures and the
incident extractors.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from dataclasses import dataclass

from text_to_num import alpha2digit, text2num

__all__ = [
    "QUALIFIER_WORDS",
    "Quantity",
    "find_quantities",
    "parse_number",
    "parse_quantity",
    "normalize_numbers",
    "qualifier_before",
]

# --------------------------------------------------------------------------- qualifiers

QUALIFIER_WORDS: dict[str, dict[str, str]] = {
    "en": {
        # at_least
        "at least": "at_least", "more than": "at_least", "over": "at_least",
        "in excess of": "at_least", "upwards of": "at_least", "no fewer than": "at_least",
        "no less than": "at_least", "not less than": "at_least", "just over": "at_least",
        "a minimum of": "at_least", "well over": "at_least", "greater than": "at_least",
        "at minimum": "at_least", "above": "at_least", "a record": "exact",
        # about
        "about": "about", "around": "about", "nearly": "about", "some": "about",
        "almost": "about", "approximately": "about", "roughly": "about",
        "an estimated": "about", "estimated": "about", "close to": "about",
        "circa": "about", "approx.": "about", "just under": "about",
        "more or less": "about", "an approximate": "about", "something like": "about",
        "around about": "about", "in the region of": "about",
        # at_most
        "up to": "at_most", "fewer than": "at_most", "less than": "at_most",
        "no more than": "at_most", "at most": "at_most", "not more than": "at_most",
        "as many as": "at_most", "a maximum of": "at_most", "under": "at_most",
        "below": "at_most",
    },
    "es": {
        # at_least
        "al menos": "at_least", "por lo menos": "at_least", "más de": "at_least",
        "mas de": "at_least", "como mínimo": "at_least", "como minimo": "at_least",
        "no menos de": "at_least", "superior a": "at_least", "superiores a": "at_least",
        "un mínimo de": "at_least", "poco más de": "at_least", "mínimo": "at_least",
        # about
        "cerca de": "about", "unos": "about", "unas": "about", "alrededor de": "about",
        "casi": "about", "aproximadamente": "about", "aprox.": "about",
        "en torno a": "about", "unos aproximadamente": "about", "más o menos": "about",
        "cerca de unos": "about", "un estimado de": "about", "estimados": "about",
        "aproximadamente unos": "about", "poco menos de": "about", "del orden de": "about",
        # at_most
        "hasta": "at_most", "menos de": "at_most", "como máximo": "at_most",
        "como maximo": "at_most", "no más de": "at_most", "no mas de": "at_most",
        "un máximo de": "at_most", "inferior a": "at_most", "inferiores a": "at_most",
    },
}

_QUALIFIER_AFTER: dict[str, dict[str, str]] = {
    "en": {"or more": "at_least", "or so": "about", "or fewer": "at_most",
           "or less": "at_most", "plus": "at_least"},
    "es": {"o más": "at_least", "o mas": "at_least", "o menos": "at_most"},
}


def _norm_lang(lang: str | None) -> str:
    if lang is None:
        return "en"
    if not isinstance(lang, str):
        raise TypeError(f"language must be a string like 'en' or 'es', got {type(lang).__name__}")
    base = lang.strip().lower().replace("_", "-").split("-")[0]
    if base not in QUALIFIER_WORDS:
        raise ValueError(f"unsupported language {lang!r} (expected 'en' or 'es')")
    return base


def _qualifier_regex(table: dict[str, str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[\s(\"“«—–-]))({alts})\s*$", re.IGNORECASE)


_QUAL_BEFORE_RE = {lang: _qualifier_regex(t) for lang, t in QUALIFIER_WORDS.items()}
_QUAL_AFTER_RE = {
    lang: re.compile(
        r"^\s*(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(t, key=len, reverse=True))
        + r")\b", re.IGNORECASE)
    for lang, t in _QUALIFIER_AFTER.items()
}


def qualifier_before(text: str, end: int, lang: str) -> tuple[str, int]:
    """The qualifier phrase ending right before ``end`` in ``text`` (whitespace allowed)
    and the offset where it starts; ``("exact", end)`` when there is none."""
    lang = _norm_lang(lang)
    window_start = max(0, end - 40)
    m = _QUAL_BEFORE_RE[lang].search(text[window_start:end])
    if not m:
        return "exact", end
    phrase = re.sub(r"\s+", " ", m.group(1).lower())
    return QUALIFIER_WORDS[lang][phrase], window_start + m.start(1)


# --------------------------------------------------------------------------- digits

_MULTIPLIERS: dict[str, float] = {
    "thousand": 1e3, "million": 1e6, "millions": 1e6, "mn": 1e6, "billion": 1e9,
    "bn": 1e9, "trillion": 1e12,
    "mil": 1e3, "millón": 1e6, "millon": 1e6, "millones": 1e6, "mil millones": 1e9,
    "millardo": 1e9, "millardos": 1e9, "billón": 1e12, "billon": 1e12, "billones": 1e12,
}

_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MULT = r"mil\s+millones|thousand|millions?|mn|billion|bn|trillion|mil|mill[oó]n|millones|millardos?|bill[oó]n|billones"
_CUR_PRE = r"US\s?\$|U\.S\.\s?\$|USD\s?|R\$\s?|S/\.?\s?|COP\s?\$?\s?|MXN\s?\$?\s?|€\s?|\$\s?"
_CUR_SUF = (r"(?:de\s+)?(?:U\.S\.\s+|US\s+|American\s+)?(?:dollars|d[oó]lares(?:\s+estadounidenses)?|USD"
            r"|pesos(?:\s+colombianos|\s+mexicanos)?|soles|reais|reales|euros|bol[ií]vares|guaran[ií]es)")
_PCT = r"%|per\s?cent|por\s+ciento|percentage\s+points?|puntos\s+porcentuales"

_DIGIT_RE = re.compile(
    rf"(?P<cur>{_CUR_PRE})?(?<![\w.,])(?P<num>{_NUM})(?![\d])"
    rf"(?:\s?(?P<mult>{_MULT})\b)?"
    rf"(?:(?P<pct>\s?(?:{_PCT}))|\s+(?P<cursuf>{_CUR_SUF})\b)?",
    re.IGNORECASE,
)


def parse_number(token: str) -> float:
    """Parse one digit token, deciding between thousands and decimal separators.

    ``"15,000"`` → 15000, ``"19.700"`` → 19700, ``"1.5"`` / ``"2,5"`` → 1.5 / 2.5,
    ``"1,234.5"`` / ``"1.234,5"`` → 1234.5.  Raises ``ValueError`` naming the token
    when it is not a number."""
    tok = token.strip()
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", tok):
        raise ValueError(f"not a number: {token!r}")
    seps = [c for c in tok if c in ".,"]
    if not seps:
        return float(tok)
    if len(set(seps)) == 2:
        dec = seps[-1]
        thou = "," if dec == "." else "."
        if tok.count(dec) != 1:
            raise ValueError(f"not a number: {token!r} (mixed separators)")
        return float(tok.replace(thou, "").replace(dec, "."))
    sep = seps[0]
    groups = tok.split(sep)
    if (len(groups[0]) <= 3 and groups[0] != "0" and not groups[0].startswith("0")
            and all(len(g) == 3 for g in groups[1:])):
        return float("".join(groups))
    if len(groups) == 2:
        return float(groups[0] + "." + groups[1])
    raise ValueError(f"not a number: {token!r} (bad digit grouping)")


# --------------------------------------------------------------------------- words

_EN_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety", "hundred", "thousand", "million", "billion",
}
_ES_WORDS = {
    "cero", "uno", "un", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho",
    "nueve", "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "dieciseis",
    "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno", "veintiún", "veintiuna",
    "veintidós", "veintidos", "veintitrés", "veintitres", "veinticuatro", "veinticinco",
    "veintiséis", "veintiseis", "veintisiete", "veintiocho", "veintinueve", "treinta",
    "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa", "cien", "ciento",
    "doscientos", "doscientas", "trescientos", "trescientas", "cuatrocientos",
    "cuatrocientas", "quinientos", "quinientas", "seiscientos", "seiscientas",
    "setecientos", "setecientas", "ochocientos", "ochocientas", "novecientos",
    "novecientas", "mil", "millón", "millon", "millones",
}
_NUMBER_WORDS = {"en": _EN_WORDS, "es": _ES_WORDS}
_CONNECTORS = {"en": {"and"}, "es": {"y"}}
# words that are articles far more often than the number one
_ARTICLE_ONE = {"en": {"a", "an"}, "es": {"un", "una"}}

_COLLECTIVE: dict[str, dict[str, float]] = {
    "en": {"dozen": 12},
    "es": {"docena": 12, "decena": 10, "veintena": 20, "treintena": 30, "centenar": 100,
           "centena": 100, "millar": 1000},
}
_VAGUE_WORDS: dict[str, set[str]] = {
    "en": {"dozens", "hundreds", "thousands", "millions", "scores", "tens", "several",
           "numerous", "many", "countless"},
    "es": {"decenas", "docenas", "centenares", "cientos", "miles", "millares", "varios",
           "varias", "numerosos", "numerosas", "veintenas", "millones"},
}
_FRACTIONS: dict[str, dict[str, float]] = {
    "en": {"a third": 100 / 3, "one third": 100 / 3, "one-third": 100 / 3, "two-thirds": 200 / 3,
           "two thirds": 200 / 3, "half": 50.0, "a quarter": 25.0, "one quarter": 25.0,
           "three-quarters": 75.0, "three quarters": 75.0, "a fifth": 20.0},
    "es": {"un tercio": 100 / 3, "dos tercios": 200 / 3, "la mitad": 50.0,
           "una cuarta parte": 25.0, "un cuarto": 25.0, "tres cuartas partes": 75.0,
           "la tercera parte": 100 / 3, "una tercera parte": 100 / 3, "una quinta parte": 20.0},
}
_FRACTION_RE = {
    lang: re.compile(
        r"(?<![\w])(" + "|".join(re.escape(p).replace(r"\ ", r"\s+")
                                 for p in sorted(t, key=len, reverse=True)) + r")(?![\w])",
        re.IGNORECASE)
    for lang, t in _FRACTIONS.items()
}

_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)

#: Longest run of number words read as one number ("two hundred and fifty-three thousand
#: four hundred and twenty-one" is 9 words). A longer run ("mil mil mil ...") is read in
#: pieces of at most this many words, so parsing costs O(MAX_NUMBER_WORDS²) per word
#: instead of growing with the square (and worse) of the run.
MAX_NUMBER_WORDS = 24


def _fold(word: str) -> str:
    return word.lower()


def _is_number_word(word: str, lang: str) -> bool:
    w = _fold(word)
    if "-" in w and lang == "en":
        return all(p in _EN_WORDS for p in w.split("-"))
    return w in _NUMBER_WORDS[lang]


def _words_value(words: list[str], lang: str) -> float | None:
    return _phrase_value(tuple(words), lang)


@lru_cache(maxsize=4096)
def _phrase_value(words: tuple[str, ...], lang: str) -> float | None:
    """The value of number words (text2num), cached: a run is tried prefix by prefix."""
    phrase = " ".join(_fold(w) for w in words)
    if lang == "es":
        phrase = re.sub(r"\bveintiún\b", "veintiuno", phrase)
        phrase = re.sub(r"\bun\b|\buna\b", "uno", phrase) if len(words) == 1 else phrase
    try:
        return float(text2num(phrase, lang))
    except ValueError:
        return None


# --------------------------------------------------------------------------- records

@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text.

    ``start``/``end`` cover the whole expression (qualifier, currency sign, number,
    multiplier, percent sign/word); ``num_start``/``num_end`` cover the number itself.
    ``value`` is ``None`` for ranges (``low``/``high`` set) and vague amounts.
    ``unit`` is ``"percent"``, a currency (``"USD"``, ``"pesos"``, ``"PEN"``, ``"BRL"``,
    ``"EUR"``...) or ``None`` (a bare count)."""

    start: int
    end: int
    num_start: int
    num_end: int
    value: float | None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    unit: str | None = None
    vague: bool = False
    written: bool = False  # spelled out in words ("five", "una veintena")
    text: str = ""

    @property
    def is_range(self) -> bool:
        return self.value is None and self.low is not None and self.high is not None

    @property
    def looks_like_year(self) -> bool:
        """A bare integer between 1900 and 2100 with no grouping, unit or qualifier
        (``2010``) – usually a date, not an amount."""
        if self.unit is not None or self.written or self.vague:
            return False
        vals = [v for v in (self.value, self.low, self.high) if v is not None]
        raw = self.text
        return bool(vals) and all(1900 <= v <= 2100 and v == int(v) for v in vals) \
            and not re.search(r"\d[.,]\d", raw)


_CURRENCY_PREFIX = {
    "us$": "USD", "u.s.$": "USD", "usd": "USD", "$": "USD", "r$": "BRL", "s/": "PEN",
    "s/.": "PEN", "€": "EUR", "cop": "COP", "cop$": "COP", "mxn": "MXN", "mxn$": "MXN",
}


def _currency_from_prefix(cur: str) -> str:
    key = re.sub(r"\s+", "", cur.lower())
    return _CURRENCY_PREFIX.get(key, "USD")


def _currency_from_suffix(suf: str) -> str:
    s = suf.lower()
    if "dollar" in s or "dólar" in s or "dolar" in s or "usd" in s:
        return "USD"
    if "soles" in s:
        return "PEN"
    if "reais" in s or "reales" in s:
        return "BRL"
    if "euro" in s:
        return "EUR"
    if "colombiano" in s:
        return "COP"
    if "mexicano" in s:
        return "MXN"
    if "bol" in s:
        return "VES"
    if "guaran" in s:
        return "PYG"
    return "pesos"


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    num_start: int
    num_end: int
    value: float | None
    unit: str | None = None
    vague: bool = False
    written: bool = False
    mult: float = 1.0  # multiplier word applied ("million" -> 1e6)
    approx: bool = False  # collective nouns other than dozen: "una veintena"
    low: float | None = None
    high: float | None = None


def _digit_items(text: str) -> list[_Raw]:
    out: list[_Raw] = []
    for m in _DIGIT_RE.finditer(text):
        try:
            v = parse_number(m.group("num"))
        except ValueError:
            continue
        mult = m.group("mult")
        factor = _MULTIPLIERS[re.sub(r"\s+", " ", mult.lower())] if mult else 1.0
        v *= factor
        if not math.isfinite(v):
            continue  # hundreds of digits: beyond any amount (and any float)
        unit: str | None = None
        if m.group("pct"):
            unit = "percent"
        elif m.group("cur"):
            unit = _currency_from_prefix(m.group("cur"))
        elif m.group("cursuf"):
            unit = _currency_from_suffix(m.group("cursuf"))
        if m.group("cur") and m.group("cursuf"):
            unit = _currency_from_suffix(m.group("cursuf"))
        out.append(_Raw(m.start(), m.end(), m.start("num"), m.end("num"), v, unit,
                        mult=factor))
    return out


def _word_items(text: str, lang: str, taken: list[tuple[int, int]]) -> list[_Raw]:
    """Numbers in words, collective nouns, fractions and vague amounts."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
    out: list[_Raw] = []
    # ``taken`` (the digit items) is sorted and non-overlapping, so only the last span
    # starting before ``e`` can overlap [s, e): a binary search, not a scan
    taken_starts = [a for a, _ in taken]
    taken_ends = [b for _, b in taken]

    def free(s: int, e: int) -> bool:
        k = bisect_left(taken_starts, e)
        return k == 0 or taken_ends[k - 1] <= s

    i = 0
    n = len(words)
    connectors = _CONNECTORS[lang]
    collective = _COLLECTIVE[lang]
    vague = _VAGUE_WORDS[lang]
    articles = _ARTICLE_ONE[lang]
    while i < n:
        s, e, w = words[i]
        lw = _fold(w)
        if not free(s, e):
            i += 1
            continue
        # "a few hundred", "unos pocos cientos", "hundreds of thousands" -> vague
        if lw in vague or (lang == "en" and lw == "few" and i + 1 < n
                           and _fold(words[i + 1][2]) in {"hundred", "thousand", "dozen", "million"}):
            j = i + 1 if lw != "few" else i + 2
            # swallow "of thousands"/"de miles"
            while j + 1 < n and _fold(words[j][2]) in {"of", "de"} and _fold(words[j + 1][2]) in vague:
                j += 2
            st = s
            if lw == "few" and i > 0 and _fold(words[i - 1][2]) == "a":
                st = words[i - 1][0]
            end = words[j - 1][1]
            out.append(_Raw(st, end, s, end, None, vague=True, written=True))
            i = j
            continue
        # run of number words
        j = i
        run: list[int] = []
        while j < n and len(run) < MAX_NUMBER_WORDS and (
                _is_number_word(words[j][2], lang)
                or (run and _fold(words[j][2]) in connectors and j + 1 < n
                    and _is_number_word(words[j + 1][2], lang))):
            # words must be separated by plain spaces only
            if run and not re.fullmatch(r"\s+", text[words[j - 1][1]:words[j][0]]):
                break
            run.append(j)
            j += 1
        # collective with optional preceding number or article: "a dozen", "dos docenas"
        if not run and lw in articles:
            j = i + 1
        if j < n and _fold(words[j][2]).rstrip("s") in collective \
                and re.fullmatch(r"\s+", text[words[j - 1][1]:words[j][0]] if j > 0 else " "):
            cw = _fold(words[j][2])
            base = collective[cw.rstrip("s")]
            plural = cw.endswith("s") and cw.rstrip("s") != cw
            mult_v: float | None = None
            st = s
            if run:
                mult_v = _words_value([words[k][2] for k in run], lang)
            elif lw in articles or (lang == "en" and lw == "half"):
                mult_v = 1.0
                if lang == "en" and lw == "half":
                    mult_v = None
            if mult_v is not None and (not plural or mult_v > 1):
                out.append(_Raw(st, words[j][1], st, words[j][1], mult_v * base, written=True,
                                approx=base != 12))
                i = j + 1
                continue
        if lang == "en" and lw == "half" and i + 2 < n and _fold(words[i + 1][2]) == "a" \
                and _fold(words[i + 2][2]) == "dozen":
            out.append(_Raw(s, words[i + 2][1], s, words[i + 2][1], 6.0, written=True))
            i += 3
            continue
        # "a hundred", "a thousand", "a million"
        if lw in articles and lang == "en" and i + 1 < n and _fold(words[i + 1][2]) in {
                "hundred", "thousand", "million", "billion"}:
            j2 = i + 1
            while j2 + 1 < n and j2 - i < MAX_NUMBER_WORDS and (
                    _is_number_word(words[j2 + 1][2], lang) or _fold(words[j2 + 1][2]) in connectors):
                j2 += 1
            ws = ["one"] + [words[k][2] for k in range(i + 1, j2 + 1)]
            while ws and _fold(ws[-1]) in connectors:
                ws.pop()
                j2 -= 1
            v = _words_value(ws, lang)
            if v is not None:
                out.append(_Raw(s, words[j2][1], s, words[j2][1], v, written=True))
                i = j2 + 1
                continue
        if run:
            # drop trailing connectors and leading lone articles ("un"/"una" alone)
            while run and _fold(words[run[-1]][2]) in connectors:
                run.pop()
            if len(run) == 1 and _fold(words[run[0]][2]) in articles:
                i += 1
                continue
            # longest prefix that text2num accepts
            k = len(run)
            value = None
            while k > 0:
                value = _words_value([words[x][2] for x in run[:k]], lang)
                if value is not None:
                    break
                k -= 1
            if value is None or k == 0:
                i += 1
                continue
            last = run[k - 1]
            out.append(_Raw(s, words[last][1], s, words[last][1], value, written=True))
            i = last + 1
            continue
        i += 1
    # fractions (``out`` is sorted and non-overlapping so far: a binary search again)
    word_starts = [r.start for r in out]
    word_ends = [r.end for r in out]
    for m in _FRACTION_RE[lang].finditer(text):
        k = bisect_left(word_starts, m.end())
        if free(m.start(), m.end()) and (k == 0 or word_ends[k - 1] <= m.start()):
            out.append(_Raw(m.start(), m.end(), m.start(), m.end(),
                            round(_FRACTIONS[lang][re.sub(r"\s+", " ", m.group(1).lower())], 1),
                            unit="percent", written=True))
    return out


_UNIT_AFTER_WORDS_RE = re.compile(rf"^(?:(\s?(?:{_PCT}))|\s+({_CUR_SUF})\b)", re.IGNORECASE)


def _attach_units_to_words(text: str, raw: _Raw) -> None:
    if raw.vague:
        return
    tail = text[raw.end:raw.end + 40]
    m = _UNIT_AFTER_WORDS_RE.match(tail)
    if m and raw.unit is None:
        raw.unit = "percent" if m.group(1) else _currency_from_suffix(m.group(2))
        raw.end += m.end()


_RANGE_SEP = {
    "en": re.compile(r"^\s?(?:-|–|—|to)\s?$|^\s+to\s+$", re.IGNORECASE),
    "es": re.compile(r"^\s?(?:-|–|—)\s?$|^\s+a\s+$", re.IGNORECASE),
}
_BETWEEN = {"en": ("between", "and"), "es": ("entre", "y")}
_FROM_WORDS = {"en": ("from",), "es": ("de", "desde")}


def find_quantities(text: str, lang: str = "en") -> list[Quantity]:
    """Every quantity in ``text`` in order of appearance (see the module docstring)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    lang = _norm_lang(lang)
    digits = _digit_items(text)
    taken = [(r.start, r.end) for r in digits]
    words = _word_items(text, lang, taken)
    for r in words:
        _attach_units_to_words(text, r)
    items = sorted(digits + words, key=lambda r: r.start)

    # merge ranges
    merged: list[tuple[_Raw, int]] = []  # (item, start of the range words)
    i = 0
    between_w, and_w = _BETWEEN[lang]
    while i < len(items):
        a = items[i]
        if i + 1 < len(items) and a.value is not None and items[i + 1].value is not None:
            b = items[i + 1]
            gap = text[a.end:b.start]
            before = text[max(0, a.start - 12):a.start].lower()
            lo, hi = a.value, b.value
            if b.mult > 1 and a.mult == 1 and not a.written and lo * b.mult <= hi * 1.0001 \
                    and lo < b.value / b.mult:
                lo *= b.mult  # "1.5-2 million": the multiplier is written once
            dash = _RANGE_SEP[lang].match(gap) is not None
            is_between = re.search(rf"\b{between_w}\s+$", before) is not None and \
                re.fullmatch(rf"\s+{and_w}\s+", gap, re.IGNORECASE) is not None
            after_from = any(re.search(rf"\b{w}\s+$", before) for w in _FROM_WORDS[lang])
            word_to = bool(re.search(r"[a-z]", gap, re.IGNORECASE))
            yearish = [not r.written and r.mult == 1 and r.unit is None and r.value is not None
                       and 1900 <= r.value <= 2100 and r.value == int(r.value)
                       and not re.search(r"[.,]", text[r.num_start:r.num_end]) for r in (a, b)]
            if (is_between or (dash and not (word_to and after_from))) and lo < hi \
                    and yearish[0] == yearish[1] \
                    and (a.unit == b.unit or a.unit is None):
                rng = _Raw(a.start, b.end, a.num_start, b.num_end, None, b.unit or a.unit,
                           written=a.written and b.written, low=lo, high=hi)
                rs = a.start - (len(before) - before.rfind(between_w)) if is_between else a.start
                merged.append((rng, rs))
                i += 2
                continue
        merged.append((a, a.start))
        i += 1

    out: list[Quantity] = []
    for raw, rs in merged:
        qual, qstart = qualifier_before(text, rs, lang)
        end = raw.end
        m = _QUAL_AFTER_RE[lang].match(text[end:end + 12])
        if m and qual == "exact":
            qual = _QUALIFIER_AFTER[lang][re.sub(r"\s+", " ", m.group(1).lower())]
            end += m.end()
        if qual == "exact" and raw.approx:
            qual = "about"
        out.append(Quantity(min(qstart, rs), end, raw.num_start, raw.num_end, raw.value,
                            raw.low, raw.high, qual, raw.unit, raw.vague, raw.written,
                            text[raw.start:raw.end]))
    return out


def parse_quantity(text: str, lang: str) -> tuple[float | None, float | None, float | None, str]:
    """``(value, low, high, qualifier)`` of the first quantity in ``text``.

    ``"at least 50"`` → ``(50.0, None, None, "at_least")``; ``"200-300"`` →
    ``(None, 200.0, 300.0, "exact")``; ``"una veintena"`` → ``(20.0, None, None,
    "about")`` (collective nouns other than dozen are approximate); vague (``"dozens"``) or no amount →
    ``(None, None, None, qualifier)``.  Raises ``ValueError`` for an unsupported
    language and ``TypeError`` when ``text`` is not a string."""
    qs = find_quantities(text, lang)
    if not qs:
        return None, None, None, "exact"
    q = next((x for x in qs if not x.looks_like_year), qs[0])
    return q.value, q.low, q.high, q.qualifier


def normalize_numbers(text: str, lang: str) -> str:
    """``text`` with numbers written in words replaced by digits (text2num's
    ``alpha2digit``); offsets change, so use it only for display or matching."""
    return alpha2digit(text, _norm_lang(lang))


def strip_accents(s: str) -> str:
    """Lower-case ``s`` without diacritics (for matching hand-written word lists)."""
    return "".join(c for c in unicodedata.normalize("NFD", s.lower())
                   if unicodedata.category(c) != "Mn")
