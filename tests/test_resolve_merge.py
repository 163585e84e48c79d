"""Cross-article incident resolution (cronica.resolve.merge) and ``cronica bench merge``."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from cronica.records import ActorRef, Count, Document, Incident, Location
from cronica.resolve.merge import Constraints, Report, Resolver, blocked, cluster, compare, date_gap, tolls

SHARED = Path(__file__).resolve().parents[2] / "shared"


def rep(key: str, doc: str, **kw) -> Report:  # type: ignore[no-untyped-def]
    base = dict(key=key, document_id=doc, type="ambush", status="current", date="2016-04-09", country="PE",
                admin1="junin", place="santo domingo de acobamba", perpetrators=frozenset({"shining path"}),
                counts=(("killed", 6, "at_least"),), published="2016-04-10", language="en")
    base.update(kw)
    return Report(**base)  # type: ignore[arg-type]


def test_report_from_incident_folds_names_and_keeps_counts() -> None:
    doc = Document(id="d1", text="x" * 30, published="2016-04-10", language="es", outlet="Andes Wire")
    inc = Incident(id="d1:i1", type="ambush", date="2016-04-09",
                   location=Location(name="Santo Domingo de Acobamba", admin1="Junín", country="PE", precision="locality"),
                   perpetrators=[ActorRef(name="Sendero", canonical="Shining Path")], killed=Count(10))
    r = Report.from_incident(inc, doc)
    assert (r.key, r.document_id, r.admin1, r.place) == ("d1:i1", "d1", "junin", "santo domingo de acobamba")
    assert r.perpetrators == frozenset({"shining path"}) and r.count("killed") == (10, "exact")
    assert r.language == "es" and r.outlet == "Andes Wire"


def test_date_gap_handles_partial_dates() -> None:
    assert date_gap("2016-04-09", "2016-04-12") == 3
    assert date_gap("2016-04", "2016-04-30") == 0
    assert date_gap("2016", "2017-01-02") == 2
    assert date_gap(None, "2016") is None


@pytest.mark.parametrize("change, why", [
    (dict(document_id="a"), "same article"),
    (dict(country="CO"), "country"),
    (dict(type="arrest_capture"), "type"),
    (dict(date="2016-04-20"), "date"),
    (dict(type="extortion"), "type"),
    (dict(date=None, published="2016-04-30"), "date"),
    (dict(date=None, status="background"), "date unknown"),
    (dict(country=None), "country unknown"),
    (dict(date="2016", status="background"), "a year against a day"),
    (dict(status="hypothetical"), "hypothetical"),
    (dict(status="aggregate"), "series"),
])
def test_blocked_pairs_name_the_conflict(change: dict, why: str) -> None:
    a = rep("a1", "a")
    b = rep("b1", "b", **change)
    reason = blocked(a, b)
    assert reason is not None and why in reason
    assert compare(a, b).score is None and why in compare(a, b).conflicted[0]


def test_compare_gives_reasons() -> None:
    link = compare(rep("a1", "a"), rep("b1", "b", counts=(("killed", 10, "exact"),), language="es"))
    assert link.score is not None and link.score > 5
    assert {"same day", "same place", "same type", "same perpetrator"} <= set(link.agreed)
    assert "killed 6 / 10" in link.agreed
    far = compare(rep("a1", "a"), rep("b1", "b", date="2016-04-12", place="pichari", perpetrators=frozenset({"farc"}),
                                      admin1=None))
    assert far.score is not None and far.score < compare(rep("a1", "a"), rep("b1", "b")).score
    assert "different perpetrators" in far.conflicted


def test_soft_evidence_lowers_the_score() -> None:
    a = rep("a1", "a")
    same = compare(a, rep("b1", "b")).score
    other_admin1 = compare(a, rep("b1", "b", admin1="ayacucho", place="huanta"))
    assert other_admin1.score is not None and other_admin1.score < same - 2
    assert "admin1 junin / ayacucho" in other_admin1.conflicted
    kidnap = compare(a, rep("b1", "b", type="kidnapping"))
    assert kidnap.score is not None and "types ambush / kidnapping" in kidnap.conflicted
    undated = compare(a, rep("b1", "b", date=None, published="2016-04-11"))  # current: shortly before publication
    assert undated.score is not None and "recent, as published" in undated.agreed


def _story() -> list[Report]:
    """Three reports of one ambush (one Spanish, tolls 6+, 10, 10), a second incident the same
    week elsewhere, and one report of a different incident in the same article as the first."""
    return [
        rep("a1", "a"),
        rep("b1", "b", counts=(("killed", 10, "exact"),), language="es", published="2016-04-11"),
        rep("c1", "c", date="2016-04-10", counts=(("killed", 10, "exact"),), published="2016-04-12"),
        rep("a2", "a", date="2016-04-08", place="pichari", admin1="cusco", counts=(("killed", 2, "exact"),)),
        rep("d1", "d", date="2016-04-08", place="pichari", admin1="cusco", counts=(("killed", 2, "exact"),),
            language="es"),
        rep("e1", "e", type="murder", date="2016-04-09", place="lima", admin1="lima", perpetrators=frozenset()),
    ]


def test_cluster_groups_reports_of_one_incident() -> None:
    groups, links = cluster(_story())
    assert groups == [["a1", "b1", "c1"], ["a2", "d1"], ["e1"]]
    assert links[frozenset(("a1", "a2"))].score is None  # one article, two incidents


def test_order_does_not_matter() -> None:
    reports = _story() + [rep("f1", "f", date="2016-04-11", place=None, admin1="junin", counts=()),
                          rep("g1", "g", date="2016-04-12", place=None, admin1=None, perpetrators=frozenset())]
    expected, _ = cluster(reports)
    for seed in range(25):
        order = list(reports)
        random.Random(seed).shuffle(order)
        res = Resolver()
        for r in order:
            res.add(r)
        assert res.groups() == expected, seed


def test_split_holds_across_later_ingests_and_merge_joins() -> None:
    res = Resolver()
    for r in _story():
        res.add(r)
    res.split("c1")
    assert res.group("c1") == ["c1"] and res.group("a1") == ["a1", "b1"]
    res.add(rep("c1", "c", date="2016-04-10", counts=(("killed", 10, "exact"),)))  # re-ingest of c
    res.add(rep("h1", "h", counts=(("killed", 10, "exact"),)))  # a new report
    assert "c1" not in res.group("a1") and "h1" in res.group("a1")
    res.merge("c1", "a1")
    assert res.group("c1") == ["a1", "b1", "c1", "h1"]
    assert {e["report"] for e in res.explain("a1")} == {"b1", "c1", "h1"}


def test_editor_constraints_are_order_independent() -> None:
    cons = Constraints()
    cons.split("c1", ["a1", "b1"])
    expected, _ = cluster(_story(), cons)
    assert ["c1"] in expected
    for seed in range(10):
        order = list(_story())
        random.Random(seed).shuffle(order)
        res = Resolver(constraints=Constraints(set(cons.must), set(cons.cannot)))
        for r in order:
            res.add(r)
        assert res.groups() == expected


def test_tolls_low_best_high_name_their_sources() -> None:
    t = tolls([rep("a1", "a", published="2016-04-10", counts=(("killed", 6, "at_least"),)),
               rep("b1", "b", published="2016-04-12", counts=(("killed", 10, "exact"), ("wounded", 3, "exact"))),
               rep("c1", "c", published="2016-04-12", counts=(("killed", 12, "at_least"),))])
    k = t["killed"]
    assert (k["low"], k["best"], k["high"], k["best_source"]) == (6, 10, 12, "b1")  # latest, exact over "at least"
    assert [s["report"] for s in k["sources"]] == ["a1", "b1", "c1"]
    assert t["wounded"]["best"] == 3 and "kidnapped" not in t


@pytest.mark.skipif(not (SHARED / "news-dev").is_dir(), reason="needs ../shared annotated corpora")
def test_bench_merge_on_gold_events_prints_pairwise_and_bcubed() -> None:
    from cronica.cli import main

    out = CliRunner().invoke(main, ["bench", "merge", "--split", "dev", "--source", "gold", "--shared", str(SHARED),
                                    "--orders", "2"])
    assert out.exit_code == 0, out.output
    assert "pairs" in out.output and "B-cubed" in out.output and "en-es" in out.output
    assert "order independent over 2 shuffled orders: yes" in out.output
