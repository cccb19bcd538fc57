"""The DuckDB file's faults each end in one clear error, fast, with nothing half-done:
missing, unmigrated, locked by another process, on a read-only file system, a failed write."""

from __future__ import annotations

import logging
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import DagsterInstance

from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.errors import (
    SourceTableMissing,
    WarehouseLocked,
    WarehouseNotFound,
    WarehouseNotMigrated,
    is_transient,
)
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.bounds import PROCESS_BOUND_SECONDS, wait_until
from mlb_assets_tests.conftest import defs_for
from mlb_assets_tests.faults import lock_held, needs_read_only, release, run_on_read_only

DAILY = ["feature_store_slice", "il_roster", "prop_lines"]
DAY = "2019-06-01"
BIN = Path(sys.executable).parent


def step_failures(result) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Each failed step's error chain, outermost first, as 'Class: message'."""
    failures = {}
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            chain, error = [], event.event_specific_data.error
            while error is not None:
                chain.append(f"{error.cls_name}: {error.message.strip()}")
                error = error.cause
            failures[event.step_key] = chain
    return failures


def run_logs(instance: DagsterInstance, run_id: str) -> list[str]:
    return [e.user_message for e in instance.all_logs(run_id)]


# -- a failed write --------------------------------------------------------------------------
def test_a_failed_write_raises_its_cause_not_the_cleanups(warehouse: DuckDBWarehouse) -> None:
    """The insert fails on a value; DuckDB then refuses every statement until the rollback.
    The operator must see the bad value, never "Current transaction is aborted"."""
    table = "mlb_precompute.il_roster"
    day = date.fromisoformat(DAY)
    good = pd.DataFrame(
        {
            "game_date": [day],
            "pitcher_lookup": ["kept_pitcher"],
            "injury_status": ["10-Day-IL"],
            "injury_date": [day],
            "snapshot_date": [day],
        }
    )
    warehouse.replace_partitions(table, good, day, day)
    garbage = good.assign(pitcher_lookup="new_pitcher", injury_date="garbage")
    with pytest.raises(duckdb.ConversionException, match="garbage"):
        warehouse.replace_partitions(table, garbage, day, day)
    kept = warehouse.query_text(
        f"SELECT pitcher_lookup FROM {table} WHERE game_date = @d", {"d": day}
    )
    assert kept["pitcher_lookup"].tolist() == ["kept_pitcher"]
    # The connection is usable again: nothing of the failed transaction lingers.
    warehouse.replace_partitions(table, good.assign(pitcher_lookup="next"), day, day)


