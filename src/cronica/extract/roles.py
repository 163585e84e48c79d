"""The ``roles`` pipeline component: learned role fillers on top of the rule incidents.

Runs after ``incidents``.  The CRF tagger (:mod:`cronica.extract.roles_model`) finds
perpetrators, targets, victims and weapons written in the article; this module turns
them into entities and puts them on the incidents:

* **named victims** – :func:`~cronica.extract.victims.named_victims` adds PERSON names that the parse makes the
  object of a harm verb or noun ("the murder of X"), where the tagger found nothing.
* **cleaning** – :func:`clean_spans` trims what is not part of a filler's name: a
  trailing relative pronoun or possessive ("journalist Carlos Marcelo who" -> "journalist
  Carlos Marcelo"), a leading nationality on a physical target ("Salvadoran embassy
  building" -> "embassy building": nationality is an attribute of the target, not its
  name), and splits "X and Y" into two fillers of the same role.
* **entities** – spans of one role with the same normalised text are one entity; an
  acronym of a longer span of the same role ("FMLN" after "Farabundo Marti National
  Liberation Front") joins it; the first written mention represents the entity.
* **attachment** – each entity goes to the incident whose evidence sentences contain it,
  else to the incident whose trigger is nearest in the text.
* **replacement** – an incident that receives entities gets the model's perpetrators and
  targets instead of the rule ones; a rule reference that overlaps a model span keeps its
  registry link (``canonical``, ``actor_id``, ``kind``).  Incidents that receive nothing
  keep their rule references.  Kinds: ``PerpOrg`` -> the registry kind or
  ``armed_group``; ``PerpInd`` -> ``None`` (an unnamed individual perpetrator);
  ``Victim`` -> ``person`` (or the registry kind of an armed body whose members were
  hit); ``Target`` (a physical target: building, vehicle, pylon) -> ``organization``.
  Weapons: the written form, lower-cased ("sticks of dynamite"), is added to
  ``Incident.weapons`` next to the rule labels.
* **new incidents** – when the tagger finds fillers in a document where the rules found
  no violent incident, one ``current`` incident is added, its type guessed from the
  words of the sentences holding the fillers (bombing, kidnapping, arson, robbery,
  else attack).
* **relevance** – :func:`relevance` scores how likely the document reports a current
  violent incident, from the bag-of-words classifier of :mod:`cronica.extract.relevance`
  and the tagger's fillers (with no perpetrator, target or victim found, the classifier
  alone when it is sure, else 0); every incident's ``confidence`` is capped by it.

The tagger was trained on English wire text; documents in other languages are left as
they are.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from spacy.tokens import Doc

from cronica.extract.relevance import RelevanceModel
from cronica.extract.roles_model import RoleSpan, RoleTagger, default_tagger
from cronica.extract.victims import with_named_victims
from cronica.extract.titles import COUNTRIES, fold
from cronica.records import ActorRef, Document, Evidence, Incident, Location, stable_id

#: Incident types the role fillers describe (violent events with perpetrators/targets).
VIOLENT_TYPES: frozenset[str] = frozenset({
    "attack", "ambush", "bombing", "armed_clash", "murder", "massacre", "kidnapping",
    "arson", "robbery", "armed_strike", "extortion",
})
AUTHORITATIVE_WEAPONS = False
#: A new incident is only added to a document at least this relevant.
NEW_INCIDENT_MIN_RELEVANCE = 0.35
#: With no filler found, a document is relevant only if the classifier is this sure.
SURE_WITHOUT_FILLERS = 0.5
_STOP = frozenset({"a", "an", "the", "of", "and", "de", "del", "la", "el", "y"})
_TYPE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("kidnapping", re.compile(r"\b(?:kidnap|abduct|hostage)", re.I)),
    ("bombing", re.compile(r"\b(?:bomb|explo|dynamite|blew up|blown up)", re.I)),
    ("arson", re.compile(r"\b(?:burn|set fire|set on fire|torch|arson)", re.I)),
    ("robbery", re.compile(r"\b(?:robb|stole|steal|loot)", re.I)),
)


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())


def _initials(s: str) -> str:
    return "".join(w[0] for w in _norm(s).split() if w not in _STOP)


def _is_acronym(short: str, long: str) -> bool:
    """``short`` (one word) abbreviates ``long``: its letters are the initials of the
    long form's content words, in any order, at most one initial left out."""
    ini = list(_initials(long))
    if len(short) < 3 or len(ini) - len(short) not in (0, 1):
        return False
    for c in short:
        if c not in ini:
            return False
        ini.remove(c)
    return True


