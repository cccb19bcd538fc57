"""BigQueryWarehouse: typed parameters, labels and cost caps, retries, atomic window writes.

The client is the real google-cloud-bigquery client; where a test needs the service it
talks HTTP to the offline fake in test_bigquery_fakes.py.
"""

from __future__ import annotations

import io
import logging
import os
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import requests
from dagster import (
    DailyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    asset,
    materialize,
)
from google.api_core import exceptions as gexc
from google.api_core.retry import Retry
from google.auth import exceptions as auth_exceptions
from google.cloud import bigquery

from mlb_assets.config import MLBConfig
from mlb_assets.resources.bigquery_sql import parameter_names
from mlb_assets.resources.bigquery_warehouse import (
    BigQueryWarehouse,
    bigquery_retry,
    dagster_labels,
    parquet_payload,
    query_parameter,
)
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.errors import is_transient
from mlb_assets.resources.factory import build_warehouse
from mlb_assets.resources.sql import read_sql, sql_names
from mlb_assets_demo.runs import range_tags
from mlb_assets_tests.resources.test_bigquery_fakes import (
    PROJECT,
    FakeBigQuery,
    Fault,
    base64_key,
    fake_bigquery,
    fake_service_account_key,
    write_key,
)

# The parameters the assets pass (see mlb_assets/assets/*.py) and their BigQuery types.
SAMPLE_PARAMS: dict[str, Any] = {
    "start_date": date(2019, 6, 1),
    "end_date": date(2019, 6, 3),
    "from_date": date(2017, 6, 1),
    "before_date": date(2019, 6, 1),
    "max_age_days": 7,
    "il_statuses": ["10-Day-IL", "15-Day-IL", "60-Day-IL", "Out"],
}
EXPECTED_TYPES = {
    "start_date": "DATE",
    "end_date": "DATE",
    "from_date": "DATE",
    "before_date": "DATE",
    "max_age_days": "INT64",
    "il_statuses": "ARRAY<STRING>",
}


def _type(param: bigquery.ScalarQueryParameter | bigquery.ArrayQueryParameter) -> str:
    api = param.to_api_repr()["parameterType"]
    return f"ARRAY<{api['arrayType']['type']}>" if api["type"] == "ARRAY" else api["type"]


# -- parameters ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2019, 6, 1), "DATE"),
        ("gerrit_cole", "STRING"),
        (5.5, "FLOAT64"),
        (7, "INT64"),
        (True, "BOOL"),
        (datetime(2019, 6, 1, 17, 5, tzinfo=UTC), "TIMESTAMP"),
        (pd.Timestamp("2019-06-01 17:05", tz="UTC"), "TIMESTAMP"),
        (np.int64(3), "INT64"),
        (np.float64(0.5), "FLOAT64"),
        (np.bool_(False), "BOOL"),
        (["a", "b"], "ARRAY<STRING>"),
        ((1, 2), "ARRAY<INT64>"),
        ([date(2019, 6, 1)], "ARRAY<DATE>"),
        (np.array([1.5, 2.5]), "ARRAY<FLOAT64>"),
    ],
)
def test_query_parameter_types(value: Any, expected: str) -> None:
    param = query_parameter("p", value)
    assert _type(param) == expected
    param.to_api_repr()  # serialisable by the client


