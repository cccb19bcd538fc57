"""Offline stand-ins for BigQuery and GCS that the REAL Google clients talk to over HTTP.

No BigQuery emulator can be installed here, so these small servers answer the handful of
REST calls the project makes (jobs.query, multipart load jobs, jobs.get, tables get / insert /
delete; GCS media upload and download) and run the SQL on DuckDB through the project's own
sqlglot transpilation. The production code under test is unchanged: the clients are pointed
at them with BIGQUERY_EMULATOR_HOST / STORAGE_EMULATOR_HOST and a generated service-account
key whose token URI is the fake itself. Faults (503, 429, 403 rateLimitExceeded, ...) can be
queued to test retries. What they cannot show is BigQuery's own planner: partition pruning,
`require_partition_filter` and billing are only checked against the real service
(test_live_bigquery.py).

The tests at the bottom pin the behaviours of the fakes the other tests rely on.
"""

from __future__ import annotations

import base64
import io
import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import duckdb
import pyarrow.parquet as pq
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlglot import exp

from mlb_assets.resources.sql import split_statements, to_duckdb

PROJECT = "mlb-test-project"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
_BQ_TO_DUCKDB = {
    "STRING": "VARCHAR",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMPTZ",
    "INTEGER": "BIGINT",
    "INT64": "BIGINT",
    "FLOAT": "DOUBLE",
    "FLOAT64": "DOUBLE",
    "BOOLEAN": "BOOLEAN",
    "BOOL": "BOOLEAN",
}


def fake_service_account_key(token_uri: str = "http://127.0.0.1:9/token") -> dict[str, str]:
    """A syntactically real service-account key (fresh RSA key) that grants nothing anywhere."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {
        "type": "service_account",
        "project_id": PROJECT,
        "private_key_id": uuid.uuid4().hex,
        "private_key": pem,
        "client_email": f"mlb-test@{PROJECT}.iam.gserviceaccount.com",
        "client_id": "100000000000000000000",
        "token_uri": token_uri,
    }


def write_key(path: Path, key: dict[str, str]) -> Path:
    path.write_text(json.dumps(key))
    return path


def base64_key(key: dict[str, str]) -> str:
    """The form dagster-gcp's `gcp_credentials` takes."""
    return base64.b64encode(json.dumps(key).encode()).decode()


# -- shared HTTP plumbing ------------------------------------------------------------------
@dataclass
class Fault:
    """Answer the next `times` requests matching `method` and `path` with an error."""

    method: str
    path: str  # regex searched in the request path
    status: int
    reason: str
    times: int = 1


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any


class HTTPError(Exception):
    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status, self.reason, self.message = status, reason, message


@dataclass
class _FakeServer:
    requests: list[Recorded] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                url = urlparse(self.path)
                extra: dict[str, str] = {}
                try:
                    status, payload, content_type, *more = fake.respond(
                        self.command, url.path, parse_qs(url.query), raw, self.headers
                    )
                    extra = more[0] if more else {}
                except HTTPError as exc:
                    status, content_type = exc.status, "application/json"
                    payload = json.dumps(
                        {
                            "error": {
                                "code": exc.status,
                                "message": exc.message,
                                "errors": [{"reason": exc.reason, "message": exc.message}],
                            }
                        }
                    ).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def respond(
        self, method: str, path: str, query: dict[str, list[str]], raw: bytes, headers: Any
    ) -> tuple[Any, ...]:
        body: Any = raw
        if raw and "json" in (headers.get("Content-Type") or ""):
            body = json.loads(raw)
        self.requests.append(Recorded(method, path, query, body))
        for fault in self.faults:
            if fault.times > 0 and fault.method == method and re.search(fault.path, path):
                fault.times -= 1
                raise HTTPError(fault.status, fault.reason, f"injected {fault.reason}")
        return self.route(method, path, query, raw, headers)

    def route(
        self, method: str, path: str, query: dict[str, list[str]], raw: bytes, headers: Any
    ) -> tuple[int, bytes, str]:
        raise NotImplementedError

    def calls(self, method: str, pattern: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]


def _multipart(raw: bytes, content_type: str) -> list[bytes]:
    """The bodies of a multipart/related upload (metadata JSON, then the data)."""
    boundary = re.search(r'boundary="?([^";]+)"?', content_type)
    assert boundary, content_type
    parts = []
    for chunk in raw.split(b"--" + boundary.group(1).encode())[1:]:
        if chunk.startswith(b"--"):
            break
        _, _, content = chunk.partition(b"\r\n\r\n")
        parts.append(content.removesuffix(b"\r\n"))
    return parts


