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
@click.option("--details", is_flag=True, help="Also list per-article misses, spurious and wrong items.")
@click.option("--predictions", type=click.Path(path_type=Path), default=None,
              help="Score saved Cronica JSON lines instead of running the extractor.")
@click.option("--save", type=click.Path(path_type=Path), default=None,
              help="Write the extractor's predictions here (Cronica JSON lines) for re-scoring.")
@json_option
def news_cmd(dev_dir: Path | None, lang: str, details: bool, predictions: Path | None,
             save: Path | None, as_json: bool) -> None:
    """Score the extractor against news-dev's gold answers, per language and overall."""
    from cronica.bench.gold import BenchError
    from cronica.bench.news import run_news
    from cronica.bench.report import format_report

    try:
        report = run_news(dev_dir, lang=lang, predictions=predictions, save=save,
                          progress=None if as_json else (lambda f: click.echo(f"  {f}", err=True)))
    except BenchError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(details=details), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, details=details))


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
