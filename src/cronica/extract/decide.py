"""Learned decisions over the rules' incident candidates (the ``decide`` component).

The rules in :mod:`cronica.extract.incidents` propose incidents; this component makes the
final calls with linear models trained on the annotated news corpora by
``cronica train news`` (:mod:`cronica.train.news`):

* **keep** - is the candidate a real incident of the article (else it is dropped; the
  probability becomes part of the incident's ``confidence``);
* **type** - one of the 17 incident types;
* **status** - current, background, aggregate, hypothetical or negated;
* **tolls** - for killed and wounded, which head-count near the incident is its toll
  (:func:`toll_candidates`: context words, "including"-style subsets, distance, qualifier,
  whether the rules chose the same number); the best candidate replaces the rules' count
  when its probability reaches a threshold chosen by cross-validation;
* **one death without a number** - an incident with no killed count whose words say one
  person died ("X was shot dead", "fue asesinado") gets killed = 1, when a classifier over
  the incident features is confident enough;
* **perpetrators** - each group or force of the article is scored as the incident's
  perpetrator (:func:`actor_candidates`); likely ones are added, unlikely rule choices
  dropped, with thresholds chosen by cross-validation.

The model overrides the rule's type (status) only when its probability beats that of the
rule's choice by a margin chosen by cross-validation (:func:`choose`).

Each model is a multinomial logistic regression over sparse binary features of the
candidate (:func:`incident_features`): the rule's type and status, the trigger word, the
words of the trigger's sentence and of a window around the trigger, the tolls, the date
against the publication date, the actors' kinds, the place's precision and the language.
The rules stay as features, so the model learns when to trust them.

Weights live in ``data/models/news/decisions.json`` (plain JSON: feature -> weight per
class); inference is a sparse dot product and a softmax, with no learning library imported.
A missing model file leaves the rules' decisions as they are.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date as Date
from functools import lru_cache
from pathlib import Path
from typing import Any

from cronica.records import Actor, ActorRef, Count, Document, Evidence, Incident

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "news" / "decisions.json"
_WORD = re.compile(r"[^\W\d_]+", re.U)
_SENT_END = re.compile(r"[.!?…]\s|\n")
WINDOW = 6
PREFIX = 6


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if unicodedata.category(c) != "Mn")


def prefix_words(s: str) -> list[str]:
    """The words of ``s`` longer than two letters, case and accents folded, cut to
    ``PREFIX`` letters: the vocabulary of the learned models' features."""
    return [_fold(w)[:PREFIX] for w in _WORD.findall(s) if len(w) > 2]


def add_context(f: dict[str, float], before: list[str], after: list[str]) -> None:
    """Words around a number: ``b1=`` the word just before, ``b2=`` the one before that...,
    ``a1=`` the word just after...; ``bw=`` / ``aw=`` the same words without position."""
    for i, w in enumerate(reversed(before)):
        f[f"b{i + 1}={w}"] = 1
        f["bw=" + w] = 1
    for i, w in enumerate(after):
        f[f"a{i + 1}={w}"] = 1
        f["aw=" + w] = 1


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    a = max((m.end() for m in _SENT_END.finditer(text, max(0, start - 600), start)), default=max(0, start - 600))
    m = _SENT_END.search(text, end)
    return a, (m.start() + 1 if m else len(text))


def _days(a: str | None, b: str | None) -> int | None:
    try:
        if a and b and len(a) >= 10 and len(b) >= 10:
            return (Date.fromisoformat(b[:10]) - Date.fromisoformat(a[:10])).days
    except ValueError:
        return None
    return None


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return f"<={e}"
    return f">{edges[-1]}"


