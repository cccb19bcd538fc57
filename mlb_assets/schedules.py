"""The daily job over the whole game_date graph, and the morning schedule that runs today's slate.

Monthly `strikeout_models` is not in the job: a job has one partitioning, and the predictions read
the model of the date's month, trained on starts before the month began.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)

from mlb_assets.assets.features import feature_store_slice
from mlb_assets.assets.lines import prop_lines
from mlb_assets.assets.predictions import strikeout_predictions
from mlb_assets.assets.reports import coverage_report
from mlb_assets.assets.roster import il_roster
from mlb_assets.config import MLBConfig, load_config
from mlb_assets.partitions import TIMEZONE

# Lines and injury reports for the evening's games are posted by mid-morning Eastern time.
RUN_HOUR = 9

daily_slate_job = define_asset_job(
    "daily_slate",
    selection=AssetSelection.assets(
        feature_store_slice,
        il_roster,
        prop_lines,
        strikeout_predictions,
        coverage_report,
    ),
    description=(
        "Every daily asset for one game_date: features, injured list, lines, the three systems' "
        "predictions and the coverage report."
    ),
)


def slate_date(scheduled: datetime | None) -> str:
    """Today's game_date in America/New_York, the time zone MLB dates its games in."""
    moment = scheduled if scheduled is not None else datetime.now(ZoneInfo(TIMEZONE))
    return moment.astimezone(ZoneInfo(TIMEZONE)).date().isoformat()


def build_daily_schedule(config: MLBConfig) -> ScheduleDefinition:
    """Runs in production (BigQuery) from the start; the DuckDB demo leaves it to the user."""
    status = (
        DefaultScheduleStatus.RUNNING
        if config.warehouse == "bigquery"
        else DefaultScheduleStatus.STOPPED
    )

    @schedule(
        name="daily_slate_schedule",
        job=daily_slate_job,
        cron_schedule=f"0 {RUN_HOUR} * * *",
        execution_timezone=TIMEZONE,
        default_status=status,
        description=f"Today's slate (partition = today in {TIMEZONE}) at {RUN_HOUR:02d}:00.",
    )
    def daily_slate_schedule(context: ScheduleEvaluationContext) -> RunRequest:
        game_date = slate_date(context.scheduled_execution_time)
        # The run key makes a repeated evaluation for the same day launch nothing new.
        return RunRequest(run_key=f"daily_slate_{game_date}", partition_key=game_date)

    return daily_slate_schedule


daily_slate_schedule = build_daily_schedule(load_config())
