"""Figures measured on the news-dev set (EN and ES separately).

Run the scorer by hand for a per-article listing:
    python tests/test_extract_figures_newsdev.py [-v]
The pytest test asserts the recall floor on English and sane precision on both languages.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NEWS_DEV = SHARED / "news-dev"


@dataclass
class FigureScore:
    gold: int = 0
    predicted: int = 0
    hits: int = 0
    claimant_ok: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 0.0

    @property
    def claimant_accuracy(self) -> float:
        return self.claimant_ok / self.hits if self.hits else 0.0


def _documents() -> dict[str, object]:
    """news-dev articles as Documents, keyed by the gold ``file`` path."""
    from cronica.ingest.reader import read_paths
    from cronica.records import Document

    docs: dict[str, object] = {}
    for item in read_paths([NEWS_DEV / "articles"]):
        if isinstance(item, Document) and item.source_path:
            docs["articles/" + Path(item.source_path).name] = item
    return docs


def score_news_dev() -> dict[str, FigureScore]:
    """Recall (indicator + value), precision and claimant accuracy per language."""
    from cronica.bench.scoring import figure_matches, text_contains
    from cronica.extract.figures import extract_figures
    from cronica.extract.nlp import load_nlp

    docs = _documents()
    scores = {"en": FigureScore(), "es": FigureScore()}
    for line in (NEWS_DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        lang = g["language"]
        doc = docs.get(g["file"])
        if doc is None:
            continue
        doc.language = lang  # type: ignore[attr-defined]
        doc.published = doc.published or g.get("published")  # type: ignore[attr-defined]
        figs = [f.to_dict() for f in extract_figures(load_nlp(lang)(doc.text), doc)]  # type: ignore[attr-defined]
        s = scores[lang]
        claims = g["gold"]["claims"]
        s.gold += len(claims)
        s.predicted += len(figs)
        used: set[int] = set()
        for c in claims:
            i = next((i for i, f in enumerate(figs) if i not in used and figure_matches(c, f)), None)
            if i is None:
                s.lines.append(f"{g['file']} MISS {c['indicator']}={c['value']} | {c['evidence'][0][:90]}")
                continue
            used.add(i)
            s.hits += 1
            ok = text_contains(c.get("attributed_to"), figs[i].get("attributed_to"))
            s.claimant_ok += ok
            if not ok:
                s.lines.append(f"{g['file']} CLAIMANT gold={c.get('attributed_to')!r} "
                               f"got={figs[i].get('attributed_to')!r}")
        for i, f in enumerate(figs):
            if i not in used:
                rng = f"[{f['low']}, {f['high']}]" if f["value"] is None else f["value"]
                s.lines.append(f"{g['file']} SPURIOUS {f['indicator']}={rng} | {f['evidence']['text'][:90]}")
    return scores


@pytest.mark.skipif(not (NEWS_DEV / "gold.jsonl").is_file(),
                    reason=f"news-dev set not found at {NEWS_DEV}")
def test_news_dev_figure_recall_and_precision() -> None:
    scores = score_news_dev()
    en, es = scores["en"], scores["es"]
    assert en.gold > 0 and es.gold > 0
    assert en.recall >= 0.6, "\n".join(en.lines)
    assert en.precision >= 0.5, "\n".join(en.lines)
    assert es.recall >= 0.4, "\n".join(es.lines)
    assert es.precision >= 0.4, "\n".join(es.lines)
    assert en.claimant_accuracy >= 0.5, "\n".join(en.lines)


if __name__ == "__main__":
    if not (NEWS_DEV / "gold.jsonl").is_file():
        sys.exit(f"news-dev set not found at {NEWS_DEV}")
    for lang, s in score_news_dev().items():
        print(f"{lang}: gold {s.gold} predicted {s.predicted} hits {s.hits} "
              f"recall {s.recall:.2f} precision {s.precision:.2f} "
              f"claimant {s.claimant_accuracy:.2f}")
        if "-v" in sys.argv:
            print("  " + "\n  ".join(s.lines))
