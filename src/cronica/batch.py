"""The one ingest pipeline: inputs in, stored records (or Cronica JSON) out, with
per-document isolation and limits.

``cronica ingest``, ``cronica extract`` and the web app's upload all go through here:

* :func:`ingest_paths` / :class:`Pipeline` read inputs (:func:`cronica.ingest.list_inputs`,
  :func:`cronica.ingest.read_file`), skip content already stored, extract, store, and count
  outcomes (``added`` / ``replaced`` / ``unchanged`` / ``failed``) in a :class:`BatchReport`
  whose errors name the file (and ``:LINE`` for JSONL, ``#itemN`` for feeds) and the problem.
* :func:`process_document` is the per-document step (size check, skip known, extract,
  store) that any runner calls, e.g. a future distributed one, with its own extractor.
* :class:`Worker` is a long-lived child process (``spawn``; models loaded once, reused
  for every document) that reads files and extracts documents; the parent kills and
  replaces it when one document overruns the time budget or the memory budget
  (:class:`Limits`, documented in docs/limits.md). :class:`WorkerPool` shares a few
  workers between threads (the web app).

No input stops a batch: every exception reading, extracting or storing one document is
caught, reported with the document's source, and counted as ``failed``.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cronica.records import Document, ExtractionResult, IngestError

__all__ = ["Limits", "DocumentFailed", "BatchReport", "Worker", "WorkerPool", "InProcess",
           "Pipeline", "ingest_paths", "process_document", "check_size",
           "DEFAULT_MAX_CHARS", "DEFAULT_TIMEOUT_S", "DEFAULT_MEMORY_MB"]

DEFAULT_MAX_CHARS = 200_000  #: characters of cleaned text per document
DEFAULT_TIMEOUT_S = 60.0  #: seconds per document (reading one file, or extracting one document)
DEFAULT_MEMORY_MB = 1024  #: resident memory of a worker process, models included (MiB)
ENV_MAX_CHARS = "CRONICA_MAX_CHARS"
ENV_TIMEOUT = "CRONICA_DOC_TIMEOUT"
ENV_MEMORY = "CRONICA_DOC_MEMORY_MB"
#: a worker whose resident memory is still above this share of the budget after a
#: document is replaced before the next one (memory is rarely given back to the system)
RECYCLE_SHARE = 0.8
#: the address-space limit (RLIMIT_AS) set in a worker, as a multiple of the memory
#: budget: a backstop for an allocation faster than the parent's watch
ADDRESS_SPACE_FACTOR = 4
WATCH_INTERVAL_S = 0.05
STARTUP_TIMEOUT_S = 600.0  #: loading the models is not a document's time


@dataclass(frozen=True)
class Limits:
    """Per-document limits. ``timeout_s`` or ``memory_mb`` of 0 turns that budget off."""

    max_chars: int = DEFAULT_MAX_CHARS
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB

    @classmethod
    def from_env(cls, *, max_chars: int | None = None, timeout_s: float | None = None,
                 memory_mb: int | None = None) -> "Limits":
        """Given values win, then ``$CRONICA_MAX_CHARS``, ``$CRONICA_DOC_TIMEOUT``,
        ``$CRONICA_DOC_MEMORY_MB``, then the defaults. ValueError names a bad value."""
        def pick(given: Any, env: str, default: Any, kind: type) -> Any:
            if given is not None:
                value, where = given, "limit"
            elif os.environ.get(env, "").strip():
                value, where = os.environ[env].strip(), f"${env}"
            else:
                return default
            try:
                value = kind(value)
            except ValueError:
                raise ValueError(f"{where}: {value!r} is not a number") from None
            if value < 0:
                raise ValueError(f"{where}: {value!r} must not be negative")
            return value

        return cls(max_chars=pick(max_chars, ENV_MAX_CHARS, DEFAULT_MAX_CHARS, int),
                   timeout_s=pick(timeout_s, ENV_TIMEOUT, DEFAULT_TIMEOUT_S, float),
                   memory_mb=pick(memory_mb, ENV_MEMORY, DEFAULT_MEMORY_MB, int))


class DocumentFailed(Exception):
    """One document (or file) failed; ``str(exc)`` is the one-line problem and ``reason``
    a short category for counts: ``too long``, ``time budget``, ``memory budget``,
    ``worker died``, ``extraction error``, ``read error``, ``bad input``."""

    def __init__(self, problem: str, reason: str) -> None:
        super().__init__(problem)
        self.reason = reason


def _describe(exc: BaseException) -> str:
    msg = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


# ----------------------------------------------------------------------------- one document


def check_size(doc: Document, limits: Limits) -> None:
    """The document size cap, checked before extraction."""
    if limits.max_chars and len(doc.text) > limits.max_chars:
        raise DocumentFailed(f"document too long ({len(doc.text):,} characters after cleaning; "
                             f"limit {limits.max_chars:,})", "too long")


def process_document(doc: Document, extract: Callable[[Document], ExtractionResult],
                     store: Any | None, limits: Limits) -> tuple[str, ExtractionResult | None]:
    """One document through the pipeline: (outcome, result).

    The size cap, then (with a ``store``) ``unchanged`` without extracting when the same
    text is stored, else ``extract(doc)`` and ``store.save`` (``added`` / ``replaced``).
    Without a store the outcome is ``extracted``. Raises :class:`DocumentFailed` for the
    cap and from ``extract``; the store's own exceptions pass through unchanged."""
    check_size(doc, limits)
    if store is not None and store.has_content(doc.content_hash):
        return "unchanged", None
    result = extract(doc)
    if store is None:
        return "extracted", result
    return store.save(result), result


