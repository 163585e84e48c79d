"""``cronica muc4 predict|score|bench`` and ``cronica bench muc4`` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cronica.cli import main

MUC4 = Path(__file__).resolve().parents[1].parent / "shared" / "muc4"
needs_muc4 = pytest.mark.skipif(not (MUC4 / "gtt" / "dev.jsonl").is_file(),
                                reason=f"MUC-4 data not found at {MUC4}")

STORY = ("guerrillas of the farabundo marti national liberation front (fmln) set fire to a bus "
         "and kidnapped the mayor of san miguel on 3 march, police said.")


def test_predict_rejects_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"docid": "a", "doctext": "x"}\n{"docid": "b"}\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["muc4", "predict", str(src), "-o", str(tmp_path / "o.jsonl")])
    assert res.exit_code != 0
    assert "in.jsonl:2: expected" in res.output
    res = CliRunner().invoke(main, ["muc4", "predict", str(tmp_path / "missing.jsonl"), "-o", "o"])
    assert res.exit_code != 0 and "missing.jsonl: cannot read" in res.output


@pytest.mark.slow
def test_predict_any_case_and_failures_do_not_stop_the_run(tmp_path: Path) -> None:
    from cronica.muc4.view import default_extractor, predict_rows

    rows = [{"docid": "up", "doctext": STORY.upper()}, {"docid": "low", "doctext": STORY},
            {"docid": "broken", "doctext": None},
            {"docid": "mixed", "doctext": "Guerrillas of the FMLN set fire to a bus in San Miguel."}]
    errors: list[str] = []
    out = list(predict_rows(rows, default_extractor(), on_error=lambda d, e: errors.append(f"{d}: {e}")))
    assert [o["docid"] for o in out] == ["up", "low", "broken", "mixed"]
    assert errors == ["broken: 'doctext' missing or not a string"]
    assert out[2]["templates"] == []
    for o in out:
        for t in o["templates"]:
            assert t["incident_type"] in ("attack", "bombing", "kidnapping", "arson", "robbery",
                                          "forced work stoppage")
            text = next(r["doctext"] for r in rows if r["docid"] == o["docid"])
            for role in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon"):
                for entity in t[role]:
                    assert all(m in text for m in entity)  # mentions as written in the input
    # the same story in upper and lower case gives the same templates, modulo case
    norm = [json.dumps(o["templates"]).lower() for o in out[:2]]
    assert norm[0] == norm[1]

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows if r["doctext"]), encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["muc4", "predict", str(src), "-o", str(dst)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    assert [x["docid"] for x in lines] == ["up", "low", "mixed"]


@needs_muc4
def test_score_command_on_gold_and_on_nothing(tmp_path: Path) -> None:
    gold = [json.loads(x) for x in (MUC4 / "gtt" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:5]]
    perfect = tmp_path / "perfect.jsonl"
    perfect.write_text("".join(json.dumps({"docid": g["docid"], "templates": g["templates"]}) + "\n"
                               for g in gold), encoding="utf-8")
    res = CliRunner().invoke(main, ["muc4", "score", str(perfect), "--muc4-dir", str(MUC4), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["gtt"]["micro"]["f1"] == 100.0 and out["ree"]["micro"]["f1"] == 100.0
    empty = tmp_path / "empty.jsonl"
    empty.write_text("".join(json.dumps({"docid": g["docid"], "templates": []}) + "\n" for g in gold),
                     encoding="utf-8")
    out = json.loads(CliRunner().invoke(main, ["muc4", "score", str(empty), "--muc4-dir", str(MUC4),
                                               "--json"]).output)
    assert out["gtt"]["micro"]["f1"] == 0.0 and out["gtt"]["micro"]["gold"] > 0


def test_bench_reports_missing_data_clearly(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["muc4", "bench", "--muc4-dir", str(tmp_path)])
    assert res.exit_code != 0 and "MUC-4 data:" in res.output and "no such file" in res.output


@pytest.mark.slow
@needs_muc4
def test_bench_muc4_runs_on_a_few_dev_documents() -> None:
    commands = [["muc4", "bench"]]
    if "bench" in main.commands and "muc4" in main.commands["bench"].commands:  # type: ignore[attr-defined]
        commands.append(["bench", "muc4"])
    for cmd in commands:
        res = CliRunner().invoke(main, [*cmd, "--split", "dev", "--limit", "3", "--muc4-dir", str(MUC4), "--json"])
        assert res.exit_code == 0, res.output
        out = json.loads(res.output[res.output.index("{"):])
        assert out["documents"] == 3 and out["docs_per_s"] > 0 and out["peak_rss_mb"] > 0
        assert set(out["scores"]) == {"ree", "gtt"}
        assert out["scores"]["gtt"]["documents"] == 3
