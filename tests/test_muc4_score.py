"""The MUC-4 scorers on small hand-made cases, plus gold-vs-gold sanity on the real dev split."""

from __future__ import annotations

from pathlib import Path

import pytest

from cronica.muc4.score import (
    MAX_EXACT_TEMPLATES, ROLES, Counts, gtt_doc_counts, load_gtt_gold, load_predictions,
    load_ree_gold, max_matching, normalize_mention, score_all, score_gtt, score_ree,
    templates_to_ree,
)

MUC4 = Path(__file__).resolve().parents[1].parent / "shared" / "muc4"


def tpl(itype: str, **roles: list[list[str]]) -> dict:
    return {"incident_type": itype, **{r: roles.get(r, []) for r in ROLES}}


# ------------------------------------------------------------------ normalisation

@pytest.mark.parametrize("raw, norm", [
    ("The \"Santo Tomas\" Farm", "santo tomas farm"),
    ("a  bomb", "bomb"),
    ("An  ARMY   patrol.", "army patrol"),
    ("F.M.L.N.", "fmln"),
    ("theater", "theater"),          # only whole words go
    ("banana", "banana"),
    ("the", ""),
    ("  rebels ,  \n  guerrillas ", "rebels guerrillas"),
    ("ñandú's car", "ñandús car"),   # only ASCII punctuation is removed
])
def test_normalize_mention(raw: str, norm: str) -> None:
    assert normalize_mention(raw) == norm


# ------------------------------------------------------------------ REE

def test_ree_coreferent_mentions_match_one_gold_entity() -> None:
    gold = {"d1": {"PerpOrg": [[["FMLN", 5], ["farabundo marti national liberation front", 20]]]}}
    pred = {"d1": {"PerpOrg": [["the F.M.L.N.", "Farabundo Marti National Liberation Front"]]}}
    s = score_ree(gold, pred)
    assert (s.micro.hits_p, s.micro.predicted, s.micro.hits_r, s.micro.gold) == (1, 1, 1, 1)
    assert s.micro.f1 == 1.0


def test_ree_one_wrong_mention_spoils_the_entity() -> None:
    gold = {"d1": {"Victim": [["jesuit priests"]]}}
    pred = {"d1": {"Victim": [["jesuit priests", "housekeeper"]]}}
    s = score_ree(gold, pred)
    assert s.micro.hits_p == 0 and s.micro.predicted == 1 and s.micro.gold == 1


def test_ree_duplicates_are_aligned_one_to_one() -> None:
    gold = {"d1": {"PerpInd": [["guerrillas", "guerrilla column"]]}}
    pred = {"d1": {"PerpInd": [["guerrillas"], ["guerrilla column"], ["Guerrillas"]]}}
    s = score_ree(gold, pred)
    assert (s.micro.hits_p, s.micro.predicted, s.micro.hits_r, s.micro.gold) == (1, 3, 1, 1)
    assert s.by_slot["PerpInd"].precision == pytest.approx(1 / 3)


def test_ree_alignment_is_optimal_not_greedy() -> None:
    # greedy would give pred 0 to gold 0 and leave pred 1 unmatched
    gold = {"d": {"Target": [["bus", "vehicle"], ["bus"]]}}
    pred = {"d": {"Target": [["bus"], ["vehicle"]]}}
    assert score_ree(gold, pred).micro.hits_p == 2


def test_max_matching_exact() -> None:
    assert max_matching([[0, 1], [0], [1]], 2) == 2
    assert max_matching([[0], [0], [0]], 1) == 1
    assert max_matching([[], []], 3) == 0


def test_ree_empty_documents_and_missing_predictions() -> None:
    gold = {"d1": {}, "d2": {"Weapon": [["dynamite"]]}}
    s = score_ree(gold, {})
    assert (s.micro.predicted, s.micro.gold, s.micro.f1) == (0, 1, 0.0)
    assert s.documents == 2
    with pytest.raises(ValueError, match="not in the gold"):
        score_ree(gold, {"nope": {}})


