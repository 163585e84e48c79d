"""MUC-4 templates as a *view* of Cronica's own extraction.

:func:`predict_document` recases the wire text (:mod:`cronica.muc4.recase`, offsets kept
1:1), runs the product's :class:`~cronica.extract.Extractor` on it as an English
:class:`~cronica.records.Document`, and maps the result with :func:`to_templates`:

* incident types (:data:`TYPE_MAP`): attack, ambush, armed_clash, murder, massacre ->
  ``attack``; bombing -> ``bombing``; kidnapping -> ``kidnapping``; arson -> ``arson``;
  robbery -> ``robbery``; armed_strike -> ``forced work stoppage``; every other type
  (arrests, seizures, ...) is dropped, and so are ``negated`` and ``hypothetical`` incidents;
* perpetrators -> ``PerpOrg`` when ``ActorRef.kind`` is a group, force, government body or
  organisation (:data:`ORG_KINDS`), else ``PerpInd``;
* targets -> ``Victim`` when they are people (:data:`PEOPLE_KINDS`): a ``person``, an
  unknown kind (Cronica's count phrases, "three peasants", carry none), or an armed body
  whose members were hit (state forces, armed and criminal groups: MUC-4 counts soldiers
  and police as human targets); ``government_body`` / ``organization`` -> ``Target``;
* weapons -> ``Weapon``, each Cronica weapon label replaced by the words written in the
  article (searched in the incident's evidence sentences, then the whole text); a label
  with no written form (``firearms`` inferred from "shot dead") is dropped.

Every entity holds one mention, as written in the *original* text (``text[start:end]`` of
the evidence; the name itself when no evidence).  Duplicates (same normalised mention)
within a role of a template are kept once.

Template reasoning (MUC-4 asks for one template per distinct incident and per type of
act):

* **typing by sentence** – a target, victim or weapon whose sentence names another type
  of act than its incident's (:data:`TYPE_CUES`: "burned" -> arson, "stole" -> robbery,
  "bomb"/"dynamite" -> bombing, "kidnapped" -> kidnapping) goes to a template of that
  type; the incident's perpetrators go to each of its templates;
* **merging** (:func:`merge_by_type`) – same-type templates are one incident when they
  share a target or victim, or one of them has none; otherwise they stay apart;
* **repeats** (:func:`drop_repeats`) – "Jaramillo" next to "Bernardo Jaramillo Ossa" in
  one role is dropped;
* **perpetrators** (:func:`share_perpetrators`) – a template with no perpetrator takes
  those of the first template that has one.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Protocol

from cronica.muc4.recase import recase
from cronica.muc4.score import ROLES, normalize_mention
from cronica.records import ActorRef, Document, ExtractionResult, Incident

TYPE_MAP: dict[str, str] = {
    "attack": "attack", "ambush": "attack", "armed_clash": "attack", "murder": "attack",
    "massacre": "attack", "bombing": "bombing", "kidnapping": "kidnapping", "arson": "arson",
    "robbery": "robbery", "armed_strike": "forced work stoppage",
}
ORG_KINDS: frozenset[str] = frozenset(
    {"criminal_group", "armed_group", "state_force", "government_body", "organization"})
PEOPLE_KINDS: frozenset[str | None] = frozenset(
    {None, "person", "state_force", "armed_group", "criminal_group"})
DROPPED_STATUSES: frozenset[str] = frozenset({"negated", "hypothetical"})
#: Incidents below this confidence are dropped: the ``roles`` component caps confidence
#: by its document relevance score (0 when it finds no perpetrator, target or victim).
MIN_CONFIDENCE: float = 0.35

#: Written forms that stand for each Cronica weapon label (English wire text).
WEAPON_WORDS: dict[str, str] = {
    "car bomb": r"car[- ]bombs?",
    "truck bomb": r"truck[- ]bombs?",
    "explosive device": r"(?:explosive|incendiary) devices?|bombs?",
    "explosives": r"explosives|dynamite(?: sticks)?|sticks of dynamite",
    "grenades": r"(?:hand )?grenades?",
    "drones": r"drones?",
    "rifles": r"(?:high-powered )?rifles?|m-16s?",
    "assault rifles": r"assault rifles?|ak-47s?|ar-15s?",
    "machine guns": r"machine ?guns?|machineguns?",
    "handguns": r"pistols?|revolvers?|handguns?",
    "machetes": r"machetes?",
    "knives": r"knives|knife",
    "incendiary": r"gasoline|molotov cocktails?",
    "firearms": r"firearms?|guns?|weapons?",
}
_WEAPON_RX = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in WEAPON_WORDS.items()}


class _Extracts(Protocol):
    def extract(self, document: Document) -> ExtractionResult: ...


def _written(ref: ActorRef, text: str) -> str:
    ev = ref.evidence
    if ev is not None and 0 <= ev.start < ev.end <= len(text):
        return text[ev.start:ev.end]
    return ref.name


def _weapon_mentions(incident: Incident, text: str) -> list[str]:
    """Written weapon mentions: labels that are written forms (from the ``roles``
    component) first, then rule labels whose words do not overlap those."""
    spans = [(e.start, e.end) for e in incident.evidence if 0 <= e.start < e.end <= len(text)]
    written = [w for w in incident.weapons if w not in _WEAPON_RX]
    labels = [w for w in incident.weapons if w in _WEAPON_RX]
    out: list[str] = []
    taken: list[tuple[int, int]] = []
    for label in [*written, *labels]:
        rx = _WEAPON_RX.get(label) or re.compile(rf"(?<!\w){re.escape(label)}(?!\w)", re.I)
        m = next((m for s, e in spans for m in [rx.search(text, s, e)] if m), None) or rx.search(text)
        if m and not any(m.start() < b and a < m.end() for a, b in taken):
            taken.append((m.start(), m.end()))
            out.append(text[m.start():m.end()])
    return out


def _add(role_list: list[list[str]], mention: str) -> None:
    key = normalize_mention(mention)
    if key and all(normalize_mention(e[0]) != key for e in role_list):
        role_list.append([mention])


#: Words that name each MUC-4 incident type in a sentence ("burned the facilities" is an
#: arson, "stole food" a robbery), strongest first.  An act of another type told in a
#: sentence of an incident becomes its own template, as MUC-4 asks: one template per
#: type of act.
TYPE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("kidnapping", re.compile(r"\b(?:kidnap\w*|abduct\w*|hostages?)\b", re.I)),
    ("bombing", re.compile(r"\b(?:\w*bomb(?:s|ed|ings?)?|explo(?:sive|sion|ded|de)s?\w*|dynamit\w*|"
                           r"blew up|blown up|detonat\w*)\b", re.I)),
    ("arson", re.compile(r"\b(?:burn(?:ed|t|ing|s)?|set (?:on )?fire|set ablaze|torch(?:ed|ing)?|arson\w*)\b", re.I)),
    ("robbery", re.compile(r"\b(?:robb\w*|stole|stolen|steal\w*|loot\w*)\b", re.I)),
)
_SENT_END = re.compile(r"[.!?](?:[\"')\]]*)\s+")


def _sentence(text: str, offset: int) -> tuple[int, int]:
    """Start and end of the sentence of ``text`` holding ``offset`` (split after . ! ?)."""
    start = 0
    for m in _SENT_END.finditer(text, 0, max(0, offset)):
        start = m.end()
    m = _SENT_END.search(text, offset)
    return start, (m.start() + 1 if m else len(text))


def cue_types(sentence: str) -> list[str]:
    """The MUC-4 types named in a sentence, in :data:`TYPE_CUES` order."""
    return [t for t, rx in TYPE_CUES if rx.search(sentence)]


def _entity_type(base: str, sentence: str) -> str:
    """The template type of a target, victim or weapon told in ``sentence`` of an incident
    of type ``base``: ``base`` when the sentence names it or no type at all, else the
    first type it names."""
    cues = cue_types(sentence)
    if not cues or base in cues:
        return base
    return cues[0]


def incident_templates(incident: Incident, text: str) -> list[dict[str, Any]]:
    """The MUC-4 templates of one Cronica incident: none when it has no MUC-4 type or is
    negated/hypothetical/unconfident, or is an armed clash that names no target or victim
    (combat between armed forces and guerrillas is not a terrorist act for MUC-4); else
    one for its type, plus one per other type of
    act (:data:`TYPE_CUES`) that the sentence of one of its targets, victims or weapons
    names.  Perpetrators go to every template of the incident.  ``text`` is the original
    article text."""
    itype = TYPE_MAP.get(incident.type)
    if itype is None or incident.status in DROPPED_STATUSES or incident.confidence < MIN_CONFIDENCE:
        return []
    if incident.type == "armed_clash" and not incident.targets:
        return []  # combat between armed forces and guerrillas: not a MUC-4 terrorist act
    out: dict[str, dict[str, Any]] = {}

    def tmpl(typ: str) -> dict[str, Any]:
        return out.setdefault(typ, {"incident_type": typ, **{r: [] for r in ROLES}})

    tmpl(itype)
    for g in incident.targets:
        ev = g.evidence
        typ = itype
        if ev is not None and 0 <= ev.start < ev.end <= len(text):
            s, e = _sentence(text, ev.start)
            typ = _entity_type(itype, text[s:e])
        _add(tmpl(typ)["Victim" if g.kind in PEOPLE_KINDS else "Target"], _written(g, text))
    for w in _weapon_mentions(incident, text):
        wtyp = "bombing" if TYPE_CUES[1][1].search(w) else itype
        _add(tmpl(wtyp)["Weapon"], w)
    base = out[itype]
    if len(out) > 1 and not any(base[r] for r in ("Target", "Victim", "Weapon")):
        del out[itype]  # every act it tells is of another type
    for t in out.values():
        for p in incident.perpetrators:
            _add(t["PerpOrg" if p.kind in ORG_KINDS else "PerpInd"], _written(p, text))
    return list(out.values())


def incident_template(incident: Incident, text: str) -> dict[str, Any] | None:
    """The main MUC-4 template of one Cronica incident (its own type), or ``None`` when
    it has no MUC-4 type or is negated/hypothetical."""
    ts = incident_templates(incident, text)
    return ts[0] if ts else None


def _acts(t: dict[str, Any]) -> set[str]:
    return {normalize_mention(e[0]) for r in ("Target", "Victim") for e in t[r]}


def merge_by_type(templates: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One template per distinct incident, in order of first appearance.  A template
    joins an earlier one of the same type when they share a target or victim, or when
    one of them names no target or victim at all (a perpetrator-only or empty template
    adds its fillers to the incident it most likely tells about).  Two same-type
    templates with different targets or victims stay apart: MUC-4 asks for one template
    per distinct incident.  Duplicates within a role are kept once."""
    out: list[dict[str, Any]] = []
    for t in templates:
        acts = _acts(t)
        host = next((o for o in out if o["incident_type"] == t["incident_type"]
                     and (not acts or not _acts(o) or acts & _acts(o))), None)
        if host is None:
            host = {"incident_type": t["incident_type"], **{r: [] for r in ROLES}}
            out.append(host)
        for r in ROLES:
            for e in t[r]:
                _add(host[r], e[0])
    return out


