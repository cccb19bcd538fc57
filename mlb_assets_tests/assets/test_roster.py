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

from mlb_assets.features.injured_list import IL_SPELLINGS, IL_STATUSES
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import BOTH_SEASONS, defs_for, query_copy, run_checks, summaries

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
    """A query the source table no longer fits (a dropped column) fails at once, and safe."""
    wh = DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))
    wh.connection().execute("ALTER TABLE mlb_raw.bdl_injuries DROP COLUMN injury_status")
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
    assert "BinderException" in metadata(result)["error"]


def test_a_dropped_source_table_fails_safe_and_names_the_table(seeded: Path) -> None:
    """The injuries table is gone upstream: a source outage, so the empty fail-safe, with an
    error that names the table rather than DuckDB's catalog text."""
    wh = DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))
    wh.connection().execute("DROP TABLE mlb_raw.bdl_injuries CASCADE")
    wh.close()
    result = run_roster(seeded, failures=0, instance=DagsterInstance.ephemeral())
    assert result.success and metadata(result)["source_status"] == "failed"
    assert metadata(result)["attempts"] == 1
    assert "SourceTableMissing: source table mlb_raw.bdl_injuries" in metadata(result)["error"]


def test_an_unmigrated_view_is_not_passed_off_as_a_source_outage(seeded: Path) -> None:
    """A view the migrations create is gone: no roster can be trusted, and only an operator
    can fix it. The run fails naming `mlb-assets migrate`; no "EMPTY roster" fail-safe."""
    wh = DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))
    wh.connection().execute("DROP VIEW mlb_precompute.injury_snapshots")
    wh.close()
    with DagsterInstance.ephemeral() as instance:
        result = materialize_range(
            defs_for(seeded), ["il_roster"], DAY, DAY, instance=instance, raise_on_error=False
        )
        errors = logs(instance, result.run_id, 40)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    error = failure.event_specific_data.error
    messages = []
    while error is not None:
        messages.append(f"{error.cls_name}: {error.message}")
        error = error.cause
    assert any(m.startswith("WarehouseNotMigrated") and "mlb-assets migrate" in m for m in messages)
    assert not any("il_roster_source_failed" in m for m in errors)


def test_a_garbage_source_value_fails_the_write_with_its_own_error(seeded: Path) -> None:
    """The feed sends text where a date belongs: the write fails, and says so (the rollback's
    complaint about the aborted transaction never replaces the real error)."""
    wh = DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))
    wh.connection().execute(
        "CREATE OR REPLACE TABLE mlb_raw.bdl_injuries AS SELECT snapshot_date, pitcher_lookup, "
        "is_pitcher, injury_status, 'garbage' AS injury_date FROM mlb_raw.bdl_injuries"
    )
    wh.close()
    with DagsterInstance.ephemeral() as instance:
        result = materialize_range(
            defs_for(seeded), ["il_roster"], DAY, DAY, instance=instance, raise_on_error=False
        )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    cause = failure.event_specific_data.error.cause
    assert cause.cls_name == "ConversionException" and "garbage" in cause.message
    assert "TransactionException" not in str(failure.event_specific_data.error.to_string())


def il_query(warehouse: DuckDBWarehouse, statuses: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "snapshot_date": [date(2019, 6, 1)] * len(statuses),
            "pitcher_lookup": [f"Pitcher {i}" for i in range(len(statuses))],
            "is_pitcher": [True] * len(statuses),
            "injury_status": statuses,
            "injury_date": [date(2019, 5, 30)] * len(statuses),
        }
    )
    warehouse.overwrite_table("mlb_raw.bdl_injuries", frame)
    return warehouse.query(
        "sources/il_roster.sql",
        {
            "start_date": date(2019, 6, 1),
            "end_date": date(2019, 6, 9),
            "max_age_days": 7,
            "il_statuses": list(IL_SPELLINGS),
        },
    )


