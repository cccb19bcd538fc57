"""The whole graph for one date on a REAL BigQuery project (marker `bigquery`).

Runs only when MLB_GCP_PROJECT names a project and Application Default Credentials exist
(`gcloud auth application-default login`, or GOOGLE_APPLICATION_CREDENTIALS); otherwise
every test is skipped with the reason. Everything is created in datasets with a fresh
`ci_<random>_` prefix and deleted afterwards, so a shared project is safe:

    MLB_GCP_PROJECT=my-project pytest -m bigquery mlb_assets_tests/test_live_bigquery.py -rs

Cost: the demo source tables are loaded with load jobs (free); the queries scan a few
hundred MB at most, under a 2 GiB `maximum_bytes_billed` cap.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from google.api_core import exceptions as gexc

from mlb_assets.config import MLBConfig
from mlb_assets.resources.bigquery_warehouse import BigQueryWarehouse

pytestmark = pytest.mark.bigquery

DAY = "2019-06-14"
MONTH = "2019-06-01"
FEATURE_HISTORY = ("2019-03-28", "2019-06-30")


def _credentials_problem() -> str | None:
    if not os.environ.get("MLB_GCP_PROJECT"):
        return "MLB_GCP_PROJECT is not set: no BigQuery project to test against"
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    try:
        google.auth.default(scopes=["https://www.googleapis.com/auth/bigquery"])
    except DefaultCredentialsError as exc:
        return f"no Google credentials (Application Default Credentials): {exc}"
    return None


@pytest.fixture(scope="module")
def live() -> Iterator[BigQueryWarehouse]:
    """A migrated, seeded set of throw-away datasets in the real project."""
    problem = _credentials_problem()
    if problem:
        pytest.skip(problem)
    from mlb_assets.resources.migrations import migrate
    from mlb_assets_demo.generator import generate_demo

    config = MLBConfig.from_env()
    warehouse = BigQueryWarehouse(
        project=config.gcp_project,
        location=config.bq_location,
        dataset_prefix=f"ci_{uuid.uuid4().hex[:8]}_",
        max_bytes_billed=2 * 1024**3,
    )
    try:
        migrate(warehouse)
        for table, frame in generate_demo(seed=7).items():
            warehouse.overwrite_table(table, frame)
        yield warehouse
    finally:
        client = warehouse.client()
        for dataset in client.list_datasets():
            if dataset.dataset_id.startswith(warehouse.dataset_prefix):
                client.delete_dataset(dataset.reference, delete_contents=True, not_found_ok=True)
        warehouse.close()


def test_tables_are_partitioned_and_clustered(live: BigQueryWarehouse) -> None:
    client = live.client()
    table = client.get_table(live.table_id("mlb_predictions.v1_baseline_predictions"))
    assert table.time_partitioning.field == "game_date"
    assert table.clustering_fields == ["system_id", "pitcher_lookup"]
    assert table.require_partition_filter is True
    like = client.get_table(live.table_id("mlb_predictions.ensemble_v1_predictions"))
    assert like.time_partitioning.field == "game_date" and like.require_partition_filter


def test_the_bytes_cap_stops_a_query_and_is_not_retried(live: BigQueryWarehouse) -> None:
    capped = BigQueryWarehouse(
        project=live.project,
        location=live.location,
        dataset_prefix=live.dataset_prefix,
        max_bytes_billed=1,
    )
    with pytest.raises(gexc.BadRequest, match="bytes billed"):
        capped.query_text(
            "SELECT COUNT(*) AS n FROM mlb_analytics.pitcher_game_summary WHERE strikeouts > 0"
        )
    capped.close()


def test_the_whole_graph_for_one_date(live: BigQueryWarehouse, tmp_path: Path) -> None:
    from mlb_assets.config import MLBConfig
    from mlb_assets.definitions import build_definitions
    from mlb_assets.resources.model_store import ModelStore
    from mlb_assets.schedules import DAILY_SELECTION
    from mlb_assets_demo.runs import materialize_range

    defs = build_definitions(MLBConfig(warehouse="bigquery"))

    resources = {"warehouse": live, "model_store": ModelStore(root=str(tmp_path / "models"))}
    # History the month's models train on, then the models, then the date: three runs.
    materialize_range(
        defs,
        ["feature_store_slice", "il_roster", "prop_lines"],
        *FEATURE_HISTORY,
        resources=resources,
    )
    materialize_range(defs, ["strikeout_models"], MONTH, MONTH, resources=resources)
    result = materialize_range(
        defs,
        DAILY_SELECTION,
        DAY,
        DAY,
        resources=resources,
    )
    assert result.success
    day = {"start_date": date.fromisoformat(DAY), "end_date": date.fromisoformat(DAY)}
    predictions = live.query_text(
        "SELECT system_id, COUNT(*) AS n, COUNTIF(is_fallback) AS fallbacks "
        "FROM mlb_predictions.pitcher_strikeouts "
        "WHERE game_date BETWEEN @start_date AND @end_date GROUP BY system_id",
        day,
    )
    assert set(predictions["system_id"]) == {"v1_baseline", "v1_6_rolling", "ensemble_v1"}
    assert (predictions["n"] > 0).all() and (predictions["fallbacks"] == 0).all()

    # Re-materializing the date replaces its partition: no duplicates.
    materialize_range(defs, ["prop_lines"], DAY, DAY, resources=resources)
    lines = live.read_window("mlb_precompute.prop_lines", day["start_date"], day["end_date"])
    assert not lines.duplicated(["game_date", "pitcher_lookup"]).any()

    # Every job of the run carried its labels. Listing jobs needs bigquery.jobs.list
    # (BigQuery User), which the pipeline itself does not need.
    since = pd.Timestamp.now(tz="UTC") - pd.Timedelta(hours=2)
    try:
        jobs = list(live.client().list_jobs(min_creation_time=since))
    except gexc.Forbidden as exc:
        pytest.skip(f"cannot list jobs to check their labels: {exc.message}")
    ours = [j for j in jobs if (j.labels or {}).get("dagster_run_id") == result.run_id]
    assert ours and all(j.labels.get("partition_start") == DAY for j in ours)
    assert all(j.labels.get("app") == "mlb-assets" for j in ours)
