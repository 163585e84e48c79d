"""``cronica bench news`` through click's CliRunner, on a tiny gold file written here."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cronica.cli import main

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NEWS_DEV = SHARED / "news-dev"

GOLD = [
    {"file": "articles/001.txt", "url": "https://one.example.org/a", "language": "en",
     "published": "2020-03-02", "gold": {
         "events": [{"id": "e1", "type": "ambush", "type_alt": ["attack"], "status": "current",
                     "date": "2020-03-01", "location": {"name": "Villa Azul", "admin1": None, "country": "CO"},
                     "perpetrators": ["ELN"], "killed": {"value": 4, "qualifier": "at_least"},
                     "wounded": None, "evidence": []}],
         "groups": [{"canonical": "ELN", "aliases": ["ELN"]}],
         "people": [{"name": "Marta Ruiz Peña"}],
         "claims": [{"indicator": "reward_cop", "value": 50000000, "attributed_to": "Defence Ministry"}],
         "quotes": [{"speaker": "Marta Ruiz Peña", "text": "We will not rest until they answer for this"}]}},
    {"file": "articles/002.txt", "url": "https://two.example.org/b", "language": "es",
     "published": "2021-07-15", "gold": {"events": [], "groups": [], "people": [], "claims": [], "quotes": []}},
]

PREDS = [
    {"version": "1.0", "document": {"id": "d1", "text": "", "url": "https://one.example.org/a", "language": "en"},
     "incidents": [{"id": "i1", "type": "attack", "status": "current", "date": "2020-03-01",
                    "location": {"country": "CO"}, "perpetrators": [{"name": "ELN", "canonical": "ELN"}],
                    "killed": {"value": 4, "qualifier": "exact"}}],
     "actors": [{"id": "a1", "name": "ELN", "canonical": "ELN", "kind": "armed_group"},
                {"id": "a2", "name": "Marta Ruiz", "canonical": "Marta Ruiz Peña", "kind": "person"}],
     "figures": [{"id": "f1", "indicator": "reward_cop", "value": 5e7, "attributed_to": "the defence ministry"}],
     "quotes": [{"id": "q1", "text": "We will not rest until they answer for this,", "speaker": "Marta Ruiz Peña"}]},
    # a no-incident article with a spurious event, tied by source_path
    {"version": "1.0", "document": {"id": "d2", "text": "", "source_path": "/x/articles/002.txt", "language": "es"},
     "incidents": [{"id": "i2", "type": "murder", "status": "current", "date": "2021-07-14"}]},
]


def _write(tmp_path: Path) -> tuple[Path, Path]:
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    preds = tmp_path / "preds.jsonl"
    preds.write_text("".join(json.dumps(p) + "\n" for p in PREDS), encoding="utf-8")
    return dev, preds


def test_news_json_on_saved_predictions(tmp_path: Path) -> None:
    dev, preds = _write(tmp_path)
    r = CliRunner().invoke(main, ["bench", "news", "--dev-dir", str(dev), "--predictions", str(preds), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert set(d["languages"]) == {"en", "es", "all"}
    m = d["languages"]["all"]["metrics"]
    assert m["incidents.typed"] == {"gold": 1, "gold_hit": 1, "pred": 2, "pred_ok": 1,
                                    "precision": 0.5, "recall": 1.0, "f1": pytest.approx(2 / 3)}
    assert d["languages"]["es"]["metrics"]["incidents.typed"]["precision"] == 0.0
    assert m["event.killed"]["accuracy"] == 0.0 and m["event.killed.loose"]["accuracy"] == 1.0
    assert m["event.perpetrator"]["accuracy"] == 1.0
    assert m["figures"]["recall"] == 1.0 and m["figures.claimant"]["accuracy"] == 1.0
    assert m["groups"]["f1"] == 1.0 and m["people"]["recall"] == 1.0
    assert m["quotes"]["recall"] == 1.0 and m["quotes.speaker"]["accuracy"] == 1.0
    assert "articles" not in d and d["unscored"] == [] and d["notes"] == {}


def test_news_text_details_and_language_filter(tmp_path: Path) -> None:
    dev, preds = _write(tmp_path)
    r = CliRunner().invoke(main, ["bench", "news", "--dev-dir", str(dev), "--predictions", str(preds), "--details"])
    assert r.exit_code == 0, r.output
    assert "== EN (1 article) ==" in r.output and "== ALL (2 articles) ==" in r.output
    assert "--- articles/002.txt [es]" in r.output and "spurious: event murder" in r.output
    assert "e1.killed: gold 4 at_least, predicted 4 exact" in r.output
    r = CliRunner().invoke(main, ["bench", "news", "--dev-dir", str(dev), "--predictions", str(preds),
                                  "--lang", "en", "--json", "--details"])
    d = json.loads(r.output)
    assert set(d["languages"]) == {"en", "all"} and [a["file"] for a in d["articles"]] == ["articles/001.txt"]
    assert d["unscored"] == []


def test_news_bad_inputs_give_one_line_errors(tmp_path: Path) -> None:
    dev, preds = _write(tmp_path)
    runner = CliRunner()
    r = runner.invoke(main, ["bench", "news", "--dev-dir", str(tmp_path / "nowhere")])
    assert r.exit_code == 1 and "nowhere: no gold.jsonl there" in r.output
    r = runner.invoke(main, ["bench", "news", "--dev-dir", str(dev), "--predictions", str(tmp_path / "x.jsonl")])
    assert r.exit_code == 1 and "x.jsonl: predictions file not found" in r.output
    preds.write_text("[1, 2]\n", encoding="utf-8")
    r = runner.invoke(main, ["bench", "news", "--dev-dir", str(dev), "--predictions", str(preds)])
    assert r.exit_code == 1 and "preds.jsonl line 1: expected a Cronica JSON object" in r.output
    (dev / "gold.jsonl").write_text("not json\n", encoding="utf-8")
    r = runner.invoke(main, ["bench", "news", "--dev-dir", str(dev), "--predictions", str(preds)])
    assert r.exit_code == 1 and "gold.jsonl line 1: not valid JSON" in r.output
    assert len(r.output.strip().splitlines()) == 1


def _importable(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except Exception:
        return False


HAVE_LIVE = _importable("cronica.extract", "Extractor") and _importable("cronica.ingest", "read_paths")


@pytest.mark.skipif(HAVE_LIVE, reason="extractor and ingest are available; the live test covers them")
def test_news_live_without_extractor_or_ingest_fails_clearly(tmp_path: Path) -> None:
    dev, _ = _write(tmp_path)
    r = CliRunner().invoke(main, ["bench", "news", "--dev-dir", str(dev)])
    assert r.exit_code == 1
    assert "is not available" in r.output and ("Extractor" in r.output or "read_paths" in r.output)


@pytest.mark.slow
@pytest.mark.skipif(not (NEWS_DEV / "gold.jsonl").is_file(), reason=f"news-dev not found at {NEWS_DEV}")
@pytest.mark.skipif(not HAVE_LIVE, reason="cronica.extract.Extractor or cronica.ingest.read_paths not available yet")
def test_news_live_on_two_real_articles(tmp_path: Path) -> None:
    lines = (NEWS_DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    picked = [ln for ln in lines if json.loads(ln)["file"] in ("articles/001.txt", "articles/002.txt")]
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "gold.jsonl").write_text("\n".join(picked) + "\n", encoding="utf-8")
    (dev / "articles").symlink_to(NEWS_DEV / "articles")  # read in place, never copied
    saved = tmp_path / "saved.jsonl"
    r = CliRunner().invoke(main, ["bench", "news", "--dev-dir", str(dev), "--json", "--save", str(saved)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["languages"]["all"]["articles"] == 2
    assert d["languages"]["all"]["metrics"]["incidents.typed"]["gold"] == 3
    assert len(saved.read_text(encoding="utf-8").splitlines()) == 2
    # the saved predictions re-score to the same numbers
    r2 = CliRunner().invoke(main, ["bench", "news", "--dev-dir", str(dev), "--json", "--predictions", str(saved)])
    assert json.loads(r2.output)["languages"] == d["languages"]
