"""Event dates in a sentence, resolved against the publication date, with precision.

Rules, not a general date parser: news states event dates in a handful of shapes
("on Saturday", "on Jan. 27", "in March 2008", "last year", "el pasado martes",
"el 5 de junio", "en 1992"), and a rule list is fast, predictable and explains itself.
Each match returns the resolved date (``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY``), its
precision and the character span it came from.

The publication date may itself be partial (``YYYY-MM`` / ``YYYY``). A resolved date never
claims more precision than the anchor supports: "on Saturday" in an article known only to be
from May 2021 resolves to ``2021-05`` (month), in one known only to be from 2021 to ``2021``.
What the text states itself keeps its precision ("on Jan. 27" is a day in the anchor's year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
WEEKDAYS_BY_LANG = {
    "en": {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6},
    "es": {"lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4,
           "sábado": 5, "sabado": 5, "domingo": 6},
}
WEEKDAYS = {**WEEKDAYS_BY_LANG["en"], **WEEKDAYS_BY_LANG["es"]}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
# "Santo Domingo", "Viernes Santo": names, not days
_NOT_WEEKDAY = re.compile(r"(?:santo|santa|san)\s+$", re.I)


@dataclass(frozen=True, slots=True)
class DateMatch:
    value: str  # YYYY-MM-DD | YYYY-MM | YYYY
    precision: str  # day | month | year
    start: int  # offsets relative to the text given to find_dates
    end: int
    relative: bool  # resolved from a relative expression
    span_years: bool = False  # "since 2008", "over the past decade": a period, not a point


def _fmt(y: int, m: int | None = None, d: int | None = None) -> tuple[str, str]:
    if m is None:
        return f"{y:04d}", "year"
    if d is None:
        return f"{y:04d}-{m:02d}", "month"
    return f"{y:04d}-{m:02d}-{d:02d}", "day"


def _year_for(month: int, day: int | None, pub: date, explicit_last: bool = False) -> int:
    """The year of a month/day stated without one: the latest not (much) after ``pub``."""
    y = pub.year - (1 if explicit_last else 0)
    if explicit_last:
        return y
    probe = date(y, month, min(day or 1, 28))
    if probe > pub + timedelta(days=7):
        y -= 1
    return y


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # Jan. 27, 2018 / January 27 2018 / Jan 27
    ("mdy", re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I)),
    # 27 January 2018 / 5 de junio (de 2022) / 15 DE MARZO DE 2024
    ("dmy", re.compile(rf"\b(?P<day>\d{{1,2}})(?:\s+de)?\s+(?P<mon>{_MONTH_RE})\b(?:,?\s+(?:de(?:l)?\s+)?(?P<year>(?:19|20)\d\d))?", re.I)),
    # March 2008 / marzo de 2008 / in March last year / en marzo del año pasado
    ("my", re.compile(rf"\b(?P<mon>{_MONTH_RE})(?:\s+(?:de(?:l)?\s+)?(?P<year>(?:19|20)\d\d)|\s+(?P<last>last year|del año pasado|de l año pasado|pasado))?\b", re.I)),
    ("weekday", re.compile(rf"\b(?P<last>last\s+|el pasado\s+|este\s+|this\s+past\s+|this\s+)?(?P<wd>{_WEEKDAY_RE})\b(?:\s+(?P<last2>pasado|anterior))?", re.I)),
    ("yesterday", re.compile(r"\b(yesterday|ayer|anteayer)\b", re.I)),
    ("today", re.compile(r"\b(today|tonight|this morning|hoy|esta mañana|este mediodía)\b", re.I)),
    ("lastweek", re.compile(r"\b(last week|la semana pasada|earlier this week|this week|esta semana|over the weekend|el fin de semana|at the weekend|this weekend|este fin de semana)\b", re.I)),
    ("lastmonth", re.compile(r"\b(last month|el mes pasado|earlier this month|this month|este mes|a principios de mes)\b", re.I)),
    ("ago", re.compile(r"\b(?:(?P<n>\w+|\d+) years? ago|a (?P<dec>decade) ago|hace (?P<nes>\w+|\d+) años|hace una (?P<decs>década))\b", re.I)),
    ("lastyear", re.compile(r"\b(last year|el año pasado|del año pasado)\b", re.I)),
    ("thisyear", re.compile(r"\b(this year|so far this year|este año|en lo que va del año|en lo que va de año)\b", re.I)),
    ("since", re.compile(r"\b(?:since|desde(?: el año)?|from)\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("decade", re.compile(r"\b(?:over the past|in the past|over the last|in the last|durante la última|en la última)\s+(?:decade|década|\w+\s+years|\w+\s+años)\b", re.I)),
    ("year", re.compile(r"\b(?:in|en|of|de|the|during|by|el)\s+(?P<year>(?:19|20)\d\d)\b(?!s)", re.I)),
    ("yearbare", re.compile(r"(?<![\d.,/-])(?P<year>(?:19|20)\d\d)(?![\d.,/-]|s\b)")),
]


_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10}


def _small_number(words: str) -> int | None:
    """The N of "over the past N years" (the period starts N years before publication)."""
    for w in words.split():
        if w.isdigit():
            return int(w)
        if w in _SMALL:
            return _SMALL[w]
    return None


_FINER = {"day": 0, "month": 1, "year": 2}  # lower is finer
# the anchor precision a relative expression needs to be resolved at its own precision;
# other kinds take only the year from the anchor (or nothing at all)
_NEEDS = {"weekday": "day", "yesterday": "day", "today": "day", "lastweek": "day",
          "lastmonth": "month"}


def parse_anchor(published: str | None) -> tuple[date, str] | None:
    """The publication date as an anchor for relative dates: (date, precision). A partial
    date (``YYYY-MM`` / ``YYYY``) anchors at the last day it covers, so that "Jan. 27" in an
    article from 2021 is in 2021 and "on Saturday" falls inside the anchor's month or year;
    :func:`find_dates` then cuts relative results down to the anchor's precision."""
    if not published:
        return None
    try:
        parts = [int(p) for p in published.split("-")]
        if len(parts) == 1:
            return date(parts[0], 12, 31), "year"
        if len(parts) == 2:
            y, m = parts
            nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
            return nxt - timedelta(days=1), "month"
        return date(parts[0], parts[1], parts[2]), "day"
    except (ValueError, IndexError):
        return None


