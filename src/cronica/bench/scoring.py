"""Scoring Cronica's extraction against the news-dev gold answers.

:func:`score` is pure: gold articles plus predictions (Cronica JSON dicts, or
:class:`~cronica.records.ExtractionResult` objects, keyed by the gold ``file``) in, a
:class:`Report` out.  The rules follow news-dev/README.md "Suggested scoring":

* **incidents** - within an article, predicted and gold events are paired greedily, best
  compatibility score first.  A pair is compatible when the type agrees (the gold ``type``
  or one of its ``type_alt``; the *untyped* variant skips this), the dates agree at the
  coarser of the two precisions (or either is missing) and the countries agree (or either is
  missing).  The ``current`` variants keep only current events on both sides.
* **event fields** - on the pairs of the typed, all-status matching: killed / wounded
  (strict = value and qualifier, loose = value; both missing is right), date (at the gold
  precision), country, perpetrator (a predicted canonical equals a gold perpetrator or one
  of its ancestors through the groups' ``parent`` links; both empty is right), status,
  the perpetrators as a P/R tally (:func:`perpetrator_tally`: precision matters too, since
  naming every group of the article would make the accuracy alone look good), and the
  targets as a P/R tally (:func:`target_matches`: one name holds the other's
  words, "soldiers" ~ "five soldiers").
* **figures** - one-to-one: same indicator and value within 1% (``[low, high]`` ranges
  compare both ends); claimant accuracy on matched pairs.
* **groups / people / quotes** - set matching (several predictions may hit one gold item).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from cronica.bench.gold import GoldArticle, norm, parent_map, with_ancestors
from cronica.bench.metrics import ACCURACIES, TALLIES, Acc, Tally

GROUP_KINDS = ("criminal_group", "armed_group")
FIGURE_TOLERANCE = 0.01
QUOTE_SPLIT = "[…]"

Pred = dict[str, Any]


# ----------------------------------------------------------------------------- results
@dataclass(slots=True)
class ArticleScore:
    """Counts for one article, plus human-readable misses / spurious / wrong items."""

    file: str
    language: str
    tallies: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in TALLIES})
    accs: dict[str, Acc] = field(default_factory=lambda: {k: Acc() for k in ACCURACIES})
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "language": self.language, "note": self.note,
                "metrics": {**{k: v.to_dict() for k, v in self.tallies.items()},
                            **{k: v.to_dict() for k, v in self.accs.items()}},
                "missed": self.missed, "spurious": self.spurious, "wrong": self.wrong}


@dataclass(slots=True)
class Scores:
    """Sums over a set of articles."""

    articles: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in TALLIES})
    accs: dict[str, Acc] = field(default_factory=lambda: {k: Acc() for k in ACCURACIES})

    def add(self, art: ArticleScore) -> None:
        self.articles += 1
        for k, t in art.tallies.items():
            self.tallies[k] = self.tallies[k] + t
        for k, a in art.accs.items():
            self.accs[k] = self.accs[k] + a

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles,
                "metrics": {**{k: v.to_dict() for k, v in self.tallies.items()},
                            **{k: v.to_dict() for k, v in self.accs.items()}}}


@dataclass(slots=True)
class Report:
    """Per-article scores; :meth:`by_language` sums them per language and for ``all``."""

    articles: list[ArticleScore]
    unscored: list[str] = field(default_factory=list)  # prediction files not in the gold

    def by_language(self) -> dict[str, Scores]:
        out: dict[str, Scores] = {}
        for lang in sorted({a.language for a in self.articles}):
            out[lang] = Scores()
        out["all"] = Scores()
        for a in self.articles:
            out[a.language].add(a)
            out["all"].add(a)
        return out

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"languages": {k: v.to_dict() for k, v in self.by_language().items()},
                             "unscored": self.unscored,
                             "notes": {a.file: a.note for a in self.articles if a.note}}
        if details:
            d["articles"] = [a.to_dict() for a in self.articles]
        return d


# ----------------------------------------------------------------------------- helpers
def _close(a: float, b: float) -> bool:
    return abs(a - b) <= FIGURE_TOLERANCE * max(abs(a), abs(b))


def _num(x: Any) -> float | None:
    try:
        return None if x is None or isinstance(x, bool) else float(x)
    except (TypeError, ValueError):
        return None


def date_at(date: str | None, precision: str | None = None) -> str | None:
    """``date`` cut to ``precision`` (day/month/year) when that is coarser than the string."""
    if not date:
        return None
    n = {"year": 4, "month": 7, "day": 10}.get(precision or "", len(date))
    return date[: min(n, len(date))]


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Equal at the coarser precision of the two, or either missing."""
    if not a or not b:
        return True
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def date_correct(gold: str | None, pred: str | None) -> bool:
    """Right at the gold precision (a coarser prediction is wrong); both missing is right."""
    if not gold or not pred:
        return not gold and not pred
    return len(pred) >= len(gold) and pred[: len(gold)] == gold


