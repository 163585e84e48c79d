"""Write docs/cli.md from the live click command tree (``python docs/gen_cli.py``).

Every command and sub-command of ``cronica`` gets a section with its help text, its usage
line and a table of its arguments and options, taken from click itself, so the page says
what ``cronica COMMAND --help`` says.  ``tests/test_docs.py`` fails when a command or an
option is missing from docs/cli.md; re-run this script after adding one.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import click

from cronica.cli import main

OUT = Path(__file__).resolve().parent / "cli.md"

INTRO = """\
# Command-line interface

`cronica` is installed with the package (`pip install -e .`, or `make demo`). Every command
prints help with `-h` or `--help`; this page is generated from that help by
`python docs/gen_cli.py` and a test checks that it lists every command and option.

## Conventions

* **Database.** Commands that read or write the database take `--db URL`:
  `sqlite:///PATH` (a file; created on first `ingest`), a bare path such as `news.db`, or
  `postgresql://USER@HOST:PORT/NAME`. Without `--db` the URL comes from the environment
  variable `CRONICA_DB`, else `sqlite:///cronica.db` in the working directory. Query commands
  refuse a SQLite file that does not exist instead of creating an empty one.
* **Output.** Query commands print an aligned table; `--json` prints JSON instead, for
  scripts. `extract` prints Cronica JSON lines ([cronica-json.md](cronica-json.md)).
* **Inputs.** `PATHS` are files (`.txt`, `.html`, `.jsonl`, RSS/Atom feeds) or folders,
  read recursively. A bad input is reported on stderr with a one-line message naming it and
  the problem; the batch goes on and the exit status is 1 at the end.
* **Errors.** Bad options or values are usage errors (exit status 2) with a one-line message.

## A typical session

```sh
cronica ingest --db sqlite:///news.db src/cronica/samples/*.txt src/cronica/samples/*.html
cronica stats --db sqlite:///news.db                             # what is in there
cronica incidents --db sqlite:///news.db --country CO --since 2019 --sort -killed
cronica search --db sqlite:///news.db "Clan del Golfo"
cronica actor --db sqlite:///news.db "Shining Path"
cronica figures --db sqlite:///news.db --indicator coca
cronica export --db sqlite:///news.db --format csv -o incidents.csv   # ACLED-style columns
cronica extract src/cronica/samples/otoniel-2021.txt --validate > otoniel.jsonl  # no database
```
"""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _walk(cmd: click.Command, ctx: click.Context) -> list[tuple[click.Command, click.Context]]:
    out = [(cmd, ctx)]
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.list_commands(ctx)):
            sub = cmd.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            out += _walk(sub, sub.make_context(name, [], parent=ctx, resilient_parsing=True))
    return out


def _param_row(param: click.Parameter, ctx: click.Context) -> str:
    if isinstance(param, click.Argument):
        name = f"`{param.make_metavar(ctx)}`"
        if param.nargs == -1:
            desc = "argument, one or more" if param.required else "argument, zero or more"
        else:
            desc = "argument" if param.required else "argument, optional"
        return f"| {name} | {desc} |"
    assert isinstance(param, click.Option)
    names = ", ".join(f"`{o}`" for o in param.opts)
    if param.secondary_opts:
        names += " / " + ", ".join(f"`{o}`" for o in param.secondary_opts)
    parts: list[str] = []
    if param.help:
        parts.append(param.help)
    if not param.is_flag:
        if isinstance(param.type, click.Choice):
            parts.append("One of: " + ", ".join(f"`{c}`" for c in param.type.choices) + ".")
        else:
            parts.append(f"Value: `{param.make_metavar(ctx)}`.")
    extra = param.get_help_extra(ctx)
    if extra.get("default") and param.show_default is not False:
        parts.append(f"Default: {extra['default']}.")
    if extra.get("range"):
        parts.append(f"Range: {extra['range']}.")
    if param.required:
        parts.append("Required.")
    return f"| {names} | {_cell(' '.join(parts))} |"


def render() -> str:
    root = main.make_context("cronica", [], resilient_parsing=True)
    sections = _walk(main, root)
    lines = [INTRO, "## Commands", ""]
    for cmd, ctx in sections:
        path = ctx.command_path
        anchor = path.replace(" ", "-")
        lines.append(f"* [`{path}`](#{anchor}) — {_cell(cmd.get_short_help_str(80))}")
    lines.append("")
    for cmd, ctx in sections:
        path = ctx.command_path
        level = "#" * min(2 + path.count(" ") - (1 if path.count(" ") else 0), 4)
        lines += [f"{level} {path}", ""]
        if cmd.help:
            lines += [inspect.cleandoc(cmd.help).split("\f")[0].strip(), ""]
        lines += ["```", " ".join(cmd.collect_usage_pieces(ctx)).join(
            [f"Usage: {path} ", ""]), "```", ""]
        params = [p for p in cmd.get_params(ctx) if not getattr(p, "hidden", False)]
        if params:
            lines += ["| Argument / option | Description |", "|---|---|"]
            lines += [_param_row(p, ctx) for p in params]
            lines.append("")
        if isinstance(cmd, click.Group):
            subs = [n for n in sorted(cmd.list_commands(ctx))]
            lines += ["Sub-commands: " + ", ".join(f"`{path} {n}`" for n in subs) + ".", ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if OUT.exists() and OUT.read_text(encoding="utf-8") == text else 1)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
