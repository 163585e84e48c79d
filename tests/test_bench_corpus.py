"""The corpus manifest: grouping by real-world incident, the locked split, the bench over splits."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from cronica.bench.corpus import (MANIFEST, Entry, group_articles, make_manifest, read_manifest,
                                  write_manifest)
from cronica.bench.gold import BenchError, GoldArticle
from cronica.bench.scoring import ArticleScore
from cronica.bench.splits import bootstrap, format_confusion, metric, type_pairs
from cronica.bench.metrics import Acc, Tally


def _art(file: str, lang: str, events: list[dict]) -> GoldArticle:
    return GoldArticle(file=file, language=lang, published="2020-01-02", url=None, events=events)


def _ev(cluster: str | None = None, date: str = "2020-01-01", country: str = "CO", typ: str = "murder") -> dict:
    return {"type": typ, "status": "current", "date": date, "location": {"country": country},
            "cluster_id": cluster}


def test_articles_sharing_a_cluster_or_an_event_day_form_one_group() -> None:
    arts = {
        "a/1": _art("1", "en", [_ev("K1", "2019-05-05")]),
        "b/2": _art("2", "es", [_ev("K1", "2019-05-06")]),  # same cluster id, other day
        "b/3": _art("3", "es", [_ev(None, "2021-03-03", "MX", "massacre")]),
        "a/4": _art("4", "en", [_ev(None, "2021-03-03", "MX", "massacre")]),  # same day, country, type
        "a/5": _art("5", "en", [_ev(None, "2021-03-03", "PE", "massacre")]),  # other country
    }
    g = group_articles(arts)
    assert g["a/1"] == g["b/2"]
    assert g["b/3"] == g["a/4"]
    assert len({g["a/1"], g["b/3"], g["a/5"]}) == 3


def test_manifest_round_trips_and_refuses_a_bad_split(tmp_path: Path) -> None:
    p = tmp_path / "m.tsv"
    entries = [Entry("news-es2", "articles/101.txt", "es", "abc", "test"),
               Entry("news-dev", "articles/001.txt", "en", "def", "train")]
    write_manifest(entries, p)
    assert sorted(read_manifest(p), key=lambda e: e.key) == sorted(entries, key=lambda e: e.key)
    p.write_text(p.read_text().replace("\ttest\n", "\tholdout\n"))
    with pytest.raises(BenchError, match="split"):
        read_manifest(p)


def test_the_committed_manifest_is_a_clean_split() -> None:
    entries = read_manifest(MANIFEST)
    by_group: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        by_group[e.group].add(e.split)
    assert all(len(s) == 1 for s in by_group.values()), "a real-world incident straddles two splits"
    assert not [e for e in entries if e.corpus == "news-dev" and e.split != "train"]
    n = Counter(e.split for e in entries)
    assert n["test"] >= 0.25 * len(entries)
    for split in ("train", "dev", "test"):
        assert {e.language for e in entries if e.split == split} == {"en", "es"}
    assert len({e.key for e in entries}) == len(entries)


def test_the_locked_split_does_not_move_when_the_manifest_is_remade(shared_dir: Path) -> None:
    old = read_manifest(MANIFEST)
    new = {e.key: e for e in make_manifest(shared_dir, old)}
    for e in old:
        assert new[e.key].split == e.split, e.key


def test_training_never_reads_the_test_split() -> None:
    from cronica.train.news import collect

    with pytest.raises(ValueError, match="test"):
        collect(splits=("train", "test"))


def _score(tp: int, gold: int, pred: int, acc: tuple[int, int]) -> ArticleScore:
    a = ArticleScore("f", "en")
    a.tallies["incidents.typed"] = Tally(tp, gold, tp, pred)
    a.accs["event.killed"] = Acc(*acc)
    return a


def test_metric_and_bootstrap_interval() -> None:
    arts = [_score(1, 2, 2, (1, 1)), _score(2, 2, 3, (1, 2)), _score(0, 1, 1, (0, 1))]
    f1, n = metric(arts, "incidents.typed", "f1")
    assert n == 5 and f1 == pytest.approx(2 * (3 / 6) * (3 / 5) / (3 / 6 + 3 / 5))
    lo, hi = bootstrap(arts, "incidents.typed", "f1")
    assert lo is not None and hi is not None and lo <= f1 <= hi
    assert bootstrap(arts, "event.killed", "acc") == bootstrap(arts, "event.killed", "acc")  # seeded
    assert bootstrap([], "event.killed", "acc") == (None, None)


def test_type_confusion_counts_matches_misses_and_spurious() -> None:
    gold = _art("x", "en", [_ev(None, "2020-01-01", "CO", "massacre"), _ev(None, "2020-01-01", "CO", "kidnapping")])
    gold.events[1]["date"] = "2019-01-01"
    pred = {"incidents": [{"type": "murder", "date": "2020-01-01", "date_precision": "day",
                           "location": {"country": "CO"}},
                          {"type": "attack", "date": "2015-01-01", "date_precision": "day",
                           "location": {"country": "CO"}}]}
    pairs = type_pairs(gold, pred)
    assert pairs == Counter({("massacre", "murder"): 1, ("kidnapping", "-"): 1, ("-", "attack"): 1})
    table = format_confusion(pairs)
    assert "massacre" in table and "gold" in table


def test_bench_news_split_scores_saved_predictions(tmp_path: Path, shared_dir: Path) -> None:
    from cronica.cli import main

    entries = [e for e in read_manifest(MANIFEST) if e.split == "dev"][:3]
    preds = tmp_path / "p.jsonl"
    preds.write_text("".join(json.dumps({"file": e.key, "document": {}, "incidents": []}) + "\n" for e in entries))
    r = CliRunner().invoke(main, ["bench", "news", "--split", "dev", "--predictions", str(preds),
                                  "--shared", str(shared_dir), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["split"] == "dev" and "all" in d["scopes"]
    assert d["scopes"]["all"]["incidents typed F1"]["value"] == 0.0
    assert d["scopes"]["all"]["incidents typed F1"]["ci95"][0] is not None
