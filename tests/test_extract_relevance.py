"""The document relevance / incident-kind classifier (bag of words, numpy logistic
regression): features, training on a written corpus, persistence, the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest

from cronica.extract.relevance import (LABELS, RELEVANCE_PATH, RelevanceModel, muc4_targets, text_features,
                                       train_relevance)

VIOLENT = [
    "guerrillas attacked a police post and killed two officers last night",
    "a car bomb exploded outside the embassy, wounding three guards",
    "rebels kidnapped the mayor and burned the town hall",
    "gunmen killed a judge in front of his house this morning",
    "terrorists dynamited two power pylons and attacked an army patrol",
    "an urban commando bombed a bank and killed a watchman",
]
QUIET = [
    "the president opened a new school and spoke about the economy",
    "the football team won the national cup after a long season",
    "coffee exports grew this year, the trade minister said",
    "the congress approved the budget for education and health",
    "a new bridge was inaugurated over the river by the governor",
    "the central bank kept interest rates unchanged this month",
]


def test_text_features_are_words_and_pairs() -> None:
    assert text_features("Car BOMB, exploded") == {"car", "bomb", "exploded", "car bomb", "bomb exploded"}
    assert text_features("") == set()


def test_muc4_targets_split_combined_types() -> None:
    assert muc4_targets([{"incident_type": "bombing / attack"}]) == {"relevant", "bombing", "attack"}
    assert muc4_targets([]) == set()


def test_training_separates_violent_from_quiet_and_round_trips(tmp_path: Path) -> None:
    texts = VIOLENT + QUIET
    targets = [{"relevant", "attack"}] * len(VIOLENT) + [set()] * len(QUIET)
    model = train_relevance(texts, targets, min_df=1, epochs=200, lr=20.0)
    assert model.labels == LABELS
    hot = model.scores("gunmen attacked a patrol and killed two soldiers")
    cold = model.scores("the minister said the budget for schools grew")
    assert hot["relevant"] > 0.5 > cold["relevant"]
    assert hot["attack"] > cold["attack"]
    model.save(tmp_path / "r.json.gz")
    again = RelevanceModel.load(tmp_path / "r.json.gz")
    assert again.scores("a bomb exploded")["relevant"] == pytest.approx(model.scores("a bomb exploded")["relevant"], abs=1e-4)
    assert 0 < again.scores("")["relevant"] < 1  # no known word: the prior


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="relevance model not found"):
        RelevanceModel.load(tmp_path / "none.json.gz")


def test_shipped_model_ranks_an_attack_report_above_an_economy_story() -> None:
    assert RELEVANCE_PATH.is_file() and RELEVANCE_PATH.stat().st_size < 20e6
    m = RelevanceModel.default()
    attack = m.scores("Salvadoran guerrillas attacked a military garrison in San Miguel and killed "
                      "three soldiers, the army reported today.")
    economy = m.scores("The finance minister said today that coffee prices will rise next year.")
    assert attack["relevant"] > economy["relevant"]
    assert attack["attack"] > economy["attack"]