def incident_features(document: Document, inc: Incident, index: int = 0, total: int = 1) -> dict[str, float]:
    """Sparse binary features of one rule candidate (names are stable: the model keys)."""
    text = document.text
    f: dict[str, float] = {"bias": 1.0}
    lang = document.language or "en"
    f["lang=" + lang] = 1
    f["rt=" + inc.type] = 1
    f["rs=" + inc.status] = 1
    f["rt_rs=" + inc.type + "_" + inc.status] = 1
    if inc.trigger is not None:
        t0, t1 = inc.trigger.start, inc.trigger.end
        trig = _fold(inc.trigger.text)
        f["tr=" + trig] = 1
        f["tr6=" + trig[:PREFIX]] = 1
        f["lang_tr6=" + lang + "_" + trig[:PREFIX]] = 1
    elif inc.evidence:
        t0, t1 = inc.evidence[0].start, inc.evidence[0].start
    else:
        t0 = t1 = 0
    s0, s1 = _sentence_bounds(text, t0, t1)
    for w in set(prefix_words(text[s0:s1])):
        f["w=" + w] = 1
    before = prefix_words(text[max(s0, t0 - 80):t0])[-WINDOW:]
    after = prefix_words(text[t1:min(s1, t1 + 80)])[:WINDOW]
    for w in before:
        f["b=" + w] = 1
    for w in after:
        f["a=" + w] = 1
    if before:
        f["b1=" + before[-1]] = 1
    if after:
        f["a1=" + after[0]] = 1
    for k in ("killed", "wounded", "kidnapped", "arrested"):
        c = getattr(inc, k)
        if c is not None:
            f[f"{k}"] = 1
            f[f"{k}={_bucket(c.value, (0, 1, 2, 5, 10, 30, 100, 1000))}"] = 1
            f[f"{k}_q={c.qualifier}"] = 1
    pub = document.published
    f["dp=" + str(inc.date_precision)] = 1
    d = _days(inc.date, pub)
    if d is None:
        f["dd=none" if not inc.date else "dd=coarse"] = 1
        if inc.date and pub and inc.date[:4] != pub[:4]:
            f["dd=other_year"] = 1
    elif d < 0:
        f["dd=future"] = 1
    else:
        f["dd" + _bucket(d, (1, 3, 7, 14, 45, 120, 365, 3650))] = 1
    for p in inc.perpetrators:
        f["pk=" + str(p.kind)] = 1
    for t in inc.targets:
        f["tk=" + str(t.kind)] = 1
    if not inc.perpetrators:
        f["no_perp"] = 1
    f["loc=" + str(inc.location.precision)] = 1
    f["nev" + _bucket(len(inc.evidence), (1, 2, 4))] = 1
    f["wpn"] = 1 if inc.weapons else 0
    rel = t0 / max(1, len(text))
    f["pos" + _bucket(int(rel * 10), (0, 2, 5))] = 1
    f["idx" + _bucket(index, (0, 1, 3))] = 1
    f["ninc" + _bucket(total, (1, 3, 6))] = 1
    par0 = text.rfind("\n", 0, t0) + 1
    f["par" + _bucket(text.count("\n", 0, par0), (2, 5, 10))] = 1
    if re.search(r"[“\"«]", text[s0:t0]) and re.search(r"[”\"»]", text[t1:s1]):
        f["quoted"] = 1
    return {k: v for k, v in f.items() if v}


TOLL_FIELDS = ("killed", "wounded")
TOLL_REACH = 400  # characters around the incident's evidence where toll candidates are read
_SUBSET = re.compile(r"(including|among them|of them|of whom|incluidos?|incluidas?|entre (?:ellos|ellas|los|las)|de (?:ellos|ellas)|de los cuales)\W*$", re.I)


@dataclass(slots=True)
class TollCandidate:
    """A whole-number quantity near an incident that may be one of its tolls."""

    start: int
    end: int
    value: int
    qualifier: str
    feats: dict[str, float]


