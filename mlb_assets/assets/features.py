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
from mlb_assets.checks.features import (
    duplicate_starters,
    feature_slice_check_specs,
    source_checks,
    source_quality_table,
)
from mlb_assets.checks.metadata import frame_table
from mlb_assets.config import MLBConfig
from mlb_assets.features.lines import PRICE_COLUMNS, with_line_features
from mlb_assets.features.names import ALL_FEATURES
from mlb_assets.resources.warehouse import Warehouse

TABLE = "mlb_precompute.feature_store_slice"
# The source tables the slice's SQL reads.
FEATURE_SOURCES = (
    "mlb_raw.mlb_schedule",
    "mlb_analytics.pitcher_game_summary",
    "mlb_raw.oddsa_pitcher_props",
    "mlb_reference.ballparks",
)


# Aggregates summed in a different order (another engine, another thread count) differ in the
# last bits; XGBoost's splits and the models trained on them would too. Features are kept to
# this many decimals, far below any real resolution, so the same data gives the same model.
FEATURE_DECIMALS = 9

# The slice query's own account of the schedule it read (rows per starter and date, before it
# keeps one): checked, never stored.
SCHEDULE_ROWS = "schedule_rows"


def query_slice_rows(warehouse: Warehouse, start: date, end: date) -> pd.DataFrame:
    """The slice query plus the line features derived from its prices (one definition), with
    the schedule's rows per starter the duplicate check reads."""
    raw = warehouse.query("sources/feature_store_slice.sql", {"start_date": start, "end_date": end})
    frame = with_line_features(raw).drop(columns=list(PRICE_COLUMNS))
    return frame.round(dict.fromkeys(frame.columns.intersection(ALL_FEATURES), FEATURE_DECIMALS))


def query_slice(warehouse: Warehouse, start: date, end: date) -> pd.DataFrame:
    """The slice as its table holds it: one row per starter and date, every feature."""
    return query_slice_rows(warehouse, start, end).drop(columns=[SCHEDULE_ROWS])


def build_feature_store_slice(config: MLBConfig) -> AssetsDefinition:
    @asset(
        name="feature_store_slice",
        **daily_table_asset(config, TABLE, group="features"),
        deps=[source_key(table) for table in FEATURE_SOURCES],
        check_specs=feature_slice_check_specs(),
    )
    def feature_store_slice(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> MaterializeResult:
        """One row per scheduled starter per game_date with all 35 features, shared by every
        system.

        Computed in ONE query from games strictly before each game_date, whatever the window's
        length, so a season backfill costs the same number of queries as a single day. A
        second query counts what the source views rejected, de-duplicated or nulled in the
        rows it read, for the source checks.
        """
        start, end = window(context)
        params = {"start_date": start, "end_date": end}
        with warehouse.tracking() as stats:
            rows = query_slice_rows(warehouse, start, end)
            quality = warehouse.query("sources/source_quality.sql", params)
            frame = rows.drop(columns=[SCHEDULE_ROWS])
            warehouse.replace_partitions(TABLE, frame, start, end)
        sources = source_quality_table(quality)
        present = frame[list(ALL_FEATURES)].notna().mean() * 100
        context.log.info(f"feature_store_slice {start}..{end}: {len(frame)} starters")
        record_per_date(
            context,
            context.asset_key,
            {
                key: {
                    "dagster/row_count": MetadataValue.int(len(day)),
                    "mean_feature_presence_pct": MetadataValue.float(
                        round(float(day[list(ALL_FEATURES)].notna().mean().mean() * 100), 2)
                        if len(day)
                        else 0.0
                    ),
                    "duplicate_scheduled_starts": MetadataValue.int(
                        int((day[SCHEDULE_ROWS] - 1).sum())
                    ),
                }
                for key, day in by_partition(rows, partition_dates(context))
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
                "source_rows_rejected_empty_key": MetadataValue.int(
                    int(sources["empty_key"].sum())
                ),
                "source_duplicate_rows": MetadataValue.int(int(sources["duplicate"].sum())),
                "source_rows_out_of_bounds": MetadataValue.int(int(sources["out_of_bounds"].sum())),
                "source_quality": frame_table(sources.rename_axis("source").reset_index()),
            },
        )
        return MaterializeResult(check_results=[duplicate_starters(rows), *source_checks(quality)])

    return feature_store_slice
