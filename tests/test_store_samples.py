"""Hand-built ExtractionResults for the store tests (texts written for these tests).

Import with ``from test_store_samples import ...``. The tests at the bottom check that the
samples keep the evidence contract (``text == document.text[start:end]``).
"""

from __future__ import annotations

from cronica.records import (
    Actor, ActorRef, Count, Document, Evidence, ExtractionResult, Figure, Incident, Location, Quote, Role,
)

URL_A = "https://news.example.org/2011/05/monterrey-convoy"
URL_B = "https://noticias.example.mx/2012/03/reynosa-secuestro"
URL_C = "https://news.example.org/2011/08/cauca-bomb"

TEXT_A = (
    "Gunmen from the Zetas cartel ambushed a state police convoy near Monterrey, Nuevo Leon, on Monday, "
    "killing at least six officers and wounding three, officials said. "
    "Governor Ramiro Estevez said the attack showed the group was desperate. "
    "\"We will not hand the highway to criminals,\" Estevez told reporters. "
    "Separately, the UN estimated that Colombia had 62,000 hectares of coca in 2010."
)
TEXT_B = (
    "Presuntos integrantes de Los Zetas secuestraron a dos comerciantes en Reynosa, Tamaulipas, en marzo. "
    "La policia estatal detuvo a cuatro sospechosos el 1 de marzo. "
    "El exgobernador Ramiro Estevez pidio mas apoyo federal. "
    "La Casa Blanca calculo que Colombia tenia 100.000 hectareas de coca en 2010."
)
TEXT_C = (
    "A motorcycle bomb exploded in Toribio, Cauca, on Sunday, killing about two people; "
    "the army blamed the FARC. Residents recalled a similar attack in 2009."
)


