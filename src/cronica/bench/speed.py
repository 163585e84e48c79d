"""Speed and memory of extraction: ``cronica bench extract``.

Two stages run on the same ingested documents, each in a fresh ``spawn`` subprocess so
that peak RSS belongs to that stage alone:

* ``pipeline`` - ``cronica.extract.Extractor().extract_many(docs)`` (the whole product);
* ``bare``     - ``cronica.extract.nlp.load_bare_ner("en").pipe(texts)`` (the baseline).

In each subprocess: the model is loaded (excluded from throughput), one warm-up pass runs
on the first few documents, then ``repeat`` timed passes run over all documents.  A final
pass under :mod:`tracemalloc` gives the peak of Python allocations while processing (kept
out of the timed passes because tracing slows code down).  Resident memory is reported
as the stage process's peak RSS and its growth during the stage (model load included),
from ``VmHWM`` in /proc/self/status where it exists.  ``resource.getrusage`` ``ru_maxrss``
growth is reported too (``maxrss_delta_bytes``), but Linux carries the *parent's* RSS over
into a spawned child's ``ru_maxrss`` at exec, so that figure understates the growth when
the parent process is already large; ``VmHWM`` belongs to the child's own memory map.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from cronica.bench.gold import BenchError

STAGES: tuple[str, ...] = ("pipeline", "bare")
WARMUP_DOCS = 3
REPO_ROOT = Path(__file__).resolve().parents[3]
SKIP_NAMES = ("readme", "license")


@dataclass(slots=True)
class StageResult:
    """Measurements of one stage over ``articles`` documents x ``repeat`` passes."""

    stage: str
    articles: int
    words: int
    repeat: int
    load_s: float
    seconds: float  # total of the timed passes
    tracemalloc_peak_bytes: int
    rss_peak_bytes: int  # VmHWM at the end (ru_maxrss where /proc is missing)
    rss_delta_bytes: int  # growth of that peak during the stage
    maxrss_delta_bytes: int  # getrusage ru_maxrss growth (see module doc)

    @property
    def articles_per_s(self) -> float:
        return self.articles * self.repeat / self.seconds if self.seconds else float("inf")

    @property
    def words_per_s(self) -> float:
        return self.words * self.repeat / self.seconds if self.seconds else float("inf")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "articles_per_s": self.articles_per_s, "words_per_s": self.words_per_s}


def default_samples_dir() -> Path:
    """The bundled samples shipped with the package (``cronica/samples``)."""
    return Path(__file__).resolve().parents[1] / "samples"


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files given, plus the files of directories given (sorted, not recursive; names
    starting with "." or "_" and README/LICENSE skipped).  :class:`BenchError` for a path that does not exist."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith((".", "_"))
                          and not f.name.lower().startswith(SKIP_NAMES))
        elif p.is_file():
            out.append(p)
        else:
            raise BenchError(f"{p}: no such file or directory")
    return out


def load_documents(paths: Iterable[str | Path]) -> tuple[list[Any], list[str]]:
    """Read ``paths`` through the ingest stage: (documents, one-line ingest errors)."""
    paths = list(paths)
    files = expand_paths(paths)
    if not files:
        raise BenchError("no input files found in " + ", ".join(str(p) for p in paths))
    try:
        from cronica.ingest import read_paths  # type: ignore[attr-defined]
    except ImportError as e:
        raise BenchError(f"cronica.ingest.read_paths is not available ({e}); "
                         "the benchmark reads articles through the ingest stage") from None
    from cronica.records import Document

    docs: list[Any] = []
    errors: list[str] = []
    for item in read_paths(files):
        if isinstance(item, Document):
            docs.append(item)
        else:
            errors.append(str(item))
    return docs, errors


def _hwm_bytes() -> int | None:
    """Peak resident set of this process's memory map (Linux ``VmHWM``), else ``None``."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _maxrss_bytes() -> int:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r if sys.platform == "darwin" else r * 1024  # Linux reports KiB


def _runner(stage: str) -> Callable[[list[dict[str, Any]]], Any]:
    """Load the stage's model; return a function that processes a batch of documents."""
    from cronica.records import Document

    if stage == "pipeline":
        try:
            from cronica.extract import Extractor  # type: ignore[attr-defined]
        except ImportError as e:
            raise BenchError(f"cronica.extract.Extractor is not available ({e})") from None
        ex = Extractor()

        def run(batch: list[dict[str, Any]]) -> Any:
            return list(ex.extract_many([Document.from_dict(d) for d in batch]))
        return run
    if stage == "bare":
        from cronica.extract.nlp import load_bare_ner

        nlp = load_bare_ner("en")

        def run_bare(batch: list[dict[str, Any]]) -> Any:
            return list(nlp.pipe([d["text"] for d in batch]))
        return run_bare
    raise BenchError(f"unknown stage {stage!r} (expected one of {', '.join(STAGES)})")


