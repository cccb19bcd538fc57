"""The production warehouse: the same SQL as DuckDB, run as BigQuery jobs with cost guards.

Every query job carries a `maximum_bytes_billed` cap (a bad query fails instead of billing);
every job a server-side timeout, labels naming the asset, partition range and Dagster run
that caused it (so the billing export can be grouped by them), an explicit per-request
timeout and a bounded retry that retries only transient errors (see errors.is_transient). The
client comes from `dagster_gcp.BigQueryResource`: credentials by ADC, or a base64
service-account key in `gcp_credentials`.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from dagster import DagsterInvariantViolationError, OpExecutionContext
from dagster_gcp import BigQueryResource
from google.api_core.retry import Retry
from google.cloud import bigquery
from google.cloud.bigquery.table import RowIterator
from pydantic import Field, PrivateAttr

from mlb_assets.config import MLBConfig
from mlb_assets.resources.bigquery_sql import (
    WINDOW_END,
    WINDOW_START,
    parameter_names,
    qualify_for_bigquery,
    replace_window_sql,
)
from mlb_assets.resources.errors import is_transient
from mlb_assets.resources.warehouse import Warehouse

logger = logging.getLogger("mlb_assets.bigquery")

APP_LABEL = "mlb-assets"
# Staging tables normally live for seconds; the expiry only matters if a process dies
# between the load and the cleanup.
STAGING_TTL = timedelta(hours=6)

_LABEL_VALUE = re.compile(r"[^a-z0-9_-]+")
_LIST_INFERENCE = bigquery.ParquetOptions()
_LIST_INFERENCE.enable_list_inference = True


def bigquery_retry(deadline: float, initial: float = 1.0, maximum: float = 16.0) -> Retry:
    """Exponential backoff on transient errors only, for at most `deadline` seconds overall.

    The client's default keeps retrying for 10 minutes (20 for jobs); a scheduled run should
    fail within a bound it chose, and never retry bad SQL or a permission error at all.
    """
    return Retry(
        predicate=is_transient, initial=initial, maximum=maximum, multiplier=2.0, timeout=deadline
    )


def label_value(value: str) -> str:
    """BigQuery label values: at most 63 lower-case letters, digits, `_` and `-`."""
    return _LABEL_VALUE.sub("_", value.lower())[:63]


def dagster_labels() -> dict[str, str]:
    """Asset, partition range and run of the Dagster step making the call, if there is one.

    Read from the step's execution context, so assets need no extra argument to label their
    jobs and a call from outside a run (the migrate CLI) simply carries fewer labels.
    """
    try:
        context = OpExecutionContext.get()
    except DagsterInvariantViolationError:
        return {}
    labels = {"dagster_run_id": context.run_id}
    keys = sorted(key.to_user_string() for key in context.selected_asset_keys)
    # A subset of a multi-asset still runs as one op: name the op then.
    labels["dagster_asset" if len(keys) == 1 else "dagster_op"] = (
        keys[0] if len(keys) == 1 else context.op_def.name
    )
    if context.has_partition_key or context.has_partition_key_range:
        keys_range = context.partition_key_range
        labels["partition_start"] = keys_range.start
        labels["partition_end"] = keys_range.end
    return {key: label_value(value) for key, value in labels.items()}


def _scalar_type(value: Any) -> str:
    """The BigQuery type of one Python value; order matters (bool is an int, datetime a date)."""
    if isinstance(value, bool | np.bool_):
        return "BOOL"
    if isinstance(value, int | np.integer):
        return "INT64"
    if isinstance(value, float | np.floating):
        return "FLOAT64"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, datetime):
        return "TIMESTAMP"
    if isinstance(value, date):
        return "DATE"
    raise TypeError(f"no BigQuery type for {type(value).__name__} value {value!r}")


def _plain(value: Any) -> Any:
    """numpy scalars to Python scalars, which the client knows how to serialise."""
    return value.item() if isinstance(value, np.generic) else value


def query_parameter(
    name: str, value: Any
) -> bigquery.ScalarQueryParameter | bigquery.ArrayQueryParameter:
    """A named `@param` with an explicit type; lists and tuples become typed arrays.

    Naive datetimes are sent as TIMESTAMP and read by BigQuery as UTC. NULL and empty arrays
    have no type to infer, so they are refused rather than guessed.
    """
    if isinstance(value, list | tuple | np.ndarray):
        values = [_plain(v) for v in value]
        if not values:
            raise ValueError(f"@{name}: an empty array has no element type to send")
        types = {_scalar_type(v) for v in values}
        if len(types) != 1:
            raise TypeError(f"@{name}: array elements of mixed types {sorted(types)}")
        return bigquery.ArrayQueryParameter(name, types.pop(), values)
    if value is None:
        raise ValueError(f"@{name} is None: a NULL parameter has no type to send")
    return bigquery.ScalarQueryParameter(name, _scalar_type(value), _plain(value))


_ARROW_TYPES: dict[str, pa.DataType] = {
    "STRING": pa.string(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us", tz="UTC"),
    "INTEGER": pa.int64(),
    "INT64": pa.int64(),
    "FLOAT": pa.float64(),
    "FLOAT64": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "BOOL": pa.bool_(),
}


def _arrow_type(field: bigquery.SchemaField) -> pa.DataType:
    if field.field_type not in _ARROW_TYPES:
        raise TypeError(f"{field.name}: no load conversion for BigQuery type {field.field_type}")
    kind = _ARROW_TYPES[field.field_type]
    return pa.list_(kind) if field.mode == "REPEATED" else kind


def _arrow_column(series: pd.Series, field: bigquery.SchemaField) -> pa.Array:
    """One column in the table's type. NaN becomes NULL, as DuckDB stores it: BigQuery
    would otherwise keep NaN as a value and `IS NULL` coverage checks would miss it."""
    kind = _arrow_type(field)
    if field.mode == "REPEATED":
        # BigQuery has no NULL arrays: a missing list is an empty one.
        lists = [[] if v is None or v is pd.NA else list(v) for v in series]
        return pa.array(lists, type=kind)
    if field.field_type == "DATE":
        dates = pd.to_datetime(series)
        return pa.array(dates.dt.date.where(dates.notna(), None), type=kind)
    if field.field_type == "TIMESTAMP":
        # Naive timestamps are UTC, as BigQuery reads them.
        return pa.array(pd.to_datetime(series, utc=True).dt.floor("us"), type=kind)
    if kind == pa.int64():
        series = series.astype("Int64")  # refuses non-integral floats rather than truncating
    elif kind == pa.bool_():
        series = series.astype("boolean")
    elif kind == pa.string():
        series = series.astype(object).where(series.notna(), None)
    return pa.array(series, type=kind, from_pandas=True)


def parquet_payload(frame: pd.DataFrame, schema: Sequence[bigquery.SchemaField]) -> bytes:
    """`frame` as Parquet in the target table's column order and types, for a load job.

    Mirrors DuckDB's `INSERT ... BY NAME`: missing columns load as NULL, unknown ones are an
    error. Written here rather than by the client's `load_table_from_dataframe` (pending
    deprecation) so the conversion is explicit and testable.
    """
    names = [field.name for field in schema]
    unknown = sorted(set(frame.columns) - set(names))
    if unknown:
        raise ValueError(f"columns not in the target table: {unknown}")
    missing = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    table = pa.Table.from_arrays(
        [_arrow_column(frame.get(f.name, missing), f) for f in schema],
        # REQUIRED columns are non-nullable in the file too: a NULL fails here, by name.
        schema=pa.schema(
            [pa.field(f.name, _arrow_type(f), nullable=f.mode != "REQUIRED") for f in schema]
        ),
    )
    buffer = io.BytesIO()
    # Compliant LIST layout, which BigQuery maps to ARRAY with list inference on.
    pq.write_table(table, buffer, use_compliant_nested_type=True)
    return buffer.getvalue()


_NULLABLE_TYPES = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def result_frame(rows: RowIterator) -> pd.DataFrame:
    """Query results typed the way DuckDB returns them, so assets see one shape on both.

    DATE -> datetime64; INT64 / BOOL -> numpy dtypes, or the nullable pandas dtype when a
    NULL needs it; FLOAT64 NULL -> NaN; TIMESTAMP -> tz-aware UTC datetime64 (sqlglot maps
    BigQuery's TIMESTAMP to DuckDB's TIMESTAMPTZ); arrays -> numpy arrays. Read as Arrow:
    the client's `to_dataframe` is pending deprecation.
    """
    table = rows.to_arrow(create_bqstorage_client=False)
    frame = table.to_pandas(types_mapper=_NULLABLE_TYPES.get)
    for name, kind in zip(table.column_names, table.schema.types, strict=True):
        column = frame[name]
        if pa.types.is_date32(kind):
            frame[name] = pd.to_datetime(column).astype("datetime64[us]")
        elif kind in _NULLABLE_TYPES and not column.isna().any():
            frame[name] = column.astype("int64" if kind == pa.int64() else bool)
    return frame


class BigQueryWarehouse(Warehouse):
    """BigQuery behind the Warehouse interface (MLB_WAREHOUSE=bigquery)."""

    project: str | None = Field(
        default=None,
        description="Project of the datasets and jobs (MLB_GCP_PROJECT); ADC's when unset.",
    )
    location: str = Field(default="US", description="Location of datasets and jobs.")
    dataset_prefix: str = Field(
        default="", description="Prefix of every dataset name (MLB_BQ_DATASET_PREFIX)."
    )
    max_bytes_billed: int = Field(
        default=10 * 1024**3,
        gt=0,
        description="Every query job fails instead of billing more (MLB_BQ_MAX_BYTES_BILLED).",
    )
    gcp_credentials: str | None = Field(
        default=None,
        repr=False,
        description=(
            "Base64 service-account key, as dagster-gcp takes it; prefer ADC (Workload "
            "Identity). Pass it as EnvVar so its value never appears in the UI."
        ),
    )
    request_timeout_seconds: float = Field(
        default=60.0, gt=0, description="Timeout of each HTTP request to the API."
    )
    job_timeout_seconds: float = Field(
        default=1800.0, gt=0, description="BigQuery cancels any job that runs longer."
    )
    retry_deadline_seconds: float = Field(
        default=120.0, gt=0, description="Give up retrying transient errors after this long."
    )

    _client: bigquery.Client | None = PrivateAttr(default=None)

    @classmethod
    def from_config(cls, config: MLBConfig, project: str | None = None) -> BigQueryWarehouse:
        """Settings from MLB_* variables; credentials from the environment (ADC).

        `project` overrides the configured one (the definitions pass it as an EnvVar).
        """
        return cls(
            project=project or config.gcp_project,
            location=config.bq_location,
            dataset_prefix=config.bq_dataset_prefix,
            max_bytes_billed=config.bq_max_bytes_billed,
        )

    # -- client, retries, labels -----------------------------------------------------------
    def client(self) -> bigquery.Client:
        """Built lazily through dagster-gcp; constructing it makes no network call.

        dagster-gcp writes a `gcp_credentials` key to a temporary file only while the client
        is built; the client keeps the loaded credentials, so the file is gone right after.
        """
        if self._client is None:
            resource = BigQueryResource(
                project=self.project, location=self.location, gcp_credentials=self.gcp_credentials
            )
            with resource.get_client() as client:
                self._client = client
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None

    def api_retry(self) -> Retry:
        """For single API calls (insert a job, read results, get or delete a table)."""
        return bigquery_retry(self.retry_deadline_seconds)

    def job_retry(self) -> Retry:
        """For re-running a query job that failed transiently (safe: every write is atomic).

        Longer than the API deadline: the client spends one job retry re-reading the failed
        job's state before the next one re-runs it (the same ratio as the client's default).
        """
        return bigquery_retry(4 * self.retry_deadline_seconds)

    def job_labels(self, kind: str) -> dict[str, str]:
        labels = {"app": APP_LABEL, "mlb_job": label_value(kind)}
        if self.dataset_prefix:
            labels["dataset_prefix"] = label_value(self.dataset_prefix)
        return {**labels, **dagster_labels()}

    def query_config(self, params: Mapping[str, Any], kind: str) -> bigquery.QueryJobConfig:
        """Typed parameters, labels, the bytes cap and a server-side timeout for one job."""
        return bigquery.QueryJobConfig(
            query_parameters=[query_parameter(k, v) for k, v in sorted(params.items())],
            labels=self.job_labels(kind),
            maximum_bytes_billed=self.max_bytes_billed,
            job_timeout_ms=int(self.job_timeout_seconds * 1000),
            use_legacy_sql=False,
        )

    # -- names -----------------------------------------------------------------------------
    def qualify(self, sql: str) -> str:
        return qualify_for_bigquery(sql, self.project or self.client().project, self.dataset_prefix)

    def table_id(self, table: str) -> str:
        """`dataset.table` -> `project.<prefix>dataset.table` for API calls."""
        dataset, name = table.split(".")
        return f"{self.project or self.client().project}.{self.dataset_prefix}{dataset}.{name}"

    # -- jobs ------------------------------------------------------------------------------
    def _execute(self, sql: str, params: Mapping[str, Any], kind: str) -> RowIterator:
        text = self.qualify(sql)
        used = parameter_names(text)
        missing = sorted(used - set(params))
        if missing:
            raise ValueError(f"no value for query parameters {missing}")
        rows = self.client().query_and_wait(
            text,
            job_config=self.query_config({k: params[k] for k in used}, kind),
            location=self.location,
            api_timeout=self.request_timeout_seconds,
            # The server-side job timeout fires first and fails the job cleanly.
            wait_timeout=self.job_timeout_seconds + self.request_timeout_seconds,
            retry=self.api_retry(),
            job_retry=self.job_retry(),
        )
        logger.info(
            "bigquery %s job %s: %s bytes processed",
            kind,
            rows.job_id or rows.query_id,
            rows.total_bytes_processed,
        )
        return rows

    def _run_query(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        return result_frame(self._execute(sql, params, "query"))

    def _run_script(self, sql: str) -> None:
        # One multi-statement job; every migration statement is idempotent, so a re-run
        # after a transient failure is safe.
        self._execute(sql, {}, "script")

    def _load(
        self,
        frame: pd.DataFrame,
        destination: str | bigquery.TableReference,
        schema: Sequence[bigquery.SchemaField],
        kind: str,
        **config: Any,
    ) -> None:
        """One load job that replaces `destination`'s rows with `frame` (load jobs are free)."""
        job_config = bigquery.LoadJobConfig(
            schema=list(schema),
            source_format=bigquery.SourceFormat.PARQUET,
            parquet_options=_LIST_INFERENCE,
            write_disposition=bigquery.WriteDisposition.WRITE_TRUNCATE,
            labels=self.job_labels(kind),
            job_timeout_ms=int(self.job_timeout_seconds * 1000),
            **config,
        )
        data = parquet_payload(frame, schema)
        payload = io.BytesIO(data)

        def run() -> None:
            # WRITE_TRUNCATE makes the whole load idempotent, so it can be retried as one.
            job = self.client().load_table_from_file(
                payload,
                destination,
                rewind=True,
                # A known size lets the client send up to 5 MB in one multipart request.
                size=len(data),
                job_config=job_config,
                location=self.location,
                timeout=self.request_timeout_seconds,
            )
            job.result(retry=self.api_retry(), timeout=self.job_timeout_seconds)

        self.api_retry()(run)()

    def _replace(
        self, table: str, frame: pd.DataFrame, column: str, start: date, end: date
    ) -> None:
        """Stage the rows with a load job, then swap the window in with ONE MERGE.

        A failure before the MERGE leaves the table untouched; the MERGE itself is atomic.
        """
        client = self.client()
        target = client.get_table(
            self.table_id(table), retry=self.api_retry(), timeout=self.request_timeout_seconds
        )
        staging = f"{table}__staging_{uuid.uuid4().hex[:12]}"
        staging_table = bigquery.Table(self.table_id(staging), schema=target.schema)
        staging_table.expires = datetime.now(UTC) + STAGING_TTL
        client.create_table(
            staging_table, retry=self.api_retry(), timeout=self.request_timeout_seconds
        )
        try:
            self._load(frame, staging_table.reference, target.schema, "stage")
            merge = replace_window_sql(
                table, staging, [field.name for field in target.schema], column
            )
            self._execute(merge, {WINDOW_START: start, WINDOW_END: end}, "replace")
        finally:
            client.delete_table(
                staging_table.reference,
                not_found_ok=True,
                retry=self.api_retry(),
                timeout=self.request_timeout_seconds,
            )

    def _overwrite(self, table: str, frame: pd.DataFrame) -> None:
        """One WRITE_TRUNCATE load job: atomic, and free (used to seed source tables)."""
        target = self.client().get_table(
            self.table_id(table), retry=self.api_retry(), timeout=self.request_timeout_seconds
        )
        self._load(
            frame,
            self.table_id(table),
            target.schema,
            "overwrite",
            # A load must restate the table's partitioning and clustering to keep them.
            time_partitioning=target.time_partitioning,
            clustering_fields=target.clustering_fields,
        )
