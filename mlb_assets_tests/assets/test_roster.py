"""The injured list retries, then fails SAFE: an empty roster, never a stale one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from dagster import DagsterInstance
from pydantic import PrivateAttr

from mlb_assets.cli.predict import RosterCache
from mlb_assets.demo.runs import materialize_range
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets_tests.conftest import defs_for, query_copy, run_checks, summaries

DAY = "2019-06-01"


class FlakyWarehouse(DuckDBWarehouse):
    """A real DuckDB warehouse whose injury query fails its first `failures` attempts."""

    failures: int = 0
    _attempts: int = PrivateAttr(default=0)

    def _run_query(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        if "injury_snapshots" in sql and "snapshot_days" in sql:
            self._attempts += 1
            if self._attempts <= self.failures:
                raise duckdb.IOException(f"injury feed unreachable (attempt {self._attempts})")
        return super()._run_query(sql, params)


def run_roster(seeded: Path, failures: int, instance: DagsterInstance):  # type: ignore[no-untyped-def]
    resources = {
        "warehouse": FlakyWarehouse(path=str(seeded / "warehouse.duckdb"), failures=failures)
    }
    return materialize_range(
        defs_for(seeded), ["il_roster"], DAY, DAY, resources=resources, instance=instance
    )


def roster_rows(seeded: Path) -> int:
    return int(
        query_copy(
            seeded,
            "SELECT COUNT(*) AS n FROM mlb_precompute.il_roster WHERE game_date = @d",
            d=date.fromisoformat(DAY),
        )["n"][0]
    )


def logs(instance: DagsterInstance, run_id: str, level: int) -> list[str]:
    return [e.user_message for e in instance.all_logs(run_id) if e.level == level]


def metadata(result) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return summaries(result)["il_roster"]


def checks(result) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {check: c for (_, check), c in run_checks(result).items()}


def test_one_failure_is_retried_and_the_full_roster_written(seeded: Path) -> None:
    with DagsterInstance.ephemeral() as instance:
        result = run_roster(seeded, failures=1, instance=instance)
        warnings = [m for m in logs(instance, result.run_id, 30) if "attempt 1/3" in m]
    assert result.success
    assert len(warnings) == 1 and "retrying in 1 s" in warnings[0]
    assert metadata(result)["source_status"] == "ok"
    assert metadata(result)["attempts"] == 2
    assert checks(result)["il_source_answered"].passed
    assert roster_rows(seeded) > 0


def test_every_attempt_failing_writes_an_empty_roster_never_a_stale_one(seeded: Path) -> None:
    with DagsterInstance.ephemeral() as instance:
        healthy = run_roster(seeded, failures=0, instance=instance)
        assert healthy.success and roster_rows(seeded) > 0

        result = run_roster(seeded, failures=99, instance=instance)
        errors = logs(instance, result.run_id, 40)
    assert result.success  # the run goes on: the roster fails safe
    assert roster_rows(seeded) == 0  # the earlier roster was replaced, not reused
    meta = metadata(result)
    assert meta["source_status"] == "failed" and meta["attempts"] == 3
    assert "IOException" in meta["error"]
    failure = [m for m in errors if "il_roster_source_failed" in m]
    assert len(failure) == 1
    fields = json.loads(failure[0][failure[0].index("{") :])
    assert fields["error_type"] == "IOException"
    assert fields["fallback_action"] == "return_empty_set"
    check = checks(result)["il_source_answered"]
    assert not check.passed and check.severity.value == "WARN"


def test_bad_sql_is_not_retried(seeded: Path) -> None:
    wh = DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))
    wh.connection().execute("DROP TABLE mlb_raw.bdl_injuries CASCADE")
    wh.close()
    with DagsterInstance.ephemeral() as instance:
        result = materialize_range(
            defs_for(seeded),
            ["il_roster"],
            DAY,
            DAY,
            instance=instance,
            resources={"warehouse": DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))},
        )
    assert result.success
    assert metadata(result)["attempts"] == 1
    assert metadata(result)["source_status"] == "failed"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cache_serves_repeats_within_the_ttl_only(warehouse: DuckDBWarehouse) -> None:
    clock = Clock()
    cache = RosterCache(warehouse, ttl_hours=3.0, clock=clock)
    day = date.fromisoformat(DAY)
    first = cache.injured(day)
    queries = warehouse.stats.queries
    clock.now = 2.9 * 3600
    assert cache.injured(day) == first
    assert warehouse.stats.queries == queries
    clock.now = 3.1 * 3600
    assert cache.injured(day) == first
    assert warehouse.stats.queries == queries + 1
    assert len(first) > 0


def test_cache_does_not_remember_a_failure(seeded: Path) -> None:
    flaky = FlakyWarehouse(path=str(seeded / "warehouse.duckdb"), failures=3)
    cache = RosterCache(flaky, ttl_hours=3.0, clock=Clock())
    day = date.fromisoformat(DAY)
    assert cache.injured(day) == frozenset()  # failed safe
    assert len(cache.injured(day)) > 0  # asked again, and the source answered
    flaky.close()


@pytest.mark.parametrize("status", ["10-Day-IL", "60-Day-IL", "Out"])
def test_il_statuses_count_and_day_to_day_does_not(warehouse: DuckDBWarehouse, status: str) -> None:
    frame = pd.DataFrame(
        {
            "snapshot_date": [date(2019, 6, 1)] * 2,
            "pitcher_lookup": ["Pitcher One", "pitcher_two"],
            "is_pitcher": [True, True],
            "injury_status": [status, "Day-To-Day"],
            "injury_date": [date(2019, 5, 30)] * 2,
        }
    )
    warehouse.overwrite_table("mlb_raw.bdl_injuries", frame)
    got = warehouse.query(
        "sources/il_roster.sql",
        {
            "start_date": date(2019, 6, 1),
            "end_date": date(2019, 6, 9),
            "max_age_days": 7,
            "il_statuses": ["10-Day-IL", "15-Day-IL", "60-Day-IL", "Out"],
        },
    )
    on_list = got.dropna(subset=["pitcher_lookup"])
    # 06-01 .. 06-08 see the snapshot (at most 7 days old); 06-09 has none fresh.
    assert sorted(set(on_list["pitcher_lookup"])) == ["pitcher_one"]
    assert len(on_list) == 8
    assert got[got["game_date"] == pd.Timestamp("2019-06-09")]["snapshot_date"].isna().all()


def test_freshness_is_judged_on_game_dates_only(seeded: Path) -> None:
    """A range across the off-season: no games, no roster needed, nothing stale."""
    result = materialize_range(
        defs_for(seeded),
        ["il_roster"],
        "2018-09-25",
        "2019-04-05",
        resources={"warehouse": DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))},
    )
    fresh = checks(result)["il_roster_fresh"]
    assert fresh.passed, fresh.metadata
    winter = query_copy(
        seeded,
        "SELECT COUNT(*) AS n FROM mlb_precompute.il_roster "
        "WHERE game_date BETWEEN '2018-10-15' AND '2019-03-01'",
    )["n"][0]
    assert winter == 0
