"""feature_store_slice: every starter's features for the window, computed in one query."""

from datetime import date

import pandas as pd
from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, MetadataValue, asset

from mlb_assets.assets.common import (
    by_partition,
    daily_table_asset,
    partition_dates,
    range_metadata,
    record_per_date,
    window,
)
from mlb_assets.assets.sources import source_key
from mlb_assets.checks.features import duplicate_starters, feature_slice_check_specs
from mlb_assets.checks.metadata import frame_table
from mlb_assets.config import MLBConfig
from mlb_assets.features.lines import PRICE_COLUMNS, with_line_features
from mlb_assets.features.names import ALL_FEATURES
from mlb_assets.resources.warehouse import Warehouse

TABLE = "mlb_precompute.feature_store_slice"


def query_slice(warehouse: Warehouse, start: date, end: date) -> pd.DataFrame:
    """The slice query plus the line features derived from its prices (one definition)."""
    raw = warehouse.query("sources/feature_store_slice.sql", {"start_date": start, "end_date": end})
    return with_line_features(raw).drop(columns=list(PRICE_COLUMNS))


def build_feature_store_slice(config: MLBConfig) -> AssetsDefinition:
    @asset(
        name="feature_store_slice",
        **daily_table_asset(config, TABLE, group="features"),
        deps=[
            source_key("mlb_raw.mlb_schedule"),
            source_key("mlb_analytics.pitcher_game_summary"),
            source_key("mlb_raw.oddsa_pitcher_props"),
            source_key("mlb_reference.ballparks"),
        ],
        check_specs=feature_slice_check_specs(),
    )
    def feature_store_slice(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> MaterializeResult:
        """One row per scheduled starter per game_date with all 35 features, shared by every
        system.

        Computed in ONE query from games strictly before each game_date, whatever the window's
        length, so a season backfill costs the same number of queries as a single day.
        """
        start, end = window(context)
        with warehouse.tracking() as stats:
            frame = query_slice(warehouse, start, end)
            warehouse.replace_partitions(TABLE, frame, start, end)
        present = frame[list(ALL_FEATURES)].notna().mean() * 100
        context.log.info(f"feature_store_slice {start}..{end}: {len(frame)} starters")
        record_per_date(
            context,
            context.asset_key,
            {
                key: {
                    "dagster/row_count": MetadataValue.int(len(rows)),
                    "mean_feature_presence_pct": MetadataValue.float(
                        round(float(rows[list(ALL_FEATURES)].notna().mean().mean() * 100), 2)
                        if len(rows)
                        else 0.0
                    ),
                }
                for key, rows in by_partition(frame, partition_dates(context))
            },
            {
                **range_metadata(start, end),
                **{name: MetadataValue.int(v) for name, v in stats.as_metadata().items()},
                "starters": MetadataValue.int(len(frame)),
                "least_present_features": frame_table(
                    present.sort_values()
                    .head(5)
                    .round(1)
                    .rename_axis("feature")
                    .reset_index(name="present_pct")
                ),
            },
        )
        return MaterializeResult(check_results=[duplicate_starters(frame)])

    return feature_store_slice
