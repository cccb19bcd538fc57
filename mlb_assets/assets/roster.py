"""il_roster: who is on the injured list as of each date — fail-safe, never stale.

Skipping a healthy pitcher because of an old roster hides a bet; predicting an injured one is
caught by the missing line and the source check. So after the last failed attempt the answer
is "nobody is known to be injured", loudly flagged, rather than yesterday's list (the read and
its retries: `mlb_assets.resources.reads.fetch_roster`).
"""

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

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
from mlb_assets.checks.roster import ROSTER_RULES
from mlb_assets.config import MLBConfig
from mlb_assets.features.injured_list import describe_counts
from mlb_assets.partitions import TIMEZONE
from mlb_assets.resources.reads import fetch_roster
from mlb_assets.resources.warehouse import Warehouse

IL_ROSTER = TableAsset("il_roster", "mlb_precompute.il_roster", ROSTER_RULES)


def _date_text(value: object) -> str:
    """A snapshot date for the UI; none fresh enough (or no games that day) says so."""
    if value is None or pd.isna(value):
        return "none"
    return pd.Timestamp(value).date().isoformat()


def _snapshot_age(key: str, snapshot: object) -> dict[str, MetadataValue]:
    """How old the date's injury snapshot was, in days: a number the UI plots over the dates
    (a date without a fresh snapshot has none, a gap in the plot)."""
    if snapshot is None or pd.isna(snapshot):
        return {}
    age = (pd.Timestamp(key) - pd.Timestamp(snapshot)).days
    return {"snapshot_age_days": MetadataValue.int(int(age))}


def build_il_roster(config: MLBConfig) -> AssetsDefinition:
    @asset(
        **IL_ROSTER.decorator_args(config, group="features"),
        deps=[source_key("mlb_raw.bdl_injuries")],
    )
    def il_roster(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        """Pitchers on the injured list as of each date (10-, 15-, 60-day IL and 'Out').

        Retries transient failures (3 attempts, backoff 1 s then 2 s). After the last failure it
        writes an EMPTY roster for the window — never an older one — logs an ERROR and marks
        source_status=failed so the source check fails.
        """
        window = Window.of(context)
        with warehouse.tracking() as reads:
            result = fetch_roster(warehouse, window.start, window.end, log=context.log)
        today = datetime.now(ZoneInfo(TIMEZONE)).date()
        context.log.info(
            f"il_roster {window.start}..{window.end}: {len(result.roster)} rows, "
            f"source {result.source_status}"
        )
        snapshots = result.snapshots.assign(
            game_date=pd.to_datetime(result.snapshots["game_date"])
        ).set_index("game_date")["snapshot_date"]
        yield from publish(
            context,
            warehouse,
            IL_ROSTER,
            result.roster,
            reads=reads,
            figures={
                key: {
                    "source_status": MetadataValue.text(result.source_status),
                    "snapshot_date": MetadataValue.text(
                        _date_text(snapshots.get(pd.Timestamp(key)))
                    ),
                    **_snapshot_age(key, snapshots.get(pd.Timestamp(key))),
                }
                for key in window.keys
            },
            window_evidence=(result, today),
            summary={
                "source_status": MetadataValue.text(result.source_status),
                "attempts": MetadataValue.int(result.attempts),
                "error": MetadataValue.text(result.error or "none"),
                "unknown_statuses": MetadataValue.text(describe_counts(result.unknown_statuses)),
            },
        )

    return il_roster
