"""The alerts sensor against real check evaluations in a real instance and a real HTTP webhook.

Failed evaluations come from real runs: a tiny test asset whose checks carry the project's
threshold metadata (fast, and it can be made to pass or fail), and the project's il_roster run
against a warehouse whose injuries table is gone (its WARN source check fails).
"""

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import dagster
import duckdb
import pytest
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    Config,
    DagsterInstance,
    DailyPartitionsDefinition,
    MaterializeResult,
    asset,
    build_sensor_context,
    materialize,
)

from mlb_assets.alerting.sensor import AlertCursor, build_alert_sensor, process_tick
from mlb_assets.alerting.sinks import AlertSinks
from mlb_assets.config import MLBConfig

BASE_URL = "http://dagster.example:3000"
SECRET = "XXXXsecretXXXX"


# --- a real webhook on loopback ------------------------------------------------------------


@dataclass
class Webhook:
    """Records every POST; answers with the scripted statuses first, then 200."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)  # successfully answered
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, body: bytes) -> int:
        with self.lock:
            self.attempts += 1
            status = self.statuses.pop(0) if self.statuses else 200
            if status == 200:
                self.posts.append(json.loads(body))
            return status


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            assert self.headers["Content-Type"] == "application/json"
            status = hook.answer(body)
            reply = b"ok" if status == 200 else b"internal_error"
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            """Keep the test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_port}/services/T000/B000/{SECRET}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def alert_env(webhook: Webhook) -> MLBConfig:
    """The configuration the code location would load with a webhook and a 10-minute window."""
    return MLBConfig(
        alert_slack_webhook_url=webhook.url,
        dagster_base_url=BASE_URL,
        fallback_window_minutes=10,
    )


@pytest.fixture(params=["sqlite", "in_memory"])
def instance(request: pytest.FixtureRequest) -> Iterator[DagsterInstance]:
    """Both event storages: the on-disk SQLite of `dagster dev` keeps event ids per run."""
    if request.param == "sqlite":
        with dagster.instance_for_test() as inst:
            yield inst
    else:
        with DagsterInstance.ephemeral() as inst:
            yield inst


# --- a tiny asset whose checks fail on demand ------------------------------------------------


class TinyConfig(Config):
    fallback_rate: float = 35.0
    duplicate_rows: int = 2


@asset(
    partitions_def=DailyPartitionsDefinition(start_date="2019-06-01"),
    check_specs=[
        AssetCheckSpec("fallback_rate", asset="tiny_predictions"),
        AssetCheckSpec("one_row_per_pitcher", asset="tiny_predictions"),
        AssetCheckSpec("model_load_failures", asset="tiny_predictions"),
    ],
)
def tiny_predictions(config: TinyConfig) -> MaterializeResult:
    """Checks shaped like the project's: value vs threshold, worst date, a long per-date table."""
    return MaterializeResult(
        check_results=[
            AssetCheckResult(
                check_name="fallback_rate",
                passed=config.fallback_rate <= 10.0,
                severity=AssetCheckSeverity.ERROR,
                metadata={
                    "rule": "fallback_rate <= 10.00 % on every date",
                    "summary": f"1 of 1 dates failed; worst 2019-06-03 at "
                    f"{config.fallback_rate:.2f} %, limit 10.00 %",
                    "dates_failed": 1,
                    "per_date": "| date | fallback_rate |\n" * 40,
                },
            ),
            AssetCheckResult(
                check_name="one_row_per_pitcher",
                passed=config.duplicate_rows == 0,
                severity=AssetCheckSeverity.WARN,
                metadata={"rule": "duplicate_rows <= 0 on every date"},
                description="Some <pitchers> & dates have two rows.",
            ),
            AssetCheckResult(check_name="model_load_failures", passed=True, metadata={}),
        ]
    )


def run_tiny(instance: DagsterInstance, **config: Any) -> str:
    result = materialize(
        [tiny_predictions],
        instance=instance,
        partition_key="2019-06-03",
        run_config={"ops": {"tiny_predictions": {"config": config}}},
    )
    assert result.success
    return result.run_id


# --- evaluating the sensor ------------------------------------------------------------------


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.levelno, record.getMessage()))

    def alerts(self) -> list[dict[str, Any]]:
        """The structured alert lines (the sensor logger prefixes the sensor's name)."""
        found = []
        for _, line in self.lines:
            start = line.find('{"')
            if start >= 0 and '"asset_check_failed"' in line:
                found.append(json.loads(line[start:]))
        return found


