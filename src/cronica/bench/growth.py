"""How extraction cost grows with input size: ``cronica bench growth``.

Two measurements:

* **growth** - realistic texts of 25, 50, 100, 200, 400 and 800 KB (thousands of
  characters), made deterministically by shuffling the paragraphs of the articles in
  ``corpora/news-x3/articles`` of one language (the bundled samples when the corpus is not
  there) with a fixed seed, are ingested with ``read_text`` and extracted with
  ``Extractor().extract``. Each size runs in its own ``spawn`` process (so the peak RSS,
  ``VmHWM``, belongs to that size), after a warm-up extraction; the best of ``repeat``
  timed passes is kept. The growth exponent is the least-squares slope of log(extraction
  seconds) against log(characters): 1 is linear, 2 quadratic. It must be at most
  :data:`MAX_EXPONENT`.
* **adversarial** - inputs of about 4 KB built to hit the expensive paths (number words
  repeated, digit chains, a text with no punctuation, capitalised-word runs, group names,
  quote marks, deeply nested and comment-spam HTML...), each timed from ingest
  (``read_text`` / ``read_html``) through extraction. The slowest must take less than
  :data:`MAX_ADVERSARIAL_S`.

Nothing here asserts: the command prints the figures and, with ``--check``, exits with
status 1 when a limit is exceeded.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import random
import resource
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from cronica.bench.gold import BenchError

__all__ = ["SIZES_KB", "ADVERSARIAL_CHARS", "MAX_EXPONENT", "MAX_ADVERSARIAL_S", "realistic_text",
           "adversarial_inputs", "fit_exponent", "run_growth", "format_growth", "GrowthReport"]

SIZES_KB: tuple[int, ...] = (25, 50, 100, 200, 400, 800)
ADVERSARIAL_CHARS = 4_000
MAX_EXPONENT = 1.2
MAX_ADVERSARIAL_S = 1.0
SEED = 20240612
REPO_ROOT = Path(__file__).resolve().parents[3]
CORPUS = REPO_ROOT / "corpora" / "news-x3"


# ----------------------------------------------------------------------------- inputs

def _paragraphs(lang: str) -> list[str]:
    """Paragraphs (one per line) of the news-x3 articles in ``lang``, in file order; the
    bundled sample articles when the corpus is not in this checkout."""
    files: list[Path] = []
    manifest = REPO_ROOT / "corpora" / "manifest.tsv"
    if (CORPUS / "articles").is_dir() and manifest.is_file():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 3 and cols[0] == "news-x3" and cols[2] == lang:
                path = CORPUS / cols[1]
                if path.is_file():
                    files.append(path)
    if not files:
        from cronica.samples import sample_paths

        files = [p for p in sample_paths() if p.suffix == ".txt"]
    out: list[str] = []
    for path in sorted(files):
        for para in path.read_text(encoding="utf-8").splitlines():
            para = para.strip()
            if len(para) >= 40:
                out.append(para)
    if not out:
        raise BenchError(f"no article paragraphs found for language {lang!r} in {CORPUS} or the samples")
    return out


def realistic_text(chars: int, lang: str = "es", seed: int = SEED) -> str:
    """About ``chars`` characters of news paragraphs, shuffled with ``seed`` (the same
    arguments give the same text), one blank line between paragraphs."""
    if chars < 1:
        raise BenchError(f"text size must be at least 1 character, got {chars}")
    paras = _paragraphs(lang)
    rnd = random.Random(seed)
    out: list[str] = []
    n = 0
    pool: list[str] = []
    while n < chars:
        if not pool:
            pool = paras[:]
            rnd.shuffle(pool)
        p = pool.pop()
        out.append(p)
        n += len(p) + 2
    return "\n\n".join(out)[:chars]


def _repeat(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def _capitalised(chars: int, seed: int) -> str:
    rnd = random.Random(seed)
    syll = ["ra", "mo", "te", "lu", "ca", "vi", "pe", "go", "san", "dro", "mez", "gar"]
    words = []
    n = 0
    while n < chars:
        w = "".join(rnd.choice(syll) for _ in range(rnd.randint(2, 3))).capitalize()
        words.append(w)
        n += len(w) + 1
    return " ".join(words)[:chars]


def _number_soup(chars: int, seed: int) -> str:
    rnd = random.Random(seed)
    vocab = ["uno", "dos", "tres", "veinte", "treinta", "cien", "ciento", "doscientos", "mil",
             "millones", "y", "cuarenta", "quince", "novecientos", "un", "millón"]
    out: list[str] = []
    n = 0
    while n < chars:
        out.append(rnd.choice(vocab))
        n += len(out[-1]) + 1
    return " ".join(out)[:chars]


def adversarial_inputs(chars: int = ADVERSARIAL_CHARS) -> list[tuple[str, str, str, str]]:
    """``(name, language, kind, content)`` for each adversarial input; ``kind`` is
    ``text`` (read with ``read_text``) or ``html`` (``read_html``)."""
    prose = realistic_text(chars * 2, "es")
    no_punct = " ".join("".join(c for c in prose if c.isalnum() or c == " ").split())[:chars]
    half = chars // 2
    inputs = [
        ("es 'mil' repeated", "es", "text", _repeat("mil ", chars)),
        ("en 'thousand' repeated", "en", "text", _repeat("thousand ", chars)),
        ("es 'cien mil' repeated", "es", "text", _repeat("cien mil ", chars)),
        ("es 'veinte' repeated", "es", "text", _repeat("veinte ", chars)),
        ("en 'one hundred and' repeated", "en", "text", _repeat("one hundred and ", chars)),
        ("es number words and 'y'", "es", "text", _repeat("doscientos y veinte mil millones ", chars)),
        ("es random number words", "es", "text", _number_soup(chars, 3)),
        ("digits with separators", "en", "text", _repeat("1,000 ", chars)),
        ("one digit chain 1.000.000...", "es", "text", "1" + _repeat(".000", chars - 1)),
        ("one number of all digits", "en", "text", "Killed: " + "9" * (chars - 8)),
        ("digit ranges 1-2-3-...", "en", "text", "-".join(str(i % 100) for i in range(chars // 3))[:chars]),
        ("one sentence, no punctuation", "es", "text", no_punct),
        ("capitalised words", "es", "text", _capitalised(chars, 7)),
        ("group names", "es", "text",
         _repeat("las FARC y el ELN y el Clan del Golfo y Sendero Luminoso y el Tren de Aragua ", chars)),
        ("quote marks unbalanced", "es", "text", _repeat("“Juan Pérez dijo ", chars)),
        ("quotes with speakers", "es", "text", _repeat("“Nos atacaron”, dijo Juan Pérez. ", chars)),
        ("dates repeated", "es", "text", _repeat("el 5 de mayo de 2020, ", chars)),
        ("counts repeated", "es", "text", _repeat("5 muertos y 3 heridos, ", chars)),
        ("violence words", "es", "text", _repeat("asesinaron secuestraron detuvieron atacaron ", chars)),
        ("one word per line", "es", "text", _repeat("muertos\n", chars)),
        ("HTML nested divs", "es", "html",
         "<html><body>" + "<div>" * (half // 5) + prose[:half // 2] + "</div>" * (half // 6) + "</body></html>"),
        ("HTML comment spam", "es", "html",
         "<html><body><p>" + prose[:200] + "</p>" + _repeat("<!-- x --><p>a</p>", chars) + "</body></html>"),
        ("HTML leading comments", "es", "html", _repeat("<!---->", chars // 2) + "<html><body><p>" + prose[:half] + "</p></body></html>"),
        ("HTML unclosed comments", "es", "html", "<html><body>" + _repeat("<p>texto de prueba</p><!--", chars)),
    ]
    return inputs


# ----------------------------------------------------------------------------- measuring

def _rss_peak() -> int:
    """This process's peak resident set (``VmHWM``), in bytes; ``ru_maxrss`` without /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _measure_size(chars: int, lang: str, repeat: int, queue: Any) -> None:
    try:
        from cronica.extract import Extractor
        from cronica.ingest import read_text

        ex = Extractor()
        ex.extract(read_text(realistic_text(3_000, lang, seed=1), language=lang))  # load + warm up
        text = realistic_text(chars, lang)
        read_best = extract_best = math.inf
        incidents = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            doc = read_text(text, language=lang)
            t1 = time.perf_counter()
            result = ex.extract(doc)
            t2 = time.perf_counter()
            read_best, extract_best = min(read_best, t1 - t0), min(extract_best, t2 - t1)
            incidents = len(result.incidents)
        queue.put({"chars": len(text), "read_s": read_best, "extract_s": extract_best,
                   "rss_peak_bytes": _rss_peak(), "incidents": incidents})
    except BaseException as e:  # reported by the parent
        queue.put({"error": f"{type(e).__name__}: {e}"})


