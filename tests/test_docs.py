"""The docs say what the code does: docs/cli.md documents every command and option of the
live ``cronica`` CLI (click introspection, as Datasette checks its docs), the example line
in docs/cronica-json.md is valid Cronica JSON, and the taxonomy and data-model pages cover
every enum value and record field in ``cronica.records``."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import click
import pytest

from cronica import records
from cronica.cli import main
from cronica.records import ExtractionResult
from cronica.schema import validate

DOCS = Path(__file__).resolve().parents[1] / "docs"


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- cli.md

def all_commands() -> list[tuple[str, click.Command, click.Context]]:
    """(command path, command, context) for ``cronica`` and every sub-command, recursively."""
    out = []

    def walk(cmd: click.Command, ctx: click.Context) -> None:
        out.append((ctx.command_path, cmd, ctx))
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    walk(sub, sub.make_context(name, [], parent=ctx, resilient_parsing=True))

    walk(main, main.make_context("cronica", [], resilient_parsing=True))
    return out


def cli_sections() -> dict[str, str]:
    """docs/cli.md split at its ``#`` headings that name a command: path -> section text."""
    sections: dict[str, str] = {}
    current = None
    for line in read("cli.md").splitlines():
        m = re.match(r"#{2,4} (cronica(?: [\w-]+)*)\s*$", line)
        if m:
            current = m.group(1)
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return sections


COMMANDS = all_commands()


def test_the_cli_has_the_core_commands() -> None:
    paths = {p for p, _, _ in COMMANDS}
    assert {"cronica", "cronica ingest", "cronica extract", "cronica incidents",
            "cronica search", "cronica export", "cronica stats"} <= paths


@pytest.mark.parametrize("path", [p for p, _, _ in COMMANDS])
def test_every_command_has_a_section(path: str) -> None:
    assert path in cli_sections(), f"docs/cli.md has no '## {path}' section; run docs/gen_cli.py"


@pytest.mark.parametrize(
    "path,opt",
    [(path, opt) for path, cmd, ctx in COMMANDS for p in cmd.get_params(ctx)
     if isinstance(p, click.Option) and not p.hidden for opt in [*p.opts, *p.secondary_opts]],
)
def test_every_option_is_documented_under_its_command(path: str, opt: str) -> None:
    section = cli_sections().get(path, "")
    assert f"`{opt}`" in section, f"docs/cli.md: {path} does not document {opt}; run docs/gen_cli.py"


@pytest.mark.parametrize(
    "path,metavar",
    [(path, p.make_metavar(ctx)) for path, cmd, ctx in COMMANDS for p in cmd.get_params(ctx)
     if isinstance(p, click.Argument)],
)
def test_every_argument_is_documented_under_its_command(path: str, metavar: str) -> None:
    assert metavar in cli_sections().get(path, ""), f"{path}: argument {metavar}"


@pytest.mark.parametrize(
    "path,choice",
    [(path, c) for path, cmd, ctx in COMMANDS for p in cmd.get_params(ctx)
     if isinstance(p, click.Option) and isinstance(p.type, click.Choice) for c in p.type.choices],
)
def test_every_choice_is_documented(path: str, choice: str) -> None:
    assert f"`{choice}`" in cli_sections().get(path, ""), f"{path}: choice {choice}"


def test_no_section_for_a_command_that_does_not_exist() -> None:
    stale = set(cli_sections()) - {p for p, _, _ in COMMANDS}
    assert not stale, f"docs/cli.md documents commands that no longer exist: {sorted(stale)}"


def test_commands_in_the_examples_exist() -> None:
    paths = {p for p, _, _ in COMMANDS}
    for line in read("cli.md").splitlines():
        m = re.match(r"cronica ([a-z][\w-]*)", line)
        if m:
            assert f"cronica {m.group(1)}" in paths, line


# --------------------------------------------------------------------------- cronica-json.md

