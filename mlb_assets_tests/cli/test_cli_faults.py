"""Hostile input and broken warehouses: every command answers in one line, exits 2, and
leaves nothing behind."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import pytest

from mlb_assets.cli import main
from mlb_assets.cli.inputs import FEATURE_BOUNDS
from mlb_assets.features.names import ALL_FEATURES
from mlb_assets_tests.bounds import run_bounded
from mlb_assets_tests.conftest import env_for, query_copy
from mlb_assets_tests.faults import needs_read_only, run_on_read_only

BIN = Path(sys.executable).parent
PREDICT = ["predict", "--pitcher", "gerrit_cole", "--date", "2019-06-01"]


def one_line_error(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    """Run the command in-process; it must exit 2 with one line on stderr and nothing else."""
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def no_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings pointing at a warehouse that does not exist (nothing may create it)."""
    path = tmp_path / "absent" / "warehouse.duckdb"
    monkeypatch.setenv("MLB_DUCKDB_PATH", str(path))
    monkeypatch.setenv("MLB_MODEL_STORE", str(tmp_path / "absent" / "models"))
    return path


HOSTILE_FEATURES = [
    ('{"k_avg_last_3": 1e308}', "k_avg_last_3=1e308", "a number from 0 to 30"),
    ('{"k_avg_last_3": 1e999}', "k_avg_last_3=1e999", "a number from 0 to 30"),
    ('{"season_strikeouts": ' + "9" * 5000 + "}", "<5000 characters>", "from 0 to 600"),
    ('{"k_avg_last_3": true}', "k_avg_last_3=true", "a number from 0 to 30"),
    ('{"season_games_started": -3}', "season_games_started=-3", "a whole number from 0 to 45"),
    ('{"season_games_started": 2.5}', "season_games_started=2.5", "a whole number"),
    ('{"k_avg_last_3": NaN}', "k_avg_last_3=NaN", "a number from 0 to 30"),
    ('{"k_avg_last_3": "7"}', 'k_avg_last_3="7"', "a number from 0 to 30"),
    ('{"k_avg_last_3": 1, "k_avg_last_3": 2}', "k_avg_last_3 more than once", ""),
    ("[" * 100_000 + "]" * 100_000, "nests too deeply", "flat JSON object"),
    ('{"k_avg_last_3": ' + "[" * 100_000 + "]" * 100_000 + "}", "nests too deeply", ""),
]


@pytest.mark.parametrize(("given", "names", "allowed"), HOSTILE_FEATURES)
def test_hostile_features_are_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], no_warehouse: Path, given: str, names: str, allowed: str
) -> None:
    line = one_line_error(capsys, [*PREDICT, "--features-json", given])
    assert line.startswith("mlb-assets: error: --features-json")
    assert names in line and allowed in line
    assert not no_warehouse.parent.exists()


HOSTILE_ARGS = [
    (["--date", "9999-12-31"], "--date=9999-12-31 is not allowed: a game date from 1900-01-01"),
    (["--date", "0001-01-01"], "--date=0001-01-01 is not allowed"),
    (["--line", "7.5", "--over-odds", "0"], "--over-odds=0 is not allowed: American odds"),
    (["--line", "7.5", "--over-odds", "+50"], "--over-odds=+50 is not allowed"),
    (["--line", "7.5", "--under-odds", "-50"], "--under-odds=-50 is not allowed"),
    (["--line", "7.5", "--over-odds", "-1e11"], "--over-odds=-1e11 is not allowed"),
    (["--line", "7.5", "--over-odds", "-115.5"], "--over-odds=-115.5 is not allowed"),
    (["--line", "nan"], "--line=nan is not allowed: a strikeout line"),
    (["--line", "1e308"], "--line=1e308 is not allowed"),
    (["--over-odds", "-100000000"], "--over-odds=-100000000 is not allowed"),
]


@pytest.mark.parametrize(("extra", "message"), HOSTILE_ARGS)
def test_impossible_dates_lines_and_odds_are_refused(
    capsys: pytest.CaptureFixture[str], no_warehouse: Path, extra: list[str], message: str
) -> None:
    args = ["predict", "--pitcher", "gerrit_cole", "--date", "2019-06-01", *extra]
    if "--date" in extra:
        args = ["predict", "--pitcher", "gerrit_cole", *extra, "--features-json", "{}"]
    line = one_line_error(capsys, args)
    assert message in line, line
    assert "from -100000 to -100 or from +100 to +100000" in line or "odds" not in message
    assert not no_warehouse.parent.exists()


