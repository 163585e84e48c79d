"""Paths in, cleaned :class:`~cronica.records.Document` records out.

* :func:`read_text` / :func:`read_html` turn one string into one Document (or raise
  :class:`IngestProblem`, a ``ValueError``, with a one-line problem).
* :func:`read_paths` walks files and folders and yields a ``Document`` per article, or an
  ``IngestError`` per bad file / bad line; a bad input never stops the batch.
* :func:`count_inputs` counts the files :func:`read_paths` will visit (for a progress bar).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..records import Document, IngestError
from .boilerplate import clean_text
from .feeds import feed_date, looks_like_feed, parse_feed
from .files import IngestProblem, load_text, outside_link, walk_files
from .html import extract_html, html_to_text, looks_like_html
from .language import detect_language
from .metadata import (date_from_text, date_from_url, normalize_date, outlet_from_text,
                       title_from_text)

__all__ = ["read_paths", "read_text", "read_html", "read_file", "list_inputs", "count_inputs",
           "visible_chars", "Input", "MIN_CHARS", "TEXT_SUFFIXES", "HTML_SUFFIXES",
           "JSONL_SUFFIXES", "FEED_SUFFIXES"]

MIN_CHARS = 20  #: shorter cleaned text is "no article text"
TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
NO_TEXT = "no article text after removing boilerplate"
NO_VISIBLE = "no visible text (only whitespace, zero-width or other invisible characters)"
MIN_VISIBLE = 10  #: fewer visible characters (letters, digits, punctuation) is "no article text"
#: characters Unicode files as letters or symbols that still show nothing
_BLANKS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def visible_chars(text: str, stop: int | None = None) -> int:
    """How many characters of ``text`` show something: not whitespace, not a control,
    format (zero-width, bidi, soft hyphen, tag), private-use or unassigned character, nor a
    blank filler. Counting stops at ``stop`` (so a long article costs almost nothing)."""
    n = 0
    for ch in text:
        if ch.isspace() or ch in _BLANKS or unicodedata.category(ch)[0] == "C":
            continue
        n += 1
        if stop is not None and n >= stop:
            break
    return n


#: Prose is mostly letters (news articles, tables included, run above 70%); a text below this
#: share is a number dump, a log or binary noise, and is refused before extraction.
MIN_LETTER_SHARE = 0.3
_SAMPLE = 20_000


def letter_share(text: str) -> float:
    """The share of letters among the non-space characters of ``text`` (its first
    20,000 characters and its last 20,000 for long texts)."""
    sample = text if len(text) <= 2 * _SAMPLE else text[:_SAMPLE] + text[-_SAMPLE:]
    shown = letters = 0
    for ch in sample:
        if ch.isspace():
            continue
        shown += 1
        letters += ch.isalpha()
    return letters / shown if shown else 0.0


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
    if visible_chars(clean, MIN_VISIBLE) < MIN_VISIBLE:
        raise IngestProblem(NO_TEXT if visible_chars(clean, 1) else NO_VISIBLE)
    share = letter_share(clean)
    if share < MIN_LETTER_SHARE:
        raise IngestProblem(f"not article text: only {share:.0%} of its visible characters are letters "
                            f"(at least {MIN_LETTER_SHARE:.0%} expected)")
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
    if not visible_chars(text, 1):
        raise IngestProblem(NO_VISIBLE)
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
    if "\x00" in html:
        raise IngestProblem("binary data (contains NUL characters)")
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


Input = tuple[Path, str | None]  #: a file to read, or (path, why it is not read)


def list_inputs(paths: Sequence[str | Path]) -> list[Input]:
    """Every input ``read_paths`` visits, in order: ``(file, None)`` for a file to read,
    ``(path, problem)`` for one that is not read (an empty folder; inside a folder, a
    symbolic link to a folder or to a file outside it). Folders expand in sorted order."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Input] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            # inside folders only article types are read (a README or a script beside the
            # articles is not an input error); a file named explicitly is always tried
            supported = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES | {""}
            found: list[Input] = []
            for f in walk_files(p):
                why = outside_link(f, p)
                if why is not None:
                    found.append((f, why))
                elif f.suffix.lower() in supported:
                    found.append((f, None))
            out.extend(found) if found else out.append((p, "folder contains no files"))
        else:
            out.append((p, None))
    return out


def count_inputs(paths: Sequence[str | Path]) -> int:
    """How many inputs (files, or empty folders and links not followed, which yield one
    error each) read_paths will visit."""
    return len(list_inputs(paths))


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


