"""A dead run worker ends its run as FAILURE and the demo's one-slot queue moves on.

`dagster dev` runs under the demo's own instance settings: the test writes them with
`ensure_dagster_home()`, as `make demo` does (demo_instance_yaml: one run at a time, run
monitoring every 5 s, the health-checking `LocalRunLauncher`). Three real runs of `daily_slate`
are queued, then two faults:

1. The first run's worker is killed with SIGKILL (as the OOM killer would). The code server that
   spawned it notices within a second, whatever the instance says, and the second run starts.
2. The second run's worker dies together with the whole of dagster dev (SIGKILL to its process
   group: the terminal, the machine or the OOM killer took everything). Nothing is left to
   notice, and the run stays STARTED. dagster dev is started again on the same home, as the
   next `make demo` would: only the run monitor can end the dead run, and the third run may
   only start once it has. This is the half that fails without run monitoring, or with
   Dagster's DefaultRunLauncher (it offers the monitor no health check): the run would stay
   STARTED and the queue blocked forever.

Bounds: waits for things that must happen whatever the machine's speed (a server answering, a
run starting or finishing) use PROCESS_BOUND_SECONDS; the one wait that judges (the monitor
failing the dead run) starts only once the monitoring daemon reports a heartbeat, and allows it
twenty poll intervals, at least 120 s: a monitor that polls every 5 s and has not acted in 20
polls is not going to, while a busy machine slows a poll by seconds, not minutes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from dagster import DagsterInstance, DagsterRunStatus

from mlb_assets_demo.launcher import WORKER_STARTED_PREFIX, process_gone
from mlb_assets_demo.pipeline import demo_instance_yaml, ensure_dagster_home
from mlb_assets_demo.runs import range_tags
from mlb_assets_demo.ui import DagsterDev
from mlb_assets_tests.bounds import PROCESS_BOUND_SECONDS, wait_until
from mlb_assets_tests.conftest import _use_copy, env_for

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads processes in /proc"
)

# 61 dates of the prepared warehouse (features and models for May and June 2019): about 45 s
# of work once the run has started on a quiet machine, so the kill finds it running.
LONG = ("2019-05-01", "2019-06-30")
SHORT = ("2019-06-01", "2019-06-02")
POLL = 1.0

RUN = """
query Run($runId: ID!, $cursor: String) {
  runOrError(runId: $runId) { __typename ... on Run {
    status
    eventConnection(afterCursor: $cursor) {
      cursor hasMore
      events { __typename
        ... on MessageEvent { message }
        ... on EngineEvent { metadataEntries { label ... on TextMetadataEntry { text } } }
      }
    }
  } }
}
"""
STATUS = """
query Status($runId: ID!) {
  runOrError(runId: $runId) { __typename ... on Run { status startTime endTime } }
}
"""
MONITOR = """
{ instance { daemonHealth { daemonStatus(daemonType: "MONITORING") {
    required healthy lastHeartbeatTime } } } }
"""


def _poll(what: str, probe: Callable[[], Any], bound: float = PROCESS_BOUND_SECONDS) -> Any:
    """`probe()` every second until it returns something truthy (the shared wait)."""
    return wait_until(what, probe, bound, interval=POLL)


def _run(server: DagsterDev, run_id: str) -> dict[str, Any]:
    return dict(server.graphql(STATUS, {"runId": run_id})["runOrError"])


def _status(server: DagsterDev, run_id: str) -> str:
    return str(_run(server, run_id)["status"])


def _events(server: DagsterDev, run_id: str) -> list[dict[str, Any]]:
    """Every event of the run as the UI reads it (the event connection is paged)."""
    events: list[dict[str, Any]] = []
    cursor = None
    while True:
        run = server.graphql(RUN, {"runId": run_id, "cursor": cursor})["runOrError"]
        page = run["eventConnection"]
        events += page["events"]
        if not page["hasMore"] or not page["events"]:
            return events
        cursor = page["cursor"]


def _parent(pid: int) -> int:
    text = Path(f"/proc/{pid}/stat").read_text()
    return int(text[text.rindex(")") + 2 :].split()[1])


def _worker_of(server: DagsterDev, run_id: str) -> int | None:
    """The pid of the run's worker once the run is STARTED and that process is alive and a
    descendant of this dagster dev; None before. Fails if the run ended before it was caught."""
    status = _status(server, run_id)
    assert status in {"QUEUED", "NOT_STARTED", "STARTING", "STARTED"}, (
        f"run {run_id} ended {status} before its worker could be killed: lengthen LONG"
    )
    if status != "STARTED":
        return None
    pids = [
        int(entry["text"])
        for event in _events(server, run_id)
        if event["__typename"] == "EngineEvent"
        and (event.get("message") or "").startswith(WORKER_STARTED_PREFIX)
        for entry in event["metadataEntries"]
        if entry["label"] == "pid"
    ]
    assert len(pids) == 1, f"run {run_id} recorded worker pids {pids}"
    (pid,) = pids
    assert process_gone(pid, time.time()) is None, f"run {run_id} is STARTED, worker {pid} gone"
    assert server.process is not None
    ancestor = pid
    while ancestor > 1 and ancestor != server.process.pid:
        ancestor = _parent(ancestor)
    assert ancestor == server.process.pid, f"pid {pid} is not a process of this dagster dev"
    assert "multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    return pid


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _dagster_dev(home: Path, work: Path, log: Path) -> DagsterDev:
    """dagster dev as `run_demo` starts it (from the project root, on the demo's home), bound
    to a free port and this test's warehouse copy."""
    server = DagsterDev(
        home=home,
        port=_free_port(),
        log_path=log,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, **env_for(work)},
    )
    server.start()
    return server