# ----------------------------------------------------------------------------- runners


_WARM_TEXT = {"en": "Gunmen killed two police officers in Tumaco, Colombia, on Friday.",
              "es": "Hombres armados mataron a dos policías en Tumaco, Colombia, el viernes."}


def model_language(doc: Document) -> str:
    """The language whose models extract ``doc`` (the extractor's own choice)."""
    return doc.language if doc.language in _WARM_TEXT else "en"


def _warm(extractor: Any, lang: str) -> None:
    """Load everything extracting a ``lang`` document needs (models, registries)."""
    extractor.extract(Document(id=f"warm-{lang}", text=_WARM_TEXT[lang], language=lang))


def _read_content(content: str, is_html: bool, meta: dict[str, Any]) -> Document:
    from cronica.ingest import read_html, read_text

    return (read_html if is_html else read_text)(content, **meta)


class InProcess:
    """Runs reading and extraction in this process: no time or memory budget (for
    callers that isolate documents themselves, and for debugging)."""

    def __init__(self) -> None:
        self._extractor: Any = None

    def read(self, path: Path, meta: dict[str, Any]) -> Iterator[Document | IngestError]:
        from cronica.ingest import read_file

        yield from read_file(path, **meta)

    def read_content(self, content: str, is_html: bool, meta: dict[str, Any]) -> Document:
        return _read_content(content, is_html, meta)

    def extract(self, doc: Document) -> ExtractionResult:
        if self._extractor is None:
            from cronica.extract import Extractor

            self._extractor = Extractor()
        try:
            return self._extractor.extract(doc)
        except (Exception, RecursionError, MemoryError) as exc:
            raise DocumentFailed(f"extraction failed ({_describe(exc)})", "extraction error") from None

    def close(self) -> None:
        self._extractor = None


