"""``cronica bench merge``: how well reports of one incident are grouped across articles.

The annotated corpora share same-incident cluster ids (``cluster_id`` on gold events, across
news-dev, news-es2, news-en2 and news-x3).  Every report (a predicted incident, or with
``source="gold"`` a gold event) gets the gold label of the event it matches (its cluster id,
else an id of its own); the reports are fed to :class:`~cronica.resolve.merge.Resolver` in a
random order, and the grouping is scored:

* pairwise precision / recall / F1 over pairs of reports from *different* articles (same
  gold label = a true pair; same predicted incident = a predicted pair), overall and per
  language pair (en-en, en-es, es-es);
* B-cubed precision / recall / F1 over every report;
* ``order_independent``: the same grouping came out for every shuffled order tried.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cronica.bench.corpus import MANIFEST, load_split
from cronica.bench.gold import GoldArticle
from cronica.bench.scoring import match_events
from cronica.resolve.merge import THRESHOLD, Report, Resolver, reports_from
from cronica.resolve.text import fold

__all__ = ["MergeReport", "gold_reports", "predicted_reports", "score_grouping", "run_merge", "format_merge"]


@dataclass(slots=True)
class PairTally:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    def prf(self) -> tuple[float | None, float | None, float | None]:
        p = self.tp / self.pred if self.pred else None
        r = self.tp / self.gold if self.gold else None
        f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        return p, r, f


@dataclass(slots=True)
class MergeReport:
    split: str
    source: str
    reports: int
    gold_clusters: int  # gold labels with reports from two or more articles
    pairs: dict[str, PairTally] = field(default_factory=dict)
    bcubed: tuple[float, float, float] = (0.0, 0.0, 0.0)
    order_independent: bool = True
    orders: int = 1
    threshold: float = THRESHOLD
    wrong: list[str] = field(default_factory=list)  # predicted pairs that are not gold pairs
    missed: list[str] = field(default_factory=list)  # gold pairs not grouped

    def to_dict(self) -> dict[str, Any]:
        return {"split": self.split, "source": self.source, "reports": self.reports,
                "gold_clusters": self.gold_clusters, "threshold": self.threshold,
                "orders": self.orders, "order_independent": self.order_independent,
                "pairwise": {k: dict(zip(("precision", "recall", "f1"), t.prf()), tp=t.tp, predicted=t.pred, gold=t.gold)
                             for k, t in self.pairs.items()},
                "bcubed": dict(zip(("precision", "recall", "f1"), self.bcubed)),
                "wrong": self.wrong, "missed": self.missed}


#: Same-incident links between gold events that the corpora's cluster ids miss (judged pair by
#: pair; see corpora/merge/README.md).
LINKS = Path(__file__).resolve().parents[3] / "corpora" / "merge" / "links.tsv"


def read_links(path: str | Path | None = LINKS) -> list[tuple[str, str]]:
    """``(event key, event key)`` pairs judged ``same`` in a links file (none when absent)."""
    if path is None or not Path(path).is_file():
        return []
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 4 or parts[3] not in ("same", "different"):
            raise ValueError(f"{path}:{n}: expected id, key, key, same|different, reason")
        if parts[3] == "same":
            out.append((parts[1], parts[2]))
    return out


def event_labels(rows: Sequence[tuple[Any, GoldArticle, Path]],
                 links: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """Each gold event's incident label (``corpus/file#id`` keys): events sharing a cluster id or
    a judged link get one label (the smallest key of their group)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_cluster: dict[str, str] = {}
    for e, art, _ in rows:
        for ev in art.events:
            key = f"{e.key}#{ev.get('id')}"
            find(key)
            cid = ev.get("cluster_id")
            if cid:
                union(key, by_cluster.setdefault(str(cid), key))
    for a, b in links:
        if a in parent and b in parent:
            union(a, b)
    return {k: find(k) for k in parent}


