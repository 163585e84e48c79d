"""The state one workbench process shares between requests: the store, the mode and the
extraction workers.

Ingest goes through the one pipeline (:mod:`cronica.batch`): reading and extraction run in
a small pool of worker processes (started on first ingest, models loaded once per worker),
never in the request thread, so a slow article holds one worker while reads and other
ingests go on; a document over the size cap or the time or memory budget is refused with a
message naming the limit."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

from cronica.batch import DocumentFailed, Limits, WorkerPool, process_document
from cronica.records import Document, ExtractionResult
from cronica.store import Cronica

ENV_WORKERS = "CRONICA_INGEST_WORKERS"


def _default_workers() -> int:
    try:
        return max(1, int(os.environ.get(ENV_WORKERS, "") or 2))
    except ValueError:
        return 2

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
    #: per-document limits (docs/limits.md); from the environment by default
    limits: Limits = field(default_factory=Limits.from_env)
    #: extraction processes shared by concurrent ingests ($CRONICA_INGEST_WORKERS, default 2)
    workers: int = field(default_factory=_default_workers)
    _pool: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def pool(self) -> WorkerPool:
        with self._lock:
            if self._pool is None:
                self._pool = WorkerPool(self.workers, self.limits)
            return self._pool

    def close(self) -> None:
        """Stop the extraction workers (they also end with the process)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def ingest(self, content: bytes | str, *, source: str = "<pasted text>", url: str | None = None,
               title: str | None = None, published: str | None = None,
               language: str | None = None) -> tuple[str, ExtractionResult | None, str]:
        """Clean, extract and store one article: (outcome, result, document id).

        ``outcome`` is the store's (added / replaced / unchanged); for an article already
        stored with the same text nothing is extracted and ``result`` is None. HTML is
        recognised by the file name or a leading ``<``. Reading and extraction run in a
        worker process (:mod:`cronica.batch`); IngestInputError names the input and the
        problem, or the limit it went over.
        """
        from cronica.ingest import MAX_BYTES

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
        meta = {"url": url or None, "title": title or None, "published": published or None,
                "language": language or None, "source": source}
        pool = self.pool()

        def extract(doc: Document) -> ExtractionResult:
            with pool.worker() as worker:  # held while extracting, not while storing
                return worker.extract(doc)

        try:
            with pool.worker() as worker:
                doc = worker.read_content(text, is_html, meta)
            outcome, result = process_document(doc, extract, self.db, self.limits)
        except DocumentFailed as exc:
            raise IngestInputError(f"{source}: {exc}") from None
        return outcome, result, doc.id
