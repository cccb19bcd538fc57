"""The one game_date partitioning shared by every daily asset, and the monthly one for models.

Both are built from the configuration (their first date is a setting), never at import.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dagster import (
    BackfillPolicy,
    DailyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    TimeWindow,
)

from mlb_assets.config import MLBConfig

TIMEZONE = "America/New_York"

# One run per requested range: the assets are written against the whole time window.
single_run = BackfillPolicy.single_run()


def game_date_partitions(config: MLBConfig) -> DailyPartitionsDefinition:
    """Daily partitions; end_offset=1 so today's slate is a partition before the day is over."""
    return DailyPartitionsDefinition(
        start_date=config.partitions_start.isoformat(), timezone=TIMEZONE, end_offset=1
    )


def model_month_partitions(config: MLBConfig) -> MonthlyPartitionsDefinition:
    """Models are retrained per month, each on starts before the month begins (walk-forward)."""
    return MonthlyPartitionsDefinition(
        start_date=config.partitions_start.replace(day=1).isoformat(),
        timezone=TIMEZONE,
        end_offset=1,
    )


def window_dates(window: TimeWindow) -> tuple[date, date]:
    """Inclusive first and last game_date of a partition time window (its end is exclusive)."""
    start: datetime = window.start
    end: datetime = window.end
    return start.date(), (end - timedelta(days=1)).date()