def _json(status: int, payload: Any) -> tuple[int, bytes, str]:
    return status, json.dumps(payload).encode(), "application/json"


# -- BigQuery ------------------------------------------------------------------------------
def _bq_field(name: str, duck_type: str) -> dict[str, str]:
    """DuckDB column type -> BigQuery REST schema field (legacy type names, as the API has)."""
    repeated = duck_type.endswith("[]")
    base = duck_type.removesuffix("[]").split("(")[0].upper()
    if base in ("VARCHAR", "TEXT"):
        kind = "STRING"
    elif base == "DATE":
        kind = "DATE"
    elif base.startswith("TIMESTAMP"):
        kind = "TIMESTAMP"
    elif base in ("BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER"):
        kind = "INTEGER"
    elif base in ("DOUBLE", "FLOAT", "DECIMAL", "REAL"):
        kind = "FLOAT"
    elif base == "BOOLEAN":
        kind = "BOOLEAN"
    else:
        raise AssertionError(f"fake BigQuery has no mapping for {duck_type}")
    return {"name": name, "type": kind, "mode": "REPEATED" if repeated else "NULLABLE"}


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return [{"v": _cell(v)} for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return str((aware - _EPOCH) // timedelta(microseconds=1))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _param_value(ptype: dict[str, Any], pvalue: dict[str, Any]) -> Any:
    if ptype["type"] == "ARRAY":
        return [_param_value(ptype["arrayType"], v) for v in pvalue.get("arrayValues", [])]
    value = pvalue.get("value")
    kind = ptype["type"]
    if value is None:
        return None
    if kind == "DATE":
        return date.fromisoformat(value)
    if kind == "INT64":
        return int(value)
    if kind == "FLOAT64":
        return float(value)
    if kind == "BOOL":
        return value == "true"
    if kind == "TIMESTAMP":
        return datetime.fromisoformat(value)
    return value


class FakeBigQuery(_FakeServer):
    """BigQuery's REST surface over a DuckDB database attached as catalog `PROJECT`."""

    def __init__(self, database: Path | None = None) -> None:
        super().__init__()
        self.con = duckdb.connect()
        self.con.execute(f"ATTACH '{database or ':memory:'}' AS \"{PROJECT}\"")
        self.con.execute(f'USE "{PROJECT}"')
        self.lock = threading.Lock()
        self.jobs: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, tuple[dict[str, Any], bytearray]] = {}

    def stop(self) -> None:
        super().stop()
        self.con.close()

    # -- helpers --
    def table_exists(self, dataset: str, table: str) -> bool:
        return bool(
            self.con.execute(
                "SELECT count(*) FROM duckdb_tables() "
                "WHERE database_name = ? AND schema_name = ? AND table_name = ?",
                [PROJECT, dataset, table],
            ).fetchone()[0]
        )

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with self.lock:
            return self.con.execute(sql).fetchall()

    def _schema(self, dataset: str, table: str) -> list[dict[str, str]]:
        columns = self.con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index",
            [PROJECT, dataset, table],
        ).fetchall()
        return [_bq_field(name, kind) for name, kind in columns]

    def _check_labels(self, labels: dict[str, str]) -> None:
        for key, value in labels.items():
            if not _LABEL_KEY.match(key) or not _LABEL_VALUE.match(value):
                raise HTTPError(400, "invalid", f"invalid label {key}={value}")

    def _create(self, dataset: str, table: str, fields: list[dict[str, Any]]) -> None:
        columns = ", ".join(
            f'"{f["name"]}" {_BQ_TO_DUCKDB[f["type"]]}'
            + ("[]" if f.get("mode") == "REPEATED" else "")
            for f in fields
        )
        self.con.execute(f'CREATE SCHEMA IF NOT EXISTS "{dataset}"')
        self.con.execute(f'CREATE TABLE "{dataset}"."{table}" ({columns})')

    # -- endpoints --
    def route(
        self, method: str, path: str, query: dict[str, list[str]], raw: bytes, headers: Any
    ) -> tuple[int, bytes, str]:
        with self.lock:
            if path == "/token":
                return _json(200, {"access_token": "fake", "expires_in": 3600})
            parts = path.strip("/").split("/")
            if method == "POST" and path.endswith("/queries"):
                return _json(200, self._query(json.loads(raw)))
            if path.startswith("/upload/bigquery/v2/projects/"):
                return self._upload(method, path, query, raw, headers)
            if method == "GET" and parts[-2] == "jobs":
                return _json(200, self.jobs[parts[-1]])
            if parts[-2] == "tables" or parts[-1] == "tables":
                return self._tables(method, parts, raw)
        raise AssertionError(f"fake BigQuery does not serve {method} {path}")

    def _query(self, request: dict[str, Any]) -> dict[str, Any]:
        self._check_labels(request.get("labels", {}))
        params = {
            p["name"]: _param_value(p["parameterType"], p["parameterValue"])
            for p in request.get("queryParameters", [])
        }
        schema: list[dict[str, str]] = []
        rows: list[tuple[Any, ...]] = []
        try:
            for tree, statement in zip(
                split_statements(request["query"]), to_duckdb(request["query"]), strict=True
            ):
                used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", statement)}
                cursor = self.con.execute(statement, used)
                if isinstance(tree, exp.Query):  # DDL and DML return no rows
                    schema = [_bq_field(d[0], str(d[1])) for d in cursor.description]
                    rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise HTTPError(400, "invalidQuery", str(exc)) from None
        job_id = f"job_{uuid.uuid4().hex}"
        return {
            "kind": "bigquery#queryResponse",
            "jobReference": {"projectId": PROJECT, "jobId": job_id, "location": "US"},
            "jobComplete": True,
            "schema": {"fields": schema},
            "rows": [{"f": [{"v": _cell(v)} for v in row]} for row in rows],
            "totalRows": str(len(rows)),
            "totalBytesProcessed": "0",
        }

    def _upload(
        self, method: str, path: str, query: dict[str, list[str]], raw: bytes, headers: Any
    ) -> tuple[Any, ...]:
        """Load-job uploads: multipart (up to 5 MB) or resumable (larger files, in chunks)."""
        kind = query["uploadType"][0]
        if kind == "multipart":
            metadata, data = _multipart(raw, headers.get("Content-Type"))
            return _json(200, self._load(json.loads(metadata), data))
        if method == "POST":  # resumable: start a session, answer where to send the bytes
            upload_id = uuid.uuid4().hex
            self.uploads[upload_id] = (json.loads(raw), bytearray())
            location = f"{self.url}{path}?uploadType=resumable&upload_id={upload_id}"
            return 200, b"", "application/json", {"Location": location}
        job, data = self.uploads[query["upload_id"][0]]
        data.extend(raw)
        total = headers["Content-Range"].rpartition("/")[2]  # "bytes a-b/total", "*" if unknown
        if total == "*" or len(data) < int(total):
            return 308, b"", "application/json", {"Range": f"bytes=0-{len(data) - 1}"}
        return _json(200, self._load(job, bytes(data)))

    def _load(self, job: dict[str, Any], data: bytes) -> dict[str, Any]:
        load = job["configuration"]["load"]
        self._check_labels(job["configuration"].get("labels", {}))
        dest = load["destinationTable"]
        dataset, table = dest["datasetId"], dest["tableId"]
        if not self.table_exists(dataset, table):
            self._create(dataset, table, load["schema"]["fields"])
        elif load.get("writeDisposition") == "WRITE_TRUNCATE":
            self.con.execute(f'DELETE FROM "{dataset}"."{table}"')
        incoming = pq.read_table(io.BytesIO(data))
        if incoming.num_rows:
            self.con.register("_incoming", incoming)
            try:
                self.con.execute(
                    f'INSERT INTO "{dataset}"."{table}" BY NAME SELECT * FROM _incoming'
                )
            finally:
                self.con.unregister("_incoming")
        job_id = job["jobReference"]["jobId"]
        job["status"] = {"state": "DONE"}
        job["jobReference"].setdefault("location", "US")
        self.jobs[job_id] = job
        return job

    def _tables(self, method: str, parts: list[str], raw: bytes) -> tuple[int, bytes, str]:
        dataset = parts[parts.index("datasets") + 1]
        if method == "POST":
            resource = json.loads(raw)
            table = resource["tableReference"]["tableId"]
            self._create(dataset, table, resource["schema"]["fields"])
            return _json(200, resource)
        table = parts[-1]
        if not self.table_exists(dataset, table):
            raise HTTPError(404, "notFound", f"Not found: Table {PROJECT}:{dataset}.{table}")
        if method == "DELETE":
            self.con.execute(f'DROP TABLE "{dataset}"."{table}"')
            return 204, b"", "application/json"
        reference = {"projectId": PROJECT, "datasetId": dataset, "tableId": table}
        return _json(
            200,
            {"tableReference": reference, "schema": {"fields": self._schema(dataset, table)}},
        )


