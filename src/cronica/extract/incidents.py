"""Incident extraction: sentence-level event mentions, then merged into incidents.

1. **Mentions.** Each sentence is scanned for event triggers (EN/ES lexicon below, one
   regex per incident type). A sentence yields at most one mention per *family* (violence,
   kidnapping, arrest, seizure, ...), typed by the most specific trigger, with the slots
   found in that sentence: date (``dates.find_dates``), places (gazetteer-tagged
   entities), perpetrators and targets (registry-tagged GROUP / FORCE entities, generic
   force words, their position relative to the trigger), counts (``counts.find_counts``),
   weapons (lexicon), and a status (current / background / aggregate / hypothetical /
   negated) from cues and from the date against the publication date.
2. **Incidents.** Mentions are merged left to right into the last compatible incident of
   the same family (same or unknown date, same or unknown place, compatible status);
   a mention with its own explicit, different date starts a new incident. Slots are
   unioned; the first stated count wins unless a later one is an updated toll.

Everything is per sentence on the spaCy ``Doc`` and its entities (see ``nlp.py`` for the
label contract), so offsets are article offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date

from spacy.tokens import Doc, Span

from cronica.extract.counts import CountMatch, find_counts
from cronica.extract.dates import DateMatch, find_dates, parse_pub
from cronica.extract.spans import span_ents
from cronica.records import ActorRef, Count, Document, Evidence, Incident, Location, stable_id

# --------------------------------------------------------------------------- lexicon
# (type, family, pattern). Order inside a family = priority (most specific first).
_TRIGGERS: list[tuple[str, str, str]] = [
    ("massacre", "violence", r"massacr\w*|masacr\w*|slaughter\w*"),
    ("ambush", "violence", r"ambush\w*|emboscad\w*|emboscaron|emboscó"),
    ("bombing", "violence", r"car[- ]bombs?|truck bombs?|roadside bombs?|bombing\w*|bombed|bomb attack|"
     r"explosive device|(?:bomb|blast|explosion)s?\b|detonat\w*|ied\b|coche bomba|carro bomba|"
     r"artefacto explosivo|atentado con explosivos|explot\w+|estall\w+|"
     r"(?:explosives?|grenades?|granadas?|explosivos?|dinamita)(?=[^.]{0,60}\b(?:went off|exploded|detonated|hurled|threw|thrown|lanzaron|arrojaron))|"
     r"(?:hurled|threw|lanzaron|arrojaron|set off)\s+(?:\w+\s+){0,2}(?:explosives?|grenades?|granadas?|explosivos?)"),
    ("armed_clash", "violence", r"clash\w*|firefights?|gun ?battles?|gunfights?|shoot-?outs?|exchange of fire|"
     r"fighting|in combat\b|combat with|enfrentamientos?|combates?|balacera|tiroteos?|se enfrentaron|intercambio de disparos|enfrentaron"),
    ("murder", "violence", r"murder\w*|assassinat\w*|shot dead|gunned down|"
     r"asesina\w*|asesinó|sicari\w*|ultimad\w*|acribillad\w*"),
    ("attack", "violence", r"attack(?:s|ed|ing)?\b|assault(?:s|ed|ing)?\b|stormed|raided|opened fire|fired on|shot at|burst into|"
     r"ataque\w*|atac\w+|atentado\w*|agresión|arremet\w+|irrumpi\w+|dispar\w+ contra|abrieron fuego"),
    ("kidnapping", "kidnapping", r"(?<!cocaine )(?<!drugs )(?:were|was) (?:\w+ )?seized\b(?! [^.]{0,30}\b(?:cocaine|drugs?|tons?|kilos?))|kidnap\w*|abduct\w*|hostages?|held captive|taken captive|forced disappearance|"
     r"disappeared|secuestr\w*|plagi\w*|rapt\w+|desaparici[oó]n forzada|rehenes?|retenid\w+"),
    ("armed_strike", "strike", r"armed strike|armed stoppage|paro armado"),
    ("prison_riot", "prison", r"prison riot|riot\w*|mutin\w*|motín|motines|reyerta|prison massacre|masacre carcelaria"),
    ("lab_raid", "lab", r"(?:cocaine |drug )?(?:laborator(?:y|ies)|labs?)\b(?=[^.]{0,80}\b(?:destroy|dismantl|raid|seiz|found))|"
     r"(?:destroy|dismantl)\w*[^.]{0,40}\blab\w*|laboratorios?(?= [^.]{0,60}(?:destru|desmantel|incaut))|desmantel\w+ [^.]{0,30}laboratori\w+"),
    ("drug_seizure", "seizure", r"seiz(?:ed|ure|ures|ing)\b(?=[^.]{0,80}\b(?:cocaine|drugs?|marijuana|heroin|fentanyl|"
     r"methamphetamine|meth|tons?|tonnes|kilos?|kg|shipment|cannabis|coca paste|base))|drug haul|haul of|"
     r"incaut\w+|decomis\w+|aseguraron [^.]{0,30}(?:cocaína|droga|marihuana)"),
    ("eradication", "eradication", r"(?:eradicat\w*|erradica\w*|uproot\w*)(?=[^.]{0,60}\b(?:coca|crops?|plants?|hectares?|cultivos?|plantas|hectáreas|poppy|amapola))|"
     r"(?:coca|crops?|plantations?|cultivos?)[^.]{0,40}\b(?:eradicat\w*|erradica\w*)"),
    ("extortion", "extortion", r"extort(?:ed|ing|s)?\b|extorsionar\w*|extorsionaron|extorsiona\b|extorsionan|"
     r"demand(?:s|ed|ing)? (?:\w+ )?payments|charg(?:e|es|ed|ing) (?:\w+ )?(?:fees|quotas)|protection payments?|"
     r"cobr\w+ (?:de )?(?:cupos|vacunas|cuotas|piso)|cobro de (?:cupos|piso)|exig\w+ (?:pagos|cuotas)"),
    ("arson", "arson", r"set fire|set on fire|torched|burn(?:ed|t) down|arson|set ablaze|incendi\w+|quemaron|prendieron fuego"),
    ("robbery", "robbery", r"robber\w*|robbed|looted|looting|car thefts?|thefts?|stole|hijack\w*|\brobo\w*|asalt\w*|saque\w*|hurto\w*"),
    ("arrest_capture", "arrest", r"arrest\w*|captur\w*|detain\w*|apprehend\w*|taken into custody|surrender\w*|"
     r"handed (?:himself|herself|themselves) over|recaptur\w*|detenid\w*|detuv\w+|aprehendi\w+|arrest\w*|entreg[oó]"),
    ("other", "other", r"went on strike|stayed off the roads|staged an? (?:strike|protest|march)|(?:transport|general|national) strike|"
     r"huelga|paro (?:de transportistas|nacional|de transporte)|extradit\w*|escape[ds]?|escaping|fled from (?:the )?prison|jailbreak|freed|released|rescued|"
     r"convicted|sentenced|found [^.]{0,250}? guilty|guilty of|t(?:ook|aken|ake|aking) (?:full |back )?control of|retook|regained control|"
     r"extradi\w+|fug[aó]\w*|se fugó|evadi\w+|liber\w+|rescat\w+|condenad\w+|sentenci\w+|declarad\w+ culpable|"
     r"tomaron el control|retomaron"),
    # a bare "killed" is a murder only when no attack/clash/bombing word names the event
    ("murder", "violence", r"killed|kill(?:s|ing)?\b|died|slain|murieron|falleci(?:ó|eron)|burned to death|mataron|mató|matan|death toll|cifra de (?:muertos|fallecidos)"),
]
_TRIGGER_RX = [(t, fam, re.compile(rf"\b(?:{p})", re.I)) for t, fam, p in _TRIGGERS]
_TYPE_RANK = {t: i for i, (t, _, _) in enumerate(_TRIGGERS)}
# words that make a "killed"/"attack" trigger about something else
_NOT_EVENT = re.compile(
    r"\b(kill switch|killer|attack(?:ed)? (?:the|his|her) (?:policy|plan|decision|government|critics)|"
    r"heart attack|ataque cardiaco|ataque de pánico|shopping|"
    r"press conference|rueda de prensa)\b", re.I)

# national or annual statistics are figures (claims), not incidents
_STATISTICS = re.compile(
    r"\b(recorded|registered|homicide rate|murder rate|per 100,000|statistics|homicides|"
    r"registró|registraron|tasa de homicidios|por cada 100\.?000|estadísticas|homicidios)\b", re.I)
_HYPOTHETICAL = re.compile(
    r"\b(could|might|may|would|threat\w*|warn\w*|plan(?:ned|s|ning)? to|intend\w*|feared|fears?|risk of|"
    r"podría\w*|amenaz\w+|advirti\w+|planea\w*|temen|temor|riesgo de|if\b|si\s+(?:no|el|la|los))\b", re.I)
_NEGATED = re.compile(
    r"\b(no hostages|found no|no one was (?:kidnapped|hurt|arrested)|did not (?:take place|happen|occur)|"
    r"denied (?:that|any|reports)|false alarm|was not (?:kidnapped|attacked)|no (?:había|hubo|se encontraron) rehenes|"
    r"descart\w+ que|negó que|no hallaron)\b", re.I)
_AGGREGATE = re.compile(
    r"\b(string of|series of|wave of|spate of|campaign of|dozens of|hundreds of|a number of|several|"
    r"multiple|so far this year|this year|over the past|in the past|since (?:19|20)\d\d|since (?:january|february|"
    r"march|april|may|june|july|august|september|october|november|december)|have been|has been|"
    r"ola de|serie de|decenas de|cientos de|varios|varias|en lo que va del? año|desde (?:19|20)\d\d|desde el|"
    r"en los últimos|across the country|in several|en varias|en distintas|in different parts)\b", re.I)
_PLURAL_TRIGGER = re.compile(
    r"^(attacks|killings|murders|kidnappings|abductions|clashes|bombings|ambushes|massacres|arrests|"
    r"seizures|ataques|asesinatos|secuestros|masacres|atentados|homicidios|extorsiones|robos|thefts|"
    r"homicides|detenciones|capturas|enfrentamientos)$", re.I)
_BACKGROUND_CUE = re.compile(
    r"\b(earlier|previous|prior|former|once|had been|in the past|history|since then|"
    r"anterior\w*|previamente|en el pasado)\b", re.I)

_WEAPONS: list[tuple[str, str]] = [
    (r"car[- ]bombs?|coche bomba|carro bomba", "car bomb"),
    (r"truck (?:packed|loaded) with explosives|truck bombs?", "truck bomb"),
    (r"explosive devices?|artefactos? explosivos?|ieds?\b|improvised explosive", "explosive device"),
    (r"explosives|explosivos|dynamite|dinamita", "explosives"),
    (r"grenades?|granadas?", "grenades"),
    (r"drones?", "drones"),
    (r"high-powered rifles|rifles?|fusiles|fusil", "rifles"),
    (r"assault rifles?|ak-47s?|ar-15s?", "assault rifles"),
    (r"machine ?guns?|ametralladoras?", "machine guns"),
    (r"pistols?|handguns?|pistolas?|revólver\w*|revolvers?", "handguns"),
    (r"machetes?", "machetes"),
    (r"knives|knife|cuchillos?", "knives"),
    (r"gasoline|petrol|molotov|gasolina", "incendiary"),
    (r"shot dead|shot\b|opened fire|gunfire|gunmen|fired on|shooting|raked with gunfire|"
     r"a balazos|disparos|dispararon|balearon|baleado\w*|abrieron fuego|armas de fuego|firearms", "firearms"),
]
_WEAPON_RX = [(re.compile(rf"\b(?:{p})", re.I), w) for p, w in _WEAPONS]
_WEAPON_ES = {"car bomb": "coche bomba", "truck bomb": "camión bomba", "explosive device": "artefacto explosivo",
              "explosives": "explosivos", "grenades": "granadas", "drones": "drones", "rifles": "fusiles",
              "assault rifles": "fusiles de asalto", "machine guns": "ametralladoras", "handguns": "pistolas",
              "machetes": "machetes", "knives": "cuchillos", "incendiary": "gasolina", "firearms": "armas de fuego"}

# generic state-force words -> (branch keyword looked up in the registry for the country)
_FORCE_WORDS = re.compile(
    r"\b(?:(?P<police>police(?:men|man| officers?)?|anti-drug police|anti-narcotics police|officers|"
    r"policías?|policiales|agentes)|(?P<army>troops|soldiers|army|military|marines|militares|soldados|"
    r"ejército|tropas|security forces|armed forces|fuerzas armadas|fuerzas de seguridad|uniformados))\b(?!\s+(?:major|captain|colonel|general|sergeant|lieutenant|officer|reservists?|veteran|mayor|capitán|coronel|general|sargento|teniente|reservistas?)\b)", re.I)
_DIED = re.compile(r"(?:died|perished|murieron|murió|fallecieron|falleció|perdieron la vida|perdió la vida)\b", re.I)
_INSURGENT_WORDS = re.compile(
    r"\b(rebels?|guerrillas?|insurgents?|militants?|dissidents?|fighters|gunmen|hitmen|cartel gunmen|armed groups?|armed men|"
    r"grupos? armados?|"
    r"gang members|guerrilleros?|insurgentes|disidentes|sicarios|pistoleros|hombres armados|rebeldes|"
    r"narcoterroristas?|terroristas?|senderistas)\b", re.I)
_QUOTED = re.compile(r"“[^”]{0,1500}”|\"[^\"\n]{0,1500}\"|«[^»]{0,1500}»")
_CIVILIANS = re.compile(
    r"\b(civilians|protesters|demonstrators|farmers|farmworkers|villagers|inmates|prisoners|"
    r"peasants|civiles|manifestantes|campesinos|presos|reos|internos|pobladores|comuneros|jornaleros)\b", re.I)
_PRISON = re.compile(r"\b(prisons?|jails?|penitentiar\w+|cárcel\w*|prisi[oó]n|penal\b|penitenciar\w+|centro de privación|reclusorio|inmates|presos|reos|internos)\b", re.I)
_RELATIVE = re.compile(r"\b(where|donde)\b", re.I)  # "in which" refers back to the same event
_SEPARATE = re.compile(
    r"^\W*(hours later|later|separately|in a separate|elsewhere|earlier|meanwhile|in another|"
    r"horas después|más tarde|por otra parte|en otro hecho|en un hecho separado|por separado)\b", re.I)
_FAMILY_COUNT = {"violence": {"killed", "wounded"}, "kidnapping": {"kidnapped"}, "arrest": {"arrested"}}
_STATE_TYPES = {"arrest_capture", "drug_seizure", "eradication", "lab_raid"}
_PLACE_WORDS = re.compile(
    r"\b(?:district|municipality|town|village|city|province|department|region|state|hamlet|port|"
    r"distrito|municipio|pueblo|localidad|ciudad|provincia|departamento|región|estado|comunidad|"
    r"vereda|corregimiento|parroquia|cantón|caserío)\s+(?:of|de)\s+"
    r"(?P<name>[A-ZÁÉÍÓÚÑ][\w’'-]+(?:\s+(?:de|del|la|las|los|y)?\s*[A-ZÁÉÍÓÚÑ][\w’'-]+){0,4})")
_DATELINE = re.compile(
    r"^\s*(?:[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ .'’-]{2,40}(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?(?:,\s*\d{4})?|,\s*\d{1,2}\s+de\s+\w+(?:\s+de\s+\d{4})?){0,3}"
    r"\s*(?:\([^)]{1,40}\))?\s*[–—-]+\s*|,?\s*(?:[A-ZÁÉÍÓÚÑ][\w.]+,?\s*){1,3}[–—]\s+|[–—]\s+)")
_PLACE_WORDS_AFTER = re.compile(
    r"\b(?:the|in|el|la)\s+(?P<name>[A-ZÁÉÍÓÚÑ][\w’'-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w’'-]+){0,3})\s+"
    r"(?:district|municipality|township|village|hamlet|neighbou?rhood|favela|canton|parish)\b")
_PRECISION_RANK = {"point": 0, "locality": 1, "region": 2, "admin1": 3, "country": 4, None: 5}


@dataclass
class Mention:
    type: str
    family: str
    sent: Span
    trigger: tuple[int, int]
    status: str
    date: DateMatch | None
    explicit_date: bool
    location: Location | None
    perpetrators: list[ActorRef]
    targets: list[ActorRef]
    counts: list[CountMatch]
    weapons: list[str]
    anaphoric: bool
    body_start: int = 0  # first character after a dateline
    count_only: bool = False  # a toll sentence without an event word: joins the last incident or nothing


@dataclass
class _Building:
    mentions: list[Mention] = field(default_factory=list)

    @property
    def first(self) -> Mention:
        return self.mentions[0]


_DATELINE_PLACE = re.compile(r"(?m)^(?P<place>[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’-]+(?: [A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’-]+){0,2})"
                             r"(?=,|\s*[—–(]|\.[—–])")
#: Weight of each mention of a place name (twice in the first 600 characters) when voting
#: for the article's country, next to country names (3) and demonyms (1): "Matamoros,
#: Tamaulipas" named throughout outweighs the victims being "estadounidenses".
WEAK_WEIGHT = 1.0
#: Weight of a demonym ("peruano", "estadounidenses"): it often says who, not where.
DEMONYM_WEIGHT = 0.5


class IncidentExtractor:
    """Turns one parsed document into incidents. Holds the registry and gazetteer."""

    def __init__(self) -> None:
        from cronica.resolve.actors import ActorRegistry
        from cronica.resolve.places import Gazetteer

        self.registry = ActorRegistry.default()
        self.gazetteer = Gazetteer.default()
        self._forces: dict[tuple[str, str], ActorRef] = {}
        self._dominant: ActorRef | None = None
        self._single_group = False
        self._story_country: str | None = None

    # ------------------------------------------------------------------ helpers
    def main_country(self, sdoc: Doc) -> str | None:
        """The article's country, by votes: a country name (3), the dateline's place (3), a
        demonym ("peruano", "Colombian": :data:`DEMONYM_WEIGHT`, it often says who rather
        than where), and every mention of a place name (:data:`WEAK_WEIGHT`); votes in the
        first 600 characters count double, and a place found in several candidate countries
        ("Concepción": Chile, Paraguay, Argentina) splits its vote among them."""
        strong: dict[str, float] = {}
        toks = [t for t in sdoc if t.is_alpha and len(t) > 3 and not t.is_stop]
        for i, t in enumerate(toks):
            code = self.gazetteer.country_code(t.text)
            if code is None and i + 1 < len(toks) and toks[i + 1].i == t.i + 1:
                code = self.gazetteer.country_code(f"{t.text} {toks[i + 1].text}")
            if code:
                # a country's name says where; an adjective ("estadounidenses") often says who
                loc = self.gazetteer.resolve(t.text)
                weight = 3 if loc is not None and loc.precision == "country" else DEMONYM_WEIGHT
                strong[code] = strong.get(code, 0) + weight * (2 if t.idx < 600 else 1)
        mentions: dict[str, float] = {}  # place name -> its weight (every mention, the lead counts double)
        for e in sdoc.ents:
            if e.label_ in ("GPE", "LOC"):
                mentions[e.text] = mentions.get(e.text, 0) + (2 if e.start_char < 600 else 1)
        names = set(mentions)
        # a dateline ("ASUNCIÓN, 28 de agosto —", "MATAMOROS, Tamaulipas.–") says where the story is
        dl = _DATELINE_PLACE.search(_text(sdoc)[:800])
        if dl:
            loc = self.gazetteer.resolve(dl.group("place").title())
            if loc is not None and loc.country:
                strong[loc.country] = strong.get(loc.country, 0) + 3
        candidates = set(strong)
        for n in names:
            loc = self.gazetteer.resolve(n)
            if loc and loc.country:
                candidates.add(loc.country)
        if not candidates:
            return None

        # a name found in several candidate countries ("Concepción": CL, PY, AR) splits its vote
        homes: dict[str, list[str]] = {n: [] for n in names}
        for n in names:
            for c in sorted(candidates):
                loc = self.gazetteer.resolve(n, c)
                if loc is not None and loc.country == c:
                    homes[n].append(c)

        def score(c: str) -> float:
            weak = sum(mentions[n] / len(hs) for n, hs in homes.items() if c in hs)
            return strong.get(c, 0) + WEAK_WEIGHT * weak

        return max(sorted(candidates), key=score)

    def _dominant_group(self, sdoc: Doc) -> ActorRef | None:
        """The non-state group the article is about (most mentioned), for "the rebels"."""
        votes: dict[str, tuple[int, ActorRef]] = {}
        for ent in sdoc.ents:
            if ent.label_ == "GROUP":
                ref = self._ref(ent)
                if ref.kind in ("armed_group", "criminal_group") and ref.actor_id:
                    n, _ = votes.get(ref.actor_id, (0, ref))
                    votes[ref.actor_id] = (n + 1, ref)
        self._single_group = len(votes) == 1
        if not votes:
            return None
        return max(votes.values(), key=lambda v: v[0])[1]

    def _force(self, country: str | None, branch: str, written: str, ev: Evidence) -> ActorRef:
        key = (country or "", branch)
        if key not in self._forces:
            best = None
            for e in self.registry:
                if e.kind != "state_force" or (country and e.country != country):
                    continue
                canon = e.canonical.lower()
                if branch == "police" and "police" in canon and "national" in canon:
                    best = e
                    break
                if branch == "police" and "police" in canon and best is None:
                    best = e
                if branch == "army" and "armed forces" in canon:
                    best = e
                    break
                if branch == "army" and "army" in canon and best is None:
                    best = e
            self._forces[key] = (
                ActorRef(name=written, canonical=best.canonical, actor_id=best.id, kind=best.kind)
                if best else ActorRef(name=written, canonical=None, actor_id=None, kind="state_force")
            )
        ref = self._forces[key]
        return ActorRef(name=written, canonical=ref.canonical, actor_id=ref.actor_id, kind=ref.kind, evidence=ev)

    def _ref(self, ent: Span) -> ActorRef:
        entry = self.registry.get(ent.ent_id_) if ent.ent_id_ else self.registry.lookup(ent.text)
        ev = Evidence(ent.start_char, ent.end_char, ent.text)
        if entry and entry.kind in ("armed_group", "criminal_group"):
            pre = _text(ent.doc)[max(0, ent.start_char - 45):ent.start_char].lower()
            if re.search(r"\b(dissident\w*|disidencias?|disidentes?|ex-)\b[^.;]*$", pre):
                entry = self.registry.lookup(f"{entry.canonical} dissidents") or self.registry.lookup(
                    f"disidencias de las {entry.canonical}") or entry
        if entry:
            return ActorRef(name=ent.text, canonical=entry.canonical, actor_id=entry.id, kind=entry.kind, evidence=ev)
        return ActorRef(name=ent.text, canonical=ent.text, actor_id=None, kind=None, evidence=ev)

    def _place(self, sent: Span, country: str | None, body_start: int = 0) -> Location | None:
        best: Location | None = None
        for ent in span_ents(sent):  # "... in the United States on July 25": that country decides names here
            if ent.label_ == "GPE" and ent.start_char >= body_start and re.search(
                    r"\b(in|en)\s+$", _text(sent.doc)[max(0, ent.start_char - 4):ent.start_char]):
                loc = self.gazetteer.resolve(ent.text)
                if loc is not None and loc.precision == "country" and loc.country:
                    country = loc.country
                    break
        for ent in span_ents(sent):
            if ent.label_ not in ("GPE", "LOC", "FAC") or ent.start_char < body_start:
                continue
            loc = self.gazetteer.resolve(ent.text, country)
            if loc is None:
                continue
            if country and loc.country != country and loc.precision == "country" and not re.search(
                    r"\b(in|en)\s+(the\s+)?$", _text(sent.doc)[max(0, ent.start_char - 9):ent.start_char]):
                continue  # "extradited to the United States": not where the event happened
            if country and loc.country != country and loc.precision not in ("country", "admin1", "region"):
                named = {self.gazetteer.country_code(e.text) for e in span_ents(sent) if e.label_ in ("GPE", "NORP")}
                if loc.country not in named:
                    continue  # a foreign town needs its country named in the same sentence
            loc.name = ent.text  # as written; the gazetteer id keeps the resolution
            loc.evidence = Evidence(ent.start_char, ent.end_char, ent.text)
            if best is None or _PRECISION_RANK.get(loc.precision, 5) < _PRECISION_RANK.get(best.precision, 5):
                best = loc
        m = _PLACE_WORDS.search(sent.text, body_start - sent.start_char if body_start > sent.start_char else 0) \
            or _PLACE_WORDS_AFTER.search(sent.text, body_start - sent.start_char if body_start > sent.start_char else 0)
        if m and (best is None or best.precision in ("admin1", "country", "region", None)):
            name = m.group("name")
            loc = self.gazetteer.resolve(name, country)
            s = sent.start_char + m.start("name")
            if loc is None or loc.precision == "country" or (country and loc.country != country):
                loc = Location(name=name, admin1=best.admin1 if best and best.precision == "admin1" else None,
                               country=(best.country if best else None) or country, precision="locality")
            loc.evidence = Evidence(s, s + len(name), name)
            best = loc
        return best

    # ------------------------------------------------------------------ mentions
    def mentions(self, sdoc: Doc, document: Document, country: str | None) -> list[Mention]:
        pub = parse_pub(document.published)
        out: list[Mention] = []
        quoted = [(q.start(), q.end()) for q in _QUOTED.finditer(_text(sdoc))]
        for sent in sdoc.sents:
            text = sent.text
            if len(text) < 25 or not _paragraph_is_prose(_text(sdoc), sent.start_char, sent.start_char + len(text.rstrip())):
                continue  # headlines, bylines, captions without a full stop
            if _NOT_EVENT.search(text) and not re.search(r"\b(killed|dead|wounded)\b", text):
                continue
            big_total = re.search(r"\b\d{1,3}(?:[,.]\d{3})+\b|\b\d{3,}\s+(?:people|persons|personas|defenders|activists|leaders|líderes)\b", text) \
                and re.search(r"\b(in|since|between|during|en|desde|entre|durante) (?:19|20)\d\d\b", text)
            killed_counts = [c.value for c in find_counts(text, 0) if c.kind == "killed"]
            if big_total or (any(v >= 100 for v in killed_counts)
                             and re.search(r"\b(between|from|since|entre|desde)\s+(19|20)\d\d\b", text)) \
                    or any(v >= 1000 for v in killed_counts):
                continue  # "police killed 1,356 people in 2021", "unos 6.000 murieron durante el conflicto": statistics
            if _STATISTICS.search(text) and not re.search(r"\b(on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|el (?:lunes|martes|miércoles|jueves|viernes|sábado|domingo))\b", text, re.I):
                continue
            hits: dict[str, tuple[str, re.Match[str]]] = {}
            for typ, fam, rx in _TRIGGER_RX:
                m = next((x for x in rx.finditer(text) if not _proper_noun(text, x)), None)
                if m is None:
                    continue
                if fam not in hits:
                    hits[fam] = (typ, m)
                elif fam == "violence" and _earlier_violence(hits[fam], typ, m):
                    hits[fam] = (typ, m)
            count_only = False
            if not hits:
                # "Two more soldiers were wounded.": no event word, but a toll for the last incident
                wc = re.search(r"\b(wounded|injured|killed|dead|heridos?|muertos?)\b", text, re.I)
                if not wc or not (out and out[-1].family == "violence"):
                    continue
                hits = {"violence": ("attack", wc)}
                count_only = True
            counts = find_counts(text, sent.start_char)
            if count_only and not any(c.kind in ("killed", "wounded") for c in counts):
                continue
            hits = _reconcile(hits, text, counts)
            dl = _DATELINE.match(text)
            dl_end = dl.end() if dl else 0
            dates = [d for d in find_dates(" " * dl_end + text[dl_end:], document.published, document.language)]
            for fam in list(hits):
                typ, m = hits[fam]
                if fam == "other" and (re.match(
                        r"(?:released|freed|liber\w+)\s+(?:by|a|an|its|their|his|her|the)\s+(?:\w+\s+)?(?:statement|letter|video|report|"
                        r"figures|data|images|photos|list|communiqu\w+|comunicado|carta|informe)", text[m.start():m.start() + 60], re.I)
                        or re.search(r"\b(letter|statement|video|videos|images|photos|footage|report|communiqu\w+|carta|comunicado|informe|imágenes|fotos)\s+$", text[max(0, m.start() - 16):m.start()], re.I)):
                    hits.pop(fam)  # "a letter released by his lawyer": a document, not a person freed
                elif re.search(r",\s+(saying|claiming|alleging|arguing|insisting|diciendo|afirmando|alegando)\b[^.;]*$", text[:m.start()], re.I):
                    hits.pop(fam)  # "defended the operation, saying the police had been attacked": a claim
            if "violence" in hits and re.fullmatch(r"died|murieron|falleci\w+", hits["violence"][1].group(0), re.I) \
                    and not any(c.kind == "killed" for c in counts):
                hits.pop("violence")  # "died" only tells of an incident when it counts the dead
            if not hits:
                continue
            if "arrest" in hits and "violence" in hits and hits["arrest"][1].start() < hits["violence"][1].start() \
                    and re.fullmatch(r"killed|kill(?:s|ing)?|mataron|mató", hits["violence"][1].group(0), re.I):
                hits.pop("violence")  # "had detained 329 people and killed five": one operation
            primary = min(hits, key=lambda f: hits[f][1].start())
            kinds = {c.kind for c in counts}
            for fam, (typ, m) in hits.items():
                if any(a <= sent.start_char + m.start() < b for a, b in quoted):
                    continue  # words inside a quotation are not the reporter's account
                if re.search(r"\b(no|ningún|ninguna|sin)\s+$", text[max(0, m.start() - 8):m.start()], re.I):
                    continue  # "no arrests had been reported"
                if fam != primary and not (_FAMILY_COUNT.get(fam) and _FAMILY_COUNT[fam] & kinds):
                    continue  # a second crime named in passing ("ran kidnapping and extortion")
                men = self._mention(sdoc, sent, typ, fam, m, dates, counts, pub, country, document, dl_end)
                if count_only:
                    men.anaphoric, men.date, men.explicit_date, men.count_only = True, None, False, True
                if men.status == "hypothetical" and fam in ("arrest", "seizure", "lab", "eradication", "extortion"):
                    continue  # "he would let the army detain suspects": a policy, not an event
                if fam != primary and men.date is not None and men.explicit_date:
                    # "surrendered on Tuesday, ending an uprising in which four officers were killed"
                    men.date, men.explicit_date = None, False
                out.append(men)
        return out

    def _mention(self, sdoc: Doc, sent: Span, typ: str, fam: str, m: re.Match[str], dates: list[DateMatch],
                 counts: list[CountMatch], pub: Date | None, country: str | None, document: Document,
                 dl_end: int = 0) -> Mention:
        text = sent.text
        s0 = sent.start_char
        trig = (s0 + m.start(), s0 + m.end())
        counts = [c for c in counts if not (c.start - s0 > m.end() and _RELATIVE.search(text[m.end():c.start - s0]))]
        if fam == "arrest":  # "surrendered, ending an uprising in which four officers were killed"
            counts = [c for c in counts if c.kind == "arrested" or not (
                c.start - s0 > m.end() and re.search(r"\b(in which|during which|en el que|en la que)\b", text[m.end():c.start - s0], re.I))]
        # date: the date expression nearest the trigger
        date = _event_date(text, m, dates)
        # the story's current place decides ambiguous names ("La Victoria" next to Apure)
        loc = self._place(sent, self._story_country or country, sent.start_char + dl_end)
        if loc is not None and loc.country and loc.precision in ("locality", "admin1", "region", "point"):
            self._story_country = loc.country
        if loc and not loc.country:
            loc.country = country
        perps: list[ActorRef] = []
        targets: list[ActorRef] = []
        # "the mission came under attack", "five soldiers were killed": who is named before
        # a passive trigger was hit, not the one who acted
        passive_trigger = re.search(r"\b(?:came|comes|come|coming|were|was|been|being|fueron|fue|resultaron)"
                                    r"\s+(?:under\s+|\w+\s+)?$", text[max(0, m.start() - 22):m.start()], re.I)
        for ent in span_ents(sent):
            if ent.label_ not in ("GROUP", "FORCE"):
                continue
            if _is_source(_text(sdoc), ent.start_char, ent.end_char):
                continue  # "..., the national police said": who reports, not who acted
            ref = self._ref(ent)
            before = ent.start_char < trig[0]
            pre = _text(sdoc)[max(s0, ent.start_char - 14):ent.start_char].lower()
            object_like = re.search(r"\b(of|against|on|contra|de|del|a)\s+(the\s+|los\s+|las\s+|el\s+|la\s+)?$", pre)
            by = re.search(r"\b(by|por|blamed|attributed to|atribuy\w+ a)\s+(the\s+|los\s+|las\s+|el\s+|la\s+)?$", pre) \
                or re.search(r"\b(?:blamed|attributed|atribuy\w+)\s+(?:the|el|la|los|las)\s+(?:\w+\s+){1,2}(?:on|to|a)\s+"
                             r"(?:the\s+|los\s+|las\s+|el\s+|la\s+)?$", _text(sdoc)[max(s0, ent.start_char - 50):ent.start_char], re.I)
            if before and _DIED.search(_text(sdoc)[ent.end_char:trig[1]]):
                targets.append(ref)  # "seven police officers died (in an ambush)": they were hit
                continue
            if fam in ("arrest", "seizure", "eradication", "lab"):
                if ref.kind == "state_force":
                    perps.append(ref)
                elif ref.kind in ("armed_group", "criminal_group"):
                    targets.append(ref)
            elif by or (before and not object_like and not passive_trigger) or (
                    ref.kind not in ("state_force", "government_body", "organization") and not object_like
                    and not (before and passive_trigger)):
                perps.append(ref)
            else:
                targets.append(ref)
        for fm in _FORCE_WORDS.finditer(text):
            if any(e.start_char <= s0 + fm.start() < e.end_char for e in span_ents(sent) if e.label_ in ("FORCE", "GROUP")):
                continue
            if _is_source(text, fm.start(), fm.end()) or re.match(
                    r"\s+(truck|station|car|vehicle|base|post|headquarters|building|academy|checkpoint|patrol car|"
                    r"convoy|helicopter|unit|records?|statement|sources?)\b", text[fm.end():fm.end() + 20], re.I):
                continue  # "a police truck", "the army base": things, not who acted
            branch = "police" if fm.group("police") else "army"
            ev = Evidence(s0 + fm.start(), s0 + fm.end(), fm.group(0))
            ref = self._force(country, branch, fm.group(0), ev)
            before = s0 + fm.start() < trig[0]
            if before and _DIED.search(text[fm.end():m.end()]):
                targets.append(ref)  # as above: forces named before a verb of dying died
                continue
            passive = re.search(r"\b(were|was|been|being|fueron|fue|resultaron)\s+(\w+\s+)?$", text[max(0, m.start() - 18):m.start()], re.I)
            if fam in ("arrest", "seizure", "eradication", "lab", "other"):
                if before:
                    perps.append(ref)
            elif fam == "violence" and before and not passive and not re.search(
                    r"\b(on|against|at|of|contra|a)\s+(the\s+|los\s+|las\s+|la\s+|el\s+)?$", text[max(0, fm.start() - 14):fm.start()], re.I):
                perps.append(ref)  # "Peruvian troops and police killed ..."
            elif fam == "violence" and typ == "armed_clash" and (
                    before or re.search(r"\b(with|between|and|against|con|entre|contra)\s+(the\s+|las?\s+|los\s+)?$",
                                        text[max(0, fm.start() - 14):fm.start()], re.I)):
                perps.append(ref)
            else:
                targets.append(ref)
        if not any(p.kind in ("armed_group", "criminal_group") for p in perps) and self._dominant:
            g = _INSURGENT_WORDS.search(text)
            if g and (s0 + g.start() < trig[0] or re.match(r"\s*(by|por)\b", text[g.start() - 4:g.start()] or "")):
                d = self._dominant
                perps.append(ActorRef(name=g.group(0), canonical=d.canonical, actor_id=d.actor_id, kind=d.kind,
                                      evidence=Evidence(s0 + g.start(), s0 + g.end(), g.group(0))))
        if fam == "violence" and typ in ("murder", "attack") and re.search(
                r"\b(raids?|raided|operations?|offensive|operativos?|incursi[oó]n|ofensiva|redada)\b", text, re.I) \
                and any(p.kind == "state_force" for p in perps) and counts:
            typ = "armed_clash"  # a police or army raid with deaths
        if fam == "violence" and not any(c.kind == "killed" for c in counts) and re.search(
                r"\b(was|fue|ha sido)\s+(shot dead|killed|murdered|assassinated|gunned down|stabbed to death|"
                r"burned to death|beaten to death|asesinad[oa]|ultimad[oa]|acribillad[oa]|baleado|baleada)\b", text, re.I):
            counts = counts + [CountMatch("killed", 1, "exact", s0 + m.start(), s0 + m.end(), [])]  # one named victim
        if fam == "violence" and typ in ("murder", "attack"):
            killed_phr = " ".join(ph for c in counts if c.kind == "killed" for ph in c.phrases)
            if _FORCE_WORDS.search(killed_phr) and _INSURGENT_WORDS.search(killed_phr):
                typ = "armed_clash"  # soldiers and gunmen killed: a fight between them
        if fam == "arrest":
            passive = re.search(r"\b(were|was|had been|have been|fueron|fue|habían sido)\s+$", text[max(0, m.start() - 14):m.start()], re.I)
            captured_forces = [r for r in perps if r.kind == "state_force" and r.evidence
                               and 0 <= trig[0] - r.evidence.end <= 25] if passive else []
            if captured_forces or any(p.kind in ("armed_group", "criminal_group") and p.evidence and p.evidence.start < trig[0] for p in targets):
                # soldiers "were captured" by rebels: a kidnapping, the captors are the perpetrators
                typ, fam = "kidnapping", "kidnapping"
                captors = [t for t in targets if t.kind in ("armed_group", "criminal_group")]
                targets = captured_forces + [t for t in targets if t.kind not in ("armed_group", "criminal_group")]
                perps = captors + [p for p in perps if p not in captured_forces and p.kind != "state_force"]
        if fam == "violence" and typ != "armed_clash":
            # state forces are targets of insurgent violence unless they are the only actor
            groups = [p for p in perps if p.kind not in ("state_force", "government_body")]
            if groups:
                targets.extend(p for p in perps if p.kind in ("state_force", "government_body"))
                perps = groups
        for c in counts:
            for ph in c.phrases:
                targets.append(ActorRef(name=ph))
        if fam == "violence" and typ in ("attack", "murder") and any(c.kind == "killed" and c.value >= 3 for c in counts) \
                and (_CIVILIANS.search(" ".join(ph for c in counts for ph in c.phrases))
                     or re.search(r"\b(opened fire|fired) on (?:the )?(protesters|demonstrators|civilians|crowd)|"
                                  r"dispar\w+ contra (?:los )?(manifestantes|civiles|pobladores)", text, re.I)) \
                and not _FORCE_WORDS.search(" ".join(ph for c in counts for ph in c.phrases)):
            typ = "massacre"  # several defenceless people killed
        if fam == "violence" and any(c.kind == "killed" and _PRISON.search(text[max(0, c.start - s0 - 40):c.end - s0 + 80])
                                     for c in counts):
            typ = "prison_riot"  # inmates killed inside a prison
        weapons: list[str] = []
        for rx, w in _WEAPON_RX:
            if rx.search(text):
                w2 = _WEAPON_ES[w] if (document.language or "en") == "es" else w
                if w2 not in weapons:
                    weapons.append(w2)
        if fam not in ("violence",):
            weapons = [w for w in weapons if w not in ("firearms", "armas de fuego")] if fam != "kidnapping" else weapons
        status = self._status(text, m, date, pub, typ)
        anaphoric = bool(re.search(
            rf"\b(the|this|that|deadliest|worst|latest|bloodiest|thursday’s|friday’s|saturday’s|sunday’s|monday’s|tuesday’s|wednesday’s|el|la|este|esta|dicho|dicha|más letal|peor)\s+"
            rf"{re.escape(m.group(0).lower())}", text.lower()))
        if any(c.toll for c in counts) and fam == "violence":
            anaphoric = True  # "the toll later rose to seven": an update of the last incident
            date = None
        return Mention(typ, fam, sent, trig, status, date, date is not None and not date.span_years, loc,
                       _dedupe_refs(perps), _dedupe_refs(targets),
                       [c for c in counts], weapons, anaphoric, sent.start_char + dl_end)

    def _status(self, text: str, m: re.Match[str], date: DateMatch | None, pub: Date | None, typ: str) -> str:
        window = text[max(0, m.start() - 80): m.end() + 60]
        if _NEGATED.search(text):
            return "negated"
        if _HYPOTHETICAL.search(window) and not re.search(r"\b(killed|were|was|fueron|murieron)\b", text[max(0, m.start() - 40): m.end() + 40]):
            return "hypothetical"
        if (_PLURAL_TRIGGER.match(m.group(0)) and not (date is not None and date.precision == "day")) \
                or (date is not None and date.span_years):
            return "aggregate"
        if _AGGREGATE.search(window) and not re.search(r"\b(on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", window, re.I):
            if re.search(r"\b(string of|series of|wave of|spate of|campaign of|dozens of|hundreds of|ola de|serie de|decenas de|cientos de|since|desde|so far this year|en lo que va)\b", window, re.I):
                return "aggregate"
        if date is not None and pub is not None:
            ev = parse_pub(date.value)
            if ev is not None:
                if date.precision == "year" and ev.year < pub.year:
                    return "background"
                if date.precision == "month":
                    nxt = Date(ev.year + (ev.month == 12), ev.month % 12 + 1, 1)
                    if (pub - nxt).days > 62:
                        return "background"
                elif (pub - ev).days > 45:
                    return "background"
        return "current"

    # ------------------------------------------------------------------ merging
    def extract(self, sdoc: Doc, document: Document, country: str | None = None) -> list[Incident]:
        country = country or self.main_country(sdoc)
        self._dominant = self._dominant_group(sdoc)
        self._story_country = None
        building: list[_Building] = []
        for men in self.mentions(sdoc, document, country):
            target = self._merge_target(building, men)
            if target is None and men.count_only:
                continue
            if target is None:
                lead = next((b for b in building if b.first.status == "current"), None)
                if lead is not None and _satellite(men, lead):
                    lead.mentions.append(men)  # "Police arrested 12 suspects at the scene"
                    continue
                building.append(_Building([men]))
            else:
                target.mentions.append(men)
        incidents = [self._finish(b, document, country) for b in building if _specific(b)]
        incidents = [i for i in incidents if i is not None]
        _background_before_lead(incidents)
        pub = parse_pub(document.published)
        lead = next((i for i in incidents if i.status == "current" and i.date and pub is not None
                     and (d := parse_pub(i.date)) is not None and abs((pub - d).days) <= 62), None)
        for i in incidents:
            if lead is not None and i.status == "current" and i.date is None:
                i.date, i.date_precision = lead.date, lead.date_precision  # same news, same day
            if lead is not None and i is not lead and i.status == "current" and i.date == lead.date \
                    and i.location.precision in (None, "country") and lead.location.precision not in (None, "country") \
                    and i.location.country in (None, lead.location.country):
                i.location = lead.location  # same story, same place unless told otherwise
        return incidents

    def _merge_target(self, building: list[_Building], men: Mention) -> _Building | None:
        if _SEPARATE.search(men.sent.text[men.body_start - men.sent.start_char:]):
            return None  # "Hours later, a police officer was burned to death": another incident
        if men.anaphoric and not (men.date and men.explicit_date and men.date.precision != "day" and not men.date.relative):
            for b in reversed(building[-3:]):
                if b.first.family == men.family and (b.first.status == "current" and men.status in ("current", "background")
                                                     or re.match(r"the\s", _text(men.sent.doc)[men.trigger[0] - 4:men.trigger[0]], re.I)):
                    men.status = b.first.status
                    if men.date and b.first.date and not _date_compatible(men.date.value, b.first.date.value):
                        men.date = None
                        men.explicit_date = False
                    return b
        for b in reversed(building[-4:]):
            first = b.first
            if _family_compatible(first, men) is False:
                continue
            dates = [x.date for x in b.mentions if x.explicit_date and x.date]
            if men.explicit_date and men.date and dates:
                if not any(_date_compatible(men.date.value, d.value) for d in dates):
                    continue
            if men.status != first.status and men.explicit_date and not men.anaphoric:
                if {men.status, first.status} != {"current", "background"} or men.date is None:
                    continue
                continue
            locs = [x.location for x in b.mentions if x.location]
            if men.location and locs and not any(_loc_compatible(men.location, l) for l in locs):
                if not men.anaphoric:
                    continue
            if men.status in ("aggregate", "hypothetical", "negated") and first.status != men.status:
                continue
            if first.status in ("aggregate", "hypothetical", "negated") and first.status != men.status:
                continue
            if men.sent.start - b.mentions[-1].sent.end > 40 and not men.anaphoric and not men.explicit_date:
                # far apart and nothing ties them: only an unspecific restatement merges
                if men.location or men.counts:
                    continue
            return b
        return None

    def _finish(self, b: _Building, document: Document, country: str | None) -> Incident | None:
        ms = b.mentions
        typ = ms[0].type
        for x in ms[1:]:
            if x.family == ms[0].family and typ == "attack" and x.type in ("ambush", "massacre", "bombing"):
                typ = x.type
        status = ms[0].status
        explicit = [x.date for x in ms if x.date and x.explicit_date]
        date = explicit[0] if explicit else next((x.date for x in ms if x.date), None)
        if date is not None:
            rank = {"day": 0, "month": 1, "year": 2}
            for d in explicit[1:]:
                if _date_compatible(d.value, date.value) and rank[d.precision] < rank[date.precision]:
                    date = d
        loc = None
        for x in ms:
            if x.location and (loc is None or _PRECISION_RANK.get(x.location.precision, 5) < _PRECISION_RANK.get(loc.precision, 5)):
                loc = x.location
        if loc is None:
            loc = Location(country=country, precision="country" if country else None)
        counts: dict[str, Count] = {}
        for x in ms:
            for c in x.counts:
                ev = Evidence(c.start, c.end, document.text[c.start:c.end])
                if c.kind not in counts or c.toll:
                    counts[c.kind] = Count(c.value, c.qualifier, ev)
                elif x is not ms[0] and re.search(r"\b(also|too|another|as well|también|otros?|otras?)\b",
                                                  document.text[max(x.sent.start_char, c.start - 40):c.end + 25], re.I):
                    # "Two reservists were also killed in that exchange of fire": added to the toll
                    prev = counts[c.kind]
                    counts[c.kind] = Count(prev.value + c.value, prev.qualifier, prev.evidence)
        perps = _dedupe_refs([p for x in ms for p in x.perpetrators])
        if ms[0].family in ("violence", "kidnapping", "extortion", "strike", "arson", "robbery") and not any(
                p.kind in ("armed_group", "criminal_group") for p in perps):
            named = [t for x in ms for t in x.targets if t.kind in ("armed_group", "criminal_group")]
            if named and not any(p.kind in ("state_force",) for p in perps):
                perps = [named[0]] + perps  # "blamed on the EPP", "attributed to dissidents of ..."
            elif not perps and self._dominant is not None and self._single_group:
                d = self._dominant
                perps = [ActorRef(name=d.name, canonical=d.canonical, actor_id=d.actor_id, kind=d.kind, evidence=d.evidence)]
        targets = _dedupe_refs([t for x in ms for t in x.targets])
        if ms[0].family == "violence" and typ != "armed_clash" and any(
                p.kind in ("armed_group", "criminal_group") for p in perps):
            targets = [p for p in perps if p.kind == "state_force"] + targets
            perps = [p for p in perps if p.kind != "state_force"]
        perp_ids = {p.actor_id or p.canonical for p in perps}
        targets = [t for t in targets if (t.actor_id or t.canonical) not in perp_ids or t.actor_id is None]
        weapons: list[str] = []
        for x in ms:
            for w in x.weapons:
                if w not in weapons:
                    weapons.append(w)
        evidence = []
        for x in ms:
            start = max(x.sent.start_char, x.body_start)
            ev = Evidence(start, x.sent.end_char, document.text[start:x.sent.end_char])
            if ev not in evidence:
                evidence.append(ev)
        first = ms[0]
        inc = Incident(
            id=stable_id("inc", document.id, first.sent.start_char, typ),
            type=typ, status=status,
            date=date.value if date else None, date_precision=date.precision if date else None,
            location=loc, perpetrators=perps, targets=targets,
            killed=counts.get("killed"), wounded=counts.get("wounded"),
            kidnapped=counts.get("kidnapped"), arrested=counts.get("arrested"),
            weapons=weapons, evidence=evidence,
            date_evidence=Evidence(first.sent.start_char + date.start, first.sent.start_char + date.end,
                                   document.text[first.sent.start_char + date.start:first.sent.start_char + date.end])
            if date and date is first.date else None,
            trigger=Evidence(first.trigger[0], first.trigger[1], document.text[first.trigger[0]:first.trigger[1]]),
        )
        if inc.type == "arrest_capture" and inc.arrested is None and inc.status != "aggregate":
            pass
        return inc


_OTHER_CLAUSE = re.compile(
    r"(\b(?:which|who|whose|quien|quienes|cuyo|cuya)\b|,\s+(?:where|que|donde)\b|\b(?:since|until|when\s+\w+\s+took|desde|hasta)\b)", re.I)


def _text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token on each access, which
    costs milliseconds per call on a long article and was done for every sentence."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None:
        cached = doc.user_data[_TEXT_KEY] = doc.text
    return cached


_TEXT_KEY = "cronica.text"


def _event_date(text: str, m: re.Match[str], dates: list[DateMatch]) -> DateMatch | None:
    """The date of the event the trigger names: the nearest date expression that is not
    inside another clause ("..., which signed a peace deal in 2016", "since Aug. 7") nor
    the day something was said or released; a date written right after "took place",
    "occurred", "se produjo", "ocurrió" wins over nearer ones ("the statement, released on
    Sunday, said the attack took place on Saturday")."""
    best = None
    anchored = None
    for d in dates:
        lo, hi = (m.end(), d.start) if d.start >= m.end() else (d.end, m.start())
        between = text[lo:hi]
        if d.start >= m.end() and _OTHER_CLAUSE.search(between):
            continue
        if re.search(r"\b(since|desde|after|tras|until|hasta)\s+$", text[max(0, d.start - 12):d.start], re.I) \
                and not d.span_years and not re.match(r"(the|el|la)\s", text[d.start:d.start + 4], re.I):
            continue
        if re.search(
                r"\b(said|says|announced|reported|confirmed|told \w+|released|issued|published|dijo|informó|anunció|"
                r"confirmó|señaló|difundid[oa]|publicad[oa]|emitid[oa])\s+(on\s+|el\s+|este\s+|(?:en\s+)?la\s+\w+\s+del?\s+)?$",
                text[max(0, d.start - 22):d.start + (3 if text[d.start:d.start + 3].lower() == "on " else 0)], re.I):
            continue  # the day it was said, not the day it happened
        if re.search(r"\b(took place|occurred|happened|se produjo|ocurrió|tuvo lugar|sucedió)\s+(on\s+|el\s+|la\s+)?$",
                     text[max(0, d.start - 24):d.start + (3 if text[d.start:d.start + 3].lower() == "on " else 0)], re.I):
            if anchored is None or abs(d.start - m.start()) < abs(anchored.start - m.start()):
                anchored = d
        if best is None or abs(d.start - m.start()) < abs(best.start - m.start()):
            best = d
    return anchored or best


_SOURCE_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,2}(said|says|told|reported|announced|confirmed|stated|added|reports|"
    r"dijo|dijeron|informó|informaron|señaló|indicó|confirmó|reportó|aseguró|afirmó|explicó)\b", re.I)