def _degrade(value: str, precision: str, anchor_precision: str) -> tuple[str, str]:
    """``value`` cut down to ``anchor_precision`` when that is coarser."""
    if _FINER[precision] >= _FINER[anchor_precision]:
        return value, precision
    return (value[:7], "month") if anchor_precision == "month" else (value[:4], "year")


def parse_pub(published: str | None) -> date | None:
    """A ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY`` date as the first day it covers."""
    if not published:
        return None
    try:
        parts = [int(p) for p in published.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def find_dates(text: str, published: str | None, lang: str | None = None) -> list[DateMatch]:
    """All date expressions in ``text`` resolved against ``published``, in text order,
    without overlaps (the longest, most specific pattern wins). ``published`` may be
    partial; relative dates are then given at the anchor's precision at most."""
    anchor = parse_anchor(published)
    pub, pub_precision = anchor if anchor else (None, "day")
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            if not free(s, e):
                continue
            if kind == "weekday":
                wd = m.group("wd").lower()
                if lang in WEEKDAYS_BY_LANG and wd not in WEEKDAYS_BY_LANG[lang]:
                    continue
                if _NOT_WEEKDAY.search(text[max(0, m.start("wd") - 6):m.start("wd")]):
                    continue
            res = _resolve(kind, m, pub)
            if res is None:
                continue
            value, precision, relative, span_years = res
            if kind in _NEEDS and _FINER[pub_precision] > _FINER[_NEEDS[kind]]:
                value, precision = _degrade(value, precision, pub_precision)
            taken.append((s, e))
            found.append(DateMatch(value, precision, s, e, relative, span_years))
    found.sort(key=lambda d: d.start)
    return found


def _resolve(kind: str, m: re.Match[str], pub: date | None) -> tuple[str, str, bool, bool] | None:
    g = m.groupdict()
    if kind in ("mdy", "dmy"):
        mon = MONTHS[g["mon"].lower().rstrip(".")]
        day = int(g["day"])
        if not 1 <= day <= 31:
            return None
        if g.get("year"):
            y = int(g["year"])
        elif pub:
            y = _year_for(mon, day, pub)
        else:
            return None
        try:
            date(y, mon, day)
        except ValueError:
            return None
        v, p = _fmt(y, mon, day)
        return v, p, not g.get("year"), False
    if kind == "my":
        word = g["mon"].lower()
        if word in ("may", "mar", "jan", "jun", "jul", "aug", "dec", "oct", "nov", "sep", "feb", "apr") and not g.get("year") and not g.get("last"):
            # "may" is a verb, abbreviations alone are rare: need a year or "in"/"en" before
            pre = m.string[max(0, m.start() - 4):m.start()].lower()
            if word == "may" or not pre.endswith(("in ", "en ")):
                return None
        mon = MONTHS[word]
        if g.get("year"):
            v, p = _fmt(int(g["year"]), mon)
            return v, p, False, False
        if not pub:
            return None
        pre = m.string[max(0, m.start() - 8):m.start()].lower()
        if not g.get("last") and not re.search(r"\b(in|en|of|de|since|desde|early|late|mid-?|until|hasta|through)\s*$", pre):
            return None
        y = _year_for(mon, None, pub, explicit_last=bool(g.get("last")))
        v, p = _fmt(y, mon)
        return v, p, True, False
    if not pub:
        if kind in ("since", "year", "yearbare"):
            y = int(g["year"])
            v, p = _fmt(y)
            return v, p, False, kind == "since"
        return None
    if kind == "weekday":
        if re.match(r"[’']s\s+(?:general\s+|presidential\s+|runoff\s+)?(?:elections?|vote|ballot|meeting|summit|game|match|hearing|deadline|session|debate|edition|broadcast)\b",
                    m.string[m.end():], re.I):
            return None  # "Sunday’s election": a date of something else
        wd = WEEKDAYS[g["wd"].lower()]
        delta = (pub.weekday() - wd) % 7
        if g.get("last") and g["last"].strip().lower() in ("last",) and delta == 0:
            delta = 7
        d = pub - timedelta(days=delta)
        v, p = _fmt(d.year, d.month, d.day)
        return v, p, True, False
    if kind == "yesterday":
        d = pub - timedelta(days=2 if m.group(1).lower() == "anteayer" else 1)
        v, p = _fmt(d.year, d.month, d.day)
        return v, p, True, False
    if kind == "today":
        v, p = _fmt(pub.year, pub.month, pub.day)
        return v, p, True, False
    if kind == "lastweek":
        d = pub - timedelta(days=7 if m.group(1).lower().startswith(("last", "la semana")) else 0)
        v, p = _fmt(d.year, d.month)
        return v, p, True, False
    if kind == "lastmonth":
        if m.group(1).lower().startswith(("last", "el mes")):
            y, mo = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
        else:
            y, mo = pub.year, pub.month
        v, p = _fmt(y, mo)
        return v, p, True, False
    if kind == "ago":
        if g.get("dec") or g.get("decs"):
            n = 10
        else:
            n = _small_number((g.get("n") or g.get("nes") or "").lower())
            if n is None:
                return None
        return f"{pub.year - n:04d}", "year", True, False
    if kind == "lastyear":
        v, p = _fmt(pub.year - 1)
        return v, p, True, False
    if kind == "thisyear":
        v, p = _fmt(pub.year)
        return v, p, True, True
    if kind == "since":
        v, p = _fmt(int(g["year"]))
        return v, p, False, True
    if kind == "decade":
        words = m.group(0).lower()
        n = 10 if ("decade" in words or "década" in words) else _small_number(words)
        return f"{pub.year - (n or 0):04d}", "year", True, True
    if kind in ("year", "yearbare"):
        y = int(g["year"])
        if y > pub.year + 1:
            return None
        v, p = _fmt(y)
        return v, p, False, False
    return None
