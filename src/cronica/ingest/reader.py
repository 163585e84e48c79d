"""Paths in, cleaned :class:`~cronica.records.Document` records out.

* :func:`read_text` / :func:`read_html` turn one string into one Document (or raise
  :class:`IngestProblem`, a ``ValueError``, with a one-line problem).
* :func:`read_paths` walks files and folders and yields a ``Document`` per article, or an
  ``IngestError`` per bad file / bad line; a bad input never stops the batch.
* :func:`count_inputs` counts the files :func:`read_paths` will visit (for a progress bar).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..records import Document, IngestError
from .boilerplate import clean_text
from .feeds import feed_date, looks_like_feed, parse_feed
from .files import IngestProblem, load_text, walk_files
from .html import extract_html, html_to_text, looks_like_html
from .language import detect_language
from .metadata import (date_from_text, date_from_url, normalize_date, outlet_from_text,
                       title_from_text)

__all__ = ["read_paths", "read_text", "read_html", "count_inputs", "MIN_CHARS",
           "TEXT_SUFFIXES", "HTML_SUFFIXES", "JSONL_SUFFIXES", "FEED_SUFFIXES"]

MIN_CHARS = 20  #: shorter cleaned text is "no article text"
TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
NO_TEXT = "no article text after removing boilerplate"


def _meta_date(value: str | None) -> str | None:
    """A date from page metadata, or None when it is not one (metadata is best effort)."""
    try:
        return normalize_date(value)
    except ValueError:
        return None


def _finish(clean: str, *, source: str, raws: Sequence[str], url: str | None, title: str | None,
            outlet: str | None, published: str | None, language: str | None,
            raw_format: str, meta_title: str | None = None,
            meta_date: str | None = None, meta_outlet: str | None = None) -> Document:
    if len(clean.strip()) < MIN_CHARS:
        raise IngestProblem(NO_TEXT)
    lang = language or detect_language(clean)
    try:
        given = normalize_date(published, lang) if published else None
    except ValueError as e:
        raise IngestProblem(f"published: {e}") from None
    pub = given
    if pub is None:
        pub = _meta_date(meta_date)
        if pub is None or len(pub) < 10:  # none, or a month/year: a day may be found
            found = date_from_url(url) or next(
                filter(None, (date_from_text(r, lang) for r in raws)), None)
            if found and (pub is None or found.startswith(pub)):
                pub = found
    return Document(
        id=Document.make_id(clean, url), text=clean, url=url,
        title=title or meta_title or title_from_text(clean),
        outlet=outlet or meta_outlet or next(filter(None, map(outlet_from_text, raws)), None),
        published=pub, language=lang,
        source_path=None if source.startswith("<") else source, raw_format=raw_format)


def read_text(text: str, *, url: str | None = None, title: str | None = None,
              outlet: str | None = None, published: str | None = None,
              language: str | None = None, source: str = "<text>",
              raw_format: str = "text") -> Document:
    """Clean one plain-text article (e.g. pasted text) into a Document.

    Given metadata wins; missing metadata is looked for in the text (headline, byline,
    dateline) and the URL. ``published`` may be partial ("2021-05", "2021"): the Document
    keeps it at that precision. Raises IngestProblem (a ValueError) for empty text, text with
    nothing left after boilerplate removal, or a ``published`` value that is not a date."""
    if not isinstance(text, str) or not text.strip():
        raise IngestProblem("empty text")
    if "\x00" in text:
        raise IngestProblem("binary data (contains NUL characters)")
    return _finish(clean_text(text), source=source, raws=[text], url=url, title=title,
                   outlet=outlet, published=published, language=language,
                   raw_format=raw_format)


def read_html(html: str, *, url: str | None = None, title: str | None = None,
              outlet: str | None = None, published: str | None = None,
              language: str | None = None, source: str = "<html>",
              raw_format: str = "html") -> Document:
    """Extract and clean one HTML page (or fragment) into a Document.

    Text and metadata come from trafilatura (falling back to the visible text for fragments
    and truncated pages), then the plain-text boilerplate rules run over the text. A
    publication date in the page metadata may be partial ("2021-05", "2021") and is kept at
    that precision; an unreadable one is ignored. Raises IngestProblem when no usable text
    is found or ``published`` is given and is not a date."""
    if not isinstance(html, str) or not html.strip():
        raise IngestProblem("empty HTML")
    ex = extract_html(html, url)
    if not ex.text.strip():
        raise IngestProblem("no article text found in HTML")
    clean = clean_text(ex.text)
    page_url = url or ex.url
    return _finish(clean, source=source, raws=[ex.text, ex.visible], url=page_url, title=title,
                   outlet=outlet, published=published, language=language,
                   raw_format=raw_format, meta_title=ex.title,
                   meta_date=ex.published, meta_outlet=ex.sitename)


# ----------------------------------------------------------------------------- files


def _expand(paths: Sequence[str | Path]) -> list[tuple[Path, bool]]:
    """(path, is_empty_folder) for every file to visit, folders expanded in sorted order."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[tuple[Path, bool]] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            # inside folders only article types are read (a README or a script beside the
            # articles is not an input error); a file named explicitly is always tried
            supported = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES | {""}
            files = [f for f in walk_files(p) if f.suffix.lower() in supported]
            out.extend((f, False) for f in files) if files else out.append((p, True))
        else:
            out.append((p, False))
    return out


