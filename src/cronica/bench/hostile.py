"""``cronica bench hostile``: a generated corpus of hostile inputs, ingested end to end.

:func:`generate` writes a deterministic (seeded) folder of at least ``files`` files: huge
texts over the size cap, 5,000-digit numbers, repeated number words, deeply nested HTML,
comment-spam HTML, entity-bomb and XXE feeds, feeds with one bad item, JSONL files with bad,
deep, U+2028 and NUL lines among valid ones, binary files, wrong encodings, empty and
zero-width-only files, symbolic links out of the folder, very long lines, and valid short
articles mixed in. It returns a :class:`Manifest` (which JSONL lines are valid).

:func:`run_hostile` runs ``cronica ingest`` on it in a child process (so a crash, a
traceback on stderr and the peak memory of every process are seen as a user would see them)
into a fresh SQLite file, and :func:`format_hostile` prints files, ingested, rejected by
reason, tracebacks, hangs (documents that hit the time budget), peak RSS, wall time, and
whether every valid JSONL line around the bad ones was kept.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Manifest", "HostileResult", "generate", "run_hostile", "format_hostile"]

# Short articles written for this corpus (not copied from anywhere): {place}, {n}, {day}
# vary so each generated article is its own document.
_EN = [
    "Gunmen killed {n} police officers in an ambush near {place} on {day}, the army said. "
    "The patrol was returning to its base when it was attacked with rifles and explosives. "
    "Officials blamed a dissident faction that controls drug routes in the area.",
    "Soldiers seized {n} tonnes of cocaine hidden in a banana shipment at the port of {place} "
    "on {day}, prosecutors said. Three people were arrested and the shipment was bound for "
    "Europe, according to the navy.",
    "Armed men kidnapped {n} aid workers on a rural road outside {place} on {day}, the local "
    "governor said. A search operation was launched with helicopters and the families asked "
    "for their release.",
    "A car bomb exploded outside a police station in {place} on {day}, wounding {n} people, "
    "officials said. No group claimed the attack, which damaged houses and shops nearby.",
]
_ES = [
    "Hombres armados asesinaron a {n} policías en una emboscada cerca de {place} el {day}, "
    "informó el ejército. La patrulla regresaba a su base cuando fue atacada con fusiles y "
    "explosivos. Las autoridades culparon a una facción disidente.",
    "La policía incautó {n} toneladas de cocaína ocultas en un cargamento de banano en el "
    "puerto de {place} el {day}, dijo la fiscalía. Tres personas fueron detenidas.",
    "Un grupo armado secuestró a {n} trabajadores humanitarios en una carretera rural de "
    "{place} el {day}, según el gobernador. Se inició una operación de búsqueda.",
]
_PLACES = ["Tumaco", "Culiacán", "Guayaquil", "Cúcuta", "Rosario", "Apatzingán", "Iquitos",
           "San Pedro Sula", "Buenaventura", "Tijuana", "Ayacucho", "Arauca"]
_DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
_WORDS = ("the police said the attack happened near the river and the army sent troops to "
          "the area while residents left their homes").split()

#: file kinds and their weights: cheap rejects are common, the expensive ones rare
_KINDS: list[tuple[str, int]] = [
    ("valid_txt", 10), ("valid_html", 5), ("jsonl_mixed", 8), ("feed_bad_item", 5),
    ("binary", 8), ("nul_text", 4), ("wrong_encoding", 6), ("utf16_no_bom", 3), ("empty", 6),
    ("whitespace", 4), ("zero_width", 6), ("control_chars", 4), ("entity_bomb", 4), ("xxe", 4),
    ("malformed_xml", 3), ("not_a_feed", 2), ("boilerplate_only", 4), ("tiny", 4),
]
#: expensive kinds: a fixed share of files (at least one each)
_RARE: list[tuple[str, int]] = [
    ("huge_text", 400), ("big_number", 200), ("number_words", 200), ("deep_html", 200),
    ("comment_spam", 200), ("long_line", 400), ("symlink_out", 100), ("symlink_dir", 400),
]


@dataclass
class Manifest:
    folder: str
    files: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    valid_lines: list[str] = field(default_factory=list)  #: "path:N" of valid JSONL lines
    bad_lines: list[str] = field(default_factory=list)  #: "path:N" of bad JSONL lines
    valid_items: list[str] = field(default_factory=list)  #: "path#itemN" of valid feed items

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _article(rng: random.Random, serial: int) -> tuple[str, str]:
    """(text, language); only a few dozen distinct articles, so most valid files repeat
    one (stored once, then 'unchanged': cheap)."""
    es = rng.random() < 0.4
    tpl = rng.choice(_ES if es else _EN)
    variant = serial % 4
    place = _PLACES[variant % len(_PLACES)]
    day = (_DAYS_ES if es else _DAYS_EN)[variant % 7]
    return tpl.format(n=2 + variant, place=place, day=day), "es" if es else "en"


def _jsonl(rng: random.Random, serial: int) -> tuple[str, list[int], list[int]]:
    """A JSONL file: valid lines with bad ones among them; (text, valid line numbers, bad)."""
    bad_makers = [
        lambda: "{not json",
        lambda: "[" * 100_000 + "]" * 100_000,  # RecursionError in json
        lambda: json.dumps({"text": "x"}) + "\x00",  # NUL
        lambda: '{"text": ' + "9" * 5000 + "}",  # over the int-string limit
        lambda: json.dumps({"text": 12}),
        lambda: json.dumps({"title": "no text"}),
        lambda: json.dumps(["a", "list"]),
        lambda: json.dumps({"text": "\u200b\u200c\u200d" * 40}),
        lambda: json.dumps({"text": "A short text.", "published": "2021-02-30"}),
        lambda: '{"text": "Lone \\ud800 surrogate in an escape, valid JSON, not Unicode text."}',
    ]
    lines: list[str] = []
    valid: list[int] = []
    bad: list[int] = []
    for k in range(rng.randint(3, 7)):
        text, lang = _article(rng, serial * 7 + k)
        if k % 2 == 0:  # U+2028 / U+2029 / NEL inside a valid JSON string
            text = text.replace(". ", ".\u2028", 1).replace(", ", ",\u0085", 1)
            line = json.dumps({"text": text, "language": lang}, ensure_ascii=False)
        else:
            line = json.dumps({"text": text, "url": f"https://hostile.example.org/{serial}/{k}"})
        lines.append(line)
        valid.append(len(lines))
        if rng.random() < 0.8:
            lines.append(rng.choice(bad_makers)())
            bad.append(len(lines))
        if rng.random() < 0.2:
            lines.append("")
    return "\n".join(lines) + "\n", valid, bad


def _feed(rng: random.Random, serial: int) -> tuple[str, list[int]]:
    items = []
    good: list[int] = []
    for k in range(1, 4):
        text, _lang = _article(rng, serial * 5 + k)
        items.append(f"<item><title>Item {k}</title><link>https://feed.example.org/{serial}/{k}</link>"
                     f"<pubDate>Thu, 03 Jun 2021 10:00:00 GMT</pubDate>"
                     f"<description>{text}</description></item>")
        good.append(k)
    bad = rng.choice(["2021-02-30", "Mon, 45 Foo 99999 99:99:99 +9999", "0000", "yesterday"])
    items.insert(1, f"<item><title>Bad date</title><pubDate>{bad}</pubDate>"
                    f"<description>Something happened somewhere on some day.</description></item>")
    good = [1, 3, 4]
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile Wire</title>'
            + "".join(items) + "</channel></rss>"), good


def _write(kind: str, path: Path, rng: random.Random, serial: int, man: Manifest,
           outside: Path) -> Path:
    """Write one file of ``kind``; returns the path written (suffix chosen here)."""
    if kind == "valid_txt":
        text, _ = _article(rng, serial)
        p = path.with_suffix(".txt")
        p.write_text(text + "\n", encoding="utf-8")
    elif kind == "valid_html":
        text, lang = _article(rng, serial)
        p = path.with_suffix(".html")
        p.write_text(f'<!DOCTYPE html><html lang="{lang}"><head><title>News</title></head><body>'
                     f"<nav><a href='/'>Home</a></nav><article><p>{text}</p></article>"
                     f"<footer>© Hostile Wire</footer></body></html>", encoding="utf-8")
    elif kind == "jsonl_mixed":
        text, valid, bad = _jsonl(rng, serial)
        p = path.with_suffix(".jsonl")
        p.write_text(text, encoding="utf-8")
        man.valid_lines += [f"{p}:{n}" for n in valid]
        man.bad_lines += [f"{p}:{n}" for n in bad]
    elif kind == "feed_bad_item":
        text, good = _feed(rng, serial)
        p = path.with_suffix(".rss")
        p.write_text(text, encoding="utf-8")
        man.valid_items += [f"{p}#item{n}" for n in good]
    elif kind == "binary":
        p = path.with_suffix(".txt")
        p.write_bytes(rng.randbytes(rng.randint(16, 2048)))
    elif kind == "nul_text":
        text, _ = _article(rng, serial)
        p = path.with_suffix(".txt")
        p.write_bytes(text.encode() + b"\x00\x00" + text.encode())
    elif kind == "wrong_encoding":
        p = path.with_suffix(".txt")
        p.write_bytes(bytes(rng.choice(range(0x80, 0xA0)) for _ in range(300)))
    elif kind == "utf16_no_bom":
        text, _ = _article(rng, serial)
        p = path.with_suffix(".txt")
        p.write_bytes(text.encode("utf-16-le"))
    elif kind == "empty":
        p = path.with_suffix(".txt")
        p.write_bytes(b"")
    elif kind == "whitespace":
        p = path.with_suffix(".txt")
        p.write_text(" \n\t\n \u00a0\u3000 \n", encoding="utf-8")
    elif kind == "zero_width":
        p = path.with_suffix(".txt")
        p.write_text("".join(rng.choice("\u200b\u200c\u200d\u2060\ufeff\u00ad\u202e\u3164")
                             for _ in range(rng.randint(30, 500))), encoding="utf-8")
    elif kind == "control_chars":
        p = path.with_suffix(".txt")
        p.write_bytes(bytes(rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 27]) for _ in range(400)))
    elif kind == "entity_bomb":
        p = path.with_suffix(".xml")
        ents = "".join(f'<!ENTITY e{i} "{"&e%d;" % (i - 1) * 10 if i else "boom"}">' for i in range(10))
        p.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]><rss><channel><item>'
                     f"<title>&e9;</title><description>&e9;</description></item></channel></rss>",
                     encoding="utf-8")
    elif kind == "xxe":
        p = path.with_suffix(".rss")
        p.write_text('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     "<rss><channel><item><title>&x;</title><description>&x;</description>"
                     "</item></channel></rss>", encoding="utf-8")
    elif kind == "malformed_xml":
        p = path.with_suffix(".xml")
        p.write_text("<rss><channel><item><title>cut off", encoding="utf-8")
    elif kind == "not_a_feed":
        p = path.with_suffix(".xml")
        p.write_text("<catalog><book>One</book></catalog>", encoding="utf-8")
    elif kind == "boilerplate_only":
        p = path.with_suffix(".txt")
        p.write_text("Share: Facebook · X\nWas this article helpful? Yes / No\nSubscribe\n",
                     encoding="utf-8")
    elif kind == "tiny":
        p = path.with_suffix(".txt")
        p.write_text(rng.choice(["ok", "Hi.", "1", "x y z"]), encoding="utf-8")
    elif kind == "huge_text":  # over the 200,000-character cap (distinct paragraphs: the
        p = path.with_suffix(".txt")  # boilerplate rules drop repeated ones)
        paras, size = [], 0
        while size < 260_000:
            para = f"Report {len(paras) + 1}: " + " ".join(rng.choice(_WORDS) for _ in range(60)) + "."
            paras.append(para)
            size += len(para) + 2
        p.write_text("\n\n".join(paras), encoding="utf-8")
    elif kind == "big_number":
        text, _ = _article(rng, serial)
        p = path.with_suffix(".txt")
        digits = "".join(rng.choice("0123456789") for _ in range(5000 + rng.randint(0, 2000)))
        p.write_text(text + f" Officials counted {digits} cartridges and {digits[:4500]} dollars.\n",
                     encoding="utf-8")
    elif kind == "number_words":
        es = serial % 2 == 0
        word = "mil" if es else "thousand"
        lead = ("La policía incautó " if es else "Police seized ") + " ".join([word] * 400)
        p = path.with_suffix(".txt")
        p.write_text(lead + (" dólares en Tumaco." if es else " dollars in Tumaco.") + "\n",
                     encoding="utf-8")
    elif kind == "deep_html":
        text, _ = _article(rng, serial)
        p = path.with_suffix(".html")
        depth = 5000
        p.write_text("<html><body>" + "<div>" * depth + f"<p>{text}</p>" + "</div>" * depth
                     + "</body></html>", encoding="utf-8")
    elif kind == "comment_spam":
        text, _ = _article(rng, serial)
        p = path.with_suffix(".html")
        p.write_text("<html><body>" + "<!-- spam -->" * 20_000 + f"<p>{text}</p>"
                     + "<!--" * 2000 + "</body></html>", encoding="utf-8")
    elif kind == "long_line":  # one line of ~60,000 characters, no sentence end
        p = path.with_suffix(".txt")
        p.write_text(" ".join(rng.choice(_WORDS) for _ in range(12_000)), encoding="utf-8")
    elif kind == "symlink_out":
        target = outside / f"secret-{serial}.txt"
        target.write_text("This file lies outside the ingested folder and must not be read. " * 3,
                          encoding="utf-8")
        p = path.with_suffix(".txt")
        p.symlink_to(target)
    elif kind == "symlink_dir":
        p = path.with_suffix("")
        p.symlink_to(outside, target_is_directory=True)
    else:  # pragma: no cover - a kind without a writer is a bug here
        raise ValueError(f"unknown kind {kind}")
    return p


def generate(out: Path, files: int = 1000, seed: int = 12) -> Manifest:
    """Write the hostile corpus under ``out/corpus`` (``out/outside`` holds link targets).
    Same ``files`` and ``seed``, same bytes."""
    out = Path(out)
    corpus, outside = out / "corpus", out / "outside"
    for d in (corpus, outside):
        d.mkdir(parents=True, exist_ok=True)
        if any(d.iterdir()):
            raise FileExistsError(f"{d} is not empty; give an empty or new --out folder")
    rng = random.Random(seed)
    plan = [k for k, every in _RARE for _ in range(max(1, files // every))]
    names, weights = zip(*_KINDS)
    plan += rng.choices(names, weights=weights, k=max(0, files - len(plan)))
    rng.shuffle(plan)
    man = Manifest(folder=str(corpus))
    for i, kind in enumerate(plan):
        sub = corpus / f"d{i // 100:02d}"
        sub.mkdir(exist_ok=True)
        _write(kind, sub / f"{i:05d}-{kind}", rng, i, man, outside)
        man.kinds[kind] = man.kinds.get(kind, 0) + 1
    man.files = len(plan)
    return man


# ----------------------------------------------------------------------------- running


@dataclass
class HostileResult:
    files: int
    documents: int
    ingested: int
    rejected: int
    reasons: dict[str, int]
    tracebacks: int
    hangs: int
    peak_rss_mb: float
    wall_s: float
    exit_code: int
    unreported: list[str]  #: inputs neither ingested nor rejected with a message
    lost_lines: list[str]  #: valid JSONL lines (or feed items) not kept
    bad_lines_accepted: list[str]  #: bad JSONL lines that were not reported
    stderr_tail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_hostile(man: Manifest, db_path: Path, *, timeout_s: float | None = None,
                extra: list[str] | None = None) -> HostileResult:
    """``cronica ingest`` over the corpus in a child process; read its report and stderr."""
    report_path = db_path.with_suffix(".report.json")
    cmd = [sys.executable, "-c", "from cronica.cli import main; main()", "ingest",
           "--db", f"sqlite:///{db_path}", "--no-progress", "--report", str(report_path)]
    if timeout_s is not None:
        cmd += ["--timeout", str(timeout_s)]
    cmd += (extra or []) + [man.folder]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                          env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB, Linux
    tracebacks = proc.stderr.count("Traceback (most recent call last)")
    try:
        rep = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        rep = {"inputs": 0, "documents": 0, "counts": {}, "failed": 0, "reasons": {}, "errors": []}
        tracebacks = max(tracebacks, 1)  # the run did not finish
    errors = {e["source"]: e["problem"] for e in rep["errors"]}
    counts = rep["counts"]
    ingested = sum(counts.get(k, 0) for k in ("added", "replaced", "unchanged"))
    # every input is accounted for: a document or an error whose source names it
    # (JSONL lines are "PATH:N", feed items "PATH#itemN", a file cut short "PATH (after ...")
    named = {_input_of(src) for src in errors} | {_input_of(src) for src, _ in rep.get("outcomes", [])}
    unreported = []
    for root, dirs, names in os.walk(man.folder):
        for name in dirs + names:
            p = os.path.join(root, name)
            if (os.path.islink(p) or not os.path.isdir(p)) and p not in named:
                unreported.append(p)
    lost = [s for s in man.valid_lines + man.valid_items if s in errors]
    accepted_bad = [s for s in man.bad_lines if s not in errors]
    return HostileResult(
        files=man.files, documents=rep["documents"], ingested=ingested, rejected=rep["failed"],
        reasons=rep["reasons"], tracebacks=tracebacks, hangs=rep["reasons"].get("time budget", 0),
        peak_rss_mb=round(peak, 1), wall_s=round(wall, 1), exit_code=proc.returncode,
        unreported=unreported, lost_lines=lost, bad_lines_accepted=accepted_bad,
        stderr_tail=proc.stderr[-2000:] if tracebacks else "")


def _input_of(source: str) -> str:
    """The input file a document's or error's source comes from."""
    source = source.split(" (after ", 1)[0].split("#item", 1)[0]
    head, _, tail = source.rpartition(":")
    return head if head and tail.isdigit() else source


def format_hostile(r: HostileResult) -> str:
    lines = [
        f"files              {r.files}",
        f"documents read     {r.documents}",
        f"ingested           {r.ingested}",
        f"rejected           {r.rejected}",
    ]
    lines += [f"  {reason:<18} {n}" for reason, n in sorted(r.reasons.items(), key=lambda x: -x[1])]
    lines += [
        f"tracebacks         {r.tracebacks}",
        f"hangs              {r.hangs} (documents that hit the time budget)",
        f"peak RSS           {r.peak_rss_mb:.0f} MiB (largest process)",
        f"wall time          {r.wall_s:.1f} s",
        f"unreported inputs  {len(r.unreported)}",
        f"valid JSONL lines / feed items lost  {len(r.lost_lines)}",
        f"bad JSONL lines not reported         {len(r.bad_lines_accepted)}",
    ]
    if r.stderr_tail:
        lines += ["", "stderr (tail):", r.stderr_tail]
    return "\n".join(lines)