@dataclass
class Tick:
    cursor: str
    skip_message: str
    log: Captured

    @property
    def state(self) -> AlertCursor:
        return AlertCursor.model_validate_json(self.cursor)


def tick(instance: DagsterInstance, cursor: str | None, config: MLBConfig) -> Tick:
    """One tick of the real sensor definition, as the daemon would evaluate it."""
    captured = Captured()
    sinks = AlertSinks(slack_webhook_url=config.alert_slack_webhook_url)
    with build_sensor_context(
        instance=instance, cursor=cursor, resources={"alert_sinks": sinks}
    ) as context:
        context.log.addHandler(captured)
        data = build_alert_sensor(config).evaluate_tick(context)
    assert data.cursor is not None
    return Tick(cursor=data.cursor, skip_message=data.skip_message or "", log=captured)


# --- tests --------------------------------------------------------------------------------


def test_one_post_and_one_log_line_per_failing_check(
    alert_env: MLBConfig, webhook: Webhook, instance: DagsterInstance
) -> None:
    run_id = run_tiny(instance)

    first = tick(instance, None, alert_env)

    assert webhook.attempts == 2
    by_check = {post["text"].split(" check ")[1].split(" ")[0]: post for post in webhook.posts}
    assert set(by_check) == {"fallback_rate", "one_row_per_pitcher"}
    fallback = by_check["fallback_rate"]
    assert fallback["text"].startswith("ERROR: check fallback_rate failed on tiny_predictions")
    assert (
        "1 of 1 dates failed; worst 2019-06-03 at 35.00 %, limit 10.00 % "
        "(rule: fallback_rate &lt;= 10.00 % on every date)" in fallback["text"]
    )
    blocks = json.dumps(fallback["blocks"])
    assert f"<{BASE_URL}/runs/{run_id}|Run {run_id[:8]}>" in blocks
    assert "2019-06-03" in blocks
    duplicate_blocks = json.dumps(by_check["one_row_per_pitcher"]["blocks"])
    assert "Some &lt;pitchers&gt; &amp; dates" in duplicate_blocks  # Slack mrkdwn escaped

    lines = {line["check"]: line for line in first.log.alerts()}
    assert set(lines) == {"fallback_rate", "one_row_per_pitcher"}
    assert lines["fallback_rate"]["severity"] == "ERROR"
    assert lines["one_row_per_pitcher"]["severity"] == "WARN"
    fallback_line = lines["fallback_rate"]
    assert fallback_line["asset"] == "tiny_predictions"
    assert fallback_line["partitions"] == "2019-06-03"
    assert fallback_line["run_id"] == run_id
    assert fallback_line["run_url"] == f"{BASE_URL}/runs/{run_id}"
    # Value vs threshold is there; the long per-date table is left to the UI.
    assert fallback_line["metadata"] == {
        "rule": "fallback_rate <= 10.00 % on every date",
        "summary": "1 of 1 dates failed; worst 2019-06-03 at 35.00 %, limit 10.00 %",
        "dates_failed": 1,
    }
    assert first.state.pending == []
    assert "2 alert(s) raised" in first.skip_message

    # Nothing new: nothing is sent or logged again.
    second = tick(instance, first.cursor, alert_env)
    assert webhook.attempts == 2
    assert second.log.alerts() == []
    assert second.state.run_status_cursors == first.state.run_status_cursors


def test_passing_checks_raise_nothing(
    alert_env: MLBConfig, webhook: Webhook, instance: DagsterInstance
) -> None:
    run_tiny(instance, fallback_rate=5.0, duplicate_rows=0)

    result = tick(instance, None, alert_env)

    assert webhook.attempts == 0
    assert result.log.alerts() == []
    assert "1 finished run(s) read; 0 alert(s) raised" in result.skip_message


def test_dedupe_window_suppresses_a_repeat_failure(
    alert_env: MLBConfig, webhook: Webhook, instance: DagsterInstance
) -> None:
    run_tiny(instance)
    first = tick(instance, None, alert_env)
    assert len(webhook.posts) == 2

    run_tiny(instance)  # the same checks fail again, seconds later
    repeat = tick(instance, first.cursor, alert_env)

    assert len(webhook.posts) == 2
    assert repeat.log.alerts() == []
    assert "2 suppressed by the 10-min window" in repeat.skip_message

    # With no window, the same repeat alerts: the window is what suppressed it.
    no_window = alert_env.model_copy(update={"fallback_window_minutes": 0})
    run_tiny(instance)
    unwindowed = tick(instance, repeat.cursor, no_window)
    assert len(webhook.posts) == 4
    assert len(unwindowed.log.alerts()) == 2


