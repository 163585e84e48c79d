"""The Cronica JSON schema (draft 2020-12) and a validator for Cronica JSON lines.

One line of Cronica JSON is ``cronica.records.ExtractionResult.to_dict()`` serialised
with :func:`json.dumps`.  The schema ships with the package as ``cronica.schema.json``
next to this module (loaded with :mod:`importlib.resources`, so it works from a wheel or
a zip as well as from a source checkout).  The format is described in
``docs/cronica-json.md``.

Public API::

    validate(obj, *, check_offsets=False) -> None   # raises CronicaJSONError
    load_schema() -> dict                            # the parsed schema (a fresh copy)
    SCHEMA_VERSION                                   # the "version" the schema accepts
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

__all__ = ["CronicaJSONError", "SCHEMA_VERSION", "load_schema", "validate"]

SCHEMA_FILE = "cronica.schema.json"
SCHEMA_VERSION = "1.0"


class CronicaJSONError(ValueError):
    """A Cronica JSON object that does not follow the schema (or whose evidence offsets
    do not point at their text).  ``path`` is a JSONPath-like location such as
    ``$.incidents[0].type``; ``str(err)`` is one line: ``"<path>: <problem>"``."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"Cronica JSON {path}: {problem}")
        self.path = path
        self.problem = problem


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    text = resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return schema


def load_schema() -> dict[str, Any]:
    """The parsed schema as a new dict (callers may modify it freely)."""
    return copy.deepcopy(_schema())


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_schema())


def _json_path(parts: Iterator[Any] | Any) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _problem(err: ValidationError) -> str:
    # For anyOf/oneOf failures ("x is not valid under any of the given schemas") the most
    # relevant sub-error says more, e.g. which pattern a date missed.
    if err.context:
        deepest = best_match(err.context)
        if deepest is not None:
            return deepest.message
    return err.message


def validate(obj: Any, *, check_offsets: bool = False) -> None:
    """Check that ``obj`` (a dict parsed from one Cronica JSON line) follows the schema.

    Returns ``None`` when it does; otherwise raises :class:`CronicaJSONError` naming the
    first (most relevant) offending location and the problem.  With ``check_offsets``,
    also checks that every evidence span satisfies
    ``document.text[start:end] == text`` (the provenance promise of the format).
    """
    error = best_match(_validator().iter_errors(obj))
    if error is not None:
        raise CronicaJSONError(_json_path(error.absolute_path), _problem(error))
    if check_offsets:
        _check_offsets(obj)


def _evidence_spans(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every evidence object below ``node`` with its path (documents carry none)."""
    if isinstance(node, dict):
        if set(node) == {"start", "end", "text"}:
            yield path, node
            return
        for key, value in node.items():
            yield from _evidence_spans(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _evidence_spans(value, f"{path}[{i}]")


def _check_offsets(obj: dict[str, Any]) -> None:
    text: str = obj["document"]["text"]
    for key in ("incidents", "actors", "figures", "quotes"):
        for path, ev in _evidence_spans(obj[key], f"$.{key}"):
            start, end = ev["start"], ev["end"]
            if not 0 <= start <= end <= len(text):
                raise CronicaJSONError(
                    path, f"offsets {start}:{end} are outside the document text (length {len(text)})"
                )
            if text[start:end] != ev["text"]:
                raise CronicaJSONError(
                    path,
                    f"document.text[{start}:{end}] is {text[start:end]!r}, not {ev['text']!r}",
                )
