"""Nothing bad in a source turns silently into wrong predictions: faults injected into a copy of
the demo warehouse, then the feature slice materialized by a real Dagster run.

Each test states the outcome first (what the slice holds), which the faults used to break,
then the counts the checks and the asset's metadata must show.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from dagster import AssetCheckSeverity, AssetKey, AssetRecordsFilter, DagsterInstance

from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.reads import query_slice
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import defs_for, per_partition, query_copy, run_checks, summaries

DAY = date(2019, 6, 15)
ASSET = "feature_store_slice"


def execute(work: Path, *statements: tuple[str, dict[str, Any]]) -> None:
    """DuckDB statements against a test's copy, the connection closed again before a run."""
    wh = DuckDBWarehouse(path=str(work / "warehouse.duckdb"))
    try:
        for sql, params in statements:
            wh.connection().execute(sql, params)
    finally:
        wh.close()


def slice_now(work: Path) -> pd.DataFrame:
    wh = DuckDBWarehouse(path=str(work / "warehouse.duckdb"))
    try:
        return query_slice(wh, DAY, DAY)
    finally:
        wh.close()


def run_slice(work: Path) -> Any:
    return materialize_range(defs_for(work), [ASSET], DAY, DAY, raise_on_error=False)


def stored_slice(work: Path) -> pd.DataFrame:
    return query_copy(
        work, "SELECT * FROM mlb_precompute.feature_store_slice WHERE game_date = @d", d=DAY
    )


def check(result: Any, name: str) -> tuple[bool, AssetCheckSeverity, dict[str, Any]]:
    evaluation = run_checks(result)[(ASSET, name)]
    metadata = {k: v.value for k, v in evaluation.metadata.items()}
    return evaluation.passed, evaluation.severity, metadata


def by_source(metadata: dict[str, Any], column: str) -> dict[str, int]:
    return {r.data["source"]: r.data[column] for r in metadata["by_source"].records}


def starters_of_the_day(work: Path) -> pd.DataFrame:
    return query_copy(
        work,
        "SELECT game_id, home_probable_pitcher_lookup AS home, away_probable_pitcher_lookup AS "
        "away FROM mlb_raw.mlb_schedule WHERE game_date = @d ORDER BY game_id",
        d=DAY,
    )


def test_names_without_a_key_are_rejected_and_counted_never_merged(seeded: Path) -> None:
    """Two starters whose names key to '' used to merge into ONE slice row keyed '' (and
    no_duplicate_starters passed); game logs under such a name fed that row's features."""
    games = starters_of_the_day(seeded)
    before = len(slice_now(seeded))
    prior = query_copy(
        seeded,
        "SELECT COUNT(*) AS n FROM mlb_analytics.pitcher_game_summary "
        "WHERE pitcher_lookup = @p AND game_date < @d",
        p=games["home"][2],
        d=DAY,
    )["n"][0]
    execute(
        seeded,
        (
            "UPDATE mlb_raw.mlb_schedule SET home_probable_pitcher_lookup = '大谷翔平' "
            "WHERE game_id = $g",
            {"g": games["game_id"][0]},
        ),
        (
            "UPDATE mlb_raw.mlb_schedule SET home_probable_pitcher_lookup = '''; --' "
            "WHERE game_id = $g",
            {"g": games["game_id"][1]},
        ),
        (
            "UPDATE mlb_analytics.pitcher_game_summary SET pitcher_lookup = '王建民' "
            "WHERE pitcher_lookup = $p AND game_date < $d",
            {"p": games["home"][2], "d": DAY},
        ),
    )

    result = run_slice(seeded)
    stored = stored_slice(seeded)
    assert "" not in set(stored["pitcher_lookup"])
    assert len(stored) == before - 2

    passed, severity, metadata = check(result, "source_keys_present")
    assert not passed and severity == AssetCheckSeverity.WARN
    assert prior > 0 and metadata["empty_key_rows"] == 2 + prior
    assert by_source(metadata, "empty_key") == {
        "mlb_raw.mlb_schedule": 2,
        "mlb_analytics.pitcher_game_summary": prior,
        "mlb_raw.oddsa_pitcher_props": 0,
    }
    assert "大谷翔平" in metadata["examples"] and "'; --" in metadata["examples"]
    assert summaries(result)[ASSET]["source_rows_rejected_empty_key"] == 2 + prior
    assert check(result, "no_duplicate_starters")[0]