def _worker_main(conn: Any, address_space: int) -> None:  # runs in the child process
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    if address_space:
        with contextlib.suppress(ValueError, OSError):
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    try:
        from cronica.extract import Extractor

        extractor = Extractor()
        _warm(extractor, "en")
        conn.send(("ready", None))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which gives up
        conn.send(("error", f"could not load the extraction models ({_describe(exc)})"))
        return
    from cronica.ingest import read_file

    while True:
        try:
            op, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if op == "read":
                path, meta = args
                for item in read_file(path, **meta):
                    conn.send(("item", item))
                conn.send(("done", None))
            elif op == "read_content":
                conn.send(("done", _read_content(*args)))
            elif op == "extract":
                conn.send(("done", extractor.extract(args)))
            elif op == "prepare":
                _warm(extractor, args)
                conn.send(("done", None))
            elif op == "stop":
                return
            else:
                conn.send(("error", f"unknown operation {op!r}"))
        except (Exception, RecursionError, MemoryError) as exc:
            try:
                conn.send(("error", _describe(exc)))
            except (Exception, MemoryError):
                return


def _rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (Linux /proc; 0 where unavailable)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


class Worker:
    """A long-lived extraction process with a watchdog in the parent.

    The child loads the models once (not counted against any document) and then reads files
    and extracts documents on request. While it works on one, the parent watches the clock
    and the child's resident memory; past ``limits.timeout_s`` or ``limits.memory_mb`` it
    kills the child (SIGKILL) and raises :class:`DocumentFailed`; the next request starts a
    fresh child. Not thread-safe: one request at a time (see :class:`WorkerPool`)."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits.from_env()
        self._ctx = multiprocessing.get_context("spawn")
        self._proc: Any = None
        self._conn: Any = None
        self._langs: set[str] = set()  #: languages whose models the child has loaded
        self._ready = False
        self.starts = 0  #: children started (1 + replacements)

    # -- life cycle
    def start(self) -> None:
        """Start the child and wait until its models are loaded (no-op when running)."""
        if self._proc is not None and self._proc.is_alive() and self._ready:
            return
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the child without waiting for it (see :meth:`wait_ready`)."""
        if self._proc is not None and self._proc.is_alive():
            return
        self._discard()
        parent, child = self._ctx.Pipe()
        space = self.limits.memory_mb * ADDRESS_SPACE_FACTOR * 2**20 if self.limits.memory_mb else 0
        proc = self._ctx.Process(target=_worker_main, args=(child, space), daemon=True,
                                 name="cronica-extract")
        proc.start()
        child.close()
        self._proc, self._conn = proc, parent
        self._ready = False
        self._langs = {"en"}
        self.starts += 1

    def wait_ready(self) -> None:
        """Wait until the launched child has loaded its models."""
        if self._ready:
            return
        kind, value = self._receive(STARTUP_TIMEOUT_S, watch_memory=False, what="loading models")
        if kind != "ready":
            self._discard()
            raise RuntimeError(f"extraction worker failed to start: {value}")
        self._ready = True

    def close(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            with contextlib.suppress(Exception):
                self._conn.send(("stop", None))
            self._proc.join(2)
        self._discard()

    def _discard(self) -> None:
        if self._proc is not None:
            if self._proc.is_alive():
                self._proc.kill()
            self._proc.join(5)
            with contextlib.suppress(Exception):
                self._proc.close()
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
        self._proc = self._conn = None
        self._ready = False

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def rss_mb(self) -> float:
        return _rss_mb(self._proc.pid) if self._proc is not None else 0.0

    # -- requests
    def _receive(self, timeout: float, *, watch_memory: bool = True,
                 what: str = "document") -> tuple[str, Any]:
        start = time.monotonic()
        while True:
            try:
                if self._conn.poll(WATCH_INTERVAL_S):
                    return self._conn.recv()
            except (EOFError, OSError):
                pass  # the child is gone: its exit code says why, below
            if not self._proc.is_alive() or self._conn.closed:
                code = self._proc.exitcode
                self._discard()
                how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                raise DocumentFailed(f"extraction process died ({how}) on this {what}", "worker died")
            if timeout and time.monotonic() - start > timeout:
                self._discard()
                raise DocumentFailed(f"over the time budget ({timeout:g} s per document; "
                                     f"set with --timeout or ${ENV_TIMEOUT})", "time budget")
            mem = self.limits.memory_mb
            if watch_memory and mem and _rss_mb(self._proc.pid) > mem:
                self._discard()
                raise DocumentFailed(f"over the memory budget ({mem} MiB per extraction process; "
                                     f"set with --memory or ${ENV_MEMORY})", "memory budget")

    def _request(self, op: str, args: Any) -> Any:
        self.start()
        try:
            self._conn.send((op, args))
        except (OSError, ValueError) as exc:
            self._discard()
            raise DocumentFailed(f"could not reach the extraction process ({_describe(exc)})",
                                 "worker died") from None
        return self._conn

    def _after(self) -> None:
        mem = self.limits.memory_mb
        if mem and self.rss_mb() > RECYCLE_SHARE * mem:
            self.close()  # replaced before the next document, not in the middle of one

    def read(self, path: Path, meta: dict[str, Any]) -> Iterator[Document | IngestError]:
        """The items of one file, read in the child; the time budget restarts with every
        item (a file of many articles is not one document). Raises DocumentFailed when the
        child overruns; the items before are yielded already."""
        self._request("read", (path, meta))
        finished = False
        try:
            while True:
                kind, value = self._receive(self.limits.timeout_s)
                if kind == "item":
                    yield value
                elif kind == "done":
                    finished = True
                    self._after()
                    return
                else:
                    finished = True
                    raise DocumentFailed(f"could not be read ({value})", "read error")
        finally:
            if not finished:  # abandoned mid-file: the child is still sending; start afresh
                self._discard()

    def read_content(self, content: str, is_html: bool, meta: dict[str, Any]) -> Document:
        """One pasted or uploaded article (``cronica.ingest.read_text`` / ``read_html`` in the
        child); their IngestProblem comes back as DocumentFailed with reason ``bad input``."""
        self._request("read_content", (content, is_html, meta))
        kind, value = self._receive(self.limits.timeout_s)
        if kind == "error":
            raise DocumentFailed(value.split(": ", 1)[1] if value.startswith("IngestProblem: ")
                                 else f"could not be read ({value})", "bad input")
        self._after()
        return value

    def extract(self, doc: Document) -> ExtractionResult:
        self.start()
        lang = model_language(doc)
        if lang not in self._langs:  # loading a language's models is not the document's time
            self._request("prepare", lang)
            kind, value = self._receive(STARTUP_TIMEOUT_S, watch_memory=False,
                                        what="loading models")
            if kind == "error":
                self._discard()
                raise DocumentFailed(f"could not load the {lang} models ({value})", "worker died")
            self._langs.add(lang)
        self._request("extract", doc)
        kind, value = self._receive(self.limits.timeout_s)
        if kind == "error":
            raise DocumentFailed(f"extraction failed ({value})", "extraction error")
        self._after()
        return value

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WorkerPool:
    """Up to ``size`` :class:`Worker` processes shared by threads; each request takes an
    idle worker (starting one when all are busy and fewer than ``size`` run), so one slow
    document holds one worker, never the others."""

    def __init__(self, size: int = 2, limits: Limits | None = None) -> None:
        if size < 1:
            raise ValueError(f"worker pool size must be at least 1, got {size}")
        self.size = size
        self.limits = limits or Limits.from_env()
        self._idle: list[Worker] = []
        self._all: list[Worker] = []
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def worker(self) -> Iterator[Worker]:
        with self._cond:
            while not self._idle and len(self._all) >= self.size:
                self._cond.wait()
            if self._idle:
                w = self._idle.pop()
            else:
                w = Worker(self.limits)
                self._all.append(w)
        try:
            yield w
        finally:
            with self._cond:
                self._idle.append(w)
                self._cond.notify()

    def prestart(self) -> None:
        """Start every worker now (models loaded) instead of on first use."""
        with self._cond:
            new = [Worker(self.limits) for _ in range(self.size - len(self._all))]
            self._all.extend(new)
            self._idle.extend(new)
        for w in list(self._all):  # load models in parallel
            w.launch()
        for w in list(self._all):
            w.start()

    def close(self) -> None:
        with self._cond:
            for w in self._all:
                w.close()


_SHARED: dict[tuple[float, int], WorkerPool] = {}
_SHARED_LOCK = threading.Lock()


def shared_pool(limits: Limits) -> WorkerPool:
    """The process-wide pool of workers with these limits: batches run one after another in
    one process (tests, a notebook, a long-lived runner) reuse its loaded workers. Closed at
    exit."""
    key = (limits.timeout_s, limits.memory_mb)  # the size cap is checked by the caller
    with _SHARED_LOCK:
        pool = _SHARED.get(key)
        if pool is None:
            if not _SHARED:
                atexit.register(_close_shared)
            pool = _SHARED[key] = WorkerPool(8, limits)
        return pool


def _close_shared() -> None:
    with _SHARED_LOCK:
        pools = list(_SHARED.values())
        _SHARED.clear()
    for pool in pools:
        pool.close()


# ----------------------------------------------------------------------------- batches


@dataclass
class BatchReport:
    """What a batch did: outcome counts, every error (source and one-line problem), and
    failures by reason."""

    counts: Counter[str] = field(default_factory=Counter)
    errors: list[IngestError] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    inputs: int = 0  #: files (and not-followed paths) visited
    documents: int = 0  #: documents read
    #: (source, outcome) of every document that went in, when asked for (None: not kept)
    outcomes: list[tuple[str, str]] | None = None

    @property
    def failed(self) -> int:
        return len(self.errors)

    def summary(self) -> str:
        parts = [f"{self.counts[k]} {k}" for k in ("added", "replaced", "unchanged", "extracted")
                 if self.counts[k]]
        parts.append(f"{self.failed} failed")
        if self.reasons:
            parts[-1] += " (" + ", ".join(f"{n} {r}" for r, n in sorted(self.reasons.items())) + ")"
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"inputs": self.inputs, "documents": self.documents,
                "counts": dict(self.counts), "failed": self.failed,
                "reasons": dict(self.reasons),
                "errors": [{"source": e.source, "problem": e.problem} for e in self.errors],
                **({"outcomes": [list(o) for o in self.outcomes]} if self.outcomes is not None else {})}


