"""The warehouse interface every asset talks to, whichever engine is behind it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

import pandas as pd
from dagster import ConfigurableResource
from pydantic import PrivateAttr

from mlb_assets.resources.query_stats import QueryStats
from mlb_assets.resources.sql import read_sql, window_sql

_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


def checked_table_name(table: str) -> str:
    """Table names are identifiers, not values, so they cannot be bound as parameters.

    They come from code, never from users; this guard keeps it that way.
    """
    if not _TABLE_NAME.match(table):
        raise ValueError(f"not a dataset.table name: {table!r}")
    return table


def check_window(frame: pd.DataFrame, column: str, start: date, end: date) -> None:
    """Refuse to write rows outside the window being replaced: they would never be cleaned up."""
    if frame.empty:
        return
    dates = pd.to_datetime(frame[column]).dt.date
    outside = frame[(dates < start) | (dates > end)]
    if not outside.empty:
        raise ValueError(f"{len(outside)} rows have {column} outside the window {start}..{end}")


class Warehouse(ConfigurableResource):
    """Runs the project's BigQuery-dialect SQL and writes whole date partitions atomically.

    Subclasses bind it to an engine. Every call is counted in `stats` (and in any open
    `tracking()` scope) so assets can report their query cost.
    """

    _stats: QueryStats = PrivateAttr(default_factory=QueryStats)
    _trackers: list[QueryStats] = PrivateAttr(default_factory=list)

    # -- engine-specific -------------------------------------------------------------------
    def _run_query(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        raise NotImplementedError

    def _run_script(self, sql: str) -> None:
        raise NotImplementedError

    def _replace(
        self, table: str, frame: pd.DataFrame, column: str, start: date, end: date
    ) -> None:
        raise NotImplementedError

    def _overwrite(self, table: str, frame: pd.DataFrame) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release connections; the engine reopens lazily on the next call."""

    # -- public API ----------------------------------------------------------------------------
    @property
    def stats(self) -> QueryStats:
        return self._stats

    @contextmanager
    def tracking(self) -> Iterator[QueryStats]:
        """Count only the calls made inside this scope (one asset's share of a run)."""
        scope = QueryStats()
        self._trackers.append(scope)
        try:
            yield scope
        finally:
            self._trackers.remove(scope)

    def _count(self, **counts: int) -> None:
        for stats in (self._stats, *self._trackers):
            stats.add(**counts)

    def query(self, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run `mlb_assets/sql/<name>` with named `@params` bound as query parameters."""
        return self.query_text(read_sql(name), params)

    def query_text(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        frame = self._run_query(sql, dict(params or {}))
        self._count(queries=1, rows_read=len(frame))
        return frame

    def read_window(self, table: str, start: date, end: date) -> pd.DataFrame:
        """A project table's rows for [start, end]: one parameterised read for every table."""
        return self.query_text(
            window_sql(checked_table_name(table)), {"start_date": start, "end_date": end}
        )

    def run_script(self, sql: str) -> None:
        """Run DDL (a migration file of several statements)."""
        self._run_script(sql)
        self._count(queries=1)

    def replace_partitions(
        self,
        table: str,
        frame: pd.DataFrame,
        start: date,
        end: date,
        date_column: str = "game_date",
    ) -> int:
        """Replace every row of `table` whose `date_column` lies in [start, end] with `frame`.

        Atomic: a re-run never duplicates rows and a failure part-way leaves the old rows.
        """
        table = checked_table_name(table)
        check_window(frame, date_column, start, end)
        self._replace(table, frame, date_column, start, end)
        self._count(queries=1, rows_written=len(frame))
        return len(frame)

    def overwrite_table(self, table: str, frame: pd.DataFrame) -> int:
        """Replace a whole table (source tables seeded by the demo)."""
        table = checked_table_name(table)
        self._overwrite(table, frame)
        self._count(queries=1, rows_written=len(frame))
        return len(frame)

    def teardown_after_execution(self, context: Any) -> None:
        self.close()