@pytest.mark.parametrize("value", [None, [], ["a", 1], {"a": 1}])
def test_untypable_parameters_are_refused(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        query_parameter("p", value)


def test_a_sample_call_sends_every_parameter_with_its_type() -> None:
    warehouse = BigQueryWarehouse(project=PROJECT)
    config = warehouse.query_config(SAMPLE_PARAMS, "query")
    assert {p.name: _type(p) for p in config.query_parameters} == EXPECTED_TYPES
    # Every parameter any source query uses has a value and a type in the sample.
    for name in sql_names("sources"):
        assert parameter_names(read_sql(name)) <= set(EXPECTED_TYPES), name


# -- errors and retries --------------------------------------------------------------------
def _google_error(cls: type[gexc.GoogleAPICallError], reason: str) -> gexc.GoogleAPICallError:
    return cls("injected", errors=[{"reason": reason, "message": "injected"}])


TRANSIENT = [
    gexc.TooManyRequests("429"),
    gexc.InternalServerError("500"),
    gexc.BadGateway("502"),
    gexc.ServiceUnavailable("503"),
    gexc.GatewayTimeout("504"),
    _google_error(gexc.Forbidden, "rateLimitExceeded"),
    _google_error(gexc.BadRequest, "jobBackendError"),
    _google_error(gexc.BadRequest, "jobRateLimitExceeded"),
    ConnectionResetError(104, "Connection reset by peer"),
    requests.exceptions.ConnectionError("connection aborted"),
    requests.exceptions.ChunkedEncodingError("connection broken"),
    requests.exceptions.ReadTimeout("read timed out"),
    auth_exceptions.TransportError("token endpoint unreachable"),
]
PERMANENT = [
    gexc.BadRequest("400 Syntax error"),
    _google_error(gexc.BadRequest, "invalidQuery"),
    _google_error(gexc.BadRequest, "bytesBilledLimitExceeded"),
    gexc.Forbidden("403"),
    _google_error(gexc.Forbidden, "accessDenied"),
    _google_error(gexc.Forbidden, "quotaExceeded"),
    gexc.NotFound("404 Not found: Table"),
    requests.exceptions.SSLError("certificate verify failed"),
    ValueError("a bug"),
]


def _flaky(failures: list[BaseException]) -> tuple[Callable[[], str], list[int]]:
    """A callable that raises each of `failures` once, then answers; counts its calls."""
    calls = [0]
    pending = list(failures)

    def call() -> str:
        calls[0] += 1
        if pending:
            raise pending.pop(0)
        return "ok"

    return call, calls


def _tiny_retry() -> Retry:
    return bigquery_retry(deadline=2.0, initial=0.001, maximum=0.002)


@pytest.mark.parametrize("error", TRANSIENT, ids=lambda e: f"{type(e).__name__}-{e}"[:60])
def test_transient_errors_are_retried(error: BaseException) -> None:
    assert is_transient(error)
    call, calls = _flaky([error, error])
    assert _tiny_retry()(call)() == "ok"
    assert calls[0] == 3


@pytest.mark.parametrize("error", PERMANENT, ids=lambda e: f"{type(e).__name__}-{e}"[:60])
def test_permanent_errors_fail_at_once(error: BaseException) -> None:
    assert not is_transient(error)
    call, calls = _flaky([error])
    with pytest.raises(type(error)):
        _tiny_retry()(call)()
    assert calls[0] == 1


def test_retries_stop_at_the_deadline() -> None:
    """Judged by the calls made, not by the clock (a busy machine stretches the clock): with
    a 0.05 s deadline and sleeps of up to 0.01 s a few calls fit; a retry that ignored the
    deadline would reach the guard, whose error is not the RetryError expected."""
    calls = [0]

    def always() -> None:
        calls[0] += 1
        if calls[0] > 1000:
            raise RuntimeError("still retrying after 1000 calls: the deadline was ignored")
        raise gexc.ServiceUnavailable("still down")

    with pytest.raises(gexc.RetryError):
        bigquery_retry(deadline=0.05, initial=0.01, maximum=0.01)(always)()


# -- the client, built from configuration without the network ------------------------------
@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def adc_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    key = fake_service_account_key()
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(write_key(tmp_path / "k.json", key)))
    return key