def test_webhook_500_is_retried_and_the_alert_kept_until_delivered(
    alert_env: MLBConfig, webhook: Webhook, instance: DagsterInstance
) -> None:
    run_tiny(instance, duplicate_rows=0)  # one failing check: fallback_rate
    webhook.statuses = [500, 500, 500]

    failed = tick(instance, None, alert_env)

    assert webhook.attempts == 3  # every attempt of the tick was made
    assert webhook.posts == []
    assert [a.check for a in failed.state.pending] == ["fallback_rate"]
    assert "RUN_SUCCESS" in failed.state.run_status_cursors  # the cursor still moved on
    assert len(failed.log.alerts()) == 1  # the log line was written regardless
    retries = [line for level, line in failed.log.lines if "Slack webhook attempt" in line]
    assert len(retries) == 2 and all("HTTP 500" in line for line in retries)
    assert any(
        level == logging.ERROR and "kept pending" in line for level, line in failed.log.lines
    )
    assert all(SECRET not in line and "127.0.0.1" not in line for _, line in failed.log.lines)

    # Next tick: one more 500, then the webhook recovers.
    webhook.statuses = [500]
    recovered = tick(instance, failed.cursor, alert_env)

    assert webhook.attempts == 5
    assert len(webhook.posts) == 1
    assert "fallback_rate" in webhook.posts[0]["text"]
    assert recovered.state.pending == []
    assert recovered.log.alerts() == []  # delivered late, not raised twice
    assert recovered.state.run_status_cursors == failed.state.run_status_cursors


def test_an_unreachable_webhook_keeps_the_alert_pending(
    alert_env: MLBConfig, webhook: Webhook, instance: DagsterInstance
) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    url = f"http://127.0.0.1:{closed.getsockname()[1]}/services/T000/B000/{SECRET}"
    unreachable = alert_env.model_copy(update={"alert_slack_webhook_url": url})
    run_tiny(instance, duplicate_rows=0)
    try:
        result = tick(instance, None, unreachable)
    finally:
        closed.close()

    assert [a.check for a in result.state.pending] == ["fallback_rate"]
    assert len(result.log.alerts()) == 1
    assert any("kept pending" in line for _, line in result.log.lines)
    assert all(SECRET not in line for _, line in result.log.lines)


def test_a_rejected_post_is_not_retried(
    alert_env: MLBConfig, webhook: Webhook, instance: DagsterInstance
) -> None:
    run_tiny(instance, duplicate_rows=0)
    webhook.statuses = [400]

    result = tick(instance, None, alert_env)

    assert webhook.attempts == 1
    assert result.state.pending == []
    assert len(result.log.alerts()) == 1


def test_a_first_tick_ignores_failures_older_than_a_day(
    alert_env: MLBConfig, webhook: Webhook, instance: DagsterInstance
) -> None:
    run_tiny(instance)
    log = logging.getLogger("test_alerts.lookback")
    a_day_later = time.time() + 25 * 3600

    cursor, _ = process_tick(instance, None, alert_env, log, now=a_day_later)

    assert webhook.attempts == 0
    assert cursor.run_status_cursors == {}


def test_il_roster_without_an_injuries_table_alerts_its_warn_check(
    seeded: Path, alert_env: MLBConfig, webhook: Webhook, instance: DagsterInstance
) -> None:
    from mlb_assets_demo.runs import materialize_range
    from mlb_assets_tests.conftest import defs_for

    with duckdb.connect(str(seeded / "warehouse.duckdb")) as con:
        con.execute("DROP TABLE mlb_raw.bdl_injuries")
    result = materialize_range(
        defs_for(seeded), ["il_roster"], "2019-06-01", "2019-06-01", instance=instance
    )
    failing = sorted(e.check_name for e in result.get_asset_check_evaluations() if not e.passed)
    assert "il_source_answered" in failing

    alerts = tick(instance, None, alert_env).log.alerts()

    assert sorted(a["check"] for a in alerts) == failing
    assert len(webhook.posts) == len(failing)
    source = next(a for a in alerts if a["check"] == "il_source_answered")
    assert source["asset"] == "il_roster"
    assert source["severity"] == "WARN"
    assert source["partitions"] == "2019-06-01"
    assert source["metadata"]["source_status"] == "failed"
