"""Quote extraction measured on the news-dev set (read in place from ../shared).

``python tests/test_extract_quotes_newsdev.py [-v]`` prints quote recall/precision and
speaker accuracy, EN and ES separately, for each fragment policy; pytest asserts floors.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_extract_people_newsdev import (  # noqa: E402
    NEWS_DEV, fold, load_news_dev, name_match, nlp_for,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (NEWS_DEV / "gold.jsonl").exists(),
                       reason=f"news-dev set not found at {NEWS_DEV}"),
]


def norm_quote(text: str) -> str:
    """Compare quotes ignoring case, accents, quote marks, whitespace and trailing
    punctuation of each part."""
    parts = [fold(p).strip(" ,.;:!?…") for p in text.split("[…]")]
    return " [...] ".join(re.sub(r"\s+", " ", p) for p in parts)


def run_quotes(policy: str = "attributed"):
    from cronica.extract.people import extract_people
    from cronica.extract.quotes import extract_quotes

    out = []
    for doc, gold in load_news_dev():
        sdoc = nlp_for(doc.language)(doc.text)
        people = extract_people(sdoc, doc)
        out.append((doc, gold, extract_quotes(sdoc, doc, people, fragments=policy)))  # type: ignore[arg-type]
    return out


def score_quotes(results) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for lang in ("en", "es"):
        n_g = n_p = tp = spk_ok = 0
        for doc, gold, quotes in results:
            if doc.language != lang:
                continue
            golds = gold["quotes"]
            n_g += len(golds)
            n_p += len(quotes)
            for g in golds:
                hit = next((q for q in quotes if norm_quote(q.text) == norm_quote(g["text"])), None)
                if hit is None:
                    continue
                tp += 1
                if g["speaker"] is None:
                    spk_ok += hit.speaker is None
                else:
                    spk_ok += bool(hit.speaker) and name_match(g["speaker"], hit.speaker)
        out[lang] = {"recall": tp / max(n_g, 1), "precision": tp / max(n_p, 1),
                     "speaker_acc": spk_ok / max(tp, 1), "gold": n_g, "pred": n_p}
    return out


@lru_cache(maxsize=1)
def _results():
    return run_quotes()


def test_quote_recall_and_speakers_on_news_dev():
    s = score_quotes(_results())
    assert s["en"]["recall"] >= 0.8, s
    assert s["es"]["recall"] >= 0.8, s
    assert s["en"]["speaker_acc"] >= 0.8, s
    assert s["es"]["speaker_acc"] >= 0.8, s
    assert s["en"]["precision"] >= 0.7, s


def test_quote_evidence_is_exact_and_contains_the_quote():
    for doc, _gold, quotes in _results():
        for q in quotes:
            ev = q.evidence
            assert ev is not None and doc.text[ev.start:ev.end] == ev.text
            first = q.text.split(" […] ")[0]
            assert first in ev.text, (doc.source_path, q.text)


if __name__ == "__main__":
    for policy in ("attributed", "all", "none"):
        res = run_quotes(policy)
        for lang, s in score_quotes(res).items():
            print(f"quotes[{policy}] {lang}: recall {s['recall']:.3f} precision "
                  f"{s['precision']:.3f} speaker {s['speaker_acc']:.3f} "
                  f"(gold {s['gold']}, predicted {s['pred']})")
        if "-v" in sys.argv and policy == "attributed":
            for doc, gold, quotes in res:
                gq = {norm_quote(g["text"]): g for g in gold["quotes"]}
                for q in quotes:
                    g = gq.get(norm_quote(q.text))
                    mark = "OK " if g else "XX "
                    if g and not ((g["speaker"] is None and q.speaker is None) or (
                            g["speaker"] and q.speaker and name_match(g["speaker"], q.speaker))):
                        mark = "SPK"
                    print(mark, doc.source_path, repr(q.text[:60]), "|", q.speaker, "|",
                          q.speaker_role, "| gold:", g and (g["speaker"], g["speaker_role"]))
                for k, g in gq.items():
                    if not any(norm_quote(q.text) == k for q in quotes):
                        print("MISS", doc.source_path, repr(g["text"][:70]))