def gold_reports(rows: Sequence[tuple[Any, GoldArticle, Path]],
                 ev_labels: Mapping[str, str] | None = None) -> tuple[list[Report], dict[str, str]]:
    """Reports built from the gold events themselves (the resolver alone, without extraction
    errors), and each report's gold label."""
    ev_labels = ev_labels if ev_labels is not None else event_labels(rows)
    reports, labels = [], {}
    for e, art, _ in rows:
        for ev in art.events:
            loc = ev.get("location") or {}
            key = f"{e.key}#{ev.get('id')}"
            counts = tuple((k, int(c["value"]), str(c.get("qualifier") or "exact"))
                           for k in ("killed", "wounded", "kidnapped", "arrested")
                           if isinstance(c := ev.get(k), Mapping) and isinstance(c.get("value"), int))
            reports.append(Report(
                key=key, document_id=e.key, type=str(ev.get("type")), status=str(ev.get("status") or "current"),
                date=ev.get("date"), country=loc.get("country"),
                admin1=fold(loc["admin1"]) if loc.get("admin1") else None,
                place=fold(loc["name"]) if loc.get("name") else None,
                perpetrators=frozenset(fold(p) for p in ev.get("perpetrators") or [] if p),
                targets=frozenset(fold(t) for t in ev.get("targets") or [] if t),
                counts=counts, published=art.published, language=art.language))
            labels[key] = ev_labels[key]
    return reports, labels


def predicted_reports(rows: Sequence[tuple[Any, GoldArticle, Path]], preds: Mapping[str, Mapping[str, Any]],
                      ev_labels: Mapping[str, str] | None = None) -> tuple[list[Report], dict[str, str]]:
    """Reports built from the extractor's incidents, labelled by the gold event each one
    matches (untyped matching, as ``bench news``); unmatched incidents get labels of their own."""
    ev_labels = ev_labels if ev_labels is not None else event_labels(rows)
    reports, labels = [], {}
    for e, art, _ in rows:
        pred = preds.get(e.key)
        if not pred:
            continue
        incs = list(pred.get("incidents") or [])
        pairs = {pi: gi for gi, pi in match_events(art.events, incs, typed=False)}
        for pi, r in enumerate(reports_from(pred)):
            key = f"{e.key}#{pi}"
            r = replace(r, key=key, document_id=e.key)
            reports.append(r)
            gi = pairs.get(pi)
            labels[key] = ev_labels[f"{e.key}#{art.events[gi].get('id')}"] if gi is not None else key
    return reports, labels


def _pair_kind(a: Report, b: Report) -> str:
    return "-".join(sorted((a.language or "?", b.language or "?")))


def score_grouping(reports: Sequence[Report], labels: Mapping[str, str],
                   groups: Sequence[Sequence[str]]) -> tuple[dict[str, PairTally], tuple[float, float, float],
                                                             list[str], list[str]]:
    by_key = {r.key: r for r in reports}
    pred_of = {k: i for i, g in enumerate(groups) for k in g}
    tallies: dict[str, PairTally] = {"all": PairTally()}
    wrong, missed = [], []
    keys = sorted(by_key)
    for i, ka in enumerate(keys):
        a = by_key[ka]
        for kb in keys[i + 1:]:
            b = by_key[kb]
            if a.document_id == b.document_id:
                continue
            same_gold = labels[ka] == labels[kb]
            same_pred = pred_of[ka] == pred_of[kb]
            if not (same_gold or same_pred):
                continue
            for name in ("all", _pair_kind(a, b)):
                t = tallies.setdefault(name, PairTally())
                t.gold += same_gold
                t.pred += same_pred
                t.tp += same_gold and same_pred
            if same_pred and not same_gold:
                wrong.append(f"{ka} + {kb}")
            elif same_gold and not same_pred:
                missed.append(f"{ka} + {kb} ({labels[ka]})")
    gold_sets: dict[str, set[str]] = {}
    for k in keys:
        gold_sets.setdefault(labels[k], set()).add(k)
    pred_sets = {i: set(g) for i, g in enumerate(groups)}
    bp = br = 0.0
    for k in keys:
        inter = len(gold_sets[labels[k]] & pred_sets[pred_of[k]])
        bp += inter / len(pred_sets[pred_of[k]])
        br += inter / len(gold_sets[labels[k]])
    n = max(1, len(keys))
    p, r = bp / n, br / n
    return tallies, (p, r, 2 * p * r / (p + r) if p + r else 0.0), wrong, missed


