"""The embedded default: one DuckDB file, datasets as schemas, the BigQuery SQL transpiled."""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from dagster_duckdb import DuckDBResource
from pydantic import Field, PrivateAttr

from mlb_assets.resources.sql import to_duckdb
from mlb_assets.resources.warehouse import Warehouse


class DuckDBWarehouse(Warehouse):
    """DuckDB allows one writer per file, so one connection is held per process and reused."""

    path: str = Field(
        default=".mlb/warehouse.duckdb", description="DuckDB database file (MLB_DUCKDB_PATH)."
    )

    _exit_stack: ExitStack | None = PrivateAttr(default=None)
    _connection: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    @property
    def engine(self) -> str:
        return "duckdb"

    def connection(self) -> duckdb.DuckDBPyConnection:
        """Open lazily via dagster-duckdb, which retries while another process holds the lock."""
        if self._connection is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            stack = ExitStack()
            self._connection = stack.enter_context(
                DuckDBResource(database=self.path).get_connection()
            )
            self._exit_stack = stack
        return self._connection

    def close(self) -> None:
        if self._exit_stack is not None:
            self._exit_stack.close()
        self._exit_stack = None
        self._connection = None

    def _run_query(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        statements = to_duckdb(sql)
        if len(statements) != 1:
            raise ValueError(f"a query must be one statement, got {len(statements)}")
        # DuckDB rejects bound names the statement does not use.
        used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", statements[0])}
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
        try:
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _mlb_incoming")
        finally:
            con.unregister("_mlb_incoming")

    def _replace(
        self, table: str, frame: pd.DataFrame, column: str, start: date, end: date
    ) -> None:
        if not column.isidentifier():
            raise ValueError(f"not a column name: {column!r}")
        con = self.connection()
        con.begin()
        try:
            con.execute(
                f"DELETE FROM {table} WHERE {column} BETWEEN $start AND $end",
                {"start": start, "end": end},
            )
            self._insert(con, table, frame)
        except BaseException:
            con.rollback()
            raise
        con.commit()

    def _overwrite(self, table: str, frame: pd.DataFrame) -> None:
        con = self.connection()
        con.begin()
        try:
            con.execute(f"DELETE FROM {table}")
            self._insert(con, table, frame)
        except BaseException:
            con.rollback()
            raise
        con.commit()
