"""prediction_grades and system_performance on real predictions of the demo season."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.schedules import DAILY_SELECTION
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import defs_for, per_partition, query_copy, run_checks

START, END = date(2019, 6, 1), date(2019, 6, 30)
PREDICTIONS = ["v1_baseline_predictions", "v1_6_rolling_predictions", "ensemble_v1_predictions"]


def grades_of(work: Path, day: date) -> pd.DataFrame:
    return query_copy(
        work,
        "SELECT * EXCEPT (created_at) FROM mlb_predictions.prediction_grades WHERE game_date = @d "
        "ORDER BY system_id, pitcher_lookup",
        d=day,
    )


def test_each_prediction_is_graded_against_its_own_game(prepared: Path) -> None:
    defs = defs_for(prepared)
    materialize_range(defs, DAILY_SELECTION, START, date(2019, 6, 3))
    result = materialize_range(defs, ["prediction_grades"], START, date(2019, 6, 3))
    assert result.success
    day = date(2019, 6, 2)
    graded = grades_of(prepared, day)
    actual = query_copy(
        prepared,
        "SELECT pitcher_lookup, strikeouts FROM mlb_precompute.pitcher_games "
        "WHERE is_starter AND game_date = @d",
        d=day,
    ).set_index("pitcher_lookup")["strikeouts"]
    assert len(graded) > 40 and set(graded["system_id"]) == {
        "v1_baseline",
        "v1_6_rolling",
        "ensemble_v1",
    }
    assert (graded["actual_strikeouts"] == graded["pitcher_lookup"].map(actual)).all()
    bets = graded[graded["recommendation"].isin(["OVER", "UNDER"])]
    assert set(bets["result"]) <= {"WIN", "LOSS", "PUSH"}
    assert (graded.loc[~graded.index.isin(bets.index), "result"] == "NO_BET").all()
    assert per_partition(result, "prediction_grades")[day.isoformat()]["dagster/row_count"] == len(
        graded
    )

    # Rewriting every OTHER date's results changes nothing about this date's grades.
    warehouse = DuckDBWarehouse(path=str(prepared / "warehouse.duckdb"))
    warehouse.connection().execute(
        "UPDATE mlb_analytics.pitcher_game_summary SET strikeouts = 25 WHERE game_date <> $d",
        {"d": day},
    )
    warehouse.close()
    materialize_range(defs, ["prediction_grades"], START, date(2019, 6, 3))
    pd.testing.assert_frame_equal(grades_of(prepared, day), graded)
    other = grades_of(prepared, date(2019, 6, 3))
    assert (other["actual_strikeouts"] == 25).all()  # ... while the other dates did change


def test_monthly_performance_passes_its_checks_and_fails_a_miscalibrated_system(
    prepared: Path,
) -> None:
    defs = defs_for(prepared)
    materialize_range(defs, DAILY_SELECTION, START, END)
    materialize_range(defs, ["prediction_grades"], START, END)
    result = materialize_range(defs, ["system_performance"], "2019-06-01", "2019-06-01")
    assert result.success
    checks = run_checks(result)
    assert all(
        checks[("system_performance", rule)].passed for rule in ("calibration", "mae_vs_line")
    )
    figures = query_copy(
        prepared, "SELECT * FROM mlb_predictions.system_performance WHERE scope = 'month'"
    ).set_index("system_id")
    assert len(figures) == 3 and (figures["starts"] > 400).all()
    assert ((figures["ece"] >= 0) & (figures["ece"] < 0.2)).all()
    meta = per_partition(result, "system_performance")["2019-06-01"]
    assert meta["month"] == "2019-06"
    assert len(meta["v1_6_rolling_reliability"].records) == 10
    # The month's table: bets beside hit rate and ROI, the season to date beneath, each
    # recomputed here from the grades table with plain pandas.
    grades = query_copy(prepared, "SELECT * FROM mlb_predictions.prediction_grades")
    grades["game_date"] = pd.to_datetime(grades["game_date"])
    shown = {(r.data["scope"], r.data["system"]): r.data for r in meta["by_system"].records}
    assert {r.data["period"] for r in meta["by_system"].records} == {"2019-06"}
    for label, rows in (
        ("month", grades[grades["game_date"].dt.month == 6]),
        ("to_date", grades[grades["game_date"] <= "2019-06-30"]),
    ):
        for system, mine in rows.groupby("system_id"):
            bets = mine[mine["result"].isin(["WIN", "LOSS", "PUSH"])]
            row = shown[(label, system)]
            assert row["bets"] == len(bets) > 0
            assert row["roi_pct"] == pytest.approx(100 * bets["profit"].sum() / len(bets), abs=0.05)
            decided = bets[bets["result"] != "PUSH"]
            won = 100 * (decided["result"] == "WIN").mean()
            assert row["hit_rate_pct"] == pytest.approx(won, abs=0.05)
            if label == "month":
                assert meta[f"{system}_bets"] == len(bets)
    # Each system's reliability diagram is shown in place: short enough for the UI's inline
    # markdown (1,000 characters), an SVG 480 px wide with labelled axes.
    for system in ("v1_baseline", "v1_6_rolling", "ensemble_v1"):
        diagram = meta[f"{system}_reliability_diagram"]
        assert len(diagram) < 1000 and "data:image/svg+xml" in diagram
        svg = diagram.replace("\\<", "<").replace("\\>", ">")
        assert "width='480'" in svg and "predicted P(over)" in svg and ">.5<" in svg

    # One system made overconfident: it says 97 % whichever side its edge points to.
    warehouse = DuckDBWarehouse(path=str(prepared / "warehouse.duckdb"))
    warehouse.connection().execute(
        "UPDATE mlb_predictions.v1_baseline_predictions "
        "SET p_over = IF(edge > 0, 0.97, 0.03), p_under = IF(edge > 0, 0.03, 0.97)"
    )
    warehouse.close()
    materialize_range(defs, ["prediction_grades"], START, END)
    result = materialize_range(defs, ["system_performance"], "2019-06-01", "2019-06-01")
    calibration = run_checks(result)[("system_performance", "calibration")]
    assert not calibration.passed
    assert calibration.metadata["summary"].value == "1 of 1 months failed: 2019-06"
    by_system = {
        r.data["system"]: r.data["passed"] for r in calibration.metadata["by_system"].value.records
    }
    assert by_system == {"ensemble_v1": True, "v1_6_rolling": True, "v1_baseline": False}