# -- missing and unmigrated ----------------------------------------------------------------
def test_a_missing_warehouse_is_named_and_never_created(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "warehouse.duckdb"
    for read_only in (True, False):
        with pytest.raises(WarehouseNotFound, match="mlb-assets demo seed") as error:
            DuckDBWarehouse(path=str(path), read_only=read_only).connection()
        assert str(path) in str(error.value) and "make demo" in str(error.value)
    assert not path.exists() and not path.parent.exists()


def test_materializing_an_unmigrated_warehouse_says_migrate(tmp_path: Path) -> None:
    """Each step says the warehouse is not migrated and how to fix it; the injured list does
    not pass it off as a source outage with an empty roster."""
    work = tmp_path / "mlb"
    work.mkdir()
    duckdb.connect(str(work / "warehouse.duckdb")).close()  # a file, and nothing in it
    with DagsterInstance.ephemeral() as instance:
        result = materialize_range(
            defs_for(work), DAILY, DAY, DAY, instance=instance, raise_on_error=False
        )
        logs = run_logs(instance, result.run_id)
    assert not result.success
    failures = step_failures(result)
    assert sorted(failures) == sorted(DAILY)
    for chain in failures.values():
        cause = next(c for c in chain if c.startswith("WarehouseNotMigrated"))
        assert "is not migrated" in cause and "`mlb-assets migrate`" in cause
    assert not any("source failed" in line or "EMPTY roster" in line for line in logs)


def test_a_warehouse_missing_one_table_names_it(warehouse: DuckDBWarehouse) -> None:
    warehouse.connection().execute("DROP TABLE mlb_precompute.prop_lines")
    with pytest.raises(WarehouseNotMigrated, match=r"missing mlb_precompute\.prop_lines \(1 of"):
        warehouse.read_window("mlb_precompute.prop_lines", date(2019, 6, 1), date(2019, 6, 1))


def test_a_missing_source_table_is_the_sources_problem(warehouse: DuckDBWarehouse) -> None:
    """An upstream table gone from a migrated warehouse is named as a source problem (not a
    setup error), so the injured list can fail safe on it."""
    warehouse.connection().execute("DROP TABLE mlb_raw.oddsa_pitcher_props")
    with pytest.raises(SourceTableMissing, match=r"source table mlb_raw\.oddsa_pitcher_props"):
        warehouse.query("sources/prop_lines.sql", {"start_date": DAY, "end_date": DAY})
    assert not is_transient(SourceTableMissing("x"))


def test_a_catalog_error_of_a_complete_warehouse_is_left_as_it_is(
    warehouse: DuckDBWarehouse,
) -> None:
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        warehouse.query_text("SELECT * FROM mlb_raw.no_such_table")


# -- the lock ----------------------------------------------------------------------------------
def test_a_second_writer_says_it_waits_then_gives_up(
    seeded: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = seeded / "warehouse.duckdb"
    caplog.set_level(logging.WARNING)
    with lock_held(path) as holder:
        began = time.monotonic()
        with pytest.raises(WarehouseLocked) as error:
            DuckDBWarehouse(path=str(path), lock_timeout_seconds=1.0).connection()
        waited = time.monotonic() - began
    message = str(error.value)
    assert str(path) in message and f"PID {holder.pid}" in message
    assert "MLB_DUCKDB_LOCK_TIMEOUT_SECONDS" in message and "gave up after 1 s" in message
    waiting = [r.getMessage() for r in caplog.records if "waiting for the DuckDB lock" in r.message]
    assert len(waiting) == 1 and f"PID {holder.pid}" in waiting[0] and str(path) in waiting[0]
    assert waited >= 1.0  # it did wait the configured bound


def test_a_writer_gets_the_lock_once_it_is_released(
    seeded: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The holder lets go once the writer says it waits (not after a fixed sleep, which a busy
    machine can outlast before the writer even tries), and the writer then gets the lock."""
    path = seeded / "warehouse.duckdb"
    caplog.set_level(logging.WARNING)

    def says_it_waits() -> bool:
        return any("waiting for the DuckDB lock" in r.getMessage() for r in caplog.records)

    with lock_held(path) as holder:

        def release_once_waiting() -> None:
            wait_until("the writer to say it waits for the DuckDB lock", says_it_waits)
            release(holder)

        releaser = threading.Thread(target=release_once_waiting, daemon=True)
        releaser.start()
        warehouse = DuckDBWarehouse(path=str(path), lock_timeout_seconds=PROCESS_BOUND_SECONDS)
        assert warehouse.query_text("SELECT 1 AS one")["one"][0] == 1
        warehouse.close()
        releaser.join(PROCESS_BOUND_SECONDS)
    assert says_it_waits()


def test_the_lock_bound_comes_from_the_setting(seeded: Path) -> None:
    from mlb_assets.config import MLBConfig
    from mlb_assets.resources.factory import build_warehouse

    config = MLBConfig.from_env(
        {
            "MLB_DUCKDB_PATH": str(seeded / "warehouse.duckdb"),
            "MLB_DUCKDB_LOCK_TIMEOUT_SECONDS": "0",
        }
    )
    with lock_held(seeded / "warehouse.duckdb"), pytest.raises(WarehouseLocked, match="after 0 s"):
        build_warehouse(config, read_only=True).query_text("SELECT 1")


# -- permissions are never transient -------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (duckdb.IOException('Cannot open file "x.duckdb": Read-only file system'), False),
        (duckdb.IOException('Cannot open file "x.duckdb": Permission denied'), False),
        (duckdb.PermissionException("permission denied"), False),
        (WarehouseLocked("gave up"), False),
        (duckdb.IOException("Could not read enough bytes from file"), True),
    ],
)
def test_refused_access_is_never_transient(error: Exception, transient: bool) -> None:
    assert is_transient(error) is transient


# -- a read-only file system ------------------------------------------------------------------
@pytest.mark.slow
@needs_read_only
def test_materializing_on_a_read_only_file_system_fails_at_once(
    seeded: Path, tmp_path: Path
) -> None:
    """No connect retries, no injured-list retries, no "source failed": each step fails on its
    first attempt with one message naming the file and the read-only file system."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    began = time.monotonic()
    done = run_on_read_only(
        seeded,
        [
            str(BIN / "dagster"),
            *("asset", "materialize", "-m", "mlb_assets.definitions"),
            *("--select", ",".join(DAILY), "--partition", DAY),
        ],
        env={"DAGSTER_HOME": str(home), "MLB_DUCKDB_PATH": str(seeded / "warehouse.duckdb")},
    )
    elapsed = time.monotonic() - began
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert output.count("WarehouseNotWritable: cannot open the DuckDB warehouse") >= len(DAILY)
    assert "Read-only file system" in output
    assert "source failed" not in output and "retrying in" not in output
    # The old path retried the connect silently for about 100 s in each step. Judged inside
    # each step (its start to its failure, from the run's event log), not over the whole
    # command: process starts and code loading are what a busy machine slows down, and a
    # step that only fails to connect takes well under a second of work.
    steps = step_seconds(home)
    assert set(steps) == set(DAILY), steps
    assert all(seconds < 60 for seconds in steps.values()), steps
    print(f"read-only materialize failed after {elapsed:.1f} s; steps {steps}")


def step_seconds(home: Path) -> dict[str, float]:
    """Seconds from each step's start to its end in the one run recorded under `home`."""
    from dagster import DagsterEventType

    with DagsterInstance.from_config(str(home)) as instance:
        (run,) = instance.get_runs()
        events = instance.all_logs(
            run.run_id,
            of_type={
                DagsterEventType.STEP_START,
                DagsterEventType.STEP_FAILURE,
                DagsterEventType.STEP_SUCCESS,
            },
        )
    start = DagsterEventType.STEP_START
    started = {e.step_key: e.timestamp for e in events if e.dagster_event_type == start}
    return {
        str(e.step_key): round(e.timestamp - started[e.step_key], 2)
        for e in events
        if e.dagster_event_type != start and e.step_key in started
    }


@needs_read_only
def test_a_read_only_warehouse_still_answers_reads(seeded: Path) -> None:
    probe = (
        "from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse as W;"
        f"w = W(path={str(seeded / 'warehouse.duckdb')!r}, read_only=True);"
        "print(w.query_text('SELECT COUNT(*) AS n FROM mlb_raw.mlb_schedule')['n'][0])"
    )
    done = run_on_read_only(seeded, [sys.executable, "-c", probe], env={})
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) > 1000
    assert not (seeded / "warehouse.duckdb.wal").exists()
