"""People named in an article, with their roles and aliases (English and Spanish).

Contract of :func:`extract_people`:

* input: the spaCy ``Doc`` of ``document.text`` (``sdoc.text == document.text``) and the
  :class:`~cronica.records.Document`;
* output: one :class:`~cronica.records.Actor` (``kind="person"``) per person, in order of
  first mention. ``canonical`` is the fullest name seen, without titles or nicknames;
  ``name`` the first form as written; ``aliases`` every form seen (surname-only mentions,
  nicknames from "alias X" / "known as “X”" / Joaquín “El Chapo” Guzmán);
  ``roles`` the titles stated in title prefixes ("then-Interior Minister Ana Ruiz") and
  appositions ("the new justice minister, Marta Quiroga Llosa", "NAME, a spokesman for
  X"), each with ``as_of = document.published`` and the sentence as evidence;
  ``evidence`` every sentence mentioning the person. Every Evidence satisfies
  ``document.text[start:end] == text``.

People are found without statistical NER where none exists (Spanish): a run of
capitalised words counts as a person when a title, an apposition, a speech verb, an alias
or a common given name says so; in English spaCy's ``PERSON`` entities are a further cue.
Surname-only mentions ("Humala") join the full name that contains them as surname; when
several do, the person named first in the article. Mentions inside quotations and bylines are ignored.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from cronica.extract import titles as T
from cronica.extract.quotes import quote_spans
from cronica.extract.spans import doc_text
from cronica.records import Actor, Document, Evidence, Role, stable_id

CONNECTORS = frozenset({"de", "del", "da", "do", "dos", "das", "van", "von", "di", "le"})
PREPOSITIONS = frozenset({"of", "for", "at", "de", "del", "in", "en", "with"})
DETERMINERS = frozenset({
    "a", "an", "the", "el", "la", "los", "las", "un", "una", "its", "his", "her", "their",
    "su", "sus", "our", "one", "uno",
})
APPOSITION_STOPS = frozenset({
    ",", ".", ";", ":", ")", "(", "who", "which", "whose", "whom", "que", "quien", "quienes",
    "cuyo", "cuya", "donde", "where", "when", "cuando", "—", "–", "!", "?", "said", "dijo",
})

# Capitalised words that never belong to a person's name (folded).
NON_NAME_WORDS = frozenset({
    # organisations and bodies
    "police", "policia", "army", "ejercito", "navy", "armada", "ministry", "ministerio",
    "cartel", "cartel", "front", "frente", "party", "partido", "commission", "comision",
    "command", "comando", "forces", "fuerzas", "fuerza", "council", "consejo", "court",
    "corte", "tribunal", "department", "departamento", "state", "estado", "university",
    "universidad", "institute", "instituto", "government", "gobierno", "fiscalia",
    "asociacion", "association", "defensoria", "congress", "congreso", "senate", "senado",
    "office", "oficina", "agency", "agencia", "group", "grupo", "clan", "sendero", "path",
    "company", "compania", "empresa", "bank", "banco", "church", "iglesia", "nations",
    "naciones", "union", "movement", "movimiento", "organization", "organizacion", "network",
    "red", "news", "noticias", "diario", "times", "post", "herald", "tribune", "daily",
    "weekly", "report", "wire", "press", "radio", "television", "televisión", "tv",
    "ministers", "ministros", "guard", "guardia", "brigade", "brigada", "battalion",
    "batallon", "division", "division", "republic", "republica", "national", "nacional",
    "federal", "military", "militar", "armed", "armadas", "special", "truth", "reconciliation",
    "human", "rights", "derechos", "humanos", "prize", "premio", "summit", "cumbre", "decree",
    "decreto", "operation", "operacion", "operativo", "plan", "project", "proyecto", "dam",
    "represa", "prison", "carcel", "penal", "penitenciaria", "airport", "aeropuerto", "cabildos",
    "self-defense", "autodefensas", "gang", "banda", "family", "familia", "brothers",
    "hermanos", "committee", "comite", "secretariat", "secretaria", "ministerial",
    "sa", "inc", "ltd", "corp", "fund", "fondo", "foundation", "fundacion", "center", "centro",
    "centre", "college", "colegio", "school", "escuela", "hospital", "clinic", "clinica",
    "station", "estacion", "twitter", "facebook", "whatsapp", "instagram", "x", "email",
    # places
    "city", "ciudad", "river", "rio", "valley", "valle", "province", "provincia", "region",
    "region", "district", "distrito", "municipality", "municipio", "county", "street", "calle",
    "avenue", "avenida", "highway", "carretera", "mountains", "sierra", "serrania", "norte",
    "sur", "north", "south", "east", "west", "este", "oeste", "central", "upper", "lower",
    "bay", "bahia", "island", "isla", "lake", "lago", "coast", "costa", "border", "frontera",
    "america", "americas", "latin", "latina", "andes", "amazon", "amazonia", "pacific",
    "pacifico", "caribbean", "caribe", "gulf", "golfo", "new", "nueva", "nuevo", "san",
    "santa", "santo", "puerto", "port", "villa", "ciudadela", "barrio", "colonia",
    # calendar
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sept", "sep", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "christmas", "navidad",
    "easter", "year", "day",
    # misc. capitalised words at sentence starts or in headlines
    "related", "share", "comparte", "lee", "tambien", "read", "more", "advertisement",
    "published", "updated", "actualizado", "photo", "foto", "map", "mapa", "source", "fuente",
    "the", "this", "that", "these", "those", "there", "here", "it", "its", "he", "she",
    "they", "we", "i", "you", "his", "her", "their", "our", "el", "la", "los", "las", "un",
    "una", "unos", "unas", "ella", "ellos", "este", "esta", "estos", "estas", "ese", "esa",
    "no", "yes", "si", "but", "pero", "and", "y", "or", "o", "in", "en", "on", "at", "by",
    "por", "para", "for", "with", "con", "from", "de", "del", "to", "a", "al", "as", "como",
    "after", "before", "despues", "antes", "tras", "during", "durante", "since", "desde",
    "while", "mientras", "when", "cuando", "if", "although", "aunque", "even", "also",
    "ademas", "according", "segun", "officials", "authorities", "autoridades", "residents",
    "suspected", "presunto", "presuntos", "marxist", "leninist", "indigenous", "lenca",
    "nasa", "awajun", "wampis", "mr", "mrs", "ms", "dr", "sr", "sra",
    "don", "dona", "senor", "senora", "comrade", "camarada", "saint",
})

FACILITY_BEFORE = frozenset({
    "carretera", "avenida", "calle", "aeropuerto", "estadio", "hospital", "colegio", "escuela",
    "universidad", "highway", "street", "avenue", "airport", "stadium", "operation",
    "operativo", "operación", "plaza", "parque", "park", "puente", "bridge", "barrio",
    "colonia", "prison", "cárcel", "penal", "hacienda", "finca", "farm", "premio", "prize",
    "award", "fundación", "foundation", "decreto", "decree", "ley", "law", "plan", "vía",
    "via", "paseo", "boulevard", "bulevar", "escuela", "liceo", "instituto",
})
FACILITY_AFTER = frozenset({
    "college", "school", "university", "airport", "street", "avenue", "highway", "stadium",
    "hospital", "prize", "award", "foundation", "institute", "dam", "river", "prison", "square",
    "park", "bridge", "rural", "teachers", "front", "cartel", "brigade", "command", "plan",
    "law", "doctrine", "administration", "government",
})
PLACE_NOUNS = frozenset({
    "municipio", "municipality", "ciudad", "city", "pueblo", "town", "village", "aldea",
    "estado", "state", "provincia", "province", "departamento", "department", "comunidad",
    "community", "localidad", "distrito", "district", "colonia", "barrio", "sindicatura",
    "corregimiento", "vereda", "caserio", "parroquia", "canton", "region", "county",
    "island", "isla", "valle", "valley", "rio", "river", "carcel", "prison", "penal",
})
KNOWN_AS_NOUNS = frozenset({
    "man", "woman", "rebel", "guerrilla", "guerrillero", "commander", "leader", "hombre",
    "mujer", "sujeto", "individuo", "cabecilla", "lider", "comandante", "insurgent", "fighter",
    "trafficker", "narcotraficante", "capo", "boss", "figure", "person", "persona",
})
KNOWN_AS = (("known", "as"), ("conocido", "como"), ("conocida", "como"), ("alias",),
            ("apodado",), ("apodada",), ("nicknamed",), ("dubbed",), ("llamado",))
PAST_PREFIX = re.compile(r"^(ex-?)(?=\w)", re.IGNORECASE)

GIVEN_NAMES = frozenset(T.fold(n) for n in """
adolfo adrian adriana alan alberto alejandra alejandro alexander alfonso alfredo alicia
alvaro ana anderson andrea andres angel angela anibal anielle antonio ariel armando arturo
augusto aurelio beatriz benito bernardo berta bertha blanca camila camilo carla carlos
carmen carmelina carolina catalina cecilia cesar claudia claudio cristian cristina daniel
daniela dario david diana diego dina domingo edgar eduardo efrain elena elias elsa emilio
enrique eric ernesto esteban eugenio eva evo fabian federico felipe fernanda fernando
francisco gabriel gabriela gerardo german gilberto gloria gonzalo guadalupe guillermo
gustavo hector henry hernan hernando horacio hugo humberto ignacio ines irene isabel
ismael ivan jaime jairo javier jesus joaquin jorge jose josefina juan juana julia julian
julio karina laura leonardo leticia lilian lorena lourdes lucia luis luisa luz manuel
marcela marco marcos margarita maria mariana mariela mario marta martha martin mateo
mauricio miguel milton miriam monica nelson nestor nicolas norma olga omar oscar otto pablo
paola patricia patricio paul paula pedro rafael ramiro ramon raul rebeca renato ricardo
roberto rodrigo rodolfo rolando ronald ronnie rosa ruben salvador samuel santiago sara
sebastian sergio silvia simon sofia sonia susana teresa tomas ulises valentina vanessa
veronica vicente victor virginia walter wilfredo william wilson ximena yolanda
john james robert michael joseph thomas charles george edward richard mark paul steven
kevin brian jason ryan eric peter anna mary elizabeth jennifer linda susan margaret
joao antonio francisco marcelo rivaldo elcio fabio thiago lula jair
""".split())


@dataclass
class _Mention:
    """One mention of a person: token span of the name words (titles excluded)."""

    start: int
    end: int
    words: list[str]
    form: str
    sent: Span
    strong: bool
    roles: list[Role] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    char_start: int = 0
    char_end: int = 0


@dataclass
class _Person:
    mentions: list[_Mention]

    @property
    def full(self) -> _Mention:
        return max(self.mentions, key=lambda m: (len(m.words), -m.start))


# --- helpers ---------------------------------------------------------------------------


def _is_cap_word(tok: Token) -> bool:
    t = tok.text
    if not t or not t[0].isupper() or not any(c.isalpha() for c in t):
        return False
    letters = [c for c in t if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return False  # acronyms and datelines: PNP, LIMA
    return T.fold(t).rstrip(".") not in NON_NAME_WORDS


def _key(tok: Token) -> str:
    return T.word_key(tok.text)


def _span_text(doc: Doc, s: int, e: int) -> str:
    # Doc.text re-joins every token on each access: slice the span instead
    return doc[s:e].text


def _title_at(doc: Doc, s: int, e: int) -> tuple[str, bool] | None:
    """Whether tokens [s, e) form a role title; returns (title key, past)."""
    if e <= s or e - s > T.MAX_TITLE_WORDS + 2:
        return None
    first = doc[s].text
    if not first[:1].isalpha():
        return None
    for x in range(s, e):
        t = doc[x]
        if t.is_punct and not (t.text in (".", "-") and x > s and not doc[x - 1].whitespace_):
            return None
    words = _span_text(doc, s, e).split()
    keys = [T.word_key(w) for w in words]
    past = False
    m = PAST_PREFIX.match(keys[0])
    if m and keys[0] not in T.ALL_TITLES:
        rest = keys[0][m.end():]
        if T.match_title([rest] + keys[1:]) or rest in T.PORTFOLIO_HEADS:
            keys = [rest] + keys[1:]
            past = True
    if "-" in keys[0] and keys[0].split("-")[0] in T.PAST_MARKERS:
        keys = [keys[0].split("-", 1)[1]] + keys[1:]
        past = True
    found = T.match_title(keys)
    if found:
        return found, past
    # portfolio forms: "minister of Defense", "ministra de Vivienda Social"
    head = 1 if keys[0] in T.PORTFOLIO_HEADS else 0
    if head and len(keys) > 2 and keys[1] in ("nacional", "national", "general", "federal"):
        head = 2
    if head and len(keys) > head + 1 and keys[head] in ("de", "del", "of", "for") and \
            keys[head] in ("de", "del", "of", "for"):
        tail_words = words[head + 1:]
        if tail_words[-1].lower() in ("de", "del", "y", "and", "la", "the"):
            return None
        ok = all(w[:1].isupper() or w.lower() in ("de", "del", "y", "e", "la", "the", "and")
                 or T.fold(w) in T.PORTFOLIOS for w in tail_words) and \
            not any(_country_of(w) for w in tail_words)  # "de Colombia" is not a portfolio
        if ok:
            return " ".join(keys), past
    return None


def _longest_title_ending(doc: Doc, end: int, lo: int) -> tuple[int, str, bool] | None:
    """The longest title occupying tokens [s, end) with s >= lo."""
    for s in range(max(lo, end - T.MAX_TITLE_WORDS - 2), end):
        got = _title_at(doc, s, end)
        if got:
            return s, got[0], got[1]
    return None


def _titles_in(doc: Doc, lo: int, hi: int) -> list[tuple[int, int, str, bool]]:
    """Non-overlapping titles in [lo, hi), leftmost-longest."""
    out: list[tuple[int, int, str, bool]] = []
    i = lo
    while i < hi:
        best = None
        for e in range(min(hi, i + T.MAX_TITLE_WORDS + 2), i, -1):
            got = _title_at(doc, i, e)
            if got:
                best = (i, e, got[0], got[1])
                break
        if best:
            out.append(best)
            i = best[1]
        else:
            i += 1
    return out


def _doc_country(text: str) -> tuple[str, str] | None:
    """The most often mentioned country of the article, as (name, ISO-2)."""
    counts: dict[tuple[str, str], int] = {}
    folded = T.fold(text)
    for form, country in T.COUNTRIES.items():
        if len(form) <= 2:
            continue
        n = len(re.findall(r"(?<!\w)" + re.escape(form) + r"(?!\w)", folded))
        if n:
            counts[country] = counts.get(country, 0) + n
    return max(counts, key=lambda c: counts[c]) if counts else None


def _country_of(text: str) -> tuple[str, str] | None:
    return T.COUNTRIES.get(T.fold(text.strip()).rstrip("’'s").strip())


class _Ctx:
    """Per-document state shared by the rules."""

    def __init__(self, sdoc: Doc, document: Document) -> None:
        self.doc = sdoc
        self.document = document
        self.lang = (document.language or sdoc.lang_ or "en")[:2]
        self.country = _doc_country(document.text)
        # a token is in a quote when some quote's inside holds its first character: among
        # the quotes starting at or before it, the one reaching furthest decides (a binary
        # search over quotes sorted by start, not a scan of every quote per token)
        spans = sorted(quote_spans(document.text), key=lambda q: q.inner_start)
        starts = [q.inner_start for q in spans]
        reach: list[int] = []
        for q in spans:
            reach.append(max(reach[-1], q.inner_end) if reach else q.inner_end)
        self.in_quote = [False] * len(sdoc)
        for tok in sdoc:
            k = bisect_right(starts, tok.idx)
            if k and reach[k - 1] > tok.idx:
                self.in_quote[tok.i] = True
        self.person_tokens: set[int] = set()
        self.blocked_tokens: set[int] = set()
        # places the gazetteer knows: a name run made only of one of them is a place
        # ("Toledo" alone), but they do not break a longer name ("Alejandro Toledo")
        self.place_spans: set[tuple[int, int]] = set()
        for ent in sdoc.ents:
            if ent.label_ == "PERSON":
                self.person_tokens.update(range(ent.start, ent.end))
            elif ent.label_ in ("GPE", "LOC") and ent.ent_id_:
                self.place_spans.add((ent.start, ent.end))
            elif ent.label_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
                                "ORDINAL", "GROUP", "FORCE") or ent.ent_id_:
                self.blocked_tokens.update(range(ent.start, ent.end))

    def is_place(self, s: int, e: int) -> bool:
        return any(a <= s and e <= b for a, b in self.place_spans)

    def sent_bounds(self, i: int) -> tuple[int, int]:
        s = self.doc[i].sent
        return s.start, s.end

    def make_role(self, s: int, e: int, key: str, past: bool, sent: Span,
                  org_lo: int | None = None, org_hi: int | None = None,
                  mod_lo: int | None = None) -> Role | None:
        """A Role for the title at tokens [s, e); modifiers before s (down to mod_lo)
        decide ``current`` and the country; tokens [org_lo, org_hi) name the
        organisation ("of the joint command")."""
        if key in T.FAMILY:
            return None
        doc = self.doc
        words = _span_text(doc, s, e).split()
        if words and (PAST_PREFIX.match(words[0]) and T.fold(words[0]) not in T.ALL_TITLES):
            words[0] = PAST_PREFIX.sub("", words[0])
        if words and "-" in words[0] and words[0].split("-")[0].lower() in T.PAST_MARKERS:
            words[0] = words[0].split("-", 1)[1]
        title = T.normalise_title(words, self.lang)
        country: tuple[str, str] | None = None
        lo = s - 5 if mod_lo is None else mod_lo
        j = s - 1
        while j >= max(lo, sent.start):
            k = _key(doc[j])
            if k in T.PAST_MARKERS:
                past = True
            elif _country_of(doc[j].text) and not (j > 0 and doc[j - 1].text[:1].isupper()
                                                    and doc[j - 1].i >= sent.start
                                                    and T.fold(doc[j - 1].text) == "new"):
                country = _country_of(doc[j].text)
            elif k in ("’s", "'s", "-", "’", "'") or k in T.TITLE_MODIFIERS:
                pass
            elif doc[j].text.lower() in ("army", "police", "military", "navy", "federal",
                                           "ejército", "policía", "militar", "armada",
                                           "security", "seguridad", "city", "state",
                                           "provincial", "municipal", "departmental"):
                pass
            else:
                break
            j -= 1
        organization = None
        if org_lo is not None and org_hi is not None and org_hi > org_lo:
            o_lo = org_lo
            while o_lo < org_hi and _key(doc[o_lo]) in PREPOSITIONS | DETERMINERS:
                o_lo += 1
            if o_lo < org_hi:
                org_text = _span_text(doc, o_lo, org_hi).strip(" ,")
                if _country_of(org_text):
                    country = _country_of(org_text)
                elif org_text:
                    organization = org_text
        if country is None and T.is_national(key) and organization is None:
            country = self.country
        return Role(
            title=title, organization=organization,
            country=country[1] if country else None, current=not past,  # ISO 3166-1 alpha-2
            as_of=self.document.published,
            evidence=Evidence(sent.start_char, sent.end_char, sent.text),
        )


# --- finding mentions ------------------------------------------------------------------


def _name_runs(ctx: _Ctx) -> list[tuple[int, int, list[str]]]:
    """Maximal runs of capitalised words (with name connectors and embedded quoted
    nicknames), as (start, end, nicknames)."""
    doc = ctx.doc
    runs: list[tuple[int, int, list[str]]] = []
    i, n = 0, len(doc)
    while i < n:
        if ctx.in_quote[i] or not _is_cap_word(doc[i]) or i in ctx.blocked_tokens:
            i += 1
            continue
        j = i + 1
        nicks: list[str] = []
        sent_end = doc[i].sent.end
        while j < sent_end:
            tok = doc[j]
            if not ctx.in_quote[j] and _is_cap_word(tok) and j not in ctx.blocked_tokens:
                j += 1
                continue
            if tok.text == "-" and not doc[j - 1].whitespace_ and j + 1 < sent_end and \
                    _is_cap_word(doc[j + 1]) and not tok.whitespace_:
                j += 2
                continue
            if tok.lower_ in CONNECTORS:
                k = j + 1
                if k < sent_end and doc[k].lower_ in ("la", "los", "las"):
                    k += 1
                if k < sent_end and _is_cap_word(doc[k]) and not ctx.in_quote[k]:
                    j = k + 1
                    continue
            if tok.is_quote or tok.text in ("«", "“", '"'):
                # Joaquín “El Chapo” Guzmán
                k = j + 1
                while k < sent_end and ctx.in_quote[k] and k - j < 5:
                    k += 1
                if j + 1 < k < sent_end and (doc[k].is_quote or doc[k].text in ("»", "”", '"')) \
                        and k + 1 < sent_end and _is_cap_word(doc[k + 1]) \
                        and all(doc[x].text[:1].isupper() for x in range(j + 1, k)):
                    nicks.append(_span_text(doc, j + 1, k))
                    j = k + 2
                    continue
            break
        runs.append((i, j, nicks))
        i = j
    return runs


def _strip_run(ctx: _Ctx, s: int, e: int) -> tuple[int, int, tuple[int, str, bool] | None]:
    """Drop leading titles, demonyms, countries and function words from a run.
    Returns the new bounds and the title found inside the run (start, key, past)."""
    doc = ctx.doc
    title = None
    changed = True
    while changed and s < e:
        changed = False
        for L in range(min(T.MAX_TITLE_WORDS + 2, e - s), 0, -1):
            got = _title_at(doc, s, s + L)
            if got and s + L <= e:
                if s + L == e:
                    return e, e, (s, got[0], got[1])
                title = (s, got[0], got[1])
                s += L
                changed = True
                break
        if changed:
            continue
        tok = doc[s]
        k = _key(tok)
        if _country_of(tok.text) or k in T.PAST_MARKERS or k in T.TITLE_MODIFIERS or \
                tok.is_stop or k in ("vice", "acting"):
            s += 1
            changed = True
    # a title inside the run: "Sonora Governor Raúl Peña"
    for p in range(e - 2, s, -1):
        for L in range(min(T.MAX_TITLE_WORDS, e - p - 1), 0, -1):
            got = _title_at(doc, p, p + L)
            if got and got[0] not in T.FAMILY:
                return p + L, e, (p, got[0], got[1])
    # drop trailing connectors
    while e > s and doc[e - 1].lower_ in CONNECTORS:
        e -= 1
    return s, e, title


def _title_cased(sent: Span) -> bool:
    """A headline in Title Case: most of its (four or more) words are capitalised."""
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 4 and sum(t.text[0].isupper() for t in words) >= 0.7 * len(words)


def _glued_to_proper_name(doc: Doc, s: int, lo: int) -> bool:
    """Whether the run at ``s`` continues an organisation or place name: the word before
    (or before a connector) is a capitalised organisation/place word."""
    j = s - 1
    if j >= lo and doc[j].lower_ in CONNECTORS | {"la", "los", "las"}:
        j -= 1
        if j >= lo and doc[j].lower_ in CONNECTORS:
            j -= 1
    if j < lo or j == s - 1 and doc[j].whitespace_ == "":
        return False
    t = doc[j].text
    return bool(t[:1].isupper() and T.fold(t).rstrip(".") in NON_NAME_WORDS and
                not doc[j].is_stop and T.fold(t) not in ("the", "el", "la", "los", "las"))


def _speech_adjacent(ctx: _Ctx, s: int, e: int) -> bool:
    doc = ctx.doc
    lo, hi = ctx.sent_bounds(s)
    if e < hi and (doc[e].lower_ in T.SPEECH_VERBS or
                   (e + 1 < hi and doc[e].lower_ in ("has", "had", "also", "then")
                    and doc[e + 1].lower_ in T.SPEECH_VERBS)):
        return True
    if s - 1 >= lo and doc[s - 1].lower_ in T.SPEECH_VERBS:
        return True
    if s - 2 >= lo and doc[s - 2].lower_ == "according" and doc[s - 1].lower_ == "to":
        return True
    return False


def _roles_and_aliases(ctx: _Ctx, s: int, e: int, in_run_title: tuple[int, str, bool] | None
                       ) -> tuple[list[Role], list[str], bool]:
    """Roles and aliases stated around the name at [s, e); the bool says whether a
    title/apposition/alias context makes this surely a person."""
    doc = ctx.doc
    sent = doc[s].sent
    lo, hi = sent.start, sent.end
    roles: list[Role] = []
    aliases: list[str] = []
    strong = False

    def add(role: Role | None) -> None:
        if role and all(r.title != role.title or r.organization != role.organization
                        for r in roles):
            roles.append(role)

    # 1. title prefix, inside the capitalised run or just before it
    if in_run_title is not None:
        ts, key, past = in_run_title
        te = ts
        while te < s and _title_at(doc, ts, te + 1) is None:
            te += 1
        te += 1
        add(ctx.make_role(ts, min(te, s), key, past, sent))
        strong = True
    else:
        # allow up to two lowercase qualifiers/acronyms between title and name
        # ("la lideresa nasa Carmelina", "el mayor PNP Felipe")
        for gap in range(0, 3):
            end = s - gap
            if end - 1 < lo:
                break
            if gap and not all(doc[x].is_alpha and (doc[x].is_lower or doc[x].is_upper)
                               and doc[x].lower_ not in T.SPEECH_VERBS
                               and doc[x].lower_ not in PREPOSITIONS | DETERMINERS | CONNECTORS
                               and not doc[x].is_stop
                               for x in range(end, s)):
                break
            got = _longest_title_ending(doc, end, lo)
            if got:
                ts, key, past = got
                add(ctx.make_role(ts, end, key, past, sent))
                strong = True
                break
        else:
            # "exjefe de la Policía Federal chilena Marco Díaz"
            for p in range(max(lo, s - 9), s - 1):
                if doc[p].lower_ in ("de", "del", "of") and p - 1 >= lo:
                    got = _longest_title_ending(doc, p, lo)
                    if got and all(not doc[x].is_punct for x in range(p, s)):
                        ts, key, past = got
                        add(ctx.make_role(ts, p, key, past, sent, org_lo=p, org_hi=s))
                        strong = True
                        break

    # 2. pre-apposition: "the new interior minister, NAME" / "el ministro de Defensa, NAME"
    if s - 1 > lo and doc[s - 1].text == ",":
        seg_hi = s - 1
        seg_lo = seg_hi - 1
        while seg_lo > lo and doc[seg_lo - 1].text not in (",", ";", ":", "—", "–", "(") \
                and seg_hi - seg_lo < 16:
            seg_lo -= 1
        best = None
        for ts, te, key, past in _titles_in(doc, seg_lo, seg_hi):
            tail = list(range(te, seg_hi))
            if not tail or (doc[te].lower_ in PREPOSITIONS and len(tail) <= 12):
                best = (ts, te, key, past)
                break
        if best:
            ts, te, key, past = best
            add(ctx.make_role(ts, te, key, past, sent, org_lo=te, org_hi=seg_hi,
                              mod_lo=seg_lo))
            strong = True

    # 3. post-apposition: "NAME, a spokesman for X" / "NAME, alias “X”, the leader of X"
    j = e
    rounds = 0
    while j < hi and doc[j].text == "," and rounds < 3:
        rounds += 1
        a = j + 1
        b = a
        while b < hi and doc[b].lower_ not in APPOSITION_STOPS:
            b += 1
        if b == a:
            break
        seg = [doc[x] for x in range(a, b)]
        first = seg[0].lower_
        if first == "alias" or (len(seg) > 1 and (first, seg[1].lower_) in
                                (("known", "as"), ("conocido", "como"), ("conocida", "como"))):
            k = a + (1 if first == "alias" else 2)
            # the alias may be quoted (and then contains commas inside the quote)
            if k < hi and doc[k].is_quote or (k < hi and doc[k].text in ("«", "“", '"')):
                q = k + 1
                while q < hi and not (doc[q].is_quote or doc[q].text in ("»", "”", '"')):
                    q += 1
                if q > k + 1:
                    aliases.append(_span_text(doc, k + 1, q).rstrip(",."))
                b = q + 1
                while b < hi and doc[b].text in (",", ".") and doc[b].text != ",":
                    b += 1
            elif k < b:
                aliases.append(_span_text(doc, k, b))
            strong = True
            j = b
            continue
        if all(t.like_num or t.text in ("-",) for t in seg):  # age: "Julio Rojas, 44,"
            j = b
            continue
        found = _titles_in(doc, a, b)
        if found and found[0][0] - a <= 6:
            skip_until = -1
            for n, (ts, te, key, past) in enumerate(found):
                if ts < skip_until:
                    continue
                if te < b and doc[te].text in ("’s", "'s", "’", "'"):
                    continue  # "the activist’s daughter": a possessor, not a role
                nxt = found[n + 1][0] if n + 1 < len(found) else b
                org_hi = te
                if te < b and doc[te].lower_ in PREPOSITIONS:
                    org_hi = te
                    while org_hi < nxt and doc[org_hi].lower_ not in ("and", "y", "who"):
                        org_hi += 1
                if key in T.FAMILY:
                    # "hermana de la concejala y ministra de ..." → skip the relative
                    q = te
                    while q < b and doc[q].lower_ not in ("and", "y"):
                        q += 1
                    skip_until = q
                    strong = True
                    continue
                add(ctx.make_role(ts, te, key, past, sent, org_lo=te, org_hi=org_hi,
                                  mod_lo=a))
                strong = True
        break
    return roles, aliases, strong


def _accept_listed(doc: Doc, out: list[_Mention], pending: list[_Mention]) -> None:
    """Full names listed next to a known person are people too: "Latavia McGee, Eric
    Williams, Shaeed Woodard y Zindell Brown" (repeated until nothing changes)."""
    list_seps = (",", "y", "and", "e", "—", "–")
    changed = True
    while changed and pending:
        changed = False
        ends = {m.end: m for m in out if m.strong and len(m.words) >= 2}
        starts = {m.start: m for m in out if m.strong and len(m.words) >= 2}
        for m in list(pending):
            left = m.start - 1 >= 0 and doc[m.start - 1].text in list_seps and \
                (m.start - 1) in ends
            right = m.end < len(doc) and doc[m.end].text in list_seps and \
                (m.end + 1) in starts
            if left or right:
                m.strong = True
                out.append(m)
                pending.remove(m)
                changed = True


