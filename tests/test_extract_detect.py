"""Learned event detection over sentences no rule candidate covers."""

from __future__ import annotations

import pytest

from cronica.extract.decide import LinearModel
from cronica.extract.detect import Detector, new_incident, sentence_features
from cronica.records import Document, Evidence, Incident


def _detector(threshold: float = 0.6) -> Detector:
    m = LinearModel(["drug_seizure", "none"], {"drug_seizure": {"w=cocain": 3.0, "w=aircra": 2.0}, "none": {}},
                    {"drug_seizure": -1.0, "none": 0.0})
    return Detector(m, threshold)


def test_sentence_features_and_best_type() -> None:
    f = sentence_features("Troops found an aircraft loaded with cocaine on Sunday.", "en", 2, 9)
    assert f["w=aircra"] == 1 and f["w=cocain"] == 1 and f["ww=aircra_loaded"] == 1 and f["early"] == 1
    typ, p = _detector().best(f)
    assert typ == "drug_seizure" and p > 0.9
    assert _detector().best(sentence_features("The mayor spoke to reporters.", "en", 5, 9))[0] is None


def test_new_incident_takes_the_sentence_date_and_a_status_from_it() -> None:
    text = "Troops found an aircraft loaded with cocaine on Sunday. In 2019 another plane was found."
    doc = Document(id="d", text=text, language="en", published="2023-03-06")
    cur = new_incident(doc, 0, 55, "drug_seizure", 0.8, "GT")
    assert (cur.type, cur.status, cur.date, cur.location.country) == ("drug_seizure", "current", "2023-03-05", "GT")
    assert cur.evidence[0].text == text[:55] and cur.confidence == 0.8
    old = new_incident(doc, 56, len(text), "drug_seizure", 0.8, "GT")
    assert old.status == "background" and old.date == "2019"


@pytest.mark.slow
def test_detect_adds_only_uncovered_sentences_above_the_threshold() -> None:
    from cronica.extract.detect import detect
    from cronica.extract.nlp import load_nlp

    text = ("Troops found an aircraft loaded with cocaine on Sunday. Gunmen shot dead a farmer. "
            "A second aircraft with cocaine was seized in 2019.")
    doc = Document(id="d", text=text, language="en", published="2023-03-06")
    sdoc = load_nlp("en")(text)
    second = text.index("A second")
    rule = Incident(id="i", type="drug_seizure", evidence=[Evidence(second, len(text), text[second:])])
    found = detect(sdoc, doc, [rule], "GT", _detector())
    assert [i.evidence[0].text for i in found] == [text[:text.index(" Gunmen")]]
    assert detect(sdoc, doc, [rule], "GT", _detector(threshold=1.01)) == []