def ev(text: str, phrase: str, nth: int = 0) -> Evidence:
    """Evidence for the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Evidence(start, start + len(phrase), phrase)


def zetas(text: str, written: str, aliases: list[str]) -> Actor:
    return Actor(id="act_zetas", name=written, canonical="Los Zetas", kind="criminal_group", aliases=aliases,
                 country="MX", known=True, evidence=[ev(text, written)])


def estevez(text: str, written: str, role: Role) -> Actor:
    return Actor(id="act_estevez", name=written, canonical="Ramiro Estevez", kind="person",
                 aliases=[written], roles=[role], country="MX", evidence=[ev(text, written)])


def result_a(text: str = TEXT_A) -> ExtractionResult:
    doc = Document(id=Document.make_id(text, URL_A), text=text, url=URL_A, title="Convoy ambushed near Monterrey",
                   outlet="Example News", published="2011-05-10", language="en")
    ambush = Incident(
        id="inc_a1", type="ambush", date="2011-05-09", date_precision="day",
        location=Location(name="Monterrey", admin1="Nuevo Leon", country="MX", lat=25.67, lon=-100.31,
                          precision="locality", evidence=ev(text, "Monterrey")),
        perpetrators=[ActorRef("Zetas cartel", "Los Zetas", "act_zetas", "criminal_group",
                               ev(text, "Zetas cartel"))],
        targets=[ActorRef("state police convoy", None, None, "state_force", ev(text, "state police convoy"))],
        killed=Count(6, "at_least", ev(text, "at least six")), wounded=Count(3, "exact", ev(text, "three")),
        weapons=["firearm"],
        evidence=[ev(text, "Gunmen from the Zetas cartel ambushed a state police convoy near Monterrey")],
        trigger=ev(text, "ambushed"), date_evidence=ev(text, "Monday"),
    )
    role = Role("Governor", "Nuevo Leon state government", "MX", True, None, ev(text, "Governor"))
    return ExtractionResult(
        document=doc, incidents=[ambush],
        actors=[zetas(text, "Zetas cartel", ["Zetas", "Zetas cartel"]), estevez(text, "Ramiro Estevez", role)],
        figures=[Figure("fig_a1", "coca_hectares", 62000, subject="coca", unit="hectares", period="2010",
                        place="Colombia", place_country="CO", attributed_to="UN",
                        evidence=ev(text, "Colombia had 62,000 hectares of coca in 2010"))],
        quotes=[Quote("quo_a1", "We will not hand the highway to criminals", "Estevez", "Governor",
                      "act_estevez", ev(text, "We will not hand the highway to criminals"))],
        extractor="hand-built",
    )


def result_b() -> ExtractionResult:
    text = TEXT_B
    doc = Document(id=Document.make_id(text, URL_B), text=text, url=URL_B, title="Secuestran a comerciantes",
                   outlet="Noticias Ejemplo", published="2012-03-02", language="es")
    kidnap = Incident(
        id="inc_b1", type="kidnapping", date="2012-03", date_precision="month",
        location=Location(name="Reynosa", admin1="Tamaulipas", country="MX", lat=26.09, lon=-98.28,
                          precision="locality", evidence=ev(text, "Reynosa")),
        perpetrators=[ActorRef("Los Zetas", "Los Zetas", "act_zetas", "criminal_group", ev(text, "Los Zetas"))],
        targets=[ActorRef("dos comerciantes", None, None, "person", ev(text, "dos comerciantes"))],
        kidnapped=Count(2, "exact", ev(text, "dos")),
        evidence=[ev(text, "Presuntos integrantes de Los Zetas secuestraron a dos comerciantes en Reynosa")],
    )
    arrest = Incident(
        id="inc_b2", type="arrest_capture", date="2012-03-01", date_precision="day",
        location=Location(name="Reynosa", admin1="Tamaulipas", country="MX", precision="locality"),
        perpetrators=[ActorRef("La policia estatal", None, None, "state_force", ev(text, "La policia estatal"))],
        arrested=Count(4, "exact", ev(text, "cuatro")),
        evidence=[ev(text, "La policia estatal detuvo a cuatro sospechosos el 1 de marzo")],
    )
    role = Role("gobernador", None, "MX", False, "2012-03-02", ev(text, "exgobernador"))
    return ExtractionResult(
        document=doc, incidents=[kidnap, arrest],
        actors=[zetas(text, "Los Zetas", ["Los Zetas"]), estevez(text, "Ramiro Estevez", role)],
        figures=[Figure("fig_b1", "coca_hectares", 100000, subject="coca", unit="hectares", period="2010",
                        place="Colombia", place_country="CO", attributed_to="Casa Blanca",
                        evidence=ev(text, "Colombia tenia 100.000 hectareas de coca en 2010"))],
        extractor="hand-built",
    )


def result_c() -> ExtractionResult:
    text = TEXT_C
    doc = Document(id=Document.make_id(text, URL_C), text=text, url=URL_C, title="Bomb in Cauca",
                   outlet="Example News", published="2011-08-15", language="en")
    bomb = Incident(
        id="inc_c1", type="bombing", date="2011-08-14", date_precision="day",
        location=Location(name="Toribio", admin1="Cauca", country="CO", lat=2.95, lon=-76.27,
                          precision="locality", evidence=ev(text, "Toribio")),
        perpetrators=[ActorRef("FARC", "FARC", "act_farc", "armed_group", ev(text, "FARC"))],
        killed=Count(2, "about", ev(text, "about two")), weapons=["explosives"],
        evidence=[ev(text, "A motorcycle bomb exploded in Toribio, Cauca, on Sunday")],
    )
    older = Incident(id="inc_c2", type="attack", status="background", date="2009", date_precision="year",
                     location=Location(name="Toribio", country="CO"),
                     evidence=[ev(text, "a similar attack in 2009")])
    farc = Actor(id="act_farc", name="FARC", canonical="Revolutionary Armed Forces of Colombia",
                 kind="armed_group", aliases=["FARC"], country="CO", known=True, evidence=[ev(text, "FARC")])
    return ExtractionResult(document=doc, incidents=[bomb, older], actors=[farc], extractor="hand-built")


def all_results() -> list[ExtractionResult]:
    return [result_a(), result_b(), result_c()]


def _evidences(obj: object) -> list[Evidence]:
    found: list[Evidence] = []
    if isinstance(obj, Evidence):
        return [obj]
    if isinstance(obj, list):
        for x in obj:
            found += _evidences(x)
    elif hasattr(obj, "__dataclass_fields__"):
        for name in obj.__dataclass_fields__:  # type: ignore[attr-defined]
            found += _evidences(getattr(obj, name))
    return found


def test_samples_keep_the_evidence_contract() -> None:
    for res in all_results():
        evs = _evidences([res.incidents, res.actors, res.figures, res.quotes])
        assert evs, res.document.id
        for e in evs:
            assert res.document.text[e.start:e.end] == e.text


def test_samples_round_trip_through_dicts() -> None:
    for res in all_results():
        assert ExtractionResult.from_dict(res.to_dict()) == res
