"""``cronica bench growth``: the tiny version runs and prints every field (no timing
assertions: the benchmark itself reports speed)."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from cronica.bench.gold import BenchError
from cronica.bench.growth import (ADVERSARIAL_CHARS, adversarial_inputs, fit_exponent,
                                  realistic_text, run_growth)
from cronica.cli import main


def test_realistic_text_is_deterministic_and_sized() -> None:
    a = realistic_text(5000, "es")
    assert a == realistic_text(5000, "es") and len(a) == 5000
    assert a != realistic_text(5000, "es", seed=2)
    assert "\n\n" in a
    with pytest.raises(BenchError, match="at least 1 character"):
        realistic_text(0)


def test_adversarial_inputs_are_about_the_asked_size() -> None:
    inputs = adversarial_inputs()
    assert len(inputs) >= 20
    assert {kind for _, _, kind, _ in inputs} == {"text", "html"}
    for name, lang, _, content in inputs:
        assert lang in ("en", "es")
        assert ADVERSARIAL_CHARS * 0.5 <= len(content) <= ADVERSARIAL_CHARS * 1.3, name


def test_fit_exponent() -> None:
    sizes = [25, 50, 100, 200]
    assert fit_exponent(sizes, [3 * s ** 1.5 for s in sizes]) == pytest.approx(1.5)
    assert fit_exponent(sizes, [0.1 * s for s in sizes]) == pytest.approx(1.0)
    assert fit_exponent([10], [1.0]) is None


def test_bad_options_are_refused() -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["bench", "growth", "--sizes", "1,abc"])
    assert r.exit_code != 0 and "--sizes" in r.output and "1,abc" in r.output
    with pytest.raises(BenchError, match="--repeat"):
        run_growth([1], repeat=0)
    with pytest.raises(BenchError, match="language"):
        run_growth([1], lang="fr")


def test_tiny_growth_run_prints_every_field() -> None:
    r = CliRunner().invoke(main, ["bench", "growth", "--sizes", "1,2", "--adversarial-chars", "150"])
    assert r.exit_code == 0, r.output
    out = r.output
    for field in ("size", "extract s", "peak RSS MiB", "growth exponent:", "worst adversarial input:",
                  "HTML comment spam", "es 'mil' repeated", "result:"):
        assert field in out, field
    assert "1KB" in out and "2KB" in out


def test_tiny_growth_json() -> None:
    r = CliRunner().invoke(main, ["bench", "growth", "--sizes", "1", "--adversarial-chars", "0", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert [s["kb"] for s in d["sizes"]] == [1]
    s = d["sizes"][0]
    assert s["chars"] == 1000 and s["rss_peak_bytes"] > 0 and math.isfinite(s["extract_s"])
    assert d["exponent"] is None and d["adversarial"] == [] and d["limits"]["max_exponent"] == 1.2
