"""A reversed partition range is refused, not run as an empty window that "succeeds"."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRunStatus

from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.bounds import run_bounded
from mlb_assets_tests.conftest import defs_for, query_copy

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]
REVERSED = "the partition range 2019-06-07...2019-06-01 is reversed"


def test_a_reversed_range_fails_every_step_and_writes_nothing(seeded: Path) -> None:
    selection = ["feature_store_slice", "il_roster", "prop_lines"]
    result = materialize_range(
        defs_for(seeded), selection, "2019-06-07", "2019-06-01", raise_on_error=False
    )
    assert not result.success
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert sorted(e.step_key for e in failures) == sorted(selection)
    for event in failures:
        assert REVERSED in event.event_specific_data.error.message
        assert "did you mean 2019-06-01...2019-06-07?" in event.event_specific_data.error.message
    assert not result.get_asset_materialization_events()
    rows = query_copy(seeded, "SELECT COUNT(*) AS n FROM mlb_precompute.prop_lines")["n"][0]
    assert rows == 0


@pytest.mark.parametrize("monthly", ["strikeout_models", "system_performance"])
def test_a_reversed_month_range_is_refused_in_one_line(seeded: Path, monthly: str) -> None:
    """The monthly assets read their months from the partition keys, which a reversed range
    leaves empty: refused with the same message, not an IndexError."""
    result = materialize_range(
        defs_for(seeded), [monthly], "2019-06-01", "2019-04-01", raise_on_error=False
    )
    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = failure.event_specific_data.error.message
    assert "the partition range 2019-06-01...2019-04-01 is reversed" in message
    assert "did you mean 2019-04-01...2019-06-01?" in message
    assert "IndexError" not in message
    assert not result.get_asset_materialization_events()


@pytest.mark.slow
def test_the_dagster_cli_rejects_a_reversed_range(seeded: Path, tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    done = run_bounded(
        [
            str(BIN / "dagster"),
            *("asset", "materialize", "-m", "mlb_assets.definitions"),
            *("--select", "prop_lines", "--partition-range", "2019-06-07...2019-06-01"),
        ],
        "dagster asset materialize of a reversed range",
        cwd=REPO,
        env={
            **os.environ,
            "DAGSTER_HOME": str(home),
            "MLB_DUCKDB_PATH": str(seeded / "warehouse.duckdb"),
        },
    )
    assert done.returncode != 0
    assert REVERSED in done.stdout + done.stderr
    with DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs()
        assert len(runs) == 1 and runs[0].status == DagsterRunStatus.FAILURE
