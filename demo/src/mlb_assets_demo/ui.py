"""The Dagster UI as the demo uses it: `dagster dev` in the background, and its GraphQL API.

The demo launches its work through the webserver, as a user's click would, so its runs are
real runs of named jobs: listed under Runs with their assets, and re-executable from the UI
(a run executed in-process has no workspace origin, so the UI cannot re-execute it). Runs are
launched and followed with Dagster's own GraphQL client; the two questions it has no method for
(has the code location loaded, how much of each asset is materialized) are asked in GraphQL
here. The same code serves the browser and GraphQL tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from dagster import DagsterRunStatus
from dagster_graphql import DagsterGraphQLClient, DagsterGraphQLClientError

# Readiness and run waits poll with generous bounds: a busy machine makes them slower, and
# that must not turn into a failure.
STARTUP_BOUND_SECONDS = 900.0
RUN_BOUND_SECONDS = 3600.0
POLL_SECONDS = 1.0
# Generous: launching a season-long run plans every partition, and machines are busy.
REQUEST_TIMEOUT_SECONDS = 600
TERMINAL_STATUSES = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}

# The code location dagster dev serves, whatever the directory it is started from.
LOCATION = "mlb_assets"
WORKSPACE_YAML = f"""\
# Written by the mlb-assets demo: the code location it serves, found as an installed module.
load_from:
  - python_module:
      module_name: mlb_assets.definitions
      location_name: {LOCATION}
"""
# The client has no method for a code location's load status: asked here.
LOCATIONS = """
{ workspaceOrError { __typename ... on Workspace { locationEntries {
    name loadStatus
    locationOrLoadError { __typename ... on PythonError { message } }
} } } }
"""


# How long a process group gets to exit after SIGTERM before SIGKILL: an escalation, not a verdict
# (a process that ignores SIGTERM, as a chromedriver with a wedged browser can, is then killed).
STOP_GRACE_SECONDS = 60.0


# Signals a process started in the background may have inherited as ignored, which every
# child would inherit in turn (an exec keeps an ignored disposition).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _default_stop_signals() -> None:
    """Run in the child between fork and exec: only signal dispositions, nothing that takes a
    lock another thread of the parent might have held at the fork."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)


def start_group(command: list[str], **popen: Any) -> subprocess.Popen[bytes]:
    """`command` as the leader of a new session (so a new process group), with the default
    action of SIGINT, SIGTERM and SIGHUP restored before it runs, whatever disposition it would
    have inherited from whatever launched us: so `stop_group` stops each process. Plain POSIX
    (no `env --default-signal`, which only GNU coreutils 8.31+ has)."""
    return subprocess.Popen(
        command, start_new_session=True, preexec_fn=_default_stop_signals, **popen
    )


def stop_group(process: subprocess.Popen[bytes], grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop a process started by `start_group` and every child of its group: SIGTERM, then
    SIGKILL if the leader has not exited within `grace` seconds."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):  # exited since the poll
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class UIError(RuntimeError):
    """The webserver or a run it launched did not do what the demo asked."""


@dataclass
class DagsterDev:
    """`dagster dev` (webserver, daemon, code server) in its own process group."""

    home: Path
    port: int
    log_path: Path
    host: str = "127.0.0.1"
    cwd: Path = field(default_factory=Path.cwd)
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    # Open files dagster dev inherits: the demo home's lock (mlb_assets_demo/home.py).
    pass_fds: tuple[int, ...] = ()
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @cached_property
    def client(self) -> DagsterGraphQLClient:
        """Dagster's GraphQL client for this webserver (it connects on each request)."""
        return DagsterGraphQLClient(
            self.host, port_number=self.port, timeout=REQUEST_TIMEOUT_SECONDS
        )

    def start(self) -> None:
        """Start dagster dev on the code location, from a workspace file of its own in the
        home: neither the directory it starts from nor the checkout's files matter."""
        workspace = self.home / "workspace.yaml"
        workspace.write_text(WORKSPACE_YAML)
        dagster = str(Path(sys.executable).with_name("dagster"))
        command = [dagster, "dev", "-h", self.host, "-p", str(self.port), "-w", str(workspace)]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = start_group(
                command,
                cwd=self.cwd,
                env={
                    **self.env,
                    "DAGSTER_HOME": str(self.home),
                    # Alert links point at the port this server actually took.
                    "MLB_DAGSTER_BASE_URL": self.env.get("MLB_DAGSTER_BASE_URL") or self.url,
                },
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=self.pass_fds,
            )

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def wait_ready(self, bound: float = STARTUP_BOUND_SECONDS) -> float:
        """Until the webserver answers and the code location has loaded; seconds waited."""
        began = time.monotonic()
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise UIError(f"dagster dev exited early; its log ends:\n{self.log_tail()}")
            if time.monotonic() - began > bound:
                raise UIError(
                    f"dagster dev did not load the code location within {bound:.0f} s "
                    f"(waited for {self.url}/server_info and the workspace); log:\n"
                    + self.log_tail()
                )
            try:
                loaded = self._location_loaded()
            except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
                loaded = False
            if loaded:
                return time.monotonic() - began
            time.sleep(POLL_SECONDS)

    def _location_loaded(self) -> bool:
        entries = self.graphql(LOCATIONS)["workspaceOrError"]["locationEntries"]
        for entry in entries:
            error = entry["locationOrLoadError"]
            if error and error["__typename"] == "PythonError":
                raise UIError(f"the code location failed to load: {error['message']}")
        return bool(entries) and all(e["loadStatus"] == "LOADED" for e in entries)

    def graphql(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """One hand-written GraphQL query, for what Dagster's client has no method for."""
        request = urllib.request.Request(
            f"{self.url}/graphql",
            data=json.dumps({"query": query, "variables": dict(variables or {})}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            body = json.loads(response.read())
        if body.get("errors"):
            raise UIError(f"GraphQL error: {body['errors'][0].get('message')}")
        return body["data"]

    def launch(self, job: str, tags: Mapping[str, str]) -> str:
        """Launch `job` through the webserver, as the UI's Launch button does; its run id."""
        try:
            return self.client.submit_job_execution(
                job,
                repository_location_name=LOCATION,
                repository_name="__repository__",
                tags=dict(tags),
            )
        except DagsterGraphQLClientError as exc:
            raise UIError(f"could not launch {job}: {exc}") from exc

    def wait_run(self, run_id: str, bound: float = RUN_BOUND_SECONDS) -> str:
        """Until the run is over; its final status (SUCCESS, FAILURE, CANCELED)."""
        began = time.monotonic()
        while True:
            status = self.client.get_run_status(run_id)
            if status in TERMINAL_STATUSES:
                return status.value
            if time.monotonic() - began > bound:
                raise UIError(f"run {run_id} still {status.value} after {bound:.0f} s")
            time.sleep(POLL_SECONDS)

    def cancel(self, run_id: str) -> None:
        """Cancel a run, as the UI's Terminate button does (a queued run never starts)."""
        try:
            self.client.terminate_run(run_id)
        except DagsterGraphQLClientError as exc:
            raise UIError(f"could not cancel run {run_id}: {exc}") from exc

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)

    def wait(self) -> int:
        """Serve until the user stops it (Ctrl-C), then stop the whole group."""
        assert self.process is not None
        try:
            return self.process.wait()
        except KeyboardInterrupt:
            self.stop()
            return 0