def _find_mentions(ctx: _Ctx) -> list[_Mention]:
    doc = ctx.doc
    out: list[_Mention] = []
    pending: list[_Mention] = []
    for rs, re_, nicks in _name_runs(ctx):
        s, e, in_title = _strip_run(ctx, rs, re_)
        if e <= s:
            continue
        words = [doc[x].text for x in range(s, e) if doc[x].text != "-" and
                 not ctx.in_quote[x] and not doc[x].is_quote and doc[x].text not in "«»“”\""]
        # glue hyphenated parts back: "Jean - Pierre"
        form = _span_text(doc, s, e)
        name_words = [w for w in re.sub(r"[“”«»\"][^“”«»\"]*[“”«»\"]", " ", form).split()]
        if not name_words:
            continue
        folded = [T.fold(w).rstrip(".") for w in name_words]
        if any(f in NON_NAME_WORDS for f, w in zip(folded, name_words) if w[:1].isupper()):
            continue
        if any(_country_of(w) for w in name_words) or ctx.is_place(s, e):
            continue
        if len(name_words) == 1 and (doc[s].tag_ in ("NN", "NNS") or
                                     doc[s].tag_[:2] in ("VB", "JJ", "RB")):
            continue  # "Prosecutors said", "Critics say"
        sent = doc[s].sent
        if len(name_words) == 1 and _title_cased(sent):
            continue  # headline: "Will The New Minister Calm The Valley?"
        # the portfolio of a title: "ministro de Defensa", "Minister of the Interior"
        if any(_title_at(doc, ts, e) for ts in range(max(sent.start, s - 4), s)):
            continue
        lo = sent.start
        before = doc[s - 1] if s - 1 >= lo else None
        after = doc[e] if e < sent.end else None
        if before is not None and T.fold(before.text) in {T.fold(x) for x in FACILITY_BEFORE}:
            continue
        if after is not None and T.fold(after.text) in FACILITY_AFTER:
            continue
        # part of a longer proper name: "Río de Janeiro", "Policía Civil", "municipio de X"
        if before is not None and (_glued_to_proper_name(doc, s, lo) or (
                before.lower_ in ("de", "del", "of") and s - 2 >= lo
                and T.fold(doc[s - 2].text) in PLACE_NOUNS)):
            continue
        # byline: "By NAME" / "Por NAME" at the start of a line
        if before is not None and before.text in ("By", "Por") and \
                (before.i == 0 or "\n" in doc[before.i - 1].text_with_ws
                 or (before.i > 0 and "\n" in doc[before.i - 1].whitespace_)):
            continue
        roles, aliases, strong = _roles_and_aliases(ctx, s, e, in_title)
        if in_title is None and s > rs:
            pass
        strong = strong or _speech_adjacent(ctx, s, e)
        is_person_ent = any(x in ctx.person_tokens for x in range(s, e))
        given = folded[0] in GIVEN_NAMES and len(name_words) >= 2
        if not (strong or given or (is_person_ent and len(name_words) >= 2)):
            mention = _Mention(s, e, name_words, form, sent, False, [], nicks,
                               doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text))
            if is_person_ent or len(name_words) == 1:
                # weak single-word mention: kept only if it matches a full name later
                out.append(mention)
            else:
                pending.append(mention)
            continue
        out.append(_Mention(s, e, name_words, form, sent, True, roles, aliases + nicks,
                            doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)))
    _accept_listed(doc, out, pending)
    out.extend(_known_as_people(ctx, {m.start for m in out}))
    out.sort(key=lambda m: m.start)
    return out


