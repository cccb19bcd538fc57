"""il_roster: who is on the injured list as of each date — fail-safe, never stale."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
    asset,
)

from mlb_assets.assets.common import (
    daily_table_asset,
    window,
    window_metadata,
)
from mlb_assets.assets.sources import source_key
from mlb_assets.injured_list import MAX_SNAPSHOT_AGE_DAYS, RosterResult, fetch_roster
from mlb_assets.partitions import TIMEZONE
from mlb_assets.resources.warehouse import Warehouse

TABLE = "mlb_precompute.il_roster"


def stale_dates(snapshots: pd.DataFrame, today: date) -> pd.DataFrame:
    """Dates whose roster rests on no fresh snapshot.

    Past dates need a snapshot at most 7 days old (the query enforces that, leaving NaT
    otherwise). Today's slate needs today's snapshot: the source carries dates, not times, so
    "taken today" is the finest freshness it can show against MLB_IL_CACHE_TTL_HOURS.
    """
    snap = pd.to_datetime(snapshots["snapshot_date"]).dt.date
    game = pd.to_datetime(snapshots["game_date"]).dt.date
    missing = snap.isna()
    not_today = (game >= today) & (snap != today)
    return snapshots[missing | not_today]


def roster_checks(result: RosterResult, today: date) -> list[AssetCheckResult]:
    stale = stale_dates(result.snapshots, today)
    return [
        AssetCheckResult(
            check_name="il_source_answered",
            passed=result.source_status == "ok",
            severity=AssetCheckSeverity.WARN,
            metadata={
                "source_status": result.source_status,
                "attempts": result.attempts,
                "error": result.error or "",
            },
            description=(
                "The injury source failed; the EMPTY fail-safe roster was written."
                if result.source_status != "ok"
                else None
            ),
        ),
        AssetCheckResult(
            check_name="il_roster_fresh",
            passed=stale.empty,
            severity=AssetCheckSeverity.WARN,
            metadata={
                "stale_dates": len(stale),
                "max_snapshot_age_days": MAX_SNAPSHOT_AGE_DAYS,
                "first_stale_dates": ", ".join(str(d) for d in stale["game_date"].head(10)),
            },
        ),
    ]


@asset(
    **daily_table_asset(TABLE, group="features"),
    deps=[source_key("mlb_raw.bdl_injuries")],
    check_specs=[
        AssetCheckSpec(
            "il_source_answered",
            asset="il_roster",
            description="The injury source answered (WARN when the empty fail-safe was used).",
        ),
        AssetCheckSpec(
            "il_roster_fresh",
            asset="il_roster",
            description=(
                "Each date rests on a snapshot at most 7 days old; today's on today's snapshot."
            ),
        ),
    ],
)
def il_roster(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """Pitchers on the injured list as of each date ('10-Day-IL', '15-Day-IL', '60-Day-IL', 'Out').

    Retries transient failures (3 attempts, backoff 1 s then 2 s). After the last failure it
    writes an EMPTY roster for the window — never an older one — logs an ERROR and marks
    source_status=failed so the source check fails.
    """
    start, end = window(context)
    with warehouse.tracking() as stats:
        result = fetch_roster(warehouse, start, end, log=context.log)
        warehouse.replace_partitions(TABLE, result.roster, start, end)
    today = datetime.now(ZoneInfo(TIMEZONE)).date()
    context.log.info(
        f"il_roster {start}..{end}: {len(result.roster)} rows, source {result.source_status}"
    )
    return MaterializeResult(
        metadata={
            **window_metadata(start, end),
            **stats.as_metadata(),
            "dagster/row_count": len(result.roster),
            "source_status": result.source_status,
            "attempts": result.attempts,
            "error": MetadataValue.text(result.error or ""),
            "injured_pitchers_latest_date": int(
                (result.roster["game_date"] == result.roster["game_date"].max()).sum()
            )
            if len(result.roster)
            else 0,
        },
        check_results=roster_checks(result, today),
    )
