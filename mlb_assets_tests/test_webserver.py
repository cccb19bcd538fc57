"""The real dagster-webserver serves this code location's graph and checks, and runs what the
UI launches.

`dagster dev` runs in its own process group under a throwaway DAGSTER_HOME, bound to loopback
(the session's `ui_server`, shared with the browser test); the tests read what a user's UI
reads, through the GraphQL API.
"""

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mlb_assets_demo.ui import DagsterDev
from mlb_assets_tests.conftest import UI_END, UI_START, query_copy

pytestmark = pytest.mark.slow

REEXECUTE = """
mutation Reexecute($parent: String!) {
  launchRunReexecution(reexecutionParams: {parentRunId: $parent, strategy: ALL_STEPS}) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
  }
}
"""


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


def test_webserver_serves_the_asset_graph_and_its_checks(
    ui_server: tuple[DagsterDev, Path],
) -> None:
    server, _ = ui_server
    graphql = server.graphql
    entries = graphql(LOCATION_STATUS)["workspaceOrError"]["locationEntries"]
    assert [entry["name"] for entry in entries] == ["mlb_assets"]
    assert entries[0]["locationOrLoadError"]["__typename"] == "RepositoryLocation", entries

    nodes = {
        "/".join(node["assetKey"]["path"]): node for node in graphql(ASSET_GRAPH)["assetNodes"]
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
        assert "10.00 %" in found["fallback_rate"]["description"]  # the threshold, in the UI
    assert {"il_source_answered", "il_roster_fresh"} <= set(checks("il_roster"))

    (repository,) = graphql(AUTOMATION)["repositoriesOrError"]["nodes"]
    schedules = {schedule["name"]: schedule for schedule in repository["schedules"]}
    assert schedules["daily_slate_schedule"]["cronSchedule"] == "0 9 * * *"
    assert schedules["daily_slate_schedule"]["executionTimezone"] == "America/New_York"
    assert schedules["daily_slate_schedule"]["scheduleState"]["status"] == "STOPPED"
    sensors = {sensor["name"]: sensor for sensor in repository["sensors"]}
    assert sensors["check_failure_alerts"]["sensorState"]["status"] == "RUNNING"


def test_a_run_launched_through_the_ui_can_be_re_executed(
    ui_server: tuple[DagsterDev, Path],
) -> None:
    """What the demo does: launch a named job through the webserver; the UI can re-run it."""
    server, _ = ui_server
    run_id = server.launch("daily_slate", {"dagster/partition": UI_END})
    assert server.wait_run(run_id) == "SUCCESS"
    again = server.graphql(REEXECUTE, {"parent": run_id})["launchRunReexecution"]
    assert again["__typename"] == "LaunchRunSuccess", again
    assert server.wait_run(again["run"]["runId"]) == "SUCCESS"


# What the UI's "Partitions" plot asks (Overview -> Metadata -> Plots; LatestAssetPartitionsQuery
# and AssetPartitionEventsQuery in the pinned dagster-webserver's bundle).
LATEST_PARTITION_KEYS = """
query Keys($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) { ... on AssetNode {
    partitionKeyConnection(limit: 120, ascending: false) { results } } } }
"""
LATEST_BY_PARTITION = """
query Events($key: AssetKeyInput!, $partitions: [String!]!) {
  assetNodeOrError(assetKey: $key) { ... on AssetNode {
    latestMaterializationByPartition(partitions: $partitions) {
      partition
      metadataEntries { label ... on IntMetadataEntry { intValue } }
} } } }
"""


def test_the_partitions_plot_asks_for_dates_after_the_partition_set_ends(
    ui_server: tuple[DagsterDev, Path],
) -> None:
    """Why the UI's Partitions plot is empty for the demo: it plots the latest materialization
    of the 120 partition keys `partitionKeyConnection(ascending: false)` returns, and in
    Dagster 1.13.27 that counts back from NOW, ignoring the set's end date
    (TimeWindowPartitionsDefinition.get_paginated_partition_keys). For a set that ends on
    UI_END it returns this year's dates, none materialized. This pins the upstream defect:
    when it fails, Dagster has fixed it and docs/ARCHITECTURE.md "Plots" should say so.

    Our side is sound: asked for the set's own dates, every date's materialization carries
    its own numbers (the range run's per-date metadata), which the plot would draw."""
    server, work = ui_server
    asset = {"path": ["v1_6_rolling_predictions"]}
    keys = server.graphql(LATEST_PARTITION_KEYS, {"key": asset})["assetNodeOrError"]
    asked = keys["partitionKeyConnection"]["results"]
    assert len(asked) == 120 and min(asked) > UI_END  # all after the set's last partition

    own = [str(d.date()) for d in pd.date_range(UI_START, UI_END)]
    answer = server.graphql(LATEST_BY_PARTITION, {"key": asset, "partitions": own})
    events = answer["assetNodeOrError"]["latestMaterializationByPartition"]
    assert [e["partition"] for e in events] == own
    bets = {
        e["partition"]: next(m["intValue"] for m in e["metadataEntries"] if m["label"] == "bets")
        for e in events
    }
    rows = query_copy(
        work,
        "SELECT game_date, COUNT(*) AS n FROM mlb_predictions.v1_6_rolling_predictions "
        "WHERE recommendation IN ('OVER', 'UNDER') GROUP BY 1",
    )
    expected = dict(zip(rows["game_date"].dt.strftime("%Y-%m-%d"), rows["n"], strict=True))
    assert bets == {day: expected.get(day, 0) for day in own}


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc (Linux)")
def test_alert_links_name_the_port_the_server_took(ui_server: tuple[DagsterDev, Path]) -> None:
    """The fixture's server runs on a free port, not 3000: the code location it serves (and so
    the alert sensor's links) is told that port."""
    server, _ = ui_server
    assert server.process is not None
    raw = Path(f"/proc/{server.process.pid}/environ").read_bytes()
    env = dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)
    assert env["MLB_DAGSTER_BASE_URL"] == server.url
    assert not server.url.endswith(":3000")