def _known_as_people(ctx: _Ctx, taken: set[int]) -> list[_Mention]:
    """“a man known as “Guacho”” – a person named only by a nickname."""
    doc = ctx.doc
    out: list[_Mention] = []
    for tok in doc:
        if not (tok.is_quote or tok.text in ("“", "«", '"')) or tok.i + 1 >= len(doc):
            continue
        i = tok.i
        if i < 3:
            continue
        prev = [doc[i - 2].lower_, doc[i - 1].lower_]
        if prev not in (["known", "as"], ["conocido", "como"], ["conocida", "como"]):
            continue
        noun = doc[i - 3]
        if T.fold(noun.text) not in KNOWN_AS_NOUNS and not _country_of(noun.text):
            continue
        q = i + 1
        while q < len(doc) and ctx.in_quote[q]:
            q += 1
        if q == i + 1 or q - i > 5:
            continue
        if not all(doc[x].text[:1].isupper() for x in range(i + 1, q) if doc[x].is_alpha):
            continue
        text = _span_text(doc, i + 1, q).rstrip(",.")
        words = text.split()
        sent = tok.sent
        out.append(_Mention(i + 1, q, words, text, sent, True, [], [],
                            doc[i + 1].idx, doc[i + 1].idx + len(text)))
    return out


# --- merging ---------------------------------------------------------------------------


