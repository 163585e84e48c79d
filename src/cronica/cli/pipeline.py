"""``cronica ingest`` and ``cronica extract``: articles in, records out."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator

import click

from cronica.cli.base import db_option, main
from cronica.records import Document, IngestError


def _documents(paths: tuple[str, ...], url: str | None, title: str | None, published: str | None,
               language: str | None, errors: list[IngestError]) -> Iterator[Document]:
    from cronica.ingest import read_paths

    if (url or title or published) and len(paths) != 1:
        raise click.UsageError("--url, --title and --published apply to a single file; give exactly one PATH")
    try:
        items = read_paths(list(paths), url=url, title=title, published=published, language=language)
        for item in items:
            if isinstance(item, IngestError):
                errors.append(item)
                click.echo(f"error: {item}", err=True)
            else:
                yield item
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


def _single_file_options(f):  # type: ignore[no-untyped-def]
    f = click.option("--language", help="Language code (en, es) instead of detecting it.")(f)
    f = click.option("--published", help="Publication date YYYY-MM-DD, or YYYY-MM / YYYY when only "
                                         "the month or year is known (single file only).")(f)
    f = click.option("--title", help="Article title (single file only).")(f)
    f = click.option("--url", help="Article URL (single file only); identifies the article.")(f)
    return f


def _validate_date(published: str | None) -> None:
    if published is None:
        return
    from cronica.ingest.metadata import normalize_date

    try:
        normalize_date(published)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--published") from exc


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True,
              help="Output format: Cronica JSON, one object per document per line.")
@click.option("--validate/--no-validate", default=False, help="Validate each object against the JSON Schema.")
@_single_file_options
def extract(paths: tuple[str, ...], fmt: str, validate: bool, url: str | None, title: str | None,
            published: str | None, language: str | None) -> None:
    """Extract records from PATHS and print Cronica JSON to stdout (no database).

    PATHS are files (.txt, .html, .jsonl, RSS/Atom feeds) or folders (read recursively).
    Bad inputs are reported on stderr; the exit status is 1 if any failed.
    """
    from cronica.extract import Extractor

    _validate_date(published)
    errors: list[IngestError] = []
    extractor = Extractor()
    out = sys.stdout
    for result in extractor.extract_many(_documents(paths, url, title, published, language, errors)):
        obj = result.to_dict()
        if validate:
            from cronica.schema import validate as schema_validate

            schema_validate(obj)
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()
    if errors:
        click.echo(f"{len(errors)} input(s) failed", err=True)
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@_single_file_options
def ingest(paths: tuple[str, ...], db_url: str, progress: bool | None, url: str | None,
           title: str | None, published: str | None, language: str | None) -> None:
    """Ingest articles from PATHS into the database: clean, extract, store.

    Re-ingesting the same content adds nothing; a changed article at the same URL replaces
    its old records in one transaction. Bad inputs are reported and the batch goes on; a
    summary is printed at the end and the exit status is 1 if any input failed.
    """
    import cronica
    from cronica.extract import Extractor
    from cronica.ingest import count_inputs

    _validate_date(published)
    errors: list[IngestError] = []
    outcome: Counter[str] = Counter()
    store = cronica.open(db_url)
    extractor = Extractor()
    try:
        total = count_inputs(list(paths))
    except Exception:  # counting is only for the bar
        total = None
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm import tqdm

    bar = tqdm(total=total, unit="doc", disable=not show, file=sys.stderr)
    try:
        def fresh() -> Iterator[Document]:
            for doc in _documents(paths, url, title, published, language, errors):
                bar.update(1)
                if store.has_content(doc.content_hash):
                    outcome["unchanged"] += 1
                    continue
                yield doc

        for result in extractor.extract_many(fresh()):
            try:
                outcome[store.save(result)] += 1
            except Exception as exc:  # one bad save must not stop the batch
                src = result.document.source_path or result.document.url or result.document.id
                errors.append(IngestError(src, f"could not store: {exc}"))
                click.echo(f"error: {src}: could not store: {exc}", err=True)
    finally:
        bar.close()
        store.close()
    parts = [f"{outcome[k]} {k}" for k in ("added", "replaced", "unchanged") if outcome[k]]
    parts.append(f"{len(errors)} failed")
    click.echo("ingested: " + ", ".join(parts), err=True)
    if errors:
        sys.exit(1)
