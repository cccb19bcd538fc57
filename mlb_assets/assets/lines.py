"""prop_lines: the day's strikeout line per starter, from the shared selection view."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from mlb_assets.assets.common import (
    daily_table_asset,
    window,
    window_metadata,
)
from mlb_assets.assets.sources import source_key
from mlb_assets.resources.warehouse import Warehouse

TABLE = "mlb_precompute.prop_lines"


@asset(
    **daily_table_asset(TABLE, group="features"),
    deps=[source_key("mlb_raw.oddsa_pitcher_props"), source_key("mlb_raw.mlb_schedule")],
)
def prop_lines(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """One line per pitcher per date: latest pre-game snapshot of the highest-priority book.

    Priority draftkings > fanduel > betmgm > caesars > others; both prices kept and the vig
    removed proportionally. The same view feeds the feature slice's line features.
    """
    start, end = window(context)
    with warehouse.tracking() as stats:
        frame = warehouse.query("sources/prop_lines.sql", {"start_date": start, "end_date": end})
        warehouse.replace_partitions(TABLE, frame, start, end)
    books = frame["bookmaker"].value_counts().to_dict() if len(frame) else {}
    context.log.info(f"prop_lines {start}..{end}: {len(frame)} lines")
    return MaterializeResult(
        metadata={
            **window_metadata(start, end),
            **stats.as_metadata(),
            "dagster/row_count": len(frame),
            "lines": len(frame),
            "lines_by_bookmaker": {str(k): int(v) for k, v in books.items()},
            "mean_line": float(frame["strikeouts_line"].mean()) if len(frame) else 0.0,
        },
    )