def _fold_words(words: list[str]) -> list[str]:
    return [T.fold(w).rstrip(".") for w in words]


def _is_part(short: list[str], full: list[str]) -> bool:
    """Whether ``short`` is a contiguous part of ``full`` that does not start with the
    given name: "Humala" of "Ollanta Humala", "Quispe Palomino" of "Víctor Quispe
    Palomino"; the whole name itself also counts."""
    if short == full:
        return True
    n = len(short)
    if n >= len(full):
        return False
    for i in range(1, len(full) - n + 1):
        if full[i:i + n] == short:
            return True
    return False


def _cluster(mentions: list[_Mention]) -> list[_Person]:
    strong_full = [m for m in mentions if m.strong and len(m.words) >= 2]
    people: list[_Person] = []
    by_key: dict[tuple[str, ...], _Person] = {}
    # full names first, in text order; a full name that is a part of an earlier one
    # joins it ("Guzmán López" after "Ovidio Guzmán López")
    for m in mentions:
        if m not in strong_full:
            continue
        key = tuple(_fold_words(m.words))
        if key in by_key:
            by_key[key].mentions.append(m)
            continue
        host = None
        for p in reversed(people):
            if _is_part(list(key), _fold_words(p.full.words)):
                host = p
                break
        if host is None:
            host = _Person([m])
            people.append(host)
        else:
            host.mentions.append(m)
        by_key[key] = host
    # a later longer name that contains an earlier person's (multi-word) name
    for p in list(people):
        for q in people:
            if q is p or q not in people or p not in people:
                continue
            pf, qf = _fold_words(p.full.words), _fold_words(q.full.words)
            if len(pf) < len(qf) and _is_part(pf, qf) and p.mentions[0].start < q.mentions[0].start:
                q.mentions.extend(p.mentions)
                people.remove(p)
                break
    # short / weak mentions
    for m in mentions:
        if m in strong_full:
            continue
        key = _fold_words(m.words)
        cands = [p for p in people if _is_part(key, _fold_words(p.full.words))
                 or key == _fold_words(p.full.words)[:1] and False]
        if cands:
            # the person named first in the article: it is usually the subject, and
            # later relatives/namesakes are introduced with their full names
            host = min(cands, key=lambda p: p.mentions[0].start)
            host.mentions.append(m)
            continue
        # nickname of a known person ("Otoniel" after "…, alias “Otoniel”")
        nick_host = None
        for p in people:
            if any(T.fold(a) == " ".join(key) for x in p.mentions for a in x.aliases):
                nick_host = p
        if nick_host is not None:
            nick_host.mentions.append(m)
            continue
        if m.strong:
            same = [p for p in people if _fold_words(p.full.words) == key]
            if same:
                same[0].mentions.append(m)
            else:
                people.append(_Person([m]))
    # a single-word person may have been created before its full name; merge now
    for p in [p for p in people if len(p.full.words) == 1]:
        key = _fold_words(p.full.words)
        hosts = [q for q in people if q is not p and _is_part(key, _fold_words(q.full.words))]
        if hosts:
            hosts[0].mentions.extend(p.mentions)
            people.remove(p)
    people.sort(key=lambda p: min(m.start for m in p.mentions))
    return people


