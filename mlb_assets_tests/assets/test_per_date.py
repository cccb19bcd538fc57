"""Per-date truth under range runs: every partition carries its own figures and check verdicts.

One run covers seven dates; the UI reads each date on its own, so each partition's
materialization must hold that date's row count and counts, each check must be evaluated per
partition, and the range's totals must appear once, not on every date.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from dagster import AssetKey, AssetRecordsFilter, DagsterInstance

from mlb_assets.evaluation.slate import SLATE_ORDER
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.schedules import DAILY_SELECTION
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import (
    defs_for,
    partition_checks,
    per_partition,
    query_copy,
    run_checks,
    summaries,
)

START, END = date(2019, 6, 1), date(2019, 6, 7)
DATES = [(START + timedelta(days=i)).isoformat() for i in range(7)]
PREDICTIONS = ("v1_baseline_predictions", "v1_6_rolling_predictions", "ensemble_v1_predictions")


def slate_rank(row: dict) -> float:  # type: ignore[type-arg]
    """Strongest first; a row without a confidence last."""
    confidence = row["conf"]
    return float("inf") if confidence is None else -float(confidence)


COUNTS = ("over_count", "under_count", "pass_count", "skip_count", "no_line_count")


def test_each_partition_of_one_range_run_carries_its_own_figures(prepared: Path) -> None:
    result = materialize_range(defs_for(prepared), DAILY_SELECTION, START, END)
    assert result.success

    for asset in ("feature_store_slice", "prop_lines", "il_roster", *PREDICTIONS):
        dates = per_partition(result, asset)
        assert sorted(dates) == DATES, asset
        dataset = "mlb_predictions" if asset in PREDICTIONS else "mlb_precompute"
        rows = query_copy(
            prepared,
            f"SELECT game_date, COUNT(*) AS n FROM {dataset}.{asset} "
            "WHERE game_date BETWEEN @s AND @e GROUP BY 1",
            s=START,
            e=END,
        )
        expected = dict(zip(rows["game_date"].dt.strftime("%Y-%m-%d"), rows["n"], strict=True))
        got = {day: meta["dagster/row_count"] for day, meta in dates.items()}
        assert got == {day: expected.get(day, 0) for day in DATES}, asset

    for asset in PREDICTIONS:
        dates = per_partition(result, asset)
        totals = summaries(result)[asset]
        # The dates differ from each other: a copied range figure would be the same everywhere.
        assert len({meta["dagster/row_count"] for meta in dates.values()}) > 1
        assert sum(meta["dagster/row_count"] for meta in dates.values()) == totals["predictions"]
        table = query_copy(prepared, f"SELECT * FROM mlb_predictions.{asset}")
        for day, meta in dates.items():
            rows = table[table["game_date"] == pd.Timestamp(day)]
            assert sum(meta[c] for c in COUNTS) == len(rows)
            assert meta["over_count"] == (rows["recommendation"] == "OVER").sum()
            assert meta["bets"] == rows["recommendation"].isin(["OVER", "UNDER"]).sum()
            assert meta["low_coverage_count"] == rows["is_low_coverage"].sum()
            assert meta["fallback_count"] == rows["is_fallback"].sum()
            # Coverage over the rated rows: the rows low_coverage_count counts.
            rated = rows.loc[rows["coverage_rated"], "feature_coverage_pct"]
            assert meta["rated_mean_coverage_pct"] == round(rated.mean(), 2)
            assert meta["rated_min_coverage_pct"] == round(rated.min(), 2)
            slate = meta["slate"].records
            assert len(slate) == len(rows)
            names = set(rows["pitcher_name"].dropna())
            assert {r.data["pitcher"] for r in slate} & names  # names, not slugs
            # That date's own starters, bets first, each group strongest first.
            shown = rows["pitcher_name"].fillna(rows["pitcher_lookup"])
            assert sorted(r.data["pitcher"] for r in slate) == sorted(shown)
            ranks = [(SLATE_ORDER[r.data["pick"]], slate_rank(r.data)) for r in slate]
            assert ranks == sorted(ranks)
        assert "range_start" not in dates[DATES[3]]  # range figures are not copied onto dates


def test_a_check_that_fails_on_one_date_says_which(prepared: Path) -> None:
    bad_day = DATES[2]
    warehouse = DuckDBWarehouse(path=str(prepared / "warehouse.duckdb"))
    defs = defs_for(prepared)
    materialize_range(defs, ["feature_store_slice", "il_roster", "prop_lines"], START, END)
    # Most features of one date vanish: only that date's coverage collapses.
    warehouse.connection().execute(
        "UPDATE mlb_precompute.feature_store_slice SET k_avg_last_3 = NULL, k_avg_last_5 = NULL,"
        " k_avg_last_10 = NULL, k_std_last_10 = NULL, season_era = NULL, season_whip = NULL,"
        " opponent_team_k_rate = NULL, ballpark_k_factor = NULL WHERE game_date = $d",
        {"d": date.fromisoformat(bad_day)},
    )
    warehouse.close()
    result = materialize_range(defs, list(PREDICTIONS), START, END, raise_on_error=False)

    per_date = partition_checks(result)
    for asset in PREDICTIONS:
        verdicts = {day: per_date[(asset, "low_coverage_rate", day)].passed for day in DATES}
        assert verdicts == {day: day != bad_day for day in DATES}, asset
        assert all(per_date[(asset, "fallback_rate", day)].passed for day in DATES)
        overall = run_checks(result)[(asset, "low_coverage_rate")]
        assert not overall.passed
        summary = overall.metadata["summary"].value
        assert summary.startswith(f"1 of 7 dates failed; worst {bad_day} at ")
        assert summary.endswith("limit 20.00 %")
        # The six good dates are published and recorded; the held one is not shown fresh.
        assert sorted(per_partition(result, asset)) == [d for d in DATES if d != bad_day]
    assert not result.success  # the ERROR check blocks


def test_each_date_verdict_targets_that_dates_latest_materialization(prepared: Path) -> None:
    """Dagster shows a date's check status only when its latest evaluation targets the date's
    latest materialization: this run's for a published date, the earlier one for a held date."""
    defs = defs_for(prepared)
    asset = "v1_6_rolling_predictions"
    inputs = ["feature_store_slice", "il_roster", "prop_lines"]
    with DagsterInstance.ephemeral() as instance:
        materialize_range(defs, [*inputs, asset], START, END, instance=instance)
        corrupt_one_date(prepared, DATES[2])
        rerun = materialize_range(
            defs, [*inputs, asset], START, END, instance=instance, raise_on_error=False
        )
        latest = {
            day: instance.fetch_materializations(
                AssetRecordsFilter(asset_key=AssetKey(asset), asset_partitions=[day]), limit=1
            ).records[0]
            for day in DATES
        }
    assert latest[DATES[2]].run_id != rerun.run_id  # held: keeps the first run's
    assert {latest[d].run_id for d in DATES if d != DATES[2]} == {rerun.run_id}
    for (name, check, day), evaluation in partition_checks(rerun).items():
        if name == asset:
            target = evaluation.target_materialization_data
            assert target.storage_id == latest[day].storage_id, (check, day)


def corrupt_one_date(work: Path, day: str) -> None:
    """Most features of one date's starters vanish at the source: its coverage collapses."""
    warehouse = DuckDBWarehouse(path=str(work / "warehouse.duckdb"))
    warehouse.connection().execute(
        "UPDATE mlb_analytics.pitcher_game_summary SET strikeouts = NULL, batters_faced = NULL, "
        "innings_pitched = NULL, pitch_count = NULL, earned_runs = NULL, walks = NULL, "
        "hits = NULL WHERE pitcher_lookup IN (SELECT pitcher_lookup FROM "
        "mlb_precompute.feature_store_slice WHERE game_date = $d)",
        {"d": date.fromisoformat(day)},
    )
    warehouse.close()
