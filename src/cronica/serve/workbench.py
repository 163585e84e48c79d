"""The state one workbench process shares between requests: the store, the mode and the
extractor (loaded on first ingest, used under a lock: spaCy pipelines are not shared
between threads safely)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from cronica.records import ExtractionResult
from cronica.store import Cronica

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class IngestInputError(ValueError):
    """Bad article input: one line naming the input and the problem."""


@dataclass
class Workbench:
    db: Cronica
    public: bool = False
    #: Optional slippy-map tile URL template for the map page ("https://…/{z}/{x}/{y}.png").
    tiles: str | None = None
    tiles_attribution: str | None = None
    _extractor: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def ingest(self, content: bytes | str, *, source: str = "<pasted text>", url: str | None = None,
               title: str | None = None, published: str | None = None,
               language: str | None = None) -> tuple[str, ExtractionResult | None, str]:
        """Clean, extract and store one article: (outcome, result, document id).

        ``outcome`` is the store's (added / replaced / unchanged); for an article already
        stored with the same text nothing is extracted and ``result`` is None. HTML is
        recognised by the file name or a leading ``<``.
        """
        from cronica.ingest import MAX_BYTES, read_html, read_text

        if isinstance(content, bytes):
            if len(content) > MAX_BYTES:
                raise IngestInputError(f"{source}: too large ({len(content)} bytes, limit {MAX_BYTES})")
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise IngestInputError(f"{source}: not UTF-8 text") from None
        else:
            text = content
        is_html = source.lower().endswith(HTML_SUFFIXES) or text.lstrip().startswith("<")
        reader = read_html if is_html else read_text
        try:
            doc = reader(text, url=url or None, title=title or None, published=published or None,
                         language=language or None, source=source)
        except ValueError as exc:
            raise IngestInputError(f"{source}: {exc}") from None
        if self.db.has_content(doc.content_hash):
            return "unchanged", None, doc.id
        with self._lock:
            if self._extractor is None:
                from cronica.extract import Extractor

                self._extractor = Extractor()
            result = self._extractor.extract(doc)
        return self.db.save(result), result, doc.id