def measure_stage(stage: str, docs: list[dict[str, Any]], repeat: int) -> dict[str, Any]:
    """Measure one stage in *this* process (call it through :func:`measure_in_subprocess`).
    ``docs`` are Document dicts.  Returns :meth:`StageResult.to_dict`."""
    rss0, hwm0 = _maxrss_bytes(), _hwm_bytes()
    t0 = time.perf_counter()
    run = _runner(stage)
    load_s = time.perf_counter() - t0
    run(docs[:WARMUP_DOCS])
    t0 = time.perf_counter()
    for _ in range(repeat):
        run(docs)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    try:
        run(docs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    words = sum(len(d["text"].split()) for d in docs)
    rss1, hwm1 = _maxrss_bytes(), _hwm_bytes()
    if hwm0 is None or hwm1 is None:
        rss_peak, rss_delta = rss1, rss1 - rss0
    else:
        rss_peak, rss_delta = hwm1, hwm1 - hwm0
    return StageResult(stage, len(docs), words, repeat, load_s, seconds, peak, rss_peak,
                       rss_delta, rss1 - rss0).to_dict()


def measure_in_subprocess(stage: str, docs: list[dict[str, Any]], repeat: int) -> StageResult:
    """Run :func:`measure_stage` in a fresh ``spawn`` process (its own peak RSS)."""
    ctx = mp.get_context("spawn")
    with ctx.Pool(1) as pool:
        try:
            d = pool.apply(measure_stage, (stage, docs, repeat))
        except BenchError:
            raise
        except Exception as e:
            raise BenchError(f"{stage} stage failed: {type(e).__name__}: {e}") from None
    d.pop("articles_per_s"), d.pop("words_per_s")
    return StageResult(**d)


def run_speed(paths: Iterable[str | Path], repeat: int = 3,
              stages: Iterable[str] = STAGES) -> tuple[list[StageResult], list[str]]:
    """Ingest ``paths`` and measure each of ``stages``: (results, ingest errors)."""
    if repeat < 1:
        raise BenchError(f"--repeat must be at least 1, got {repeat}")
    stages = list(stages)
    for s in stages:
        if s not in STAGES:
            raise BenchError(f"unknown stage {s!r} (expected one of {', '.join(STAGES)})")
    docs, errors = load_documents(paths)
    if not docs:
        raise BenchError("no readable articles: " + ("; ".join(errors[:3]) or "nothing ingested"))
    dicts = [d.to_dict() for d in docs]
    return [measure_in_subprocess(s, dicts, repeat) for s in stages], errors


def ratio(results: list[StageResult]) -> float | None:
    """Seconds per pass of the pipeline over those of bare NER (how many times slower)."""
    by = {r.stage: r for r in results}
    if "pipeline" in by and "bare" in by and by["bare"].seconds > 0:
        return (by["pipeline"].seconds / by["pipeline"].repeat) / (by["bare"].seconds / by["bare"].repeat)
    return None


def _mib(b: int) -> str:
    return f"{b / 2**20:.1f}"


def format_speed(results: list[StageResult], errors: list[str]) -> str:
    """A readable table of the measurements."""
    lines = [f"{'stage':10} {'articles':>8} {'words':>8} {'repeat':>6} {'load s':>7} {'art/s':>8} "
             f"{'words/s':>9} {'py peak MiB':>11} {'RSS MiB':>8} {'RSS +MiB':>8}"]
    for r in results:
        lines.append(f"{r.stage:10} {r.articles:>8} {r.words:>8} {r.repeat:>6} {r.load_s:>7.2f} "
                     f"{r.articles_per_s:>8.2f} {r.words_per_s:>9.0f} "
                     f"{_mib(r.tracemalloc_peak_bytes):>11} {_mib(r.rss_peak_bytes):>8} "
                     f"{_mib(r.rss_delta_bytes):>8}")
    q = ratio(results)
    if q is not None:
        lines.append(f"pipeline/bare time ratio: {q:.2f}x")
    lines.append("py peak = tracemalloc peak while processing; RSS = peak resident memory of the "
                 "stage's own process, RSS + = its growth during the stage (model load included)")
    if errors:
        lines.append(f"skipped {len(errors)} unreadable input(s): " + "; ".join(errors[:5]))
    return "\n".join(lines)