def test_a_pitcher_scheduled_twice_on_a_date_fails_the_duplicate_check(seeded: Path) -> None:
    """The slice keeps one row per starter, so a check on its rows alone always passed: it must
    count what the schedule itself had."""
    games = starters_of_the_day(seeded)
    twice = games["home"][0]
    execute(
        seeded,
        (
            "UPDATE mlb_raw.mlb_schedule SET away_probable_pitcher_lookup = $p WHERE game_id = $g",
            {"p": twice, "g": games["game_id"][1]},
        ),
    )

    result = run_slice(seeded)
    passed, severity, metadata = check(result, "no_duplicate_starters")
    assert not passed and severity == AssetCheckSeverity.ERROR
    assert metadata["duplicate_scheduled_starts"] == 1
    assert metadata["duplicate_rows"] == 0
    assert twice in metadata["examples"]
    # Held back: the date gets no materialization; its figures are the check's.
    assert DAY.isoformat() not in per_partition(result, ASSET)
    assert not result.success  # a blocking check failed with ERROR


def test_a_blocking_failure_keeps_the_published_slice(seeded: Path) -> None:
    """Write-audit-publish on the slice: candidates that fail a blocking check never replace
    the published rows, wait in quarantine, and the date keeps its earlier materialization."""
    with DagsterInstance.ephemeral() as instance:
        first = materialize_range(defs_for(seeded), [ASSET], DAY, DAY, instance=instance)
        published = stored_slice(seeded)
        games = starters_of_the_day(seeded)
        execute(
            seeded,
            (
                "UPDATE mlb_raw.mlb_schedule SET away_probable_pitcher_lookup = $p "
                "WHERE game_id = $g",
                {"p": games["home"][0], "g": games["game_id"][1]},
            ),
        )
        failed = materialize_range(
            defs_for(seeded), [ASSET], DAY, DAY, instance=instance, raise_on_error=False
        )
        latest = instance.fetch_materializations(
            AssetRecordsFilter(asset_key=AssetKey(ASSET), asset_partitions=[DAY.isoformat()]),
            limit=1,
        ).records[0]
    assert not failed.success
    assert latest.run_id == first.run_id
    kept = stored_slice(seeded)
    assert len(kept) == len(published) == len(games) * 2
    assert sorted(kept["pitcher_lookup"]) == sorted(published["pitcher_lookup"])
    held = query_copy(
        seeded,
        "SELECT * FROM mlb_precompute.feature_store_slice_quarantine WHERE game_date = @d",
        d=DAY,
    )
    assert len(held) == len(published) - 1
    assert set(held["run_id"]) == {failed.run_id}
    assert set(held["failed_checks"]) == {"no_duplicate_starters"}


def test_a_reloaded_source_changes_no_feature_and_is_reported(seeded: Path) -> None:
    """A re-run upstream load (every source's rows again) used to inflate season and rolling
    features (season_games_started 12 -> 17) with every check passing."""
    before = slice_now(seeded)
    reload_from, reload_to = date(2019, 5, 1), date(2019, 6, 14)
    reloaded = query_copy(
        seeded,
        "SELECT (SELECT COUNT(*) FROM mlb_analytics.pitcher_game_summary "
        "        WHERE game_date BETWEEN @a AND @b) AS games, "
        "(SELECT 2 * COUNT(*) FROM mlb_raw.mlb_schedule WHERE game_date = @d) AS starters, "
        "(SELECT COUNT(*) FROM mlb_raw.oddsa_pitcher_props WHERE game_date = @d) AS props, "
        "(SELECT COUNT(*) FROM mlb_raw.bdl_injuries WHERE snapshot_date = @d) AS injuries",
        a=reload_from,
        b=reload_to,
        d=DAY,
    ).iloc[0]
    execute(
        seeded,
        (
            "INSERT INTO mlb_analytics.pitcher_game_summary SELECT * FROM "
            "mlb_analytics.pitcher_game_summary WHERE game_date BETWEEN $a AND $b",
            {"a": reload_from, "b": reload_to},
        ),
        (
            "INSERT INTO mlb_raw.mlb_schedule SELECT * FROM mlb_raw.mlb_schedule "
            "WHERE game_date = $d",
            {"d": DAY},
        ),
        (
            "INSERT INTO mlb_raw.oddsa_pitcher_props SELECT * FROM mlb_raw.oddsa_pitcher_props "
            "WHERE game_date = $d",
            {"d": DAY},
        ),
        (
            "INSERT INTO mlb_raw.bdl_injuries SELECT * FROM mlb_raw.bdl_injuries "
            "WHERE snapshot_date = $d",
            {"d": DAY},
        ),
    )

    pd.testing.assert_frame_equal(slice_now(seeded), before)
    assert len(before) >= 20 and (before["season_games_started"] > 5).any()

    result = run_slice(seeded)
    assert result.success
    passed, severity, metadata = check(result, "no_source_duplicates")
    assert not passed and severity == AssetCheckSeverity.WARN
    assert by_source(metadata, "duplicate") == {
        "mlb_raw.mlb_schedule": reloaded["starters"],
        "mlb_analytics.pitcher_game_summary": reloaded["games"],
        "mlb_raw.oddsa_pitcher_props": reloaded["props"],
    }
    # The injury snapshots are de-duplicated by their view as well: one row per pitcher a day.
    injuries = query_copy(
        seeded,
        "SELECT COUNT(*) AS n, COUNT(DISTINCT pitcher_lookup) AS pitchers "
        "FROM mlb_precompute.injury_snapshots WHERE snapshot_date = @d",
        d=DAY,
    ).iloc[0]
    assert (
        reloaded["injuries"] > 0 and injuries["n"] == injuries["pitchers"] == reloaded["injuries"]
    )
    assert metadata["duplicate_rows"] == summaries(result)[ASSET]["source_duplicate_rows"]
    assert check(result, "no_duplicate_starters")[0]


