"""Named people an incident harmed or detained: the ``victims`` component.

Runs after ``people`` and ``incidents``.  A person mention (from the ``people``
component) inside an incident's evidence becomes one of the incident's targets when the
words around it make the person the one acted on, in English or Spanish:

* **before the name** – a harm or detention verb or noun: "gunmen killed [former mayor]
  X", "the murder of X", "police arrested X", "asesinaron a X", "el secuestro de X",
  "la captura de X" (at most three title words in between);
* **after the name** – a passive: "X, a local journalist, was shot dead", "X and Y were
  kidnapped", "X fue asesinado", "X resultó herida".

The words must fit the incident: harm words (kill, wound, kidnap, attack...) for violent
incidents, detention words (arrest, capture, detain, extradite...) for
``arrest_capture``.  A person already listed as a perpetrator of the incident is left
out.  Each target keeps the registry-free person link (``actor_id``, ``canonical``,
``kind="person"``) and the offsets of the mention.

The ``roles`` component (English wire text, MUC-4) uses the parse instead:
:func:`named_victims` takes spaCy PERSON entities that the dependency tree makes the
object of a harm verb or noun, and :func:`with_named_victims` adds them to the role
tagger's spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc

from cronica.extract.roles_model import RoleSpan
from cronica.records import Actor, ActorRef, Document, Evidence, Incident

#: Incident types whose targets are harmed people / detained people.
HARM_TYPES: frozenset[str] = frozenset({
    "attack", "ambush", "bombing", "armed_clash", "murder", "massacre", "kidnapping", "extortion",
    "prison_riot", "arson", "robbery",
})
DETAIN_TYPES: frozenset[str] = frozenset({"arrest_capture"})

_HARM_EN = (r"kill(?:ed|ing)?|murder(?:ed|ing)?|assassinat(?:ed|ing)|shot(?: dead)?|shooting|gunned down|"
            r"stabbed|wounded|injured|kidnapp(?:ed|ing)|abduct(?:ed|ing)|attack(?:ed|ing)?|ambushed|"
            r"executed|tortured|disappeared")
_HARM_NOUN_EN = (r"murder|killing|assassination|kidnapping|abduction|death|shooting|attack|"
                 r"disappearance|execution")
_DETAIN_EN = r"arrest(?:ed|ing)?|captur(?:ed|ing)|detain(?:ed|ing)|extradit(?:ed|ing)|apprehended|seized"
_DETAIN_NOUN_EN = r"arrest|capture|detention|extradition"
_HARM_ES = (r"asesin\w*|mat(?:aron|ó|ar)|secuestr\w*|hiri\w*|herid\w*|atac\w*|ejecut\w*|tortur\w*|"
            r"desaparec\w*|homicidio|muerte|ataque|atentado")
_DETAIN_ES = r"captur\w*|detuv\w*|deten\w*|detenci[oó]n|arrest\w*|aprehen\w*|extradi\w*"
_TITLE_WORDS = r"(?:[\w.'’-]+\s+){0,3}"


def _before(words: str, nouns: str | None, lang: str) -> re.Pattern[str]:
    if lang == "es":
        return re.compile(rf"\b(?:{words})\s+(?:\w+\s+){{0,4}}?(?:a|al|de|del|contra)\s+(?:l[oa]s?\s+|el\s+|su\s+)?"
                          rf"{_TITLE_WORDS}$", re.I)
    return re.compile(rf"\b(?:(?:{words})\s+(?:the\s+)?|(?:{nouns})\s+(?:of|on|against)\s+(?:the\s+)?){_TITLE_WORDS}$",
                      re.I)


def _after(words: str, lang: str) -> re.Pattern[str]:
    aux = (r"fue|fueron|ha sido|han sido|había sido|habían sido|resultó|resultaron" if lang == "es"
           else r"was|were|has been|have been|had been|is|are")
    both = r"and|y|e"
    # nothing, an apposition (", a local journalist,") or a second name (" and Y") between
    return re.compile(rf"^(?:,[^.;:!?]{{0,70}}?,)?(?:,?\s+(?:{both})\s+[^.;:!?,]{{0,40}}?)?\s+(?:{aux})\s+(?:\w+\s+)?"
                      rf"(?:{words})\b", re.I)


_PATTERNS: dict[tuple[str, str], tuple[re.Pattern[str], re.Pattern[str]]] = {
    ("en", "harm"): (_before(_HARM_EN, _HARM_NOUN_EN, "en"), _after(_HARM_EN, "en")),
    ("en", "detain"): (_before(_DETAIN_EN, _DETAIN_NOUN_EN, "en"), _after(_DETAIN_EN, "en")),
    ("es", "harm"): (_before(_HARM_ES, None, "es"), _after(_HARM_ES, "es")),
    ("es", "detain"): (_before(_DETAIN_ES, None, "es"), _after(_DETAIN_ES, "es")),
}


def acted_on(text: str, start: int, end: int, kind: str, lang: str) -> bool:
    """Whether the words around ``text[start:end]`` (a person's name) make that person
    the one harmed (``kind="harm"``) or detained (``kind="detain"``)."""
    before, after = _PATTERNS[("es" if lang == "es" else "en", kind)]
    left = text[max(0, start - 80):start]
    left = left[max(left.rfind("."), left.rfind("\n")) + 1:]
    right = after.match(text[end:end + 160])
    return bool(before.search(left) or (right and not _SPEECH.search(right.group(0))))


def _family(incident_type: str) -> str | None:
    if incident_type in HARM_TYPES:
        return "harm"
    if incident_type in DETAIN_TYPES:
        return "detain"
    return None


_LIST_GAP = re.compile(r"^[^.;:!?]{0,60}$")
_LIST_JOIN = re.compile(r",|\s(?:and|y|e)\s")
_SPEECH = re.compile(r"\b(?:said|says|told|stated|dijo|afirm\w+|declar\w+|seg[uú]n)\b", re.I)
_LIST_BREAK = re.compile(r"\b(?:said|says|told|stated|who|which|that|but|after|before|when|while|dijo|afirm\w+|"
                         r"declar\w+|que|quien|cuyo|pero|luego|cuando|mientras|alias|aka|"
                         r"(?:son|daughter|father|mother|wife|husband|brother|sister|widow|lawyer) of|"
                         r"(?:hij[oa]|padre|madre|esposa?|herman[oa]|viuda|abogad[oa]) de)\b", re.I)


def mentions(people: Sequence[Actor], text: str) -> list[tuple[Evidence, Actor]]:
    """Each written form of each person inside that person's evidence sentences, as
    (mention offsets, person), in text order; longer forms win where forms overlap."""
    cands: set[tuple[int, int, int]] = set()
    persons = [p for p in people if p.kind == "person"]
    for k, p in enumerate(persons):
        forms = {f for f in (p.name, p.canonical, *p.aliases) if f and len(f) > 2}
        for ev in p.evidence:
            for form in forms:
                for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text[ev.start:ev.end]):
                    cands.add((ev.start + m.start(), ev.start + m.end(), k))
    out: list[tuple[Evidence, Actor]] = []
    taken: list[tuple[int, int]] = []
    for a, b, k in sorted(cands, key=lambda c: (c[0] - c[1], c[0], c[2])):
        if not any(x < b and a < y for x, y in taken):
            taken.append((a, b))
            out.append((Evidence(a, b, text[a:b]), persons[k]))
    return sorted(out, key=lambda x: x[0].start)


def add_victims(document: Document, incidents: Sequence[Incident], people: Sequence[Actor]) -> None:
    """Add the people each incident acted on to its targets (in place).  A person listed
    right after one who was acted on ("detained X, his brother Y and Z") is acted on too."""
    text = document.text
    lang = document.language or "en"
    found = mentions(people, text)
    for inc in incidents:
        fam = _family(inc.type)
        if fam is None or inc.status in ("negated", "hypothetical"):
            continue
        known = {r.actor_id for r in inc.perpetrators + inc.targets if r.actor_id}
        spans = [(r.evidence.start, r.evidence.end) for r in inc.perpetrators + inc.targets if r.evidence]
        last_end = -1
        for ev, person in found:
            if not any(e.start <= ev.start and ev.end <= e.end for e in inc.evidence):
                continue
            gap = text[last_end:ev.start] if last_end >= 0 else ""
            listed = bool(gap) and bool(_LIST_GAP.match(gap) and _LIST_JOIN.search(gap)) and not _LIST_BREAK.search(gap)
            if person.id in known or any(a < ev.end and ev.start < b for a, b in spans):
                continue
            if listed or acted_on(text, ev.start, ev.end, fam, lang):
                last_end = ev.end
                inc.targets.append(ActorRef(name=ev.text, canonical=person.canonical, actor_id=person.id,
                                            kind="person", evidence=Evidence(ev.start, ev.end, ev.text)))
                known.add(person.id)


# ------------------------------------------------- from the parse (the roles component)
_HARM_VERB = re.compile(r"(?:kill|murder|assassinat|slay|slain|shot|shoot|wound|injur|kidnap|abduct|execut|"
                        r"massacr|gun|stab|tortur|behead|strangl)", re.I)
_HARM_NOUN = re.compile(r"(?:murder|assassination|killing|kidnapping|abduction|death|slaying|execution|massacre|"
                        r"attack|wounding|disappearance)s?$", re.I)


def named_victims(sdoc: Doc) -> list[RoleSpan]:
    """``Victim`` spans for PERSON names the syntax makes the one harmed: object of a
    harm verb ("gunmen killed X", "X was kidnapped"), object of a harm noun ("the murder
    of X", "the attack against X") or its possessor ("X's assassination"); through
    appositions, conjunctions and compounds ("attorney general X and his driver Y were
    killed").  The tagger misses many such names far from a perpetrator."""
    out: list[RoleSpan] = []
    for ent in sdoc.ents:
        if ent.label_ != "PERSON":
            continue
        cur = ent.root
        for _ in range(4):
            head, dep = cur.head, cur.dep_
            if head is cur:
                break
            if dep in ("appos", "conj", "compound"):
                cur = head
                continue
            if (head.pos_ in ("VERB", "AUX") and _HARM_VERB.match(head.lower_) and dep in ("dobj", "nsubjpass")) \
                    or (dep == "pobj" and head.lower_ in ("of", "against") and _HARM_NOUN.match(head.head.lower_)) \
                    or (dep == "poss" and _HARM_NOUN.match(head.lower_)):
                out.append(RoleSpan("Victim", ent.start_char, ent.end_char, ent.text, ent.sent.start_char))
            break
    return out


def with_named_victims(spans: Sequence[RoleSpan], sdoc: Doc) -> list[RoleSpan]:
    """The tagger's spans plus :func:`named_victims` that overlap none of them."""
    out = list(spans)
    for v in named_victims(sdoc):
        if not any(o.start < v.end and v.start < o.end for o in out):
            out.append(v)
    return sorted(out, key=lambda s: (s.start, s.end))
