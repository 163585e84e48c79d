"""The learned incident decisions: features, the linear models, the margin rule, the shipped file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cronica.extract.decide import (MODEL_PATH, Decisions, LinearModel, choose, decide, incident_features,
                                    load_decisions)
from cronica.records import INCIDENT_TYPES, STATUSES, Count, Document, Evidence, Incident

TEXT = ("BOGOTÁ.- Hombres armados asesinaron a cinco campesinos en una vereda de Tumaco el sábado, "
        "informó la Policía.\nEl Ejército desplegó tropas en la zona.")


def _doc() -> Document:
    return Document(id="d1", text=TEXT, published="2020-03-09", language="es")


def _inc(typ: str = "murder", status: str = "current") -> Incident:
    s = TEXT.index("asesinaron")
    return Incident(id="i1", type=typ, status=status, date="2020-03-07", date_precision="day",
                    killed=Count(5, "exact"), trigger=Evidence(s, s + 10, "asesinaron"),
                    evidence=[Evidence(10, TEXT.index("\n"), TEXT[10:TEXT.index("\n")])])


def test_features_name_the_rule_the_trigger_the_words_and_the_toll() -> None:
    f = incident_features(_doc(), _inc())
    for k in ("bias", "lang=es", "rt=murder", "rs=current", "tr=asesinaron", "w=campes", "b=armado",
              "a=cinco", "killed", "killed=<=5", "dd<=3"):
        assert f.get(k) == 1, k
    assert not [k for k in f if k.startswith("w=") and "ejerci" in k]  # another sentence
    assert incident_features(_doc(), _inc()) == f  # deterministic


def test_linear_model_probabilities_and_margin_rule() -> None:
    m = LinearModel(["massacre", "murder"], {"massacre": {"killed=<=5": 2.0}, "murder": {}},
                    {"massacre": 0.0, "murder": 0.5})
    p = m.proba({"killed=<=5": 1.0})
    assert sum(p.values()) == pytest.approx(1.0) and p["massacre"] > p["murder"]
    assert choose(p, "murder", 0.0) == "massacre"
    assert choose(p, "murder", 0.9) == "murder"  # the model must beat the rule by the margin
    assert choose({"a": 0.5, "b": 0.5}, "b", 0.0) == "b"  # a tie keeps the rule


def _decisions(keep_bias: float, threshold: float) -> Decisions:
    keep = LinearModel(["drop", "keep"], {"drop": {}, "keep": {}}, {"drop": 0.0, "keep": keep_bias})
    typ = LinearModel(["massacre", "murder"], {"massacre": {"killed=<=5": 3.0}, "murder": {}},
                      {"massacre": 0.0, "murder": 0.0})
    st = LinearModel(["current"], {"current": {}}, {"current": 0.0})
    return Decisions(keep, typ, st, threshold, 0.2, 1.0, {})


def test_apply_drops_unlikely_candidates_and_retypes_the_rest() -> None:
    kept = _decisions(2.0, 0.5).apply(_doc(), [_inc()])
    assert [i.type for i in kept] == ["massacre"] and 0 < kept[0].confidence <= 1
    assert _decisions(-2.0, 0.5).apply(_doc(), [_inc()]) == []


def test_no_model_file_leaves_the_rules_alone(tmp_path: Path) -> None:
    inc = _inc()
    assert decide(_doc(), [inc], str(tmp_path / "missing.json")) == [inc]
    assert inc.type == "murder"


@pytest.mark.skipif(not MODEL_PATH.is_file(), reason="no shipped decisions model")
def test_the_shipped_model_is_small_and_speaks_the_taxonomy() -> None:
    assert MODEL_PATH.stat().st_size < 10_000_000
    dec = load_decisions()
    assert dec is not None
    assert set(dec.type.classes) <= set(INCIDENT_TYPES)
    assert set(dec.status.classes) <= set(STATUSES)
    assert set(dec.keep.classes) <= {"keep", "drop"}
    meta = json.loads(MODEL_PATH.read_text())["meta"]
    assert meta["trained_on"]["train"] > 0 and "test" not in meta["trained_on"]


def test_a_model_file_round_trips_and_runs(tmp_path: Path) -> None:
    from cronica.extract.decide import decisions_from_dict, decisions_to_dict
    from cronica.records import Actor

    dec = _decisions(2.0, 0.5)
    dec.perpetrator = LinearModel(["no", "yes"], {"no": {}, "yes": {"kind=armed_group": 3.0}}, {"no": 0.0, "yes": 0.0})
    dec.perp_add = 0.6
    p = tmp_path / "m.json"
    p.write_text(json.dumps(decisions_to_dict(dec)))
    again = decisions_from_dict(json.loads(p.read_text()))
    assert decisions_to_dict(again) == decisions_to_dict(dec)
    eln = Actor(id="a1", name="ELN", canonical="ELN", kind="armed_group", evidence=[Evidence(0, 3, "BOG")])
    kept = decide(_doc(), [_inc()], str(p), actors=[eln])
    assert kept[0].type == "massacre"
    assert [r.canonical for r in kept[0].perpetrators] == ["ELN"]
