"""Scoring the extractor on the corpus manifest's splits, with 95% bootstrap intervals.

``cronica bench news --split dev`` runs ingest + the extractor on every manifest article of
the split (:mod:`cronica.bench.corpus`), scores each article with the news-dev scorer
(:func:`cronica.bench.scoring.score`) and reports, per corpus and language and over all of
them, the headline fields with a 95% percentile bootstrap interval (articles resampled with
replacement, 1,000 draws, fixed seed), plus a confusion table of incident types over the
untyped matching.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from cronica.bench.corpus import MANIFEST, Entry, load_split
from cronica.bench.gold import GoldArticle
from cronica.bench.metrics import Acc, Tally
from cronica.bench.scoring import ArticleScore, Report, match_events, score

#: (label, metric key, kind): "f1"/"recall" of a Tally, "acc" of an Acc.
HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("incidents typed F1", "incidents.typed", "f1"),
    ("incidents untyped F1", "incidents.untyped", "f1"),
    ("current incidents typed F1", "incidents.typed.current", "f1"),
    ("killed exact", "event.killed", "acc"),
    ("wounded exact", "event.wounded", "acc"),
    ("date", "event.date", "acc"),
    ("perpetrator", "event.perpetrator", "acc"),
    ("perpetrators F1", "event.perpetrators", "f1"),
    ("status", "event.status", "acc"),
    ("targets F1", "event.targets", "f1"),
    ("figures recall", "figures", "recall"),
    ("figures F1", "figures", "f1"),
    ("figure claimant", "figures.claimant", "acc"),
    ("groups F1", "groups", "f1"),
    ("people F1", "people", "f1"),
    ("quotes F1", "quotes", "f1"),
)
DRAWS = 1000
SEED = 20261202


@dataclass(slots=True)
class SplitReport:
    """Per-article scores keyed ``corpus/file``, their manifest entries and type pairs."""

    split: str
    entries: dict[str, Entry]
    articles: dict[str, ArticleScore]
    type_pairs: Counter = field(default_factory=Counter)  # (gold type, predicted type) -> n
    notes: dict[str, str] = field(default_factory=dict)

    def scopes(self) -> list[tuple[str, list[ArticleScore]]]:
        """(name, articles): each corpus x language, each language, and everything."""
        out: list[tuple[str, list[ArticleScore]]] = []
        corpora = sorted({e.corpus for e in self.entries.values()})
        langs = sorted({e.language for e in self.entries.values()})
        for c in corpora:
            for lang in langs:
                arts = [a for k, a in self.articles.items()
                        if self.entries[k].corpus == c and self.entries[k].language == lang]
                if arts:
                    out.append((f"{c} {lang}", arts))
        for lang in langs:
            out.append((f"all {lang}", [a for k, a in self.articles.items()
                                        if self.entries[k].language == lang]))
        out.append(("all", list(self.articles.values())))
        return out


def metric(arts: list[ArticleScore], key: str, kind: str) -> tuple[float | None, int]:
    """The metric over ``arts`` and its denominator (gold items or matched pairs)."""
    if kind == "acc":
        a = sum((x.accs[key] for x in arts), Acc())
        return (a.correct / a.total if a.total else None), a.total
    t = sum((x.tallies[key] for x in arts), Tally())
    return (t.f1 if kind == "f1" else t.recall), t.gold


def bootstrap(arts: list[ArticleScore], key: str, kind: str, draws: int = DRAWS,
              seed: int = SEED) -> tuple[float | None, float | None]:
    """95% percentile interval of the metric, resampling articles with replacement."""
    if not arts:
        return None, None
    rng = random.Random(seed)
    vals = []
    for _ in range(draws):
        sample = [arts[rng.randrange(len(arts))] for _ in arts]
        v, _n = metric(sample, key, kind)
        if v is not None:
            vals.append(v)
    if len(vals) < draws // 2:
        return None, None
    vals.sort()
    return vals[int(0.025 * (len(vals) - 1))], vals[int(0.975 * (len(vals) - 1))]


def type_pairs(gold: GoldArticle, pred: Mapping[str, Any] | None) -> Counter:
    """(gold type, predicted type) over the untyped matching of one article; unmatched gold
    events count as (type, "-") and spurious predictions as ("-", type)."""
    out: Counter = Counter()
    p_ev = list((pred or {}).get("incidents") or [])
    pairs = match_events(gold.events, p_ev, typed=False)
    hit_g, hit_p = {g for g, _ in pairs}, {p for _, p in pairs}
    for gi, pi in pairs:
        out[(gold.events[gi]["type"], p_ev[pi].get("type"))] += 1
    for gi, g in enumerate(gold.events):
        if gi not in hit_g:
            out[(g["type"], "-")] += 1
    for pi, p in enumerate(p_ev):
        if pi not in hit_p:
            out[("-", p.get("type"))] += 1
    return out


def run_split(split: str = "dev", corpus: str | None = None, lang: str | None = None,
              shared: str | Path | None = None, manifest: str | Path = MANIFEST,
              extractor: Any = None, predictions: Mapping[str, Mapping[str, Any]] | None = None,
              progress: Callable[[str], None] | None = None) -> tuple[SplitReport, dict[str, Any]]:
    """Score one split.  ``predictions`` (``corpus/file`` -> Cronica JSON) are used when
    given, else the extractor runs.  Returns the report and the predictions it scored."""
    from cronica.bench.news import load_extractor, predict

    rows = load_split(split, corpus, lang, shared, manifest)
    preds: dict[str, Any] = dict(predictions or {})
    notes: dict[str, str] = {}
    if predictions is None:
        ex = extractor or load_extractor()
        by_dir: dict[Path, list[tuple[Entry, GoldArticle]]] = {}
        for e, a, d in rows:
            by_dir.setdefault(d, []).append((e, a))
        for d, items in by_dir.items():
            p, n = predict([a for _, a in items], d, ex, progress)
            c = items[0][0].corpus
            preds.update({f"{c}/{f}": v for f, v in p.items()})
            notes.update({f"{c}/{f}": v for f, v in n.items()})
    rep = SplitReport(split, {e.key: e for e, _, _ in rows}, {}, notes=notes)
    for e, a, _ in rows:
        art_score = score([a], {a.file: preds[e.key]} if e.key in preds else {},
                          {a.file: notes[e.key]} if e.key in notes else None).articles[0]
        rep.articles[e.key] = art_score
        rep.type_pairs.update(type_pairs(a, preds.get(e.key)))
    return rep, preds


def _cell(arts: list[ArticleScore], key: str, kind: str, ci: bool) -> str:
    v, n = metric(arts, key, kind)
    if v is None:
        return "-"
    if not ci:
        return f"{v:.2f} (n={n})"
    lo, hi = bootstrap(arts, key, kind)
    return f"{v:.2f} [{lo:.2f}-{hi:.2f}] n={n}" if lo is not None else f"{v:.2f} n={n}"


def format_split(rep: SplitReport, ci: bool = True, confusion: bool = True) -> str:
    lines = [f"== split {rep.split}: {len(rep.articles)} articles "
             f"(95% bootstrap intervals over articles, {DRAWS} draws) =="]
    for name, arts in rep.scopes():
        lines.append(f"\n-- {name} ({len(arts)} articles)")
        for label, key, kind in HEADLINE:
            lines.append(f"  {label:<28} {_cell(arts, key, kind, ci)}")
    if confusion:
        lines.append("\n" + format_confusion(rep.type_pairs))
    if rep.notes:
        lines.append(f"\n{len(rep.notes)} article(s) scored as predicting nothing:")
        lines += [f"  {k}: {v}" for k, v in sorted(rep.notes.items())]
    return "\n".join(lines)


def format_confusion(pairs: Counter) -> str:
    """Rows: gold type ("-": spurious prediction); columns: predicted type ("-": missed)."""
    gold_types = sorted({g for g, _ in pairs if g != "-"}) + ["-"]
    pred_types = sorted({p for _, p in pairs if p != "-"}) + ["-"]
    abbrev = {t: t[:6] for t in pred_types}
    head = "gold \\ predicted".ljust(16) + "".join(abbrev[t].rjust(7) for t in pred_types)
    lines = ["Incident types on the untyped matching (row: gold, column: predicted; '-' = none)", head]
    for g in gold_types:
        lines.append(g[:16].ljust(16) + "".join(str(pairs.get((g, p), "") or ".").rjust(7) for p in pred_types))
    return "\n".join(lines)


def split_to_dict(rep: SplitReport, ci: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"split": rep.split, "scopes": {}, "notes": rep.notes,
                           "type_confusion": [{"gold": g, "predicted": p, "n": n}
                                              for (g, p), n in sorted(rep.type_pairs.items())]}
    for name, arts in rep.scopes():
        d: dict[str, Any] = {"articles": len(arts)}
        for label, key, kind in HEADLINE:
            v, n = metric(arts, key, kind)
            lo, hi = bootstrap(arts, key, kind) if ci else (None, None)
            d[label] = {"value": v, "n": n, "ci95": [lo, hi]}
        out["scopes"][name] = d
    return out


def as_report(rep: SplitReport) -> Report:
    """The per-article scores as a plain :class:`Report` (for the per-language tables)."""
    return Report(list(rep.articles.values()))
