"""The checks on il_roster: the source answered in a vocabulary we read, and every date rests
on a fresh snapshot."""

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
    unknown_statuses: dict[str, int]
    unmapped_snapshots: list[date]


def describe_counts(counts: dict[str, int]) -> str:
    """`IL-10 (20), IL-60 (4)`, or `none`."""
    return ", ".join(f"{name} ({n})" for name, n in counts.items()) or "none"


def roster_check_specs() -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(
            "il_source_answered",
            asset="il_roster",
            description=(
                "The injury source answered, and every snapshot that lists pitchers lists some "
                "under an injured-list status (WARN when the empty fail-safe was used or the "
                "statuses are spelled in a vocabulary the roster does not know)."
            ),
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


def _source_problem(result: SourceOutcome) -> str | None:
    if result.source_status != "ok":
        return "The injury source failed; the EMPTY fail-safe roster was written."
    if result.unmapped_snapshots:
        days = ", ".join(str(d) for d in result.unmapped_snapshots[:5])
        return (
            f"{len(result.unmapped_snapshots)} injury snapshot(s) ({days}) list pitchers but none "
            "under an injured-list status; statuses outside the vocabulary: "
            f"{describe_counts(result.unknown_statuses)}. Those dates' rosters are empty."
        )
    return None


def roster_checks(result: SourceOutcome, today: date) -> list[AssetCheckResult]:
    stale = stale_dates(result.snapshots, today)
    problem = _source_problem(result)
    return [
        AssetCheckResult(
            check_name="il_source_answered",
            passed=problem is None,
            severity=AssetCheckSeverity.WARN,
            metadata={
                "source_status": result.source_status,
                "attempts": result.attempts,
                "error": result.error or "",
                "unknown_statuses": describe_counts(result.unknown_statuses),
                "snapshots_without_il_status": len(result.unmapped_snapshots),
            },
            description=problem,
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
