"""Column schemas read from the migrations, so the UI shows exactly what the DDL creates.

Each column's description is written once, in the DDL (`OPTIONS(description="...")`):
BigQuery stores it with the column, DuckDB never sees it (sqlglot drops column options when
it transpiles), and the schemas read here carry it to the Dagster UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dagster import TableColumn, TableSchema
from sqlglot import exp

from mlb_assets.resources.sql import migration_files, read_sql, split_statements


@dataclass(frozen=True)
class ColumnSpec:
    """One column as the DDL declares it."""

    name: str
    type: str  # BigQuery type, e.g. FLOAT64 or ARRAY<STRING>
    description: str | None  # OPTIONS(description=...); None when the DDL gives none


def _table_name(table: exp.Table) -> str:
    return f"{table.db}.{table.name}"


def _description(column: exp.ColumnDef) -> str | None:
    """The column's `OPTIONS(description="...")`, parsed by sqlglot as a constraint."""
    for constraint in column.constraints:
        options = constraint.args.get("kind")
        if not isinstance(options, exp.Properties):
            continue
        for option in options.expressions:
            value = option.args.get("value")
            if (
                isinstance(option, exp.Property)
                and option.name.lower() == "description"
                and isinstance(value, exp.Literal)
                and value.is_string
            ):
                return value.this
    return None


def _spec(column: exp.ColumnDef) -> ColumnSpec:
    return ColumnSpec(
        name=column.name,
        type=column.args["kind"].sql(dialect="bigquery"),
        description=_description(column),
    )


@cache
def _migration_tables() -> tuple[dict[str, exp.Create], dict[str, list[exp.ColumnDef]]]:
    """Every CREATE TABLE of the migrations by `dataset.table`, and the columns that
    `ALTER TABLE ... ADD COLUMN` adds to each table, in migration order."""
    creates: dict[str, exp.Create] = {}
    added: dict[str, list[exp.ColumnDef]] = {}
    for name in migration_files():
        for stmt in split_statements(read_sql(name)):
            if isinstance(stmt, exp.Create) and stmt.kind == "TABLE":
                target = stmt.this
                table = target.this if isinstance(target, exp.Schema) else target
                assert isinstance(table, exp.Table)
                creates[_table_name(table)] = stmt
            elif isinstance(stmt, exp.Alter) and isinstance(stmt.this, exp.Table):
                actions = stmt.args.get("actions") or []
                added.setdefault(_table_name(stmt.this), []).extend(
                    action for action in actions if isinstance(action, exp.ColumnDef)
                )
    return creates, added


def migration_tables() -> list[str]:
    """`dataset.table` of every table the migrations create, in migration order."""
    return list(_migration_tables()[0])


def column_specs(table: str) -> list[ColumnSpec]:
    """The columns of a table the migrations create: its CREATE TABLE's own (or, for
    `CREATE TABLE ... LIKE`, its source's), then any that only an ALTER TABLE adds.

    An ALTER that re-adds a column for deployments predating it changes nothing here.
    """
    creates, added = _migration_tables()
    stmt = creates[table]
    like = stmt.find(exp.LikeProperty)
    if like is not None:
        columns = column_specs(_table_name(like.this))
    else:
        columns = [_spec(col) for col in stmt.this.expressions if isinstance(col, exp.ColumnDef)]
    names = {column.name for column in columns}
    for col in added.get(table, []):
        if col.name not in names:
            columns.append(_spec(col))
            names.add(col.name)
    return columns


def table_columns(table: str) -> list[tuple[str, str]]:
    """(column, BigQuery type) pairs of a project table, following `CREATE TABLE ... LIKE`."""
    return [(column.name, column.type) for column in column_specs(table)]


def table_schema(table: str) -> TableSchema:
    """The table's columns with their types and DDL descriptions, for `dagster/column_schema`."""
    return TableSchema(
        columns=[
            TableColumn(column.name, column.type, description=column.description)
            for column in column_specs(table)
        ]
    )
