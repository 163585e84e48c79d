"""The learned figure decision: which quantities are figures, of which indicator."""

from __future__ import annotations

import pytest

from cronica.extract.decide import LinearModel
from cronica.extract.figures import FigureCandidate, FigureModel, extract_figures, figure_features
from cronica.extract.numbers import find_quantities
from cronica.records import Document


def _model(weights: dict[str, dict[str, float]], add: float = 0.5, change: float = 0.2, drop: float = 0.2) -> FigureModel:
    classes = sorted(weights)
    return FigureModel(LinearModel(classes, weights, {c: 0.0 for c in classes}), add, change, drop,
                       {"displaced_persons": "people"})


def test_decide_keeps_changes_drops_and_adds() -> None:
    m = _model({"none": {"aw=despla": -3.0, "aw=hectar": 3.0}, "other": {},
                "displaced_persons": {"aw=despla": 4.0}, "homicides_total": {}})
    assert m.decide({"aw=despla": 1}, None) == ("displaced_persons", True)  # no rule: added
    assert m.decide({"aw=despla": 1}, "homicides_total") == ("displaced_persons", True)  # changed
    assert m.decide({"aw=hectar": 1}, "homicides_total") == (None, True)  # dropped
    assert m.decide({}, "homicides_total") == ("homicides_total", False)  # unsure: the rule stands
    assert m.decide({}, None) == (None, False)


def test_features_read_the_words_around_the_number() -> None:
    sent = "Más de 36.000 personas fueron desplazadas por los combates, según la Defensoría."
    q = find_quantities(sent, "es")[0]
    f = figure_features(sent, q, (0, len(sent)), None, "es")
    assert f["ri=None"] == 1 and f["q=at_least"] == 1 and f["a1=person"] == 1 and f["aw=despla"] == 1
    assert f["lang=es"] == 1 and f["kind=count"] == 1


@pytest.mark.slow
def test_extract_figures_with_a_model_and_collecting_candidates() -> None:
    from cronica.extract.nlp import load_nlp

    text = "The fighting has forced 36,000 people from their homes, the ombudsman said on Monday."
    doc = Document(id="d", text=text, language="en", published="2025-01-25")
    sdoc = load_nlp("en")(text)
    seen: list[FigureCandidate] = []
    rules_only = extract_figures(sdoc, doc, model=False, collect=seen)
    assert [c.value for c in seen] == [36000]
    m = _model({"none": {}, "other": {}, "displaced_persons": {"aw=homes": 5.0}})
    figs = extract_figures(sdoc, doc, model=m)
    assert [(f.indicator, f.value) for f in figs] == [("displaced_persons", 36000)]
    assert figs[0].evidence is not None and text[figs[0].evidence.start:figs[0].evidence.end] == figs[0].evidence.text
    assert all(f.indicator != "displaced_persons" for f in rules_only)  # no rule knows this wording


def test_stated_values_sign_changes_and_convert_kilos() -> None:
    pytest.importorskip("sklearn")
    from cronica.train.news import _stated

    assert _stated("coca_cultivation_change_pct", 2.3, None, None, True, False)["value"] == -2.3
    assert _stated("drugs_seized_tons", 504, None, None, False, True)["value"] == pytest.approx(0.504)
    assert _stated("homicides_total", 504, None, None, True, True)["value"] == 504
