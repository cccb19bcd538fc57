"""feature_store_slice: every starter's features for the window, computed in one query."""

from collections.abc import Iterator
from typing import Any

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from mlb_assets.assets.daily import TableAsset, Window, by_partition, publish
from mlb_assets.assets.sources import source_key
from mlb_assets.checks.features import FEATURE_SLICE_RULES, source_quality_table
from mlb_assets.config import MLBConfig
from mlb_assets.features.names import ALL_FEATURES
from mlb_assets.metadata import frame_table
from mlb_assets.resources.reads import SCHEDULE_ROWS, query_slice_rows
from mlb_assets.resources.warehouse import Warehouse

FEATURE_SLICE = TableAsset(
    "feature_store_slice",
    "mlb_precompute.feature_store_slice",
    FEATURE_SLICE_RULES,
    series="mean_feature_presence_pct",
)
# The source tables the slice's SQL reads.
FEATURE_SOURCES = (
    "mlb_raw.mlb_schedule",
    "mlb_analytics.pitcher_game_summary",
    "mlb_raw.oddsa_pitcher_props",
    "mlb_reference.ballparks",
)


def slice_figures(day: pd.DataFrame) -> dict[str, Any]:
    """A date's feature presence and the schedule's duplicate starts behind it."""
    present = float(day[list(ALL_FEATURES)].notna().mean().mean() * 100) if len(day) else 0.0
    return {
        "mean_feature_presence_pct": MetadataValue.float(round(present, 2)),
        "duplicate_scheduled_starts": MetadataValue.int(int((day[SCHEDULE_ROWS] - 1).sum())),
    }


def build_feature_store_slice(config: MLBConfig) -> AssetsDefinition:
    @asset(
        **FEATURE_SLICE.decorator_args(config, group="features"),
        deps=[source_key(table) for table in FEATURE_SOURCES],
    )
    def feature_store_slice(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        """One row per scheduled starter per game_date with all 35 features, shared by every
        system.

        Computed in ONE query from games strictly before each game_date, whatever the window's
        length, so a season backfill costs the same number of queries as a single day. A
        second query counts what the source views rejected, de-duplicated or nulled in the
        rows it read, for the source checks.
        """
        window = Window.of(context)
        params = {"start_date": window.start, "end_date": window.end}
        with warehouse.tracking() as reads:
            rows = query_slice_rows(warehouse, window.start, window.end)
            quality = warehouse.query("sources/source_quality.sql", params)
        days = by_partition(rows, window.keys)
        sources = source_quality_table(quality)
        present = rows[list(ALL_FEATURES)].notna().mean() * 100
        context.log.info(f"feature_store_slice {window.start}..{window.end}: {len(rows)} starters")
        yield from publish(
            context,
            warehouse,
            FEATURE_SLICE,
            rows.drop(columns=[SCHEDULE_ROWS]),
            reads=reads,
            # The rules and figures read the schedule's duplicates, which the table does not keep.
            evidence=days,
            figures={key: slice_figures(day) for key, day in days.items()},
            window_evidence=quality,
            summary={
                "starters": MetadataValue.int(len(rows)),
                "least_present_features": frame_table(
                    present.sort_values()
                    .head(5)
                    .round(1)
                    .rename_axis("feature")
                    .reset_index(name="present_pct")
                ),
                "source_rows_rejected_empty_key": MetadataValue.int(
                    int(sources["empty_key"].sum())
                ),
                "source_duplicate_rows": MetadataValue.int(int(sources["duplicate"].sum())),
                "source_rows_out_of_bounds": MetadataValue.int(int(sources["out_of_bounds"].sum())),
                "source_quality": frame_table(sources.rename_axis("source").reset_index()),
            },
        )

    return feature_store_slice