def test_accuracy_refuses_impossible_dates(
    capsys: pytest.CaptureFixture[str], no_warehouse: Path
) -> None:
    line = one_line_error(capsys, ["accuracy", "--start", "0001-01-01"])
    assert "--start=0001-01-01 is not allowed" in line


def test_every_feature_has_a_bound_and_sane_values_pass(
    capsys: pytest.CaptureFixture[str], no_warehouse: Path
) -> None:
    assert set(FEATURE_BOUNDS) == set(ALL_FEATURES)
    typical = {name: bound.low for name, bound in FEATURE_BOUNDS.items()}
    code = main([*PREDICT, "--features-json", json.dumps(typical), "--system", "v1_baseline"])
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out)["feature_coverage_pct"] == 100.0


@pytest.mark.slow
def test_hostile_input_from_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "MLB_DUCKDB_PATH": str(tmp_path / "absent.duckdb")}
    for extra in (
        ["--features-json", '{"k_avg_last_3": 1e308}'],
        ["--line", "7.5", "--over-odds", "-1e11"],
    ):
        done = run_bounded(
            [str(BIN / "mlb-assets"), *PREDICT, *extra], "mlb-assets predict", env=env
        )
        assert done.returncode == 2 and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "absent.duckdb").exists()


# -- no warehouse -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args", [PREDICT, ["accuracy", "--start", "2019-06-01", "--end", "2019-06-30"]]
)
def test_without_a_warehouse_commands_say_how_to_build_one(
    capsys: pytest.CaptureFixture[str], no_warehouse: Path, args: list[str]
) -> None:
    line = one_line_error(capsys, args)
    assert f"no DuckDB warehouse at {no_warehouse}" in line
    assert "`make demo`" in line and "`mlb-assets demo seed`" in line
    assert not no_warehouse.exists() and not no_warehouse.parent.exists()


# -- a read-only warehouse -----------------------------------------------------------------------
@pytest.mark.slow
@needs_read_only
def test_predict_reads_a_warehouse_on_a_read_only_file_system(seeded: Path) -> None:
    day = date(2019, 6, 4)
    pitcher = query_copy(
        seeded,
        "SELECT pitcher_lookup FROM mlb_precompute.scheduled_starters WHERE game_date = @d "
        "ORDER BY pitcher_lookup LIMIT 1",
        d=day,
    )["pitcher_lookup"][0]
    done = run_on_read_only(
        seeded,
        [str(BIN / "mlb-assets"), "predict", "--pitcher", pitcher, "--date", str(day)],
        env=env_for(seeded),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["pitcher_lookup"] for r in rows] == [pitcher] * 3


# -- demo seed over a materialized warehouse -------------------------------------------------------
def test_demo_seed_refuses_to_wipe_a_materialized_warehouse_without_force(
    prepared: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env_for(prepared).items():
        monkeypatch.setenv(key, value)
    models = prepared / "models"
    model_files = sorted(p for p in models.rglob("*") if p.is_file())
    slice_rows = "SELECT COUNT(*) AS n FROM mlb_precompute.feature_store_slice"
    before = query_copy(prepared, slice_rows)["n"][0]
    assert before > 0 and model_files

    line = one_line_error(capsys, ["demo", "seed"])
    assert "--force" in line and f"mlb_precompute.feature_store_slice ({before:,} rows)" in line
    assert f"{len(model_files)} model files in {models}" in line
    assert query_copy(prepared, slice_rows)["n"][0] == before  # nothing touched
    assert sorted(p for p in models.rglob("*") if p.is_file()) == model_files

    assert main(["demo", "seed", "--force"]) == 0
    out = capsys.readouterr().out
    removing = next(line for line in out.splitlines() if line.startswith("removing: "))
    assert "mlb_precompute.feature_store_slice" in removing and "model files" in removing
    assert query_copy(prepared, slice_rows)["n"][0] == 0
    assert not any(p.is_file() for p in models.rglob("*"))  # no stale model left to serve

    assert main(["demo", "seed"]) == 0  # a seeded-only warehouse holds nothing to lose
