"""The ``victims`` component: named people an incident harmed or detained become its
targets (articles written for these tests, EN and ES)."""

from __future__ import annotations

import pytest

from cronica.extract import Extractor
from cronica.extract.victims import acted_on
from cronica.records import Document

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extractor():
    return Extractor(components=("groups", "people", "incidents", "victims"))


def incidents(extractor, text, language="en", published="2024-05-10"):
    doc = Document(id=Document.make_id(text), text=text, published=published, language=language)
    result = extractor.extract(doc)
    for inc in result.incidents:
        for t in inc.targets:
            if t.evidence is not None:
                assert text[t.evidence.start:t.evidence.end] == t.evidence.text == t.name
    return result.incidents


def names(inc):
    return [t.name for t in inc.targets if t.kind == "person"]


def test_acted_on_windows():
    t = "Gunmen killed former mayor Rosa Quispe on Friday."
    s = t.index("Rosa")
    assert acted_on(t, s, s + len("Rosa Quispe"), "harm", "en")
    assert not acted_on(t, s, s + len("Rosa Quispe"), "detain", "en")
    t = "Rosa Quispe, a local broadcaster, was shot dead outside her home."
    assert acted_on(t, 0, len("Rosa Quispe"), "harm", "en")
    t = "Rosa Quispe said three soldiers were killed."  # a speaker, not a victim
    assert not acted_on(t, 0, len("Rosa Quispe"), "harm", "en")
    t = "La policía capturó a Mario Salas en Lima."
    s = t.index("Mario")
    assert acted_on(t, s, s + len("Mario Salas"), "detain", "es")
    t = "El asesinato de la periodista Carmen Rojas conmocionó a la ciudad."
    s = t.index("Carmen")
    assert acted_on(t, s, s + len("Carmen Rojas"), "harm", "es")


def test_named_victims_of_a_murder(extractor):
    text = ("Prosecutor killed outside a café\n\n"
            "TEPIC, May 9 — Tomás Ibarra, a regional prosecutor, and his brother were shot dead outside a café "
            "on Thursday, officials said. Elena Duarte, a state spokeswoman, said the attackers fled in a van.\n")
    incs = [i for i in incidents(extractor, text) if i.type in ("murder", "attack")]
    assert incs and "Tomás Ibarra" in names(incs[0])
    assert all("Elena Duarte" not in names(i) for i in incs)


def test_arrested_people_listed_together(extractor):
    text = ("Capturan a dos sospechosos por el crimen de un alcalde\n\n"
            "Agentes de la Fiscalía capturaron el martes en Trujillo a Julio Paredes y a Andrés Paredes, "
            "acusados del asesinato del alcalde de San Blas, informaron las autoridades.\n")
    incs = [i for i in incidents(extractor, text, language="es") if i.type == "arrest_capture"]
    assert incs
    got = names(incs[0])
    assert "Julio Paredes" in got and "Andrés Paredes" in got


def test_named_victims_from_the_parse():
    from cronica.extract.nlp import load_nlp
    from cronica.extract.victims import named_victims, with_named_victims

    nlp = load_nlp("en")
    sdoc = nlp("Gunmen shot dead Marta Villalobos and her driver Tomas Reyes in San Miguel. "
               "Senator Ricardo Paz condemned the attack.")
    got = [s.text for s in named_victims(sdoc)]
    assert "Marta Villalobos" in got and "Ricardo Paz" not in got
    assert all(s.role == "Victim" and sdoc.text[s.start:s.end] == s.text for s in named_victims(sdoc))
    # a tagger span that covers the name wins over the parse
    from cronica.extract.roles_model import RoleSpan

    start = sdoc.text.index("Marta")
    tagged = [RoleSpan("Victim", start - 0, start + len("Marta Villalobos"), "Marta Villalobos", 0)]
    merged = with_named_victims(tagged, sdoc)
    assert sum(1 for s in merged if s.text == "Marta Villalobos") == 1


def test_a_relative_named_after_the_detained_is_not_detained():
    from cronica.extract.victims import _LIST_BREAK

    assert _LIST_BREAK.search(", alias «El Tigre», hijo de ")
    assert _LIST_BREAK.search(", the son of ")
    assert not _LIST_BREAK.search(", a su hermano ")