def test_ree_per_role_and_micro() -> None:
    gold = {"d": {"PerpInd": [["soldiers"]], "Victim": [["mayor"], ["judge"]]}}
    pred = {"d": {"PerpInd": [["soldiers"]], "Victim": [["mayor"], ["priest"]], "Weapon": [["rifle"]]}}
    s = score_ree(gold, pred)
    assert s.by_slot["PerpInd"].f1 == 1.0
    assert (s.by_slot["Victim"].hits_p, s.by_slot["Victim"].predicted) == (1, 2)
    assert s.by_slot["Weapon"].predicted == 1 and s.by_slot["Weapon"].gold == 0
    assert (s.micro.hits_p, s.micro.predicted, s.micro.hits_r, s.micro.gold) == (2, 4, 2, 3)
    assert s.micro.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_templates_to_ree_pools_and_dedupes() -> None:
    pooled = templates_to_ree([
        tpl("attack", PerpInd=[["guerrillas", "guerrilla column"]]),
        tpl("arson", PerpInd=[["Guerrillas"]], Target=[["farm"]]),
        tpl("arson", Target=[["the farm"]]),
    ])
    assert pooled["PerpInd"] == [["Guerrillas"]]
    assert pooled["Target"] == [["farm"]]


# ------------------------------------------------------------------ GTT

def test_gtt_perfect_and_subset_rule() -> None:
    gold = [tpl("attack", PerpInd=[["guerrillas", "guerrilla column"]], Target=[["farm"]])]
    pred = [tpl("attack", PerpInd=[["guerrillas"]], Target=[["the farm"]])]
    c, exact = gtt_doc_counts(gold, pred)
    assert exact
    tot = Counts()
    for v in c.values():
        tot.add(v)
    assert (tot.hits_p, tot.predicted, tot.hits_r, tot.gold) == (3, 3, 3, 3)


def test_gtt_attack_fits_bombing_attack_but_not_the_reverse() -> None:
    gold = [tpl("bombing / attack", Weapon=[["bomb"]])]
    c, _ = gtt_doc_counts(gold, [tpl("attack", Weapon=[["bomb"]])])
    assert c["incident_type"].hits_p == 1 and c["Weapon"].hits_r == 1
    c, _ = gtt_doc_counts(gold, [tpl("bombing", Weapon=[["bomb"]])])
    assert c["incident_type"].hits_p == 1
    c, _ = gtt_doc_counts([tpl("attack", Weapon=[["bomb"]])], [tpl("bombing / attack", Weapon=[["bomb"]])])
    assert c["incident_type"].hits_p == 0 and c["Weapon"].hits_p == 0


def test_gtt_type_mismatch_scores_nothing_but_counts_slots() -> None:
    gold = [tpl("kidnapping", Victim=[["mayor"]])]
    pred = [tpl("arson", Victim=[["mayor"]])]
    c, _ = gtt_doc_counts(gold, pred)
    assert sum(x.hits_p for x in c.values()) == 0
    assert sum(x.predicted for x in c.values()) == 2 and sum(x.gold for x in c.values()) == 2


def test_gtt_unmapped_templates_add_their_slots() -> None:
    gold = [tpl("attack", Victim=[["peasant"]])]
    pred = [tpl("attack", Victim=[["peasant"]]),
            tpl("bombing", Target=[["bank"]], Weapon=[["dynamite"], ["bomb"]])]
    s = score_gtt({"d": gold}, {"d": pred})
    assert (s.micro.hits_p, s.micro.predicted, s.micro.hits_r, s.micro.gold) == (2, 6, 2, 2)
    s = score_gtt({"d": gold + [tpl("robbery", Target=[["food"]])]}, {"d": pred[:1]})
    assert (s.micro.hits_p, s.micro.predicted, s.micro.hits_r, s.micro.gold) == (2, 2, 2, 4)


