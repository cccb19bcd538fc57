"""The daily job over the whole game_date graph, the morning schedule that runs today's slate,
and the monthly retraining that has each month's model ready before its first slate.

Monthly `strikeout_models` is not in the daily job: a job has one partitioning. Its own job
runs on the 1st, before the daily slate, so the month's predictions find their model.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    define_asset_job,
    schedule,
)

from mlb_assets.config import MLBConfig
from mlb_assets.partitions import TIMEZONE, game_date_partitions, model_month_partitions

# Lines and injury reports for the evening's games are posted by mid-morning Eastern time.
RUN_HOUR = 9
# Retraining takes minutes; it runs well before the first slate of the month.
RETRAIN_HOUR = 6
# Yesterday's games are final by the morning; grading runs before the day's slate.
GRADE_HOUR = 7

# What define_asset_job returns (Dagster keeps that class out of its public API).
AssetJob = Any

# Every daily (game_date) asset: the feature, roster and line inputs, the three systems'
# predictions and the coverage report. Models are monthly and have their own job.
DAILY_SELECTION = AssetSelection.groups("features", "predictions", "monitoring")


def build_daily_job() -> AssetJob:
    return define_asset_job(
        "daily_slate",
        selection=DAILY_SELECTION,
        description=(
            "Every daily asset for one game_date: features, injured list, lines, the three "
            "systems' predictions and the coverage report."
        ),
    )


def slate_date(scheduled: datetime | None) -> str:
    """Today's game_date in America/New_York, the time zone MLB dates its games in."""
    moment = scheduled if scheduled is not None else datetime.now(ZoneInfo(TIMEZONE))
    return moment.astimezone(ZoneInfo(TIMEZONE)).date().isoformat()


def build_monthly_job() -> AssetJob:
    return define_asset_job(
        "monthly_models",
        selection=AssetSelection.groups("models"),
        description="Retrain both systems' models for the month, on every start before it began.",
    )


def request(config: MLBConfig, job: str, key: str, *, daily: bool) -> RunRequest | SkipReason:
    """The tick's run, or why there is none: a date outside the partitions (the demo's season
    ends in 2019) is skipped with its reason instead of failing the tick."""
    partitions = game_date_partitions(config) if daily else model_month_partitions(config)
    if not partitions.has_partition_key(key):
        return SkipReason(f"{key} is not a partition of {job} (they end with the configured range)")
    # The run key makes a repeated evaluation for the same partition launch nothing new.
    return RunRequest(run_key=f"{job}_{key}", partition_key=key)


def default_status(config: MLBConfig) -> DefaultScheduleStatus:
    """Runs in production (BigQuery) from the start; the DuckDB demo leaves it to the user."""
    return (
        DefaultScheduleStatus.RUNNING
        if config.warehouse == "bigquery"
        else DefaultScheduleStatus.STOPPED
    )


def partition_schedule(
    config: MLBConfig,
    job: AssetJob,
    cron: str,
    description: str,
    key_of: Callable[[date], str],
    *,
    daily: bool,
) -> ScheduleDefinition:
    """A schedule that runs `job` for the partition `key_of` gives the tick's New York date."""
    name = f"{job.name}_schedule"

    @schedule(
        name=name,
        job=job,
        cron_schedule=cron,
        execution_timezone=TIMEZONE,
        default_status=default_status(config),
        description=description,
    )
    def _tick(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
        today = date.fromisoformat(slate_date(context.scheduled_execution_time))
        return request(config, job.name, key_of(today), daily=daily)

    return _tick


def build_daily_schedule(config: MLBConfig, job: AssetJob) -> ScheduleDefinition:
    return partition_schedule(
        config,
        job,
        f"0 {RUN_HOUR} * * *",
        f"Today's slate (partition = today in {TIMEZONE}) at {RUN_HOUR:02d}:00.",
        lambda today: today.isoformat(),
        daily=True,
    )


def build_monthly_schedule(config: MLBConfig, job: AssetJob) -> ScheduleDefinition:
    return partition_schedule(
        config,
        job,
        f"0 {RETRAIN_HOUR} 1 * *",
        f"This month's models on the 1st at {RETRAIN_HOUR:02d}:00 {TIMEZONE}.",
        lambda today: today.replace(day=1).isoformat(),
        daily=False,
    )


def build_grading_jobs() -> tuple[AssetJob, AssetJob]:
    """Grades need the games played, so they run for yesterday; a month's performance once it
    is over. Daily and monthly assets cannot share a job (a job has one partitioning)."""
    grades = define_asset_job(
        "daily_grades",
        selection=AssetSelection.assets("prediction_grades"),
        description="Grade one game_date's predictions against what happened.",
    )
    performance = define_asset_job(
        "monthly_performance",
        selection=AssetSelection.assets("system_performance"),
        description="Each system's accuracy, calibration, skill and return for one month.",
    )
    return grades, performance


def build_grading_schedules(
    config: MLBConfig, grades: AssetJob, performance: AssetJob
) -> list[ScheduleDefinition]:
    return [
        partition_schedule(
            config,
            grades,
            f"0 {GRADE_HOUR} * * *",
            f"Yesterday's predictions graded at {GRADE_HOUR:02d}:00 {TIMEZONE}.",
            lambda today: (today - timedelta(days=1)).isoformat(),
            daily=True,
        ),
        partition_schedule(
            config,
            performance,
            f"0 {GRADE_HOUR} 1 * *",
            f"Last month's performance on the 1st at {GRADE_HOUR:02d}:00 {TIMEZONE}.",
            lambda today: (today.replace(day=1) - timedelta(days=1)).replace(day=1).isoformat(),
            daily=False,
        ),
    ]


def build_schedules(config: MLBConfig) -> tuple[list[AssetJob], list[ScheduleDefinition]]:
    """The jobs and their schedules, from the one configuration."""
    daily, monthly = build_daily_job(), build_monthly_job()
    grades, performance = build_grading_jobs()
    return [daily, monthly, grades, performance], [
        build_daily_schedule(config, daily),
        build_monthly_schedule(config, monthly),
        *build_grading_schedules(config, grades, performance),
    ]