def _words(mention: str) -> list[str]:
    return normalize_mention(mention).split()


def same_referent(short: str, long: str) -> bool:
    """``short`` names the entity that the longer ``long`` of the same role names: its
    words are a run of the long form's words (a surname, "Jaramillo" for "Bernardo
    Jaramillo Ossa"; a head noun, "units" for "urban commando units")."""
    s, l = _words(short), _words(long)
    if not s or len(s) >= len(l):
        return False
    return any(l[i:i + len(s)] == s for i in range(len(l) - len(s) + 1))


def drop_repeats(entities: list[list[str]]) -> list[list[str]]:
    """The entities of one role of a template without the shorter repeats of a longer
    one (:func:`same_referent`); the longer, more specific mention stays.  A repeat
    listed as a second entity would count as a spurious entity."""
    return [e for e in entities
            if not any(o is not e and same_referent(e[0], o[0]) for o in entities)]


def share_perpetrators(templates: list[dict[str, Any]]) -> None:
    """Templates that name no perpetrator get those of the first template that does:
    a report's acts are mostly the work of the one group it names (the guerrillas who
    attacked a farm also burned its buildings and stole its food)."""
    src = next((t for t in templates if t["PerpInd"] or t["PerpOrg"]), None)
    if src is None:
        return
    for t in templates:
        if not (t["PerpInd"] or t["PerpOrg"]):
            t["PerpInd"] = [list(e) for e in src["PerpInd"]]
            t["PerpOrg"] = [list(e) for e in src["PerpOrg"]]