def toll_candidates(document: Document, inc: Incident) -> list[TollCandidate]:
    """Head-count quantities within ``TOLL_REACH`` characters of the incident's evidence,
    with their features (context words, distance, qualifier, the rule's own counts)."""
    from cronica.extract.numbers import find_quantities

    spans = [(e.start, e.end) for e in inc.evidence] + ([(inc.trigger.start, inc.trigger.end)] if inc.trigger else [])
    if not spans:
        return []
    text = document.text
    lo, hi = max(0, min(a for a, _ in spans) - TOLL_REACH), min(len(text), max(b for _, b in spans) + TOLL_REACH)
    anchor = inc.trigger.start if inc.trigger else spans[0][0]
    out = []
    for q in find_quantities(text[lo:hi], document.language or "en"):
        if q.value is None or q.unit is not None or q.vague or q.looks_like_year or q.value != int(q.value) \
                or not 0 <= q.value < 100000:
            continue
        a, b = lo + q.start, lo + q.end
        v = int(q.value)
        f: dict[str, float] = {"bias": 1.0, "q=" + q.qualifier: 1, "written": 1 if q.written else 0,
                               "v" + _bucket(v, (0, 1, 2, 5, 10, 30, 100, 1000)): 1,
                               "lang=" + (document.language or "en"): 1}
        add_context(f, prefix_words(text[max(0, a - 60):a])[-3:], prefix_words(text[b:b + 60])[:3])
        if _SUBSET.search(text[max(0, a - 30):a]):
            f["subset"] = 1
        inside = any(e.start <= a < e.end for e in inc.evidence)
        f["in_ev" if inside else "out_ev"] = 1
        f["dist" + _bucket(abs(a - anchor) // 40, (0, 1, 3, 6, 12))] = 1
        f["before_trigger" if a < anchor else "after_trigger"] = 1
        for k in TOLL_FIELDS:
            c = getattr(inc, k)
            if c is None:
                f[f"rule_{k}=none"] = 1
            elif c.value == v:
                f[f"rule_{k}=same"] = 1
                if c.evidence is not None and c.evidence.start <= a < c.evidence.end:
                    f[f"rule_{k}=here"] = 1
            else:
                f[f"rule_{k}=other"] = 1
        f["rt=" + inc.type] = 1
        f = {k: v_ for k, v_ in f.items() if v_}
        out.append(TollCandidate(a, b, v, q.qualifier, f))
    return out


def decide_tolls(document: Document, inc: Incident, models: dict[str, "LinearModel"],
                 thresholds: dict[str, float], cands: list[TollCandidate] | None = None) -> None:
    """Replace a toll by the best-scored candidate when the model is confident enough."""
    cands = toll_candidates(document, inc) if cands is None else cands
    for k in TOLL_FIELDS:
        m, t = models.get(k), thresholds.get(k, 1.01)
        if m is None or t > 1 or not cands:
            continue
        scored = [(m.proba(c.feats).get("yes", 0.0), -c.start, c) for c in cands]
        p, _, best = max(scored, key=lambda x: (x[0], x[1]))
        cur = getattr(inc, k)
        if p >= t and (cur is None or cur.value != best.value):
            setattr(inc, k, Count(best.value, best.qualifier,
                                  Evidence(best.start, best.end, document.text[best.start:best.end])))


ACTOR_KINDS_PERP = ("armed_group", "criminal_group", "state_force")
_PERP_CUES = re.compile(r"\b(by|por|attribut\w*|atribu\w*|blam\w*|responsib\w*|responsab\w*|claim\w*|"
                        r"reivindic\w*|behind|detr[aá]s|accus\w*|acus\w*|suspect\w*|sospech\w*|presunt\w*|"
                        r"alleged\w*|members? of|miembros? de|integrantes? de)\b", re.I)
_TARGET_CUES = re.compile(r"\b(against|contra|targeted|victims?|v[ií]ctimas?|on (?:a|an|the)|ambushed|emboscad\w*|"
                          r"atac\w*|attack\w* (?:on|a|an|the))\b", re.I)


@dataclass(slots=True)
class ActorCandidate:
    """An armed group, criminal group or state force that may be an incident's perpetrator."""

    ref: ActorRef
    feats: dict[str, float]


def actor_candidates(document: Document, inc: Incident, actors: list[Actor]) -> list[ActorCandidate]:
    """The article's groups and forces (and the rules' own actor references) with features
    of how they stand to the incident: distance and order to the trigger, cue words between
    them (by / attributed to / against...), kind by incident type, the rules' choice."""
    text = document.text
    anchor = inc.trigger.start if inc.trigger else (inc.evidence[0].start if inc.evidence else 0)
    s0, s1 = _sentence_bounds(text, anchor, anchor)
    ev_spans = [(e.start, e.end) for e in inc.evidence]
    rule_perp = {p.canonical or p.name for p in inc.perpetrators}
    rule_tgt = {t.canonical or t.name for t in inc.targets}
    pool: dict[str, tuple[ActorRef, list[Evidence]]] = {}
    for a in actors:
        if a.kind in ACTOR_KINDS_PERP:
            pool[a.canonical] = (ActorRef(name=a.name, canonical=a.canonical, actor_id=a.id, kind=a.kind,
                                          evidence=a.evidence[0] if a.evidence else None), list(a.evidence))
    for r in [*inc.perpetrators, *inc.targets]:
        key = r.canonical or r.name
        if r.kind in ACTOR_KINDS_PERP and key:
            ref, evs = pool.get(key, (r, []))
            pool[key] = (ref, evs + ([r.evidence] if r.evidence else []))
    n_groups = sum(1 for r, _ in pool.values() if r.kind != "state_force")
    most = max((len(e) for r, e in pool.values() if r.kind != "state_force"), default=0)
    out = []
    for key, (ref, evs) in sorted(pool.items()):
        f: dict[str, float] = {"bias": 1.0, "kind=" + str(ref.kind): 1, "rt_kind=" + inc.type + "_" + str(ref.kind): 1,
                               "rs=" + inc.status: 1, "lang=" + (document.language or "en"): 1}
        if key in rule_perp:
            f["rule_perp"] = 1
        if key in rule_tgt:
            f["rule_target"] = 1
        f["mentions" + _bucket(len(evs), (1, 2, 4, 8))] = 1
        if ref.kind != "state_force":
            f["only_group" if n_groups == 1 else "many_groups"] = 1
            if len(evs) == most:
                f["most_mentioned_group"] = 1
        if not evs:
            f["no_mention"] = 1
        else:
            near = min(evs, key=lambda e: abs(e.start - anchor))
            d = abs(near.start - anchor)
            f["dist" + _bucket(d // 40, (0, 1, 2, 4, 8, 16, 40))] = 1
            if s0 <= near.start < s1:
                f["same_sentence"] = 1
                lo, hi = sorted((near.end, anchor)) if near.start < anchor else sorted((anchor, near.start))
                between = text[lo:hi]
                side = "before" if near.start < anchor else "after"
                f["side=" + side] = 1
                if _PERP_CUES.search(between):
                    f["perp_cue_" + side] = 1
                if _TARGET_CUES.search(between):
                    f["target_cue_" + side] = 1
                for w in prefix_words(between)[-4:] if side == "before" else prefix_words(between)[:4]:
                    f[f"btw_{side}=" + w] = 1
            for w in prefix_words(text[max(0, near.start - 40):near.start])[-2:]:
                f["pre=" + w] = 1
            if any(a <= e.start < b for e in evs for a, b in ev_spans):
                f["in_evidence"] = 1
        out.append(ActorCandidate(ref, {k: v for k, v in f.items() if v}))
    return out


def decide_perpetrators(inc: Incident, cands: list[ActorCandidate], model: "LinearModel",
                        add_threshold: float, drop_threshold: float) -> None:
    """Add candidates the model scores at least ``add_threshold``; drop rule perpetrators it
    scores under ``drop_threshold`` (generic actors the model cannot score are kept)."""
    probs = {c.ref.canonical or c.ref.name: model.proba(c.feats).get("yes", 0.0) for c in cands}
    kept = [p for p in inc.perpetrators if probs.get(p.canonical or p.name, 1.0) >= drop_threshold]
    have = {p.canonical or p.name for p in kept}
    for c in sorted(cands, key=lambda c: -probs[c.ref.canonical or c.ref.name]):
        key = c.ref.canonical or c.ref.name
        if probs[key] >= add_threshold and key not in have:
            kept.append(c.ref)
            have.add(key)
    inc.perpetrators = kept
    inc.targets = [t for t in inc.targets if (t.canonical or t.name) not in have or t.kind not in ACTOR_KINDS_PERP]


@dataclass(slots=True)
class LinearModel:
    """Multinomial logistic regression: class -> {feature: weight}, class -> intercept."""

    classes: list[str]
    weights: dict[str, dict[str, float]]
    intercepts: dict[str, float]
    # feature -> [(class, weight)], built on first use (the weights are not changed after)
    _by_feature: dict[str, list[tuple[str, float]]] | None = field(default=None, repr=False, compare=False)

    def proba(self, feats: dict[str, float]) -> dict[str, float]:
        # Same sums as ``intercept + sum(weights[c].get(k, 0.0) * v for k, v in feats.items())``
        # for every class, term for term in the same order, but only over the weights the
        # model has (about 15% of class x feature pairs): a missing weight adds 0.0, which
        # leaves a float sum unchanged.
        index = self._by_feature
        if index is None:
            index = {}
            for c in self.classes:
                for k, w in self.weights[c].items():
                    index.setdefault(k, []).append((c, w))
            self._by_feature = index
        acc: dict[str, float] = dict.fromkeys(self.classes, 0)
        for k, v in feats.items():
            for c, w in index.get(k, ()):
                acc[c] += w * v
        scores = {c: self.intercepts.get(c, 0.0) + acc[c] for c in self.classes}
        m = max(scores.values())
        ex = {c: math.exp(s - m) for c, s in scores.items()}
        z = sum(ex.values())
        return {c: e / z for c, e in ex.items()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "LinearModel":
        return cls(list(d["classes"]), {c: dict(w) for c, w in d["weights"].items()},
                   {c: float(v) for c, v in d["intercepts"].items()})


@dataclass(slots=True)
class Decisions:
    """The three incident models and the keep threshold chosen on dev."""

    keep: LinearModel
    type: LinearModel
    status: LinearModel
    keep_threshold: float
    type_margin: float
    status_margin: float
    meta: dict[str, Any]
    tolls: dict[str, LinearModel] | None = None
    toll_thresholds: dict[str, float] | None = None
    perpetrator: LinearModel | None = None
    perp_add: float = 1.01
    perp_drop: float = 0.0
    killed_one: LinearModel | None = None  # no toll written, one person killed ("X was shot dead")
    killed_one_threshold: float = 1.01

    def apply(self, document: Document, incidents: list[Incident],
              actors: list[Actor] | None = None) -> list[Incident]:
        """Decide every candidate; returns the kept incidents, retyped and re-statused."""
        out = []
        feats = [incident_features(document, inc, i, len(incidents)) for i, inc in enumerate(incidents)]
        for inc, f in zip(incidents, feats):
            p_keep = self.keep.proba(f).get("keep", 1.0)
            if p_keep < self.keep_threshold:
                continue
            cands = toll_candidates(document, inc) if self.tolls else []
            perps = actor_candidates(document, inc, actors or []) if self.perpetrator is not None else []
            pt = self.type.proba(f)
            inc.type = choose(pt, inc.type, self.type_margin)
            inc.status = choose(self.status.proba(f), inc.status, self.status_margin)
            inc.confidence = round(p_keep * pt.get(inc.type, 0.0), 4)
            if self.tolls:
                decide_tolls(document, inc, self.tolls, self.toll_thresholds or {}, cands)
            if self.perpetrator is not None:
                decide_perpetrators(inc, perps, self.perpetrator, self.perp_add, self.perp_drop)
            if (self.killed_one is not None and inc.killed is None
                    and self.killed_one.proba(f).get("yes", 0.0) >= self.killed_one_threshold):
                inc.killed = Count(1, "exact", inc.trigger)
            out.append(inc)
        return out


def choose(proba: dict[str, float], rule: str, margin: float) -> str:
    """The model's class when it beats the rule's class by ``margin``, else the rule's."""
    best = max(sorted(proba), key=lambda c: proba[c])
    return best if proba[best] - proba.get(rule, 0.0) > margin else rule


def read_model_json(path: str | Path) -> dict[str, Any] | None:
    """A shipped model file's JSON object; ``None`` when the file is not there."""
    p = Path(path)
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else None


@lru_cache(maxsize=4)
def load_decisions(path: str | None = None) -> Decisions | None:
    """The shipped (or given) model file; ``None`` when there is none."""
    d = read_model_json(path or MODEL_PATH)
    return None if d is None else decisions_from_dict(d)


def decisions_from_dict(d: dict[str, Any]) -> Decisions:
    """The inverse of :func:`decisions_to_dict`."""
    return Decisions(
        LinearModel.from_dict(d["keep"]), LinearModel.from_dict(d["type"]), LinearModel.from_dict(d["status"]),
        float(d["keep_threshold"]), float(d.get("type_margin", 0.0)), float(d.get("status_margin", 0.0)),
        d.get("meta", {}),
        {k: LinearModel.from_dict(m) for k, m in (d.get("tolls") or {}).items()},
        {k: float(v) for k, v in (d.get("toll_thresholds") or {}).items()},
        LinearModel.from_dict(d["perpetrator"]) if d.get("perpetrator") else None,
        float(d.get("perp_add", 1.01)), float(d.get("perp_drop", 0.0)),
        LinearModel.from_dict(d["killed_one"]) if d.get("killed_one") else None,
        float(d.get("killed_one_threshold", 1.01)))


def decisions_to_dict(dec: Decisions) -> dict[str, Any]:
    """The model file's JSON object (see ``cronica train news``)."""
    def m(x: LinearModel) -> dict[str, Any]:
        return {"classes": x.classes, "intercepts": x.intercepts, "weights": x.weights}

    return {"meta": dec.meta, "keep_threshold": dec.keep_threshold, "type_margin": dec.type_margin,
            "status_margin": dec.status_margin, "keep": m(dec.keep), "type": m(dec.type), "status": m(dec.status),
            "tolls": {k: m(v) for k, v in (dec.tolls or {}).items()}, "toll_thresholds": dec.toll_thresholds or {},
            "perpetrator": m(dec.perpetrator) if dec.perpetrator is not None else None,
            "perp_add": dec.perp_add, "perp_drop": dec.perp_drop,
            "killed_one": m(dec.killed_one) if dec.killed_one is not None else None,
            "killed_one_threshold": dec.killed_one_threshold}


def decide(document: Document, incidents: list[Incident], path: str | None = None,
           actors: list[Actor] | None = None) -> list[Incident]:
    """Apply the learned decisions (no-op without a model file)."""
    dec = load_decisions(path)
    return incidents if dec is None else dec.apply(document, incidents, actors)
