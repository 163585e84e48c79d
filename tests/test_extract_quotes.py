"""Quotes and speakers: the seed article (read from ../shared) and small texts written
for these tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cronica.records import Document, Quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_extract_people import SEED, seed_document  # noqa: E402
from test_extract_people_newsdev import nlp_for  # noqa: E402

pytestmark = pytest.mark.slow


def quotes_of(text: str, lang: str = "en", **kw) -> list[Quote]:
    from cronica.extract.people import extract_people
    from cronica.extract.quotes import extract_quotes

    doc = Document(id="t", text=text, language=lang, published="2024-02-01")
    sdoc = nlp_for(lang)(text)
    people = extract_people(sdoc, doc)
    quotes = extract_quotes(sdoc, doc, people, **kw)
    ids = {a.id: a for a in people}
    for q in quotes:
        assert q.evidence is not None and text[q.evidence.start:q.evidence.end] == q.evidence.text
        if q.speaker_actor_id is not None:
            assert ids[q.speaker_actor_id].canonical == q.speaker
    return quotes


@pytest.fixture(scope="module")
def seed_quotes() -> list[Quote]:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    from cronica.extract.people import extract_people
    from cronica.extract.quotes import extract_quotes

    doc = seed_document()
    sdoc = nlp_for("en")(doc.text)
    quotes = extract_quotes(sdoc, doc, extract_people(sdoc, doc))
    for q in quotes:
        assert q.evidence is not None and doc.text[q.evidence.start:q.evidence.end] == q.evidence.text
    return quotes


def _find(quotes: list[Quote], start: str) -> Quote:
    found = [q for q in quotes if q.text.startswith(start)]
    assert found, f"no quote starting {start!r} in {[q.text for q in quotes]}"
    return found[0]


def test_seed_mora(seed_quotes):
    mora = [q for q in seed_quotes if q.text in ("solve this issue for good", "narco-terrorism")]
    assert mora and all(q.speaker == "Daniel Mora" for q in mora)
    assert all(q.speaker_role == "Defense Minister" for q in mora)


def test_seed_chiabra_split_quote_is_one(seed_quotes):
    q = _find(seed_quotes, "We must define who the enemy is")
    assert q.text == ("We must define who the enemy is […] "
                      "It is not the remnants of terrorism, but drug trafficking")
    assert q.speaker == "Roberto Chiabra" and q.speaker_role == "Defense Minister"
    assert q.speaker_actor_id and q.speaker_actor_id.startswith("actor_")


def test_seed_velasquez_quesquen(seed_quotes):
    q = _find(seed_quotes, "It would be easy to turn one’s face")
    assert q.speaker == "Javier Velasquez Quesquen"
    assert q.speaker_role == "Prime Minister"


def test_seed_labels_are_not_quotes(seed_quotes):
    texts = [q.text for q in seed_quotes]
    # "dismisses … as mere “narco-terrorists”", "a “large majority”": labels, not speech
    assert "narco-terrorists" not in texts and "large majority" not in texts


def test_spanish_quote_subjectless_verb_and_unnamed_source():
    text = ("El fiscal Mario Quintero Salas dijo que la escena fue alterada. «Encontramos "
            "casquillos y rastros de sangre», afirmó.\n\n"
            "«Nadie nos avisó del peligro», dijo un vecino del barrio.\n")
    qs = quotes_of(text, "es")
    first = _find(qs, "Encontramos casquillos")
    assert first.text == "Encontramos casquillos y rastros de sangre"
    assert first.speaker == "Mario Quintero Salas" and first.speaker_role == "Fiscal"
    second = _find(qs, "Nadie nos avisó")
    assert second.speaker is None and second.speaker_role == "vecino del barrio"


def test_english_said_after_name_and_pronoun():
    text = ("Interior Minister Luisa Ferraro visited the town on Monday. “We will not leave "
            "until the roads are safe,” she said.\n\n"
            "“The army arrived too late,” said Tomás Carrizo, a local farmer.\n")
    qs = quotes_of(text)
    assert _find(qs, "We will not leave").speaker == "Luisa Ferraro"
    carrizo = _find(qs, "The army arrived too late")
    assert carrizo.speaker == "Tomás Carrizo" and carrizo.speaker_role == "Farmer"


def test_nicknames_and_labels_are_not_quotes():
    text = ("The gang, led by a man known as “El Flaco,” controls the port. The decree "
            "declared an “internal armed conflict” across the country.\n")
    assert quotes_of(text) == []
    assert [q.text for q in quotes_of(text, fragments="all")] == ["El Flaco",
                                                                  "internal armed conflict"]


def test_quote_spans_handle_guillemets_and_unclosed_quotes():
    from cronica.extract.quotes import quote_spans

    text = "Dijo «hola «mundo» adiós» y “sin cerrar\nOtra línea."
    spans = quote_spans(text)
    assert [text[s.inner_start:s.inner_end] for s in spans] == ["hola «mundo» adiós", "sin cerrar"]
