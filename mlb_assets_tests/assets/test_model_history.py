"""strikeout_models on a warehouse with no starts in its training window says so, and trains
nothing (it used to crash comparing an empty datetime column with a date)."""

from __future__ import annotations

from pathlib import Path

from mlb_assets.demo.runs import materialize_range
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.migrations import migrate
from mlb_assets_tests.conftest import defs_for


def test_models_without_any_history_fail_naming_the_window(tmp_path: Path) -> None:
    work = tmp_path / "mlb"
    warehouse = DuckDBWarehouse(path=str(work / "warehouse.duckdb"), create_if_missing=True)
    migrate(warehouse)  # every table, no rows
    warehouse.close()
    result = materialize_range(
        defs_for(work), ["strikeout_models"], "2019-06-01", "2019-06-01", raise_on_error=False
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    error = failure.event_specific_data.error
    assert error.cls_name == "Failure", error.to_string()
    assert "no starts to learn from between 2017-06-01 and 2019-05-31" in error.message
    assert "mlb_analytics.pitcher_game_summary" in error.message
    assert "mlb-assets demo seed" in error.message
    assert not (work / "models").exists()  # nothing trained, nothing saved
