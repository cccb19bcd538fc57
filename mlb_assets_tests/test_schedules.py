"""The daily schedule: today's New York date, the whole daily graph, on in production."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from dagster import (
    DefaultScheduleStatus,
    Definitions,
    RunRequest,
    build_schedule_context,
)

from mlb_assets.config import MLBConfig
from mlb_assets.definitions import build_definitions
from mlb_assets.partitions import game_date_partitions
from mlb_assets.schedules import build_daily_job, build_daily_schedule, slate_date

# Production's partitions run to today (the embedded default ends with the demo season).
CONFIG = MLBConfig(warehouse="bigquery", gcp_project="demo-project")
defs = build_definitions(CONFIG)
daily_slate_schedule = defs.get_schedule_def("daily_slate_schedule")
monthly_models_schedule = defs.get_schedule_def("monthly_models_schedule")

NEW_YORK = ZoneInfo("America/New_York")


def run_request_at(moment: datetime) -> RunRequest:
    context = build_schedule_context(
        scheduled_execution_time=moment, repository_def=defs.get_repository_def()
    )
    data = daily_slate_schedule.evaluate_tick(context)
    assert data.run_requests is not None and len(data.run_requests) == 1
    return data.run_requests[0]


@pytest.mark.parametrize(
    ("moment", "partition"),
    [
        (datetime(2019, 6, 5, 9, 0, tzinfo=NEW_YORK), "2019-06-05"),
        # 02:00 UTC on the 6th is still the evening of the 5th in New York.
        (datetime(2019, 6, 6, 2, 0, tzinfo=UTC), "2019-06-05"),
        (datetime(2019, 6, 6, 4, 0, tzinfo=UTC), "2019-06-06"),
    ],
)
def test_run_request_targets_the_new_york_date(moment: datetime, partition: str) -> None:
    request = run_request_at(moment)

    assert request.partition_key == partition
    assert request.run_key == f"daily_slate_{partition}"


def test_todays_partition_exists_when_the_schedule_fires() -> None:
    """end_offset=1 makes today's slate a partition before the day is over."""
    now = datetime.now(NEW_YORK).replace(hour=9, minute=0, second=0, microsecond=0)

    request = run_request_at(now)

    assert request.partition_key == now.date().isoformat()
    partitions = game_date_partitions(CONFIG)
    assert request.partition_key in partitions.get_partition_keys(current_time=now)
    assert slate_date(None) == datetime.now(NEW_YORK).date().isoformat()


def test_fires_every_morning_in_new_york() -> None:
    assert daily_slate_schedule.cron_schedule == "0 9 * * *"
    assert daily_slate_schedule.execution_timezone == "America/New_York"


def test_job_covers_every_daily_asset_and_nothing_else() -> None:
    graph = defs.get_repository_def().asset_graph
    daily = {
        key
        for key in graph.materializable_asset_keys
        if graph.get(key).partitions_def == game_date_partitions(CONFIG)
    }
    job = defs.resolve_job_def("daily_slate")
    # Grades need the games played: their own job runs for yesterday.
    graded = {key for key in daily if key.to_user_string() == "prediction_grades"}
    assert graded and defs.resolve_job_def("daily_grades").asset_layer.selected_asset_keys == graded

    assert job.asset_layer.selected_asset_keys == daily - graded
    assert len(daily) > 1 and all(graph.get(k).partitions_def for k in daily)
    assert job.partitions_def == game_date_partitions(CONFIG)
    assert daily_slate_schedule.job_name == "daily_slate"


@pytest.mark.parametrize(
    ("warehouse", "status"),
    [("duckdb", DefaultScheduleStatus.STOPPED), ("bigquery", DefaultScheduleStatus.RUNNING)],
)
def test_default_status_follows_the_warehouse(
    warehouse: str, status: DefaultScheduleStatus
) -> None:
    schedule = build_daily_schedule(MLBConfig(warehouse=warehouse), build_daily_job())

    assert schedule.default_status == status


def test_the_code_location_loads_with_its_jobs_schedules_and_sensors() -> None:
    demo = build_definitions(MLBConfig())
    Definitions.validate_loadable(demo)
    repo = demo.get_repository_def()

    assert repo.get_schedule_def("daily_slate_schedule").default_status == (
        DefaultScheduleStatus.STOPPED  # the DuckDB demo leaves it to the user
    )
    assert repo.has_sensor_def("check_failure_alerts")


def test_monthly_retraining_targets_the_month_it_runs_in() -> None:
    when = datetime(2019, 7, 1, 10, 0, tzinfo=UTC)  # 06:00 in New York
    context = build_schedule_context(
        scheduled_execution_time=when, repository_def=defs.get_repository_def()
    )
    request = monthly_models_schedule.evaluate_tick(context).run_requests[0]
    assert request.partition_key == "2019-07-01"
    assert monthly_models_schedule.cron_schedule == "0 6 1 * *"


def test_a_date_after_the_demo_season_is_skipped_with_its_reason() -> None:
    demo = build_definitions(MLBConfig())
    context = build_schedule_context(
        scheduled_execution_time=datetime(2026, 6, 5, 9, 0, tzinfo=NEW_YORK),
        repository_def=demo.get_repository_def(),
    )
    data = demo.get_schedule_def("daily_slate_schedule").evaluate_tick(context)
    assert not data.run_requests
    assert "2026-06-05 is not a partition of daily_slate" in (data.skip_message or "")
