"""Role-title, speech-verb and country vocabulary (English and Spanish) for people and
quote extraction.

Contract:

* :func:`match_title` recognises a role title made of 1–3 lower-cased word keys (the
  keys are produced by :func:`word_key`, which also folds "Col." → "col" and the common
  "minster" typo) and tells whether it is a *national* office (its country matters).
* :func:`normalise_title` turns the words as written into the stored title:
  English Title Case ("defense minister" → "Defense Minister", "Col." → "Colonel"),
  Spanish first-letter capitalised ("ministro de Defensa" → "Ministro de Defensa").
* :data:`COUNTRIES` maps country names and demonyms (EN/ES, folded) to
  ``(English name, ISO 3166-1 alpha-2)``.

Everything here is general vocabulary: no names of people or articles.
"""

from __future__ import annotations

import unicodedata

# --- words -----------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower-case and strip accents: "Vílchez" → "vilchez"."""
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).lower()


ABBREVIATIONS: dict[str, str] = {
    "col": "colonel", "gen": "general", "lt": "lieutenant", "maj": "major", "capt": "captain",
    "cpt": "captain", "sgt": "sergeant", "adm": "admiral", "cpl": "corporal", "sen": "senator",
    "rep": "representative", "gov": "governor", "pres": "president", "insp": "inspector",
    "supt": "superintendent", "cmdr": "commander", "cdr": "commander", "gral": "general",
    "cnel": "coronel", "tte": "teniente", "sgto": "sargento", "cap": "capitán", "dip": "diputado",
}
TYPOS: dict[str, str] = {"minster": "minister", "ministre": "minister", "goverment": "government"}


def word_key(word: str) -> str:
    """Lookup key of one written word: folded, trailing dot dropped, abbreviations and
    frequent typos expanded ("Col." → "colonel", "Minster" → "minister")."""
    w = fold(word).rstrip(".")
    w = TYPOS.get(w, w)
    return ABBREVIATIONS.get(w, w)


# --- titles ----------------------------------------------------------------------------

NATIONAL_TITLES: frozenset[str] = frozenset({
    # English
    "president", "vice president", "vice-president", "president-elect", "prime minister",
    "premier", "minister", "attorney general", "prosecutor general", "chief prosecutor",
    "foreign minister", "defense minister", "defence minister", "interior minister",
    "justice minister", "security minister", "finance minister", "economy minister",
    "government minister", "health minister", "energy minister", "mines minister",
    "public security minister", "ombudsman", "security secretary",
    # Spanish
    "presidente", "presidenta", "vicepresidente", "vicepresidenta", "presidente electo",
    "presidenta electa", "primer ministro", "primera ministra", "ministro", "ministra",
    "canciller", "fiscal general", "procurador general", "defensor del pueblo",
    "defensora del pueblo", "presidente del consejo de ministros",
    "presidenta del consejo de ministros", "comisionado nacional", "secretario", "secretaria",
})

OTHER_TITLES: frozenset[str] = frozenset({
    # English public / security / organisational roles
    "governor", "mayor", "senator", "congressman", "congresswoman", "lawmaker", "legislator",
    "deputy", "ambassador", "secretary", "security chief", "police chief", "chief",
    "commissioner", "judge", "magistrate", "prosecutor", "spokesman", "spokeswoman",
    "spokesperson", "director", "head", "leader", "top leader", "founder", "co-founder",
    "commander", "field commander", "top commander", "chief of staff", "general", "colonel",
    "lieutenant colonel", "major", "captain", "lieutenant", "sergeant", "admiral", "corporal",
    "officer", "police officer", "inspector", "superintendent", "representative", "councillor",
    "councilman", "councilwoman", "coordinator", "general coordinator", "chairman",
    "chairwoman", "drug lord", "kingpin", "boss", "ringleader",
    # English occupations and descriptions used for quoted or named people
    "researcher", "security researcher", "analyst", "security analyst", "criminologist",
    "expert", "professor", "journalist", "reporter", "photographer", "driver", "minibus driver",
    "bus driver", "taxi driver", "nurse", "vendor", "market vendor", "street vendor", "resident",
    "farmer", "activist", "lawyer", "attorney", "owner", "member", "survivor", "doctor",
    "teacher", "priest", "bishop", "businessman", "businesswoman", "official", "economist",
    "environmentalist", "trader", "shopkeeper", "student", "worker", "miner", "soldier",
    # Spanish
    "gobernador", "gobernadora", "alcalde", "alcaldesa", "senador", "senadora", "diputado",
    "diputada", "congresista", "concejal", "concejala", "comisionado", "comisionada", "jefe",
    "jefa", "director", "directora", "lider", "lideresa", "cabecilla", "fundador", "fundadora",
    "comandante", "comandante general", "vocero", "vocera", "portavoz", "coronel",
    "teniente coronel", "mayor", "capitan", "teniente", "sargento", "suboficial", "cabo",
    "agente", "juez", "jueza", "magistrado", "magistrada", "fiscal", "investigador",
    "investigadora", "analista", "periodista", "fotografo", "fotografa", "chofer", "conductor",
    "enfermera", "enfermero", "vendedor", "vendedora", "residente", "habitante", "poblador",
    "pobladora", "campesino", "campesina", "activista", "abogado", "abogada", "dueno", "duena",
    "propietario", "propietaria", "coordinador", "coordinadora", "coordinadora general",
    "miembro", "integrante", "sobreviviente", "funcionario", "funcionaria", "delantero",
    "futbolista", "empresario", "empresaria", "consejero", "consejera", "policia", "capo",
    "narcotraficante", "dirigente", "general",
})

