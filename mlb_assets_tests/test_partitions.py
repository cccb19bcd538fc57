"""The partitions cover the seasons the deployment predicts: the demo season, or up to today."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mlb_assets.config import ConfigError, MLBConfig
from mlb_assets.partitions import game_date_partitions, model_month_partitions


def test_the_embedded_default_partitions_exactly_the_demo_season() -> None:
    keys = game_date_partitions(MLBConfig()).get_partition_keys()
    assert (keys[0], keys[-1], len(keys)) == ("2019-03-28", "2019-09-29", 186)
    months = model_month_partitions(MLBConfig()).get_partition_keys()
    assert months == [f"2019-{m:02d}-01" for m in range(3, 10)]


NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("now", "today"),
    [
        # A minute before midnight in New York is already the next day in UTC.
        (datetime(2026, 7, 4, 23, 59, tzinfo=NEW_YORK), "2026-07-04"),
        (datetime(2026, 7, 5, 0, 1, tzinfo=NEW_YORK), "2026-07-05"),
        (datetime(2026, 7, 5, 3, 30, tzinfo=UTC), "2026-07-04"),
    ],
)
def test_production_partitions_run_to_today(now: datetime, today: str) -> None:
    """Today is New York's date at one fixed instant, so a run across midnight cannot read
    two different days."""
    config = MLBConfig(warehouse="bigquery", partitions_start=date(2026, 3, 26))
    keys = game_date_partitions(config).get_partition_keys(current_time=now)
    assert keys[0] == "2026-03-26" and keys[-1] == today
    assert model_month_partitions(config).get_partition_keys(current_time=now)[-1] == "2026-07-01"


def test_an_explicit_end_bounds_both_partitionings() -> None:
    config = MLBConfig(partitions_start=date(2018, 3, 29), partitions_end=date(2018, 9, 30))
    keys = game_date_partitions(config).get_partition_keys()
    assert (
        keys[-1] == "2018-09-30" and len(keys) == (date(2018, 9, 30) - date(2018, 3, 29)).days + 1
    )
    assert model_month_partitions(config).get_partition_keys()[-1] == "2018-09-01"
    assert date.fromisoformat(keys[-1]) + timedelta(days=1) == date(2018, 10, 1)


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ConfigError, match="MLB_PARTITIONS_END=2019-01-01 is before"):
        MLBConfig.from_env({"MLB_PARTITIONS_END": "2019-01-01"})
