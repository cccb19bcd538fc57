"""Builds the configured warehouse: the embedded DuckDB file, or BigQuery in production."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dagster import EnvVar

from mlb_assets.config import MLBConfig
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.warehouse import Warehouse


def build_warehouse(
    config: MLBConfig, *, read_only: bool = False, create: bool = False
) -> Warehouse:
    """A warehouse to call directly (commands, tests): every value resolved from the config.

    `read_only` for commands that only read (they then work on a read-only file and never
    create one); `create` only for the commands that build a warehouse (migrate, demo seed).
    """
    if config.warehouse == "bigquery":
        from mlb_assets.resources.bigquery_warehouse import BigQueryWarehouse

        return BigQueryWarehouse.from_config(config)
    return DuckDBWarehouse(
        path=config.duckdb_path,
        read_only=read_only,
        create_if_missing=create,
        lock_timeout_seconds=config.duckdb_lock_timeout_seconds,
    )


@contextmanager
def reading(config: MLBConfig) -> Iterator[Warehouse]:
    """The configured warehouse, read-only, for a command that only reads: it then works on a
    read-only file system and never creates a warehouse, and its connection is closed after."""
    warehouse = build_warehouse(config, read_only=True)
    try:
        yield warehouse
    finally:
        warehouse.close()


def warehouse_resource(config: MLBConfig) -> Warehouse:
    """The warehouse as the code location's resource: deployment values as EnvVar, so the UI
    shows where they come from and never their values (Dagster resolves them at run time)."""
    if config.warehouse == "bigquery" and config.gcp_project:
        from mlb_assets.resources.bigquery_warehouse import BigQueryWarehouse

        return BigQueryWarehouse.from_config(config, project=EnvVar("MLB_GCP_PROJECT"))
    return build_warehouse(config)
