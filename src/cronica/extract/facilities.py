"""Physical targets of attacks: the ``facilities`` component.

Runs after ``incidents``.  In the evidence of a violent incident, a thing named right
after an attack word becomes one of the incident's targets (kind ``organization``, as
for MUC-4 physical targets), in English or Spanish:

* "ambushed a military convoy", "the attack on the police station", "bombed the
  headquarters of the 30th Brigade", "set fire to three buses";
* "atacaron la estación de policía", "el atentado contra la sede de TC Televisión",
  "incendiaron vehículos".

The thing's head noun must be in :data:`THINGS_EN` / :data:`THINGS_ES` (buildings,
bases, vehicles, infrastructure...), with at most three words before it and an "of" /
"de" phrase after it ("base of the army's 30th Brigade").  A thing already covered by a
target is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cronica.records import ActorRef, Document, Evidence, Incident

#: Incident types whose targets can be things.
TYPES: frozenset[str] = frozenset({"attack", "ambush", "bombing", "arson", "robbery", "armed_clash", "extortion",
                                   "massacre", "murder", "armed_strike", "prison_riot"})

THINGS_EN = (r"stations?|bases?|posts?|outposts?|checkpoints?|barracks|headquarters|offices?|buildings?|"
             r"convoys?|patrols?|vehicles?|trucks?|buses|bus|cars?|vans?|minivans?|helicopters?|aircraft|planes?|"
             r"jets?|pipelines?|towers?|pylons?|bridges?|substations?|plants?|mines?|tunnels?|studios?|"
             r"prisons?|jails?|embassy|embassies|consulates?|banks?|shops?|stores?|businesses|homes?|houses?|"
             r"schools?|churches|church|farms?|ranch(?:es)?|depots?|warehouses?|facilit(?:y|ies)|installations?|"
             r"camps?|mission|ships?|boats?|vessels?|poles?|power ?lines?|transformers?|residences?|palace|hotels?|"
             r"newspapers?|jeeps?|airplanes?|terminals?|drugstores?|pharmac(?:y|ies)|universit(?:y|ies)|"
             r"dams?|airports?|stadiums?|markets?|restaurants?|clinics?|hospitals?|ambulances?")
THINGS_ES = (r"estaci[oó]n(?:es)?|bases?|puestos?|cuarteles?|sedes?|oficinas?|edificios?|convoyes|convoy|"
             r"patrullas?|veh[ií]culos?|camionetas?|camiones|cami[oó]n|buses|bus|autob[uú]s(?:es)?|carros?|"
             r"helic[oó]pteros?|aviones|avi[oó]n|aeronaves?|oleoductos?|torres?|puentes?|subestaci[oó]n(?:es)?|"
             r"plantas?|minas?|t[uú]neles|t[uú]nel|estudios?|c[aá]rceles|c[aá]rcel|prisi[oó]n(?:es)?|"
             r"penales?|embajadas?|bancos?|sucursales(?: bancarias)?|sucursal|tiendas?|comercios?|negocios?|"
             r"casas?|viviendas?|escuelas?|iglesias?|fincas?|haciendas?|gasolineras?|instalaciones|"
             r"campamentos?|barcos?|embarcaciones|embarcaci[oó]n")

_MOD = r"(?:[\w’'-]+\s+){0,3}?"
# "of"/"de" phrases hold names (capitalised or numbered words) and a few common nouns;
# "carrying"/"belonging to" phrases take up to four words
_NAMEWORD = r"(?:(?-i:[A-Z0-9ÁÉÍÓÚÑ])[\w’'.-]*\w|police|army|army’s|army's|polic[ií]a|ej[eé]rcito|the|la|el|los|las|de|del|of)"
_OF_EN = (rf"(?:\s+of\s+{_NAMEWORD}(?:\s+{_NAMEWORD}){{0,5}}"
          r"|\s+(?:belonging to|carrying)\s+(?:[\w’'.-]+\s+){0,3}[\w’'.-]*\w)?")
_OF_ES = rf"(?:\s+(?:de|del)\s+{_NAMEWORD}(?:\s+{_NAMEWORD}){{0,5}})?"
_ATTACK_EN = (r"attack(?:ed|s)?(?:\s+on|\s+against)?|bomb(?:ed|ing|ings)?(?:\s+of|\s+at|\s+outside)?|ambush(?:ed)?|"
              r"struck|raided|stormed|set fire to|torched|burned|burnt|blew up|fired (?:on|at)|shot at|"
              r"dynamited|destroyed|damaged|sabotaged|blown up|machine-?gunned|"
              r"explo(?:sion|ded)\s+(?:at|outside|near|in front of|inside)|targeted|targeting|hijacked|looted|robbed")
_ATTACK_ES = (r"atac(?:aron|ó|ar)|ataques?\s+(?:a|al|contra)|atentados?\s+(?:a|al|contra)|emboscad[ao]s?(?:\s+a|\s+al|\s+contra)?|"
              r"embosc(?:aron|ó)|incendi(?:aron|ó|ar)|quem(?:aron|ó)|dispar(?:aron|ó)\s+contra|"
              r"explosi[oó]n\s+(?:en|frente a|cerca de)|volaron|asalt(?:aron|ó)|irrumpi(?:eron|ó)\s+en|"
              r"saque(?:aron|ó)|rob(?:aron|ó)|contra")
_DET_EN = r"(?:the\s+|a\s+|an\s+|two\s+|three\s+|four\s+|several\s+|its\s+|their\s+|his\s+|her\s+)?"
_DET_ES = r"(?:(?:a\s+)?(?:la|el|los|las|una|un|dos|tres|varias|varios|su|sus)\s+|al\s+|a\s+)?"

_RX = {
    "en": re.compile(rf"\b(?:{_ATTACK_EN})\s+{_DET_EN}(?P<t>{_MOD}(?:{THINGS_EN})\b{_OF_EN})", re.I),
    "es": re.compile(rf"\b(?:{_ATTACK_ES})\s+{_DET_ES}(?P<t>{_MOD}(?:{THINGS_ES})\b{_OF_ES})", re.I),
}
_ES_ADJ = re.compile(r"\s+(?-i:[a-záéíóúñ]+(?:ar|al|ares|ales|ic[oa]s?|iv[oa]s?|ad[oa]s?|an[oa]s?|er[oa]s?))\b")
_DANGLING = re.compile(r"(?:\s+(?:the|la|el|los|las|de|del|of))+$", re.I)
_STOP = re.compile(r"\s+(?:on|in|at|near|and|y|en|el|la|los|las|that|which|que|who)\b.*$", re.I)


def things(text: str, start: int, end: int, lang: str) -> list[Evidence]:
    """Attacked things written in ``text[start:end]`` (offsets into ``text``)."""
    out: list[Evidence] = []
    for m in _RX["es" if lang == "es" else "en"].finditer(text, start, end):
        a, b = m.span("t")
        phrase = text[a:b]
        # "of"/"de" phrases stop at a following preposition or clause ("... of the army on Friday")
        head = re.search(rf"\b(?:{THINGS_ES if lang == 'es' else THINGS_EN})\b", phrase, re.I)
        if head:
            tail = _STOP.sub("", phrase[head.end():])
            tail = _DANGLING.sub("", tail)
            if re.search(r"['’]s$", tail):
                tail = ""  # "the vehicle of Mexico City's [security chief]": the owner is cut off
            elif lang == "es" and not tail:
                adj = _ES_ADJ.match(text, a + head.end())
                tail = adj.group(0) if adj else ""  # "patrulla militar", "camioneta blindada"
            b = a + head.end() + len(tail)
        out.append(Evidence(a, b, text[a:b]))
    return out


def add_facilities(document: Document, incidents: Sequence[Incident]) -> None:
    """Add the attacked things to each violent incident's targets (in place)."""
    text = document.text
    lang = document.language or "en"
    for inc in incidents:
        if inc.type not in TYPES or inc.status in ("negated", "hypothetical"):
            continue
        spans = [(r.evidence.start, r.evidence.end) for r in inc.perpetrators + inc.targets if r.evidence]
        for ev in inc.evidence:
            for th in things(text, ev.start, ev.end, lang):
                if any(a < th.end and th.start < b for a, b in spans):
                    continue
                spans.append((th.start, th.end))
                inc.targets.append(ActorRef(name=th.text, kind="organization", evidence=th))
