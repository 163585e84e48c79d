"""Ingest stage: turn paths (or pasted text / HTML) into cleaned :class:`Document` records.

Public API::

    read_paths(paths, *, url=None, title=None, published=None, language=None)
        -> Iterator[Document | IngestError]
    read_text(text, *, url=None, title=None, outlet=None, published=None, language=None,
              source="<text>", raw_format="text") -> Document
    read_html(html, *, url=None, title=None, outlet=None, published=None, language=None,
              source="<html>", raw_format="html") -> Document
    read_file(path, *, url=None, title=None, published=None, language=None)
        -> Iterator[Document | IngestError]   # one file of list_inputs(paths)
    list_inputs(paths) -> list[(path, problem | None)]
    count_inputs(paths) -> int
    clean_text(text) -> str          # the boilerplate rules alone
    detect_language(text) -> str | None

``read_text``/``read_html`` raise :class:`IngestProblem` (a ``ValueError``) with a one-line
problem; ``read_paths`` never raises for bad input, it yields ``IngestError`` instead.
"""

from ..records import Document, IngestError
from .boilerplate import clean_text
from .files import MAX_BYTES, IngestProblem
from .language import detect_language
from .reader import (MIN_CHARS, count_inputs, list_inputs, read_file, read_html, read_paths,
                     read_text, visible_chars)

__all__ = ["Document", "IngestError", "IngestProblem", "MAX_BYTES", "MIN_CHARS", "clean_text",
           "count_inputs", "detect_language", "list_inputs", "read_file", "read_html",
           "read_paths", "read_text", "visible_chars"]
