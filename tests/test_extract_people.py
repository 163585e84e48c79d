"""People, roles and aliases: the seed article (read from ../shared) and small texts
written for these tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cronica.records import Actor, Document

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_extract_people_newsdev import SHARED, nlp_for  # noqa: E402

SEED = SHARED / "seed" / "insightcrime-vrae-2011.txt"
SEED_END = "share icon"  # the page furniture after the article starts with the share-icon line

pytestmark = pytest.mark.slow


def seed_document() -> Document:
    text = SEED.read_text(encoding="utf-8")
    text = text[: text.index(SEED_END)].rstrip()  # page boilerplate follows
    try:
        from cronica.ingest.reader import read_text

        return read_text(text, published="2011-08-01", language="en")
    except ImportError:  # pragma: no cover
        return Document(id="seed", text=text, published="2011-08-01", language="en")


def people_of(text: str, lang: str = "en", published: str | None = "2024-01-05") -> list[Actor]:
    from cronica.extract.people import extract_people

    doc = Document(id="t", text=text, language=lang, published=published)
    actors = extract_people(nlp_for(lang)(text), doc)
    for a in actors:
        for ev in a.evidence + [r.evidence for r in a.roles if r.evidence]:
            assert text[ev.start:ev.end] == ev.text
    return actors


def by_name(actors: list[Actor], canonical: str) -> Actor:
    found = [a for a in actors if a.canonical == canonical]
    assert found, f"{canonical} not in {[a.canonical for a in actors]}"
    return found[0]


@pytest.fixture(scope="module")
def seed_people() -> tuple[Document, list[Actor]]:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    from cronica.extract.people import extract_people

    doc = seed_document()
    return doc, extract_people(nlp_for("en")(doc.text), doc)


def test_seed_people_and_roles(seed_people):
    doc, actors = seed_people
    humala = by_name(actors, "Ollanta Humala")
    assert "Humala" in humala.aliases
    assert any(r.title == "President" and r.country == "PE" and r.current for r in humala.roles)
    mora = by_name(actors, "Daniel Mora")
    assert any(r.title == "Defense Minister" and r.current for r in mora.roles)
    thorne = by_name(actors, "Jaime Thorne")
    assert any(r.title == "Defense Minister" and r.current is False for r in thorne.roles)
    valdes = by_name(actors, "Oscar Valdes Dancuart")
    assert any(r.title == "Interior Minister" for r in valdes.roles)
    chiabra = by_name(actors, "Roberto Chiabra")
    assert [(r.title, r.current) for r in chiabra.roles] == [("Defense Minister", False)]
    vq = by_name(actors, "Javier Velasquez Quesquen")
    assert any(r.title == "Prime Minister" and r.current is False for r in vq.roles)


def test_seed_records_are_well_formed(seed_people):
    doc, actors = seed_people
    names = [a.canonical for a in actors]
    assert len(names) == len(set(names)), "one actor per person"
    assert "Humala" not in names  # merged with Ollanta Humala
    for a in actors:
        assert a.kind == "person" and a.id.startswith("actor_")
        for r in a.roles:
            assert r.as_of == doc.published
            assert r.evidence is not None and doc.text[r.evidence.start:r.evidence.end] == r.evidence.text
            assert a.canonical.split()[-1] in r.evidence.text or any(
                al in r.evidence.text for al in a.aliases)


def test_spanish_title_apposition_and_prefix():
    text = ("El ministro de Defensa de Colombia, Pedro Sánchez, viajó el lunes a Cali. "
            "Horas después, el presidente Gustavo Petro anunció nuevas medidas. "
            "Sánchez dijo que las tropas llegarían pronto.\n")
    actors = people_of(text, "es")
    sanchez = by_name(actors, "Pedro Sánchez")
    assert "Sánchez" in sanchez.aliases
    assert sanchez.roles[0].title == "Ministro de Defensa"
    assert sanchez.roles[0].country == "CO"  # ISO-2, stated after the title
    petro = by_name(actors, "Gustavo Petro")
    assert petro.roles[0].title == "Presidente"
    assert "Defensa" not in [a.canonical for a in actors]


def test_alias_and_leader_of_organisation():
    text = ("Police said the man arrested was Dairo Antonio Úsuga, alias Otoniel, who ran the "
            "group for a decade. The leader of the Gulf Clan, Jobanis de Jesús Ávila, is still "
            "at large. Otoniel was extradited in May.\n")
    actors = people_of(text)
    usuga = by_name(actors, "Dairo Antonio Úsuga")
    assert "Otoniel" in usuga.aliases
    assert "Otoniel" not in [a.canonical for a in actors]
    avila = by_name(actors, "Jobanis de Jesús Ávila")
    assert avila.roles and avila.roles[0].title == "Leader"
    assert avila.roles[0].organization == "Gulf Clan"


def test_former_and_then_roles_are_not_current():
    text = ("Former Interior Minister Rosa Paredes criticised the plan on Monday. "
            "The plan was drafted by then-Prime Minister Tomás Ugarte in 2019.\n")
    actors = people_of(text)
    assert by_name(actors, "Rosa Paredes").roles[0].current is False
    ugarte = by_name(actors, "Tomás Ugarte").roles[0]
    assert (ugarte.title, ugarte.current) == ("Prime Minister", False)


def test_byline_and_places_are_not_people():
    text = ("By Marta Lozano\n\nGunmen attacked a bus on the Fernando Belaunde highway near "
            "San Ignacio, in Cajamarca, on Sunday, police said.\n")
    names = [a.canonical for a in people_of(text)]
    assert "Marta Lozano" not in names
    assert not any("Belaunde" in n for n in names)


def test_text_mismatch_is_refused():
    from cronica.extract.people import extract_people

    doc = Document(id="t", text="Some text.", language="en")
    with pytest.raises(ValueError, match="differs"):
        extract_people(nlp_for("en")("Other text."), doc)
