"""``cronica bench news`` (quality on news-dev) and ``cronica bench extract`` (speed/memory)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cronica.cli.base import json_option, main


@main.group()
def bench() -> None:
    """Benchmarks: extraction quality on news-dev, extraction speed and memory."""


@bench.command("news")
@click.option("--dev-dir", type=click.Path(path_type=Path), default=None,
              help="The news-dev folder (with gold.jsonl and articles/). [default: ../shared/news-dev]")
@click.option("--lang", type=click.Choice(["en", "es", "all"]), default="all", show_default=True,
              help="Score only the articles in this language.")
@click.option("--split", type=click.Choice(["train", "dev", "test", "all"]), default=None,
              help="Score a split of the corpus manifest (corpora/manifest.tsv) instead of news-dev: per corpus "
                   "and language, with 95% bootstrap intervals and a confusion table of incident types. "
                   "'test' is the locked test: score it once per round.")
@click.option("--corpus", type=click.Choice(["news-dev", "news-es2", "news-en2", "news-x3", "all"]), default="all",
              show_default=True, help="With --split: only this corpus.")
@click.option("--shared", type=click.Path(path_type=Path), default=None,
              help="With --split: the folder holding news-dev, news-es2 and news-en2. [default: ../shared]")
@click.option("--details", is_flag=True, help="Also list per-article misses, spurious and wrong items.")
@click.option("--predictions", type=click.Path(path_type=Path), default=None,
              help="Score saved Cronica JSON lines instead of running the extractor.")
@click.option("--save", type=click.Path(path_type=Path), default=None,
              help="Write the extractor's predictions here (Cronica JSON lines) for re-scoring.")
@json_option
def news_cmd(dev_dir: Path | None, lang: str, split: str | None, corpus: str, shared: Path | None,
             details: bool, predictions: Path | None, save: Path | None, as_json: bool) -> None:
    """Score the extractor against annotated news: news-dev (default) or a split of the
    corpus manifest (--split), per language and overall."""
    from cronica.bench.gold import BenchError
    from cronica.bench.news import run_news
    from cronica.bench.report import format_report

    progress = None if as_json else (lambda f: click.echo(f"  {f}", err=True))
    if split is not None:
        _split_news(split, corpus, lang, shared, details, predictions, save, as_json, progress)
        return
    try:
        report = run_news(dev_dir, lang=lang, predictions=predictions, save=save, progress=progress)
    except BenchError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(details=details), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, details=details))


def _split_news(split: str, corpus: str, lang: str, shared: Path | None, details: bool,
                predictions: Path | None, save: Path | None, as_json: bool, progress) -> None:  # type: ignore[no-untyped-def]
    from cronica.bench.gold import BenchError
    from cronica.bench.news import save_predictions
    from cronica.bench.report import format_report
    from cronica.bench.splits import as_report, format_split, run_split, split_to_dict

    try:
        preds = None
        if predictions is not None:
            preds = {}
            with predictions.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    if line.strip():
                        try:
                            d = json.loads(line)
                        except json.JSONDecodeError as e:
                            raise BenchError(f"{predictions} line {n}: not valid JSON ({e.msg})") from None
                        preds[str(d.get("file"))] = d
        rep, scored = run_split(split, corpus, lang, shared, predictions=preds, progress=progress)
    except (BenchError, OSError) as e:
        raise click.ClickException(str(e)) from None
    if save is not None:
        save_predictions(save, scored)
    if as_json:
        d = split_to_dict(rep)
        if details:
            d["articles"] = {k: a.to_dict() for k, a in rep.articles.items()}
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    click.echo(format_split(rep))
    if details:
        click.echo(format_report(as_report(rep), details=True))


@bench.command("extract")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--repeat", type=int, default=3, show_default=True, help="Timed passes over the articles.")
@click.option("--stage", "stages", type=click.Choice(["pipeline", "bare", "both"]), default="both",
              show_default=True, help="Measure the full pipeline, bare spaCy NER, or both.")
@json_option
def extract_cmd(paths: tuple[Path, ...], repeat: int, stages: str, as_json: bool) -> None:
    """Time the Cronica pipeline against bare spaCy NER on PATH... (files or folders;
    default: the bundled samples), each stage in its own process."""
    from cronica.bench.gold import BenchError
    from cronica.bench.speed import STAGES, default_samples_dir, format_speed, ratio, run_speed

    try:
        results, errors = run_speed(list(paths) or [default_samples_dir()], repeat=repeat,
                                    stages=STAGES if stages == "both" else (stages,))
    except BenchError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps({"stages": [r.to_dict() for r in results], "ratio": ratio(results),
                               "errors": errors}, indent=2))
    else:
        click.echo(format_speed(results, errors))
