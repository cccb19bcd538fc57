"""The `mlb-assets` and `dagster` command lines, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlb_assets.cli import main
from mlb_assets_tests.bounds import run_bounded
from mlb_assets_tests.conftest import env_for, query_copy

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_bounded(args, Path(args[0]).name, cwd=REPO, env={**os.environ, **(env or {})})


@pytest.mark.slow
def test_help_answers() -> None:
    done = run([str(BIN / "mlb-assets"), "--help"])
    assert done.returncode == 0
    for command in ("migrate", "demo", "predict"):
        assert command in done.stdout


@pytest.fixture(autouse=True)
def command_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command reads its settings from the environment: point it at the test's copy."""
    for name in ("prepared", "seeded"):
        if name in request.fixturenames:
            for key, value in env_for(request.getfixturevalue(name)).items():
                monkeypatch.setenv(key, value)


def predict(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict], str]:
    code = main(["predict", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


def test_predict_from_the_warehouse_prints_one_object_per_system(
    prepared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pitcher = query_copy(
        prepared,
        "SELECT pitcher_lookup FROM mlb_precompute.prop_lines WHERE game_date = '2019-06-04' "
        "ORDER BY pitcher_lookup LIMIT 1",
    )["pitcher_lookup"][0]
    code, rows, _ = predict(capsys, "--pitcher", pitcher, "--date", "2019-06-04")
    assert code == 0
    assert [r["system_id"] for r in rows] == ["v1_baseline", "v1_6_rolling", "ensemble_v1"]
    for row in rows:
        assert row["pitcher_lookup"] == pitcher and row["strikeouts_line"] is not None
        assert row["model_version"].startswith(("v1", "ensemble_v1(v1_baseline-2019-06"))
        assert 0 <= row["p_over"] <= 1 and not row["is_fallback"]

    code, rows, _ = predict(
        capsys,
        "--pitcher",
        pitcher,
        "--date",
        "2019-06-04",
        "--line",
        "7.5",
        "--over-odds",
        "-115",
        "--under-odds",
        "-105",
        "--system",
        "v1_baseline",
    )
    assert code == 0 and len(rows) == 1
    assert rows[0]["strikeouts_line"] == 7.5 and rows[0]["over_odds"] == -115
    assert isinstance(rows[0]["over_odds"], int) and isinstance(rows[0]["under_odds"], int)


def test_predict_with_only_given_features(
    prepared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows, _ = predict(
        capsys,
        "--pitcher",
        "gerrit_cole",
        "--date",
        "2019-06-01",
        "--features-json",
        '{"k_avg_last_3": 7.2}',
        "--system",
        "v1_baseline",
    )
    assert code == 0 and len(rows) == 1
    row = rows[0]
    assert row["feature_coverage_pct"] == 4.0
    assert len(row["missing_features"]) == 24
    assert row["base_confidence"] == 60.0 and row["confidence"] == 35.0  # 60 - 25
    assert "low_coverage: 4.0% of features present (-25 confidence)" in row["red_flags"]
    assert row["recommendation"] == "NO_LINE"


BAD_INPUT = [
    (["--pitcher", "nobody_at_all", "--date", "2019-06-01"], "not a scheduled starter"),
    (["--pitcher", "gerrit_cole", "--date", "2019-13-01"], "--date must be YYYY-MM-DD"),
    (
        ["--pitcher", "gerrit_cole", "--date", "2019-06-01", "--features-json", "{bad"],
        "not valid JSON",
    ),
    (
        ["--pitcher", "gerrit_cole", "--date", "2019-06-01", "--features-json", '{"x": 1}'],
        "unknown features",
    ),
    (["--pitcher", "gerrit_cole", "--date", "2019-06-01", "--over-odds", "-120"], "need --line"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_exits_2_with_one_line(
    seeded: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["predict", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


@pytest.mark.slow
def test_bad_input_from_a_real_process(seeded: Path) -> None:
    args, message = BAD_INPUT[0]
    done = run(
        [str(BIN / "mlb-assets"), "predict", *args],
        env={"MLB_DUCKDB_PATH": str(seeded / "warehouse.duckdb")},
    )
    assert done.returncode == 2 and done.stdout == ""
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_migrate_twice(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In-process: what is under test is migrating a migrated warehouse again; the command as
    a real process (its entry point, exit code and stderr) is covered by the tests above."""
    assert main(["migrate"]) == 0
    capsys.readouterr()
    assert main(["migrate"]) == 0
    assert "migrations applied to duckdb" in capsys.readouterr().out


def test_migrate_creates_a_missing_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`mlb-assets migrate` is what every "no warehouse" message tells the user to run."""
    path = tmp_path / "new" / "warehouse.duckdb"
    monkeypatch.setenv("MLB_DUCKDB_PATH", str(path))
    assert main(["migrate"]) == 0
    assert "migrations applied to duckdb" in capsys.readouterr().out
    tables = query_copy(path.parent, "SELECT COUNT(*) AS n FROM mlb_predictions.pitcher_strikeouts")
    assert tables["n"][0] == 0


def test_demo_seed_refuses_bigquery(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MLB_WAREHOUSE", "bigquery")
    assert main(["demo", "seed"]) == 2
    assert "DuckDB" in capsys.readouterr().err


@pytest.mark.slow
def test_dagster_cli_materializes_a_month_as_one_run(seeded: Path, tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = {"DAGSTER_HOME": str(home), "MLB_DUCKDB_PATH": str(seeded / "warehouse.duckdb")}
    done = run(
        [
            str(BIN / "dagster"),
            "asset",
            "materialize",
            "-m",
            "mlb_assets.definitions",
            "--select",
            "feature_store_slice,il_roster,prop_lines",
            "--partition-range",
            "2019-06-01...2019-06-30",
        ],
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    from dagster import DagsterInstance, DagsterRunStatus

    with DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs()
        assert len(runs) == 1 and runs[0].status == DagsterRunStatus.SUCCESS
    days = query_copy(
        seeded, "SELECT COUNT(DISTINCT game_date) AS n FROM mlb_precompute.feature_store_slice"
    )["n"][0]
    assert days == 30