def _messages(server: DagsterDev, run_id: str) -> str:
    return "\n".join(
        f"{e['__typename']}: {e.get('message')}"
        for e in _events(server, run_id)
        if e["__typename"] in {"EngineEvent", "RunFailureEvent"}
    )


def test_process_gone_tells_a_live_worker_from_an_exited_one_or_a_reused_pid() -> None:
    """The launcher's health check on real processes: a worker is alive while its pid runs the
    process that was there when the run recorded it."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        assert process_gone(child.pid, time.time()) is None
        # The pid's process started an hour after the run recorded its worker: another one.
        assert "started after" in str(process_gone(child.pid, time.time() - 3600))
        child.kill()
        said = _poll("the killed child to exit", lambda: process_gone(child.pid, time.time()))
        assert "has exited (state Z)" in said  # not reaped yet: a zombie is not alive
    finally:
        child.kill()
        child.wait()
    assert process_gone(child.pid, time.time()) == f"no process {child.pid}"


@pytest.mark.slow
def test_a_dead_run_worker_fails_its_run_and_the_next_queued_run_starts(
    prepared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _use_copy(prepared_dir, tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    home = ensure_dagster_home()
    assert (home / "dagster.yaml").read_text() == demo_instance_yaml(home)
    monitoring = yaml.safe_load(demo_instance_yaml(home)).get("run_monitoring") or {}
    judge_bound = max(120.0, 20 * float(monitoring.get("poll_interval_seconds", 120)))

    first_dev = _dagster_dev(home, work, tmp_path / "dagster-dev-1.log")
    try:
        first_dev.wait_ready()
        first, second, third = (
            first_dev.launch("daily_slate", range_tags(*dates)) for dates in (LONG, LONG, SHORT)
        )

        # 1. The first run's worker alone is killed: its run fails, the second run starts.
        worker = _poll(
            f"run {first} STARTED with a live worker", lambda: _worker_of(first_dev, first)
        )
        assert _status(first_dev, second) == "QUEUED"
        os.kill(worker, signal.SIGKILL)
        _poll(f"run {first} to end", lambda: _status(first_dev, first) != "STARTED")
        assert _status(first_dev, first) == "FAILURE"
        said = _messages(first_dev, first)
        assert "SIGKILL" in said or f"pid {worker}) is no longer running" in said, said
        worker = _poll(
            f"run {second} to leave the queue and start", lambda: _worker_of(first_dev, second)
        )
        assert _status(first_dev, third) == "QUEUED"

        # 2. The second run's worker dies with all of dagster dev.
        assert first_dev.process is not None
        os.killpg(first_dev.process.pid, signal.SIGKILL)
        first_dev.process.wait(timeout=PROCESS_BOUND_SECONDS)
        _poll(f"worker {worker} to be gone", lambda: process_gone(worker, time.time()))
    finally:
        first_dev.stop()
    with DagsterInstance.from_config(str(home)) as instance:
        dead = instance.get_run_by_id(second)
        assert dead is not None and dead.status == DagsterRunStatus.STARTED, dead

    # The next `make demo`: the same home, its settings kept.
    assert ensure_dagster_home() == home
    second_dev = _dagster_dev(home, work, tmp_path / "dagster-dev-2.log")
    try:
        second_dev.wait_ready()
        monitor = second_dev.graphql(MONITOR)["instance"]["daemonHealth"]["daemonStatus"]
        assert monitor["required"], f"run monitoring is off in the demo instance: {monitor}"
        _poll(
            "the run monitoring daemon's first heartbeat",
            lambda: second_dev.graphql(MONITOR)["instance"]["daemonHealth"]["daemonStatus"][
                "healthy"
            ],
        )
        waited = time.monotonic()
        _poll(
            f"the run monitor to end run {second}, whose worker {worker} died with dagster dev "
            "(it stayed STARTED, and the queue blocked behind it)",
            lambda: _status(second_dev, second) != "STARTED",
            bound=judge_bound,
        )
        waited = time.monotonic() - waited
        assert _status(second_dev, second) == "FAILURE"
        said = _messages(second_dev, second)
        assert f"Marking run {second} as failed" in said, said
        assert f"the run worker process (pid {worker}) is no longer running" in said, said
        print(f"the monitor failed run {second} {waited:.0f} s after its first heartbeat")

        assert second_dev.wait_run(third, bound=PROCESS_BOUND_SECONDS) == "SUCCESS"
        # The queue held the third run until the dead one had ended.
        assert _run(second_dev, third)["startTime"] >= _run(second_dev, second)["endTime"]
    finally:
        second_dev.stop()
