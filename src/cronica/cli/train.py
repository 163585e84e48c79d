"""``cronica train muc4``: reproduce the shipped role tagger from MUC-4 ``train``."""

from __future__ import annotations

from pathlib import Path

import click

from cronica.cli.base import main

DEFAULT_MUC4_DIR = Path("..") / "shared" / "muc4"


@main.group("train")
def train() -> None:
    """Train the learned components that ship with Cronica."""


@train.command("muc4")
@click.option("--muc4-dir", type=click.Path(path_type=Path), default=DEFAULT_MUC4_DIR, show_default=True,
              help="MUC-4 folder; only its ree/train.jsonl is read.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: the package's data/models/roles, i.e. replace the shipped model).")
@click.option("--cache", type=click.Path(path_type=Path), default=None,
              help="DocBin file to reuse (or write) the parsed training documents.")
@click.option("--limit", type=int, default=None, help="Train on the first N documents only (quick runs).")
@click.option("--tagger", type=click.Choice(["shipped", "crf", "nn", "all"]), default="shipped", show_default=True,
              help="Role tagger(s) to train: the CRF, the fine-tuned transformer (needs the `train` extra: "
                   "pip install -e '.[train]'), both, or those the shipped default uses.")
@click.option("--nn-epochs", type=int, default=None, help="Transformer epochs (default: the shipped setting).")
def train_muc4(muc4_dir: Path, out: Path | None, cache: Path | None, limit: int | None, tagger: str,
               nn_epochs: int | None) -> None:
    """Train the role tagger (perpetrators, targets, victims, weapons) and the document
    relevance classifier on MUC-4 train (ree/train.jsonl, gtt/train.jsonl)."""
    from cronica.extract.roles_model import DEFAULT_TAGGER, MODEL_DIR
    from cronica.train.muc4_roles import train_relevance_model, train_roles

    def log(m: str) -> None:
        click.echo(f"train muc4: {m}", err=True)

    if tagger == "shipped":
        tagger = {"crf": "crf", "nn": "nn"}.get(DEFAULT_TAGGER, "all")
    try:
        train_relevance_model(muc4_dir, out or MODEL_DIR, limit=limit, log=log)
        if tagger in ("crf", "all"):
            train_roles(muc4_dir, out or MODEL_DIR, cache=cache, limit=limit, log=log)
        if tagger in ("nn", "all"):
            try:
                from cronica.train.muc4_roles_nn import train_roles_nn
            except ImportError as e:
                raise click.ClickException(f"{e}: the transformer tagger needs pip install -e '.[train]'") from None
            params = {"epochs": nn_epochs} if nn_epochs else None
            train_roles_nn(muc4_dir, out or MODEL_DIR, params=params, limit=limit, log=log)
    except (FileNotFoundError, ValueError, RuntimeError) as e:
        raise click.ClickException(str(e)) from None
