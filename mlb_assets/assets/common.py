"""What every asset module shares: owners, the daily table-asset arguments, window bounds."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetObservation,
    Failure,
    MetadataValue,
)

from mlb_assets.config import MLBConfig
from mlb_assets.partitions import game_date_partitions, single_run, window_dates
from mlb_assets.resources.table_schemas import table_schema

OWNERS = ["team:mlb-analytics"]


def daily_table_asset(config: MLBConfig, table: str, group: str) -> dict[str, Any]:
    """The decorator arguments every daily, table-backed asset shares.

    One game_date partitioning, single-run backfills (the code reads the whole time window),
    the engine and pandas as kinds, and the table's location and columns for the UI.
    """
    return {
        "partitions_def": game_date_partitions(config),
        "backfill_policy": single_run,
        "group_name": group,
        "kinds": {config.warehouse, "pandas"},
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
    """Inclusive game_date bounds of this run, whether it covers one date or a season.

    Dagster hands a reversed range (2019-06-07...2019-06-01) over as an empty window; run as
    is, it would "succeed" writing nothing, so it is refused here.
    """
    start, end = window_dates(context.partition_time_window)
    if start > end:
        raise reversed_range(context)
    return start, end


def partition_dates(context: AssetExecutionContext) -> list[str]:
    """The run's partition keys: one date (or month), or every one of a range run. A reversed
    range has none, and is refused rather than run as nothing."""
    keys = list(context.partition_keys)
    if not keys:
        raise reversed_range(context)
    return keys


def reversed_range(context: AssetExecutionContext) -> Failure:
    keys = context.partition_key_range
    return Failure(
        f"the partition range {keys.start}...{keys.end} is reversed: its first partition must "
        f"not be after its last (did you mean {keys.end}...{keys.start}?)"
    )


def by_partition(frame: pd.DataFrame, keys: list[str]) -> list[tuple[str, pd.DataFrame]]:
    """Each partition key with its rows (empty for a date without any)."""
    dates = pd.to_datetime(frame["game_date"]).dt.strftime("%Y-%m-%d")
    groups = dict(iter(frame.groupby(dates)))
    return [(key, groups.get(key, frame.iloc[0:0])) for key in keys]


def record_per_date(
    context: AssetExecutionContext,
    asset_key: AssetKey,
    per_date: dict[str, dict[str, Any]],
    range_summary: dict[str, Any],
) -> None:
    """Each partition's materialization carries THAT date's figures; a range's totals go in one
    summary observation, never copied onto every date (a one-date run carries both).

    Dagster writes one materialization per partition of a range run; metadata added for a
    partition key lands on that partition's event only.
    """
    single = len(per_date) == 1
    for key, metadata in per_date.items():
        merged = {**range_summary, **metadata} if single else metadata
        context.add_asset_metadata(merged, asset_key=asset_key, partition_key=key)
    if not single:
        context.log_event(
            AssetObservation(
                asset_key=asset_key,
                description="Totals of the range run (each date's own figures are on its "
                "partition).",
                metadata=range_summary,
            )
        )


def range_metadata(start: date, end: date) -> dict[str, Any]:
    return {
        "range_start": MetadataValue.text(start.isoformat()),
        "range_end": MetadataValue.text(end.isoformat()),
        "range_days": MetadataValue.int((end - start).days + 1),
    }
