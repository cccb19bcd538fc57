"""Source tables as external assets: written upstream, shown in the lineage they feed."""

from __future__ import annotations

from dagster import AssetSpec

from mlb_assets.assets.daily import OWNERS, table_metadata
from mlb_assets.config import MLBConfig

_SOURCES = {
    "mlb_raw.mlb_schedule": "Daily MLB schedule with the probable starting pitchers.",
    "mlb_analytics.pitcher_game_summary": (
        "One row per pitcher per game played: strikeouts, workload, swing-and-miss data."
    ),
    "mlb_raw.oddsa_pitcher_props": (
        "Strikeout prop snapshots from several bookmakers (line, over/under American odds)."
    ),
    "mlb_raw.bdl_injuries": "Daily injury report snapshots (injured-list status per player).",
    "mlb_reference.ballparks": "Park strikeout factors (1.0 is neutral).",
}


def source_key(table: str) -> list[str]:
    return table.split(".")


def source_specs(config: MLBConfig) -> list[AssetSpec]:
    return [
        AssetSpec(
            key=source_key(table),
            description=description,
            group_name="sources",
            kinds={config.warehouse},
            owners=OWNERS,
            metadata=table_metadata(table),
        )
        for table, description in _SOURCES.items()
    ]
