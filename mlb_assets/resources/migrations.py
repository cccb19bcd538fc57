"""Applies mlb_assets/sql/migrations to a warehouse; every statement is idempotent, so
re-running is safe."""

from __future__ import annotations

from collections.abc import Callable

from mlb_assets.config import MLBConfig
from mlb_assets.resources.sql import migration_files, read_sql, to_duckdb
from mlb_assets.resources.warehouse import Warehouse


def migrate(warehouse: Warehouse, log: Callable[[str], None] = lambda _: None) -> list[str]:
    """Apply every migration in order and return their names."""
    applied = []
    for name in migration_files():
        warehouse.run_script(read_sql(name))
        log(f"applied {name}")
        applied.append(name)
    return applied


def render_migrations(config: MLBConfig) -> str:
    """The DDL `migrate` would run on the configured engine, for review before applying."""
    if config.warehouse == "bigquery":
        from mlb_assets.resources.bigquery_sql import qualify_for_bigquery

        rendered = [
            qualify_for_bigquery(read_sql(name), config.gcp_project, config.bq_dataset_prefix)
            for name in migration_files()
        ]
    else:
        rendered = [";\n".join(to_duckdb(read_sql(name))) + ";" for name in migration_files()]
    return "\n\n".join(
        f"-- {name}\n{sql}" for name, sql in zip(migration_files(), rendered, strict=True)
    )