def latest_starts(work: Path, pitchers: list[str]) -> pd.DataFrame:
    """Each pitcher's last start before the day, with his name as the game log spells it."""
    return query_copy(
        work,
        "SELECT pitcher_lookup, pitcher_name, game_id FROM mlb_analytics.pitcher_game_summary "
        "WHERE pitcher_lookup IN UNNEST(@p) AND is_starter AND game_date < @d "
        "QUALIFY ROW_NUMBER() OVER (PARTITION BY pitcher_lookup ORDER BY game_date DESC) = 1",
        p=pitchers,
        d=DAY,
    ).set_index("pitcher_lookup")


def set_on_start(column: str, value: Any, start: pd.Series) -> tuple[str, dict[str, Any]]:
    return (
        f"UPDATE mlb_analytics.pitcher_game_summary SET {column} = $v "
        "WHERE game_id = $g AND pitcher_lookup = $p",
        {"v": value, "g": start["game_id"], "p": start.name},
    )


def test_absurd_values_count_as_missing_and_are_reported(seeded: Path) -> None:
    """fastball_velocity = 1e39, strikeouts = 2e9 and a negative count used to go straight into
    the averages; out of bounds they must weigh exactly as a missing value does."""
    recent = slice_now(seeded)
    pitchers = recent[recent["rolling_stats_games"] >= 3]["pitcher_lookup"].head(3).tolist()
    starts = latest_starts(seeded, pitchers)
    fast, many, negative = (starts.loc[p] for p in pitchers)
    faults = [
        ("fastball_velocity", 1e39, fast),
        ("strikeouts", 2_000_000_000, many),
        ("batters_faced", -5, negative),
    ]
    execute(seeded, *(set_on_start(column, None, start) for column, _, start in faults))
    missing = slice_now(seeded)
    execute(seeded, *(set_on_start(column, value, start) for column, value, start in faults))

    pd.testing.assert_frame_equal(slice_now(seeded), missing)
    assert missing["fb_velocity_last_3"].dropna().between(60, 110).all()

    result = run_slice(seeded)
    assert result.success
    stored = stored_slice(seeded).set_index("pitcher_lookup").loc[pitchers]
    assert stored["fb_velocity_last_3"].between(60, 110).all()
    assert stored["k_avg_last_3"].between(0, 30).all()
    assert stored["bf_avg_last_5"].between(0, 60).all()
    passed, severity, metadata = check(result, "source_values_in_bounds")
    assert not passed and severity == AssetCheckSeverity.WARN
    assert metadata["out_of_bounds_rows"] == 3
    assert by_source(metadata, "out_of_bounds")["mlb_analytics.pitcher_game_summary"] == 3
    for column, _, start in faults:
        assert f"{start['pitcher_name']} (" in metadata["examples"]
        assert column in metadata["examples"]
    assert summaries(result)[ASSET]["source_rows_out_of_bounds"] == 3


def test_a_feed_broken_beyond_the_rate_fails_with_error(seeded: Path) -> None:
    """A whole month of velocities out of bounds is a broken feed, not a stray row: ERROR,
    and the check blocks what reads the slice."""
    execute(
        seeded,
        (
            "UPDATE mlb_analytics.pitcher_game_summary SET fastball_velocity = 0 "
            "WHERE game_date BETWEEN '2019-05-01' AND '2019-05-31'",
            {},
        ),
    )
    result = run_slice(seeded)
    assert stored_slice(seeded)["fb_velocity_last_3"].dropna().between(60, 110).all()
    passed, severity, metadata = check(result, "source_values_in_bounds")
    assert not passed and severity == AssetCheckSeverity.ERROR
    assert float(metadata["worst_source_pct"].removesuffix(" %")) > 1.0
    assert not result.success


def test_the_slice_does_not_need_the_injury_feed(seeded: Path) -> None:
    """The injured list fails safe on its own (il_roster); counting source quality must not
    make the features depend on the injury feed."""
    before = slice_now(seeded)
    execute(seeded, ("DROP TABLE mlb_raw.bdl_injuries CASCADE", {}))
    result = run_slice(seeded)
    assert result.success
    stored = stored_slice(seeded)[before.columns.tolist()]
    pd.testing.assert_frame_equal(
        stored.sort_values("pitcher_lookup").reset_index(drop=True),
        before.sort_values("pitcher_lookup").reset_index(drop=True),
        check_dtype=False,
    )