def count_inputs(paths: Sequence[str | Path]) -> int:
    """How many files (or empty folders, which yield one error) read_paths will visit."""
    return len(_expand(paths))


def _kind(path: Path, text: str | None = None) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in TEXT_SUFFIXES or suffix == "":
        if text is None:
            return "text"
        if looks_like_feed(text):
            return "feed"
        return "html" if looks_like_html(text) else "text"
    raise IngestProblem(f"unsupported file type {suffix}")


def _read_jsonl(path: Path, text: str, language: str | None) -> Iterator[Document | IngestError]:
    for n, line in enumerate(text.splitlines(), 1):
        src = f"{path}:{n}"
        if not line.strip():
            continue
        try:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise IngestProblem(f"invalid JSON ({e.msg} at column {e.colno})") from None
            if not isinstance(obj, dict):
                raise IngestProblem("line is not a JSON object")
            if "text" not in obj:
                raise IngestProblem("missing required field 'text'")
            if not isinstance(obj["text"], str):
                raise IngestProblem("field 'text' must be a string")
            meta = {}
            for key in ("url", "title", "outlet", "published", "language"):
                val = obj.get(key)
                if val is not None and not isinstance(val, str):
                    raise IngestProblem(f"field {key!r} must be a string")
                meta[key] = val or None
            if meta["published"]:  # "2021-05-03", or partial: "2021-05", "2021"
                try:
                    meta["published"] = normalize_date(meta["published"])
                except ValueError as e:
                    raise IngestProblem(f"field 'published': {e}") from None
            meta["language"] = meta["language"] or language
            yield read_text(obj["text"], source=src, raw_format="jsonl", **meta)
        except IngestProblem as e:
            yield IngestError(src, str(e))


def _read_feed(path: Path, text: str, language: str | None) -> Iterator[Document | IngestError]:
    items = parse_feed(text)
    if not items:
        raise IngestProblem("feed has no items")
    for it in items:
        src = f"{path}#item{it.number}"
        try:
            body = html_to_text(it.body) if "<" in it.body else it.body
            pub = feed_date(it.date)  # IngestProblem for a date that is not one
            yield read_text(body, url=it.link, title=it.title, outlet=it.outlet,
                            published=pub, language=language, source=src, raw_format="feed")
        except IngestProblem as e:
            yield IngestError(src, str(e) if str(e) != "empty text" else "item has no text")


def _read_file(path: Path, *, url: str | None, title: str | None, published: str | None,
               language: str | None) -> Iterator[Document | IngestError]:
    try:
        _kind(path)  # refuse unsupported types before reading them
        text = load_text(path)
        kind = _kind(path, text)
        if kind == "jsonl":
            yield from _read_jsonl(path, text, language)
        elif kind == "feed":
            yield from _read_feed(path, text, language)
        elif kind == "html":
            yield read_html(text, url=url, title=title, published=published,
                            language=language, source=str(path))
        else:
            yield read_text(text, url=url, title=title, published=published,
                            language=language, source=str(path))
    except IngestProblem as e:
        yield IngestError(str(path), str(e))


def read_paths(paths: Sequence[str | Path], *, url: str | None = None,
               title: str | None = None, published: str | None = None,
               language: str | None = None) -> Iterator[Document | IngestError]:
    """Yield a Document per article found under ``paths``, or an IngestError per problem.

    ``paths`` may mix files and folders (walked recursively, sorted, hidden files skipped).
    Supported: .txt (plain text; HTML or feeds inside are sniffed), .html/.htm, .jsonl (one
    article per line), .xml/.rss/.atom feeds (one article per item). ``url``, ``title`` and
    ``published`` describe one article, so they need exactly one text or HTML file: otherwise
    ValueError is raised at call time, as it is for a ``published`` that is not a date
    (``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when only the month or year is known).
    ``language`` (ISO 639-1) overrides detection."""
    files = _expand(paths)
    if url or title or published:
        if len(files) != 1 or files[0][1]:
            raise ValueError(
                f"url/title/published apply to exactly one input file, got {len(files)}")
        if files[0][0].suffix.lower() in JSONL_SUFFIXES | FEED_SUFFIXES:
            raise ValueError("url/title/published cannot be given for a JSONL or feed file")
        if published:
            normalize_date(published)  # ValueError now, not in the middle of the batch
    return _iter(files, url=url, title=title, published=published, language=language)


def _iter(files: list[tuple[Path, bool]], **kw: str | None) -> Iterator[Document | IngestError]:
    for path, empty_folder in files:
        if empty_folder:
            yield IngestError(str(path), "folder contains no files")
            continue
        try:
            yield from _read_file(path, **kw)
        except Exception as exc:  # a bug or a broken install must not stop the batch
            yield IngestError(str(path), f"could not be read ({type(exc).__name__}: {exc})".replace("\n", " "))
