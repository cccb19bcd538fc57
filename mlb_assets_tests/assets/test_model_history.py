"""strikeout_models on a warehouse with no starts in its training window says so, and trains
nothing (it used to crash comparing an empty datetime column with a date)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.migrations import migrate
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import defs_for, per_partition, summaries


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
    months = per_partition(result, "strikeout_models")
    # Every month of the range is materialized, each with its OWN figures.
    assert sorted(months) == [
        "2018-10-01",
        "2018-11-01",
        "2018-12-01",
        "2019-01-01",
        "2019-02-01",
        "2019-03-01",
    ]
    for key in ("2018-10-01", "2018-11-01", "2018-12-01", "2019-01-01", "2019-02-01"):
        assert months[key]["month"].startswith(f"{key[:7]}: between seasons")
        assert months[key]["models_trained"] == 0
        assert "models" not in months[key]
    march = months["2019-03-01"]
    assert march["month"] == "2019-03" and march["models_trained"] == 2  # both systems
    # Its dispersion in words: each system's spread of strikeouts around its prediction.
    words = dict(part.split(" ", 1) for part in march["dispersion"].split("; "))
    for row in march["models"].records:
        system, dispersion = row.data["system"], row.data["dispersion"]
        assert words[system].startswith(f"{dispersion:,}: ")
        assert ("Poisson" in words[system]) == (dispersion >= 1_000_000)
        if dispersion < 1_000_000:  # variance / mean at 5 strikeouts, recomputed
            assert f"variance = {1 + 5 / dispersion:.2f} x mean" in words[system]
    assert {row.data["system"] for row in march["models"].records} == {
        "v1_baseline",
        "v1_6_rolling",
    }
    # The run's totals once, not on every month.
    totals = summaries(result)["strikeout_models"]
    assert totals["months_between_seasons"] == "2018-10, 2018-11, 2018-12, 2019-01, 2019-02"
    assert totals["run_models_trained"] == 2
    assert all("months_between_seasons" not in figures for figures in months.values())
    assert sorted(p.name for p in (seeded / "models").glob("*/*")) == ["2019-03", "2019-03"]