def _measure_adversarial(chars: int, queue: Any) -> None:
    try:
        from cronica.extract import Extractor
        from cronica.ingest import read_html, read_text

        ex = Extractor()
        for lang in ("es", "en"):
            ex.extract(read_text(realistic_text(3_000, "es", seed=1), language=lang))  # load + warm up
        read_html("<html><body><p>" + realistic_text(500, "es", seed=1) + "</p></body></html>")  # imports
        out = []
        for name, lang, kind, content in adversarial_inputs(chars):
            t0 = time.perf_counter()
            error = None
            try:
                doc = (read_html if kind == "html" else read_text)(content, language=lang)
                ex.extract(doc)
            except ValueError as e:  # the input was refused with a message: that is an answer
                error = str(e)
            out.append({"name": name, "kind": kind, "chars": len(content),
                        "seconds": time.perf_counter() - t0, "refused": error})
        queue.put({"inputs": out, "rss_peak_bytes": _rss_peak()})
    except BaseException as e:
        queue.put({"error": f"{type(e).__name__}: {e}"})


def _in_process(target: Callable[..., None], *args: Any) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    try:
        got = queue.get()
    finally:
        proc.join()
    if "error" in got:
        raise BenchError(f"measurement failed: {got['error']}")
    return got


def fit_exponent(sizes: list[float], seconds: list[float]) -> float | None:
    """Least-squares slope of log(seconds) against log(size); None with fewer than two
    distinct sizes."""
    pts = [(math.log(s), math.log(max(t, 1e-6))) for s, t in zip(sizes, seconds) if s > 0]
    if len({x for x, _ in pts}) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx


