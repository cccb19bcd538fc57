"""The rules il_roster answers to: the source answered in a vocabulary we read, every date
rests on a fresh snapshot, and one row per pitcher per date."""

from __future__ import annotations

from datetime import date
from typing import Protocol

import pandas as pd
from dagster import AssetCheckSeverity, MetadataValue

from mlb_assets.checks.rule import CheckRule, Verdict, unique_rows_rule
from mlb_assets.features.injured_list import MAX_SNAPSHOT_AGE_DAYS, describe_counts


class SourceOutcome(Protocol):
    snapshots: pd.DataFrame
    source_status: str
    attempts: int
    error: str | None
    unknown_statuses: dict[str, int]
    unmapped_snapshots: list[date]


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


def source_answered(evidence: tuple[SourceOutcome, date]) -> Verdict:
    """`evidence`: how the source behaved, and today (which this rule does not need)."""
    result, _ = evidence
    problem = _source_problem(result)
    return Verdict(
        passed=problem is None,
        text=problem or "",
        metadata={
            "source_status": MetadataValue.text(result.source_status),
            "attempts": MetadataValue.int(result.attempts),
            "error": MetadataValue.text(result.error or ""),
            "unknown_statuses": MetadataValue.text(describe_counts(result.unknown_statuses)),
            "snapshots_without_il_status": MetadataValue.int(len(result.unmapped_snapshots)),
        },
    )


def roster_fresh(evidence: tuple[SourceOutcome, date]) -> Verdict:
    """`evidence`: each date's snapshot, and today (today's slate needs today's snapshot)."""
    result, today = evidence
    stale = stale_dates(result.snapshots, today)
    return Verdict(
        passed=stale.empty,
        value=float(len(stale)),
        text=f"{len(stale)} stale dates",
        metadata={
            "stale_dates": MetadataValue.int(len(stale)),
            "max_snapshot_age_days": MetadataValue.int(MAX_SNAPSHOT_AGE_DAYS),
            "first_stale_dates": MetadataValue.text(
                ", ".join(str(d) for d in stale["game_date"].head(10))
            ),
        },
    )


ROSTER_RULES = [
    CheckRule(
        "il_source_answered",
        "The injury source answered, and every snapshot that lists pitchers lists some under an "
        "injured-list status (WARN when the empty fail-safe was used or the statuses are spelled "
        "in a vocabulary the roster does not know)",
        source_answered,
        severity=AssetCheckSeverity.WARN,
        per_date=False,
    ),
    CheckRule(
        "il_roster_fresh",
        f"Each date rests on a snapshot at most {MAX_SNAPSHOT_AGE_DAYS} days old; today's on "
        "today's snapshot",
        roster_fresh,
        severity=AssetCheckSeverity.WARN,
        per_date=False,
    ),
    unique_rows_rule("one_row_per_pitcher", ["game_date", "pitcher_lookup"], "roster row"),
]