def to_templates(result: ExtractionResult, text: str | None = None, merge: bool = True) -> list[dict[str, Any]]:
    """All MUC-4 templates of an extraction result; mentions are sliced from ``text``
    (default: the result's own document text), which must have the same length.  With
    ``merge`` (default), templates of one incident are merged (:func:`merge_by_type`),
    shorter repeats of an entity dropped (:func:`drop_repeats`), a perpetrator listed as
    an organisation is not also an individual, and perpetrators are shared
    (:func:`share_perpetrators`)."""
    text = result.document.text if text is None else text
    if len(text) != len(result.document.text):
        raise ValueError("to_templates: text and extracted document differ in length")
    templates = [t for i in result.incidents for t in incident_templates(i, text)]
    if not merge:
        return templates
    templates = merge_by_type(templates)
    for t in templates:
        for r in ROLES:
            t[r] = drop_repeats(t[r])
        orgs = {normalize_mention(e[0]) for e in t["PerpOrg"]}
        t["PerpInd"] = [e for e in t["PerpInd"] if normalize_mention(e[0]) not in orgs]  # one role per entity
    share_perpetrators(templates)
    return templates


def make_document(text: str) -> Document:
    """The Cronica document the extractor sees for a MUC-4 text (recased, English)."""
    cased = recase(text)
    return Document(id=Document.make_id(cased), text=cased, language="en")


