"""``cronica ingest`` and ``cronica extract``: articles in, records out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from cronica.batch import (DEFAULT_MAX_CHARS, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, ENV_MAX_CHARS,
                           ENV_MEMORY, ENV_TIMEOUT)
from cronica.cli.base import db_option, main
from cronica.records import IngestError

LIMITS_HELP = (
    f"Limits (docs/limits.md): a document longer than --max-chars characters after cleaning "
    f"(default {DEFAULT_MAX_CHARS:,}) is rejected before extraction; reading a file and "
    f"extracting a document run in a separate process that is killed and replaced when one "
    f"document takes more than --timeout seconds (default {DEFAULT_TIMEOUT_S:g}) or the process "
    f"holds more than --memory MiB (default {DEFAULT_MEMORY_MB}, models included). Such a "
    f"document is reported with the limit and the batch goes on. Symbolic links inside a folder "
    f"that lead out of it, or to a folder, are not followed (reported).")


def _limit_options(f):  # type: ignore[no-untyped-def]
    f = click.option("--in-process", is_flag=True,
                     help="Read and extract in this process: no time or memory budget "
                          "(faster start, for debugging; one bad document can stop the batch).")(f)
    f = click.option("--memory", "memory_mb", type=click.IntRange(min=0), default=None,
                     help=f"Memory budget of the extraction process in MiB, models included; 0: none. "
                          f"[default: ${ENV_MEMORY} or {DEFAULT_MEMORY_MB}]")(f)
    f = click.option("--timeout", "timeout_s", type=click.FloatRange(min=0), default=None,
                     help=f"Time budget per document in seconds; 0: none. "
                          f"[default: ${ENV_TIMEOUT} or {DEFAULT_TIMEOUT_S:g}]")(f)
    f = click.option("--max-chars", type=click.IntRange(min=0), default=None,
                     help=f"Longest document accepted, in characters after cleaning; 0: no cap. "
                          f"[default: ${ENV_MAX_CHARS} or {DEFAULT_MAX_CHARS}]")(f)
    return f


def _pipeline(store: Any, max_chars: int | None, timeout_s: float | None, memory_mb: int | None,
              in_process: bool) -> Any:
    from cronica.batch import Limits, Pipeline

    try:
        limits = Limits.from_env(max_chars=max_chars, timeout_s=timeout_s, memory_mb=memory_mb)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    return Pipeline(store, limits, isolate=not in_process)


def _run(pipe: Any, paths: tuple[str, ...], meta: dict[str, str | None], *,
         keep_outcomes: bool = False, **kw: Any) -> Any:
    from cronica.batch import BatchReport

    if (meta["url"] or meta["title"] or meta["published"]) and len(paths) != 1:
        raise click.UsageError("--url, --title and --published apply to a single file; give exactly one PATH")

    def on_error(err: IngestError) -> None:
        click.echo(f"error: {err}", err=True)

    try:
        return pipe.run(list(paths), on_error=on_error,
                        report=BatchReport(outcomes=[] if keep_outcomes else None), **meta, **kw)
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


@main.command(epilog=LIMITS_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True,
              help="Output format: Cronica JSON, one object per document per line.")
@click.option("--validate/--no-validate", default=False, help="Validate each object against the JSON Schema.")
@_single_file_options
@_limit_options
def extract(paths: tuple[str, ...], fmt: str, validate: bool, url: str | None, title: str | None,
            published: str | None, language: str | None, max_chars: int | None,
            timeout_s: float | None, memory_mb: int | None, in_process: bool) -> None:
    """Extract records from PATHS and print Cronica JSON to stdout (no database).

    PATHS are files (.txt, .html, .jsonl, RSS/Atom feeds) or folders (read recursively).
    Bad inputs are reported on stderr; the exit status is 1 if any failed.
    """
    _validate_date(published)
    out = sys.stdout

    def on_result(_outcome: str, result: Any) -> None:
        obj = result.to_dict()
        if validate:
            from cronica.schema import validate as schema_validate

            schema_validate(obj)
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()

    meta = {"url": url, "title": title, "published": published, "language": language}
    with _pipeline(None, max_chars, timeout_s, memory_mb, in_process) as pipe:
        report = _run(pipe, paths, meta, on_result=on_result)
    if report.failed:
        click.echo(f"{report.failed} input(s) failed", err=True)
        sys.exit(1)


@main.command(epilog=LIMITS_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the batch report as JSON here: counts, failures by reason, every error, "
                   "and the outcome of every document.")
@_single_file_options
@_limit_options
def ingest(paths: tuple[str, ...], db_url: str, progress: bool | None, report_path: Path | None,
           url: str | None, title: str | None, published: str | None, language: str | None,
           max_chars: int | None, timeout_s: float | None, memory_mb: int | None,
           in_process: bool) -> None:
    """Ingest articles from PATHS into the database: clean, extract, store.

    Re-ingesting the same content adds nothing; a changed article at the same URL replaces
    its old records in one transaction. Bad inputs, and documents over a limit, are reported
    and the batch goes on; a summary is printed at the end and the exit status is 1 if any
    input failed.
    """
    import cronica
    from cronica.ingest import count_inputs

    _validate_date(published)
    try:
        total = count_inputs(list(paths))
    except Exception:  # counting is only for the bar
        total = None
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm import tqdm

    store = cronica.open(db_url)
    bar = tqdm(total=total, unit="file", disable=not show, file=sys.stderr)
    meta = {"url": url, "title": title, "published": published, "language": language}
    try:
        with _pipeline(store, max_chars, timeout_s, memory_mb, in_process) as pipe:
            report = _run(pipe, paths, meta, on_input=lambda _p: bar.update(1),
                          keep_outcomes=report_path is not None)
    finally:
        bar.close()
        store.close()
    click.echo("ingested: " + report.summary(), err=True)
    if report_path is not None:
        report_path.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n",
                               encoding="utf-8")
    if report.failed:
        sys.exit(1)
