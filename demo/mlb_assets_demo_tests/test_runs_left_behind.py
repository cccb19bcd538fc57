"""A run whose worker died ends as FAILURE, and the demo's one-slot queue moves on.

`dagster dev` runs under the demo's own instance settings (`ensure_dagster_home()`, as `make demo`
writes them: one run at a time, run monitoring) and holds the home as `make demo` does
(`claim_home`, its lock inherited by dagster dev). Three real runs of `daily_slate` are queued,
then two faults:

1. The first run's worker is killed with SIGKILL (as the OOM killer would). The code server that
   spawned it notices within a second, and the second run starts.
2. The second run's worker dies together with the whole of dagster dev (SIGKILL to its process
   group: the terminal, the machine or the OOM killer took everything). Nothing is left to
   notice: the instance says STARTED (and QUEUED for the third) forever, and the next demo's
   runs would wait behind them in the one-slot queue. This is the half that fails without the
   demo's claim of its home: the next `make demo` claims it (no dagster dev holds it any more),
   marks the dead run FAILURE and the queued one CANCELED, one line each, and the run it then
   launches starts and succeeds.

While a dagster dev started under a claim still runs, the home is not claimed again (its runs
are alive), even after the claiming process let go of it.

Bounds: every wait is for something that must happen whatever the machine's speed (a server
answering, a run starting or finishing), so each uses PROCESS_BOUND_SECONDS.
"""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dagster import DagsterInstance, DagsterRunStatus

from mlb_assets.errors import UsageError
from mlb_assets_demo.home import DEMO_INSTANCE_YAML, claim_home, ensure_dagster_home
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
# The message of the engine event in which a run worker records its pid (dagster/_grpc/impl.py
# in 1.13 writes it before the run starts); no public API names a run's worker process.
WORKER_STARTED_PREFIX = "Started process for run"

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


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name, or None when there is no such
    process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _alive(pid: int) -> bool:
    """Running: a process exists with that pid and it is not a zombie."""
    fields = _stat(pid)
    return fields is not None and fields[0] not in {"Z", "X"}


def _parent(pid: int) -> int:
    fields = _stat(pid)
    return int(fields[1]) if fields else 0


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
    assert _alive(pid), f"run {run_id} is STARTED, its worker {pid} is gone"
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


def _dagster_dev(home: Path, work: Path, log: Path, lock: int) -> DagsterDev:
    """dagster dev as `run_demo` starts it (on the demo's home, inheriting its claim), bound to
    a free port and this test's warehouse copy."""
    server = DagsterDev(
        home=home,
        port=_free_port(),
        log_path=log,
        env={**os.environ, **env_for(work)},
        pass_fds=(lock,),
    )
    server.start()
    return server


def _messages(server: DagsterDev, run_id: str) -> str:
    return "\n".join(
        f"{e['__typename']}: {e.get('message')}"
        for e in _events(server, run_id)
        if e["__typename"] in {"EngineEvent", "RunFailureEvent", "RunCanceledEvent"}
    )


@pytest.mark.slow
def test_runs_a_dead_dagster_dev_left_are_ended_and_the_next_demo_run_starts(
    prepared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _use_copy(prepared_dir, tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    home = ensure_dagster_home()
    assert (home / "dagster.yaml").read_text() == DEMO_INSTANCE_YAML
    said: list[str] = []

    with claim_home(home, said.append) as lock:
        first_dev = _dagster_dev(home, work, tmp_path / "dagster-dev-1.log", lock)
    assert said == []  # a new home: nothing to end
    try:
        first_dev.wait_ready()
        # The claim's own descriptor is closed; dagster dev's inherited one still holds it.
        with (
            pytest.raises(UsageError, match=f"is using the Dagster home {home}"),
            claim_home(home, said.append),
        ):
            pass
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
        assert "SIGKILL" in _messages(first_dev, first)
        worker = _poll(
            f"run {second} to leave the queue and start", lambda: _worker_of(first_dev, second)
        )
        assert _status(first_dev, third) == "QUEUED"

        # 2. The second run's worker dies with all of dagster dev.
        assert first_dev.process is not None
        os.killpg(first_dev.process.pid, signal.SIGKILL)
        first_dev.process.wait(timeout=PROCESS_BOUND_SECONDS)
        _poll(f"worker {worker} to be gone", lambda: not _alive(worker))
    finally:
        first_dev.stop()
    with DagsterInstance.from_config(str(home)) as instance:
        left = {run_id: instance.get_run_by_id(run_id) for run_id in (second, third)}
    assert {run_id: run.status for run_id, run in left.items() if run} == {
        second: DagsterRunStatus.STARTED,
        third: DagsterRunStatus.QUEUED,
    }

    # The next `make demo`: the same home, its settings kept, claimed again.
    assert ensure_dagster_home() == home
    with claim_home(home, said.append) as lock:
        assert sorted(said) == sorted(
            [
                f"  run {second} (daily_slate) was STARTED when its dagster dev stopped: "
                "marked FAILURE",
                f"  run {third} (daily_slate) was QUEUED when its dagster dev stopped: "
                "marked CANCELED",
            ]
        )
        second_dev = _dagster_dev(home, work, tmp_path / "dagster-dev-2.log", lock)
    try:
        second_dev.wait_ready()
        assert _status(second_dev, second) == "FAILURE"
        assert "its run worker went with it" in _messages(second_dev, second)
        assert _status(second_dev, third) == "CANCELED"
        # Were the dead run still STARTED, this run would wait in the queue past any bound.
        fourth = second_dev.launch("daily_slate", range_tags(*SHORT))
        # One queued behind it and canceled, as make demo cancels its steps after a failure.
        fifth = second_dev.launch("daily_slate", range_tags(*SHORT))
        second_dev.cancel(fifth)
        assert second_dev.wait_run(fourth, bound=PROCESS_BOUND_SECONDS) == "SUCCESS"
        assert second_dev.wait_run(fifth, bound=PROCESS_BOUND_SECONDS) == "CANCELED"
    finally:
        second_dev.stop()
