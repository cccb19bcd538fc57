"""The whole graph for one date on the production stack, offline.

BigQueryWarehouse (through the real BigQuery client) against the fake BigQuery, and models in
GCS (through the real storage client) against the fake GCS, compared with the embedded
DuckDB run of the same date: every table the graph writes must come out the same. This is
what can be shown without a cloud project; test_live_bigquery.py runs the same graph on a
real one.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from mlb_assets.resources.bigquery_warehouse import BigQueryWarehouse
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.model_store import ModelStore
from mlb_assets.schedules import DAILY_SELECTION
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import defs_for
from mlb_assets_tests.resources.test_bigquery_fakes import (
    PROJECT,
    FakeBigQuery,
    FakeGCS,
    fake_bigquery,
    fake_gcs,
)

DAY = "2019-06-14"
MONTH = "2019-06-01"
DAILY = DAILY_SELECTION
WRITTEN = [
    "mlb_precompute.feature_store_slice",
    "mlb_precompute.il_roster",
    "mlb_precompute.prop_lines",
    "mlb_predictions.v1_baseline_predictions",
    "mlb_predictions.v1_6_rolling_predictions",
    "mlb_predictions.ensemble_v1_predictions",
    "mlb_predictions.coverage_report",
]
VOLATILE = {"created_at", "prediction_id"}  # wall-clock time, and ids derived from it


@pytest.fixture
def production_stack(
    prepared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeBigQuery, FakeGCS, dict[str, object]]]:
    """The prepared warehouse served as BigQuery; an empty bucket for the models."""
    served = tmp_path / "served.duckdb"
    shutil.copy(prepared / "warehouse.duckdb", served)
    with fake_bigquery(tmp_path, monkeypatch, served) as bigquery, fake_gcs(monkeypatch) as gcs:
        resources: dict[str, object] = {
            "warehouse": BigQueryWarehouse(project=PROJECT, location="US"),
            "model_store": ModelStore(root="gs://mlb-models/test"),
        }
        yield bigquery, gcs, resources


def _table(rows: list[tuple[object, ...]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns).drop(columns=list(VOLATILE & set(columns)))
    keys = [c for c in ("game_date", "system_id", "pitcher_lookup") if c in frame.columns]
    return frame.sort_values(keys).reset_index(drop=True)


def test_one_date_on_bigquery_and_gcs_matches_duckdb(
    production_stack: tuple[FakeBigQuery, FakeGCS, dict[str, object]], prepared: Path
) -> None:
    fake, gcs, resources = production_stack
    defs = defs_for(prepared)

    # The month's models, trained from BigQuery rows and saved to GCS ...
    materialize_range(defs, ["strikeout_models"], MONTH, MONTH, resources=resources)
    # ... then the daily graph for one date, loading them back from GCS.
    assert {name for _, name in gcs.objects} >= {
        "test/v1_baseline/2019-06/model.ubj",
        "test/v1_baseline/2019-06/metadata.json",
        "test/v1_6_rolling/2019-06/model.ubj",
    }
    result = materialize_range(defs, DAILY, DAY, DAY, resources=resources)
    assert result.success
    assert gcs.calls("GET", "/download/storage/v1/b/mlb-models/o/")

    # The reference: the embedded DuckDB run of the same date (models trained by the
    # conftest from the same rows with the same seed).
    reference = DuckDBWarehouse(path=str(prepared / "warehouse.duckdb"))
    materialize_range(
        defs,
        DAILY,
        DAY,
        DAY,
        resources={
            "warehouse": reference,
            "model_store": ModelStore(root=str(prepared / "models")),
        },
    )
    con = reference.connection()
    for table in WRITTEN:
        query = f"SELECT * FROM {table} WHERE game_date = '{DAY}'"
        expected_cursor = con.execute(query)
        expected = _table(expected_cursor.fetchall(), [d[0] for d in expected_cursor.description])
        with fake.lock:
            cursor = fake.con.execute(query)
            got = _table(cursor.fetchall(), [d[0] for d in cursor.description])
        assert len(got) > 0, table
        pd.testing.assert_frame_equal(got, expected, check_exact=False, obj=table)
        if "model_version" in got.columns:  # the models really came back from GCS
            assert not got["is_fallback"].any(), table
            assert got["model_version"].str.contains("-2019-06-").all(), table
    reference.close()

    # Every job of the daily run carried its labels and the bytes cap.
    jobs = [r for r in fake.calls("POST", "/queries$") if "dagster_run_id" in r.body["labels"]]
    daily = [j for j in jobs if j.body["labels"]["dagster_run_id"] == result.run_id]
    assert daily and all(j.body["maximumBytesBilled"] for j in daily)
    assert {j.body["labels"]["partition_start"] for j in daily} == {DAY}
    assert {
        j.body["labels"].get("dagster_asset") or j.body["labels"]["dagster_op"] for j in daily
    } >= {"feature_store_slice", "il_roster", "prop_lines", "coverage_report"}
    merges = [j for j in daily if j.body["query"].startswith("MERGE")]
    assert len(merges) == len(WRITTEN)  # one atomic statement per table written
