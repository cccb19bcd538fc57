"""Smoke test: the real dagster-webserver serves this code location's graph and checks.

The webserver and its code server run as subprocesses in their own process group, under a
throwaway DAGSTER_HOME, bound to loopback; the test reads what a user's UI reads, through the
GraphQL API, and always kills the group.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read()


def graphql(base: str, query: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body["errors"]
    return body["data"]


LOCATION_STATUS = """
{ workspaceOrError { __typename ... on Workspace { locationEntries {
    name loadStatus
    locationOrLoadError { __typename ... on PythonError { message } }
} } } }
"""

ASSET_GRAPH = """
{ assetNodes {
    assetKey { path }
    groupName
    isPartitioned
    dependencyKeys { path }
    assetChecksOrError { __typename ... on AssetChecks { checks { name blocking description } } }
} }
"""

AUTOMATION = """
{ repositoriesOrError { ... on RepositoryConnection { nodes {
    name
    schedules { name cronSchedule executionTimezone scheduleState { status } }
    sensors { name sensorState { status } }
} } } }
"""


def tail(path: Path) -> str:
    return path.read_text(errors="replace")[-3000:] if path.exists() else ""


@pytest.fixture
def webserver(tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\nnux:\n  enabled: false\n")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "MLB_WAREHOUSE": "duckdb",
        "MLB_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"),
        "MLB_MODEL_STORE": str(tmp_path / "models"),
    }
    port = free_port()
    log = tmp_path / "webserver.log"
    webserver_bin = str(Path(sys.executable).with_name("dagster-webserver"))
    # `env --default-signal` undoes an ignored SIGTERM inherited from the launching shell, and
    # a new session lets the finally below stop the webserver and its code server together.
    command = ["env", "--default-signal=INT,TERM,HUP", webserver_bin]
    command += ["-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, f"webserver exited early:\n{tail(log)}"
            assert time.monotonic() < deadline, f"no /server_info in time:\n{tail(log)}"
            try:
                json.loads(get(f"{base}/server_info"))
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_webserver_serves_the_asset_graph_and_its_checks(webserver: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        entries = graphql(webserver, LOCATION_STATUS)["workspaceOrError"]["locationEntries"]
        if entries and all(entry["loadStatus"] == "LOADED" for entry in entries):
            break
        assert time.monotonic() < deadline, entries
        time.sleep(0.5)
    assert [entry["name"] for entry in entries] == ["mlb_assets"]
    assert entries[0]["locationOrLoadError"]["__typename"] == "RepositoryLocation", entries

    nodes = {
        "/".join(node["assetKey"]["path"]): node
        for node in graphql(webserver, ASSET_GRAPH)["assetNodes"]
    }
    predictions = [
        "v1_baseline_predictions",
        "v1_6_rolling_predictions",
        "ensemble_v1_predictions",
    ]
    for key in ["feature_store_slice", "il_roster", "coverage_report", *predictions]:
        assert key in nodes, sorted(nodes)
        assert nodes[key]["isPartitioned"]
    assert nodes["feature_store_slice"]["groupName"] == "features"
    assert {"feature_store_slice", "il_roster"} <= {
        "/".join(dep["path"]) for dep in nodes["v1_baseline_predictions"]["dependencyKeys"]
    }

    def checks(key: str) -> dict[str, dict[str, Any]]:
        result = nodes[key]["assetChecksOrError"]
        assert result["__typename"] == "AssetChecks", result
        return {check["name"]: check for check in result["checks"]}

    for key in predictions:
        found = checks(key)
        assert {"fallback_rate", "low_coverage_rate", "model_load_failures"} <= set(found)
        assert found["fallback_rate"]["blocking"]
        assert "10.0" in found["fallback_rate"]["description"]  # the threshold, shown in the UI
    assert {"il_source_answered", "il_roster_fresh"} <= set(checks("il_roster"))

    (repository,) = graphql(webserver, AUTOMATION)["repositoriesOrError"]["nodes"]
    schedules = {schedule["name"]: schedule for schedule in repository["schedules"]}
    assert schedules["daily_slate_schedule"]["cronSchedule"] == "0 9 * * *"
    assert schedules["daily_slate_schedule"]["executionTimezone"] == "America/New_York"
    assert schedules["daily_slate_schedule"]["scheduleState"]["status"] == "STOPPED"
    sensors = {sensor["name"]: sensor for sensor in repository["sensors"]}
    assert sensors["check_failure_alerts"]["sensorState"]["status"] == "RUNNING"
