"""``cronica train news``: the learned incident decisions, from the corpus manifest.

1. Every train and dev article of ``corpora/manifest.tsv`` is ingested and run through the
   rules only (``Extractor(components=("incidents",))``): the incident *candidates*.
2. Each candidate is matched to the gold events of its article with the benchmark's
   untyped matching (:func:`cronica.bench.scoring.match_events`).  Labels: *keep* (matched
   or not), *type* (the gold type, or the rule's type when the gold accepts it) and
   *status* (the gold status) - the last two on matched candidates only.
3. Three multinomial logistic regressions (scikit-learn, lbfgs, L2) are fitted over
   :func:`cronica.extract.decide.incident_features`.  The regularisation, the keep threshold
   and the margins by which the model must beat the rule's type / status are chosen by
   grouped 5-fold cross-validation over train + dev, on the benchmark's own typed F1.  The
   chosen setting is refitted on train + dev and written as plain JSON
   (``data/models/news/decisions.json``).

The test split is never read.  Everything is deterministic: same corpora, same code, same
file (weights are rounded to 4 decimals; those under ``MIN_WEIGHT`` are left out).
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from cronica.bench.corpus import MANIFEST, load_split
from cronica.bench.gold import GoldArticle
from cronica.bench.scoring import figure_matches, match_events, score, type_ok
from cronica.bench.gold import parent_map
from cronica.bench.scoring import perpetrator_correct
from cronica.extract.decide import (MODEL_PATH, TOLL_FIELDS, Decisions, LinearModel, actor_candidates, choose,
                                    decisions_to_dict, incident_features, toll_candidates)

C_GRID = (0.3, 1.0, 3.0)
KEEP_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
#: The model's type (status) replaces the rule's only when its probability beats the
#: rule's by this margin; 1.0 keeps the rule's decision.
MARGIN_GRID = (0.0, 0.2, 0.4, 0.6, 1.0)
FOLDS = 5
#: Sentence detection: a sentence no candidate covers becomes an incident at this probability.
DETECT_GRID = (1.01, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)
DETECT_C = 1.0
#: An indicator needs this many training quantities to be a class of the figure model.
MIN_FIGURE_EXAMPLES = 3
#: Probability at which a quantity no rule matched becomes a figure (above 1: never).
FIG_ADD_GRID = (1.01, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2)
#: Regularisation of the figure model (many classes, more data per class than incidents).
FIG_C_GRID = (1.0, 3.0)
#: Probability a toll candidate needs to replace the rules' count (above 1: never).
TOLL_GRID = (1.01, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4)
#: Perpetrators: add a candidate scored at least PERP_ADD; drop a rule perpetrator scored under PERP_DROP.
PERP_ADD_GRID = (1.01, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1)
PERP_DROP_GRID = (0.0, 0.1, 0.2, 0.3, 0.4)
MIN_COUNT = 2
#: Weights smaller than this are left out of the shipped files (they move no decision).
MIN_WEIGHT = 0.01
#: A learned setting must beat the rules' own decision by this much (on its CV metric).
MIN_GAIN = 0.005


@dataclass(slots=True)
class Article:
    """One annotated article with its rule candidates, their features and labels."""

    key: str
    split: str
    group: str
    language: str
    gold: GoldArticle
    pred: dict[str, Any]  # Cronica JSON of the rules' output
    feats: list[dict[str, float]] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)
    type: list[str | None] = field(default_factory=list)
    status: list[str | None] = field(default_factory=list)
    # per candidate incident: [(value, qualifier, feats, {field: "yes"|"no"} or None when unmatched)]
    tolls: list[list[tuple[int, str, dict[str, float], dict[str, str] | None]]] = field(default_factory=list)
    # per candidate incident: [(canonical, kind, feats, "yes"|"no" or None when unmatched)]
    perps: list[list[tuple[str, str | None, dict[str, float], str | None]]] = field(default_factory=list)
    # every quantity the figure component considered: (value, low, high, rule indicator, feats, gold label)
    figs: list[tuple[float | None, float | None, float | None, str | None, dict[str, float], str, bool, bool]] = \
        field(default_factory=list)
    # per candidate incident: the matched gold event's killed ({value, qualifier} or None), "unmatched"
    killed_gold: list[Any] = field(default_factory=list)
    # every sentence: (features, gold type or "none", covered by a rule candidate, incident dict if detected)
    sents: list[tuple[dict[str, float], str, bool, dict[str, Any]]] = field(default_factory=list)


def collect(splits: tuple[str, ...] = ("train", "dev"), shared: str | Path | None = None,
            manifest: str | Path = MANIFEST, progress: Callable[[str], None] | None = None) -> list[Article]:
    """Run the rules on the manifest's ``splits`` and label every candidate."""
    from cronica.extract import Extractor
    from cronica.extract.figures import FigureCandidate, extract_figures
    from cronica.extract.nlp import load_nlp
    from cronica.ingest import read_paths
    from cronica.records import Document

    if "test" in splits:
        raise ValueError("the locked test split is never used for training")
    ex = Extractor(components=("groups", "incidents"))
    out: list[Article] = []
    for split in splits:
        for e, gold, d in load_split(split, shared=shared, manifest=manifest):
            if progress:
                progress(e.key)
            docs = [x for x in read_paths([d / gold.file], url=gold.url, published=gold.published)
                    if isinstance(x, Document)]
            if not docs:
                continue
            doc = docs[0]
            sdoc = load_nlp(doc.language if doc.language in ("en", "es") else "en")(doc.text)
            res = ex.run_components(sdoc, doc)
            pred = res.to_dict()
            fc: list[FigureCandidate] = []
            extract_figures(sdoc, doc, model=False, collect=fc)
            art = Article(e.key, split, e.group, e.language, gold, pred)
            art.sents = sentence_rows(sdoc, doc, gold, res.incidents, ex._incident_extractor().main_country(sdoc))
            art.figs = [(c.value, c.low, c.high, c.rule_indicator, c.feats, figure_label(gold, doc.text, c),
                         c.fall, c.kilos) for c in fc]
            incs = res.incidents
            art.feats = [incident_features(docs[0], inc, i, len(incs)) for i, inc in enumerate(incs)]
            pairs = dict((pi, gi) for gi, pi in match_events(gold.events, pred["incidents"], typed=False))
            parents = parent_map([gold])
            for pi, p in enumerate(pred["incidents"]):
                gi = pairs.get(pi)
                cands = toll_candidates(docs[0], incs[pi])
                g_ = gold.events[gi] if gi is not None else None
                art.killed_gold.append("unmatched" if g_ is None else g_.get("killed"))
                art.tolls.append([(c.value, c.qualifier, c.feats,
                                   None if g_ is None else {k: "yes" if (g_.get(k) or {}).get("value") == c.value else "no"
                                                            for k in TOLL_FIELDS}) for c in cands])
                acands = actor_candidates(docs[0], incs[pi], res.actors)
                art.perps.append([(c.ref.canonical or c.ref.name, c.ref.kind, c.feats,
                                   None if g_ is None else
                                   ("yes" if perpetrator_correct(list(g_.get("perpetrators") or []),
                                                                 [{"canonical": c.ref.canonical or c.ref.name}], parents)
                                    else "no")) for c in acands])
                if gi is None:
                    art.keep.append("drop")
                    art.type.append(None)
                    art.status.append(None)
                    continue
                g = gold.events[gi]
                art.keep.append("keep")
                art.type.append(p["type"] if type_ok(g, p["type"]) else g["type"])
                art.status.append(g.get("status") or "current")
            out.append(art)
    return out


