"""Builds the configured warehouse: the embedded DuckDB file, or BigQuery in production."""

from __future__ import annotations

from mlb_assets.config import MLBConfig
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.warehouse import Warehouse


def build_warehouse(config: MLBConfig) -> Warehouse:
    if config.warehouse == "bigquery":
        from mlb_assets.resources.bigquery_warehouse import BigQueryWarehouse

        return BigQueryWarehouse.from_config(config)
    return DuckDBWarehouse(path=config.duckdb_path)