def run_merge(split: str = "train", source: str = "predicted", shared: str | Path | None = None,
              manifest: str | Path = MANIFEST, seed: int = 20261202, orders: int = 3,
              threshold: float = THRESHOLD, predictions: Mapping[str, Mapping[str, Any]] | None = None,
              extractor: Any = None, progress: Callable[[str], None] | None = None,
              links: str | Path | None = LINKS) -> MergeReport:
    """Group the split's reports in ``orders`` random orders and score the grouping."""
    rows = load_split(split, None, None, shared, manifest)
    ev_labels = event_labels(rows, read_links(links))
    if source == "gold":
        reports, labels = gold_reports(rows, ev_labels)
    else:
        preds = dict(predictions or {})
        if predictions is None:
            from cronica.bench.news import load_extractor, predict

            ex = extractor or load_extractor()
            by_dir: dict[Path, list[tuple[Any, GoldArticle]]] = {}
            for e, a, d in rows:
                by_dir.setdefault(d, []).append((e, a))
            for d, items in by_dir.items():
                p, _ = predict([a for _, a in items], d, ex, progress)
                c = items[0][0].corpus
                preds.update({f"{c}/{f}": v for f, v in p.items()})
        reports, labels = predicted_reports(rows, preds, ev_labels)
    rng = random.Random(seed)
    results = []
    for _ in range(max(1, orders)):
        order = list(reports)
        rng.shuffle(order)
        res = Resolver(threshold)
        for r in order:
            res.add(r)
        results.append(res.groups())
    groups = results[0]
    tallies, bc, wrong, missed = score_grouping(reports, labels, groups)
    multi = Counter(labels[r.key] for r in reports)
    docs_per_label: dict[str, set[str]] = {}
    for r in reports:
        docs_per_label.setdefault(labels[r.key], set()).add(r.document_id)
    return MergeReport(split, source, len(reports), sum(1 for v in docs_per_label.values() if len(v) > 1),
                       tallies, bc, all(g == groups for g in results), len(results), threshold,
                       sorted(wrong), sorted(missed)) if multi else MergeReport(split, source, 0, 0)


def _f(x: float | None) -> str:
    return "   -" if x is None else f"{x:.2f}"


def format_merge(rep: MergeReport, details: bool = False) -> str:
    lines = [f"== merge, split {rep.split}, {rep.source} reports: {rep.reports} reports, "
             f"{rep.gold_clusters} gold clusters across articles, threshold {rep.threshold}",
             f"{'pairs':<8} {'P':>5} {'R':>5} {'F1':>5} {'tp':>5} {'pred':>5} {'gold':>5}"]
    for name in ["all"] + sorted(k for k in rep.pairs if k != "all"):
        t = rep.pairs[name]
        p, r, f = t.prf()
        lines.append(f"{name:<8} {_f(p):>5} {_f(r):>5} {_f(f):>5} {t.tp:>5} {t.pred:>5} {t.gold:>5}")
    lines.append("B-cubed  P {:.2f}  R {:.2f}  F1 {:.2f}".format(*rep.bcubed))
    lines.append(f"order independent over {rep.orders} shuffled orders: {'yes' if rep.order_independent else 'NO'}")
    if details:
        lines += [f"  wrong merge: {w}" for w in rep.wrong]
        lines += [f"  missed merge: {m}" for m in rep.missed]
    return "\n".join(lines)