def example_line() -> str:
    text = read("cronica-json.md")
    part = text.split("## A complete example line", 1)[1]
    blocks = re.findall(r"```json\n(.*?)\n```", part, re.S)
    assert blocks, "no ```json block after '## A complete example line'"
    return blocks[0]


def test_example_line_is_one_valid_line_that_round_trips() -> None:
    line = example_line()
    assert "\n" not in line
    obj = json.loads(line)
    validate(obj, check_offsets=True)
    assert ExtractionResult.from_dict(obj).to_dict() == obj
    for key in ("incidents", "actors", "figures", "quotes"):
        assert obj[key], f"the example should show at least one of {key}"


def test_indented_example_is_the_same_object() -> None:
    part = read("cronica-json.md").split("## A complete example line", 1)[1]
    blocks = re.findall(r"```json\n(.*?)\n```", part, re.S)
    assert len(blocks) == 2 and json.loads(blocks[1]) == json.loads(blocks[0])


def test_cronica_json_states_the_version() -> None:
    assert f'"{records.FORMAT_VERSION}"' in read("cronica-json.md")


# --------------------------------------------------------------------------- taxonomy.md

@pytest.mark.parametrize("values", [
    records.INCIDENT_TYPES, records.STATUSES, records.QUALIFIERS, records.ACTOR_KINDS,
    records.DATE_PRECISIONS, records.PLACE_PRECISIONS,
], ids=["types", "statuses", "qualifiers", "kinds", "date_precisions", "place_precisions"])
def test_taxonomy_defines_every_value(values: tuple[str, ...]) -> None:
    rows = {m.group(1) for m in re.finditer(r"^\| `(\w+)` \|", read("taxonomy.md"), re.M)}
    missing = set(values) - rows
    assert not missing, f"docs/taxonomy.md has no table row for {sorted(missing)}"


def test_taxonomy_acled_table_matches_the_export() -> None:
    from cronica.store.acled import ACLED_EVENT_TYPES

    section = read("taxonomy.md").split("## Mapping to ACLED", 1)[1]
    table = {m.group(1): (m.group(2).strip(), m.group(3).strip())
             for m in re.finditer(r"^\| `(\w+)` \| ([^|]+)\| ([^|]+)\|$", section, re.M)}
    assert table == ACLED_EVENT_TYPES
    assert set(table) == set(records.INCIDENT_TYPES)


# --------------------------------------------------------------------------- data-model.md

RECORDS = [records.Evidence, records.Document, records.Incident, records.Location,
           records.Count, records.ActorRef, records.Actor, records.Role, records.Figure,
           records.Quote, records.ExtractionResult, records.IngestError]


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_data_model_describes_every_field(cls: type) -> None:
    text = read("data-model.md")
    m = re.search(rf"^### `{cls.__name__}`.*?(?=^### |^## )", text, re.S | re.M)
    assert m, f"docs/data-model.md has no '### `{cls.__name__}`' section"
    missing = [f.name for f in dataclasses.fields(cls) if f"`{f.name}`" not in m.group(0)]
    assert not missing, f"{cls.__name__}: fields not described: {missing}"


# --------------------------------------------------------------------------- architecture.md

def test_architecture_names_every_stage_folder_and_record() -> None:
    text = read("architecture.md")
    src = Path(__file__).resolve().parents[1] / "src" / "cronica"
    for stage in ("ingest", "extract", "resolve", "store", "cli", "serve"):
        if (src / stage).is_dir():
            assert f"src/cronica/{stage}/" in text, stage
    for name in ("Document", "ExtractionResult", "Incident", "Actor", "Figure", "Quote",
                 "Evidence", "IngestError"):
        assert f"`{name}`" in text, name


def test_relative_links_between_docs_resolve() -> None:
    for page in DOCS.glob("*.md"):
        for target in re.findall(r"\]\(([\w.-]+\.md)(?:#[\w-]+)?\)", page.read_text(encoding="utf-8")):
            assert (DOCS / target).is_file(), f"{page.name} links to missing {target}"
