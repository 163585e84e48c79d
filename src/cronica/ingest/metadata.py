"""Best-effort article metadata from plain text and URLs: publication date, title, outlet.

Nothing is ever invented: a date found in text or a URL needs an explicit day, month **and**
year; a date *given* as metadata (:func:`normalize_date`) may be partial, "2021-05" or "2021",
and then keeps that precision (it is never filled up to a day). An outlet is only taken from
a byline/date line ("Pacific Ledger · August 13, 2013", "By Andes Wire staff", "Redacción
Diario del Centro | 11 de abril de 2016") or a "Source: X" line near the top. The finders
return ``None`` when they find nothing; :func:`normalize_date` raises for a value that is not
a date.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from .boilerplate import (_WEEKDAY, DATE_RE, SOURCE_LINE, is_meta_line, paragraphs,
                          split_segments, strip_glued_crumb)

__all__ = ["normalize_date", "iso_partial_date", "parse_date", "date_from_url", "date_from_text", "outlet_from_text",
           "title_from_text"]

_I = re.IGNORECASE
HEAD_LINES = 8  # how many non-empty lines at the top are searched for bylines/datelines

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
}
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:de\s+)?([a-z]+)\.?,?\s+(?:de\s+|del\s+)?(\d{4})", _I)
_MDY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", _I)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUM = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def _mk(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat() if 1900 <= y <= 2100 else None
    except ValueError:
        return None


def _from_match(s: str, language: str | None) -> str | None:
    """Convert one DATE_RE match to YYYY-MM-DD."""
    if m := _ISO.fullmatch(s):
        return _mk(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUM.fullmatch(s):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if a > 12:
            return _mk(y, b, a)
        if b > 12 or language != "en":  # day-first everywhere except in English text
            return _mk(y, a, b) if b > 12 else _mk(y, b, a)
        return _mk(y, a, b)
    if (m := _DMY.fullmatch(s)) and m[2].lower() in _MONTHS:
        return _mk(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    if (m := _MDY.fullmatch(s)) and m[1].lower() in _MONTHS:
        return _mk(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    return None


@lru_cache(maxsize=1)
def _dateparser():  # imported lazily: it is slow to import
    import dateparser

    return dateparser


def _spanish_digits(s: str) -> str:
    """"quince de marzo de dos mil veinticuatro" -> "15 de marzo de 2024"."""
    from text_to_num import alpha2digit

    try:
        return alpha2digit(s.lower(), "es")
    except Exception:  # text2num raises on odd input; then keep the text as it is
        return s


def parse_date(s: str, language: str | None = None) -> str | None:
    """Parse a date string that must contain day, month and year; return YYYY-MM-DD.

    Tries the common English/Spanish/numeric forms first, then dateparser (after turning
    Spanish number words into digits)."""
    s = s.strip()
    if not s:
        return None
    if m := DATE_RE.search(s):
        if got := _from_match(m.group(0), language):
            return got
    cand = _spanish_digits(s) if not re.search(r"\d{4}", s) else s
    if cand != s and (m := DATE_RE.search(cand)):
        if got := _from_match(m.group(0), language):
            return got
    if not re.search(r"\d{4}", cand):  # no explicit year: refuse rather than guess one
        return None
    dp = _dateparser()
    langs = [language] if language in ("en", "es", "pt", "fr", "it", "de") else ["en", "es"]
    got = dp.parse(cand, languages=langs, settings={
        "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False})
    return _mk(got.year, got.month, got.day) if got else None


# a date written ISO-style, complete or not: "2021", "2021-05", "2021-05-03"
_ISO_LIKE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?")
# "May 2021", "mayo de 2021", "Sept. 2021"
_MONTH_YEAR = re.compile(r"(?P<mon>[^\W\d_]+)\.?,?\s+(?:de\s+|del\s+)?(?P<y>\d{4})")
MIN_YEAR, MAX_YEAR = 1900, 2100
DATE_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY"


def _partial(y: int, m: int | None, d: int | None, value: str) -> str:
    """YYYY[-MM[-DD]] from checked parts; ValueError naming the value and what is wrong."""
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(f"not a date: {value!r} (year {y:04d} is outside {MIN_YEAR}-{MAX_YEAR})")
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        raise ValueError(f"not a date: {value!r} (month {m} is not 1-12)")
    if d is None:
        return f"{y:04d}-{m:02d}"
    got = _mk(y, m, d)
    if got is None:
        raise ValueError(f"not a date: {value!r} (day {d} does not exist in {y:04d}-{m:02d})")
    return got


def iso_partial_date(value: str) -> str | None:
    """An ISO-style date, complete or not ("2021-05-03", "2021-05", "2021"), checked and
    zero-padded; ``None`` when ``value`` is not of that shape; ValueError when it is but
    names no real date ("2021-13", "0000", "2021-02-30")."""
    value = value.strip()
    if not (m := _ISO_LIKE.fullmatch(value)):
        return None
    return _partial(int(m["y"]), int(m["m"]) if m["m"] else None,
                    int(m["d"]) if m["d"] else None, value)


def normalize_date(value: str | None, language: str | None = None) -> str | None:
    """A user/metadata-supplied publication date as ``YYYY-MM-DD``, or ``YYYY-MM`` /
    ``YYYY`` when only the month or the year is known (the precision is the shape, see
    :func:`cronica.records.date_precision`).

    Accepts ISO dates and timestamps ("2011-08-15T10:00:00Z"), partial ISO dates
    ("2021-05", "2021"), written dates with day, month and year in English or Spanish
    ("3 de mayo de 2015") and a month with its year ("May 2021", "mayo de 2021"). Raises
    ValueError, naming the value and the problem, for anything else ("2021-13", "0000",
    "yesterday")."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    if (m := _ISO.match(value)) and (got := _mk(int(m[1]), int(m[2]), int(m[3]))):
        return got  # also covers full ISO timestamps "2011-08-15T10:00:00Z"
    if (got := iso_partial_date(value)) is not None:
        return got
    if (m := _MONTH_YEAR.fullmatch(value)) and m["mon"].lower() in _MONTHS:
        return _partial(int(m["y"]), _MONTHS[m["mon"].lower()], None, value)
    got = parse_date(value, language)
    if got is None:
        raise ValueError(f"not a date: {value!r} (expected {DATE_FORMS}, "
                         "or a written date with a year)")
    return got