# -- GCS -----------------------------------------------------------------------------------
class FakeGCS(_FakeServer):
    """GCS media upload and download, objects held in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.objects: dict[tuple[str, str], bytes] = {}

    def route(
        self, method: str, path: str, query: dict[str, list[str]], raw: bytes, headers: Any
    ) -> tuple[int, bytes, str]:
        bucket = re.match(r"^/storage/v1/b/([^/]+)$", path)
        if method == "GET" and bucket:  # the client caches bucket metadata in the background
            return _json(200, {"kind": "storage#bucket", "name": bucket.group(1)})
        upload = re.match(r"^/upload/storage/v1/b/([^/]+)/o$", path)
        if method == "POST" and upload:
            metadata, data = _multipart(raw, headers.get("Content-Type"))
            name = json.loads(metadata)["name"]
            self.objects[(upload.group(1), name)] = data
            return _json(
                200,
                {
                    "bucket": upload.group(1),
                    "name": name,
                    "size": str(len(data)),
                    "generation": "1",
                },
            )
        download = re.match(r"^/download/storage/v1/b/([^/]+)/o/(.+)$", path)
        if method == "GET" and download:
            key = (download.group(1), unquote(download.group(2)))
            if key not in self.objects:
                raise HTTPError(404, "notFound", f"No such object: {key[0]}/{key[1]}")
            return 200, self.objects[key], "application/octet-stream"
        raise AssertionError(f"fake GCS does not serve {method} {path}")


# -- wiring ------------------------------------------------------------------------------
@contextmanager
def fake_bigquery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database: Path | None = None
) -> Iterator[FakeBigQuery]:
    """A running fake BigQuery (empty, or serving a DuckDB warehouse file's tables) that the
    real client, built normally, reaches: BIGQUERY_EMULATOR_HOST, and a generated key as ADC
    whose token URI is the fake."""
    fake = FakeBigQuery(database)
    fake.start()
    key = write_key(tmp_path / "key.json", fake_service_account_key(f"{fake.url}/token"))
    monkeypatch.setenv("BIGQUERY_EMULATOR_HOST", fake.url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    try:
        yield fake
    finally:
        fake.stop()


@contextmanager
def fake_gcs(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGCS]:
    """A running fake GCS the storage client reaches through STORAGE_EMULATOR_HOST."""
    fake = FakeGCS()
    fake.start()
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", fake.url)
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def bq_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBigQuery]:
    with fake_bigquery(tmp_path, monkeypatch) as fake:
        yield fake


# -- the fakes behave like the service where the tests depend on it ---------------------
def test_fake_bigquery_answers_the_real_client(bq_env: FakeBigQuery) -> None:
    from google.cloud import bigquery

    client = bigquery.Client(project=PROJECT, location="US")
    rows = client.query_and_wait(
        "SELECT @d AS d, @xs AS xs, 1.5 AS f, TRUE AS b",
        job_config=bigquery.QueryJobConfig(
            query_parameters=[
                bigquery.ScalarQueryParameter("d", "DATE", date(2019, 6, 1)),
                bigquery.ArrayQueryParameter("xs", "STRING", ["a", "b"]),
            ]
        ),
    )
    assert [tuple(r.values()) for r in rows] == [(date(2019, 6, 1), ["a", "b"], 1.5, True)]
    assert bq_env.calls("POST", "/token"), "the generated key was used to get a token"


def test_fake_bigquery_reports_errors_as_the_api_does(bq_env: FakeBigQuery) -> None:
    from google.api_core.exceptions import BadRequest, ServiceUnavailable
    from google.cloud import bigquery

    client = bigquery.Client(project=PROJECT, location="US")
    with pytest.raises(BadRequest) as bad:
        client.query_and_wait("SELECT * FROM nowhere.nothing", retry=None, job_retry=None)
    assert bad.value.errors[0]["reason"] == "invalidQuery"
    bq_env.faults.append(Fault("POST", "/queries$", 503, "backendError"))
    with pytest.raises(ServiceUnavailable):
        client.query_and_wait("SELECT 1", retry=None, job_retry=None)
