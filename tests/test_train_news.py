"""``cronica.train.news``: labels from the benchmark's matching, deterministic fits, margins."""

from __future__ import annotations

import pytest

pytest.importorskip("sklearn")

from cronica.bench.gold import GoldArticle  # noqa: E402
from cronica.train.news import Article, apply_to, fit, typed_f1  # noqa: E402


def _article(i: int, typ: str, word: str, gold_type: str) -> Article:
    g = GoldArticle(file=f"f{i}", language="en", published="2020-01-02", url=None,
                    events=[{"type": gold_type, "status": "current", "date": "2020-01-01",
                             "location": {"country": "CO"}}])
    pred = {"incidents": [{"type": typ, "status": "current", "date": "2020-01-01", "date_precision": "day",
                           "location": {"country": "CO"}}]}
    a = Article(f"c/f{i}", "train", f"g{i}", "en", g, pred)
    a.feats = [{"bias": 1.0, "rt=" + typ: 1.0, "w=" + word: 1.0}]
    a.keep, a.type, a.status = ["keep"], [gold_type], ["current"]
    return a


def _corpus() -> list[Article]:
    # the rule says "murder" every time; the word says what the gold type is
    return [_article(i, "murder", "masacr" if i % 2 else "asesin", "massacre" if i % 2 else "murder")
            for i in range(40)]


def test_a_fitted_type_model_corrects_the_rule_and_is_deterministic() -> None:
    arts = _corpus()
    dec = fit(arts, 1.0, 0.0)
    dec.type_margin = 0.0
    assert typed_f1(arts) == pytest.approx(0.5)  # the rules alone
    assert typed_f1(arts, apply_to(arts, dec)) == pytest.approx(1.0)
    again = fit(_corpus(), 1.0, 0.0)
    assert again.type.weights == dec.type.weights and again.type.intercepts == dec.type.intercepts


def test_a_full_margin_keeps_every_rule_decision() -> None:
    arts = _corpus()
    dec = fit(arts, 1.0, 0.0)
    dec.type_margin = 1.0
    assert typed_f1(arts, apply_to(arts, dec)) == pytest.approx(0.5)


def test_a_setting_must_beat_the_rules_by_the_minimum_gain() -> None:
    from cronica.train.news import MIN_GAIN, _beats

    rules: list[float] = []
    assert _beats(0.50, -1.0, rules) and rules == [0.50]  # the first setting is the rules'
    assert not _beats(0.50 + MIN_GAIN / 2, 0.50, rules)  # noise
    assert _beats(0.50 + 2 * MIN_GAIN, 0.50, rules)
    assert not _beats(0.49, 0.50 + 2 * MIN_GAIN, rules)