@pytest.mark.parametrize("status", ["10-Day-IL", "60-Day-IL", "Out", "IL-15", "IL60"])
def test_il_statuses_count_and_day_to_day_does_not(warehouse: DuckDBWarehouse, status: str) -> None:
    got = il_query(warehouse, [status, "Day-To-Day"])
    on_list = got.dropna(subset=["pitcher_lookup"])
    # 06-01 .. 06-08 see the snapshot (at most 7 days old); 06-09 has none fresh.
    assert sorted(set(on_list["pitcher_lookup"])) == ["pitcher_0"]
    assert len(on_list) == 8
    assert got[got["game_date"] == pd.Timestamp("2019-06-09")]["snapshot_date"].isna().all()
    # The Day-To-Day listing comes without a pitcher, for the vocabulary to count.
    assert (got.loc[got["pitcher_lookup"].isna(), "injury_status"] == "Day-To-Day").sum() == 8


def test_every_spelling_maps_to_a_canonical_status() -> None:
    assert set(IL_SPELLINGS.values()) == set(IL_STATUSES)
    assert {IL_SPELLINGS[s] for s in ("IL-10", "IL10", "10-Day-IL", "10-Day DL")} == {"10-Day-IL"}


def respell(seeded: Path, spelling: dict[str, str]) -> None:
    """The feed renames its statuses (e.g. '10-Day-IL' becomes 'IL-10')."""
    wh = DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))
    for old, new in spelling.items():
        wh.connection().execute(
            "UPDATE mlb_raw.bdl_injuries SET injury_status = $new WHERE injury_status = $old",
            {"old": old, "new": new},
        )
    wh.close()


def roster_of_the_day(seeded: Path) -> pd.DataFrame:
    return query_copy(
        seeded,
        "SELECT pitcher_lookup, injury_status FROM mlb_precompute.il_roster "
        "WHERE game_date = @d ORDER BY pitcher_lookup",
        d=date.fromisoformat(DAY),
    )


def test_a_respelled_vocabulary_keeps_the_roster(seeded: Path) -> None:
    """IL-10 / IL-15 / IL-60 are the same stints: the roster keeps every pitcher, stored under
    the canonical status, and the checks pass."""
    run_roster(seeded, failures=0, instance=DagsterInstance.ephemeral())
    before = roster_of_the_day(seeded)
    respell(seeded, {"10-Day-IL": "IL-10", "15-Day-IL": "IL-15", "60-Day-IL": "IL-60"})
    result = run_roster(seeded, failures=0, instance=DagsterInstance.ephemeral())
    after = roster_of_the_day(seeded)
    assert len(before) > 10
    assert after.equals(before)
    assert checks(result)["il_source_answered"].passed
    assert metadata(result)["unknown_statuses"] == "none"


def test_an_unknown_vocabulary_is_logged_and_fails_the_check(seeded: Path) -> None:
    """Statuses nobody mapped: the roster empties, so say which statuses, how many listings,
    and fail the WARN check instead of passing with nobody injured."""
    respell(
        seeded,
        {"10-Day-IL": "Injured List", "15-Day-IL": "Injured List", "60-Day-IL": "Injured List"},
    )
    respell(seeded, {"Out": "Injured List"})
    with DagsterInstance.ephemeral() as instance:
        result = run_roster(seeded, failures=0, instance=instance)
        warnings = logs(instance, result.run_id, 30)
    assert result.success and roster_rows(seeded) == 0
    check = checks(result)["il_source_answered"]
    assert not check.passed and check.severity.value == "WARN"
    unknown = check.metadata["unknown_statuses"].value
    assert unknown.startswith("Injured List (") and int(unknown.split("(")[1].rstrip(")")) > 10
    assert check.metadata["snapshots_without_il_status"].value == 1
    assert "list pitchers but none under an injured-list status" in check.description
    assert any("Injured List (" in w and "outside the vocabulary" in w for w in warnings)


def test_freshness_is_judged_on_game_dates_only(seeded: Path) -> None:
    """A range across the off-season: no games, no roster needed, nothing stale."""
    result = materialize_range(
        defs_for(seeded, **BOTH_SEASONS),
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
