"""Document relevance and incident-type scores: does an article report a current act of
political violence, and of which kinds?

A bag-of-words logistic regression (binary word and word-pair features, L2-normalised),
one output per label of :data:`LABELS`: ``relevant`` (the article reports at least one
incident) and one per incident kind (``attack``, ``bombing``, ``kidnapping``, ``arson``,
``robbery``, ``forced work stoppage``).  Trained by ``cronica train muc4`` on MUC-4
``train`` (a document is relevant when it has a non-empty template) with plain numpy
gradient descent; the weights ship as ``cronica/data/models/roles/relevance.json.gz``
(vocabulary + one weight vector per label).  Scoring is a dictionary lookup per word.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from cronica.extract.roles_model import MODEL_DIR

LABELS: tuple[str, ...] = ("relevant", "attack", "bombing", "kidnapping", "arson", "robbery",
                           "forced work stoppage")
RELEVANCE_PATH = MODEL_DIR / "relevance.json.gz"
_WORD = re.compile(r"[a-z][a-z'-]*|\d+")


def text_features(text: str) -> set[str]:
    """Lower-cased words and adjacent word pairs of a text."""
    words = _WORD.findall(text.lower())
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:])}


class RelevanceModel:
    """Per-label probabilities for a document text."""

    def __init__(self, vocab: dict[str, int], weights: list[list[float]], bias: list[float],
                 labels: Sequence[str] = LABELS) -> None:
        self.vocab = vocab
        self.weights = weights  # one vector per label, indexed by vocab id
        self.bias = bias
        self.labels = tuple(labels)

    @classmethod
    def load(cls, path: Path = RELEVANCE_PATH) -> "RelevanceModel":
        if not Path(path).is_file():
            raise FileNotFoundError(f"{path}: relevance model not found (run `cronica train muc4`)")
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            d = json.load(fh)
        return cls({w: i for i, w in enumerate(d["vocab"])}, d["weights"], d["bias"], d["labels"])

    @staticmethod
    @lru_cache(maxsize=1)
    def default() -> "RelevanceModel":
        """The shipped model, loaded once per process."""
        return RelevanceModel.load(RELEVANCE_PATH)

    def save(self, path: Path) -> None:
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump({"labels": list(self.labels), "vocab": vocab, "bias": self.bias,
                       "weights": [[round(x, 5) for x in w] for w in self.weights]}, fh)

    def scores(self, text: str) -> dict[str, float]:
        """Probability of each label for one document."""
        ids = [self.vocab[f] for f in text_features(text) if f in self.vocab]
        norm = 1 / math.sqrt(len(ids)) if ids else 0.0
        out = {}
        for k, lab in enumerate(self.labels):
            w = self.weights[k]
            z = self.bias[k] + norm * sum(w[i] for i in ids)
            out[lab] = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
        return out


def train_relevance(texts: Sequence[str], targets: Sequence[set[str]], labels: Sequence[str] = LABELS,
                    min_df: int = 3, l2: float = 1e-3, epochs: int = 300, lr: float = 0.5) -> RelevanceModel:
    """Fit one logistic regression per label (full-batch gradient descent with momentum
    on L2-normalised binary features).  ``targets[i]`` is the set of labels of text i."""
    import numpy as np

    feats = [text_features(t) for t in texts]
    df: dict[str, int] = {}
    for f in feats:
        for x in f:
            df[x] = df.get(x, 0) + 1
    vocab = {w: i for i, w in enumerate(sorted(w for w, n in df.items() if n >= min_df))}
    X = np.zeros((len(texts), len(vocab)), dtype=np.float32)
    for r, f in enumerate(feats):
        ids = [vocab[x] for x in f if x in vocab]
        if ids:
            X[r, ids] = 1 / math.sqrt(len(ids))
    Y = np.array([[1.0 if lab in t else 0.0 for lab in labels] for t in targets], dtype=np.float32)
    W = np.zeros((len(vocab), len(labels)), dtype=np.float32)
    b = np.zeros(len(labels), dtype=np.float32)
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    n = len(texts)
    for _ in range(epochs):
        P = 1 / (1 + np.exp(-np.clip(X @ W + b, -30, 30)))
        G = P - Y
        gW = X.T @ G / n + l2 * W
        gb = G.mean(axis=0)
        vW = 0.9 * vW - lr * gW
        vb = 0.9 * vb - lr * gb
        W += vW
        b += vb
    return RelevanceModel(vocab, W.T.astype(float).tolist(), b.astype(float).tolist(), labels)


def muc4_targets(templates: Sequence[dict[str, Any]]) -> set[str]:
    """Labels of a MUC-4 document from its gold templates."""
    out: set[str] = set()
    for t in templates:
        out.add("relevant")
        for part in str(t.get("incident_type", "")).split("/"):
            out.add(part.strip())
    return out