def _to_actor(p: _Person, document: Document, ctx: _Ctx) -> Actor:
    mentions = sorted(p.mentions, key=lambda m: m.start)
    canonical = " ".join(p.full.words)
    aliases: list[str] = []
    for m in mentions:
        for a in [m.form, " ".join(m.words)] + m.aliases:
            a = a.strip(" ,.")
            if a and a not in aliases:
                aliases.append(a)
    roles: list[Role] = []
    for m in mentions:
        for r in m.roles:
            # "Minister Ruiz" after "then-Interior Minister Ana Ruiz" adds nothing
            if all(r.title != x.title and not x.title.endswith(" " + r.title)
                   or r.organization not in (None, x.organization) for x in roles):
                roles.append(r)
    evidence: list[Evidence] = []
    seen: set[int] = set()
    for m in mentions:
        if m.sent.start_char not in seen:
            seen.add(m.sent.start_char)
            evidence.append(Evidence(m.sent.start_char, m.sent.end_char, m.sent.text))
    country = None
    for r in roles:
        if r.country:
            country = r.country
            break
    first = mentions[0]
    return Actor(
        id=stable_id("actor", document.id, first.char_start, canonical),
        name=first.form, canonical=canonical, kind="person", aliases=aliases, roles=roles,
        country=country, known=False, evidence=evidence,
    )


def person_mentions(sdoc: Doc, document: Document) -> list[tuple[int, int, str]]:
    """Character spans of every person mention kept by :func:`extract_people`, with the
    canonical name they were attributed to (for debugging and other extractors)."""
    ctx = _Ctx(sdoc, document)
    out = []
    for p in _cluster(_find_mentions(ctx)):
        canonical = " ".join(p.full.words)
        for m in p.mentions:
            out.append((m.char_start, m.char_end, canonical))
    return sorted(out)


def extract_people(sdoc: Doc, document: Document) -> list[Actor]:
    """Every person named in the article, merged within the document (see module doc)."""
    if doc_text(sdoc) != document.text:
        raise ValueError(f"document {document.id}: spaCy Doc text differs from document text")
    ctx = _Ctx(sdoc, document)
    people = _cluster(_find_mentions(ctx))
    return [_to_actor(p, document, ctx) for p in people]
