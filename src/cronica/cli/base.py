"""The ``cronica`` command group. Sub-commands live in sibling modules of this package,
each registering itself on :data:`main`; ``cronica.cli`` imports them all."""

from __future__ import annotations

import click

from cronica import __version__
from cronica.config import default_db_url

db_option = click.option(
    "--db", "db_url", default=default_db_url, show_default="$CRONICA_DB or sqlite:///cronica.db",
    help="Database URL: sqlite:///PATH or postgresql://USER@HOST:PORT/NAME.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines instead of a table.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cronica")
def main() -> None:
    """Cronica: news about organized crime and political violence in, sourced records out."""
