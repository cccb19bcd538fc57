"""feature_store_slice: every starter's features for the window, computed in one query."""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    MaterializeResult,
    asset,
)

from mlb_assets.assets.common import (
    daily_table_asset,
    markdown_table,
    window,
    window_metadata,
)
from mlb_assets.assets.sources import source_key
from mlb_assets.features.names import ALL_FEATURES
from mlb_assets.resources.warehouse import Warehouse

TABLE = "mlb_precompute.feature_store_slice"


@asset(
    **daily_table_asset(TABLE, group="features"),
    deps=[
        source_key("mlb_raw.mlb_schedule"),
        source_key("mlb_analytics.pitcher_game_summary"),
        source_key("mlb_raw.oddsa_pitcher_props"),
        source_key("mlb_reference.ballparks"),
    ],
    check_specs=[
        AssetCheckSpec(
            "no_duplicate_starters",
            asset="feature_store_slice",
            description="Exactly one feature row per pitcher per game_date.",
            blocking=True,
        )
    ],
)
def feature_store_slice(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """One row per scheduled starter per game_date with all 35 features, shared by every system.

    Computed in ONE query from games strictly before each game_date, whatever the window's
    length, so a season backfill costs the same number of queries as a single day.
    """
    start, end = window(context)
    with warehouse.tracking() as stats:
        frame = warehouse.query(
            "sources/feature_store_slice.sql", {"start_date": start, "end_date": end}
        )
        warehouse.replace_partitions(TABLE, frame, start, end)
    duplicates = int(frame.duplicated(["game_date", "pitcher_lookup"]).sum())
    present = frame[list(ALL_FEATURES)].notna().mean() * 100
    context.log.info(f"feature_store_slice {start}..{end}: {len(frame)} starters")
    return MaterializeResult(
        metadata={
            **window_metadata(start, end),
            **stats.as_metadata(),
            "dagster/row_count": len(frame),
            "starters": len(frame),
            "dates_with_starters": int(frame["game_date"].nunique()),
            "least_present_features": markdown_table(
                present.sort_values()
                .head(5)
                .round(1)
                .rename_axis("feature")
                .reset_index(name="present_pct")
            ),
        },
        check_results=[
            AssetCheckResult(
                check_name="no_duplicate_starters",
                passed=duplicates == 0,
                severity=AssetCheckSeverity.ERROR,
                metadata={"duplicate_rows": duplicates},
            )
        ],
    )