def sentence_rows(sdoc: Any, doc: Any, gold: GoldArticle, incidents: list[Any],
                  country: str | None) -> list[tuple[dict[str, float], str, bool, dict[str, Any]]]:
    """Each sentence's features, its label (the type of the gold event whose first evidence
    sentence it is, else ``none``), whether a rule candidate covers it, and the incident it
    would become."""
    from cronica.bench.gold import norm
    from cronica.extract.detect import new_incident, sentence_features, sentences

    firsts = [(norm(ev["evidence"][0]), ev["type"]) for ev in gold.events if ev.get("evidence")]
    covered = [(e.start, e.end) for i in incidents for e in i.evidence]
    spans = sentences(sdoc, doc)
    lang = doc.language or "en"
    rows = []
    for k, (a, b) in enumerate(spans):
        t = norm(doc.text[a:b])
        label = next((typ for ev, typ in firsts if t and ev and (t == ev or (len(t) > 40 and (t in ev or ev in t)))),
                     "none")
        inc = new_incident(doc, a, b, "other", 1.0, country).to_dict()
        rows.append((sentence_features(doc.text[a:b], lang, k, len(spans)), label,
                     any(x < b and a < y for x, y in covered), inc))
    return rows


def figure_label(gold: GoldArticle, text: str, c: Any) -> str:
    """The indicator of the gold claim this quantity states (same value; a claim whose
    evidence holds the quantity first), else ``none``."""
    hits = [cl for cl in gold.claims
            if figure_matches(cl, {**_stated(cl.get("indicator"), c.value, c.low, c.high, c.fall, c.kilos),
                                   "indicator": cl.get("indicator")})]
    if not hits:
        return "none"
    for cl in hits:
        for ev in cl.get("evidence") or []:
            i = text.find(ev) if isinstance(ev, str) else -1
            if i >= 0 and i <= c.start < i + len(ev):
                return str(cl["indicator"])
    return str(hits[0]["indicator"])