def test_gtt_mapping_is_one_to_one_and_best() -> None:
    gold = [tpl("attack", Victim=[["priest"]], PerpOrg=[["army"]]),
            tpl("attack", Victim=[["mayor"]])]
    # both predictions fit gold 0 best on their own; only one may take it
    pred = [tpl("attack", Victim=[["mayor"]], PerpOrg=[["army"]]),
            tpl("attack", Victim=[["priest"]], PerpOrg=[["army"]])]
    c, exact = gtt_doc_counts(gold, pred)
    assert exact
    # best: pred1->gold0 (type, priest, army = 3) + pred0->gold1 (type, mayor = 2)
    assert sum(x.hits_p for x in c.values()) == 5
    assert sum(x.hits_r for x in c.values()) == 5


def test_gtt_leaving_a_template_unmapped_can_be_best() -> None:
    # gold has 1 template; two predictions of the same type compete
    gold = [tpl("kidnapping", Victim=[["businessman"]], PerpOrg=[["eln"]])]
    pred = [tpl("kidnapping"), tpl("kidnapping", Victim=[["businessman"]], PerpOrg=[["ELN"]])]
    c, _ = gtt_doc_counts(gold, pred)
    assert sum(x.hits_r for x in c.values()) == 3


def test_gtt_duplicate_predicted_entities_each_count() -> None:
    gold = [tpl("attack", PerpInd=[["terrorists", "urban terrorists"]])]
    pred = [tpl("attack", PerpInd=[["terrorists"], ["urban terrorists"]])]
    c, _ = gtt_doc_counts(gold, pred)
    assert (c["PerpInd"].hits_p, c["PerpInd"].predicted, c["PerpInd"].hits_r, c["PerpInd"].gold) == (2, 2, 1, 1)


def test_gtt_empty_documents() -> None:
    s = score_gtt({"a": [], "b": []}, {"a": [], "b": [tpl("attack")]})
    assert (s.micro.hits_p, s.micro.predicted, s.micro.gold) == (0, 1, 0)
    assert s.micro.f1 == 0.0
    s = score_gtt({"a": []}, {})
    assert s.micro.f1 == 0.0 and s.documents == 1


def test_gtt_bad_template_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="incident_type"):
        score_gtt({"d": [tpl("attack")]}, {"d": [{"PerpInd": []}]})


def test_gtt_many_templates_stay_exact_within_cap() -> None:
    gold = [tpl("attack", Victim=[[f"v{i}"]]) for i in range(10)]
    pred = [tpl("attack", Victim=[[f"v{i}"]]) for i in reversed(range(10))] + [tpl("bombing")] * 3
    c, exact = gtt_doc_counts(gold, pred)
    assert exact and MAX_EXACT_TEMPLATES >= 10
    assert sum(x.hits_r for x in c.values()) == 20


def test_load_predictions_rejects_bad_lines(tmp_path: Path) -> None:
    p = tmp_path / "pred.jsonl"
    p.write_text('{"docid": "x", "templates": []}\n{oops\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"pred.jsonl:2: not valid JSON"):
        load_predictions(p)
    p.write_text('{"docid": "x", "templates": {}}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="must be a list"):
        load_predictions(p)


# ------------------------------------------------------------------ real gold sanity

@pytest.mark.skipif(not (MUC4 / "gtt" / "dev.jsonl").is_file(), reason=f"MUC-4 data not found at {MUC4}")
def test_dev_gold_against_itself_is_perfect() -> None:
    gtt = load_gtt_gold(MUC4, "dev")
    ree = load_ree_gold(MUC4, "dev")
    assert len(gtt) == 200 and set(gtt) == set(ree)
    assert score_ree(ree, ree).micro.f1 == 1.0
    scores = score_all(gtt, ree, gtt)
    assert scores["gtt"].micro.f1 == 1.0
    assert scores["gtt"].approximate_docs == 0
    assert scores["ree"].micro.f1 == 1.0
    # and a degraded prediction scores lower on both
    half = {d: t[: len(t) // 2] for d, t in gtt.items()}
    worse = score_all(gtt, ree, half)
    assert worse["gtt"].micro.f1 < 1.0 and worse["ree"].micro.f1 < 1.0
