"""The one game_date partitioning shared by every daily asset, and the monthly one for models."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dagster import (
    BackfillPolicy,
    DailyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    TimeWindow,
)

from mlb_assets.config import load_config

TIMEZONE = "America/New_York"

# end_offset=1 so today's slate is a partition before the day is over.
game_date_partitions = DailyPartitionsDefinition(
    start_date=load_config().partitions_start.isoformat(),
    timezone=TIMEZONE,
    end_offset=1,
)

# Models are retrained per month, each on starts before the month begins (walk-forward).
model_month_partitions = MonthlyPartitionsDefinition(
    start_date=load_config().partitions_start.replace(day=1).isoformat(),
    timezone=TIMEZONE,
    end_offset=1,
)

# One run per requested range: the assets are written against the whole time window.
single_run = BackfillPolicy.single_run()


def window_dates(window: TimeWindow) -> tuple[date, date]:
    """Inclusive first and last game_date of a partition time window (its end is exclusive)."""
    start: datetime = window.start
    end: datetime = window.end
    return start.date(), (end - timedelta(days=1)).date()
