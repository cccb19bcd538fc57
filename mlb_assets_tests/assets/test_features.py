"""feature_store_slice, il_roster and prop_lines: no leakage, one query per run, fail-safe IL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlb_assets.features.lines import vig_free
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.reads import query_slice
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import defs_for, summaries

DAY = date(2019, 6, 15)


def slice_for(wh: DuckDBWarehouse, start: date, end: date | None = None) -> pd.DataFrame:
    return query_slice(wh, start, end or start)


def day_in_a_window(wh: DuckDBWarehouse, day: date) -> pd.DataFrame:
    """The day's rows out of a window that runs past it, as a backfill computes them: the
    window's later games are in reach of the query, so only the per-row cut-off keeps them out."""
    frame = slice_for(wh, day - timedelta(days=2), day + timedelta(days=3))
    return frame[frame["game_date"] == pd.Timestamp(day)].reset_index(drop=True)


def games(wh: DuckDBWarehouse) -> pd.DataFrame:
    frame = wh.query_text("SELECT * FROM mlb_analytics.pitcher_game_summary")
    frame["game_date"] = pd.to_datetime(frame["game_date"])
    return frame


def expected_features(history: pd.DataFrame, pitcher: str, day: date) -> dict[str, float]:
    """docs/FEATURES.md recomputed independently, from rows strictly before the day."""
    day_ts = pd.Timestamp(day)
    mine = history[(history["pitcher_lookup"] == pitcher) & (history["game_date"] < day_ts)]
    starts = mine[mine["is_starter"] & (mine["game_date"] >= day_ts - pd.Timedelta(days=120))]
    starts = starts.sort_values("game_date", ascending=False)
    season = mine[mine["is_starter"] & (mine["game_date"].dt.year == day.year)]
    recent = mine[mine["game_date"] >= day_ts - pd.Timedelta(days=120)]
    ks = starts["strikeouts"].astype(float)
    return {
        "k_avg_last_3": ks.head(3).mean(),
        "k_avg_last_5": ks.head(5).mean(),
        "k_avg_last_10": ks.head(10).mean(),
        "k_std_last_10": ks.head(10).std(ddof=1) if len(ks) >= 2 else np.nan,
        "ip_avg_last_5": starts["innings_pitched"].head(5).mean(),
        "rolling_stats_games": min(len(starts), 10),
        "season_games_started": len(season),
        "season_k_per_9": 9 * season["strikeouts"].sum() / season["innings_pitched"].sum()
        if season["innings_pitched"].sum() > 0
        else np.nan,
        "days_rest": (day_ts - recent["game_date"].max()).days if len(recent) else np.nan,
        "games_last_30_days": int((mine["game_date"] >= day_ts - pd.Timedelta(days=30)).sum()),
    }


def test_features_match_an_independent_recomputation(warehouse: DuckDBWarehouse) -> None:
    history = games(warehouse)
    checked = 0
    for day in (date(2019, 4, 20), DAY, date(2019, 9, 1), date(2018, 8, 10)):
        frame = day_in_a_window(warehouse, day)
        for row in frame.sample(8, random_state=1).itertuples(index=False):
            expected = expected_features(history, row.pitcher_lookup, day)
            for name, value in expected.items():
                got = getattr(row, name)
                assert (pd.isna(got) and pd.isna(value)) or got == pytest.approx(value), (
                    f"{row.pitcher_lookup} {day} {name}: {got} != {value}"
                )
            checked += 1
    assert checked == 32


def test_results_of_the_day_and_later_cannot_change_its_features(seeded: Path) -> None:
    wh = DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))
    before = day_in_a_window(wh, DAY)
    con = wh.connection()
    con.execute(
        "UPDATE mlb_analytics.pitcher_game_summary SET strikeouts = 27, innings_pitched = 9, "
        "swinging_strikes = 99 WHERE game_date >= $d",
        {"d": DAY},
    )
    con.execute("DELETE FROM mlb_analytics.pitcher_game_summary WHERE game_date > $d", {"d": DAY})
    after = day_in_a_window(wh, DAY)
    wh.close()
    assert len(before) >= 20
    pd.testing.assert_frame_equal(before, after)


def test_new_season_resets_and_stale_form_does_not_leak(warehouse: DuckDBWarehouse) -> None:
    opening = warehouse.query_text(
        "SELECT MIN(game_date) AS d FROM mlb_raw.mlb_schedule WHERE game_date >= '2019-01-01'"
    )["d"][0]
    frame = slice_for(warehouse, pd.Timestamp(opening).date())
    assert (frame["season_games_started"] == 0).all()
    assert (frame["season_strikeouts"] == 0).all()
    # Their last start was in September: more than 120 days ago, so no "recent form".
    assert frame["k_avg_last_5"].isna().all()
    assert (frame["rolling_stats_games"] == 0).all()
    assert frame["season_k_per_9"].isna().all()