_URL_DATES = (
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$|[-_.?#])"),
    re.compile(r"[/_-]((?:19|20)\d{2})-(\d{2})-(\d{2})(?:/|$|[-_.?#])"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?:/|$|[-_.?#])"),
)


def date_from_url(url: str | None) -> str | None:
    """/2011/08/15/, /2011-08-15/ or /20110815/ in a URL path -> "2011-08-15"."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=_I)
    for rx in _URL_DATES:
        for m in rx.finditer(path):
            if got := _mk(int(m[1]), int(m[2]), int(m[3])):
                return got
    return None


def _head(text: str) -> list[str]:
    lines = [ln for block in paragraphs(text) for ln in block][:HEAD_LINES]
    if lines and (t := strip_glued_crumb(lines[0])) is not None:
        lines[0] = t
    return lines


# "LIMA, Aug 15 (Reuters) -", "Bogotá, 3 de septiembre de 2022.", "15 DE MARZO DE 2024"
_DATELINE = re.compile(
    r"^[A-ZÁÉÍÓÚÑ][\w.’'()ÁÉÍÓÚÑáéíóúñ]*(?:[ -][\w.’'()ÁÉÍÓÚÑáéíóúñ]+){0,3},\s*"
    rf"(?:(?i:{_WEEKDAY}),?\s+)?(?P<date>.{{6,40}}?)\s*(?:\([^)]{{1,40}}\)\s*)?(?:[:–—-]|\.(?!\s*\d)|$)")


def date_from_text(text: str, language: str | None = None) -> str | None:
    """Publication date from a byline/date line or a dateline in the first lines."""
    for line in _head(text):
        if not is_meta_line(line) and len(line) <= 60 and is_meta_line(_spanish_digits(line)):
            line = _spanish_digits(line)  # "quince de marzo de 2024"
        if is_meta_line(line):
            for seg in split_segments(line):
                if DATE_RE.search(seg) and (got := parse_date(seg, language)):
                    return got
            continue
        if (m := _DATELINE.match(line[:120])) and DATE_RE.search(m.group(0)):
            if got := parse_date(m.group(0), language):
                return got
    return None


_STAFF = re.compile(r"\s+(?:staff|newsroom|desk|team|editors?)$", _I)
_BY = re.compile(r"^(?:by|por|written by|escrito por)\s*:?\s*", _I)


def outlet_from_text(text: str) -> str | None:
    """Outlet named in a byline/date line or a "Source: X" line near the top, else None."""
    for line in _head(text):
        if m := SOURCE_LINE.match(line):
            return m.group(1).strip()
        if not is_meta_line(line):
            continue
        for seg in split_segments(line):
            if re.match(r"^(?:redacci[óo]n)\s+", _BY.sub("", seg), _I):
                return re.sub(r"^redacci[óo]n\s+", "", _BY.sub("", seg), flags=_I).strip()
            if _BY.match(seg):
                if _STAFF.search(seg):
                    return _STAFF.sub("", _BY.sub("", seg)).strip()
                continue  # a person's byline, not an outlet
            if DATE_RE.search(seg) or re.search(r"\d", seg) or re.match(
                    r"^(?:published|publicado|updated|actualizado)\b", seg, _I):
                continue
            return seg
    return None


def title_from_text(clean: str) -> str | None:
    """The first paragraph of cleaned text when it looks like a headline."""
    first = clean.split("\n\n", 1)[0].strip()
    if "\n" in first:  # headline and dateline in one block: the headline is the first line
        head, rest = first.split("\n", 1)
        if _DATELINE.match(rest.strip()) or is_meta_line(rest.strip()):
            first = head.strip()
    if "\n" in first or not (3 <= len(first.split()) <= 30) or len(first) > 200:
        return None
    if first.endswith(".") and not first.endswith(("...", "Jr.", "Sr.")):
        return None
    return first
