"""The demo's Dagster home: its instance settings, who holds it, and the runs a dead dagster dev
left in progress there.

A run whose worker dies together with `dagster dev` (the terminal closed, the machine or the OOM
killer took the group) never reports an end: the instance says STARTED forever, and in the
demo's one-slot queue every later run waits behind it. Dagster's default run launcher offers
the run monitor no health check of its workers, so the monitor cannot end such a run. The demo
can, with public instance methods: whoever holds the home runs its only `dagster dev`, so when
`make demo` claims a home no one holds, every run still in progress there was left by a
`dagster dev` that is gone, and it marks each ended (one line each) before starting its own.

Holding the home is an exclusive `flock` on a file in it, taken by the demo command and
inherited by the `dagster dev` it starts: the lock lasts while either lives, and the operating
system drops it when both are gone, however they ended.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from mlb_assets.errors import UsageError

WRITTEN_BY = "# Written by `mlb-assets demo run`"
DEMO_INSTANCE_YAML = f"""\
{WRITTEN_BY}: a local instance for the embedded DuckDB warehouse.
telemetry:
  enabled: false
nux:
  enabled: false
# DuckDB allows one writer per file: runs launched from the UI queue one at a time. The
# queue is read every second (Dagster's default is 5), so the demo's runs, queued together,
# follow one another without a pause.
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
    dequeue_interval_seconds: 1
# A run that never starts (its worker never came up) is marked failed, one that never finishes
# cancelling canceled. A run worker killed on its own is failed at once by the code server that
# spawned it; one that died with dagster dev is ended by the next `make demo` (home.py).
run_monitoring:
  enabled: true
  poll_interval_seconds: 5
  start_timeout_seconds: 600
  max_resume_run_attempts: 0
"""
LOCK_FILE = ".mlb-demo.lock"
# In progress, by the instance: a run in one of these holds (or waits for) the queue's slot.
IN_PROGRESS = (
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
)


def ensure_dagster_home() -> Path:
    """Use $DAGSTER_HOME if set, else a project-local one, with the demo instance settings.

    Settings the demo wrote itself (their first line says so) follow the demo when it changes
    them, so an older home never names a module that is gone; a dagster.yaml of the user's own
    is kept as it is."""
    home = Path(os.environ.get("DAGSTER_HOME") or ".mlb/dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists() or (
        settings.read_text().startswith(WRITTEN_BY) and settings.read_text() != DEMO_INSTANCE_YAML
    ):
        settings.write_text(DEMO_INSTANCE_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@contextlib.contextmanager
def claim_home(home: Path, progress: Callable[[str], None]) -> Iterator[int]:
    """Hold the Dagster home for the demo, ending the runs a dead dagster dev left in progress
    there; yields the lock's descriptor, for the `dagster dev` started under it to inherit.

    Refuses (UsageError) while another demo command or its dagster dev holds the home: its runs
    are alive, and a second daemon on the same instance would break the one-slot queue."""
    descriptor = os.open(home / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(
                f"another mlb-assets demo (or the dagster dev it started) is using the Dagster "
                f"home {home}: stop it first (Ctrl-C where it runs)"
            ) from None
        end_runs_left_behind(home, progress)
        yield descriptor
    finally:
        os.close(descriptor)


def end_runs_left_behind(home: Path, progress: Callable[[str], None]) -> None:
    """Mark ended every run of the instance in `home` still in progress: failed if it had
    started (its worker is gone), canceled if it never had. Only for a home no dagster dev
    holds (`claim_home`)."""
    with DagsterInstance.from_config(str(home)) as instance:
        for record in instance.get_run_records(RunsFilter(statuses=list(IN_PROGRESS))):
            run = record.dagster_run
            was = run.status.value
            if run.status == DagsterRunStatus.QUEUED:
                instance.report_run_canceled(
                    run, message=f"{was} when its dagster dev stopped: canceled by mlb-assets demo"
                )
                ended = "CANCELED"
            else:
                instance.report_run_failed(
                    run,
                    message=f"{was} when its dagster dev stopped (its run worker went with it): "
                    "marked failed by mlb-assets demo",
                )
                ended = "FAILURE"
            progress(
                f"  run {run.run_id} ({run.job_name}) was {was} when its dagster dev stopped: "
                f"marked {ended}"
            )
