"""Numeric claims (:class:`~cronica.records.Figure`) stated in an article.

Contract: :func:`extract_figures` takes the spaCy ``Doc`` of an article (``sdoc.text ==
document.text``) and the :class:`~cronica.records.Document`, and returns one ``Figure``
per value stated as a statistic – coca hectares, group strength, homicide totals and
rates, rewards, displaced people, aggregate death tolls ("a conflict that left almost
70,000 dead"), percent changes ... – each with

* ``indicator`` from the vocabulary in ``cronica/data/indicators.yaml`` (the news-dev
  indicator names plus ``population``, ``poverty_rate_pct``, ``area_of_influence_km2``);
* ``value`` (``None`` for a range, then ``low``/``high``), ``qualifier`` (``exact |
  at_least | about | at_most``), ``unit``; percent changes are signed (a fall is negative);
* ``period`` ("2005", "2009/2010", the publication year for "now"), ``place`` and
  ``subject`` as written, ``attributed_to`` (the claimant: "according to X", "según X",
  "X said/estimated/puts ... at", "... they claimed");
* ``evidence`` = the sentence, with ``document.text[start:end] == text``.

Counts that belong to one incident (killed/wounded/arrested in a specific attack) are
left to the incident extractor: a death count only becomes a ``deaths_total`` figure when
the sentence reads as an aggregate (a conflict, a war, "since 2021", "between 2010 and
2016", ...).  Dates, ages and numbers that match no indicator are not figures.

The rules are candidate generators: when ``cronica train news`` has shipped a figure
model (``data/models/news/figures.json``), a logistic regression over each quantity's
context (:func:`figure_features`, the rule's indicator among them) decides which quantities
are figures and of which indicator, with thresholds chosen by cross-validation.

Works on the English pipeline (uses the dependency parse for "X said ..." claimants when
present) and on the Spanish blank pipeline (sentences only; rules are regexes).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Span

from cronica.extract.decide import LinearModel, add_context, prefix_words, read_model_json
from cronica.extract.numbers import Quantity, find_quantities
from cronica.extract.spans import doc_text, last_ent_before, sentence_pieces, span_ents
from cronica.records import Document, Evidence, Figure, stable_id

__all__ = ["extract_figures", "IndicatorRule", "indicator_rules", "INDICATORS_PATH"]

INDICATORS_PATH = Path(__file__).resolve().parent.parent / "data" / "indicators.yaml"
_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True)
class IndicatorRule:
    """One entry of indicators.yaml, compiled (see that file for the meaning of fields)."""

    indicator: str
    kind: str
    unit: str | None
    after: re.Pattern[str] | None = None
    before: re.Pattern[str] | None = None
    local: re.Pattern[str] | None = None
    context: re.Pattern[str] | None = None
    veto: re.Pattern[str] | None = None
    currency: re.Pattern[str] | None = None
    signed: bool = False
    require_change: bool = False
    aggregate: bool = False
    subject: str = "place"


@lru_cache(maxsize=4)
def indicator_rules(path: str | None = None) -> tuple[IndicatorRule, ...]:
    """The compiled rules of ``path`` (default: the shipped indicators.yaml).

    Raises ``ValueError`` naming the file and the entry when a rule is malformed."""
    p = Path(path) if path else INDICATORS_PATH
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{p}: cannot read indicator rules ({exc})") from exc
    if not isinstance(data, list):
        raise ValueError(f"{p}: expected a list of indicator rules")
    rules: list[IndicatorRule] = []
    for n, d in enumerate(data, 1):
        if not isinstance(d, dict) or "indicator" not in d or d.get("kind") not in (
                "count", "percent", "money"):
            raise ValueError(f"{p}: rule #{n} needs 'indicator' and kind count|percent|money")

        def rx(key: str) -> re.Pattern[str] | None:
            v = d.get(key)
            if v is None:
                return None
            try:
                return re.compile(str(v), _FLAGS)
            except re.error as exc:
                raise ValueError(f"{p}: rule #{n} ({d['indicator']}) bad regex in {key}: {exc}") from exc

        after = d.get("after")
        rules.append(IndicatorRule(
            indicator=str(d["indicator"]), kind=d["kind"], unit=d.get("unit"),
            after=re.compile(r"^\s*(?:" + after + ")", _FLAGS) if after else None,
            before=rx("before"), local=rx("local"), context=rx("context"), veto=rx("veto"),
            currency=rx("currency"), signed=bool(d.get("signed")),
            require_change=bool(d.get("require_change")), aggregate=bool(d.get("aggregate")),
            subject=str(d.get("subject", "place")),
        ))
    return tuple(rules)


# --------------------------------------------------------------------------- clauses

_CLAUSE_BREAK = re.compile(r";|\s--\s|\s—\s|\bwhile\b|\bwhereas\b|\bmientras\s+(?:que\s+)?|\bbut\b|\bpero\b", _FLAGS)
_FALL = re.compile(
    r"\b(?:fell|fall|falls|dropped|drop|drops|declined|decline|declines|decreased|decrease|"
    r"shrank|lower|down|reduced|reduction|cay[oó]|ca[ií]da|disminuy[oó]|disminuci[oó]n|"
    r"baj[oó]|se\s+redujo|redujo|reducci[oó]n|descendi[oó]|descenso|menos)\b", _FLAGS)
_CHANGE = re.compile(
    r"\b(?:rose|rise|grew|growth|increased?|jumped|climbed|expanded|higher|up|fell|fall|"
    r"dropped|drop|declined?|decreased?|shrank|lower|down|aument\w*|creci\w*|cay[oó]|"
    r"ca[ií]da|subi[oó]|baj[oó]|disminu\w*|redu\w*|descen\w*)\b", _FLAGS)
_AGGREGATE = re.compile(
    r"\b(?:conflict|war|insurgency|violence\s+since|since|between\s+(?:19|20)\d\d|by\s+(?:19|20)\d\d|"
    r"in\s+total|over\s+the\s+(?:past|last)|so\s+far\s+this\s+year|"
    r"in\s+connection\s+with|decades?|years\s+of|conflicto|guerra|desde|entre\s+(?:19|20)\d\d|"
    r"en\s+lo\s+que\s+va|en\s+total|d[eé]cadas?)\b", _FLAGS)
_PER_BEFORE = re.compile(r"(?:\bper|\bpor\s+cada|\bpor|\bout\s+of|\bde\s+cada)\s+$", _FLAGS)
_CONTINUE = re.compile(r"^\s*(?:to|and|or|a|y|o|-|–|—)\s*$", _FLAGS)
_NOW = re.compile(r"\b(?:now|today|currently|at\s+present|this\s+year|actualmente|hoy|"
                  r"ahora|este\s+año|en\s+la\s+actualidad)\b", _FLAGS)
_LAST_YEAR = re.compile(r"\b(?:last\s+year|el\s+año\s+pasado|el\s+pasado\s+año)\b", _FLAGS)
_YEAR_SPAN = re.compile(
    r"\b(?:between|from|entre|de|desde)\s+((?:19|20)\d\d)\s+(?:and|to|y|a|hasta)\s+((?:19|20)\d\d)\b"
    r"|\b((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d|\d\d)\b", _FLAGS)
_YEAR_SINCE = re.compile(r"\b(?:since|desde)\s+(?:early\s+|late\s+|principios\s+de\s+|finales\s+de\s+)?((?:19|20)\d\d)\b", _FLAGS)
_YEAR = re.compile(r"(?<![\d.,$])((?:19|20)\d\d)(?![\d.,]\d)\b")


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The stretch of ``text`` around ``pos`` between clause breaks (; while but ...):
    from the end of the last break ending at or before ``pos`` to the start of the first
    break starting at or after it (breaks are never empty, so both are binary searches)."""
    starts, ends = _clause_breaks(text)
    k = bisect_right(ends, pos)
    j = bisect_left(starts, pos)
    return (ends[k - 1] if k else 0), (starts[j] if j < len(starts) else len(text))