# Titles that take their portfolio after "of"/"de": "minister of Defense", "ministro de Defensa".
PORTFOLIO_HEADS: frozenset[str] = frozenset({
    "minister", "ministro", "ministra", "secretary", "secretario", "secretaria",
    "comisionado", "comisionada", "commissioner",
})
# English "<portfolio> minister"/"<portfolio> secretary".
PORTFOLIOS: frozenset[str] = frozenset({
    "defense", "defence", "interior", "justice", "foreign", "finance", "economy", "security",
    "public security", "government", "health", "energy", "mines", "education", "labor",
    "labour", "agriculture", "environment", "transport", "women", "culture", "trade",
})

FAMILY: frozenset[str] = frozenset({
    "mother", "father", "son", "daughter", "brother", "sister", "wife", "husband", "uncle",
    "nephew", "niece", "cousin", "madre", "padre", "hijo", "hija", "hermano", "hermana",
    "esposa", "esposo", "tio", "tia", "sobrino", "sobrina", "primo", "prima",
})

ALL_TITLES: frozenset[str] = NATIONAL_TITLES | OTHER_TITLES
MAX_TITLE_WORDS = 5

# Modifiers in front of a title that say the role is over ("former", "then-", "ex").
PAST_MARKERS: frozenset[str] = frozenset({
    "former", "then", "ex", "ex-", "late", "erstwhile", "onetime", "one-time", "previous",
    "exministro", "antiguo", "antigua", "entonces", "otrora", "anterior",
})
# Other modifiers allowed between a possessive/determiner and the title.
TITLE_MODIFIERS: frozenset[str] = frozenset({
    "new", "current", "acting", "incoming", "outgoing", "top", "deputy", "senior", "chief",
    "nuevo", "nueva", "actual", "interino", "interina", "saliente", "entrante", "the", "a",
    "an", "el", "la", "un", "una", "its", "his", "her", "their", "su", "sus", "de", "del",
    "vice", "general", "national", "nacional", "regional", "local",
})

SMALL_WORDS: frozenset[str] = frozenset({
    "of", "for", "the", "and", "de", "del", "la", "las", "los", "y", "e", "en", "in", "at",
})


def match_title(keys: list[str]) -> str | None:
    """The canonical key of ``keys`` when they form a known title (portfolio forms
    included: "defense minister", "ministro de defensa"), else ``None``."""
    joined = " ".join(keys)
    if joined in ALL_TITLES or joined in FAMILY:
        return joined
    if len(keys) >= 2 and keys[-1] in ("minister", "secretary") and \
            " ".join(keys[:-1]) in PORTFOLIOS:
        return joined
    return None


def is_national(title_key: str) -> bool:
    """Whether a title names a national office (so the country is worth recording)."""
    key = title_key.split(" de ")[0].split(" del ")[0].split(" of ")[0]
    return title_key in NATIONAL_TITLES or key in NATIONAL_TITLES or \
        title_key.endswith(" minister") or title_key.endswith(" secretary")


def normalise_title(words: list[str], lang: str) -> str:
    """The stored form of a title as written: English in Title Case with abbreviations
    and typos fixed, Spanish with only the first letter capitalised."""
    out: list[str] = []
    for i, w in enumerate(words):
        key = fold(w).rstrip(".")
        if key in ABBREVIATIONS and (w.endswith(".") or len(words) == 1 or i == 0):
            w = ABBREVIATIONS[key]
        if key in TYPOS:
            w = TYPOS[key]
        w = w.rstrip(".") if key in ABBREVIATIONS else w
        if lang == "es":
            out.append(w[:1].upper() + w[1:] if i == 0 else w)
        elif i > 0 and key in SMALL_WORDS:
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in w.split("-")))
    text = " ".join(out)
    return text.replace(" - ", "-").replace("President-Elect", "President-elect")


# --- speech verbs ----------------------------------------------------------------------

