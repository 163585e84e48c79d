"""``cronica muc4 predict|score|bench`` and ``cronica bench muc4``: Cronica on the MUC-4
benchmark (data in ``../shared/muc4``, never in the repository)."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import click

from cronica.cli.base import json_option, main

DEFAULT_MUC4_DIR = Path("..") / "shared" / "muc4"


@main.group("muc4")
def muc4() -> None:
    """MUC-4 (1992 terrorism templates): predict templates, score them, benchmark."""


def _read_input(path: Path) -> list[dict[str, Any]]:
    rows = []
    try:
        fh = path.open(encoding="utf-8")
    except OSError as e:
        raise click.ClickException(f"{path}: cannot read ({e.strerror})") from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise click.ClickException(f"{path}:{n}: not valid JSON ({e.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("docid"), str) \
                    or not isinstance(row.get("doctext"), str):
                raise click.ClickException(f"{path}:{n}: expected {{\"docid\": str, \"doctext\": str}}")
            rows.append(row)
    return rows


def _log_error(docid: Any, e: Exception) -> None:
    click.echo(f"muc4: document {docid}: {type(e).__name__}: {e} (empty templates written)", err=True)


@muc4.command("predict")
@click.argument("input_path", metavar="INPUT.jsonl", type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="Where to write {docid, templates} lines.")
def predict_cmd(input_path: Path, output: Path) -> None:
    """Predict MUC-4 templates for each {"docid","doctext"} line of INPUT.jsonl (any case)."""
    from cronica.muc4.view import default_extractor, predict_rows

    rows = _read_input(input_path)
    extractor = default_extractor()
    n = 0
    with output.open("w", encoding="utf-8") as out:
        for pred in predict_rows(rows, extractor, on_error=_log_error):
            out.write(json.dumps(pred, ensure_ascii=False) + "\n")
            n += 1
    click.echo(f"{n} documents -> {output}", err=True)


@muc4.command("score")
@click.argument("predictions", type=click.Path(path_type=Path))
@click.option("--split", type=click.Choice(["dev", "train"]), default="dev", show_default=True)
@click.option("--muc4-dir", type=click.Path(path_type=Path), default=DEFAULT_MUC4_DIR, show_default=True)
@json_option
def score_cmd(predictions: Path, split: str, muc4_dir: Path, as_json: bool) -> None:
    """Score saved predictions (PREDICTIONS.jsonl) against the gold of a split."""
    from cronica.muc4.score import format_scores, load_predictions, score_all

    gtt, ree = _load_gold(muc4_dir, split)
    try:
        pred = load_predictions(predictions)
    except (OSError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    gtt = {d: t for d, t in gtt.items() if d in pred}
    ree = {d: r for d, r in ree.items() if d in pred}
    try:
        scores = score_all(gtt, ree, pred)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    if as_json:
        click.echo(json.dumps({k: v.as_dict() for k, v in scores.items()}, indent=2))
    else:
        click.echo(format_scores(scores))


def _load_gold(muc4_dir: Path, split: str) -> tuple[dict, dict]:
    from cronica.muc4.score import load_gtt_gold, load_ree_gold

    try:
        return load_gtt_gold(muc4_dir, split), load_ree_gold(muc4_dir, split)
    except (OSError, ValueError) as e:
        raise click.ClickException(f"MUC-4 data: {e}") from None


def run_bench(split: str, limit: int | None, muc4_dir: Path, save: Path | None) -> dict[str, Any]:
    """Predict and score a split; returns the report dict (scores, timing, memory)."""
    from cronica.muc4.view import default_extractor, predict_rows

    gtt, ree = _load_gold(muc4_dir, split)
    rows = [json.loads(line) for line in (muc4_dir / "gtt" / f"{split}.jsonl").open(encoding="utf-8")
            if line.strip()]
    if limit is not None:
        rows = rows[:limit]
    t0 = time.perf_counter()
    extractor = default_extractor()
    from cronica.muc4.view import make_document

    extractor.extract(make_document("Guerrillas attacked a farm."))  # load the models untimed
    failures: list[str] = []

    def on_error(docid: Any, e: Exception) -> None:
        failures.append(str(docid))
        _log_error(docid, e)

    t1 = time.perf_counter()
    preds = {p["docid"]: p["templates"] for p in predict_rows(rows, extractor, on_error=on_error)}
    t2 = time.perf_counter()
    if save is not None:
        with save.open("w", encoding="utf-8") as out:
            for d, t in preds.items():
                out.write(json.dumps({"docid": d, "templates": t}, ensure_ascii=False) + "\n")
    from cronica.muc4.score import score_all

    scores = score_all({d: gtt[d] for d in preds}, {d: ree[d] for d in preds}, preds)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "split": split, "documents": len(rows), "failures": failures,
        "scores": scores, "load_s": round(t1 - t0, 2), "predict_s": round(t2 - t1, 2),
        "docs_per_s": round(len(rows) / (t2 - t1), 2) if t2 > t1 else None,
        "peak_rss_mb": round(peak_kb / 1024 if sys.platform != "darwin" else peak_kb / 2**20, 1),
    }


def _bench_options(f: Any) -> Any:
    f = json_option(f)
    f = click.option("--save", type=click.Path(path_type=Path), default=None,
                     help="Also write the predictions (JSON lines) here.")(f)
    f = click.option("--muc4-dir", type=click.Path(path_type=Path), default=DEFAULT_MUC4_DIR,
                     show_default=True, help="The MUC-4 folder (with gtt/ and ree/).")(f)
    f = click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N documents.")(f)
    f = click.option("--split", type=click.Choice(["dev", "train"]), default="dev", show_default=True)(f)
    return f


def _bench(split: str, limit: int | None, muc4_dir: Path, save: Path | None, as_json: bool) -> None:
    from cronica.muc4.score import format_scores

    report = run_bench(split, limit, muc4_dir, save)
    if as_json:
        out = dict(report)
        out["scores"] = {k: v.as_dict() for k, v in report["scores"].items()}
        click.echo(json.dumps(out, indent=2))
        return
    click.echo(f"MUC-4 {report['split']}: {report['documents']} documents, "
               f"{len(report['failures'])} failed")
    click.echo(format_scores(report["scores"]))
    click.echo(f"speed: {report['docs_per_s']} documents/s (predict {report['predict_s']} s, "
               f"model load {report['load_s']} s); peak memory {report['peak_rss_mb']} MB RSS")


@muc4.command("bench")
@_bench_options
def bench_cmd(split: str, limit: int | None, muc4_dir: Path, save: Path | None, as_json: bool) -> None:
    """Predict a MUC-4 split with Cronica and print both metrics, speed and peak memory."""
    _bench(split, limit, muc4_dir, save, as_json)


try:  # also ``cronica bench muc4`` when the bench group exists
    from cronica.cli.bench import bench as _bench_group
except ImportError:  # pragma: no cover - the bench module is another engineer's
    _bench_group = None

if _bench_group is not None:
    @_bench_group.command("muc4")
    @_bench_options
    def bench_muc4_cmd(split: str, limit: int | None, muc4_dir: Path, save: Path | None, as_json: bool) -> None:
        """Predict a MUC-4 split with Cronica and print both metrics, speed and peak memory."""
        _bench(split, limit, muc4_dir, save, as_json)
