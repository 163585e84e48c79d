"""Plain-text rendering of benchmark results (the ``--json`` form is ``to_dict``)."""

from __future__ import annotations

from cronica.bench.metrics import ACCURACIES, TALLIES
from cronica.bench.scoring import Report, Scores

LABELS: dict[str, str] = {
    "incidents.typed": "incidents typed (all statuses)",
    "incidents.untyped": "incidents untyped (all statuses)",
    "incidents.typed.current": "incidents typed (current)",
    "incidents.untyped.current": "incidents untyped (current)",
    "event.targets": "event targets (matched pairs)",
    "event.perpetrators": "event perpetrators (matched pairs)",
    "figures": "figures (claims)",
    "groups": "groups",
    "people": "people",
    "quotes": "quotes",
    "event.killed": "killed (value+qualifier)",
    "event.killed.loose": "killed (value only)",
    "event.wounded": "wounded (value+qualifier)",
    "event.wounded.loose": "wounded (value only)",
    "event.date": "date (at gold precision)",
    "event.country": "country",
    "event.perpetrator": "perpetrator (parent credit)",
    "event.status": "status",
    "figures.claimant": "figure claimant",
    "quotes.speaker": "quote speaker",
}


def pct(x: float | None) -> str:
    """A ratio as a percentage with one decimal, ``-`` when undefined."""
    return "-" if x is None else f"{100 * x:.1f}"


def format_scores(lang: str, s: Scores) -> str:
    """One language block: a P/R/F1 table, then accuracies on matched items."""
    w = max(len(v) for v in LABELS.values())
    lines = [f"== {lang.upper()} ({s.articles} article{'s' if s.articles != 1 else ''}) ==",
             f"{'':{w}}  {'gold':>5} {'found':>5} {'pred':>5} {'right':>5}  {'P%':>5} {'R%':>5} {'F1%':>5}"]
    for k in TALLIES:
        t = s.tallies[k]
        lines.append(f"{LABELS[k]:{w}}  {t.gold:>5} {t.gold_hit:>5} {t.pred:>5} {t.pred_ok:>5}  "
                     f"{pct(t.precision):>5} {pct(t.recall):>5} {pct(t.f1):>5}")
    lines.append(f"{'accuracy on matched pairs':{w}}  {'right':>5} {'of':>5} {'acc%':>5}")
    for k in ACCURACIES:
        a = s.accs[k]
        lines.append(f"{LABELS[k]:{w}}  {a.correct:>5} {a.total:>5} {pct(a.value):>5}")
    return "\n".join(lines)


def format_report(report: Report, details: bool = False) -> str:
    """The whole report: one block per language then ``all``; with ``details`` the
    per-article misses, spurious predictions and wrong fields, for error analysis."""
    blocks = [format_scores(lang, s) for lang, s in report.by_language().items()]
    blocks.append("Event fields are scored on the typed, all-status matching.")
    failed = [a for a in report.articles if a.note]
    if failed:
        blocks.append(f"{len(failed)} article(s) scored as predicting nothing:\n"
                      + "\n".join(f"  {a.file}: {a.note}" for a in failed))
    if report.unscored:
        blocks.append("Predictions for files not in the gold (ignored): " + ", ".join(report.unscored))
    if details:
        for a in report.articles:
            head = f"--- {a.file} [{a.language}]" + (f" ({a.note})" if a.note else "")
            body = ([f"  missed:   {m}" for m in a.missed] + [f"  spurious: {m}" for m in a.spurious]
                    + [f"  wrong:    {m}" for m in a.wrong])
            blocks.append("\n".join([head, *(body or ["  all correct"])]))
    return "\n\n".join(blocks)
