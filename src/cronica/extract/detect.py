"""Learned event detection: incidents the rules proposed no candidate for (``detect``).

The rules find incidents through trigger words; a sentence that states an event in words
they do not know ("found an aircraft loaded with cocaine") yields nothing. This component
reads every sentence that no incident already covers and asks a multinomial logistic
regression (trained by ``cronica train news`` on the gold events' evidence sentences) which
incident type, if any, the sentence states. A sentence above the threshold chosen by
cross-validation becomes an incident: its type, the first date written in the sentence
(else none), the article's country, the sentence as evidence, and a status from the date
(more than 45 days before publication: background). A missing model file turns it off.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from cronica.extract.decide import LinearModel, prefix_words, read_model_json
from cronica.records import Document, Evidence, Incident, Location, stable_id

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "news" / "detect.json"
BACKGROUND_DAYS = 45


def sentence_features(text: str, lang: str, index: int, total: int) -> dict[str, float]:
    """Sparse features of one sentence: its words, word pairs, digits, position, language."""
    words = prefix_words(text)
    f: dict[str, float] = {"bias": 1.0, "lang=" + lang: 1}
    for w in set(words):
        f["w=" + w] = 1
    for a, b in zip(words, words[1:]):
        f[f"ww={a}_{b}"] = 1
    if any(c.isdigit() for c in text):
        f["digit"] = 1
    f["first" if index == 0 else ("early" if index < 4 else "late")] = 1
    f["len=" + ("short" if len(words) < 8 else "mid" if len(words) < 25 else "long")] = 1
    return f


@dataclass(slots=True)
class Detector:
    model: LinearModel
    threshold: float

    def best(self, feats: dict[str, float]) -> tuple[str | None, float]:
        """The most likely incident type of a sentence (``None``: no incident) and its probability."""
        return self.best_of(self.model.proba(feats))

    @staticmethod
    def best_of(p: dict[str, float]) -> tuple[str | None, float]:
        """:meth:`best` from the model's probabilities ``p`` (training reuses them)."""
        typ = max(sorted(p), key=lambda c: p[c])
        return (None, p[typ]) if typ == "none" else (typ, p[typ])


@lru_cache(maxsize=4)
def load_detector(path: str | None = None) -> Detector | None:
    d = read_model_json(path or MODEL_PATH)
    if d is None:
        return None
    return Detector(LinearModel.from_dict(d["model"]), float(d["threshold"]))


def sentences(sdoc: Doc, document: Document) -> list[tuple[int, int]]:
    """(start, end) of the sentences, trailing spaces trimmed."""
    out = []
    for s in sdoc.sents:
        a, b = s.start_char, s.end_char
        while b > a and document.text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def new_incident(document: Document, start: int, end: int, typ: str, p: float,
                 country: str | None) -> Incident:
    """The incident a detected sentence stands for (see the module docstring)."""
    from cronica.extract.dates import find_dates, parse_pub

    text = document.text[start:end]
    dates = [d for d in find_dates(text, document.published, document.language) if not d.span_years]
    date = dates[0] if dates else None
    status = "current"
    pub = parse_pub(document.published)
    if date is not None and pub is not None and len(date.value) == 10:
        try:
            from datetime import date as Date

            if (pub - Date.fromisoformat(date.value)).days > BACKGROUND_DAYS:
                status = "background"
        except ValueError:
            pass
    elif date is not None and pub is not None and date.value[:4] < str(pub.year):
        status = "background"
    return Incident(
        id=stable_id("inc", document.id, start, typ, "detected"), type=typ, status=status,
        date=date.value if date else None, date_precision=date.precision if date else None,
        location=Location(country=country, precision="country" if country else None),
        evidence=[Evidence(start, end, text)], confidence=round(p, 4),
        date_evidence=Evidence(start + date.start, start + date.end, text[date.start:date.end]) if date else None)


def detect(sdoc: Doc, document: Document, incidents: list[Incident], country: str | None,
           detector: Detector | None = None) -> list[Incident]:
    """New incidents from sentences no incident covers (none without a model)."""
    detector = detector or load_detector()
    if detector is None or detector.threshold > 1:
        return []
    covered = [(e.start, e.end) for i in incidents for e in i.evidence]
    lang = document.language or "en"
    spans = sentences(sdoc, document)
    out = []
    for k, (a, b) in enumerate(spans):
        if any(x < b and a < y for x, y in covered):
            continue
        typ, p = detector.best(sentence_features(document.text[a:b], lang, k, len(spans)))
        if typ is not None and p >= detector.threshold:
            out.append(new_incident(document, a, b, typ, p, country))
    return out


def detector_to_dict(model: LinearModel, threshold: float, meta: dict[str, Any]) -> dict[str, Any]:
    return {"meta": meta, "threshold": threshold,
            "model": {"classes": model.classes, "intercepts": model.intercepts, "weights": model.weights}}
