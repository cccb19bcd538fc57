"""The checks on il_roster: the source answered, and every date rests on a fresh snapshot."""

from __future__ import annotations

from datetime import date
from typing import Protocol

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec

# Past dates need a snapshot at most this many days old (the roster query enforces it).
MAX_SNAPSHOT_AGE_DAYS = 7


class SourceOutcome(Protocol):
    snapshots: pd.DataFrame
    source_status: str
    attempts: int
    error: str | None


def roster_check_specs() -> list[AssetCheckSpec]:
    return [
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
    ]


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


def roster_checks(result: SourceOutcome, today: date) -> list[AssetCheckResult]:
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
