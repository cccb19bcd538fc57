"""What every asset module shares: the engine kind, owners, table metadata, window bounds."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from dagster import AssetExecutionContext, MetadataValue

from mlb_assets.config import load_config
from mlb_assets.partitions import game_date_partitions, single_run, window_dates
from mlb_assets.table_schemas import table_schema

OWNERS = ["team:mlb-analytics"]
WAREHOUSE_KIND = load_config().warehouse


def daily_table_asset(table: str, group: str) -> dict[str, Any]:
    """The decorator arguments every daily, table-backed asset shares.

    One game_date partitioning, single-run backfills (the code reads the whole time window),
    the engine and pandas as kinds, and the table's location and columns for the UI.
    """
    return {
        "partitions_def": game_date_partitions,
        "backfill_policy": single_run,
        "group_name": group,
        "kinds": {WAREHOUSE_KIND, "pandas"},
        "owners": OWNERS,
        "metadata": table_metadata(table),
    }


def table_metadata(table: str) -> dict[str, Any]:
    """Definition-time metadata: where the asset lives and its columns (shown in the UI)."""
    return {
        "dagster/table_name": table,
        "dagster/column_schema": table_schema(table),
    }


def window(context: AssetExecutionContext) -> tuple[date, date]:
    """Inclusive game_date bounds of this run, whether it covers one date or a season."""
    return window_dates(context.partition_time_window)


def markdown_table(frame: pd.DataFrame) -> MetadataValue:
    """A small frame as a markdown table for the UI (no extra dependency for it)."""
    if frame.empty:
        return MetadataValue.md("_none_")
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return MetadataValue.md("\n".join([header, rule, *rows]))


def window_metadata(start: date, end: date) -> dict[str, Any]:
    return {
        "window_start": MetadataValue.text(start.isoformat()),
        "window_end": MetadataValue.text(end.isoformat()),
        "window_days": (end - start).days + 1,
    }