def _country(loc: Mapping[str, Any] | None) -> str | None:
    c = (loc or {}).get("country")
    return str(c).strip().upper() or None if c else None


def count_correct(gold: Mapping[str, Any] | None, pred: Mapping[str, Any] | None,
                  loose: bool = False) -> bool:
    """Strict: value and qualifier agree; loose: value agrees. Both missing is right."""
    if gold is None or pred is None:
        return gold is None and pred is None
    if _num(gold.get("value")) != _num(pred.get("value")):
        return False
    return loose or gold.get("qualifier", "exact") == (pred.get("qualifier") or "exact")


def _fmt_count(c: Mapping[str, Any] | None) -> str:
    return "-" if c is None else f"{c.get('value')} {c.get('qualifier', 'exact')}"


def text_contains(a: str | None, b: str | None) -> bool:
    """Normalised containment either way; both missing is right, one missing is wrong."""
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return not na and not nb
    return na in nb or nb in na


def names_match(a: str | None, b: str | None) -> bool:
    """Person names: equal when normalised, or the shorter (2+ words) occurs in the longer."""
    return _word_run(norm(a), norm(b), min_words=2)


def _word_run(a: str, b: str, min_words: int) -> bool:
    """Normalised ``a`` and ``b`` are equal, or the shorter (at least ``min_words`` words)
    is a run of whole words of the longer."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short.split()) >= min_words and f" {short} " in f" {long_} "


def _ref_names(refs: list[Mapping[str, Any]] | None) -> list[str]:
    return [r.get("canonical") or r.get("name") or "" for r in refs or [] if isinstance(r, Mapping)]


def perpetrator_correct(gold: list[str], pred_refs: list[Mapping[str, Any]] | None,
                        parents: dict[str, str]) -> bool:
    """Any predicted canonical equals a gold perpetrator or an ancestor of one."""
    pred = [n for n in _ref_names(pred_refs) if n]
    if not gold or not pred:
        return not gold and not pred
    accepted: set[str] = set()
    for g in gold:
        accepted |= with_ancestors(g, parents)
    return any(norm(p) in accepted for p in pred)


_ARTICLE = re.compile(r"^(?:the|a|an|el|la|los|las|un|una)\s+")


def perpetrator_tally(gold: list[str], pred_refs: list[Mapping[str, Any]] | None,
                      parents: dict[str, str]) -> Tally:
    """Gold perpetrators named by some prediction (a prediction may name an ancestor of a
    gold one), and predictions that name a gold perpetrator or one of its ancestors."""
    pred = [norm(n) for n in _ref_names(pred_refs) if n]
    accepted = [with_ancestors(g, parents) for g in gold]
    return Tally(gold_hit=sum(any(p in acc for p in pred) for acc in accepted), gold=len(gold),
                 pred_ok=sum(any(p in acc for acc in accepted) for p in pred), pred=len(pred))


def target_matches(gold: str, pred: str) -> bool:
    """A predicted target names a gold one: after :func:`norm`, one is the other or holds
    it as a run of whole words ("five soldiers" ~ "soldiers", "military convoy" ~
    "military convoy carrying election material"); a leading article does not count."""
    return _word_run(_ARTICLE.sub("", norm(gold)), _ARTICLE.sub("", norm(pred)), min_words=1)


def target_tally(gold: list[str], pred_refs: list[Mapping[str, Any]] | None) -> Tally:
    """Gold targets found by some predicted target, predicted targets that name some gold one."""
    pred = [r.get("name") or "" for r in pred_refs or [] if isinstance(r, Mapping)]
    pred = [p for p in pred if p]
    return Tally(gold_hit=sum(any(target_matches(g, p) for p in pred) for g in gold), gold=len(gold),
                 pred_ok=sum(any(target_matches(g, p) for g in gold) for p in pred), pred=len(pred))


def type_ok(gold: Mapping[str, Any], pred_type: str | None) -> bool:
    return pred_type == gold.get("type") or pred_type in (gold.get("type_alt") or [])


# ----------------------------------------------------------------------------- incidents
def _pred_evidence(p: Mapping[str, Any]) -> list[str]:
    evs = list(p.get("evidence") or [])
    if p.get("trigger"):
        evs.append(p["trigger"])
    return [norm(e.get("text")) for e in evs if isinstance(e, Mapping) and e.get("text")]


def compatible(g: Mapping[str, Any], p: Mapping[str, Any], typed: bool) -> bool:
    """Type (if ``typed``), date and country compatibility of a gold and a predicted event."""
    if typed and not type_ok(g, p.get("type")):
        return False
    pdate = date_at(p.get("date"), p.get("date_precision"))
    if not dates_compatible(g.get("date"), pdate):
        return False
    gc, pc = _country(g.get("location")), _country(p.get("location"))
    return gc is None or pc is None or gc == pc


def affinity(g: Mapping[str, Any], p: Mapping[str, Any]) -> float:
    """How alike two compatible events are; orders the greedy matching."""
    s = 0.0
    if p.get("type") == g.get("type"):
        s += 4
    elif type_ok(g, p.get("type")):
        s += 2
    pdate = date_at(p.get("date"), p.get("date_precision"))
    if g.get("date") and pdate:
        s += 2 + (g["date"] == pdate)
    gl, pl = g.get("location") or {}, p.get("location") or {}
    if _country(gl) and _country(gl) == _country(pl):
        s += 1
    if gl.get("name") and pl.get("name") and text_contains(gl["name"], pl["name"]):
        s += 1
    gev = [norm(t) for t in g.get("evidence") or []]
    if any(pe and (pe in ge or ge in pe) for pe in _pred_evidence(p) for ge in gev):
        s += 3
    if p.get("status") == g.get("status"):
        s += 1
    if g.get("killed") and count_correct(g.get("killed"), p.get("killed"), loose=True):
        s += 1
    return s


def match_events(gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]],
                 typed: bool) -> list[tuple[int, int]]:
    """Greedy best-first one-to-one matching; returns (gold index, pred index) pairs."""
    cands = [(affinity(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
             if compatible(g, p, typed)]
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def _desc_gold_event(g: Mapping[str, Any]) -> str:
    return (f"{g.get('id', '?')} {g.get('type')} {g.get('status')} {g.get('date') or '-'} "
            f"{_country(g.get('location')) or '-'} killed={_fmt_count(g.get('killed'))}")


def _desc_pred_event(p: Mapping[str, Any]) -> str:
    evs = [e for e in [*(p.get("evidence") or []), p.get("trigger")] if isinstance(e, Mapping)]
    text = " ".join(str(evs[0].get("text", "")).split()) if evs else ""
    snippet = f" «{text[:60]}»" if text else ""
    return (f"{p.get('type')} {p.get('status', 'current')} {p.get('date') or '-'} "
            f"{_country(p.get('location')) or '-'} killed={_fmt_count(p.get('killed'))}{snippet}")


def _score_incidents(art: GoldArticle, pred: list[Pred], parents: dict[str, str],
                     out: ArticleScore) -> None:
    for current in (False, True):
        g_ev = [g for g in art.events if not current or g.get("status") == "current"]
        p_ev = [p for p in pred if not current or p.get("status", "current") == "current"]
        for typed in (True, False):
            pairs = match_events(g_ev, p_ev, typed)
            name = "incidents." + ("typed" if typed else "untyped") + (".current" if current else "")
            out.tallies[name] = Tally(len(pairs), len(g_ev), len(pairs), len(p_ev))
            if typed and not current:
                _score_event_fields(g_ev, p_ev, pairs, parents, out)
                hit_g, hit_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
                out.missed += [f"event {_desc_gold_event(g)}" for i, g in enumerate(g_ev)
                               if i not in hit_g]
                out.spurious += [f"event {_desc_pred_event(p)}" for i, p in enumerate(p_ev)
                                 if i not in hit_p]


def _score_event_fields(gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]],
                        pairs: list[tuple[int, int]], parents: dict[str, str],
                        out: ArticleScore) -> None:
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        eid = g.get("id", f"#{gi}")
        checks: list[tuple[str, bool, str, str]] = []
        for fld in ("killed", "wounded"):
            gc, pc = g.get(fld), p.get(fld)
            checks.append((f"event.{fld}", count_correct(gc, pc), _fmt_count(gc), _fmt_count(pc)))
            checks.append((f"event.{fld}.loose", count_correct(gc, pc, loose=True), "", ""))
        pdate = date_at(p.get("date"), p.get("date_precision"))
        checks.append(("event.date", date_correct(g.get("date"), pdate), str(g.get("date")), str(pdate)))
        gc_, pc_ = _country(g.get("location")), _country(p.get("location"))
        checks.append(("event.country", gc_ == pc_, str(gc_), str(pc_)))
        gp = list(g.get("perpetrators") or [])
        checks.append(("event.perpetrator", perpetrator_correct(gp, p.get("perpetrators"), parents),
                       str(gp), str(_ref_names(p.get("perpetrators")))))
        out.tallies["event.perpetrators"] = out.tallies["event.perpetrators"] + perpetrator_tally(
            gp, p.get("perpetrators"), parents)
        gt = [t for t in g.get("targets") or [] if isinstance(t, str)]
        tt = target_tally(gt, p.get("targets"))
        out.tallies["event.targets"] = out.tallies["event.targets"] + tt
        if tt.gold_hit < tt.gold:
            out.wrong.append(f"{eid}.targets: gold {gt}, predicted {_ref_names(p.get('targets'))}")
        ps = p.get("status", "current")
        checks.append(("event.status", g.get("status") == ps, str(g.get("status")), str(ps)))
        for name, ok, gv, pv in checks:
            out.accs[name].add(ok)
            if not ok and not name.endswith(".loose"):
                out.wrong.append(f"{eid}.{name.split('.', 1)[1]}: gold {gv}, predicted {pv}")


# ----------------------------------------------------------------------------- figures
def figure_matches(claim: Mapping[str, Any], fig: Mapping[str, Any]) -> bool:
    """Same indicator and value within 1%; a gold [low, high] needs both ends."""
    if claim.get("indicator") != fig.get("indicator"):
        return False
    gv = claim.get("value")
    if isinstance(gv, list):
        if len(gv) != 2:
            return False
        lo, hi = _num(fig.get("low")), _num(fig.get("high"))
        glo, ghi = _num(gv[0]), _num(gv[1])
        return None not in (lo, hi, glo, ghi) and _close(lo, glo) and _close(hi, ghi)  # type: ignore[arg-type]
    g, v = _num(gv), _num(fig.get("value"))
    if v is None:  # a degenerate range stands for its single value
        lo, hi = _num(fig.get("low")), _num(fig.get("high"))
        v = lo if lo is not None and hi is not None and _close(lo, hi) else None
    return g is not None and v is not None and _close(g, v)


def _desc_figure(f: Mapping[str, Any]) -> str:
    rng = "" if f.get("low") is None else f" [{f.get('low')}, {f.get('high')}]"
    return f"{f.get('indicator')}={f.get('value')}{rng}"


def _score_figures(art: GoldArticle, figs: list[Pred], out: ArticleScore) -> None:
    used: set[int] = set()
    hits = 0
    for c in art.claims:
        pi = next((i for i, f in enumerate(figs) if i not in used and figure_matches(c, f)), None)
        if pi is None:
            out.missed.append(f"figure {c.get('indicator')}={c.get('value')} ({c.get('subject')})")
            continue
        used.add(pi)
        hits += 1
        ok = text_contains(c.get("attributed_to"), figs[pi].get("attributed_to"))
        out.accs["figures.claimant"].add(ok)
        if not ok:
            out.wrong.append(f"figure {c.get('indicator')}.attributed_to: gold "
                             f"{c.get('attributed_to')}, predicted {figs[pi].get('attributed_to')}")
    out.spurious += [f"figure {_desc_figure(f)}" for i, f in enumerate(figs) if i not in used]
    out.tallies["figures"] = Tally(hits, len(art.claims), hits, len(figs))


# ----------------------------------------------------------------------------- sets
def _set_tally(gold: list[Any], pred: list[Any], hit: Callable[[Any, Any], bool],
               label: str, gname: Callable[[Any], str], pname: Callable[[Any], str],
               out: ArticleScore) -> Tally:
    g_hit = [any(hit(g, p) for p in pred) for g in gold]
    p_ok = [any(hit(g, p) for g in gold) for p in pred]
    out.missed += [f"{label} {gname(g)}" for g, ok in zip(gold, g_hit) if not ok]
    out.spurious += [f"{label} {pname(p)}" for p, ok in zip(pred, p_ok) if not ok]
    return Tally(sum(g_hit), len(gold), sum(p_ok), len(pred))


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for n in names:
        if norm(n) and norm(n) not in seen:
            seen[norm(n)] = n
    return list(seen.values())


def _score_groups(art: GoldArticle, actors: list[Pred], parents: dict[str, str],
                  out: ArticleScore) -> None:
    gold = [g for g in art.groups if g.get("canonical")]
    pred = _dedupe([a.get("canonical") or a.get("name") or "" for a in actors
                    if a.get("kind") in GROUP_KINDS])

    def accepted(g: Mapping[str, Any]) -> set[str]:
        return with_ancestors(g["canonical"], parents) | {norm(x) for x in g.get("aliases") or []}

    out.tallies["groups"] = _set_tally(gold, pred, lambda g, p: norm(p) in accepted(g), "group",
                                       lambda g: g["canonical"], str, out)


def _person_forms(a: Mapping[str, Any]) -> list[str]:
    return [x for x in [a.get("canonical"), a.get("name"), *(a.get("aliases") or [])] if x]


def _score_people(art: GoldArticle, actors: list[Pred], out: ArticleScore) -> None:
    gold = [p["name"] for p in art.people if p.get("name")]
    pred = [a for a in actors if a.get("kind") == "person"]
    out.tallies["people"] = _set_tally(
        gold, pred, lambda g, a: any(names_match(g, f) for f in _person_forms(a)), "person",
        str, lambda a: str(a.get("canonical") or a.get("name")), out)


def quote_matches(gold_text: str, pred_text: str | None) -> bool:
    """A predicted quote hits a gold quote when, after normalising, it contains one of the
    gold parts (split on ``[…]``) or lies inside one and covers at least half of it."""
    q = norm(pred_text)
    if not q:
        return False
    for part in gold_text.split(QUOTE_SPLIT):
        p = norm(part)
        if p and (p in q or (q in p and len(q) >= 0.5 * len(p))):
            return True
    return False


def _score_quotes(art: GoldArticle, quotes: list[Pred], out: ArticleScore) -> None:
    gold = [q for q in art.quotes if q.get("text")]
    out.tallies["quotes"] = _set_tally(
        gold, quotes, lambda g, p: quote_matches(g["text"], p.get("text")), "quote",
        lambda g: f"«{g['text'][:60]}» ({g.get('speaker')})",
        lambda p: f"«{str(p.get('text'))[:60]}» ({p.get('speaker')})", out)
    for g in gold:
        p = next((p for p in quotes if quote_matches(g["text"], p.get("text"))), None)
        if p is not None:
            ok = text_contains(g.get("speaker"), p.get("speaker"))
            out.accs["quotes.speaker"].add(ok)
            if not ok:
                out.wrong.append(f"quote «{g['text'][:40]}» speaker: gold {g.get('speaker')}, "
                                 f"predicted {p.get('speaker')}")


# ----------------------------------------------------------------------------- entry
def _as_dict(pred: Any) -> Pred:
    if pred is None:
        return {}
    if hasattr(pred, "to_dict"):
        return pred.to_dict()
    if isinstance(pred, Mapping):
        return dict(pred)
    raise TypeError(f"prediction must be an ExtractionResult or a dict, got {type(pred).__name__}")


def score_article(art: GoldArticle, pred: Any, parents: dict[str, str]) -> ArticleScore:
    """Score one article; ``pred`` is a Cronica JSON dict, an ExtractionResult or ``None``."""
    d = _as_dict(pred)
    out = ArticleScore(art.file, art.language)
    if pred is None:
        out.note = "no prediction"
    _score_incidents(art, list(d.get("incidents") or []), parents, out)
    _score_figures(art, list(d.get("figures") or []), out)
    actors = list(d.get("actors") or [])
    _score_groups(art, actors, parents, out)
    _score_people(art, actors, out)
    _score_quotes(art, list(d.get("quotes") or []), out)
    return out


def score(gold_records: list[GoldArticle], predictions: Mapping[str, Any],
          notes: Mapping[str, str] | None = None) -> Report:
    """Score ``predictions`` (gold ``file`` -> Cronica JSON dict / ExtractionResult) against
    ``gold_records``.  A gold article without a prediction counts as predicting nothing;
    predictions for files not in the gold are listed in ``Report.unscored``.  ``notes``
    (file -> text, e.g. an ingest error) are attached to the article scores."""
    parents = parent_map(gold_records)
    arts = []
    for art in gold_records:
        a = score_article(art, predictions.get(art.file), parents)
        if notes and art.file in notes:
            a.note = notes[art.file]
        arts.append(a)
    known = {a.file for a in gold_records}
    return Report(arts, sorted(f for f in predictions if f not in known))
