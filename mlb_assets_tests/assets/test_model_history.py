"""strikeout_models on a warehouse with no starts in its training window says so, and trains
nothing (it used to crash comparing an empty datetime column with a date)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.migrations import migrate
from mlb_assets_demo.runs import materialize_range
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


def test_months_between_seasons_train_nothing(seeded: Path) -> None:
    """The seeded 2018 season ends on 2018-09-30 and 2019 begins on 2019-03-28: October to
    February hold no game, so a run over 2018-10..2019-03 trains only March 2019."""
    defs = defs_for(seeded, partitions_start=date(2018, 3, 29))
    result = materialize_range(defs, ["strikeout_models"], "2018-10-01", "2019-03-01")
    assert result.success
    events = result.get_asset_materialization_events()
    # Every month of the range is materialized, each with the run's summary.
    assert sorted(e.materialization.partition for e in events) == [
        "2018-10-01",
        "2018-11-01",
        "2018-12-01",
        "2019-01-01",
        "2019-02-01",
        "2019-03-01",
    ]
    metadata = events[0].materialization.metadata
    assert metadata["months_between_seasons"].value == "2018-10, 2018-11, 2018-12, 2019-01, 2019-02"
    assert metadata["models_trained"].value == 2  # March 2019, both systems
    trained = {row.data["month"] for row in metadata["models"].value.records}
    assert trained == {"2019-03"}
    assert sorted(p.name for p in (seeded / "models").glob("*/*")) == ["2019-03", "2019-03"]