SPEECH_VERBS: frozenset[str] = frozenset({
    # English
    "said", "says", "say", "saying", "told", "tells", "telling", "added", "adding", "declared",
    "declares", "declaring", "stated", "states", "insisted", "insists", "insisting",
    "explained", "explains", "wrote", "writes", "writing", "posted", "tweeted", "warned",
    "warns", "noted", "notes", "asked", "replied", "argued", "argues", "claimed", "claims",
    "announced", "expressed", "remarked", "continued", "recalled", "acknowledged", "admitted",
    "emphasized", "emphasised", "stressed", "concluded", "commented", "promised", "vowed",
    "urged", "complained", "lamented", "assured", "maintained", "affirmed", "according",
    "shouted", "cried", "pleaded", "confirmed", "denied", "predicted", "described",
    # Spanish
    "dijo", "dice", "decía", "afirmó", "afirma", "señaló", "señala", "declaró", "declara",
    "aseguró", "asegura", "explicó", "explica", "añadió", "agregó", "indicó", "indica",
    "sostuvo", "sostiene", "manifestó", "expresó", "advirtió", "advierte", "escribió",
    "publicó", "subrayó", "insistió", "precisó", "comentó", "apuntó", "destacó", "recalcó",
    "lamentó", "denunció", "según", "informó", "reiteró", "enfatizó", "admitió", "reconoció",
    "prometió", "pidió", "relató", "contó", "narró", "respondió", "concluyó", "aseveró",
    "detalló", "agregó", "remarcó", "confirmó", "aclaró", "exclamó", "gritó", "añade", "agrega",
})
# Verbs that *name* something rather than report speech ("what he called the ...").
NAMING_WORDS: frozenset[str] = frozenset({
    "called", "calls", "call", "calling", "named", "dubbed", "known", "so-called", "alias",
    "nicknamed", "labelled", "labeled", "branded", "termed", "as", "llamado", "llamada",
    "llama", "llamó", "denominado", "denominada", "autodenominado", "autodenominada",
    "conocido", "conocida", "conocidos", "conocidas", "apodado", "apodada", "alias",
    "mensaje", "message", "calificó", "como", "describes", "described", "dismissed",
    "dismisses",
})
PRONOUNS: frozenset[str] = frozenset({"he", "she", "él", "ella"})


# --- countries -------------------------------------------------------------------------

_COUNTRY_ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Peru", "PE", ("peru", "perú", "peruvian", "peruvians", "peruano", "peruana",
                    "peruanos", "peruanas")),
    ("Colombia", "CO", ("colombia", "colombian", "colombians", "colombiano", "colombiana",
                        "colombianos", "colombianas")),
    ("Mexico", "MX", ("mexico", "méxico", "mexican", "mexicans", "mexicano", "mexicana",
                      "mexicanos", "mexicanas")),
    ("Ecuador", "EC", ("ecuador", "ecuadorian", "ecuadorians", "ecuatoriano", "ecuatoriana",
                       "ecuatorianos", "ecuatorianas")),
    ("Venezuela", "VE", ("venezuela", "venezuelan", "venezuelans", "venezolano",
                         "venezolana", "venezolanos", "venezolanas")),
    ("Brazil", "BR", ("brazil", "brasil", "brazilian", "brazilians", "brasileño", "brasileña",
                      "brasileños", "brasileñas")),
    ("Bolivia", "BO", ("bolivia", "bolivian", "bolivians", "boliviano", "boliviana")),
    ("Paraguay", "PY", ("paraguay", "paraguayan", "paraguayans", "paraguayo", "paraguaya")),
    ("Chile", "CL", ("chile", "chilean", "chileans", "chileno", "chilena")),
    ("Argentina", "AR", ("argentina", "argentine", "argentinian", "argentino")),
    ("Uruguay", "UY", ("uruguay", "uruguayan", "uruguayo", "uruguaya")),
    ("Guatemala", "GT", ("guatemala", "guatemalan", "guatemalans", "guatemalteco",
                         "guatemalteca")),
    ("Honduras", "HN", ("honduras", "honduran", "hondurans", "hondureño", "hondureña")),
    ("El Salvador", "SV", ("el salvador", "salvadoran", "salvadorans", "salvadoreño",
                           "salvadoreña")),
    ("Nicaragua", "NI", ("nicaragua", "nicaraguan", "nicaragüense")),
    ("Costa Rica", "CR", ("costa rica", "costa rican", "costarricense")),
    ("Panama", "PA", ("panama", "panamá", "panamanian", "panameño", "panameña")),
    ("Cuba", "CU", ("cuba", "cuban", "cubano", "cubana")),
    ("Haiti", "HT", ("haiti", "haití", "haitian", "haitiano", "haitiana")),
    ("Dominican Republic", "DO", ("dominican republic", "república dominicana", "dominicano",
                                  "dominicana")),
    ("United States", "US", ("united states", "u.s.", "us", "estados unidos", "american",
                             "estadounidense", "ee.uu.", "ee. uu.")),
    ("Spain", "ES", ("spain", "españa", "spanish", "español", "española")),
)

COUNTRIES: dict[str, tuple[str, str]] = {
    fold(form): (name, iso) for name, iso, forms in _COUNTRY_ROWS for form in forms
}
