"""prop_lines: the day's strikeout line per starter, from the shared selection view."""

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
from mlb_assets.config import MLBConfig
from mlb_assets.features.lines import vig_free
from mlb_assets.resources.warehouse import Warehouse

TABLE = "mlb_precompute.prop_lines"


def build_prop_lines(config: MLBConfig) -> AssetsDefinition:
    @asset(
        name="prop_lines",
        **daily_table_asset(config, TABLE, group="features"),
        deps=[source_key("mlb_raw.oddsa_pitcher_props"), source_key("mlb_raw.mlb_schedule")],
    )
    def prop_lines(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        """One line per pitcher per date: latest pre-game snapshot of the highest-priority book.

        Priority draftkings > fanduel > betmgm > caesars > others; both prices kept and the
        vig removed proportionally. The same view feeds the feature slice's line features.
        """
        start, end = window(context)
        with warehouse.tracking() as stats:
            frame = vig_free(
                warehouse.query("sources/prop_lines.sql", {"start_date": start, "end_date": end})
            )
            warehouse.replace_partitions(TABLE, frame, start, end)
        context.log.info(f"prop_lines {start}..{end}: {len(frame)} lines")
        record_per_date(
            context,
            context.asset_key,
            {
                key: {
                    "dagster/row_count": MetadataValue.int(len(rows)),
                    "mean_line": MetadataValue.float(
                        round(float(rows["strikeouts_line"].mean()), 2) if len(rows) else 0.0
                    ),
                    "lines_by_bookmaker": MetadataValue.json(
                        {str(k): int(v) for k, v in rows["bookmaker"].value_counts().items()}
                    ),
                }
                for key, rows in by_partition(frame, partition_dates(context))
            },
            {
                **range_metadata(start, end),
                **{name: MetadataValue.int(v) for name, v in stats.as_metadata().items()},
                "lines": MetadataValue.int(len(frame)),
            },
        )
        return MaterializeResult()

    return prop_lines
