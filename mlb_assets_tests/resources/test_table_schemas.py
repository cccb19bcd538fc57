"""Every column the project creates is described once, in the DDL, and that description reaches
BigQuery (the DDL it runs), the Dagster UI (`dagster/column_schema`), and never DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlglot
from dagster import TableSchema
from sqlglot import exp

from mlb_assets.config import MLBConfig
from mlb_assets.definitions import build_definitions
from mlb_assets.resources.bigquery_sql import qualify_for_bigquery
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.migrations import migrate
from mlb_assets.resources.sql import migration_files, read_sql, to_duckdb
from mlb_assets.resources.table_schemas import ColumnSpec, catalogue, column_specs, migration_tables

SOURCE_TABLES = {
    "mlb_raw.mlb_schedule",
    "mlb_analytics.pitcher_game_summary",
    "mlb_raw.oddsa_pitcher_props",
    "mlb_raw.bdl_injuries",
    "mlb_reference.ballparks",
}
PROJECT_TABLES = {
    "mlb_precompute.feature_store_slice",
    "mlb_precompute.il_roster",
    "mlb_precompute.prop_lines",
    "mlb_predictions.v1_baseline_predictions",
    "mlb_predictions.v1_6_rolling_predictions",
    "mlb_predictions.ensemble_v1_predictions",
    "mlb_predictions.coverage_report",
    "mlb_predictions.prediction_grades",
    "mlb_predictions.system_performance",
}
# Every table with a blocking check has a quarantine twin (write-audit-publish).
QUARANTINE_TABLES = {
    f"{table}_quarantine"
    for table in PROJECT_TABLES
    - {"mlb_predictions.coverage_report", "mlb_predictions.system_performance"}
}


def _descriptions(sql_text: str) -> list[tuple[str, str | None]]:
    """(column, description) of every column definition, CREATE and ALTER alike, in order."""
    found = []
    for statement in sqlglot.parse(sql_text, read="bigquery"):
        for column in statement.find_all(exp.ColumnDef) if statement else []:
            options = [
                p
                for c in column.constraints
                if isinstance(c.args.get("kind"), exp.Properties)
                for p in c.args["kind"].expressions
                if p.name == "description"
            ]
            found.append((column.name, options[0].args["value"].this if options else None))
    return found


def test_the_migrations_create_every_source_and_project_table() -> None:
    assert set(migration_tables()) == SOURCE_TABLES | PROJECT_TABLES | QUARANTINE_TABLES
    assert {r.name for r in catalogue().values() if r.is_source} == SOURCE_TABLES


def test_the_catalogue_is_what_migrate_creates(tmp_path: Path) -> None:
    """Every table and view, of its kind, and nothing else: the DuckDB setup judges a
    warehouse migrated by this catalogue."""
    warehouse = DuckDBWarehouse(path=str(tmp_path / "warehouse.duckdb"), create_if_missing=True)
    try:
        migrate(warehouse)
        created = (
            warehouse.connection()
            .execute(
                "SELECT table_schema || '.' || table_name, table_type "
                "FROM information_schema.tables"
            )
            .fetchall()
        )
    finally:
        warehouse.close()
    kinds = {"TABLE": "BASE TABLE", "VIEW": "VIEW"}
    assert dict(created) == {name: kinds[relation.kind] for name, relation in catalogue().items()}
    assert "mlb_predictions.pitcher_strikeouts" in catalogue()


@pytest.mark.parametrize("table", sorted(SOURCE_TABLES | PROJECT_TABLES | QUARANTINE_TABLES))
def test_every_column_has_a_description(table: str) -> None:
    columns = column_specs(table)
    assert columns, table
    undescribed = [c.name for c in columns if not (c.description or "").strip()]
    assert not undescribed, f"{table}: no OPTIONS(description=...) on {undescribed}"
    for column in columns:
        assert "\n" not in column.description and len(column.description) <= 1024, column


def test_quarantine_twins_are_their_table_plus_run_and_failed_checks() -> None:
    for table in QUARANTINE_TABLES:
        base = column_specs(table.removesuffix("_quarantine"))
        columns = column_specs(table)
        assert columns[: len(base)] == base
        assert [c.name for c in columns[len(base) :]] == ["run_id", "failed_checks"]


def test_each_description_is_written_once() -> None:
    """A column re-added by ALTER TABLE (for deployments that predate it) either repeats no
    description or repeats exactly the one its CREATE TABLE gives, so the two cannot drift."""
    described = {
        (table, c.name): c.description for table in migration_tables() for c in column_specs(table)
    }
    by_name: dict[str, set[str]] = {}
    for (_, name), description in described.items():
        by_name.setdefault(name, set()).add(description)
    for name in migration_files():
        for column, description in _descriptions(read_sql(name)):
            if description is not None:
                assert description in by_name[column], (name, column, description)


def test_descriptions_reach_the_column_schema_of_every_table_asset() -> None:
    definitions = build_definitions(MLBConfig())
    shown: dict[str, TableSchema] = {}
    for spec in definitions.resolve_all_asset_specs():
        if "dagster/table_name" in spec.metadata:
            shown[str(spec.metadata["dagster/table_name"])] = spec.metadata["dagster/column_schema"]
    assert set(shown) == SOURCE_TABLES | PROJECT_TABLES
    for table, schema in shown.items():
        assert isinstance(schema, TableSchema), table
        in_ui = [ColumnSpec(c.name, c.type, c.description) for c in schema.columns]
        assert in_ui == column_specs(table), table
        assert all(c.description for c in schema.columns), table


def test_bigquery_gets_the_descriptions_and_duckdb_does_not() -> None:
    connection = duckdb.connect()
    for name in migration_files():
        sql_text = read_sql(name)
        written = _descriptions(sql_text)
        qualified = qualify_for_bigquery(sql_text, "mlb-prod-123", "prod_")
        assert _descriptions(qualified) == written, name
        for statement in to_duckdb(sql_text):
            bare = sqlglot.parse_one(statement, read="duckdb").sql("duckdb", comments=False)
            assert "description" not in bare.lower(), (name, bare[:200])
            connection.execute(statement)
    created = connection.execute(
        "SELECT c.table_schema || '.' || c.table_name, c.column_name "
        "FROM information_schema.columns AS c JOIN information_schema.tables AS t "
        "USING (table_catalog, table_schema, table_name) "
        "WHERE t.table_type = 'BASE TABLE' "
        "ORDER BY c.table_schema, c.table_name, c.ordinal_position"
    ).fetchall()
    in_duckdb: dict[str, list[str]] = {}
    for table, column in created:
        in_duckdb.setdefault(table, []).append(column)
    assert in_duckdb == {t: [c.name for c in column_specs(t)] for t in migration_tables()}