@dataclass(slots=True)
class GrowthReport:
    lang: str
    repeat: int
    sizes: list[dict[str, Any]] = field(default_factory=list)
    exponent: float | None = None
    adversarial: list[dict[str, Any]] = field(default_factory=list)
    adversarial_rss_peak_bytes: int | None = None

    @property
    def worst(self) -> dict[str, Any] | None:
        return max(self.adversarial, key=lambda a: a["seconds"]) if self.adversarial else None

    def failures(self) -> list[str]:
        out = []
        if self.exponent is not None and self.exponent > MAX_EXPONENT:
            out.append(f"growth exponent {self.exponent:.2f} > {MAX_EXPONENT}")
        w = self.worst
        if w is not None and w["seconds"] >= MAX_ADVERSARIAL_S:
            out.append(f"adversarial input {w['name']!r} took {w['seconds']:.2f} s >= {MAX_ADVERSARIAL_S} s")
        return out

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["worst_adversarial"] = self.worst
        d["limits"] = {"max_exponent": MAX_EXPONENT, "max_adversarial_s": MAX_ADVERSARIAL_S}
        d["failures"] = self.failures()
        return d


def run_growth(sizes_kb: list[float] = list(SIZES_KB), lang: str = "es", repeat: int = 1,
               adversarial_chars: int | None = ADVERSARIAL_CHARS,
               progress: Callable[[str], None] | None = None) -> GrowthReport:
    """Measure every size (each in its own process) and, unless ``adversarial_chars`` is
    None, the adversarial inputs; see the module doc."""
    if lang not in ("en", "es"):
        raise BenchError(f"language must be 'en' or 'es', got {lang!r}")
    if repeat < 1:
        raise BenchError(f"--repeat must be at least 1, got {repeat}")
    if not sizes_kb or any(s <= 0 for s in sizes_kb):
        raise BenchError(f"sizes must be positive numbers of KB, got {sizes_kb}")
    report = GrowthReport(lang=lang, repeat=repeat)
    for kb in sizes_kb:
        got = _in_process(_measure_size, int(kb * 1000), lang, repeat)
        got["kb"] = kb
        report.sizes.append(got)
        if progress:
            progress(f"{kb:g} KB: extract {got['extract_s']:.2f} s, peak RSS {got['rss_peak_bytes'] / 2**20:.0f} MiB")
    report.exponent = fit_exponent([s["chars"] for s in report.sizes], [s["extract_s"] for s in report.sizes])
    if adversarial_chars is not None:
        got = _in_process(_measure_adversarial, adversarial_chars)
        report.adversarial = got["inputs"]
        report.adversarial_rss_peak_bytes = got["rss_peak_bytes"]
    return report


def format_growth(report: GrowthReport) -> str:
    lines = [f"Extraction growth ({report.lang}, best of {report.repeat}, each size in its own process)",
             "", f"{'size':>8} {'chars':>9} {'ingest s':>9} {'extract s':>10} {'s per 100 KB':>13} "
             f"{'peak RSS MiB':>13} {'incidents':>10}"]
    for s in report.sizes:
        lines.append(f"{s['kb']:>6g}KB {s['chars']:>9} {s['read_s']:>9.2f} {s['extract_s']:>10.2f} "
                     f"{s['extract_s'] / s['chars'] * 1e5:>13.2f} {s['rss_peak_bytes'] / 2**20:>13.0f} "
                     f"{s['incidents']:>10}")
    exp = "n/a (needs two sizes)" if report.exponent is None else f"{report.exponent:.2f}"
    lines += ["", f"growth exponent: {exp} (limit {MAX_EXPONENT})"]
    if report.adversarial:
        lines += ["", f"Adversarial inputs (ingest + extract, limit {MAX_ADVERSARIAL_S} s each)", ""]
        for a in sorted(report.adversarial, key=lambda a: -a["seconds"]):
            note = f"  refused: {a['refused']}" if a["refused"] else ""
            lines.append(f"  {a['seconds']:>7.3f} s  {a['chars']:>6} chars  {a['name']}{note}")
        w = report.worst
        assert w is not None
        lines += ["", f"worst adversarial input: {w['seconds']:.3f} s ({w['name']})"]
        if report.adversarial_rss_peak_bytes:
            lines.append(f"adversarial peak RSS: {report.adversarial_rss_peak_bytes / 2**20:.0f} MiB")
    fails = report.failures()
    lines += ["", "result: " + ("ok" if not fails else "FAIL: " + "; ".join(fails))]
    return "\n".join(lines)
