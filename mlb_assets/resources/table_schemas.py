"""The one catalogue of what the migrations create: tables, views, columns, types, descriptions.

It is read from the DDL itself, by replaying the migrations in order on an empty catalogue, so
every reader (the column schemas the Dagster UI shows, the DuckDB setup's check that a
warehouse is migrated, the demo's generator, the tests) sees exactly what `mlb-assets migrate`
builds, and none keeps a copy of the DDL that could drift from it.

Each column's description is written once, in the DDL (`OPTIONS(description="...")`):
BigQuery stores it with the column, DuckDB never sees it (sqlglot drops column options when
it transpiles), and the schemas read here carry it to the Dagster UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Literal

from dagster import TableColumn, TableSchema
from sqlglot import exp

from mlb_assets.resources.sql import migration_files, read_sql, split_statements

# Datasets whose tables are written upstream (by the demo locally), never by the assets.
SOURCE_DATASETS = frozenset({"mlb_raw", "mlb_analytics", "mlb_reference"})


@dataclass(frozen=True)
class ColumnSpec:
    """One column as the DDL declares it."""

    name: str
    type: str  # BigQuery type, e.g. FLOAT64 or ARRAY<STRING>
    description: str | None  # OPTIONS(description=...); None when the DDL gives none


@dataclass(frozen=True)
class Relation:
    """A table or view as the migrations leave it."""

    name: str  # dataset.name
    kind: Literal["TABLE", "VIEW"]
    columns: tuple[ColumnSpec, ...]  # a view's DDL is a query and declares none

    @property
    def is_source(self) -> bool:
        """A source is the upstream's to fill: missing, it is a source problem, not a setup one."""
        return self.name.split(".", 1)[0] in SOURCE_DATASETS


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


def _created(stmt: exp.Create, relations: Mapping[str, Relation]) -> Relation:
    target = stmt.this
    table = target.this if isinstance(target, exp.Schema) else target
    assert isinstance(table, exp.Table)
    name = _table_name(table)
    if stmt.kind == "VIEW":
        return Relation(name, "VIEW", ())
    like = stmt.find(exp.LikeProperty)
    if like is not None:  # the source's columns as they are at this point of the migrations
        return Relation(name, "TABLE", relations[_table_name(like.this)].columns)
    columns = tuple(_spec(c) for c in target.expressions if isinstance(c, exp.ColumnDef))
    return Relation(name, "TABLE", columns)


def _added(relation: Relation, stmt: exp.Alter) -> Relation:
    """`ALTER TABLE ... ADD COLUMN IF NOT EXISTS`: a column the table already has (re-added for
    deployments that predate it) changes nothing, so its CREATE TABLE's description stands."""
    columns = list(relation.columns)
    for action in stmt.args.get("actions") or []:
        if isinstance(action, exp.ColumnDef) and action.name not in {c.name for c in columns}:
            columns.append(_spec(action))
    return Relation(relation.name, relation.kind, tuple(columns))


@cache
def catalogue() -> Mapping[str, Relation]:
    """Every table and view the migrations create, by `dataset.name`, in the order first made."""
    relations: dict[str, Relation] = {}
    for name in migration_files():
        for stmt in split_statements(read_sql(name)):
            if isinstance(stmt, exp.Create) and stmt.kind in ("TABLE", "VIEW"):
                relation = _created(stmt, relations)
                if not (relation.name in relations and stmt.args.get("exists")):
                    relations[relation.name] = relation
            elif isinstance(stmt, exp.Alter) and isinstance(stmt.this, exp.Table):
                table = _table_name(stmt.this)
                relations[table] = _added(relations[table], stmt)
    return MappingProxyType(relations)


def migration_tables() -> list[str]:
    """`dataset.table` of every table the migrations create, in migration order."""
    return [r.name for r in catalogue().values() if r.kind == "TABLE"]


def column_specs(table: str) -> list[ColumnSpec]:
    """The columns of a table the migrations create, in the order the warehouse has them."""
    return list(catalogue()[table].columns)


def table_columns(table: str) -> list[tuple[str, str]]:
    """(column, BigQuery type) pairs of a table, e.g. for writing frames in the DDL's shape."""
    return [(column.name, column.type) for column in column_specs(table)]


def table_schema(table: str) -> TableSchema:
    """The table's columns with their types and DDL descriptions, for `dagster/column_schema`."""
    return TableSchema(
        columns=[
            TableColumn(column.name, column.type, description=column.description)
            for column in column_specs(table)
        ]
    )
