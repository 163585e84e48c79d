"""Small hand-built records for trying the workbench and for its tests.

:func:`demo_results` returns two articles (written for Cronica, invented outlets) whose
records carry exact evidence offsets; one article's text contains markup-like text
(``<script>``) so pages can be checked for escaping.
"""

from __future__ import annotations

from cronica.records import (
    Actor, ActorRef, Count, Document, Evidence, ExtractionResult, Figure, Incident, Location, Quote,
)


def _ev(text: str, phrase: str, after: int = 0) -> Evidence:
    start = text.index(phrase, after)
    return Evidence(start, start + len(phrase), phrase)


def demo_results() -> list[ExtractionResult]:
    """Two articles: a Mexican one (two incidents, a figure, a quote) and a Colombian one
    (two incidents, a figure) whose text includes ``<script>alert('x')</script>``."""
    t1 = ("Gunmen attack convoy near Culiacan\n\n"
          "CULIACAN, March 3, 2020 - Gunmen of the Sinaloa Cartel ambushed a police convoy outside Culiacan, "
          "killing four officers and wounding two, officials said.\n\n"
          "Separately, marines arrested 12 suspects in Los Mochis.\n\n"
          "The state prosecutor said homicides in Sinaloa reached 1,000 in 2019. "
          "\"We will not be intimidated,\" said Governor Quirino Ordaz.")
    d1 = Document(id="doc_demo_mx", text=t1, url="https://example.org/mx/convoy", title="Gunmen attack convoy near Culiacan",
                  outlet="Example Noticias", published="2020-03-03", language="en")
    s1 = _ev(t1, "Gunmen of the Sinaloa Cartel ambushed a police convoy outside Culiacan, killing four officers "
                 "and wounding two, officials said.")
    cartel = Actor(id="act_demo_sinaloa", name="Sinaloa Cartel", canonical="Sinaloa Cartel", kind="criminal_group",
                   aliases=["Sinaloa Cartel", "Cartel de Sinaloa"], country="MX", known=True,
                   evidence=[_ev(t1, "Sinaloa Cartel")])
    police = Actor(id="act_demo_police_mx", name="police", canonical="Mexican Police", kind="state_force",
                   country="MX", evidence=[_ev(t1, "police convoy")])
    marines = Actor(id="act_demo_marines", name="marines", canonical="Mexican Navy", kind="state_force",
                    country="MX", evidence=[_ev(t1, "marines")])
    i1 = Incident(id="inc_demo_ambush", type="ambush", date="2020-03-03", date_precision="day",
                  location=Location(name="Culiacan", admin1="Sinaloa", country="MX", lat=24.8, lon=-107.39,
                                    precision="locality", evidence=_ev(t1, "Culiacan", s1.start)),
                  perpetrators=[ActorRef("Sinaloa Cartel", "Sinaloa Cartel", cartel.id, "criminal_group",
                                         _ev(t1, "Sinaloa Cartel"))],
                  targets=[ActorRef("police convoy", "Mexican Police", police.id, "state_force",
                                    _ev(t1, "police convoy"))],
                  killed=Count(4, "exact", _ev(t1, "killing four officers")),
                  wounded=Count(2, "exact", _ev(t1, "wounding two")),
                  evidence=[s1], trigger=_ev(t1, "ambushed"), date_evidence=_ev(t1, "March 3, 2020"))
    s2 = _ev(t1, "Separately, marines arrested 12 suspects in Los Mochis.")
    i2 = Incident(id="inc_demo_arrest", type="arrest_capture", date="2020-03", date_precision="month",
                  location=Location(name="Los Mochis", admin1="Sinaloa", country="MX", lat=25.79, lon=-108.99,
                                    precision="locality", evidence=_ev(t1, "Los Mochis")),
                  perpetrators=[ActorRef("marines", "Mexican Navy", marines.id, "state_force", _ev(t1, "marines"))],
                  arrested=Count(12, "exact", _ev(t1, "arrested 12 suspects")), evidence=[s2])
    f1 = Figure(id="fig_demo_hom_2019", indicator="homicides", value=1000, unit="people", period="2019",
                place="Sinaloa", place_country="MX", attributed_to="state prosecutor",
                evidence=_ev(t1, "homicides in Sinaloa reached 1,000 in 2019"))
    q1 = Quote(id="quo_demo_ordaz", text="We will not be intimidated", speaker="Quirino Ordaz", speaker_role="Governor",
               evidence=_ev(t1, "We will not be intimidated"))
    r1 = ExtractionResult(document=d1, incidents=[i1, i2], actors=[cartel, police, marines], figures=[f1],
                          quotes=[q1], extractor="demo")

    t2 = ("Clan del Golfo blamed for Uraba killings\n\n"
          "APARTADO, June 5, 2018 - Members of the Clan del Golfo killed three farmers in Apartado, police said. "
          "A flyer left at the scene read <script>alert('x')</script> and threatened others.\n\n"
          "In Turbo, a bomb damaged a police station in May 2018; nobody was hurt.\n\n"
          "The army estimated the group had 1,500 members in 2018.")
    d2 = Document(id="doc_demo_co", text=t2, url="https://example.org/co/uraba", title="Clan del Golfo blamed for Uraba killings",
                  outlet="Example Diario", published="2018-06-05", language="en")
    clan = Actor(id="act_demo_clan", name="Clan del Golfo", canonical="Clan del Golfo", kind="armed_group",
                 aliases=["Clan del Golfo", "Urabeños"], country="CO", known=True, evidence=[_ev(t2, "Clan del Golfo")])
    s3 = _ev(t2, "Members of the Clan del Golfo killed three farmers in Apartado, police said.")
    i3 = Incident(id="inc_demo_murder", type="murder", date="2018-06-05", date_precision="day",
                  location=Location(name="Apartado", admin1="Antioquia", country="CO", lat=7.88, lon=-76.63,
                                    precision="locality", evidence=_ev(t2, "Apartado", s3.start)),
                  perpetrators=[ActorRef("Clan del Golfo", "Clan del Golfo", clan.id, "armed_group",
                                         _ev(t2, "Clan del Golfo", s3.start))],
                  targets=[ActorRef("farmers", None, None, "person", _ev(t2, "three farmers"))],
                  killed=Count(3, "exact", _ev(t2, "killed three farmers")), evidence=[s3])
    s4 = _ev(t2, "In Turbo, a bomb damaged a police station in May 2018; nobody was hurt.")
    i4 = Incident(id="inc_demo_bomb", type="bombing", date="2018-05", date_precision="month",
                  location=Location(name="Turbo", admin1="Antioquia", country="CO", lat=8.09, lon=-76.73,
                                    precision="locality", evidence=_ev(t2, "Turbo")),
                  evidence=[s4], date_evidence=_ev(t2, "May 2018"))
    f2 = Figure(id="fig_demo_clan_size", indicator="group_size", subject="Clan del Golfo", value=1500,
                unit="members", period="2018", place_country="CO", attributed_to="army",
                evidence=_ev(t2, "the group had 1,500 members in 2018"))
    r2 = ExtractionResult(document=d2, incidents=[i3, i4], actors=[clan], figures=[f2], extractor="demo")
    return [r1, r2]
