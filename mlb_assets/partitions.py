"""The one game_date partitioning shared by every daily asset, and the monthly one for models.

Both are built from the configuration (their first and last dates are settings), never at
import. The embedded default partitions exactly its demo season, so no view of the UI opens on
years of empty partitions; production runs to today, with today's slate a partition before the
day is over.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dagster import (
    BackfillPolicy,
    DailyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    TimeWindow,
)
from dateutil.relativedelta import relativedelta

from mlb_assets.config import MLBConfig

TIMEZONE = "America/New_York"

# One run per requested range: the assets are written against the whole time window.
single_run = BackfillPolicy.single_run()


def game_date_partitions(config: MLBConfig) -> DailyPartitionsDefinition:
    last = config.last_partition
    if last is None:  # up to today: end_offset=1 makes today's slate a partition already
        return DailyPartitionsDefinition(
            start_date=config.partitions_start.isoformat(), timezone=TIMEZONE, end_offset=1
        )
    return DailyPartitionsDefinition(
        start_date=config.partitions_start.isoformat(),
        end_date=(last + timedelta(days=1)).isoformat(),  # exclusive
        timezone=TIMEZONE,
    )


def model_month_partitions(config: MLBConfig) -> MonthlyPartitionsDefinition:
    """Models are retrained per month, each on starts before the month begins (walk-forward)."""
    start = config.partitions_start.replace(day=1).isoformat()
    last = config.last_partition
    if last is None:
        return MonthlyPartitionsDefinition(start_date=start, timezone=TIMEZONE, end_offset=1)
    after = (last.replace(day=1) + relativedelta(months=1)).isoformat()
    return MonthlyPartitionsDefinition(start_date=start, end_date=after, timezone=TIMEZONE)


def window_dates(window: TimeWindow) -> tuple[date, date]:
    """Inclusive first and last game_date of a partition time window (its end is exclusive)."""
    start: datetime = window.start
    end: datetime = window.end
    return start.date(), (end - timedelta(days=1)).date()