@lru_cache(maxsize=64)
def _clause_breaks(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the clause breaks of ``text``, found once per sentence."""
    found = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(text)]
    return [a for a, _ in found], [b for _, b in found]


def _period(sent: str, clause: tuple[int, int], q: Quantity, pub_year: str | None) -> str | None:
    """The time the figure refers to: the nearest year expression in the clause."""
    cs, ce = clause
    cands: list[tuple[int, int, str]] = []  # (distance, -specificity, value)
    seg = sent[cs:ce]

    def add(m_start: int, m_end: int, value: str, spec: int) -> None:
        a, b = cs + m_start, cs + m_end
        if a < q.end and b > q.start:
            return
        dist = q.start - b if b <= q.start else a - q.end
        cands.append((dist, -spec, value))

    spans: list[tuple[int, int]] = []
    for m in _YEAR_SPAN.finditer(seg):
        y1, y2 = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if len(y2) == 2:
            y2 = y1[:2] + y2
        if y1 < y2:
            add(m.start(), m.end(), f"{y1}/{y2}", 3)
            spans.append((m.start(), m.end()))
    for m in _YEAR_SINCE.finditer(seg):
        add(m.start(), m.end(), f"{m.group(1)}/{pub_year}" if pub_year else m.group(1), 2)
        spans.append((m.start(), m.end()))
    for m in _YEAR.finditer(seg):
        if any(a <= m.start() < b for a, b in spans):
            continue
        add(m.start(), m.end(), m.group(1), 1)
    if pub_year:
        for m in _NOW.finditer(seg):
            add(m.start(), m.end(), pub_year, 1)
        for m in _LAST_YEAR.finditer(seg):
            add(m.start(), m.end(), str(int(pub_year) - 1), 1)
    if not cands:
        return None
    return min(cands)[2]


# --------------------------------------------------------------------------- claimants

_ACCORDING = re.compile(
    r"\b(?:according\s+to|citing|cited\s+by|as\s+reported\s+by|seg[uú]n|de\s+acuerdo\s+con|"
    r"conforme\s+a|citando\s+a|de\s+acuerdo\s+a)\s+"
    r"(?P<who>(?:[^,;.()\n]|\.(?=[A-Za-z]))+(?:\([^)]*\))?)", _FLAGS)
_FIGURES_FROM = re.compile(
    r"^(?:(?:the|a|an|los|las|el|la)\s+)?(?:(?:latest|most\s+recent|recent|preliminary|new|"
    r"official|annual|[uú]ltim[oa]s|recientes|preliminares|oficiales)\s+)*(?:figures|data|"
    r"estimates|statistics|numbers|cifras|datos|estimaciones|estad[ií]sticas)\s+(?:from|by|of|"
    r"de|del)\s+", _FLAGS)
_REPORT_FORMS = {
    "said", "says", "say", "estimated", "estimates", "estimate", "reported", "reports",
    "put", "puts", "recorded", "records", "showed", "shows", "claimed", "claims", "claim",
    "found", "finds", "counted", "counts", "documented", "registered", "offered", "offers",
    "told", "announced", "calculated", "calculates", "believes", "believe", "stated",
    "states", "noted", "notes", "indicated", "indicates", "reckons", "reckoned", "tallied",
    "confirmed", "confirms", "added", "wrote", "warned",
}
_SUFFIX_CLAIM = re.compile(
    r"^\s*(?P<who>they|he|she|it|the\s+group|the\s+rebels|the\s+government|officials|"
    r"authorities|the\s+authorities)\s+(?:had\s+|have\s+|has\s+)?(?:claimed|claim|claims|said|say|says|"
    r"estimated|estimate|reported|boasted|counted)\b", _FLAGS)
_ES_SAID = re.compile(
    r"(?P<who>(?:(?:el|la|los|las)\s+)?(?:[A-ZÁÉÍÓÚÑ][\w.’'-]*|de|del|la|las|los|y)"
    r"(?:\s+(?:[A-ZÁÉÍÓÚÑ][\w.’'-]*|de|del|la|las|los|y))*)\s+"
    r"(?:dijo|informó|señaló|estimó|reportó|registró|afirmó|aseguró|indicó|detalló|precisó|"
    r"calcula|estima|informa|señala|reporta|registra|documentó|ha\s+documentado|explicó|"
    r"sostuvo|agregó|añadió|ofrecía|ofrece|ofreció|ha\s+ofrecido)\b")
_EN_SAID = re.compile(
    r"(?P<who>(?:(?:the|The)\s+)?[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|of|the|and|for|on|de|del))*)"
    r"\s+(?:has\s+|had\s+|have\s+)?(?:" + "|".join(sorted(_REPORT_FORMS, key=len, reverse=True)) + r")\b")
_PRONOUNS = {"they", "he", "she", "it", "we", "them", "ellos", "ella", "él"}
_LEADING_DET = re.compile(r"^(?:[Tt]he|[Ee]l|[Ll]as?|[Ll]os)\s+(?=[A-ZÁÉÍÓÚÑ])")
_TRAILING_JUNK = re.compile(
    r"\s*(?:--|—|–).*$|\s+(?:in\s+its|in\s+a|in\s+an|en\s+su|en\s+un|en\s+una|published|publicado|released|"
    r"that|which|que|who|as|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b.*$", _FLAGS)
_TITLE_WORDS = re.compile(
    r"^(?:(?:then|former|ex|outgoing|new|current|acting)[- ]+)*(?:(?:Defen[cs]e|Interior|Justice|"
    r"Security|Prime|Foreign|Deputy|Vice|Attorney)\s+)?(?:Minister|President|General|Colonel|"
    r"Gen\.|Col\.|Director|Prosecutor|Governor|Mayor|Commander|Chief|Minister|Senator|"
    r"ministro|ministra|presidente|presidenta|general|coronel|director|directora|fiscal|"
    r"gobernador|gobernadora|alcalde|alcaldesa|comandante|jefe)\s+", _FLAGS)


#: Subjects of "puts"/"shows" that are the number itself, not who states it ("The total puts the rate at").
_NOT_CLAIMANT = re.compile(r"^(?:(?:the|this|that|a|el|la|este|esta)\s+)?(?:total|figure|number|rate|toll|count|"
                           r"tally|increase|rise|drop|decline|fall|cifra|n[uú]mero|tasa|balance)$", re.I)


def _clean_claimant(who: str) -> str | None:
    who = _TRAILING_JUNK.sub("", who.strip()).strip(" ,.;:\"“”«»'")
    who = _FIGURES_FROM.sub("", who)
    who = _LEADING_DET.sub("", who)
    if not who or who.lower() in _PRONOUNS or len(who) > 120 or _NOT_CLAIMANT.match(who):
        return None
    return who


def _person_in(span: Span) -> str | None:
    for ent in span_ents(span):
        if ent.label_ == "PERSON":
            return ent.text
    return None


def _claimant_dep(sdoc: Doc, sent: Span, q: Quantity, base: int) -> tuple[str | None, bool]:
    """Claimant from the parse: the subject of the nearest reporting verb that governs the
    number.  Returns (name, is_pronoun)."""
    if not sdoc.has_annotation("DEP"):
        return None, False
    span = sdoc.char_span(base + q.num_start, base + q.num_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, False
    tok = span.root
    seen = 0
    pronoun: str | None = None
    while tok.head is not tok and seen < 12:
        tok = tok.head
        seen += 1
        if tok.lower_ in _REPORT_FORMS and tok.pos_ in ("VERB", "AUX", "NOUN", ""):
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            if subj.lower_ in _PRONOUNS or subj.lower_ in ("it", "which", "that", "who"):
                pronoun = subj.text
                continue
            sub = sdoc[subj.left_edge.i:subj.right_edge.i + 1]
            person = _person_in(sub)
            if person:
                return person, False
            return _clean_claimant(_TITLE_WORDS.sub("", sub.text)), False
    return (pronoun, True) if pronoun else (None, False)


def _claimant(sdoc: Doc, sent: Span, q: Quantity, clause: tuple[int, int],
              subject: str | None, lang: str) -> str | None:
    text = sent.text
    # "... more than 20,000 they claimed"
    m = _SUFFIX_CLAIM.match(text[q.end:q.end + 40])
    if m:
        who = m.group("who")
        if who.lower() in _PRONOUNS or who.lower() in ("the group", "the rebels"):
            return subject or who
        return who
    # "according to X", "según X": the nearest one in the sentence
    best: tuple[int, str] | None = None
    for m in _ACCORDING.finditer(text):
        who = _clean_claimant(m.group("who"))
        if not who:
            continue
        dist = abs(m.start() - q.start)
        if best is None or dist < best[0]:
            best = (dist, who)
    if best:
        return best[1]
    dep_who, pronoun = _claimant_dep(sdoc, sent, q, sent.start_char)
    if dep_who and not pronoun:
        return dep_who
    rx = _ES_SAID if lang == "es" else _EN_SAID
    for m in rx.finditer(text):
        who = _clean_claimant(_TITLE_WORDS.sub("", m.group("who")))
        if who and not who.lower().startswith(("in ", "on ", "en ")):
            person = None
            if sdoc.has_annotation("ENT_IOB"):
                sp = sdoc.char_span(sent.start_char + m.start("who"), sent.start_char + m.end("who"),
                                    alignment_mode="expand")
                person = _person_in(sp) if sp is not None else None
            return person or who
    return None


# --------------------------------------------------------------------------- subjects

_GROUP_LABELS = ("GROUP",)
_PLACE_LABELS = ("GPE", "LOC")
_CAP_PLACE = re.compile(
    r"\b(?:in|en|of|de|across|throughout)\s+(?:the\s+|el\s+|la\s+|los\s+)?"
    r"(?P<p>[A-ZÁÉÍÓÚÑ][\w’'-]+(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][\w’'-]+)*)")
_NOT_PLACES = {"January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December", "enero", "febrero", "marzo",
               "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
               "noviembre", "diciembre", "Spanish", "English", "The", "El", "La"}
_NON_PLACE_LABELS = ("PERSON", "ORG", "NORP", "DATE", "GROUP", "FORCE")


_INSTITUTION_BEFORE = re.compile(
    r"\b(?:Ministerio|Ministry|Minister|Ministro|Ministra|Secretar[ií]a|Secretariat|Secretary|Departamento|Department|"
    r"Fiscal[ií]a|Office|Oficina|Instituto|Institute|Comisi[oó]n|Commission|Defensor[ií]a|Superintendencia|"
    r"Direcci[oó]n|Directorate|Bureau|Agencia|Agency)\s*$")


def _nearest_ent(ents: list[Any], pos: int, clause: tuple[int, int] | None = None) -> str | None:
    best: tuple[int, str] | None = None
    for e, s, t in ents:
        if clause and not (clause[0] <= s < clause[1]):
            continue
        d = abs(s - pos)
        if best is None or d < best[0]:
            best = (d, t)
    return best[1] if best else None


def _place(sent: Span, q: Quantity, clause: tuple[int, int]) -> str | None:
    """Where the figure applies: "in PLACE" right after the number in its clause, else the
    nearest GPE/LOC entity of the clause, else the nearest "in PLACE" of the clause."""
    text = sent.text
    base = sent.start_char
    not_place = [(e.start_char - base, e.end_char - base) for e in span_ents(sent)
                 if e.label_ in _NON_PLACE_LABELS]

    def ok(m: re.Match[str]) -> bool:
        name = m.group("p")
        if name.split()[0] in _NOT_PLACES or name.endswith(("’s", "'s")):
            return False
        if _INSTITUTION_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            return False  # "el Ministerio de Defensa", "the Ministry of Defence": a body, not a place
        return not any(a <= m.start("p") < b for a, b in not_place)

    for m in _CAP_PLACE.finditer(text, q.end, min(clause[1], q.end + 80)):
        if ok(m):
            return m.group("p")
    ents = [(e, e.start_char - base, e.text) for e in span_ents(sent) if e.label_ in _PLACE_LABELS]
    p = _nearest_ent(ents, q.start, clause)
    if p:
        return _LEADING_DET.sub("", p)
    best: tuple[int, str] | None = None
    for m in _CAP_PLACE.finditer(text, clause[0], clause[1]):
        if not ok(m):
            continue
        d = abs(m.start() - q.start)
        if best is None or d < best[0]:
            best = (d, m.group("p"))
    return best[1] if best else None


def _group(sdoc: Doc, sent: Span, q: Quantity) -> str | None:
    ents = [(e, e.start_char - sent.start_char, e.text) for e in span_ents(sent) if e.label_ in _GROUP_LABELS]
    g = _nearest_ent(ents, q.start)
    if g:
        return g
    # the most recent group mentioned before this sentence
    prev = last_ent_before(sdoc, sent.start_char, frozenset(_GROUP_LABELS))
    return prev.text if prev is not None else None


# --------------------------------------------------------------------------- matching

def _kind_of(q: Quantity) -> str:
    if q.unit == "percent":
        return "percent"
    if q.unit is not None:
        return "money"
    return "count"


def _after_text(sent: str, q: Quantity, following: Quantity | None) -> str:
    """Text after the number; "from 34,000 to 5,000 square kilometers" lends the unit of
    the second number to the first."""
    if following is not None and _CONTINUE.match(sent[q.end:following.start]):
        return sent[following.end:following.end + 120]
    return sent[q.end:q.end + 120]


def _match_rule(rules: tuple[IndicatorRule, ...], sent: str, q: Quantity,
                following: Quantity | None, clause: tuple[int, int]) -> IndicatorRule | None:
    kind = _kind_of(q)
    local = sent[clause[0]:clause[1]]
    before = sent[clause[0]:q.start]
    after = _after_text(sent, q, following)
    for r in rules:
        if r.kind != kind:
            continue
        if r.currency is not None and not r.currency.fullmatch(q.unit or ""):
            continue
        if r.after is not None and not r.after.match(after):
            continue
        if r.before is not None and not r.before.search(before):
            continue
        if r.local is not None and not r.local.search(local):
            continue
        if r.context is not None and not r.context.search(sent):
            continue
        if r.veto is not None and r.veto.search(local):
            continue
        if r.require_change and not _CHANGE.search(local):
            continue
        if r.aggregate and (not _AGGREGATE.search(sent) or _one_day(sent)):
            continue
        return r
    return None


_WEEKDAY = re.compile(
    r"\b(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|"
    r"last\s+night|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|ayer|anoche)\b", _FLAGS)
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|reported|announced|dijo|informó|señaló)\s+(?:\w+\s+)?$", _FLAGS)


def _one_day(sent: str) -> bool:
    """The sentence dates something to one day ("on Monday", "el viernes"), unless the day
    is only when someone spoke ("the office said on Tuesday")."""
    return any(not _SAID_BEFORE.search(sent[max(0, m.start() - 30):m.start()])
               for m in _WEEKDAY.finditer(sent))


_CONVERSION_GAP = re.compile(r"^\s*(?:,|\(|—|–|or|o)\s*$")
_LOWER_AFTER = re.compile(r"^\s*(?:lower|less|fewer|menos|menor|down|drop|decline)\b", _FLAGS)
_ELLIPSIS_AFTER = re.compile(
    r"^\s*(?:[.;,)]|$|now|today|ahora|hoy|in\s+(?:19|20)\d\d|en\s+(?:19|20)\d\d|a\s+year\s+earlier)"
    r"|" + _SUFFIX_CLAIM.pattern, _FLAGS)
_ELLIPSIS_BEFORE = re.compile(r"\b(?:down|up|compared)\s+(?:from|with|to)\s+$|\bfrente\s+a\s+$|\bcomparado\s+con\s+$", _FLAGS)


_MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+$|\b(?:January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\s+$")


def _skip(sent: str, q: Quantity, clause: tuple[int, int]) -> bool:
    if q.vague or q.looks_like_year:
        return True
    if q.written and q.value == 1 and q.unit is None:
        return True  # "one more officer", "one of the world's": not a statistic
    if _MONTH_BEFORE.search(sent[max(0, q.start - 12):q.start]):
        return True  # "Sept. 9"
    if _PER_BEFORE.search(sent[max(clause[0], q.start - 12):q.start]):
        return True
    # "April 10", "10 de abril", times and street numbers are not amounts
    if re.match(r"^\s*(?:de\s+)?(?:january|february|march|april|may|june|july|august|september|"
                r"october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
                r"septiembre|setiembre|octubre|noviembre|diciembre)\b", sent[q.end:q.end + 20], _FLAGS):
        return True
    return False


# --------------------------------------------------------------------------- learned decision

FIGURE_MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "news" / "figures.json"
def figure_features(sent: str, q: Quantity, clause: tuple[int, int], rule_indicator: str | None,
                    lang: str) -> dict[str, float]:
    """Sparse features of one quantity of a sentence (the keys of the figure model)."""
    f: dict[str, float] = {"bias": 1.0, "lang=" + lang: 1, "kind=" + _kind_of(q): 1, "q=" + q.qualifier: 1,
                           "ri=" + str(rule_indicator): 1}
    if q.unit and q.unit != "percent":
        f["unit=" + q.unit] = 1
    if q.written:
        f["written"] = 1
    if q.is_range:
        f["range"] = 1
    v = q.value if q.value is not None else (q.high or 0)
    mag = 0 if not v else len(str(int(abs(v))))
    f[f"mag={mag}"] = 1
    if v and v != int(v):
        f["decimal"] = 1
    add_context(f, prefix_words(sent[max(clause[0], q.start - 80):q.start])[-4:],
                prefix_words(sent[q.end:min(len(sent), q.end + 80)])[:4])
    for w in _clause_words(sent, clause[0], clause[1]):
        f["cw=" + w] = 1
    aggregate, one_day, year = _sentence_cues(sent)
    if aggregate:
        f["aggregate_cue"] = 1
    if _clause_change(sent, clause[0], clause[1]):
        f["change_cue"] = 1
    if one_day:
        f["one_day"] = 1
    if year:
        f["year_in_sentence"] = 1
    return f


# the features above that depend only on the sentence or the clause are computed once
# for all the numbers of a sentence (a sentence of many numbers made them quadratic)
@lru_cache(maxsize=256)
def _clause_words(sent: str, lo: int, hi: int) -> tuple[str, ...]:
    return tuple(set(prefix_words(sent[lo:hi])))


@lru_cache(maxsize=256)
def _clause_change(sent: str, lo: int, hi: int) -> bool:
    return bool(_CHANGE.search(sent[lo:hi]))


@lru_cache(maxsize=64)
def _sentence_cues(sent: str) -> tuple[bool, bool, bool]:
    return (bool(_AGGREGATE.search(sent)), _one_day(sent), bool(re.search(r"\b(?:19|20)\d\d\b", sent)))


@dataclass(slots=True)
class FigureModel:
    """Which quantities are figures, and of which indicator (``cronica train news``).

    ``classes`` are the indicators seen at least a few times in training, ``none`` (not a
    figure) and ``other`` (a figure of a rarer indicator: the rules decide)."""

    model: LinearModel
    add_threshold: float  # a quantity no rule matched becomes a figure at this probability
    change_margin: float  # the model's indicator replaces the rule's by this margin
    drop_margin: float  # "none" beats the rule's indicator by this margin: dropped
    units: dict[str, str | None]

    def decide(self, feats: dict[str, float], rule_indicator: str | None) -> tuple[str | None, bool]:
        """(indicator or None, decided by the model)."""
        return self.choose(self.model.proba(feats), rule_indicator)

    def choose(self, p: dict[str, float], rule_indicator: str | None) -> tuple[str | None, bool]:
        """:meth:`decide` from the model's probabilities ``p`` (training reuses them)."""
        best = max(sorted(p), key=lambda c: p[c])
        if rule_indicator is not None:
            pr = p.get(rule_indicator, p.get("other", 0.0))
            if best == "none" and p["none"] - pr > self.drop_margin:
                return None, True
            if best not in ("none", "other", rule_indicator) and p[best] - pr > self.change_margin:
                return best, True
            return rule_indicator, False
        if best not in ("none", "other") and p[best] >= self.add_threshold:
            return best, True
        return None, False


@lru_cache(maxsize=4)
def load_figure_model(path: str | None = None) -> FigureModel | None:
    """The shipped (or given) figure model; ``None`` when there is none."""
    d = read_model_json(path or FIGURE_MODEL_PATH)
    if d is None:
        return None
    return FigureModel(LinearModel.from_dict(d["model"]), float(d["add_threshold"]), float(d["change_margin"]),
                       float(d["drop_margin"]), dict(d.get("units") or {}))


def _learned_rule(ind: str, q: Quantity, units: dict[str, str | None]) -> IndicatorRule:
    """The rule a model-chosen indicator stands for: the shipped rule when there is one."""
    for r in indicator_rules():
        if r.indicator == ind and r.kind == _kind_of(q):
            return r
    return IndicatorRule(indicator=ind, kind=_kind_of(q), unit=units.get(ind), signed=ind.endswith("_change_pct"))


@dataclass(slots=True)
class FigureCandidate:
    """A quantity the figure decision saw (for training): where, its value and its features."""

    start: int
    value: float | None
    low: float | None
    high: float | None
    rule_indicator: str | None
    feats: dict[str, float]
    fall: bool = False  # a fall is said around it: signed indicators take the negative value
    kilos: bool = False  # "504 kilos": a tonnage indicator takes value / 1000


_KILOS_AFTER = re.compile(r"^\s*(?:kilo(?:gram(?:me)?)?s?|kg|kilogramos?)\b", _FLAGS)


def extract_figures(sdoc: Doc, document: Document, model: FigureModel | None | bool = True,
                    collect: list[FigureCandidate] | None = None) -> list[Figure]:
    """Numeric claims of ``document`` (see the module docstring for the contract).

    ``model``: the learned figure decision (``True``: the shipped one when present;
    ``None``/``False``: rules only).  ``collect`` receives every quantity considered, with
    its features (training).  Raises ``ValueError`` when ``sdoc`` was not made from
    ``document.text``."""
    if model is True:
        model = load_figure_model()
    elif model is False:
        model = None
    if doc_text(sdoc) != document.text:
        raise ValueError(f"document {document.id}: spaCy Doc text differs from Document.text")
    lang = (document.language or "en").split("-")[0].lower()
    if lang not in ("en", "es"):
        lang = "en"
    pub_year = document.published[:4] if document.published else None
    rules = indicator_rules()
    figures: list[Figure] = []
    # a very long sentence is read in pieces (MAX_SENTENCE_CHARS): bounded work per number
    for sent in (piece for s in sdoc.sents for piece in sentence_pieces(s)):
        text = sent.text
        if not re.search(r"\d|[a-z]", text):
            continue
        qs = find_quantities(text, lang)
        last: Figure | None = None
        for i, q in enumerate(qs):
            clause = _clause_bounds(text, q.start)
            if _skip(text, q, clause):
                continue
            following = qs[i + 1] if i + 1 < len(qs) else None
            prev = qs[i - 1] if i > 0 else None
            if (prev is not None and _kind_of(q) == "money" and _kind_of(prev) == "money"
                    and _CONVERSION_GAP.match(text[prev.end:q.start])):
                continue  # "3 billion pesos, about $800,000": a conversion, not a new figure
            rule = _match_rule(rules, text, q, following, clause)
            if model is not None or collect is not None:
                feats = figure_features(text, q, clause, rule.indicator if rule else None, lang)
                if collect is not None:
                    fall = bool(_FALL.search(text[clause[0]:q.start]) or _LOWER_AFTER.match(text[q.end:q.end + 20]))
                    collect.append(FigureCandidate(sent.start_char + q.start, q.value, q.low, q.high,
                                                   rule.indicator if rule else None, feats, fall,
                                                   bool(_KILOS_AFTER.match(text[q.end:q.end + 15]))))
                if model is not None:
                    ind_m, by_model = model.decide(feats, rule.indicator if rule else None)
                    if by_model and ind_m is None:
                        continue
                    if by_model and ind_m is not None:
                        rule = _learned_rule(ind_m, q, model.units)
            ind, unit, subject_kind = (rule.indicator, rule.unit, rule.subject) if rule else (None, None, None)
            if rule is None:
                # ellipsis: "there were 15,000 hectares ...; now there are 19,700."
                if last is None or _kind_of(q) != "count" or not (
                        _ELLIPSIS_AFTER.match(text[q.end:q.end + 40])
                        or _ELLIPSIS_BEFORE.search(text[max(0, q.start - 30):q.start])):
                    continue
                ind, unit = last.indicator, last.unit
            value, low, high = q.value, q.low, q.high
            if rule and rule.indicator.endswith("_tons") and _KILOS_AFTER.match(text[q.end:q.end + 15]):
                value, low, high = (None if x is None else x / 1000 for x in (value, low, high))
            if rule and rule.signed and (_FALL.search(text[clause[0]:q.start])
                                         or _LOWER_AFTER.match(text[q.end:q.end + 20])):
                value = -value if value is not None else None
            if unit == "USD" or (rule and rule.kind == "money"):
                unit = q.unit if rule and rule.currency is None else unit
            place = _place(sent, q, clause)
            if rule is None and last is not None:
                place = place or last.place
            if subject_kind == "group":
                subject = _group(sdoc, sent, q) or place
            else:
                subject = place or (last.subject if (rule is None and last) else None)
            group = _group(sdoc, sent, q)
            claimant = _resolve_generic(_claimant(sdoc, sent, q, clause, group or subject, lang),
                                        document.text[:sent.start_char])
            period = _period(text, clause, q, pub_year)
            start, end = sent.start_char, sent.end_char
            while end > start and document.text[end - 1].isspace():
                end -= 1
            fig = Figure(
                id=stable_id("fig", document.id, start, q.start, ind),
                indicator=str(ind), value=value, subject=subject, low=low, high=high,
                qualifier=q.qualifier, unit=unit, period=period, place=place,
                attributed_to=claimant,
                evidence=Evidence(start, end, document.text[start:end]),
            )
            figures.append(fig)
            last = fig
    _carry_claimants(figures, document.text)
    return _dedupe(figures)


#: A claimant that is only a generic description of a body named earlier ("the agency").
_GENERIC_CLAIMANT = re.compile(
    r"^(?:the\s+|la\s+|el\s+)?(?P<head>agency|office|ministry|institute|commission|survey|report|monitor|"
    r"registry|department|bureau|observatory|agencia|oficina|ministerio|instituto|comisi[oó]n|"
    r"informe|observatorio|registro)$", re.I)


def _resolve_generic(who: str | None, before: str) -> str | None:
    """"the agency" -> the body it refers to, when the text before names it next to that
    word: "the national drug-control agency, CONADRO" or "the National Crime Observatory".
    Otherwise ``who`` unchanged."""
    m = _GENERIC_CLAIMANT.match(who or "")
    if not m:
        return who
    head = m.group("head")
    for hit in reversed(list(re.finditer(rf"\b{re.escape(head)}\b", before, re.I))):
        after = re.match(r",?\s+(?P<n>[A-ZÁÉÍÓÚÑ][\w-]*(?:\s+[A-ZÁÉÍÓÚÑ][\w-]*)*)", before[hit.end():])
        if after and not hit.group(0)[0].isupper():
            return after.group("n")  # "the ... agency, CONADRO"
        if hit.group(0)[0].isupper():  # "the National Crime Observatory (ONC)"
            name = re.search(r"(?:[A-ZÁÉÍÓÚÑ][\w-]*\s+(?:(?:of|for|on|de|del|la)\s+)?)*$", before[:hit.start()])
            acr = re.match(r"\s*\((?P<a>[A-Z]{2,})\)", before[hit.end():])
            full = (name.group(0) if name else "") + hit.group(0)
            if full != hit.group(0):
                return full + (f" ({acr.group('a')})" if acr else "")
    return who


def _same_topic(a: str, b: str) -> bool:
    """Two indicators about the same thing: "homicides_total" and "homicide_rate"."""
    ha, hb = a.split("_")[0].rstrip("s"), b.split("_")[0].rstrip("s")
    return bool(ha) and ha == hb


def _carry_claimants(figures: list[Figure], text: str) -> None:
    """A figure with no claimant of its own, in the sentence right after a figure about the
    same thing with one, in the same paragraph, keeps that claimant: "…according to the
    observatory. That is a fifth more than a year earlier" is still the observatory's figure."""
    prev: Figure | None = None
    for f in figures:
        if (f.attributed_to is None and prev is not None and prev.attributed_to and f.evidence and prev.evidence
                and _same_topic(f.indicator, prev.indicator)
                and "\n" not in text[prev.evidence.end:f.evidence.start]
                and not re.search(r"[.!?][”\"]?\s+\S[^.!?]*[.!?]\s", text[prev.evidence.end:f.evidence.start])):
            f.attributed_to = prev.attributed_to
        prev = f


def _dedupe(figures: list[Figure]) -> list[Figure]:
    """One figure per (indicator, value, low, high): a headline and the body often state the
    same number; keep the first statement, filling gaps from the repeats."""
    kept: dict[tuple[Any, ...], Figure] = {}
    for f in figures:
        key = (f.indicator, f.value, f.low, f.high)
        k = kept.get(key)
        if k is None:
            kept[key] = f
            continue
        for name in ("attributed_to", "period", "place", "subject"):
            if getattr(k, name) is None and getattr(f, name) is not None:
                setattr(k, name, getattr(f, name))
    return list(kept.values())
