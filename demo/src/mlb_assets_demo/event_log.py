"""The demo instance's event log: Dagster's per-run SQLite storage with its connections kept open.

Dagster 1.13's `SqliteEventLogStorage` creates a new SQLAlchemy engine for every write
(`NullPool`): each event opens its shard file, recompiles its statements (the compiled cache
lives on the engine), commits with a full fsync and closes, which in WAL mode checkpoints the
file. A per-date check evaluation writes three times (the run's shard, the cross-run index
and the check's execution row), so on this machine one event costs about 9 ms against about
1.2 ms in memory, and a season run writes thousands of them: most of `make demo`'s slate step.

`PooledSqliteEventLogStorage` keeps ONE engine per shard file and process, its connections
open, with `synchronous=NORMAL` (SQLite's recommended setting for WAL: a commit is durable
against a crash of any process; only a power loss may roll back the last commits, never
corrupt the file). The files, their schema and their layout are Dagster's own, so any
process reading them with Dagster's storage (or a later instance without this class) sees the
same events.

What the per-write engines gave implicitly is kept explicitly:
- Live run logs in the UI: the webserver watches each run's `.db` file for changes, but with
  open connections a commit lands in the `-wal` file only, so after each write to a run's shard
  the `.db` file's timestamps are touched, which the watcher reports as a modification.
- Forked processes never share an inherited connection: engines are kept per process id.
- A bounded number of open files: the webserver reads the shards of many runs, so only the
  most recently used few keep an engine (an evicted one is closed and reopened on next use),
  and a wipe closes them before Dagster deletes their files.

Every process that loads the instance imports this module, so it imports only Dagster and
SQLAlchemy.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log import SqliteEventLogStorage

# Dagster's own bound on waiting for a locked SQLite file (SQLITE_BUSY_TIMEOUT_SECONDS in 1.13).
BUSY_TIMEOUT_SECONDS = 30
SYNCHRONOUS = "NORMAL"
# Shards with an open engine per process: the index, the run being written, and a few runs the
# UI is reading.
OPEN_SHARDS = 8


def _tune(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    cursor.close()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's run-sharded SQLite event log: one open engine per shard, not one per write."""

    def __init__(self, base_dir: str, inst_data: Any = None):
        self._engines: OrderedDict[str, sqlalchemy.Engine] = OrderedDict()
        self._engines_pid = os.getpid()
        self._engines_lock = threading.Lock()
        super().__init__(base_dir, inst_data)

    def _engine(self, shard: str) -> sqlalchemy.Engine:
        with self._engines_lock:
            if self._engines_pid != os.getpid():
                # A forked child: the parent's connections are not ours to use or to close.
                self._engines, self._engines_pid = OrderedDict(), os.getpid()
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
                return engine
            engine = sqlalchemy.create_engine(
                self.conn_string_for_shard(shard),
                pool_size=1,
                connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            sqlalchemy.event.listen(engine, "connect", _tune)
            self._engines[shard] = engine
            while len(self._engines) > OPEN_SHARDS:
                self._engines.popitem(last=False)[1].dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sqlalchemy.Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def store_event(self, event: EventLogEntry) -> None:
        super().store_event(event)
        # Only after writes: a touch after a read would wake the watcher, which reads again.
        path = self.path_for_shard(event.run_id)
        if os.path.exists(path):
            os.utime(path)

    @classmethod
    def from_config_value(cls, inst_data: Any, config_value: Any) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _close_engines(self) -> None:
        with self._engines_lock:
            engines, self._engines = self._engines, OrderedDict()
        for engine in engines.values():
            engine.dispose()

    def wipe(self) -> None:
        self._close_engines()
        super().wipe()

    def dispose(self) -> None:
        self._close_engines()
        super().dispose()