_SOURCE_BEFORE = re.compile(r"\b(according to|said|told|según|de acuerdo con|informó|dijo)\s+(?:the\s+|la\s+|el\s+|los\s+)?$", re.I)


def _is_source(text: str, start: int, end: int) -> bool:
    """A reporting source ("the army said", "according to police"), not an actor."""
    return bool(_SOURCE_AFTER.match(text[end:end + 30]) or _SOURCE_BEFORE.search(text[max(0, start - 25):start]))


def _paragraph_is_prose(text: str, start: int, end: int) -> bool:
    """Whether the line holding this sentence ends like prose (a headline, byline or caption
    does not end with a full stop)."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    line = text[lo: hi if hi >= 0 else len(text)].strip()
    return bool(re.search(r"[.!?][”\"»’')]?$", line))


def _satellite(men: Mention, lead: _Building) -> bool:
    """An undated, unplaced follow-up sentence of the lead story ("35 soldiers were wounded
    and 21 suspects arrested", "police fired tear gas") adds to the lead, not a new incident."""
    if men.explicit_date or men.status != "current" or men.family not in ("arrest", "violence"):
        return False
    if not men.counts and not re.search(r"\b(at the scene|in the area|nearby|en el lugar|en la zona)\b", men.sent.text, re.I):
        return False  # nothing to add: a sentence of its own
    if lead.first.family not in ("violence", "arrest", "kidnapping", "strike", "prison", "seizure", "lab"):
        return False
    if men.location is not None and men.location.precision in ("locality", "point"):
        lead_locs = [x.location for x in lead.mentions if x.location]
        if lead_locs and not any(_loc_compatible(men.location, l) for l in lead_locs):
            return False
    return True


def _background_before_lead(incidents: list[Incident]) -> None:
    """The lead incident (the first current one with a day or month date) is the news; a
    "current" incident dated more than a week before it is context: background."""
    lead = next((i for i in incidents if i.status == "current" and i.date and len(i.date) >= 7), None)
    if lead is None or lead.date is None:
        return
    lead_d = parse_pub(lead.date)
    for i in incidents:
        if i is lead or i.status != "current" or not i.date:
            continue
        d = parse_pub(i.date)
        if d is None or lead_d is None:
            continue
        if len(i.date) == 10 and (lead_d - d).days > 7:
            i.status = "background"
        elif len(i.date) == 7 and (lead_d.year, lead_d.month) > (d.year, d.month) and (lead_d - d).days > 40:
            i.status = "background"


def _specific(b: _Building) -> bool:
    """An incident needs more than a trigger word: a date, a named place, a count, a named
    actor or several sentences about it. "rely on extortion" alone is not an incident, nor
    "linked to extortion and killings"."""
    if len(b.mentions) == 1:
        x = b.mentions[0]
        plural = _PLURAL_TRIGGER.match(_text(x.sent.doc)[x.trigger[0]:x.trigger[1]])
        if plural and x.date is None and not x.counts and x.status != "hypothetical" \
                and not (x.location and x.location.precision not in ("country", None)):
            return False
    for x in b.mentions:
        if x.date or x.counts or x.perpetrators:
            return True
        if x.location and x.location.precision not in ("country", None):
            return True
        if any(t.actor_id and t.kind not in ("state_force", "government_body") for t in x.targets):
            return True
    return len(b.mentions) > 1


def _proper_noun(text: str, m: re.Match[str]) -> bool:
    """A capitalised trigger inside a sentence is part of a name ("La Libertad", "Asalto
    Bank"), not an event word."""
    return m.group(0)[:1].isupper() and m.start() > 0 and not re.search(r"[.!?:“\"«]\s*$", text[:m.start()])


def _earlier_violence(current: tuple[str, re.Match[str]], typ: str, m: re.Match[str]) -> bool:
    """Which violence word types the event: "massacre"/"ambush" anywhere win; otherwise
    the earliest specific word (bombing, clash, murder, attack); a bare "killed" never wins."""
    ctyp, cm = current
    if ctyp in ("massacre", "ambush"):
        return False
    if typ in ("massacre", "ambush"):
        return True
    weak = lambda t, x: t == "murder" and re.fullmatch(r"killed|kill(?:s|ing)?|died|murieron|falleci\w+|slain|burned to death|mataron|mató|matan|death toll|cifra de \w+", x.group(0), re.I)
    if weak(ctyp, cm):
        return not weak(typ, m)
    if weak(typ, m):
        return False
    return m.start() < cm.start()


def _reconcile(hits: dict[str, tuple[str, re.Match[str]]], text: str,
               counts: list[CountMatch] | None = None) -> dict[str, tuple[str, re.Match[str]]]:
    """One sentence, several families: keep the ones that are separate events."""
    if "violence" in hits:
        typ, m = hits["violence"]
        # "killed ... in a raid" style arrests/seizures: the violence is the event
        if "other" in hits:
            casualties = any(c.kind in ("killed", "wounded") and c.value > 0 for c in counts or [])
            if casualties or hits["other"][1].start() > m.start():
                hits.pop("other")
            else:
                hits.pop("violence")
        if "prison" in hits:
            hits.pop("violence", None)
        elif "strike" in hits:
            hits.pop("violence", None)
        elif "kidnapping" in hits and typ in ("murder", "attack"):
            # "kidnapped ... were found dead": one kidnapping event
            kt, km = hits["kidnapping"]
            if km.start() < m.start():
                hits.pop("violence", None)
    if "kidnapping" in hits and "other" in hits:
        other_m = hits["other"][1]
        if re.match(r"(freed|released|rescued|liber|rescat)", other_m.group(0), re.I):
            hits.pop("kidnapping")
    if "seizure" in hits and "arrest" in hits:
        hits.pop("arrest")
    if "lab" in hits:
        hits.pop("seizure", None)
    return hits


def _family_compatible(a: Mention, b: Mention) -> bool:
    """Same family; or arson/robbery told as part of a violent episode ("gunmen set fire to
    vehicles" after the clash) when the later mention has no date of its own."""
    if a.family == b.family:
        return True
    if a.family == "violence" and b.family in ("arson", "robbery") and not b.explicit_date and b.status == a.status:
        return True
    return False


def _date_compatible(a: str, b: str) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _loc_compatible(a: Location, b: Location) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    if a.precision in ("country", "admin1", "region") or b.precision in ("country", "admin1", "region"):
        return True
    return (a.name or "").lower() == (b.name or "").lower() or (a.admin1 or "") == (b.admin1 or "")


def _dedupe_refs(refs: list[ActorRef]) -> list[ActorRef]:
    seen: set[str] = set()
    out: list[ActorRef] = []
    for r in refs:
        key = (r.actor_id or r.canonical or r.name).lower()
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out
