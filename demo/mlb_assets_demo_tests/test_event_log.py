"""The demo instance's event log keeps Dagster's files and behaviour with its connections open.

`PooledSqliteEventLogStorage` changes how the demo instance writes (one open engine per
shard, WAL with synchronous=NORMAL), never what: Dagster's own `SqliteEventLogStorage`,
opened on the same folder as another process would, reads every event back; the UI's live
run log (a watcher on the run's file) still hears each new event; and the process keeps a
bounded number of files open however many runs it reads.
"""

import os
from pathlib import Path

import pytest
from dagster import (
    AssetExecutionContext,
    DagsterInstance,
    DailyPartitionsDefinition,
    asset,
    materialize,
)
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log import SqliteEventLogStorage

from mlb_assets_demo.event_log import OPEN_SHARDS, PooledSqliteEventLogStorage
from mlb_assets_demo.home import ensure_dagster_home
from mlb_assets_demo.runs import range_tags
from mlb_assets_tests.bounds import wait_until

DAILY = DailyPartitionsDefinition(start_date="2019-06-01", end_date="2019-06-06")
KEYS = DAILY.get_partition_keys()


@asset(partitions_def=DAILY)
def daily_rows(context: AssetExecutionContext) -> None:
    """A range asset writing each date's own metadata, as the project's daily assets do."""
    for i, key in enumerate(context.partition_keys):
        context.add_asset_metadata({"rows": i}, partition_key=key)


@pytest.fixture
def demo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Dagster home with the settings `make demo` writes."""
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    return ensure_dagster_home()


def test_the_demo_instance_writes_events_dagster_s_own_storage_reads(demo_home: Path) -> None:
    with DagsterInstance.from_config(str(demo_home)) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        result = materialize([daily_rows], instance=instance, tags=range_tags(KEYS[0], KEYS[-1]))
        assert result.success
        written = instance.all_logs(result.run_id)

    reader = SqliteEventLogStorage(str(demo_home / "history" / "runs"))
    try:
        records = reader.get_records_for_run(result.run_id).records
        assert [r.event_log_entry for r in records] == list(written)
        assert reader.get_materialized_partitions(daily_rows.key) == set(KEYS)
        rows = {
            r.asset_materialization.partition: r.asset_materialization.metadata["rows"].value
            for r in records
            if r.asset_materialization is not None
        }
        assert rows == {key: i for i, key in enumerate(KEYS)}
    finally:
        reader.dispose()


def test_a_watcher_of_a_run_hears_each_new_event(tmp_path: Path) -> None:
    """The webserver's live run log: a watch on the run's `.db` file (watchdog). A commit on
    an open connection lands in the `-wal` file only; the storage touches the `.db` file."""
    base = tmp_path / "runs"
    writer = PooledSqliteEventLogStorage(str(base))
    writer_instance = DagsterInstance.ephemeral()
    reader = SqliteEventLogStorage(str(base))
    heard: list[str] = []
    run_id = "watched-run"

    def hear(entry: EventLogEntry, _cursor: str) -> None:
        heard.append(entry.get_dagster_event().message or "")

    try:
        _engine_event(writer, writer_instance, run_id, "first")
        reader.watch(run_id, None, hear)
        for n in range(3):
            _engine_event(writer, writer_instance, run_id, f"later {n}")
        wait_until(
            "the watcher to hear the three later events",
            lambda: {"later 0", "later 1", "later 2"} <= set(heard),
        )
    finally:
        reader.end_watch(run_id, hear)
        reader.dispose()
        writer.dispose()
        writer_instance.dispose()


def _engine_event(
    storage: PooledSqliteEventLogStorage, instance: DagsterInstance, run_id: str, message: str
) -> None:
    """An engine event as a run writes it, stored through `storage`."""
    event = instance.report_engine_event(message, run_id=run_id, job_name="job")
    (entry,) = [e for e in instance.all_logs(run_id) if e.dagster_event == event]
    storage.store_event(entry)


def test_reading_many_runs_keeps_a_bounded_number_of_files_open(tmp_path: Path) -> None:
    storage = PooledSqliteEventLogStorage(str(tmp_path / "runs"))
    instance = DagsterInstance.ephemeral()
    try:
        for n in range(3 * OPEN_SHARDS):
            _engine_event(storage, instance, f"run-{n}", "started")
            storage.get_records_for_run(f"run-{n}")
        assert len(_open_shard_files(tmp_path / "runs")) <= OPEN_SHARDS
        # Every run is still readable after its engine was closed.
        assert all(storage.get_records_for_run(f"run-{n}").records for n in range(3 * OPEN_SHARDS))
    finally:
        storage.dispose()
        instance.dispose()
    assert not _open_shard_files(tmp_path / "runs")


def _open_shard_files(folder: Path) -> set[str]:
    """The `.db` files of `folder` this process has open."""
    fds = Path("/proc/self/fd")
    if not fds.exists():
        pytest.skip("reads /proc/self/fd")
    opened = set()
    for fd in fds.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder)) and target.endswith(".db"):
            opened.add(target)
    return opened
