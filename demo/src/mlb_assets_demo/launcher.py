"""The demo instance's run launcher: Dagster's own, plus a health check of its run workers.

Dagster 1.13's `DefaultRunLauncher` (the one `dagster dev` uses) does not support run worker
health checks (`supports_check_run_worker_health` is False), so with it the run monitor only
times out runs that never start (and, if configured, runs that run too long): a STARTED run
is never checked. A worker killed on its own is still noticed, by the code server that
spawned it (it polls its children). But when the worker dies TOGETHER with that code server
(dagster dev killed, the terminal or machine gone, the OOM killer taking the group), nothing
is left to notice: the run stays STARTED forever, and the next `make demo` waits behind it in
the one-slot queue.

`LocalRunLauncher` launches exactly as `DefaultRunLauncher` does and answers the monitor's
health check from the worker's process: the worker records its pid in the run's first engine
event ("Started process for run (pid: N)"), and a pid that is gone, a zombie, or now belongs to
a process started after that event means the worker is dead. The check reads processes on
this machine, so it is for the local demo instance only (`dagster dev` runs its code server
and workers here); production uses the Kubernetes launcher, which has its own check.

Every process that loads the instance (webserver, daemon, code server) imports this module,
so it imports only Dagster (importing it still runs `mlb_assets_demo`'s `__init__`, about 2 s
of pandas on this machine, once per process).
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster import DagsterEventType, DagsterRun, DefaultRunLauncher
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus

# The message of the engine event in which a run worker records its pid (dagster/_grpc/impl.py
# and dagster/_cli/api.py in 1.13 write it before the run starts).
WORKER_STARTED_PREFIX = "Started process for run"
# How many of a run's engine events to read for it: it is the first one the worker writes.
ENGINE_EVENTS_READ = 20
# Process start times from /proc are whole clock ticks after a boot time in whole seconds.
START_TIME_SLACK_SECONDS = 2.0


class LocalRunLauncher(DefaultRunLauncher):
    """`DefaultRunLauncher` whose run workers the run monitor can check (see the module)."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        # Liveness is read with os.kill(pid, 0), which only POSIX defines as a probe.
        return os.name == "posix"

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        """FAILED when the run's worker process is gone; RUNNING otherwise (also when the run
        recorded no worker pid: without evidence the monitor must not fail a run)."""
        worker = self._worker(run.run_id)
        if worker is None:
            return CheckRunHealthResult(WorkerStatus.RUNNING, "no run worker pid recorded yet")
        pid, recorded_at = worker
        dead = process_gone(pid, recorded_at)
        if dead:
            return CheckRunHealthResult(
                WorkerStatus.FAILED,
                f"the run worker process (pid {pid}) is no longer running ({dead}): it was "
                "killed or crashed (out of memory, dagster dev or the machine stopped) without "
                "reporting an end",
            )
        return CheckRunHealthResult(WorkerStatus.RUNNING, f"run worker pid {pid} is alive")

    def _worker(self, run_id: str) -> tuple[int, float] | None:
        """(pid, timestamp) of the run's "Started process for run" engine event."""
        records = self._instance.get_records_for_run(
            run_id, of_type=DagsterEventType.ENGINE_EVENT, limit=ENGINE_EVENTS_READ
        ).records
        for record in records:
            entry = record.event_log_entry
            event = entry.dagster_event
            if event is None or not entry.message.startswith(WORKER_STARTED_PREFIX):
                continue
            pid = event.engine_event_data.metadata.get("pid")
            if pid is not None and str(pid.value).isdigit():
                return int(str(pid.value)), entry.timestamp
        return None


def process_gone(pid: int, started_before: float) -> str | None:
    """Why process `pid` is not the worker that was alive at `started_before` (epoch seconds),
    or None while it still runs. On Linux /proc also tells a zombie and a reused pid apart."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc/self/stat").exists():
        try:
            text = stat.read_text()
        except (FileNotFoundError, ProcessLookupError):
            return f"no process {pid}"
        # Fields after "(comm)": state is field 3, starttime (ticks after boot) field 22.
        fields = text[text.rindex(")") + 2 :].split()
        if fields[0] in {"Z", "X"}:
            return f"process {pid} has exited (state {fields[0]})"
        started = _boot_time() + int(fields[19]) / os.sysconf("SC_CLK_TCK")
        if started > started_before + START_TIME_SLACK_SECONDS:
            return f"pid {pid} now belongs to a process started after the run's worker"
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return f"no process {pid}"
    except PermissionError:
        return None  # it exists, under another user
    return None


def _boot_time() -> float:
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    raise RuntimeError("/proc/stat has no btime line")