def test_client_from_config_without_network(
    adc_key: dict[str, str], no_network: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = MLBConfig.from_env(
        {
            "MLB_WAREHOUSE": "bigquery",
            "MLB_GCP_PROJECT": PROJECT,
            "MLB_BQ_LOCATION": "EU",
            "MLB_BQ_DATASET_PREFIX": "stg_",
            "MLB_BQ_MAX_BYTES_BILLED": str(2 * 1024**3),
        }
    )
    warehouse = build_warehouse(config)
    assert isinstance(warehouse, BigQueryWarehouse)
    client = warehouse.client()
    assert (client.project, client.location) == (PROJECT, "EU")
    assert warehouse.table_id("mlb_precompute.prop_lines") == (
        f"{PROJECT}.stg_mlb_precompute.prop_lines"
    )
    job = warehouse.query_config({"start_date": date(2019, 6, 1)}, "query").to_api_repr()
    assert job["query"]["maximumBytesBilled"] == str(2 * 1024**3)
    assert job["jobTimeoutMs"] == str(1_800_000)
    assert job["labels"] == {"app": "mlb-assets", "mlb_job": "query", "dataset_prefix": "stg_"}
    assert job["query"]["useLegacySql"] is False
    warehouse.close()


def test_no_credentials_in_reprs_or_logs(
    monkeypatch: pytest.MonkeyPatch, no_network: None, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    key = fake_service_account_key()
    encoded = base64_key(key)
    secret = key["private_key"].splitlines()[1]  # a line of the PEM body
    caplog.set_level(logging.DEBUG)
    warehouse = BigQueryWarehouse(project=PROJECT, gcp_credentials=encoded)
    client = warehouse.client()
    shown = " ".join(
        [repr(warehouse), str(warehouse), repr(client), str(warehouse.query_config({}, "q"))]
    )
    shown += caplog.text
    for fragment in (encoded[:40], secret, key["private_key_id"]):
        assert fragment not in shown
    # dagster-gcp's temporary key file exists only while the client is built.
    assert "GOOGLE_APPLICATION_CREDENTIALS" not in os.environ
    assert client._credentials.service_account_email == key["client_email"]
    warehouse.close()


def test_labels_name_the_asset_partition_range_and_run(adc_key: dict[str, str]) -> None:
    """Inside a Dagster step the labels come from its context; outside there are none."""
    assert dagster_labels() == {}
    seen: dict[str, dict[str, str]] = {}
    daily = DailyPartitionsDefinition(start_date="2019-03-28")
    monthly = MonthlyPartitionsDefinition(start_date="2019-03-01")

    @asset(partitions_def=daily)
    def Feature_Slice() -> None:  # capitals: labels lower-case them
        seen["daily"] = BigQueryWarehouse(project=PROJECT).job_labels("replace")

    @asset(partitions_def=monthly)
    def models() -> None:
        seen["monthly"] = BigQueryWarehouse(project=PROJECT).job_labels("query")

    result = materialize([Feature_Slice], tags=range_tags("2019-06-01", "2019-06-07"))
    assert seen["daily"] == {
        "app": "mlb-assets",
        "mlb_job": "replace",
        "dagster_run_id": result.run_id,
        "dagster_asset": "feature_slice",  # lower-cased: label values allow no capitals
        "partition_start": "2019-06-01",
        "partition_end": "2019-06-07",
    }
    materialize([models], partition_key="2019-06-01")
    assert seen["monthly"]["partition_start"] == seen["monthly"]["partition_end"] == "2019-06-01"


# -- frames in and out ---------------------------------------------------------------------
PREDICTION_SCHEMA = [
    bigquery.SchemaField("prediction_id", "STRING", mode="REQUIRED"),
    bigquery.SchemaField("game_date", "DATE", mode="REQUIRED"),
    bigquery.SchemaField("is_home", "BOOL"),
    bigquery.SchemaField("over_odds", "INT64"),
    bigquery.SchemaField("p_over", "FLOAT64"),
    bigquery.SchemaField("missing_features", "STRING", mode="REPEATED"),
    bigquery.SchemaField("created_at", "TIMESTAMP"),
]


def test_frames_load_with_the_target_schema() -> None:
    """What the assets write (datetime64 dates, NaN ints and floats, lists, tz-aware stamps)
    becomes Parquet with the table's types; NaN becomes NULL, as DuckDB stores it."""
    frame = pd.DataFrame(
        {
            "created_at": [pd.Timestamp("2019-06-01 12:00", tz="UTC")] * 2,
            "game_date": pd.to_datetime(["2019-06-01", "2019-06-02"]),
            "prediction_id": ["a", "b"],
            "is_home": [True, None],
            "over_odds": [-110.0, np.nan],
            "p_over": [0.55, np.nan],
            "missing_features": [["k_avg_last_3"], None],
        }
    )
    table = pq.read_table(io.BytesIO(parquet_payload(frame, PREDICTION_SCHEMA)))
    assert table.column_names == [f.name for f in PREDICTION_SCHEMA]
    assert str(table.schema.field("missing_features").type) == "list<element: string>"
    rows = table.to_pylist()
    assert rows[0]["game_date"] == date(2019, 6, 1)
    assert rows[0]["created_at"] == datetime(2019, 6, 1, 12, tzinfo=UTC)
    assert rows[0]["over_odds"] == -110 and rows[1]["over_odds"] is None
    assert rows[1]["p_over"] is None and rows[1]["is_home"] is None
    assert rows[1]["missing_features"] == []
    assert table.column("prediction_id").to_pylist() == ["a", "b"]
    with pytest.raises(ValueError, match="not in the target table"):
        parquet_payload(frame.assign(surprise=1), PREDICTION_SCHEMA)
    with pytest.raises(TypeError):
        parquet_payload(frame.assign(over_odds=[1.5, 2.0]), PREDICTION_SCHEMA)


def test_a_missing_column_loads_as_null_but_a_required_one_fails() -> None:
    frame = pd.DataFrame({"prediction_id": ["a"], "game_date": pd.to_datetime(["2019-06-01"])})
    table = pq.read_table(io.BytesIO(parquet_payload(frame, PREDICTION_SCHEMA)))
    assert table.to_pylist()[0]["p_over"] is None
    with pytest.raises(pa.ArrowInvalid, match="game_date"):
        parquet_payload(frame.drop(columns="game_date"), PREDICTION_SCHEMA)


# -- against the offline fake --------------------------------------------------------------
@pytest.fixture
def served(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeBigQuery, BigQueryWarehouse, DuckDBWarehouse]]:
    """The seeded demo warehouse served as a BigQuery project, plus a DuckDB view of a copy."""
    duck_copy = tmp_path / "duck.duckdb"
    duck_copy.write_bytes((seeded / "warehouse.duckdb").read_bytes())
    with fake_bigquery(tmp_path, monkeypatch, seeded / "warehouse.duckdb") as fake:
        bq = BigQueryWarehouse(project=PROJECT, retry_deadline_seconds=5.0)
        duck = DuckDBWarehouse(path=str(duck_copy))
        yield fake, bq, duck
        bq.close()
        duck.close()


def _in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a fixed order (not every query has an ORDER BY)."""
    keys = [
        c for c in frame.columns if frame[c].dtype != object or frame[c].map(type).eq(str).all()
    ]
    return frame.sort_values(keys, na_position="first").reset_index(drop=True)


@pytest.mark.parametrize("name", sql_names("sources"))
def test_bigquery_results_look_like_duckdb_results(
    name: str, served: tuple[FakeBigQuery, BigQueryWarehouse, DuckDBWarehouse]
) -> None:
    """The same query through the BigQuery client comes back with DuckDB's frame shape, so
    the assets cannot tell the engines apart."""
    fake, bq, duck = served
    expected = duck.query(name, SAMPLE_PARAMS)
    got = bq.query(name, SAMPLE_PARAMS)
    pd.testing.assert_frame_equal(
        _in_order(got), _in_order(expected), check_dtype=False, check_exact=False
    )
    for column in expected.columns:
        # Numbers are numbers (DuckDB widens SUM(BIGINT) to a float; BigQuery keeps INT64);
        # dates, timestamps, booleans and strings must match in kind.
        kinds = {got[column].dtype.kind, expected[column].dtype.kind}
        assert len(kinds) == 1 or kinds <= set("iuf"), (column, kinds)
    (request,) = fake.calls("POST", "/queries$")
    assert f"`{PROJECT}`.mlb_" in request.body["query"]
    assert request.body["maximumBytesBilled"] == str(10 * 1024**3)
    assert request.body["labels"]["mlb_job"] == "query"
    sent = {p["name"] for p in request.body.get("queryParameters", [])}
    assert sent == parameter_names(read_sql(name))  # exactly the parameters it uses
    assert bq.stats.queries == 1 and bq.stats.rows_read == len(expected)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (503, "backendError"),
        (429, "rateLimitExceeded"),
        (403, "rateLimitExceeded"),
        (500, "internalError"),
    ],
)
def test_transient_api_errors_are_retried_over_http(
    status: int, reason: str, served: tuple[FakeBigQuery, BigQueryWarehouse, DuckDBWarehouse]
) -> None:
    fake, bq, _ = served
    fake.faults.append(Fault("POST", "/queries$", status, reason, times=2))
    frame = bq.query("sources/season_bounds.sql")
    assert len(frame) == 2 and len(fake.calls("POST", "/queries$")) == 3


@pytest.mark.parametrize(
    ("status", "reason", "error"),
    [
        (400, "invalidQuery", gexc.BadRequest),
        (403, "accessDenied", gexc.Forbidden),
        (404, "notFound", gexc.NotFound),
        (400, "bytesBilledLimitExceeded", gexc.BadRequest),
    ],
)
def test_permanent_api_errors_are_not_retried_over_http(
    status: int,
    reason: str,
    error: type[Exception],
    served: tuple[FakeBigQuery, BigQueryWarehouse, DuckDBWarehouse],
) -> None:
    fake, bq, _ = served
    fake.faults.append(Fault("POST", "/queries$", status, reason, times=5))
    with pytest.raises(error):
        bq.query("sources/season_bounds.sql")
    assert len(fake.calls("POST", "/queries$")) == 1


def _props(day: str, pitchers: list[str], line: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "game_date": pd.to_datetime([day] * len(pitchers)),
            "pitcher_lookup": pitchers,
            "bookmaker": "draftkings",
            "snapshot_time": pd.Timestamp(f"{day} 15:00", tz="UTC"),
            "strikeouts_line": line,
            "over_odds": -110,
            "under_odds": -110,
        }
    )


def _prop_rows(fake: FakeBigQuery) -> list[tuple[Any, ...]]:
    return fake.rows(
        "SELECT game_date::VARCHAR, pitcher_lookup, strikeouts_line "
        "FROM mlb_precompute.prop_lines ORDER BY 1, 2"
    )


def test_replace_partitions_stages_then_merges_once(
    served: tuple[FakeBigQuery, BigQueryWarehouse, DuckDBWarehouse],
) -> None:
    fake, bq, _ = served
    table = "mlb_precompute.prop_lines"
    bq.replace_partitions(
        table,
        pd.concat([_props(f"2019-06-0{d}", ["a", "b"], 5.5) for d in (1, 2, 3)]),
        date(2019, 6, 1),
        date(2019, 6, 3),
    )
    bq.replace_partitions(
        table, _props("2019-06-02", ["c"], 6.5), date(2019, 6, 2), date(2019, 6, 2)
    )
    assert _prop_rows(fake) == [
        ("2019-06-01", "a", 5.5),
        ("2019-06-01", "b", 5.5),
        ("2019-06-02", "c", 6.5),
        ("2019-06-03", "a", 5.5),
        ("2019-06-03", "b", 5.5),
    ]
    merges = [r for r in fake.calls("POST", "/queries$") if r.body["query"].startswith("MERGE")]
    assert len(merges) == 2
    assert merges[-1].body["labels"]["mlb_job"] == "replace"
    (load,) = fake.calls("POST", "/upload/")[-1:]
    assert b'"writeDisposition": "WRITE_TRUNCATE"' in load.body
    # The staging tables were created with an expiry and are gone.
    created = fake.calls("POST", "/tables$")
    assert len(created) == 2 and all("expirationTime" in c.body for c in created)
    assert len(fake.calls("DELETE", "/tables/prop_lines__staging_")) == 2
    assert not fake.rows("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%staging%'")


def test_a_frame_over_5_mb_goes_through_a_resumable_upload(
    served: tuple[FakeBigQuery, BigQueryWarehouse, DuckDBWarehouse],
) -> None:
    """A season-sized backfill: the client switches from one multipart request to a
    resumable upload session above 5 MB."""
    fake, bq, _ = served
    rng = np.random.default_rng(0)
    pitchers = [rng.bytes(48).hex() for _ in range(70_000)]  # incompressible
    frame = _props("2019-06-02", pitchers, 5.5)
    bq.replace_partitions("mlb_precompute.prop_lines", frame, date(2019, 6, 2), date(2019, 6, 2))
    starts = fake.calls("POST", "^/upload/")
    assert [r.query["uploadType"] for r in starts] == [["resumable"]]
    assert fake.calls("PUT", "^/upload/")
    assert fake.rows("SELECT count(*) FROM mlb_precompute.prop_lines") == [(70_000,)]


def test_a_failed_merge_leaves_the_window_and_cleans_up(
    served: tuple[FakeBigQuery, BigQueryWarehouse, DuckDBWarehouse],
) -> None:
    fake, bq, _ = served
    table = "mlb_precompute.prop_lines"
    bq.replace_partitions(
        table, _props("2019-06-02", ["a"], 5.5), date(2019, 6, 2), date(2019, 6, 2)
    )
    fake.faults.append(Fault("POST", "/queries$", 403, "accessDenied"))
    with pytest.raises(gexc.Forbidden):
        bq.replace_partitions(
            table, _props("2019-06-02", ["z"], 9.5), date(2019, 6, 2), date(2019, 6, 2)
        )
    assert _prop_rows(fake) == [("2019-06-02", "a", 5.5)]
    assert not fake.rows("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%staging%'")


def test_a_transient_load_failure_is_retried(
    served: tuple[FakeBigQuery, BigQueryWarehouse, DuckDBWarehouse],
) -> None:
    fake, bq, _ = served
    fake.faults.append(Fault("POST", "/upload/", 503, "backendError"))
    bq.replace_partitions(
        "mlb_precompute.prop_lines",
        _props("2019-06-02", ["a"], 5.5),
        date(2019, 6, 2),
        date(2019, 6, 2),
    )
    assert _prop_rows(fake) == [("2019-06-02", "a", 5.5)]


def test_overwrite_table_is_one_truncating_load(
    served: tuple[FakeBigQuery, BigQueryWarehouse, DuckDBWarehouse],
) -> None:
    fake, bq, _ = served
    parks = pd.DataFrame({"team_abbr": ["NYY", "BOS"], "k_factor": [1.02, 0.98]})
    assert bq.overwrite_table("mlb_reference.ballparks", parks) == 2
    assert fake.rows("SELECT * FROM mlb_reference.ballparks ORDER BY 1") == [
        ("BOS", 0.98),
        ("NYY", 1.02),
    ]
    assert len(fake.calls("POST", "/upload/")) == 1
    assert not fake.calls("POST", "/queries$")


@pytest.fixture
def empty_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBigQuery]:
    with fake_bigquery(tmp_path, monkeypatch) as fake:
        yield fake


def test_migrations_run_as_scripts(empty_project: FakeBigQuery) -> None:
    """Every migration, qualified for a prefixed project, runs and is idempotent."""
    from mlb_assets.resources.migrations import migrate

    bq = BigQueryWarehouse(project=PROJECT, dataset_prefix="ci_")
    assert len(migrate(bq)) == len(migrate(bq))
    scripts = empty_project.calls("POST", "/queries$")
    assert all(r.body["labels"]["mlb_job"] == "script" for r in scripts)
    tables = {
        f"{s}.{t}"
        for s, t in empty_project.rows("SELECT schema_name, table_name FROM duckdb_tables()")
    }
    assert "ci_mlb_predictions.v1_baseline_predictions" in tables
    assert "ci_mlb_precompute.feature_store_slice" in tables
    bq.close()
