"""The two standard MUC-4 metrics, implemented as described in ``../shared/muc4/README.md``.

Mention normalisation (both metrics), :func:`normalize_mention`: lower-case; remove every
ASCII punctuation character; remove the whole words ``a``, ``an``, ``the``; collapse white
space.  Mentions that normalise to the empty string are dropped, and so are entities left
with no mention (an empty predicted entity would otherwise be a "subset" of everything).

1. **Entity level (CEAF-REE)**, :func:`score_ree`: per document and role, a predicted
   entity (list of mentions) scores φ = 1 against a gold entity (set of acceptable
   strings) iff every predicted mention is one of the gold strings.  Predicted and gold
   entities are aligned one-to-one to maximise Σφ; because φ is 0/1 this is a maximum
   bipartite matching, solved exactly with augmenting paths (:func:`max_matching`), the
   same optimum the Hungarian algorithm finds.  Micro P/R/F1 over all documents and the
   five roles, plus per-role numbers.

2. **Template level (GTT)**, :func:`score_gtt`: per document, every one-to-one mapping of
   predicted to gold templates (either side may stay unmapped) is considered and the one
   with the best micro F1 for that document kept.  A mapped pair counts only if the
   predicted incident type is a substring of the gold type (``attack`` fits ``bombing /
   attack``); it then earns one correct slot for the type, one per predicted entity that
   is a subset of any gold entity of that role (precision side) and one per gold entity
   that some predicted entity of that role is a subset of (recall side).  Every template,
   mapped or not, adds all its slots (type + entities) to the denominators, so the
   denominators of a document are fixed and its F1 only grows with the two numerators;
   the search therefore keeps, per partial mapping, the Pareto front of (precision hits,
   recall hits) — exact, and tiny for the template counts of MUC-4.

   Cap: the search is a dynamic programme over subsets of the *smaller* side, so it is
   exact while ``min(#predicted, #gold) <= MAX_EXACT_TEMPLATES`` (16) templates in a
   document (dev has at most 9 gold templates).  Beyond the cap a greedy mapping (best
   pair first) is used and :attr:`Scores.approximate_docs` counts such documents.
   Ties in document F1 are broken by the larger hit total, then the larger precision hits.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

ROLES: tuple[str, ...] = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
MAX_EXACT_TEMPLATES = 16

_PUNCT = re.compile("[" + re.escape(string.punctuation) + "]")
_ARTICLES = {"a", "an", "the"}

GoldEntity = frozenset[str]
PredEntity = tuple[str, ...]
# One template: {"incident_type": str, role: [entity, ...]} with normalised entities.


def normalize_mention(mention: str) -> str:
    """The README normalisation: lower-case, drop ASCII punctuation, drop the words
    a/an/the, collapse white space.  ``"The \\"Santo Tomas\\" farm"`` -> ``"santo tomas farm"``."""
    words = _PUNCT.sub("", mention.lower()).split()
    return " ".join(w for w in words if w not in _ARTICLES)


def _mention_text(m: Any) -> str:
    """A mention is a string or a ``[string, offset]`` pair (the gtt/ree gold format)."""
    if isinstance(m, str):
        return m
    if isinstance(m, (list, tuple)) and m and isinstance(m[0], str):
        return m[0]
    raise ValueError(f"mention {m!r}: expected a string or [string, offset]")


def normalize_entity(entity: Iterable[Any]) -> tuple[str, ...]:
    """Normalised, de-duplicated mentions of one entity, in first-seen order (empty ones dropped)."""
    if isinstance(entity, (str, bytes)):
        raise ValueError(f"entity {entity!r}: expected a list of mentions, got a bare string")
    out: list[str] = []
    for m in entity:
        n = normalize_mention(_mention_text(m))
        if n and n not in out:
            out.append(n)
    return tuple(out)


def normalize_entities(entities: Iterable[Any] | None) -> list[tuple[str, ...]]:
    """All non-empty normalised entities of one role (duplicates kept: they count)."""
    result = []
    for e in entities or []:
        n = normalize_entity(e)
        if n:
            result.append(n)
    return result


# --------------------------------------------------------------------------- counts


@dataclass(slots=True)
class Counts:
    """Hit and denominator counts; P = hits_p / predicted, R = hits_r / gold."""

    hits_p: int = 0
    predicted: int = 0
    hits_r: int = 0
    gold: int = 0

    def add(self, other: "Counts") -> None:
        self.hits_p += other.hits_p
        self.predicted += other.predicted
        self.hits_r += other.hits_r
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.hits_p / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.hits_r / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """Percentages rounded to 2 decimals, plus the raw counts."""
        return {
            "p": round(100 * self.precision, 2), "r": round(100 * self.recall, 2),
            "f1": round(100 * self.f1, 2), "hits_p": self.hits_p, "predicted": self.predicted,
            "hits_r": self.hits_r, "gold": self.gold,
        }


@dataclass(slots=True)
class Scores:
    """Micro counts plus a breakdown by slot (the five roles, and ``incident_type`` for GTT)."""

    micro: Counts = field(default_factory=Counts)
    by_slot: dict[str, Counts] = field(default_factory=dict)
    documents: int = 0
    approximate_docs: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro.as_dict(),
            "by_slot": {k: v.as_dict() for k, v in self.by_slot.items()},
            "documents": self.documents, "approximate_docs": self.approximate_docs,
        }


# --------------------------------------------------------------------------- REE


def max_matching(adj: Sequence[Sequence[int]], n_right: int) -> int:
    """Size of a maximum matching of a bipartite graph (``adj[i]`` = right nodes left node
    ``i`` may take).  Exact (Kuhn's augmenting paths): for 0/1 scores it equals the optimum
    of a Hungarian assignment."""
    match_right = [-1] * n_right

    def augment(i: int, seen: list[bool]) -> bool:
        for j in adj[i]:
            if not seen[j]:
                seen[j] = True
                if match_right[j] < 0 or augment(match_right[j], seen):
                    match_right[j] = i
                    return True
        return False

    return sum(1 for i in range(len(adj)) if augment(i, [False] * n_right))


def ree_role_counts(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]]) -> Counts:
    """CEAF-REE counts for one document and role (entities already normalised)."""
    gold_sets = [frozenset(g) for g in gold]
    adj = [[j for j, g in enumerate(gold_sets) if set(p) <= g] for p in pred]
    m = max_matching(adj, len(gold_sets))
    return Counts(hits_p=m, predicted=len(pred), hits_r=m, gold=len(gold_sets))


def score_ree(gold: Mapping[str, Mapping[str, Any]],
              pred: Mapping[str, Mapping[str, Any]]) -> Scores:
    """Entity-level scores.  ``gold`` and ``pred``: ``{docid: {role: [entity, ...]}}`` where
    an entity is a list of mentions (strings or ``[string, offset]``).  Documents missing
    from ``pred`` count as predicting nothing; predicted documents missing from ``gold``
    are an error (scoring them would silently drop false positives)."""
    extra = sorted(set(pred) - set(gold))
    if extra:
        raise ValueError(f"predictions: {len(extra)} docid(s) not in the gold, e.g. {extra[0]!r}")
    scores = Scores(by_slot={r: Counts() for r in ROLES})
    for docid, g_doc in gold.items():
        p_doc = pred.get(docid, {})
        scores.documents += 1
        for role in ROLES:
            c = ree_role_counts(normalize_entities(g_doc.get(role)), normalize_entities(p_doc.get(role)))
            scores.by_slot[role].add(c)
            scores.micro.add(c)
    return scores


def templates_to_ree(templates: Sequence[Mapping[str, Any]]) -> dict[str, list[list[str]]]:
    """Pool the entities of a document's predicted templates by role, for the REE metric
    (whose predictions are document level).  The same referent often appears in several
    templates with more or fewer coreferent mentions; an entity whose normalised mention
    set contains another pooled entity's set is taken as that same referent and only the
    smaller set is kept (identical sets are kept once)."""
    pooled: dict[str, list[list[str]]] = {r: [] for r in ROLES}
    for role in ROLES:
        cands: list[tuple[frozenset[str], list[str]]] = []
        for t in templates:
            for e in t.get(role) or []:
                mentions = [_mention_text(m) for m in e]
                key = frozenset(normalize_entity(mentions))
                if key:
                    cands.append((key, mentions))
        kept: set[frozenset[str]] = set()
        for key, mentions in cands:
            if key in kept or any(other < key for other, _ in cands):
                continue
            kept.add(key)
            pooled[role].append(mentions)
    return pooled


# --------------------------------------------------------------------------- GTT


@dataclass(slots=True, frozen=True)
class _Template:
    incident_type: str
    roles: dict[str, list[tuple[str, ...]]]

    @property
    def slots(self) -> int:
        return 1 + sum(len(v) for v in self.roles.values())


def _norm_template(t: Mapping[str, Any]) -> _Template:
    itype = t.get("incident_type")
    if not isinstance(itype, str) or not itype.strip():
        raise ValueError(f"template {dict(t)!r}: missing incident_type")
    return _Template(itype.strip().lower(), {r: normalize_entities(t.get(r)) for r in ROLES})


def _pair_counts(p: _Template, g: _Template) -> dict[str, Counts] | None:
    """Per-slot hits of predicted template ``p`` mapped to gold ``g`` (denominators 0:
    they are added once per template elsewhere); ``None`` if the types do not fit."""
    if p.incident_type not in g.incident_type:
        return None
    out = {"incident_type": Counts(hits_p=1, hits_r=1)}
    for role in ROLES:
        ps = [set(e) for e in p.roles[role]]
        gs = [set(e) for e in g.roles[role]]
        out[role] = Counts(
            hits_p=sum(1 for pe in ps if any(pe <= ge for ge in gs)),
            hits_r=sum(1 for ge in gs if any(pe <= ge for pe in ps)),
        )
    return out


def _f1(a: int, b: int, n_pred: int, n_gold: int) -> float:
    if not a or not b:
        return 0.0
    p, r = a / n_pred, b / n_gold
    return 2 * p * r / (p + r)


def _pareto(points: Iterable[tuple[int, int, tuple]]) -> list[tuple[int, int, tuple]]:
    """Keep the (a, b, mapping) points not dominated in both a and b."""
    best: list[tuple[int, int, tuple]] = []
    for pt in sorted(points, key=lambda x: (-x[0], -x[1])):
        if not best or pt[1] > best[-1][1]:
            best.append(pt)
    return best


def best_mapping(pred: Sequence[_Template], gold: Sequence[_Template]) -> tuple[tuple[tuple[int, int], ...], bool]:
    """The predicted→gold pairs ``((i, j), ...)`` of the mapping with the best document F1,
    and whether it is exact (``False`` past :data:`MAX_EXACT_TEMPLATES`)."""
    n_pred = sum(t.slots for t in pred)
    n_gold = sum(t.slots for t in gold)
    pair: dict[tuple[int, int], tuple[int, int]] = {}
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            c = _pair_counts(p, g)
            if c is not None:
                pair[(i, j)] = (sum(x.hits_p for x in c.values()), sum(x.hits_r for x in c.values()))
    if not pair:
        return (), True

    def key(pt: tuple[int, int, tuple]) -> tuple[float, int, int]:
        return (_f1(pt[0], pt[1], n_pred, n_gold), pt[0] + pt[1], pt[0])

    if min(len(pred), len(gold)) > MAX_EXACT_TEMPLATES:
        used_p: set[int] = set()
        used_g: set[int] = set()
        chosen = []
        for (i, j), (a, b) in sorted(pair.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), kv[0])):
            if i not in used_p and j not in used_g:
                used_p.add(i)
                used_g.add(j)
                chosen.append((i, j))
        return tuple(sorted(chosen)), False

    # DP over the longer side, with a bitmask over the shorter one.
    swap = len(pred) < len(gold)
    long_n, short_n = (len(gold), len(pred)) if swap else (len(pred), len(gold))
    states: dict[int, list[tuple[int, int, tuple]]] = {0: [(0, 0, ())]}
    for x in range(long_n):
        nxt: dict[int, list[tuple[int, int, tuple]]] = {}
        for mask, front in states.items():
            nxt.setdefault(mask, []).extend(front)  # x stays unmapped
            for y in range(short_n):
                if mask >> y & 1:
                    continue
                ij = (y, x) if swap else (x, y)
                if ij not in pair:
                    continue
                a, b = pair[ij]
                nxt.setdefault(mask | 1 << y, []).extend((fa + a, fb + b, m + (ij,)) for fa, fb, m in front)
        states = {m: _pareto(f) for m, f in nxt.items()}
    best = max((pt for f in states.values() for pt in f), key=key)
    return tuple(sorted(best[2])), True


def gtt_doc_counts(gold_templates: Sequence[Mapping[str, Any]],
                   pred_templates: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Counts], bool]:
    """Per-slot GTT counts of one document under its best mapping, and whether exact."""
    gold = [_norm_template(t) for t in gold_templates]
    pred = [_norm_template(t) for t in pred_templates]
    counts = {s: Counts() for s in ("incident_type", *ROLES)}
    for t in pred:
        counts["incident_type"].predicted += 1
        for r in ROLES:
            counts[r].predicted += len(t.roles[r])
    for t in gold:
        counts["incident_type"].gold += 1
        for r in ROLES:
            counts[r].gold += len(t.roles[r])
    mapping, exact = best_mapping(pred, gold)
    for i, j in mapping:
        for slot, c in (_pair_counts(pred[i], gold[j]) or {}).items():
            counts[slot].add(c)
    return counts, exact


def score_gtt(gold: Mapping[str, Sequence[Mapping[str, Any]]],
              pred: Mapping[str, Sequence[Mapping[str, Any]]]) -> Scores:
    """Template-level scores.  ``gold`` / ``pred``: ``{docid: [template, ...]}`` with
    templates as in gtt/*.jsonl.  Missing predicted documents predict nothing; predicted
    documents absent from the gold are an error."""
    extra = sorted(set(pred) - set(gold))
    if extra:
        raise ValueError(f"predictions: {len(extra)} docid(s) not in the gold, e.g. {extra[0]!r}")
    scores = Scores(by_slot={s: Counts() for s in ("incident_type", *ROLES)})
    for docid, g_templates in gold.items():
        doc_counts, exact = gtt_doc_counts(g_templates, pred.get(docid, []))
        scores.documents += 1
        scores.approximate_docs += 0 if exact else 1
        for slot, c in doc_counts.items():
            scores.by_slot[slot].add(c)
            scores.micro.add(c)
    return scores


# --------------------------------------------------------------------------- loading


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not valid JSON ({e.msg})") from None
            if not isinstance(row, dict) or "docid" not in row:
                raise ValueError(f"{path}:{n}: expected an object with a 'docid'")
            rows.append(row)
    return rows


def load_gtt_gold(muc4_dir: Path | str, split: str) -> dict[str, list[dict[str, Any]]]:
    """``{docid: templates}`` from ``<muc4_dir>/gtt/<split>.jsonl``."""
    return {r["docid"]: list(r.get("templates") or []) for r in _read_jsonl(Path(muc4_dir) / "gtt" / f"{split}.jsonl")}


def load_ree_gold(muc4_dir: Path | str, split: str) -> dict[str, dict[str, Any]]:
    """``{docid: {role: entities}}`` from ``<muc4_dir>/ree/<split>.jsonl``."""
    return {r["docid"]: dict(r.get("extracts") or {}) for r in _read_jsonl(Path(muc4_dir) / "ree" / f"{split}.jsonl")}


def load_predictions(path: Path | str) -> dict[str, list[dict[str, Any]]]:
    """``{docid: templates}`` from a ``cronica muc4 predict`` output file."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in _read_jsonl(Path(path)):
        t = r.get("templates")
        if not isinstance(t, list):
            raise ValueError(f"{path}: docid {r['docid']!r}: 'templates' must be a list")
        out[r["docid"]] = t
    return out


def score_all(gtt_gold: Mapping[str, Sequence[Mapping[str, Any]]],
              ree_gold: Mapping[str, Mapping[str, Any]],
              pred: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Scores]:
    """Both metrics for template predictions: ``{"ree": ..., "gtt": ...}``.  The REE
    predictions are the templates pooled per document (:func:`templates_to_ree`)."""
    return {
        "ree": score_ree(ree_gold, {d: templates_to_ree(t) for d, t in pred.items()}),
        "gtt": score_gtt(gtt_gold, pred),
    }


def format_scores(scores: Mapping[str, Scores]) -> str:
    """A plain-text table of both metrics, per slot and micro."""
    lines = []
    for name, title in (("ree", "Entity level (CEAF-REE)"), ("gtt", "Template level (GTT)")):
        if name not in scores:
            continue
        s = scores[name]
        lines.append(f"{title}  [{s.documents} documents"
                     + (f", {s.approximate_docs} greedy-mapped" if s.approximate_docs else "") + "]")
        lines.append(f"  {'slot':<14}{'P':>7}{'R':>7}{'F1':>7}   hits_p/pred  hits_r/gold")
        for slot, c in [*s.by_slot.items(), ("micro", s.micro)]:
            lines.append(f"  {slot:<14}{100 * c.precision:7.2f}{100 * c.recall:7.2f}{100 * c.f1:7.2f}"
                         f"   {c.hits_p:>5}/{c.predicted:<5}  {c.hits_r:>5}/{c.gold:<5}")
    return "\n".join(lines)
