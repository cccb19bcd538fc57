"""The bettor's view in the UI: a slate that reads left to right and explains itself, each
system's bets and record per date, and per-date figures that plot as a series.

Every figure is recomputed here from the warehouse's tables with plain pandas, never taken
from the code under test.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlb_assets.schedules import DAILY_SELECTION
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import defs_for, per_partition, query_copy, summaries

START, MIDDLE, END = date(2019, 6, 1), date(2019, 6, 3), date(2019, 6, 6)
DATES = [(START + timedelta(days=i)).isoformat() for i in range((END - START).days + 1)]
SYSTEMS = ("v1_baseline", "v1_6_rolling", "ensemble_v1")
# What a bettor acts on, in reading order: the first columns of every slate.
LEFT_TO_RIGHT = [
    "pitcher",
    "matchup",
    "pick",
    "side",
    "line",
    "price",
    "book",
    "p_raw",
    "p_cal",
    "ev",
    "stake",
]


@pytest.fixture
def graded(prepared: Path) -> tuple[Path, dict[str, object]]:
    """The daily slate over six dates, then grades in TWO runs (the second starts mid-season,
    so its season figures must continue from the first's)."""
    defs = defs_for(prepared)
    assert materialize_range(defs, DAILY_SELECTION, START, END).success
    assert materialize_range(defs, ["prediction_grades"], START, MIDDLE).success
    result = materialize_range(defs, ["prediction_grades"], MIDDLE + timedelta(days=1), END)
    assert result.success
    return prepared, {"second": result}


def test_the_slate_reads_left_to_right_and_says_why(prepared: Path) -> None:
    result = materialize_range(defs_for(prepared), DAILY_SELECTION, START, MIDDLE)
    assert result.success
    for system in SYSTEMS:
        rows = query_copy(prepared, f"SELECT * FROM mlb_predictions.{system}_predictions")
        rows["game_date"] = rows["game_date"].dt.strftime("%Y-%m-%d")
        rows["shown_name"] = rows["pitcher_name"].fillna(rows["pitcher_lookup"])
        for day, meta in per_partition(result, f"{system}_predictions").items():
            slate = meta["slate"]
            columns = [c.name for c in slate.schema.columns]
            assert columns[: len(LEFT_TO_RIGHT)] == LEFT_TO_RIGHT
            assert "reason" in columns
            assert all(c.description for c in slate.schema.columns)  # every column explained
            mine = rows[rows["game_date"] == day].set_index("shown_name")
            assert len(slate.records) == len(mine)
            for record in slate.records:
                shown = record.data
                row = mine.loc[shown["pitcher"]]
                assert shown["pick"] == row["recommendation"]
                assert shown["reason"], shown  # every row says why, bets included
                if pd.isna(row["strikeouts_line"]):
                    assert shown["pick"] in ("NO_LINE", "SKIP") and shown["price"] is None
                    continue
                over = row["edge"] > 0
                if not over and not row["edge"] < 0:  # no edge, no side: nothing is priced
                    assert shown["side"] is None and shown["pick"] in ("PASS", "SKIP")
                    continue
                # One side throughout: the price, book and both probabilities are its own.
                assert shown["side"] == ("over" if over else "under")
                assert shown["price"] == row["bet_odds"] and shown["book"] == row["bet_book"]
                p_cal = row["p_over"] if over else row["p_under"]
                p_raw = row["p_over_raw"] if over else row["p_under_raw"]
                assert shown["p_cal"] == pytest.approx(p_cal, abs=5e-3)
                assert shown["p_raw"] == pytest.approx(p_raw, abs=5e-3)
                assert shown["ev"] == pytest.approx(100 * row["expected_value"], abs=0.05)
                if row["recommendation"] == "SKIP":
                    assert "(" in shown["reason"]  # the rule in words, then its evidence
                elif row["recommendation"] == "PASS" and row["confidence"] < 60:
                    assert shown["reason"].startswith("confidence")
                elif row["recommendation"] == "PASS" and abs(row["edge"]) < 0.5:
                    assert shown["reason"].startswith("edge") and "inside" in shown["reason"]
                elif row["recommendation"] == "PASS":
                    assert shown["reason"].startswith("EV")
                    assert 100 * row["expected_value"] < 2.0
                else:
                    assert row["stake_pct"] > 0 and shown["stake"] == round(row["stake_pct"], 2)


def test_each_date_shows_each_systems_bets_and_season_once(
    graded: tuple[Path, dict[str, object]],
) -> None:
    work, runs = graded
    grades = query_copy(work, "SELECT * FROM mlb_predictions.prediction_grades")
    grades["day"] = grades["game_date"].dt.strftime("%Y-%m-%d")
    bets = grades[grades["result"].isin(["WIN", "LOSS", "PUSH"])]
    later = [d for d in DATES if d > MIDDLE.isoformat()]
    dates = per_partition(runs["second"], "prediction_grades")
    assert sorted(dates) == later

    # The season so far, recomputed: units per day and system, cumulated from the first date,
    # and a bankroll compounding each day's sum of stake x profit.
    daily = (
        bets.assign(kelly=bets["stake_pct"] / 100 * bets["profit"])
        .groupby(["day", "system_id"])
        .agg(units=("profit", "sum"), kelly=("kelly", "sum"))
    )
    for day in later:
        meta = dates[day]
        table = pd.DataFrame([r.data for r in meta["bets"].records])
        mine = bets[bets["day"] == day]
        assert len(table) == len(mine)
        # A pitcher two systems bet appears once per system, never pooled or dropped.
        if len(table):
            assert not table.duplicated(["system", "pitcher"]).any()
        for system in SYSTEMS:
            theirs = mine[mine["system_id"] == system]
            assert meta[f"{system}_bets"] == len(theirs)
            assert meta[f"{system}_wins"] == (theirs["result"] == "WIN").sum()
            assert meta[f"{system}_units"] == pytest.approx(theirs["profit"].sum(), abs=1e-3)
            shown = table[table["system"] == system] if len(table) else table
            assert len(shown) == len(theirs)
            season = daily.xs(system, level="system_id")
            season = season[season.index <= day]
            assert meta[f"{system}_season_units"] == pytest.approx(season["units"].sum(), abs=2e-3)
            bankroll = 100 * (np.prod(1 + season["kelly"].to_numpy()) - 1)
            assert meta[f"{system}_kelly_bankroll_pct"] == pytest.approx(bankroll, abs=0.01)

    # The range's record once, per system, and each system's curve shown in place.
    totals = summaries(runs["second"])["prediction_grades"]
    record = {r.data["system"]: r.data for r in totals["range_record"].records}
    in_range = bets[bets["day"] > MIDDLE.isoformat()]
    for system in SYSTEMS:
        theirs = in_range[in_range["system_id"] == system]
        assert record[system]["bets"] == len(theirs)
        assert record[system]["units"] == pytest.approx(theirs["profit"].sum(), abs=0.01)
        assert len(totals[f"{system}_equity_curve"]) < 1000


def test_range_totals_never_share_a_plotted_label_with_the_dates(prepared: Path) -> None:
    """Dagster plots each numeric label over every event carrying it: a range total under a
    per-date label would be one outlier at the end of the dates' series."""
    defs = defs_for(prepared)
    result = materialize_range(defs, DAILY_SELECTION, START, MIDDLE)
    assert result.success
    grades = materialize_range(defs, ["prediction_grades"], START, MIDDLE)
    totals = {**summaries(result), **summaries(grades)}
    for run in (result, grades):
        for asset, summary in summaries(run).items():
            per_date = per_partition(run, asset)
            assert sorted(per_date) == DATES[:3], asset
            numbers = {k for k, v in summary.items() if isinstance(v, int | float)}
            labels = {k for figures in per_date.values() for k in figures}
            assert not numbers & labels, (asset, numbers & labels)
            # ... and each date has numbers of its own to plot.
            plotted = {k for k, v in per_date[DATES[0]].items() if isinstance(v, int | float)} - {
                "dagster/row_count"
            }
            assert plotted, asset
            # ... and the range draws one of them over its dates, in place (under 1,000
            # characters, the UI's inline limit for markdown).
            charts = [k for k in summary if k.endswith("_by_date") or k.endswith("_curve")]
            assert charts and all(len(summary[k]) < 1000 for k in charts), asset
            # The summary comes after the dates: the Events tab lists it first.
            order = [
                e.event_type_value
                for e in run.all_events
                if e.event_type_value in ("ASSET_MATERIALIZATION", "ASSET_OBSERVATION")
                and e.asset_key.to_user_string() == asset
            ]
            assert order[-1] == "ASSET_OBSERVATION" and order.count("ASSET_OBSERVATION") == 1
    assert set(totals) >= {"prediction_grades", "v1_baseline_predictions", "coverage_report"}
