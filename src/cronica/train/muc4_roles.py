"""Training the role tagger (:mod:`cronica.extract.roles_model`) on MUC-4 ``train``.

``train_roles(muc4_dir, out_dir)`` reads ``ree/train.jsonl`` (document text plus the
role-filler entities with character offsets), recases each text the way the MUC-4 view
does, parses it with the product's spaCy pipeline, labels every occurrence of every gold
mention (BIO, one label set per role) and fits a CRFsuite model with L-BFGS and
elastic-net regularisation.  Only the training split is read.  Deterministic for a given
input; about 10 minutes on 2 CPU cores, most of it parsing.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from spacy.tokens import Doc

from cronica.extract.roles_model import ROLES, bio_labels, doc_features

#: CRFsuite training parameters of the shipped model.
PARAMS: dict[str, Any] = {
    "c1": 0.05, "c2": 0.25, "max_iterations": 150,
    "feature.possible_transitions": True, "feature.minfreq": 2,
}


#: Training parameters of the shipped relevance classifier.
RELEVANCE_PARAMS: dict[str, Any] = {"l2": 1e-4, "epochs": 300, "lr": 20.0, "min_df": 3}


def load_rows(muc4_dir: Path, split: str = "train") -> list[dict[str, Any]]:
    """``ree/<split>.jsonl`` rows; a clear error when the file is missing or malformed."""
    path = Path(muc4_dir) / "ree" / f"{split}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: MUC-4 REE file not found")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise ValueError(f"{path}:{n}: not valid JSON ({e.msg})") from None
    return rows


def gold_spans(text: str, extracts: dict[str, Any]) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, role)`` of every gold mention and of every other
    whole-word occurrence of the same string in ``text`` (the annotation marks one
    occurrence; the others carry the same role).  Longer mentions come first."""
    spans: list[tuple[int, int, str]] = []
    low = text.lower()
    for role in ROLES:
        for entity in extracts.get(role, []):
            for mention, offset in entity:
                m = mention.lower()
                if not m.strip():
                    continue
                if 0 <= offset and low[offset:offset + len(m)] == m:
                    spans.append((offset, offset + len(m), role))
                for hit in re.finditer(rf"(?<!\w){re.escape(m)}(?!\w)", low):
                    spans.append((hit.start(), hit.end(), role))
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    return spans


def parse_texts(texts: list[str], cache: Path | None = None) -> list[Doc]:
    """Parse with the product pipeline; with ``cache`` (a DocBin file), reuse it when it
    holds the same texts, else write it."""
    from spacy.tokens import DocBin

    from cronica.extract.nlp import load_nlp

    nlp = load_nlp("en")
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=32))
    if cache is not None:
        db = DocBin(attrs=["ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_ID", "POS",
                           "SENT_START", "SPACY"])
        for d in docs:
            db.add(d)
        cache.parent.mkdir(parents=True, exist_ok=True)
        db.to_disk(cache)
    return docs


def training_sequences(rows: list[dict[str, Any]], docs: list[Doc]) -> Iterable[tuple[list[list[str]], list[str]]]:
    """(features, labels) for every sentence of every training document."""
    for row, sdoc in zip(rows, docs):
        spans = gold_spans(sdoc.text, row.get("extracts", {}))
        for sent, feats in doc_features(sdoc):
            if feats:
                yield feats, bio_labels(sent, spans)


def train_relevance_model(muc4_dir: Path, out_dir: Path, limit: int | None = None,
                          log: Callable[[str], None] = print) -> Path:
    """Train the document relevance / incident-kind classifier
    (:mod:`cronica.extract.relevance`) on ``<muc4_dir>/gtt/train.jsonl``; returns the
    model path (``<out_dir>/relevance.json.gz``)."""
    from cronica.extract.relevance import muc4_targets, train_relevance

    t0 = time.perf_counter()
    path = Path(muc4_dir) / "gtt" / "train.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: MUC-4 GTT file not found")
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()][:limit]
    model = train_relevance([r["doctext"] for r in rows], [muc4_targets(r["templates"]) for r in rows],
                            **RELEVANCE_PARAMS)
    out = Path(out_dir) / "relevance.json.gz"
    model.save(out)
    log(f"relevance classifier: {len(rows)} documents, {len(model.vocab)} features, "
        f"{time.perf_counter() - t0:.0f} s -> {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return out


def train_roles(muc4_dir: Path, out_dir: Path, cache: Path | None = None,
                params: dict[str, Any] | None = None, limit: int | None = None,
                log: Callable[[str], None] = print) -> Path:
    """Train the role tagger on ``<muc4_dir>/ree/train.jsonl``; returns the model path
    (``<out_dir>/roles.crfsuite``)."""
    import pycrfsuite

    from cronica.muc4.view import make_document

    t0 = time.perf_counter()
    rows = load_rows(muc4_dir, "train")[:limit]
    texts = [make_document(r["doctext"]).text for r in rows]
    docs = parse_texts(texts, cache)
    log(f"parsed {len(docs)} documents in {time.perf_counter() - t0:.0f} s")
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for feats, labels in training_sequences(rows, docs):
        trainer.append(feats, labels)
        n += 1
    trainer.set_params({**PARAMS, **(params or {})})
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "roles.crfsuite"
    trainer.train(str(path))
    log(f"trained on {n} sentences in {time.perf_counter() - t0:.0f} s -> {path} "
        f"({path.stat().st_size / 1e6:.1f} MB)")
    return path
