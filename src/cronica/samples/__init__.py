"""Eight short sample articles bundled with Cronica, and what each one reports.

The articles (``*.txt`` and ``*.html`` in this folder) were written for Cronica about
real, well-known incidents in Latin America; outlets, bylines and URLs are invented
(``example.org`` / ``example.com``), quotations are composed paraphrases, and minor
figures (residents, relatives, analysts, spokespeople marked in README.md) are fictional.
They are demo and test material, **not** a factual source.

* Plain text: first line the headline, second line a dateline or byline carrying the
  publication date, then one paragraph per line (blank lines between paragraphs).
* HTML: full pages with ``<title>``, ``og:site_name``, ``article:published_time``, a
  navigation bar and the story inside ``<article>``; ``litoral-prison-2021.html`` is
  deliberately buried in boilerplate (cookie banner, share bar, newsletter box,
  "Related Content" and "Most read" teasers naming *other* incidents, footer).

:data:`SAMPLES` describes every article and the incidents a good extractor should find
(README.md says the same in prose).  Incidents named only in boilerplate are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SAMPLES_DIR", "ARTICLE_SUFFIXES", "ExpectedIncident", "SampleArticle", "SAMPLES",
           "sample_paths", "sample"]

SAMPLES_DIR: Path = Path(__file__).resolve().parent
ARTICLE_SUFFIXES: tuple[str, ...] = (".txt", ".html")

Count = tuple[int, str]  # (value, qualifier) with qualifier in records.QUALIFIERS


@dataclass(frozen=True, slots=True)
class ExpectedIncident:
    """One incident an article reports, in the vocabulary of ``cronica.records``.

    ``date`` is ``YYYY-MM-DD``/``YYYY-MM``/``YYYY`` (resolved against the publication
    date), ``place`` the most specific place as written (``None`` when the article gives
    none), counts are ``(value, qualifier)`` or ``None`` when the article gives no number.
    ``perpetrators`` are canonical names as in the news-dev annotation guidelines.
    """

    type: str
    status: str
    date: str | None
    place: str | None
    admin1: str | None
    country: str | None
    perpetrators: tuple[str, ...] = ()
    killed: Count | None = None
    wounded: Count | None = None
    kidnapped: Count | None = None
    arrested: Count | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class SampleArticle:
    """A bundled article: file name, language, main country, publication date, headline."""

    file: str
    language: str
    country: str
    published: str
    title: str
    incidents: tuple[ExpectedIncident, ...] = field(default_factory=tuple)

    @property
    def path(self) -> Path:
        return SAMPLES_DIR / self.file


E = ExpectedIncident

SAMPLES: tuple[SampleArticle, ...] = (
    SampleArticle(
        "vrae-sanabamba-2009.txt", "en", "PE", "2009-04-10",
        "Thirteen soldiers killed in Shining Path ambush in Peru's VRAE",
        (
            E("ambush", "current", "2009-04-09", "Sanabamba", "Ayacucho", "PE",
              ("Shining Path",), killed=(13, "exact"), wounded=(3, "exact"),
              arrested=(0, "exact"), note="patrol on foot fired on from a ridge; 'on Thursday'"),
            E("arrest_capture", "background", "1992-09", "Lima", "Lima", "PE",
              note="capture of Abimael Guzmán; the captor is not named"),
            E("ambush", "background", "2008-10", "Huancavelica", "Huancavelica", "PE",
              ("Shining Path",), killed=(12, "at_least"),
              note="'more than a dozen soldiers and civilians' on a convoy"),
        ),
    ),
    SampleArticle(
        "culiacan-2019.txt", "en", "MX", "2019-10-18",
        "Mexico let El Chapo's son go to end Culiacán siege, security chief says",
        (
            E("arrest_capture", "current", "2019-10-17", "Tres Ríos", "Sinaloa", "MX",
              ("Mexican Armed Forces",), arrested=(1, "exact"),
              note="Ovidio Guzmán López detained by soldiers and National Guard, then released"),
            E("armed_clash", "current", "2019-10-17", "Culiacán", "Sinaloa", "MX",
              ("Sinaloa Cartel",), killed=(8, "at_least"),
              note="gunmen vs troops; dead include a National Guard member and a civilian"),
            E("other", "current", "2019-10-17", "Aguaruto prison", "Sinaloa", "MX",
              note="prison escape; 'dozens of inmates' is vague, so no count"),
            E("arrest_capture", "background", "2016-01", "Los Mochis", "Sinaloa", "MX",
              ("Mexican Navy",), note="recapture of Joaquín Guzmán by marines"),
            E("other", "background", "2017", None, None, "MX",
              note="extradition of Joaquín Guzmán 'the following year'"),
            E("other", "background", "2019-07", "New York", None, "US",
              note="life sentence for Joaquín Guzmán in a federal court"),
        ),
    ),
    SampleArticle(
        "el-comercio-2018.txt", "es", "EC", "2018-04-13",
        "Moreno confirma el asesinato del equipo de El Comercio secuestrado en la frontera norte",
        (
            E("murder", "current", "2018-04", None, None, "EC",
              ("Frente Oliver Sinisterra",), killed=(3, "exact"),
              note="killing confirmed on 2018-04-13; the day and place of death are not given"),
            E("kidnapping", "current", "2018-03-26", "Mataje", "Esmeraldas", "EC",
              ("Frente Oliver Sinisterra",), kidnapped=(3, "exact"),
              note="journalist, photographer and driver; follow-up coverage, so current"),
            E("bombing", "background", "2018-01-27", "San Lorenzo", "Esmeraldas", "EC",
              killed=(0, "exact"), wounded=(28, "exact"),
              note="car bomb at the police barracks; not attributed in the text"),
            E("ambush", "background", "2018-03-20", "Mataje", "Esmeraldas", "EC",
              killed=(4, "exact"), note="explosive against a passing patrol (type_alt bombing)"),
        ),
    ),
    SampleArticle(
        "otoniel-2021.txt", "es", "CO", "2021-10-24",
        "Cae alias Otoniel, jefe del Clan del Golfo, en una operación en la selva de Urabá",
        (
            E("arrest_capture", "current", "2021-10-23", "Necoclí", "Antioquia", "CO",
              ("Colombian Army", "Colombian National Police"), arrested=(1, "exact"),
              note="Operación Osiris; 'más de 500' troops and 22 helicopters"),
            E("armed_clash", "background", "2012-01-01", "Acandí", "Chocó", "CO",
              ("Colombian National Police",), killed=(1, "exact"),
              note="Juan de Dios Úsuga, alias Giovanni, killed in a police operation"),
            E("other", "hypothetical", None, None, None, "CO",
              note="announced extradition to the United States"),
        ),
    ),
    SampleArticle(
        "uraba-cocaine-2017.txt", "en", "CO", "2017-11-09",
        "Colombian police seize 12 tonnes of cocaine on Urabá farms in record haul",
        (
            E("drug_seizure", "current", "2017-11-08", "Urabá", "Antioquia", "CO",
              ("Colombian National Police",),
              note="about 12 tonnes on four farms, owned by the Clan del Golfo; announced Wednesday"),
            E("other", "aggregate", "2015", "Urabá", "Antioquia", "CO",
              ("Colombian National Police",),
              note="Operation Agamenón, a campaign against the Clan del Golfo since 2015"),
        ),
    ),
    SampleArticle(
        "epp-concepcion-2016.html", "es", "PY", "2016-08-28",
        "Emboscada del EPP mata a ocho militares en Concepción",
        (
            E("ambush", "current", "2016-08-27", "Arroyito", "Concepción", "PY",
              ("EPP",), killed=(8, "exact"), arrested=(0, "exact"),
              note="explosive then rifle fire on a task-force pickup"),
            E("kidnapping", "background", "2016-07", None, None, "PY",
              ("EPP",), kidnapped=(1, "exact"), note="Franz Wiebe, a Mennonite teenager"),
            E("kidnapping", "background", "2014-07", "Arroyito", "Concepción", "PY",
              ("EPP",), kidnapped=(1, "exact"), note="police officer Edelio Morínigo"),
        ),
    ),
    SampleArticle(
        "bogota-police-academy-2019.html", "en", "CO", "2019-01-19",
        "Colombia blames ELN for Bogotá police academy car bomb, ends peace talks",
        (
            E("bombing", "current", "2019-01-17", "General Santander police cadet school",
              "Bogotá", "CO", ("ELN",), killed=(21, "exact"), wounded=(68, "at_least"),
              note="car bomb; the 21 dead include the driver"),
            E("bombing", "background", "2003", "El Nogal social club", "Bogotá", "CO",
              killed=(36, "exact"), note="perpetrator not named in the text"),
            E("bombing", "background", "2017-02", "Santamaría bullring", "Bogotá", "CO",
              ("ELN",), killed=(1, "exact"), wounded=(20, "at_least"),
              note="'more than twenty' wounded"),
        ),
    ),
    SampleArticle(
        "litoral-prison-2021.html", "en", "EC", "2021-09-30",
        "At least 116 inmates killed in Guayaquil prison massacre",
        (
            E("prison_riot", "current", "2021-09-28", "Litoral Penitentiary", "Guayas", "EC",
              ("Los Choneros", "Los Lobos", "Chone Killers", "Los Tiguerones"),
              killed=(116, "at_least"), wounded=(80, "about"),
              note="gang war inside the prison; boilerplate teasers are NOT incidents"),
            E("prison_riot", "background", "2021-02", "Guayaquil, Cuenca and Latacunga", None,
              "EC", killed=(79, "exact"), note="coordinated riots in three prisons"),
        ),
    ),
)


def sample_paths() -> list[Path]:
    """The bundled article files (``.txt`` and ``.html``), sorted by name."""
    return sorted(p for p in SAMPLES_DIR.iterdir() if p.suffix in ARTICLE_SUFFIXES)


def sample(file: str) -> SampleArticle:
    """The description of one bundled article, by file name (``KeyError`` if unknown)."""
    for s in SAMPLES:
        if s.file == file:
            return s
    raise KeyError(f"{file}: not a bundled sample (known: {', '.join(s.file for s in SAMPLES)})")
