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
    from cronica.bench.news import read_predictions, save_predictions
    from cronica.bench.report import format_report
    from cronica.bench.splits import as_report, format_split, run_split, split_to_dict

    try:
        preds = None if predictions is None else read_predictions(predictions)
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


@bench.command("hostile")
@click.option("--files", type=click.IntRange(min=1), default=1000, show_default=True,
              help="How many files to generate (at least this many).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Empty or new folder for the corpus and the database. [default: a temporary folder, removed after]")
@click.option("--seed", type=int, default=12, show_default=True, help="Seed of the generator.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0), default=None,
              help="Time budget per document for the ingest. [default: cronica ingest's]")
@json_option
def hostile_cmd(files: int, out: Path | None, seed: int, timeout_s: float | None, as_json: bool) -> None:
    """Generate a hostile corpus (docs/limits.md) and ingest it into a fresh SQLite file:
    files, ingested, rejected by reason, tracebacks, hangs, peak RSS, wall time, and
    whether the valid JSONL lines around bad ones were kept. Exit status 1 on a traceback,
    an input without a message, or a lost valid line."""
    import tempfile

    from cronica.bench.hostile import format_hostile, generate, run_hostile

    with tempfile.TemporaryDirectory(prefix="cronica-hostile-") as tmp:
        where = out or Path(tmp)
        try:
            man = generate(where, files=files, seed=seed)
        except FileExistsError as e:
            raise click.ClickException(str(e)) from None
        result = run_hostile(man, where / "hostile.db", timeout_s=timeout_s)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_hostile(result))
    if result.tracebacks or result.unreported or result.lost_lines or result.bad_lines_accepted:
        raise SystemExit(1)


@bench.command("places")
@click.option("--split", type=click.Choice(["train", "dev", "test"]), default="dev", show_default=True,
              help="Manifest split to score ('test' is the locked test: score it once per round).")
@click.option("--corpus", type=click.Choice(["news-dev", "news-es2", "news-en2", "news-x3", "all"]), default="all",
              show_default=True, help="Only this corpus.")
@click.option("--lang", type=click.Choice(["en", "es", "all"]), default="all", show_default=True,
              help="Only articles in this language.")
@click.option("--shared", type=click.Path(path_type=Path), default=None,
              help="The folder holding news-dev, news-es2 and news-en2. [default: ../shared]")
@click.option("--predictions", type=click.Path(path_type=Path), default=None,
              help="Score saved predictions (`cronica bench news --split ... --save FILE`) instead of running "
                   "the extractor.")
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              help="Corpus manifest to take the split from. [default: corpora/manifest.tsv]")
@click.option("--details", is_flag=True, help="Also list each found incident with a wrong place or admin1.")
@json_option
def places_cmd(split: str, corpus: str, lang: str, shared: Path | None, predictions: Path | None,
               manifest: Path | None, details: bool, as_json: bool) -> None:
    """Place accuracy of found current incidents (place, admin1, country, median km error),
    per language, on a split of the corpus manifest."""
    from cronica.bench.gold import BenchError
    from cronica.bench.corpus import MANIFEST
    from cronica.bench.news import read_predictions
    from cronica.bench.places import format_places, run_places

    progress = None if as_json else (lambda f: click.echo(f"  {f}", err=True))
    try:
        preds = None if predictions is None else read_predictions(predictions)
        tallies = run_places(split, corpus, lang, shared, manifest or MANIFEST, predictions=preds,
                             progress=progress)
    except (BenchError, OSError) as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps({"split": split, "scopes": {k: t.to_dict() for k, t in tallies.items()}},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(format_places(split, tallies, details=details))


@bench.command("growth")
@click.option("--sizes", default="25,50,100,200,400,800", show_default=True,
              help="Comma-separated text sizes in KB (thousands of characters) of generated realistic text.")
@click.option("--lang", type=click.Choice(["es", "en"]), default="es", show_default=True,
              help="Language of the generated text (paragraphs of corpora/news-x3 in that language).")
@click.option("--repeat", type=int, default=1, show_default=True,
              help="Timed passes per size; the fastest is kept.")
@click.option("--adversarial-chars", type=int, default=4000, show_default=True,
              help="Size of each adversarial input; 0 skips them.")
@click.option("--check", is_flag=True,
              help="Exit with status 1 when the growth exponent is over 1.2 or an adversarial input takes 1 s or more.")
@json_option
def growth_cmd(sizes: str, lang: str, repeat: int, adversarial_chars: int, check: bool, as_json: bool) -> None:
    """Time extraction of generated texts of growing size (each in its own process), print
    seconds and peak RSS per size and the fitted growth exponent, then time adversarial
    inputs (number words, digit chains, no punctuation, HTML comment spam...) and print the
    worst."""
    from cronica.bench.gold import BenchError
    from cronica.bench.growth import format_growth, run_growth

    try:
        kbs = [float(x) for x in sizes.split(",") if x.strip()]
    except ValueError:
        raise click.ClickException(f"--sizes: expected numbers separated by commas, got {sizes!r}") from None
    if adversarial_chars < 0:
        raise click.ClickException(f"--adversarial-chars must be 0 or more, got {adversarial_chars}")
    progress = None if as_json else (lambda line: click.echo(f"  {line}", err=True))
    try:
        report = run_growth(kbs, lang=lang, repeat=repeat, adversarial_chars=adversarial_chars or None,
                            progress=progress)
    except BenchError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_growth(report))
    if check and report.failures():
        raise SystemExit(1)