_TRAILING = re.compile(r"(?:\s+(?:who|whom|whose|which|that)|['\u2019]s)$", re.I)
_AND = re.compile(r"\s+and\s+", re.I)
#: Nationality words of countries outside :data:`~cronica.extract.titles.COUNTRIES`.
_MORE_NATIONALITIES = frozenset({"soviet", "prc", "chinese", "british", "israeli", "french", "german",
                                 "italian", "japanese", "canadian", "ecuadoran", "ecuadorean"})


def _leading_nationality(text: str) -> int:
    """Length of a leading country name or demonym (and the space after it) in ``text``,
    when more words follow; else 0."""
    words = text.split(" ")
    for n in (2, 1):
        key = fold(" ".join(words[:n]))
        if len(words) > n and (key in COUNTRIES or key in _MORE_NATIONALITIES):
            return len(" ".join(words[:n])) + 1
    return 0


def clean_spans(spans: Sequence[RoleSpan]) -> list[RoleSpan]:
    """Trim each span to the filler's name (see the module docstring): drop a trailing
    relative pronoun or possessive ``'s``, a leading nationality on a ``Target``, and
    split a comma-free "X and Y" target, perpetrator or weapon into two spans."""
    out: list[RoleSpan] = []
    for s in spans:
        m = _TRAILING.search(s.text)
        if m and m.start() > 0:
            s = dataclasses.replace(s, end=s.start + m.start(), text=s.text[:m.start()])
        if s.role == "Target":
            k = _leading_nationality(s.text)
            if k:
                s = dataclasses.replace(s, start=s.start + k, text=s.text[k:])
        parts = list(_AND.finditer(s.text))
        if s.role != "Victim" and len(parts) == 1 and "," not in s.text:
            a, b = parts[0].start(), parts[0].end()
            if a > 2 and len(s.text) - b > 2:
                out.append(dataclasses.replace(s, end=s.start + a, text=s.text[:a]))
                out.append(dataclasses.replace(s, start=s.start + b, text=s.text[b:]))
                continue
        out.append(s)
    return out


def entities(spans: Sequence[RoleSpan]) -> list[list[RoleSpan]]:
    """Group spans into entities per role (same normalised text, or acronym of a longer
    span of the same role); entities in order of first mention."""
    groups: list[list[RoleSpan]] = []
    index: dict[tuple[str, str], list[RoleSpan]] = {}
    for s in spans:
        key = (s.role, _norm(s.text))
        if not key[1]:
            continue
        if key in index:
            index[key].append(s)
            continue
        joined = None
        if " " not in key[1] and len(key[1]) >= 3:
            for (role, text), g in index.items():
                if role == s.role and " " in text and _is_acronym(key[1], text):
                    joined = g
                    break
        elif " " in key[1]:
            for (role, text), g in index.items():
                if role == s.role and " " not in text and _is_acronym(text, key[1]):
                    joined = g
                    break
        if joined is not None:
            joined.append(s)
            index[key] = joined
        else:
            g = [s]
            groups.append(g)
            index[key] = g
    return groups


def representative(entity: Sequence[RoleSpan]) -> RoleSpan:
    """The mention that stands for an entity: the longest of its distinct forms (names
    over acronyms), first written on ties."""
    return max(entity, key=lambda s: (len(_norm(s.text).split()), -s.start))


def relevance(spans: Sequence[RoleSpan], p_doc: float = 1.0) -> float:
    """How likely the document reports a current violent incident: the document
    classifier's probability ``p_doc`` (:mod:`cronica.extract.relevance`), raised by 0.1
    for each filler entity beyond the first (many fillers are strong evidence), at most
    1.  When the tagger finds no perpetrator, target or victim, the classifier alone
    decides, and only when it is confident (``p_doc`` >= :data:`SURE_WITHOUT_FILLERS`):
    else 0."""
    n = len({(s.role, _norm(s.text)) for s in spans if s.role != "Weapon"})
    if n == 0:
        return p_doc if p_doc >= SURE_WITHOUT_FILLERS else 0.0
    return min(1.0, p_doc + 0.1 * (n - 1))


def _overlap(a: tuple[int, int], ev: Evidence | None) -> bool:
    return ev is not None and a[0] < ev.end and ev.start < a[1]


