"""The news-dev scorer on hand-made gold / prediction pairs (no extractor needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cronica.bench.gold import BenchError, GoldArticle, load_gold, norm
from cronica.bench.report import format_report
from cronica.bench.scoring import (
    count_correct, date_correct, dates_compatible, figure_matches, names_match, quote_matches,
    score,
)
from cronica.records import ActorRef, Count, Document, ExtractionResult, Incident, Location

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NEWS_DEV = SHARED / "news-dev"


def gold_event(**kw: Any) -> dict[str, Any]:
    ev = {"id": "e1", "type": "ambush", "type_alt": ["attack"], "status": "current",
          "date": "2016-04-09", "location": {"name": "Acobamba", "admin1": None, "country": "PE"},
          "perpetrators": [], "killed": None, "wounded": None, "evidence": []}
    ev.update(kw)
    return ev


def pred_event(**kw: Any) -> dict[str, Any]:
    ev = {"id": "i1", "type": "ambush", "status": "current", "date": "2016-04-09",
          "date_precision": "day", "location": {"country": "PE"}, "perpetrators": [],
          "killed": None, "wounded": None}
    ev.update(kw)
    return ev


def article(file: str = "a/001.txt", lang: str = "en", **gold: Any) -> GoldArticle:
    return GoldArticle.from_dict({"file": file, "language": lang, "published": "2016-04-10",
                                  "url": f"https://x.example.org/{file}", "gold": gold})


def one(gold: GoldArticle, pred: dict[str, Any] | None):
    return score([gold], {gold.file: pred} if pred is not None else {}).articles[0]


def test_type_alt_is_accepted_and_untyped_ignores_type() -> None:
    g = article(events=[gold_event()])
    s = one(g, {"incidents": [pred_event(type="attack")]})
    assert s.tallies["incidents.typed"].gold_hit == 1
    s = one(g, {"incidents": [pred_event(type="murder")]})
    assert s.tallies["incidents.typed"].gold_hit == 0
    assert s.tallies["incidents.typed"].pred == 1 and s.tallies["incidents.typed"].precision == 0
    assert s.tallies["incidents.untyped"].gold_hit == 1


def test_dates_compare_at_coarser_precision_for_matching_and_gold_precision_for_accuracy() -> None:
    assert dates_compatible("2016-04", "2016-04-09") and dates_compatible(None, "2016")
    assert not dates_compatible("2016-04-09", "2016-04-10")
    assert date_correct("2016-04", "2016-04-09")
    assert not date_correct("2016-04-09", "2016-04")  # coarser than gold: compatible but wrong
    assert date_correct(None, None) and not date_correct(None, "2016")
    g = article(events=[gold_event(date="2016-04-09")])
    s = one(g, {"incidents": [pred_event(date="2016-04-01", date_precision="month")]})
    assert s.tallies["incidents.typed"].gold_hit == 1  # "2016-04" at month precision
    assert s.accs["event.date"].correct == 0 and s.accs["event.date"].total == 1
    s = one(g, {"incidents": [pred_event(date="2016-05-09")]})
    assert s.tallies["incidents.untyped"].gold_hit == 0


def test_country_must_agree_unless_missing() -> None:
    g = article(events=[gold_event()])
    assert one(g, {"incidents": [pred_event(location={"country": "CO"})]}).tallies["incidents.untyped"].gold_hit == 0
    s = one(g, {"incidents": [pred_event(location={})]})
    assert s.tallies["incidents.untyped"].gold_hit == 1
    assert s.accs["event.country"].correct == 0


def test_perpetrator_parent_credit() -> None:
    groups = [{"canonical": "Los Chapitos", "aliases": ["Los Chapitos"], "parent": "Sinaloa Cartel"}]
    g = article(events=[gold_event(perpetrators=["Los Chapitos"])], groups=groups)

    def perp(name: str) -> bool:
        p = pred_event(perpetrators=[{"name": name, "canonical": name}])
        return one(g, {"incidents": [p]}).accs["event.perpetrator"].correct == 1

    assert perp("Los Chapitos") and perp("Sinaloa Cartel") and perp("sinaloa cartel")
    assert not perp("Gulf Cartel")
    # a child is not credit for its parent
    g2 = article(events=[gold_event(perpetrators=["Sinaloa Cartel"])], groups=groups)
    p = pred_event(perpetrators=[{"name": "Los Chapitos", "canonical": "Los Chapitos"}])
    assert one(g2, {"incidents": [p]}).accs["event.perpetrator"].correct == 0
    # both empty is right, one empty is wrong
    assert one(article(events=[gold_event()]), {"incidents": [pred_event()]}).accs["event.perpetrator"].correct == 1
    assert one(g, {"incidents": [pred_event()]}).accs["event.perpetrator"].correct == 0


def test_groups_recall_and_precision_with_parent_credit() -> None:
    groups = [{"canonical": "Estado Mayor Central", "aliases": ["EMC"], "parent": "FARC dissidents"},
              {"canonical": "ELN", "aliases": ["ELN"]}]
    g = article(groups=groups)
    actors = [{"name": "FARC dissidents", "canonical": "FARC dissidents", "kind": "armed_group"},
              {"name": "Los Zetas", "canonical": "Los Zetas", "kind": "criminal_group"},
              {"name": "Los Zetas", "canonical": "Los Zetas", "kind": "criminal_group"},
              {"name": "ELN", "canonical": "ELN", "kind": "person"}]  # wrong kind: not a group
    t = one(g, {"actors": actors}).tallies["groups"]
    assert (t.gold_hit, t.gold, t.pred_ok, t.pred) == (1, 2, 1, 2)


def test_no_incident_article_counts_predictions_as_false_positives() -> None:
    g = article(file="a/007.txt", events=[])
    s = one(g, {"incidents": [pred_event(), pred_event(type="murder", status="background")]})
    t = s.tallies["incidents.typed"]
    assert (t.gold, t.pred, t.pred_ok) == (0, 2, 0)
    assert t.precision == 0 and t.recall is None and t.f1 == 0
    assert s.tallies["incidents.typed.current"].pred == 1
    assert len(s.spurious) == 2


def test_count_qualifier_strict_versus_loose() -> None:
    assert count_correct(None, None) and count_correct(None, None, loose=True)
    assert not count_correct({"value": 6, "qualifier": "at_least"}, None)
    assert not count_correct({"value": 6, "qualifier": "at_least"}, {"value": 6, "qualifier": "exact"})
    assert count_correct({"value": 6, "qualifier": "at_least"}, {"value": 6}, loose=True)
    assert not count_correct({"value": 6, "qualifier": "at_least"}, {"value": 7, "qualifier": "at_least"}, loose=True)
    g = article(events=[gold_event(killed={"value": 6, "qualifier": "at_least"})])
    s = one(g, {"incidents": [pred_event(killed={"value": 6, "qualifier": "exact"})]})
    assert s.accs["event.killed"].correct == 0 and s.accs["event.killed.loose"].correct == 1
    assert s.accs["event.wounded"].correct == 1  # both missing
    assert any("killed" in w for w in s.wrong)


def test_figures_range_tolerance_and_claimant() -> None:
    rng = {"indicator": "group_membership", "value": [300, 500], "attributed_to": "Officials"}
    assert figure_matches(rng, {"indicator": "group_membership", "value": None, "low": 300, "high": 500})
    assert figure_matches(rng, {"indicator": "group_membership", "value": None, "low": 302, "high": 498})
    assert not figure_matches(rng, {"indicator": "group_membership", "value": None, "low": 300, "high": 600})
    assert not figure_matches(rng, {"indicator": "group_membership", "value": 400})
    scalar = {"indicator": "deaths_total", "value": 70000}
    assert figure_matches(scalar, {"indicator": "deaths_total", "value": 70500})
    assert not figure_matches(scalar, {"indicator": "deaths_total", "value": 71000})
    assert not figure_matches(scalar, {"indicator": "homicides_total", "value": 70000})
    assert figure_matches({"indicator": "x", "value": -2.3}, {"indicator": "x", "value": -2.3})
    g = article(claims=[{**scalar, "attributed_to": "Peru’s Truth and Reconciliation Commission"}, rng])
    figs = [{"indicator": "deaths_total", "value": 70000.0, "attributed_to": "truth and reconciliation commission"},
            {"indicator": "deaths_total", "value": 70000.0, "attributed_to": None},  # duplicate: spurious
            {"indicator": "group_membership", "value": None, "low": 300, "high": 500, "attributed_to": None}]
    s = one(g, {"figures": figs})
    t = s.tallies["figures"]
    assert (t.gold_hit, t.gold, t.pred_ok, t.pred) == (2, 2, 2, 3)
    assert (s.accs["figures.claimant"].correct, s.accs["figures.claimant"].total) == (1, 2)


def test_quotes_people_and_speakers() -> None:
    gq = "They attacked people who were only carrying ballots […] The operation goes on"
    assert quote_matches(gq, "“The operation goes on,”")
    assert quote_matches(gq, "who were only carrying ballots")  # half or more of a part
    assert not quote_matches(gq, "ballots")
    assert names_match("Ovidio Guzmán", "ovidio guzman lopez") and not names_match("Guzmán", "Ovidio Guzmán")
    g = article(quotes=[{"speaker": "Ernesto Vílchez", "speaker_role": "spokesman", "text": gq},
                        {"speaker": None, "speaker_role": "a resident", "text": "Nobody sleeps here"}],
                people=[{"name": "Ernesto Vílchez"}, {"name": "Abimael Guzmán"}])
    pred = {"quotes": [{"text": "They attacked people who were only carrying ballots", "speaker": "Col. Ernesto Vilchez"},
                       {"text": "nobody sleeps here.", "speaker": "Vílchez"},
                       {"text": "Something else entirely", "speaker": None}],
            "actors": [{"name": "Vílchez", "canonical": "Ernesto Vílchez", "kind": "person"},
                       {"name": "Guzmán", "canonical": "Guzmán", "kind": "person"}]}
    s = one(g, pred)
    t = s.tallies["quotes"]
    assert (t.gold_hit, t.gold, t.pred_ok, t.pred) == (2, 2, 2, 3)
    assert (s.accs["quotes.speaker"].correct, s.accs["quotes.speaker"].total) == (1, 2)
    p = s.tallies["people"]
    assert (p.gold_hit, p.gold, p.pred_ok, p.pred) == (1, 2, 1, 2)


def test_greedy_matching_prefers_the_better_pair_and_current_variant() -> None:
    e1 = gold_event(id="e1", type="murder", type_alt=[], evidence=["A man was shot dead in Lima."])
    e2 = gold_event(id="e2", type="murder", type_alt=[], status="background",
                    evidence=["Two guards were killed at the gate."])
    g = article(events=[e1, e2])
    p = pred_event(type="murder", status="background",
                   evidence=[{"start": 0, "end": 10, "text": "Two guards were killed at the gate."}])
    s = one(g, {"incidents": [p]})
    assert s.accs["event.status"].correct == 1  # paired with e2 thanks to evidence overlap
    assert s.tallies["incidents.typed.current"].gold == 1
    assert s.tallies["incidents.typed.current"].pred == 0


def test_missing_prediction_and_extraction_result_objects() -> None:
    g = article(events=[gold_event(killed={"value": 3, "qualifier": "exact"})])
    s = one(g, None)
    assert s.note == "no prediction" and s.tallies["incidents.typed"].recall == 0
    doc = Document(id="d", text="x", language="en")
    inc = Incident(id="i", type="attack", date="2016-04-09", location=Location(country="PE"),
                   killed=Count(3), perpetrators=[ActorRef(name="senderistas", canonical="Shining Path")])
    s = one(g, ExtractionResult(document=doc, incidents=[inc]))
    assert s.tallies["incidents.typed"].gold_hit == 1 and s.accs["event.killed"].correct == 1


def test_report_aggregates_per_language_and_formats() -> None:
    en = article(file="a/1.txt", lang="en", events=[gold_event()])
    es = article(file="a/2.txt", lang="es", events=[gold_event(), gold_event(id="e2", date="2015")])
    rep = score([en, es], {"a/1.txt": {"incidents": [pred_event()]}, "a/9.txt": {}})
    by = rep.by_language()
    assert list(by) == ["en", "es", "all"]
    assert by["en"].tallies["incidents.typed"].recall == 1.0
    assert by["es"].tallies["incidents.typed"].recall == 0.0
    assert by["all"].tallies["incidents.typed"].gold == 3 and by["all"].articles == 2
    assert rep.unscored == ["a/9.txt"]
    d = json.loads(json.dumps(rep.to_dict(details=True)))
    assert d["languages"]["all"]["metrics"]["incidents.typed"]["recall"] == pytest.approx(1 / 3)
    assert len(d["articles"]) == 2
    text = format_report(rep, details=True)
    assert "== EN (1 article) ==" in text and "== ES (1 article) ==" in text and "== ALL (2 articles) ==" in text
    assert "incidents typed (all statuses)" in text and "33.3" in text
    assert "--- a/2.txt [es] (no prediction)" in text and "missed:   event e2" in text
    assert "a/9.txt" in text
    assert "1 article(s) scored as predicting nothing:\n  a/2.txt: no prediction" in text
    assert d["notes"] == {"a/2.txt": "no prediction"}


def test_gold_loader_errors_name_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "gold.jsonl"
    p.write_text('{"file": "a", "language": "en", "published": null, "gold": {}}\n{oops\n', encoding="utf-8")
    with pytest.raises(BenchError, match=r"gold.jsonl line 2: not valid JSON"):
        load_gold(p)
    p.write_text('{"file": "a", "gold": {}}\n', encoding="utf-8")
    with pytest.raises(BenchError, match=r"line 1: missing key\(s\) language, published"):
        load_gold(p)
    with pytest.raises(BenchError, match="gold file not found"):
        load_gold(tmp_path / "nope.jsonl")
    assert norm("  Perú’s «Sendero»,  ") == "peru's \"sendero"


def _gold_as_prediction(a: GoldArticle) -> dict[str, Any]:
    figs = []
    for c in a.claims:
        v = c["value"]
        rng = isinstance(v, list)
        figs.append({"indicator": c["indicator"], "value": None if rng else v,
                     "low": v[0] if rng else None, "high": v[1] if rng else None,
                     "attributed_to": c["attributed_to"]})
    return {
        "incidents": [{**e, "perpetrators": [{"name": p, "canonical": p} for p in e["perpetrators"]],
                       "targets": [{"name": t} for t in e.get("targets") or []]}
                      for e in a.events],
        "figures": figs,
        "actors": [{"name": g["canonical"], "canonical": g["canonical"], "kind": "armed_group"} for g in a.groups]
        + [{"name": p["name"], "canonical": p["name"], "kind": "person"} for p in a.people],
        "quotes": [{"text": q["text"], "speaker": q["speaker"]} for q in a.quotes],
    }


@pytest.mark.skipif(not (NEWS_DEV / "gold.jsonl").is_file(), reason=f"news-dev not found at {NEWS_DEV}")
def test_real_gold_scored_against_itself_is_perfect_and_against_nothing_is_zero() -> None:
    gold = load_gold(NEWS_DEV / "gold.jsonl")
    rep = score(gold, {a.file: _gold_as_prediction(a) for a in gold})
    al = rep.by_language()["all"]
    assert al.articles == 45 and al.tallies["incidents.typed"].gold == 115
    for k, t in al.tallies.items():
        assert t.f1 == 1.0, k
    for k, acc in al.accs.items():
        assert acc.value == 1.0, k
    empty = score(gold, {}).by_language()["all"]
    # no prediction matches no event, so the target and perpetrator tallies (over matched pairs) are empty
    pair_tallies = ("event.targets", "event.perpetrators")
    assert all(t.recall == 0 for k, t in empty.tallies.items() if k not in pair_tallies)
    assert all(empty.tallies[k].gold == 0 for k in pair_tallies)


def test_perpetrators_tally_counts_precision_with_parent_credit() -> None:
    from cronica.bench.scoring import perpetrator_tally

    parents = {"los chapitos": "sinaloa cartel"}  # as parent_map writes them
    t = perpetrator_tally(["Los Chapitos", "Colombian Army"], [{"canonical": "Sinaloa Cartel"},
                                                                 {"canonical": "ELN"}], parents)
    assert (t.gold_hit, t.gold, t.pred_ok, t.pred) == (1, 2, 1, 2)
    assert perpetrator_tally([], [], parents).f1 is None


def test_targets_tally_on_matched_pairs() -> None:
    from cronica.bench.scoring import target_matches

    assert target_matches("soldiers", "at least five soldiers")
    assert target_matches("army convoy carrying ballots", "the army convoy")
    assert target_matches("José Pérez", "jose perez")
    assert not target_matches("soldiers", "soldier")  # whole words only
    assert not target_matches("police station", "police officers")
    g = article(events=[gold_event(targets=["police station", "Ana Ruiz", "two guards"])])
    p = pred_event(targets=[{"name": "the police station"}, {"name": "Ana Ruiz"}, {"name": "a passer-by"}])
    t = one(g, {"incidents": [p]}).tallies["event.targets"]
    assert (t.gold_hit, t.gold, t.pred_ok, t.pred) == (2, 3, 2, 3)
    # unmatched events add nothing: the tally is over matched pairs only
    t = one(g, {"incidents": [pred_event(type="kidnapping", targets=[{"name": "x"}])]}).tallies["event.targets"]
    assert (t.gold, t.pred) == (0, 0)
