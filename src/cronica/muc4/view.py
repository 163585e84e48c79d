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


def incident_template(incident: Incident, text: str) -> dict[str, Any] | None:
    """The MUC-4 template of one Cronica incident, or ``None`` when it has no MUC-4 type
    or is negated/hypothetical.  ``text`` is the original article text."""
    itype = TYPE_MAP.get(incident.type)
    if itype is None or incident.status in DROPPED_STATUSES or incident.confidence < MIN_CONFIDENCE:
        return None
    t: dict[str, Any] = {"incident_type": itype, **{r: [] for r in ROLES}}
    for p in incident.perpetrators:
        _add(t["PerpOrg" if p.kind in ORG_KINDS else "PerpInd"], _written(p, text))
    for g in incident.targets:
        _add(t["Victim" if g.kind in PEOPLE_KINDS else "Target"], _written(g, text))
    for w in _weapon_mentions(incident, text):
        _add(t["Weapon"], w)
    return t


def merge_by_type(templates: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One template per incident type, in order of first appearance; the entities of
    same-type templates are pooled (duplicates kept once).  MUC-4 documents mostly report
    one incident per type, and Cronica tends to split one event into several incidents."""
    out: dict[str, dict[str, Any]] = {}
    for t in templates:
        m = out.setdefault(t["incident_type"], {"incident_type": t["incident_type"], **{r: [] for r in ROLES}})
        for r in ROLES:
            for e in t[r]:
                _add(m[r], e[0])
    return list(out.values())


def to_templates(result: ExtractionResult, text: str | None = None, merge: bool = True) -> list[dict[str, Any]]:
    """All MUC-4 templates of an extraction result; mentions are sliced from ``text``
    (default: the result's own document text), which must have the same length.  With
    ``merge`` (default), incidents of the same MUC-4 type become one template."""
    text = result.document.text if text is None else text
    if len(text) != len(result.document.text):
        raise ValueError("to_templates: text and extracted document differ in length")
    templates = [t for i in result.incidents if (t := incident_template(i, text)) is not None]
    return merge_by_type(templates) if merge else templates


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