def _nearest(incidents: Sequence[Incident], span: RoleSpan) -> Incident:
    def dist(inc: Incident) -> tuple[int, int]:
        inside = any(e.start <= span.start < e.end for e in inc.evidence)
        anchor = inc.trigger.start if inc.trigger else (inc.evidence[0].start if inc.evidence else 0)
        return (0 if inside else 1, abs(anchor - span.start))
    return min(incidents, key=dist)


def _ref(span: RoleSpan, old: Sequence[ActorRef], text: str) -> ActorRef:
    ev = Evidence(span.start, span.end, text[span.start:span.end])
    link = next((r for r in old if _overlap((span.start, span.end), r.evidence)), None)
    canonical = link.canonical if link else None
    actor_id = link.actor_id if link else None
    if span.role == "PerpOrg":
        kind = link.kind if link and link.kind not in (None, "person") else "armed_group"
    elif span.role == "PerpInd":
        kind, canonical, actor_id = None, None, None
    elif span.role == "Victim":
        kind = link.kind if link and link.kind in ("state_force", "armed_group", "criminal_group") else "person"
    else:  # Target: a physical target
        kind, canonical, actor_id = "organization", None, None
    return ActorRef(name=ev.text, canonical=canonical, actor_id=actor_id, kind=kind, evidence=ev)


def _guess_type(sdoc: Doc, spans: Sequence[RoleSpan]) -> str:
    sents = {s.sent_start for s in spans}
    text = " ".join(s.text for s in sdoc.sents if s.start_char in sents)
    for typ, rx in _TYPE_CUES:
        if rx.search(text):
            return typ
    return "attack"


def _new_incident(sdoc: Doc, document: Document, spans: Sequence[RoleSpan]) -> Incident:
    first = min(spans, key=lambda s: s.start)
    sent = next(s for s in sdoc.sents if s.start_char == first.sent_start)
    typ = _guess_type(sdoc, spans)
    return Incident(
        id=stable_id("inc", document.id, sent.start_char, typ, "roles"), type=typ,
        location=Location(), evidence=[Evidence(sent.start_char, sent.end_char, sent.text)],
        trigger=None, confidence=1.0,
    )


def enrich_incidents(sdoc: Doc, document: Document, incidents: list[Incident],
                     spans: Sequence[RoleSpan], p_doc: float = 1.0) -> list[Incident]:
    """Put the tagger's role fillers on ``incidents`` (see the module docstring); returns
    the new list (incidents are changed in place, and one may be added).  ``p_doc`` is
    the document classifier's relevance probability."""
    text = document.text
    spans = clean_spans(spans)
    rel = relevance(spans, p_doc)
    groups = entities(spans)
    violent = [i for i in incidents if i.type in VIOLENT_TYPES and i.status not in ("negated", "hypothetical")]
    if groups and not violent and rel >= NEW_INCIDENT_MIN_RELEVANCE:
        new = _new_incident(sdoc, document, [s for g in groups for s in g])
        incidents = [*incidents, new]
        violent = [new]
    assigned: dict[str, list[RoleSpan]] = {}
    if violent:
        for g in groups:
            rep = representative(g)
            assigned.setdefault(_nearest(violent, g[0]).id, []).append(rep)
    for inc in incidents:
        if inc in violent:
            got = assigned.get(inc.id, [])
            old = [*inc.perpetrators, *inc.targets]
            inc.perpetrators = [_ref(s, old, text) for s in got if s.role in ("PerpInd", "PerpOrg")]
            inc.targets = [_ref(s, old, text) for s in got if s.role in ("Victim", "Target")]
            written = [s.text.lower().strip() for s in got if s.role == "Weapon"]
            if AUTHORITATIVE_WEAPONS:
                inc.weapons = []
            for w in written:
                if w and w not in inc.weapons:
                    inc.weapons.append(w)
        inc.confidence = min(inc.confidence, rel)
    return incidents


def extract_roles(sdoc: Doc, document: Document, incidents: list[Incident],
                  tagger: RoleTagger | None = None, classifier: RelevanceModel | None = None) -> list[Incident]:
    """Run the tagger and the relevance classifier on an English document and enrich its
    incidents; other languages are returned unchanged."""
    if document.language not in (None, "en"):
        return incidents
    tagger = tagger or default_tagger()
    classifier = classifier or RelevanceModel.default()
    p_doc = classifier.scores(document.text)["relevant"]
    spans = with_named_victims(tagger.tag(sdoc), sdoc)
    return enrich_incidents(sdoc, document, incidents, spans, p_doc)