def test_one_row_per_scheduled_starter_with_todays_context(warehouse: DuckDBWarehouse) -> None:
    frame = slice_for(warehouse, DAY)
    schedule = warehouse.query_text(
        "SELECT * FROM mlb_raw.mlb_schedule WHERE game_date = @d", {"d": DAY}
    )
    home = dict(
        zip(schedule["home_probable_pitcher_lookup"], schedule["away_team_abbr"], strict=True)
    )
    away = dict(
        zip(schedule["away_probable_pitcher_lookup"], schedule["home_team_abbr"], strict=True)
    )
    assert len(frame) == len(home) + len(away)
    assert not frame.duplicated(["game_date", "pitcher_lookup"]).any()
    for row in frame.itertuples(index=False):
        expected = home.get(row.pitcher_lookup) if row.is_home else away.get(row.pitcher_lookup)
        assert row.opponent_team_abbr == expected


def test_best_line_is_latest_pregame_snapshot_of_the_top_bookmaker(
    warehouse: DuckDBWarehouse,
) -> None:
    props = warehouse.query_text(
        "SELECT * FROM mlb_raw.oddsa_pitcher_props WHERE game_date = @d", {"d": DAY}
    )
    starts = warehouse.query_text(
        "SELECT pitcher_lookup, game_start_time FROM mlb_precompute.scheduled_starters "
        "WHERE game_date = @d",
        {"d": DAY},
    )
    props = props.merge(starts, on="pitcher_lookup")
    pregame = props[props["snapshot_time"] < props["game_start_time"]].copy()
    priority = {"draftkings": 1, "fanduel": 2, "betmgm": 3, "caesars": 4}
    pregame["rank"] = pregame["bookmaker"].map(priority).fillna(5)
    best = pregame.sort_values(["rank", "snapshot_time"], ascending=[True, False]).drop_duplicates(
        "pitcher_lookup"
    )
    got = vig_free(warehouse.query("sources/prop_lines.sql", {"start_date": DAY, "end_date": DAY}))
    merged = got.merge(best, on="pitcher_lookup", suffixes=("", "_expected"))
    assert len(merged) == len(got) == best["pitcher_lookup"].nunique() > 15
    assert (merged["bookmaker"] == merged["bookmaker_expected"]).all()
    assert (merged["strikeouts_line"] == merged["line"]).all()
    assert np.allclose(merged["over_implied_prob"] + merged["under_implied_prob"], 1.0)


def run_queries(result, asset: str) -> int:  # type: ignore[no-untyped-def]
    return int(summaries(result)[asset]["warehouse_queries"])


def test_one_date_and_thirty_dates_cost_the_same_queries(seeded: Path) -> None:
    selection = ["feature_store_slice", "il_roster", "prop_lines"]
    one = materialize_range(defs_for(seeded), selection, "2019-06-01", "2019-06-01")
    month = materialize_range(defs_for(seeded), selection, "2019-06-01", "2019-06-30")
    # Each asset: its query and its write; the slice also counts what the source views left out.
    queries = {"feature_store_slice": 3, "il_roster": 2, "prop_lines": 2}
    for asset in selection:
        assert run_queries(one, asset) == run_queries(month, asset) == queries[asset]
    wh = DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))
    rows = wh.query_text(
        "SELECT game_date, COUNT(*) AS n FROM mlb_precompute.feature_store_slice "
        "WHERE game_date BETWEEN '2019-06-01' AND '2019-06-30' GROUP BY 1"
    ).set_index("game_date")["n"]
    starters = wh.query_text(
        "SELECT game_date, COUNT(DISTINCT pitcher_lookup) AS n "
        "FROM mlb_precompute.scheduled_starters "
        "WHERE game_date BETWEEN '2019-06-01' AND '2019-06-30' GROUP BY 1"
    ).set_index("game_date")["n"]
    wh.close()
    assert len(rows) == 30
    assert rows.sort_index().equals(starters.sort_index())


def test_month_of_june_is_one_run_with_every_partition(seeded: Path) -> None:
    result = materialize_range(defs_for(seeded), ["prop_lines"], "2019-06-01", "2019-06-30")
    partitions = {e.partition for e in result.get_asset_materialization_events()}
    assert partitions == {(date(2019, 6, 1) + timedelta(days=i)).isoformat() for i in range(30)}
