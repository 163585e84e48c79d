"""Query commands: ``search``, ``incidents``, ``actor``, ``figures``, ``export``, ``stats``.

Every command reads an existing database (``--db``; a missing SQLite file is an error,
not a new empty database) and prints an aligned table, or JSON with ``--json``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from cronica.cli.base import db_option, json_option, main
from cronica.records import INCIDENT_TYPES, STATUSES
from cronica.store.api import Cronica
from cronica.store.errors import StoreError
from cronica.store.export import FORMATS


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, max_width: int = 60) -> str:
    """Rows as a plain aligned text table (cells cut to ``max_width`` characters)."""
    def cell(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            v = f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}"
        if isinstance(v, (list, tuple)):
            v = "; ".join(str(x) for x in v)
        s = " ".join(str(v).split())
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    body = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(b[i]) for b in body]) for i, c in enumerate(columns)]
    line = lambda cells: "  ".join(x.ljust(w) for x, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(columns), line(["-" * w for w in widths])] + [line(b) for b in body]
    return "\n".join(out)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def _open(db_url: str) -> Iterator[Cronica]:
    try:
        db = Cronica(db_url, create=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield db
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()


def _date_param(name: str) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    def check(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        from cronica.store.api import parse_date_bound

        try:
            parse_date_bound(value, end=False, name=name)
        except StoreError:
            raise click.BadParameter(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD") from None
        return value
    return check


def _show(rows: list[Any], columns: Sequence[str], as_json: bool, empty: str) -> None:
    if as_json:
        _print_json([r.to_dict() for r in rows])
    elif not rows:
        click.echo(empty)
    else:
        click.echo(format_table([r.to_dict() for r in rows], columns))


@main.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1), help="Most hits to show.")
@db_option
@json_option
def search(text: str, limit: int, db_url: str, as_json: bool) -> None:
    """Full-text search over articles and extracted records."""
    with _open(db_url) as db:
        hits = db.search(text, limit=limit)
    _show(hits, ["kind", "id", "published", "snippet"], as_json, f"nothing matches {text!r}")


INCIDENT_COLUMNS = ["date", "type", "status", "location", "country", "killed", "perpetrators", "targets", "id"]


@main.command()
@click.option("--type", "type_", type=click.Choice(INCIDENT_TYPES), help="Incident type.")
@click.option("--group", help="Actor (canonical name, alias or id) as perpetrator or target.")
@click.option("--country", help="ISO 3166 alpha-2 code, e.g. MX.")
@click.option("--since", callback=_date_param("--since"), help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", callback=_date_param("--until"), help="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--status", type=click.Choice(STATUSES), help="current, background, ...")
@click.option("--place", help="Part of the location name or admin1.")
@click.option("--text", "text", help="Words that must appear in the incident's evidence.")
@click.option("--sort", default="date", show_default=True, type=click.Choice(["date", "-date", "killed", "-killed", "type"]))
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1))
@db_option
@json_option
def incidents(type_: str | None, group: str | None, country: str | None, since: str | None, until: str | None,
              status: str | None, place: str | None, text: str | None, sort: str, limit: int, db_url: str,
              as_json: bool) -> None:
    """List incidents matching the filters."""
    with _open(db_url) as db:
        rows = db.incidents(type=type_, group=group, country=country, since=since, until=until, status=status,
                            place=place, text=text, sort=sort, limit=limit)
    _show(rows, INCIDENT_COLUMNS, as_json, "no incidents match")


@main.command()
@click.argument("name")
@db_option
@json_option
def actor(name: str, db_url: str, as_json: bool) -> None:
    """Profile of an actor: aliases, roles, incidents per year, figures, sources."""
    with _open(db_url) as db:
        prof = db.actor(name)
    if prof is None:
        click.echo(f"Error: no actor named {name!r} in the database", err=True)
        sys.exit(1)
    if as_json:
        _print_json(prof.to_dict())
        return
    click.echo(f"{prof.canonical}  ({prof.kind}{', ' + prof.country if prof.country else ''})  id={prof.id}")
    if prof.parent:
        click.echo(f"part of: {prof.parent}")
    click.echo(f"aliases: {', '.join(prof.aliases) or '-'}")
    if prof.roles:
        click.echo("\nroles:")
        click.echo(format_table([r.to_dict() for r in prof.roles], ["title", "organization", "current", "as_of", "url"]))
    if prof.incidents_per_year:
        click.echo("\nincidents per year: " + ", ".join(f"{y}: {n}" for y, n in prof.incidents_per_year.items()))
        click.echo(format_table([r.to_dict() for r in prof.incidents], INCIDENT_COLUMNS))
    if prof.figures:
        click.echo("\nfigures:")
        click.echo(format_table([f.to_dict() for f in prof.figures], FIGURE_COLUMNS))
    if prof.quotes:
        click.echo("\nquotes:")
        click.echo(format_table([q.to_dict() for q in prof.quotes], ["published", "speaker", "text"]))
    click.echo(f"\nsources ({len(prof.sources)}):")
    for s in prof.sources:
        click.echo(f"  {s.published or '????-??-??'}  {s.outlet or ''}  {s.url or s.document_id}")


FIGURE_COLUMNS = ["indicator", "place", "period", "value", "low", "high", "unit", "attributed_to", "outlet", "published"]


@main.command()
@click.option("--indicator", help="Part of the indicator name, e.g. coca.")
@click.option("--place", help="Part of the place name, or an ISO alpha-2 code.")
@click.option("--subject", help="Part of the subject.")
@db_option
@json_option
def figures(indicator: str | None, place: str | None, subject: str | None, db_url: str, as_json: bool) -> None:
    """Numeric claims, every source's value side by side."""
    with _open(db_url) as db:
        rows = db.figures(indicator=indicator, place=place, subject=subject)
    _show(rows, FIGURE_COLUMNS, as_json, "no figures match")


@main.command()
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS), help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: stdout; required for parquet).")
@db_option
def export(fmt: str, output: str | None, db_url: str) -> None:
    """Export incidents as ACLED-style CSV, GeoJSON, JSON or Parquet."""
    if output is None and fmt == "parquet":
        raise click.UsageError("parquet is binary: give a file with -o FILE")
    with _open(db_url) as db:
        if output is None:
            n = db.export(fmt, sys.stdout)  # type: ignore[arg-type]
            sys.stdout.write("\n" if fmt != "csv" else "")
        else:
            n = db.export(fmt, output)
    if output is not None:
        click.echo(f"wrote {n} incidents to {output}", err=True)


@main.command()
@db_option
@json_option
def stats(db_url: str, as_json: bool) -> None:
    """Counts: documents, incidents per type, top groups, figures, quotes."""
    with _open(db_url) as db:
        c = db.counts()
    if as_json:
        _print_json(c)
        return
    for key in ("documents", "incidents", "killed", "actors", "figures", "quotes"):
        click.echo(f"{key:<10} {c[key]:>8}")
    if c["incidents_by_type"]:
        click.echo("\nincidents by type:")
        click.echo(format_table([{"type": t, "incidents": n} for t, n in c["incidents_by_type"].items()],
                                ["type", "incidents"]))
    if c["top_groups"]:
        click.echo("\ntop groups:")
        click.echo(format_table(c["top_groups"], ["name", "incidents"]))


