"""prop_lines: the day's strikeout line per starter, from the shared selection view."""

from collections.abc import Iterator

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)

from mlb_assets.assets.daily import TableAsset, Window, publish
from mlb_assets.assets.sources import source_key
from mlb_assets.checks.rule import unique_rows_rule
from mlb_assets.config import MLBConfig
from mlb_assets.features.lines import vig_free
from mlb_assets.resources.warehouse import Warehouse

PROP_LINES = TableAsset(
    "prop_lines",
    "mlb_precompute.prop_lines",
    [unique_rows_rule("one_line_per_pitcher", ["game_date", "pitcher_lookup"], "line")],
)


def line_figures(rows: pd.DataFrame) -> dict[str, MetadataValue]:
    return {
        "mean_line": MetadataValue.float(
            round(float(rows["strikeouts_line"].mean()), 2) if len(rows) else 0.0
        ),
        "lines_by_bookmaker": MetadataValue.json(
            {str(k): int(v) for k, v in rows["bookmaker"].value_counts().items()}
        ),
    }


def build_prop_lines(config: MLBConfig) -> AssetsDefinition:
    @asset(
        **PROP_LINES.decorator_args(config, group="features"),
        deps=[source_key("mlb_raw.oddsa_pitcher_props"), source_key("mlb_raw.mlb_schedule")],
    )
    def prop_lines(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        """One line per pitcher per date: latest pre-game snapshot of the highest-priority book.

        Priority draftkings > fanduel > betmgm > caesars > others; both prices kept and the
        vig removed proportionally. The same view feeds the feature slice's line features.
        """
        window = Window.of(context)
        params = {"start_date": window.start, "end_date": window.end}
        with warehouse.tracking() as reads:
            frame = vig_free(warehouse.query("sources/prop_lines.sql", params))
        context.log.info(f"prop_lines {window.start}..{window.end}: {len(frame)} lines")
        yield from publish(
            context,
            warehouse,
            PROP_LINES,
            frame,
            reads=reads,
            figures=line_figures,
            summary={"lines": MetadataValue.int(len(frame))},
        )

    return prop_lines