def _stated(ind: str | None, v: float | None, lo: float | None, hi: float | None, fall: bool,
            kilos: bool) -> dict[str, float | None]:
    """The value a figure of indicator ``ind`` takes (signed changes, kilograms to tons),
    as :func:`cronica.extract.figures.extract_figures` writes it."""
    ind = ind or ""
    if ind.endswith("_tons") and kilos:
        v, lo, hi = (None if x is None else x / 1000 for x in (v, lo, hi))
    if fall and ind.endswith("_change_pct") and v is not None:
        v = -v
    return {"value": v, "low": lo, "high": hi}


def _fig_classes(arts: list[Article]) -> set[str]:
    n = Counter(x[5] for a in arts for x in a.figs if x[5] != "none")
    return {k for k, v in n.items() if v >= MIN_FIGURE_EXAMPLES}


def fit_figures(arts: list[Article], c: float) -> tuple[LinearModel, dict[str, str | None]]:
    """The figure model (indicators seen ``MIN_FIGURE_EXAMPLES`` times, ``other``, ``none``)
    and each indicator's most common gold unit."""
    keep = _fig_classes(arts)
    X = [x[4] for a in arts for x in a.figs]
    y = [x[5] if x[5] in keep or x[5] == "none" else "other" for a in arts for x in a.figs]
    units: dict[str, Counter] = {}
    for a in arts:
        for cl in a.gold.claims:
            units.setdefault(str(cl.get("indicator")), Counter())[cl.get("unit")] += 1
    return _fit(X, y, c), {k: v.most_common(1)[0][0] for k, v in sorted(units.items()) if k in keep}


def figures_from(arts: list[Article], fm: Any) -> dict[str, dict[str, Any]]:
    """Each article's figures as the figure decision ``fm`` (None: the rules) would make them."""
    out = {}
    for a in arts:
        seen, figs = set(), []
        for v, lo, hi, ri, f, _lab, fall, kilos in a.figs:
            ind = ri if fm is None else fm.choose(_proba(fm.model, f), ri)[0]
            if not ind:
                continue
            st = _stated(ind, v, lo, hi, fall, kilos)
            key = (ind, st["value"], st["low"], st["high"])
            if key not in seen:
                seen.add(key)
                figs.append({"indicator": ind, **st})
        out[a.gold.file] = {"figures": figs}
    return out


