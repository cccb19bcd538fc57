"""Every benchmark still runs and prints its table, at its smallest size.

Benchmarks are not tests: nothing here asserts a timing (this machine is shared and noisy).
This only keeps the scripts from rotting as the code they measure changes. They reuse the
session's prepared warehouse and models instead of seeding and training their own, and run in
the test's process (their `main`, as the script calls it): the process is not what is tested,
and a new one would pay the imports again. `--help` in a fresh process is `test_imports.py`'s.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from mlb_assets_tests.bounds import run_bounded
from mlb_assets_tests.conftest import PREPARED_MODEL_MONTHS

pytestmark = pytest.mark.slow
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


# A month the session's prepared warehouse has models for.
MONTH = PREPARED_MODEL_MONTHS[-1]


@pytest.mark.parametrize(
    ("script", "extra", "table"),
    [
        ("bench_predict.py", ["--date", MONTH], "### Prediction, all 3 systems"),
        (
            "bench_batch.py",
            ["--date", MONTH],
            "### Batch: per-pitcher-per-system (a) vs shared frame (b)",
        ),
        # On the demo's persistent instance: the in-memory default shares all but the instance.
        (
            "bench_backfill.py",
            ["--start", MONTH, "--instance", "demo"],
            "### Backfill of 2 dates",
        ),
    ],
)
def test_benchmark_prints_its_table(
    prepared_dir: Path,
    script: str,
    extra: list[str],
    table: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The scripts import their siblings (benchargs, benchlib, run_*) by name, as when run.
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script_module = importlib.import_module(script.removesuffix(".py"))
    assert script_module.main(["--quick", "--prepared", str(prepared_dir), *extra]) == 0
    out = capsys.readouterr().out
    assert table in out
    assert "\n|---|" in out
    assert "Machine: " in out


def test_seasons_benchmark_materializes_one_season_and_prints_its_table() -> None:
    """It seeds its own warehouse (each season count needs a fresh one), so no --prepared."""
    command = [sys.executable, str(BENCHMARKS / "bench_seasons.py"), "--quick"]
    result = run_bounded(command, "bench_seasons.py --quick")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "### The whole graph (models, daily slate, grades, performance" in result.stdout
    assert "\n|---|" in result.stdout and "Machine: " in result.stdout
    # One season, its first 6 dates, and all four runs succeeded.
    assert "\n| 2019-2019 | 1 | 6 | 4/4 |" in result.stdout
