"""``cronica bench merge``: cross-article incident resolution scored on the annotated corpora."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cronica.cli.base import json_option
from cronica.cli.bench import bench


@bench.command("merge")
@click.option("--split", type=click.Choice(["train", "dev", "test", "all"]), default="dev", show_default=True,
              help="Manifest split to group (the locked test split is scored once per round).")
@click.option("--source", type=click.Choice(["predicted", "gold"]), default="predicted", show_default=True,
              help="Group the extractor's incidents, or the gold events themselves (the resolver alone).")
@click.option("--shared", type=click.Path(path_type=Path), default=None,
              help="The folder holding news-dev, news-es2 and news-en2. [default: ../shared]")
@click.option("--predictions", type=click.Path(path_type=Path), default=None,
              help="Score saved predictions (from `cronica bench news --save`) instead of running the extractor.")
@click.option("--orders", type=int, default=3, show_default=True,
              help="Random ingest orders to try; the grouping must be the same for all.")
@click.option("--seed", type=int, default=20261202, show_default=True, help="Seed of the random orders.")
@click.option("--threshold", type=float, default=None, help="Average pair score two groups need to join "
              "[default: the resolver's THRESHOLD].")
@click.option("--details", is_flag=True, help="Also list wrong and missed merges.")
@json_option
def merge_cmd(split: str, source: str, shared: Path | None, predictions: Path | None, orders: int, seed: int,
              threshold: float | None, details: bool, as_json: bool) -> None:
    """Group the split's reports in random orders and print pairwise precision / recall / F1
    over cross-article report pairs (overall and per language pair) and B-cubed."""
    from cronica.bench.gold import BenchError
    from cronica.bench.merge import format_merge, run_merge
    from cronica.bench.news import read_predictions
    from cronica.resolve.merge import THRESHOLD

    if orders < 1:
        raise click.BadParameter("must be at least 1", param_hint="--orders")
    try:
        preds = None if predictions is None else read_predictions(predictions)
        rep = run_merge(split, source, shared, seed=seed, orders=orders, predictions=preds,
                        threshold=THRESHOLD if threshold is None else threshold)
    except (BenchError, OSError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps(rep.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_merge(rep, details))