def figures_f1(arts: list[Article], preds: dict[str, dict[str, Any]]) -> float:
    rep = score([a.gold for a in arts], preds)
    return rep.by_language()["all"].tallies["figures"].f1 or 0.0


def select_figures(arts: list[Article], log: Callable[[str], None]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Regularisation and thresholds of the figure decision by grouped k-fold
    cross-validation (figures F1); the grids start at the rules' own decisions."""
    from cronica.extract.figures import FigureModel

    folds = _folds(arts)
    log(f"figures F1 of the rules alone (train + dev candidates): {figures_f1(arts, figures_from(arts, None)):.4f}")
    rows: list[dict[str, Any]] = []
    best: tuple[float, dict[str, float]] = (-1.0, {})
    r0: list[float] = []
    for c in FIG_C_GRID:
        models = []
        for i in range(FOLDS):
            m, units = fit_figures([a for j, f in enumerate(folds) if j != i for a in f], c)
            models.append(FigureModel(m, 1.01, 1.0, 1.0, units))
        for add in FIG_ADD_GRID:
            for ch in sorted(MARGIN_GRID, reverse=True):
                for dr in sorted(MARGIN_GRID, reverse=True):
                    preds: dict[str, dict[str, Any]] = {}
                    for fm, fold in zip(models, folds):
                        fm.add_threshold, fm.change_margin, fm.drop_margin = add, ch, dr
                        preds.update(figures_from(fold, fm))
                    f1 = figures_f1(arts, preds)
                    setting = {"C": c, "add_threshold": add, "change_margin": ch, "drop_margin": dr}
                    rows.append({**setting, "cv_figures_f1": round(f1, 4)})
                    if _beats(f1, best[0], r0):
                        best = (f1, setting)
    log(f"cross-validated figures F1 {best[0]:.4f} with {best[1]}")
    return best[1], rows


def _fit(X: list[dict[str, float]], y: list[str], c: float) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(k for f in X for k in f)
    X = [{k: v for k, v in f.items() if counts[k] >= MIN_COUNT} for f in X]
    vec = DictVectorizer(sort=True)
    M = vec.fit_transform(X)
    classes = sorted(set(y))
    if len(classes) == 1:
        return LinearModel(classes, {classes[0]: {}}, {classes[0]: 0.0})
    lr = LogisticRegression(C=c, max_iter=5000, tol=1e-6)
    lr.fit(M, y)
    names = vec.get_feature_names_out()
    coef = lr.coef_
    cls = [str(x) for x in lr.classes_]
    if len(cls) == 2:  # binary: sklearn keeps one row for the positive class
        w1 = {str(n): round(float(v), 4) for n, v in zip(names, coef[0]) if abs(v) >= MIN_WEIGHT}
        return LinearModel(cls, {cls[0]: {}, cls[1]: w1}, {cls[0]: 0.0, cls[1]: round(float(lr.intercept_[0]), 6)})
    weights = {c_: {str(n): round(float(v), 4) for n, v in zip(names, row) if abs(v) >= MIN_WEIGHT}
               for c_, row in zip(cls, coef)}
    return LinearModel(cls, weights, {c_: round(float(b), 6) for c_, b in zip(cls, lr.intercept_)})


def fit_detector(arts: list[Article], c: float) -> LinearModel:
    """Sentence -> incident type or ``none``, over every sentence of ``arts``."""
    X = [r[0] for a in arts for r in a.sents]
    y = [r[1] for a in arts for r in a.sents]
    return _fit(X, y, c)


def fit(arts: list[Article], c: float, keep_threshold: float) -> Decisions:
    X = [f for a in arts for f in a.feats]
    keep = [k for a in arts for k in a.keep]
    Xt = [f for a in arts for f, t in zip(a.feats, a.type) if t]
    yt = [t for a in arts for t in a.type if t]
    ys = [s for a in arts for s in a.status if s]
    tolls = {}
    for k in TOLL_FIELDS:
        rows = [(f, lab[k]) for a in arts for cands in a.tolls for _, _, f, lab in cands if lab is not None]
        if rows and len({y for _, y in rows}) == 2:
            tolls[k] = _fit([f for f, _ in rows], [y for _, y in rows], c)
    orow = [(f, "yes" if (g or {}).get("value") == 1 and (g or {}).get("qualifier") == "exact" else "no")
            for a in arts for f, p, g in zip(a.feats, a.pred["incidents"], a.killed_gold)
            if g != "unmatched" and not p.get("killed")]
    one = _fit([f for f, _ in orow], [y for _, y in orow], c) if len({y for _, y in orow}) == 2 else None
    prow = [(f, lab) for a in arts for cands in a.perps for _, _, f, lab in cands if lab is not None]
    perp = _fit([f for f, _ in prow], [y for _, y in prow], c) if len({y for _, y in prow}) == 2 else None
    return Decisions(_fit(X, keep, c), _fit(Xt, yt, c), _fit(Xt, ys, c), keep_threshold, 1.0, 1.0, {},
                     tolls, {k: 1.01 for k in tolls}, perp, 1.01, 0.0, one, 1.01)


_PROBA: dict[tuple[int, int], tuple[LinearModel, dict[str, float], dict[str, float]]] = {}


def _proba(model: LinearModel, f: dict[str, float]) -> dict[str, float]:
    """``model.proba(f)``, memoised for the selection loops (the cache keeps both objects
    alive, so their ids cannot be reused)."""
    key = (id(model), id(f))
    hit = _PROBA.get(key)
    if hit is None or hit[0] is not model or hit[1] is not f:
        hit = (model, f, model.proba(f))
        _PROBA[key] = hit
    return hit[2]


def apply_to(arts: list[Article], dec: Decisions, det: Any = None) -> dict[str, dict[str, Any]]:
    """The articles' rule incidents with the decisions applied (for scoring incidents;
    the other parts of the predictions are left out, the decisions do not touch them)."""
    out = {}
    for a in arts:
        pred = {"incidents": copy.deepcopy(a.pred["incidents"])}
        kept = []
        for p, f, cands, pc in zip(pred["incidents"], a.feats, a.tolls or [[]] * len(a.feats),
                                   a.perps or [[]] * len(a.feats)):
            if _proba(dec.keep, f).get("keep", 1.0) < dec.keep_threshold:
                continue
            p["type"] = choose(_proba(dec.type, f), p["type"], dec.type_margin)
            p["status"] = choose(_proba(dec.status, f), p["status"], dec.status_margin)
            for k, m in (dec.tolls or {}).items():
                t = (dec.toll_thresholds or {}).get(k, 1.01)
                if t > 1 or not cands:
                    continue
                prob, _, (v, q, _f, _l) = max(((_proba(m, c[2]).get("yes", 0.0), -i, c) for i, c in enumerate(cands)),
                                              key=lambda x: (x[0], x[1]))
                if prob >= t and (p.get(k) or {}).get("value") != v:
                    p[k] = {"value": v, "qualifier": q}
            if dec.perpetrator is not None and (dec.perp_add <= 1 or dec.perp_drop > 0):
                probs = {name: _proba(dec.perpetrator, ff).get("yes", 0.0) for name, _k, ff, _l in pc}
                perps = [r for r in p.get("perpetrators") or []
                         if probs.get(r.get("canonical") or r.get("name"), 1.0) >= dec.perp_drop]
                have = {r.get("canonical") or r.get("name") for r in perps}
                for name, kind, _ff, _l in sorted(pc, key=lambda x: -probs[x[0]]):
                    if probs[name] >= dec.perp_add and name not in have:
                        perps.append({"name": name, "canonical": name, "kind": kind})
                        have.add(name)
                p["perpetrators"] = perps
            if dec.killed_one is not None and dec.killed_one_threshold <= 1 and not p.get("killed") \
                    and _proba(dec.killed_one, f).get("yes", 0.0) >= dec.killed_one_threshold:
                p["killed"] = {"value": 1, "qualifier": "exact"}
            kept.append(p)
        if det is not None and det.threshold <= 1:
            for f, _lab, cov, inc in a.sents:
                if cov:
                    continue
                typ, p_ = det.best_of(_proba(det.model, f))
                if typ is not None and p_ >= det.threshold:
                    kept.append({**inc, "type": typ})
        pred["incidents"] = kept
        out[a.gold.file] = pred
    return out


def typed_f1(arts: list[Article], preds: dict[str, dict[str, Any]] | None = None) -> float:
    rep = score([a.gold for a in arts], preds if preds is not None else {a.gold.file: a.pred for a in arts})
    t = rep.by_language()["all"].tallies["incidents.typed"]
    return t.f1 or 0.0


def _beats(score: float, best: float, rules: list[float]) -> bool:
    """Whether a setting's CV ``score`` replaces the ``best`` so far.  ``rules`` holds the
    score of the loop's first setting - the rules' own decision - once it is known: any
    other setting must beat it by ``MIN_GAIN`` (differences smaller than that are noise
    on a few hundred articles, and the rules are the simpler choice)."""
    if not rules:
        rules.append(score)
        return True
    return score > best + 1e-9 and score >= rules[0] + MIN_GAIN


def _folds(arts: list[Article]) -> list[list[Article]]:
    """``FOLDS`` folds by incident group (a group never straddles two folds)."""
    import hashlib

    out: list[list[Article]] = [[] for _ in range(FOLDS)]
    for a in arts:
        out[int(hashlib.sha256(a.group.encode()).hexdigest(), 16) % FOLDS].append(a)
    return out


def field_accuracy(arts: list[Article], preds: dict[str, dict[str, Any]], fld: str) -> float:
    rep = score([a.gold for a in arts], preds)
    acc = rep.by_language()["all"].accs["event." + fld]
    return acc.correct / acc.total if acc.total else 0.0


def tally_f1(arts: list[Article], preds: dict[str, dict[str, Any]], key: str) -> float:
    rep = score([a.gold for a in arts], preds)
    return rep.by_language()["all"].tallies[key].f1 or 0.0


def status_accuracy(arts: list[Article], preds: dict[str, dict[str, Any]]) -> float:
    return field_accuracy(arts, preds, "status")


def select(arts: list[Article], log: Callable[[str], None]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Choose C, the keep threshold and the type margin by grouped k-fold cross-validation
    over train + dev (pooled out-of-fold typed F1), then the status margin (out-of-fold
    status accuracy on the matched pairs), the toll, perpetrator, one-death and sentence
    detection thresholds.  Grids start at the rules' own decisions; another setting must
    beat them by ``MIN_GAIN`` (:func:`_beats`)."""
    folds = _folds(arts)
    rules = {a.gold.file: a.pred for a in arts}
    log(f"rules alone (train + dev): typed F1 {typed_f1(arts, rules):.4f}, "
        f"status accuracy {status_accuracy(arts, rules):.4f}")
    rows: list[dict[str, Any]] = []
    best: tuple[float, dict[str, float], list[Decisions]] = (-1.0, {}, [])
    r0: list[float] = []
    for c in C_GRID:
        models = [fit([a for j, f in enumerate(folds) if j != i for a in f], c, 0.0) for i in range(FOLDS)]
        for t in KEEP_GRID:
            for mt in sorted(MARGIN_GRID, reverse=True):
                preds: dict[str, dict[str, Any]] = {}
                for dec, fold in zip(models, folds):
                    dec.keep_threshold, dec.type_margin, dec.status_margin = t, mt, 1.0
                    preds.update(apply_to(fold, dec))
                f1 = typed_f1(arts, preds)
                setting = {"C": c, "keep_threshold": t, "type_margin": mt}
                rows.append({**setting, "cv_typed_f1": round(f1, 4)})
                if _beats(f1, best[0], r0):
                    best = (f1, setting, models)
    f1, setting, models = best
    best_s = (-1.0, 1.0)
    r0 = []
    for ms in sorted(MARGIN_GRID, reverse=True):
        preds = {}
        for dec, fold in zip(models, folds):
            dec.keep_threshold, dec.type_margin, dec.status_margin = setting["keep_threshold"], setting["type_margin"], ms
            preds.update(apply_to(fold, dec))
        acc = status_accuracy(arts, preds)
        rows.append({**setting, "status_margin": ms, "cv_status_accuracy": round(acc, 4)})
        if _beats(acc, best_s[0], r0):
            best_s = (acc, ms)
    setting = {**setting, "status_margin": best_s[1]}
    for dec in models:
        dec.status_margin = best_s[1]
    for k in TOLL_FIELDS:
        best_t = (-1.0, 1.01)
        r0 = []
        for t in TOLL_GRID:
            preds = {}
            for dec, fold in zip(models, folds):
                dec.toll_thresholds = {**(dec.toll_thresholds or {}), k: t}
                preds.update(apply_to(fold, dec))
            acc = field_accuracy(arts, preds, k)
            rows.append({**setting, f"{k}_threshold": t, f"cv_{k}_accuracy": round(acc, 4)})
            if _beats(acc, best_t[0], r0):
                best_t = (acc, t)
        for dec in models:
            dec.toll_thresholds = {**(dec.toll_thresholds or {}), k: best_t[1]}
        setting[f"{k}_threshold"] = best_t[1]
        log(f"cross-validated {k} exact accuracy {best_t[0]:.4f} at threshold {best_t[1]}")
    best_p = (-1.0, 1.01, 0.0)
    r0 = []
    for add in PERP_ADD_GRID:
        for drop in PERP_DROP_GRID:
            preds = {}
            for dec, fold in zip(models, folds):
                dec.perp_add, dec.perp_drop = add, drop
                preds.update(apply_to(fold, dec))
            acc = tally_f1(arts, preds, "event.perpetrators")
            rows.append({**setting, "perp_add": add, "perp_drop": drop, "cv_perpetrators_f1": round(acc, 4)})
            if _beats(acc, best_p[0], r0):
                best_p = (acc, add, drop)
    setting["perp_add"], setting["perp_drop"] = best_p[1], best_p[2]
    for dec in models:
        dec.perp_add, dec.perp_drop = best_p[1], best_p[2]
    best_o = (-1.0, 1.01)
    r0 = []
    for t in TOLL_GRID:
        preds = {}
        for dec, fold in zip(models, folds):
            dec.killed_one_threshold = t
            preds.update(apply_to(fold, dec))
        acc = field_accuracy(arts, preds, "killed")
        rows.append({**setting, "killed_one_threshold": t, "cv_killed_accuracy": round(acc, 4)})
        if _beats(acc, best_o[0], r0):
            best_o = (acc, t)
    setting["killed_one_threshold"] = best_o[1]
    for dec in models:
        dec.killed_one_threshold = best_o[1]
    from cronica.extract.detect import Detector
    dets = [Detector(fit_detector([a for j, f in enumerate(folds) if j != i for a in f], DETECT_C), 1.01)
            for i in range(FOLDS)]
    best_d = (-1.0, 1.01)
    r0 = []
    for t in DETECT_GRID:
        preds = {}
        for dec, det, fold in zip(models, dets, folds):
            det.threshold = t
            preds.update(apply_to(fold, dec, det))
        f1d = typed_f1(arts, preds)
        rows.append({**setting, "detect_threshold": t, "cv_typed_f1": round(f1d, 4)})
        if _beats(f1d, best_d[0], r0):
            best_d = (f1d, t)
    setting["detect_threshold"] = best_d[1]
    log(f"cross-validated typed F1 {best_d[0]:.4f} with sentence detection at >= {best_d[1]}")
    log(f"cross-validated killed exact accuracy {best_o[0]:.4f} with one death inferred at >= {best_o[1]}")
    log(f"cross-validated perpetrators F1 {best_p[0]:.4f} (add >= {best_p[1]}, drop < {best_p[2]})")
    log(f"cross-validated: typed F1 {f1:.4f}, status accuracy {best_s[0]:.4f} with {setting}")
    return setting, rows


def train_news(out: str | Path | None = None, shared: str | Path | None = None,
               manifest: str | Path = MANIFEST, cache: str | Path | None = None,
               log: Callable[[str], None] = print) -> Path:
    """Collect, select on dev, refit on train + dev, write the model file; returns its path."""
    import pickle

    arts: list[Article] | None = None
    if cache and Path(cache).is_file():
        with open(cache, "rb") as fh:
            arts = pickle.load(fh)
        log(f"candidates read from {cache}")
    if arts is None:
        arts = collect(shared=shared, manifest=manifest, progress=None)
        if cache:
            with open(cache, "wb") as fh:
                pickle.dump(arts, fh)
    n = Counter(a.split for a in arts)
    log(f"{n['train']} train and {n['dev']} dev articles, "
        f"{sum(len(a.feats) for a in arts)} candidates")
    setting, grid = select(arts, log)
    dec = fit(arts, setting["C"], setting["keep_threshold"])
    dec.type_margin, dec.status_margin = setting["type_margin"], setting["status_margin"]
    dec.toll_thresholds = {k: setting[f"{k}_threshold"] for k in TOLL_FIELDS if k in (dec.tolls or {})}
    dec.perp_add, dec.perp_drop = setting["perp_add"], setting["perp_drop"]
    dec.killed_one_threshold = setting["killed_one_threshold"]
    path = Path(out) if out else MODEL_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    dec.meta = {"trained_on": {"train": n["train"], "dev": n["dev"]}, **setting, "min_count": MIN_COUNT,
                "features": "cronica.extract.decide", "selection": grid}
    doc = decisions_to_dict(dec)
    path.write_text(json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                    encoding="utf-8")
    from cronica.extract.detect import detector_to_dict

    dpath = path.with_name("detect.json")
    dmodel = fit_detector(arts, DETECT_C)
    dpath.write_text(json.dumps(detector_to_dict(dmodel, setting["detect_threshold"],
                                                 {"trained_on": {"train": n["train"], "dev": n["dev"]}, "C": DETECT_C,
                                                  "features": "cronica.extract.detect.sentence_features"}),
                                ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    log(f"wrote {dpath} ({dpath.stat().st_size / 1e6:.1f} MB): threshold {setting['detect_threshold']}")
    fsetting, fgrid = select_figures(arts, log)
    fmodel, units = fit_figures(arts, fsetting["C"])
    fpath = path.with_name("figures.json")
    fdoc = {"meta": {"trained_on": {"train": n["train"], "dev": n["dev"]}, "C": fsetting.pop("C"),
                     "min_examples": MIN_FIGURE_EXAMPLES, "features": "cronica.extract.figures.figure_features",
                     "selection": fgrid},
            **fsetting, "units": units,
            "model": {"classes": fmodel.classes, "intercepts": fmodel.intercepts, "weights": fmodel.weights}}
    fpath.write_text(json.dumps(fdoc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                     encoding="utf-8")
    log(f"wrote {fpath} ({fpath.stat().st_size / 1e6:.1f} MB): {fsetting}")
    _PROBA.clear()
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB): {setting}")
    return path