def _unicode(value: str, key: str) -> None:
    """JSON escapes can spell lone surrogates (``\\ud800``), which are not Unicode text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise IngestProblem(f"field {key!r} is not valid Unicode (a lone surrogate)") from None


def _jsonl_line(line: str, language: str | None, src: str) -> Document:
    if "\x00" in line:
        raise IngestProblem("binary data (NUL byte in the line)")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise IngestProblem(f"invalid JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise IngestProblem("invalid JSON (nested too deeply)") from None
    except ValueError as e:  # e.g. a number longer than Python's int-string limit
        raise IngestProblem(f"invalid JSON ({str(e).splitlines()[0][:200]})") from None
    if not isinstance(obj, dict):
        raise IngestProblem("line is not a JSON object")
    if "text" not in obj:
        raise IngestProblem("missing required field 'text'")
    if not isinstance(obj["text"], str):
        raise IngestProblem("field 'text' must be a string")
    _unicode(obj["text"], "text")
    meta = {}
    for key in ("url", "title", "outlet", "published", "language"):
        val = obj.get(key)
        if val is not None and not isinstance(val, str):
            raise IngestProblem(f"field {key!r} must be a string")
        if val:
            if "\x00" in val:
                raise IngestProblem(f"field {key!r} contains NUL characters")
            _unicode(val, key)
        meta[key] = val or None
    if meta["published"]:  # "2021-05-03", or partial: "2021-05", "2021"
        try:
            meta["published"] = normalize_date(meta["published"])
        except ValueError as e:
            raise IngestProblem(f"field 'published': {e}") from None
    meta["language"] = meta["language"] or language
    return read_text(obj["text"], source=src, raw_format="jsonl", **meta)


def _read_jsonl(path: Path, text: str, language: str | None) -> Iterator[Document | IngestError]:
    # split on "\n" only: str.splitlines would also split on U+2028, U+0085, \x1c..., which
    # may stand inside a JSON string; a line's error (any exception) is that line's only
    for n, line in enumerate(text.split("\n"), 1):
        src = f"{path}:{n}"
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            yield _jsonl_line(line, language, src)
        except IngestProblem as e:
            yield IngestError(src, str(e))
        except Exception as exc:  # a bug must cost one line, not the file
            yield IngestError(src, _unexpected(exc))


def _unexpected(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())[:300]
    return f"could not be read ({type(exc).__name__}: {msg})" if msg else \
        f"could not be read ({type(exc).__name__})"


def _read_feed(path: Path, text: str, language: str | None) -> Iterator[Document | IngestError]:
    items = parse_feed(text)
    if not items:
        raise IngestProblem("feed has no items")
    for it in items:  # each item on its own: a bad one costs that item only
        src = f"{path}#item{it.number}"
        try:
            body = html_to_text(it.body) if "<" in it.body else it.body
            pub = feed_date(it.date)  # IngestProblem for a date that is not one
            yield read_text(body, url=it.link, title=it.title, outlet=it.outlet,
                            published=pub, language=language, source=src, raw_format="feed")
        except IngestProblem as e:
            yield IngestError(src, str(e) if str(e) != "empty text" else "item has no text")
        except Exception as exc:
            yield IngestError(src, _unexpected(exc))


def read_file(path: Path, *, url: str | None = None, title: str | None = None,
              published: str | None = None, language: str | None = None
              ) -> Iterator[Document | IngestError]:
    """The Documents of one file, or an IngestError per problem (never raises for bad
    input nor for a bug: a line or item that fails is that line's or item's error)."""
    try:
        yield from _read_file(path, url=url, title=title, published=published, language=language)
    except Exception as exc:  # a bug or a broken install must not stop the batch
        yield IngestError(str(path), _unexpected(exc))


def _read_file(path: Path, *, url: str | None, title: str | None, published: str | None,
               language: str | None) -> Iterator[Document | IngestError]:
    try:
        _kind(path)  # refuse unsupported types before reading them
        text = load_text(path, allow_nul=path.suffix.lower() in JSONL_SUFFIXES)
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
    files = list_inputs(paths)
    if url or title or published:
        if len(files) != 1 or files[0][1]:
            raise ValueError(
                f"url/title/published apply to exactly one input file, got {len(files)}")
        if files[0][0].suffix.lower() in JSONL_SUFFIXES | FEED_SUFFIXES:
            raise ValueError("url/title/published cannot be given for a JSONL or feed file")
        if published:
            normalize_date(published)  # ValueError now, not in the middle of the batch
    return _iter(files, url=url, title=title, published=published, language=language)


def _iter(files: list[Input], **kw: str | None) -> Iterator[Document | IngestError]:
    for path, problem in files:
        if problem is not None:
            yield IngestError(str(path), problem)
        else:
            yield from read_file(path, **kw)
