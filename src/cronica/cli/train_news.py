"""``cronica train news``: the learned incident decisions from the corpus manifest."""

from __future__ import annotations

from pathlib import Path

import click

from cronica.cli.train import train


@train.command("news")
@click.option("--shared", type=click.Path(path_type=Path), default=None,
              help="The folder holding news-dev, news-es2 and news-en2. [default: ../shared]")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Model file to write (default: the package's data/models/news/decisions.json, "
                   "i.e. replace the shipped model).")
@click.option("--cache", type=click.Path(path_type=Path), default=None,
              help="Pickle file to reuse (or write) the rule candidates and their labels.")
def train_news_cmd(shared: Path | None, out: Path | None, cache: Path | None) -> None:
    """Train the keep / type / status decisions over the rules' incident candidates on the
    manifest's train split, choose the settings on dev, refit on train + dev (never test)."""
    from cronica.bench.gold import BenchError
    from cronica.train.news import train_news

    try:
        train_news(out=out, shared=shared, cache=cache, log=lambda m: click.echo(f"train news: {m}", err=True))
    except BenchError as e:
        raise click.ClickException(str(e)) from None