def _reason(problem: str) -> str:
    """A short category of a reader's problem, for counts."""
    p = problem.lower()
    for key, reason in (("symbolic link", "link not followed"), ("too large", "too large"),
                        ("binary", "binary"), ("nul", "binary"), ("encoding", "binary"),
                        ("no visible text", "no visible text"), ("empty", "empty"),
                        ("no article text", "no text"), ("item has no text", "no text"),
                        ("json", "bad JSON line"), ("field", "bad JSON line"),
                        ("xml", "bad feed"), ("feed", "bad feed"), ("date", "bad date"),
                        ("unsupported", "unsupported type"), ("folder", "empty folder"),
                        ("could not be read", "read error")):
        if key in p:
            return reason
    return "bad input"


class Pipeline:
    """Reads, checks, extracts and stores; one instance per batch or per server.

    ``store``: a :class:`cronica.store.Cronica` (None: extract only, as ``cronica extract``).
    ``isolate``: extraction (and reading) in a :class:`Worker` process with the time and
    memory budgets (default), or in this process (:class:`InProcess`, no budgets)."""

    def __init__(self, store: Any | None = None, limits: Limits | None = None, *,
                 isolate: bool = True) -> None:
        self.store = store
        self.limits = limits or Limits.from_env()
        self.isolate = isolate
        self._in_process = None if isolate else InProcess()
        self._held: contextlib.ExitStack | None = None
        self._runner: Worker | InProcess | None = None

    @contextlib.contextmanager
    def runner(self) -> Iterator[Worker | InProcess]:
        """The runner for a batch: a worker of :func:`shared_pool` held for the batch (or
        for the ``with`` block of this pipeline), or the in-process runner."""
        if self._runner is not None:
            yield self._runner
        elif self._in_process is not None:
            yield self._in_process
        else:
            with shared_pool(self.limits).worker() as w:
                yield w

    def close(self) -> None:
        if self._held is not None:
            self._held.close()
        self._held = self._runner = None

    def __enter__(self) -> "Pipeline":
        self._held = contextlib.ExitStack()
        self._runner = self._held.enter_context(self.runner())
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, paths: Sequence[str | Path], *, url: str | None = None,
            title: str | None = None, published: str | None = None, language: str | None = None,
            on_result: Callable[[str, ExtractionResult | None], None] | None = None,
            on_error: Callable[[IngestError], None] | None = None,
            on_input: Callable[[Path], None] | None = None,
            report: BatchReport | None = None) -> BatchReport:
        """Ingest every input under ``paths``. ValueError (before any work) for metadata
        that needs exactly one file, as :func:`cronica.ingest.read_paths`."""
        from cronica.ingest import read_paths
        from cronica.ingest.reader import list_inputs

        if url or title or published:  # validated now (ValueError); nothing is read yet
            read_paths(list(paths), url=url, title=title, published=published, language=language)
        meta = {"url": url, "title": title, "published": published, "language": language}
        rep = report if report is not None else BatchReport()

        def fail(source: str, problem: str, reason: str) -> None:
            err = IngestError(source, problem)
            rep.errors.append(err)
            rep.reasons[reason] += 1
            rep.counts["failed"] += 1
            if on_error is not None:
                on_error(err)

        with self.runner() as runner:
            for path, problem in list_inputs(list(paths)):
                self._input(runner, path, problem, meta, rep, fail, on_input, on_result)
        return rep

    def _input(self, runner: Worker | InProcess, path: Path, problem: str | None,
               meta: dict[str, Any], rep: BatchReport, fail: Callable[[str, str, str], None],
               on_input: Callable[[Path], None] | None,
               on_result: Callable[[str, ExtractionResult | None], None] | None) -> None:
        rep.inputs += 1
        if on_input is not None:
            on_input(path)
        if problem is not None:
            fail(str(path), problem, _reason(problem))
            return
        docs: list[Document] = []
        try:
            for item in runner.read(path, meta):
                if isinstance(item, IngestError):
                    fail(item.source, item.problem, _reason(item.problem))
                else:
                    docs.append(item)
        except DocumentFailed as exc:
            where = f"{path} (after {len(docs)} document(s))" if docs else str(path)
            fail(where, str(exc), exc.reason)
        except Exception as exc:  # noqa: BLE001 - no input stops the batch
            fail(str(path), f"could not be read ({_describe(exc)})", "read error")
        for doc in docs:
            rep.documents += 1
            self._one(runner, doc, rep, fail, on_result)

    def _one(self, runner: Worker | InProcess, doc: Document, rep: BatchReport,
             fail: Callable[[str, str, str], None],
             on_result: Callable[[str, ExtractionResult | None], None] | None = None) -> None:
        source = doc.source_path or doc.url or doc.id
        try:
            outcome, result = process_document(doc, runner.extract, self.store, self.limits)
        except DocumentFailed as exc:
            fail(source, str(exc), exc.reason)
            return
        except Exception as exc:  # noqa: BLE001 - the store's, e.g. a lost connection
            fail(source, f"could not store ({_describe(exc)})", "store error")
            return
        rep.counts[outcome] += 1
        if rep.outcomes is not None:
            rep.outcomes.append((source, outcome))
        if on_result is not None:
            on_result(outcome, result)


def ingest_paths(paths: Sequence[str | Path], store: Any | None, *, limits: Limits | None = None,
                 isolate: bool = True, **kw: Any) -> BatchReport:
    """One batch with its own pipeline (a worker started and stopped for it)."""
    with Pipeline(store, limits, isolate=isolate) as pipe:
        return pipe.run(paths, **kw)