def default_extractor() -> _Extracts:
    """The product's extractor, running only its ``incidents`` component (all the view
    reads); the full pipeline if that extractor takes no component list."""
    try:
        from cronica.extract import Extractor  # type: ignore[attr-defined]
    except ImportError:  # the package re-export may not be wired yet
        from cronica.extract.pipeline import Extractor
    try:
        return Extractor(components=("incidents", "roles"))
    except TypeError:
        return Extractor()


def predict_document(text: str, extractor: _Extracts) -> list[dict[str, Any]]:
    """MUC-4 templates for one article text (any case)."""
    return to_templates(extractor.extract(make_document(text)), text)


def predict_rows(rows: Iterable[dict[str, Any]], extractor: _Extracts,
                 on_error: Any = None) -> Iterable[dict[str, Any]]:
    """``{"docid", "templates"}`` for each ``{"docid", "doctext"}``.  A document that fails
    gets empty templates and ``on_error(docid, exception)`` is called; the run goes on."""
    for row in rows:
        docid = row.get("docid")
        try:
            text = row.get("doctext")
            if not isinstance(text, str):
                raise ValueError("'doctext' missing or not a string")
            templates = predict_document(text, extractor)
        except Exception as e:  # noqa: BLE001 - one bad document must not stop the batch
            if on_error is not None:
                on_error(docid, e)
            templates = []
        yield {"docid": docid, "templates": templates}
