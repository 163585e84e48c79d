"""Group and state-force actors mentioned in a document.

Known actors come from the registry-tagged ``GROUP`` / ``FORCE`` entities (canonical name,
kind and id from the registry; every surface form seen becomes an alias). Unknown armed or
criminal groups are still extracted: ``ORG`` entities (or capitalised phrases in Spanish)
whose head word says what they are ("... Cartel", "Frente ...", "Los ... gang").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from cronica.records import Actor, Document, Evidence

_GROUPISH = re.compile(
    r"\b(cartel|cártel|gang|pandilla|clan|front|frente|militia|milicia|guerrilla|army|ejército|"
    r"commando|comando|brigade|column|columna|movement|movimiento|organization|organización|"
    r"mafia|family|familia|tren|banda|self-defense|autodefensas)\b", re.I)
_STATE = re.compile(r"\b(ministry|ministerio|police|policía|armed forces|fuerzas armadas|army of|navy|armada|"
                    r"attorney|fiscal[ií]a|government|gobierno|congress|congreso|court|corte|tribunal)\b", re.I)
_SPANISH_GROUP = re.compile(
    r"\b(?:(?:el|la|los)\s+)?((?:Cártel|Cartel|Clan|Frente|Banda|Columna(?: Móvil)?|Los|Las)\s+"
    r"(?:de(?:l| la| los)?\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+(?:\s+[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+){0,3})")


def extract_groups(sdoc: Doc, document: Document) -> list[Actor]:
    from cronica.resolve.actors import ActorRegistry, actor_id_for

    registry = ActorRegistry.default()
    actors: dict[str, Actor] = {}

    def add(actor_id: str, name: str, canonical: str, kind: str, start: int, end: int,
            known: bool, country: str | None = None, parent: str | None = None) -> None:
        a = actors.get(actor_id)
        ev = Evidence(start, end, document.text[start:end])
        if a is None:
            actors[actor_id] = Actor(id=actor_id, name=name, canonical=canonical, kind=kind,
                                     aliases=[name], country=country, parent=parent, known=known,
                                     evidence=[ev])
            return
        if name not in a.aliases:
            a.aliases.append(name)
        if len(a.evidence) < 20:
            a.evidence.append(ev)

    for ent in sdoc.ents:
        if ent.label_ in ("GROUP", "FORCE"):
            entry = registry.get(ent.ent_id_) if ent.ent_id_ else registry.lookup(ent.text)
            if entry is None:
                continue
            parent = registry.get(entry.parent).canonical if entry.parent and registry.get(entry.parent) else None
            add(entry.id, ent.text, entry.canonical, entry.kind, ent.start_char, ent.end_char, True,
                entry.country, parent)
        elif ent.label_ == "ORG" and _GROUPISH.search(ent.text) and not _STATE.search(ent.text):
            name = re.sub(r"^(the|el|la|los|las)\s+", "", ent.text, flags=re.I).strip()
            if len(name) < 4:
                continue
            entry = registry.lookup(name)
            if entry is not None:
                add(entry.id, ent.text, entry.canonical, entry.kind, ent.start_char, ent.end_char, True,
                    entry.country)
            else:
                kind = "criminal_group" if re.search(r"cartel|cártel|gang|banda|mafia|clan|tren", name, re.I) else "armed_group"
                add(actor_id_for(name), ent.text, name, kind, ent.start_char, ent.end_char, False)
    if (document.language or "en") == "es":
        for m in _SPANISH_GROUP.finditer(document.text):
            name = m.group(1)
            if any(a.evidence and any(e.start <= m.start(1) < e.end for e in a.evidence) for a in actors.values()):
                continue
            entry = registry.lookup(name)
            if entry is not None:
                add(entry.id, name, entry.canonical, entry.kind, m.start(1), m.end(1), True, entry.country)
            elif not name.startswith(("Los ", "Las ")) or len(name.split()) >= 2:
                if name.split()[0] in ("Los", "Las") and not re.search(r"[A-Z]", name.split()[-1][:1]):
                    continue
                if name.split()[0] in ("Los", "Las"):
                    continue  # too ambiguous without a group word
                kind = "criminal_group" if re.search(r"cártel|cartel|banda|clan", name, re.I) else "armed_group"
                add(actor_id_for(name), name, name, kind, m.start(1), m.end(1), False)
    return list(actors.values())
