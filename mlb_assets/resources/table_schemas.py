"""Column schemas read from the migrations, so the UI shows exactly what the DDL creates."""

from __future__ import annotations

from functools import cache

from dagster import TableColumn, TableSchema
from sqlglot import exp

from mlb_assets.resources.sql import migration_files, read_sql, split_statements


@cache
def _create_statements() -> dict[str, exp.Create]:
    found: dict[str, exp.Create] = {}
    for name in migration_files():
        for stmt in split_statements(read_sql(name)):
            if isinstance(stmt, exp.Create) and stmt.kind == "TABLE":
                table = stmt.find(exp.Table)
                assert table is not None
                found[f"{table.db}.{table.name}"] = stmt
    return found


def table_columns(table: str) -> list[tuple[str, str]]:
    """(column, BigQuery type) pairs of a project table, following `CREATE TABLE ... LIKE`."""
    stmt = _create_statements()[table]
    like = stmt.find(exp.LikeProperty)
    if like is not None:
        source = like.this
        return table_columns(f"{source.db}.{source.name}")
    return [
        (col.name, col.args["kind"].sql(dialect="bigquery")) for col in stmt.find_all(exp.ColumnDef)
    ]


def table_schema(table: str) -> TableSchema:
    return TableSchema(columns=[TableColumn(name, kind) for name, kind in table_columns(table)])
