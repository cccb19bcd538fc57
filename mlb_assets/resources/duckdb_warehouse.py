"""The embedded default: one DuckDB file, datasets as schemas, the BigQuery SQL transpiled."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

import duckdb
import pandas as pd
from dagster import get_dagster_logger
from pydantic import Field, PrivateAttr

from mlb_assets.resources.duckdb_setup import catalog_problem, open_duckdb
from mlb_assets.resources.sql import to_duckdb
from mlb_assets.resources.warehouse import Warehouse


class DuckDBWarehouse(Warehouse):
    """DuckDB allows one writer per file, so one connection is held per process and reused."""

    path: str = Field(
        default=".mlb/warehouse.duckdb", description="DuckDB database file (MLB_DUCKDB_PATH)."
    )
    read_only: bool = Field(
        default=False,
        description="Open read-only: commands that only read work on a read-only file system.",
    )
    create_if_missing: bool = Field(
        default=False,
        description="Create a missing file (migrate, demo seed); anyone else reports it missing.",
    )
    lock_timeout_seconds: float = Field(
        default=60.0,
        ge=0.0,
        description="Seconds to wait for a lock held elsewhere (MLB_DUCKDB_LOCK_TIMEOUT_SECONDS).",
    )

    _connection: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def connection(self) -> duckdb.DuckDBPyConnection:
        """Open lazily; a lock held elsewhere is waited for, visibly and for a bounded time."""
        if self._connection is None:
            self._connection = open_duckdb(
                self.path,
                read_only=self.read_only,
                create=self.create_if_missing,
                lock_timeout_s=self.lock_timeout_seconds,
                log=get_dagster_logger("mlb_assets.warehouse"),
            )
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None

    @contextmanager
    def _catalog_checked(self) -> Iterator[None]:
        """A table or view the migrations create is missing: say what is missing and how to fix
        it (migrate; or the source's upstream), instead of DuckDB's catalog error for whichever
        table came first."""
        try:
            yield
        except duckdb.CatalogException as exc:
            present = self.connection().execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables"
            )
            error = catalog_problem(self.path, (row[0] for row in present.fetchall()))
            if error is None:
                raise
            raise error from exc

    def _run_query(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        statements = to_duckdb(sql)
        if len(statements) != 1:
            raise ValueError(f"a query must be one statement, got {len(statements)}")
        # DuckDB rejects bound names the statement does not use.
        used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", statements[0])}
        with self._catalog_checked():
            return self.connection().execute(statements[0], used).df()

    def _run_script(self, sql: str) -> None:
        con = self.connection()
        for statement in to_duckdb(sql):
            con.execute(statement)

    def _insert(self, con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
        """Insert by column name, so the frame's column order does not matter."""
        if frame.empty:
            return
        con.register("_mlb_incoming", frame)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _mlb_incoming")
        # Only after success: a failed statement aborts the transaction, whose rollback drops
        # the registration (unregistering first would fail and hide the real error).
        con.unregister("_mlb_incoming")

    def _replace(
        self, table: str, frame: pd.DataFrame, column: str, start: date, end: date
    ) -> None:
        if not column.isidentifier():
            raise ValueError(f"not a column name: {column!r}")
        con = self.connection()
        with self._catalog_checked(), _transaction(con):
            con.execute(
                f"DELETE FROM {table} WHERE {column} BETWEEN $start AND $end",
                {"start": start, "end": end},
            )
            self._insert(con, table, frame)

    def _overwrite(self, table: str, frame: pd.DataFrame) -> None:
        con = self.connection()
        with self._catalog_checked(), _transaction(con):
            con.execute(f"DELETE FROM {table}")
            self._insert(con, table, frame)


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing. A rollback that fails too is noted on the error that caused it, never
    raised in its place: the operator must see why the write failed."""
    con.begin()
    try:
        yield
    except BaseException as exc:
        try:
            con.rollback()
        except duckdb.Error as cleanup:
            exc.add_note(f"rolling back also failed: {type(cleanup).__name__}: {cleanup}")
        raise
    con.commit()
