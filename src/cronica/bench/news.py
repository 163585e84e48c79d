"""Running the product on news-dev and scoring it: ``cronica bench news``.

Pipeline per gold article: ``cronica.ingest.read_paths([path], url=gold url,
published=gold published)`` -> ``cronica.extract.Extractor().extract(document)`` -> the
pure scorer (:func:`cronica.bench.scoring.score`).  Saved predictions (Cronica JSON lines)
can be scored instead of running the extractor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

from cronica.bench.gold import BenchError, GoldArticle, load_gold
from cronica.bench.scoring import Report, score

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DEV_DIR = Path("../shared/news-dev")


def find_dev_dir(dev_dir: str | Path | None = None) -> Path:
    """``dev_dir`` if given, else ``../shared/news-dev`` from the working directory or from
    the repository root.  Raises :class:`BenchError` when it has no gold.jsonl."""
    if dev_dir is not None:
        cands = [Path(dev_dir)]
    else:
        cands = [DEFAULT_DEV_DIR, REPO_ROOT.parent / "shared" / "news-dev"]
    for c in cands:
        if (c / "gold.jsonl").is_file():
            return c
    raise BenchError(f"{cands[0]}: no gold.jsonl there (pass --dev-dir DIR pointing at news-dev)")


def select(gold: list[GoldArticle], lang: str) -> list[GoldArticle]:
    """The gold articles in ``lang`` (``all`` keeps every one)."""
    return gold if lang == "all" else [a for a in gold if a.language == lang]


def load_extractor() -> Any:
    """A ready :class:`cronica.extract.Extractor`; :class:`BenchError` if it cannot be built."""
    try:
        from cronica.extract import Extractor  # type: ignore[attr-defined]
    except ImportError as e:
        raise BenchError(f"cronica.extract.Extractor is not available ({e}); "
                         "the live benchmark needs the extractor") from None
    return Extractor()


def _read_paths() -> Callable[..., Iterable[Any]]:
    try:
        from cronica.ingest import read_paths  # type: ignore[attr-defined]
    except ImportError as e:
        raise BenchError(f"cronica.ingest.read_paths is not available ({e}); "
                         "the benchmark reads articles through the ingest stage") from None
    return read_paths


def predict(gold: list[GoldArticle], dev_dir: Path, extractor: Any,
            progress: Callable[[str], None] | None = None) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Ingest and extract every gold article.  Returns (file -> Cronica JSON dict,
    file -> note) where a note says why an article has no prediction (missing file,
    ingest error, extractor exception); such articles are scored as predicting nothing."""
    from cronica.records import Document, IngestError

    read_paths = _read_paths()
    preds: dict[str, dict[str, Any]] = {}
    notes: dict[str, str] = {}
    for art in gold:
        path = dev_dir / art.file
        if progress:
            progress(art.file)
        if not path.is_file():
            notes[art.file] = f"article file missing: {path}"
            continue
        items = list(read_paths([path], url=art.url, published=art.published))
        docs = [x for x in items if isinstance(x, Document)]
        if not docs:
            errs = [str(x) for x in items if isinstance(x, IngestError)]
            notes[art.file] = f"ingest failed: {errs[0] if errs else 'no document'}"
            continue
        try:
            result = extractor.extract(docs[0])
        except Exception as e:  # one broken article must not hide the others' scores
            notes[art.file] = f"extractor failed: {type(e).__name__}: {e}"
            continue
        preds[art.file] = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    return preds, notes


def load_predictions(path: str | Path, gold: list[GoldArticle]) -> dict[str, dict[str, Any]]:
    """Read saved predictions (one Cronica JSON object per line).  A line is tied to a gold
    article by its ``file`` key, else by ``document.url``, else by ``document.source_path``
    ending with the gold file.  Lines tied to no article are kept under their own name so
    the report lists them as unscored."""
    p = Path(path)
    if not p.is_file():
        raise BenchError(f"{p}: predictions file not found")
    by_url = {a.url: a.file for a in gold if a.url}
    out: dict[str, dict[str, Any]] = {}
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise BenchError(f"{p} line {n}: not valid JSON ({e.msg})") from None
            if not isinstance(d, dict) or not isinstance(d.get("document", {}), dict):
                raise BenchError(f"{p} line {n}: expected a Cronica JSON object with a 'document'")
            doc = d.get("document") or {}
            key = d.get("file") or by_url.get(doc.get("url"))
            if not key and doc.get("source_path"):
                sp = str(doc["source_path"]).replace("\\", "/")
                key = next((a.file for a in gold if sp.endswith(a.file)), None)
            out[key or doc.get("source_path") or doc.get("url") or f"{p.name}:{n}"] = d
    return out


def read_predictions(path: str | Path) -> dict[str, dict[str, Any]]:
    """Predictions written by :func:`save_predictions`: ``file`` -> Cronica JSON dict.  A line
    that is not JSON is a :class:`BenchError` naming the file and line."""
    preds: dict[str, dict[str, Any]] = {}
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    d = json.loads(line)
                except json.JSONDecodeError as e:
                    raise BenchError(f"{path} line {n}: not valid JSON ({e.msg})") from None
                preds[str(d.get("file"))] = d
    return preds


def save_predictions(path: str | Path, preds: dict[str, dict[str, Any]]) -> None:
    """Write predictions as Cronica JSON lines, each with a ``file`` key for re-scoring."""
    with Path(path).open("w", encoding="utf-8") as fh:
        for f, d in preds.items():
            fh.write(json.dumps({"file": f, **d}, ensure_ascii=False) + "\n")


def run_news(dev_dir: str | Path | None = None, lang: str = "all",
             predictions: str | Path | None = None, save: str | Path | None = None,
             progress: Callable[[str], None] | None = None) -> Report:
    """Score ``lang`` articles of news-dev: from ``predictions`` when given, else by running
    ingest + the live extractor (optionally saving what it predicted to ``save``)."""
    d = find_dev_dir(dev_dir)
    gold = select(load_gold(d / "gold.jsonl"), lang)
    if not gold:
        raise BenchError(f"{d / 'gold.jsonl'}: no articles in language {lang!r}")
    if predictions is not None:
        preds: dict[str, Any] = load_predictions(predictions, gold)
        if lang != "all":  # saved files may cover every language
            preds = {k: v for k, v in preds.items()
                     if any(a.file == k for a in gold) or (v.get("document") or {}).get("language") == lang}
        return score(gold, preds)
    _read_paths()  # fail on a missing ingest stage before loading any model
    preds, notes = predict(gold, d, load_extractor(), progress)
    if save is not None:
        save_predictions(save, preds)
    return score(gold, preds, notes)
