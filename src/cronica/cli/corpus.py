"""``cronica corpus split`` and ``cronica corpus list``: the locked corpus manifest."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from cronica.cli.base import json_option, main


@main.group("corpus")
def corpus() -> None:
    """The annotated news corpora and their locked train / dev / test split."""


@corpus.command("split")
@click.option("--shared", type=click.Path(path_type=Path), default=None,
              help="The folder holding news-dev, news-es2 and news-en2. [default: ../shared]")
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              help="The manifest to write. [default: corpora/manifest.tsv]")
def split_cmd(shared: Path | None, manifest: Path | None) -> None:
    """Write the manifest, or add the articles it does not list yet. Articles already in
    it keep their split (the test split is locked); new articles join their incident's
    group or are assigned by a hash of the group."""
    from cronica.bench.corpus import MANIFEST, make_manifest, read_manifest, write_manifest
    from cronica.bench.gold import BenchError

    path = manifest or MANIFEST
    try:
        existing = read_manifest(path) if path.is_file() else []
        entries = make_manifest(shared, existing)
    except BenchError as e:
        raise click.ClickException(str(e)) from None
    lost = {e.key for e in existing} - {e.key for e in entries}
    if lost:
        raise click.ClickException(f"{path}: {len(lost)} listed article(s) have no gold any more "
                                   f"(e.g. {sorted(lost)[0]}); refusing to drop them from the locked split")
    write_manifest(entries, path)
    click.echo(f"{path}: {len(entries)} articles ({len(entries) - len(existing)} new)")
    _print_counts(entries)


@corpus.command("list")
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              help="The manifest to read. [default: corpora/manifest.tsv]")
@json_option
def list_cmd(manifest: Path | None, as_json: bool) -> None:
    """Articles per corpus, language and split."""
    from cronica.bench.corpus import MANIFEST, read_manifest
    from cronica.bench.gold import BenchError

    try:
        entries = read_manifest(manifest or MANIFEST)
    except BenchError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        c = Counter((e.corpus, e.language, e.split) for e in entries)
        click.echo(json.dumps([{"corpus": k[0], "language": k[1], "split": k[2], "articles": n}
                               for k, n in sorted(c.items())], indent=2))
    else:
        _print_counts(entries)


def _print_counts(entries) -> None:  # type: ignore[no-untyped-def]
    c = Counter((e.corpus, e.language, e.split) for e in entries)
    click.echo(f"{'corpus':<10} {'lang':<4} {'train':>6} {'dev':>6} {'test':>6}")
    for corpus_name, lang in sorted({(k[0], k[1]) for k in c}):
        click.echo(f"{corpus_name:<10} {lang:<4} " + " ".join(f"{c.get((corpus_name, lang, s), 0):>6}"
                                                         for s in ("train", "dev", "test")))
    tot = Counter(e.split for e in entries)
    click.echo(f"{'all':<10} {'':<4} " + " ".join(f"{tot.get(s, 0):>6}" for s in ("train", "dev", "test")))
