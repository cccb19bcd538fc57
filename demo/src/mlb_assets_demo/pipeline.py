"""`make demo`: seed if needed, materialize the demo season through the Dagster UI, serve it.

The work is launched through `dagster dev`'s webserver as runs of the code location's own jobs
(`monthly_models`, then `daily_slate` over the whole season, each ONE run), so the UI lists
them under Runs with their assets and can re-execute them. The terminal shows progress per
step and a summary; the event stream goes to the Dagster instance (and dagster dev's log).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

from mlb_assets.config import MLBConfig
from mlb_assets.errors import UsageError
from mlb_assets_demo.home import claim_home, ensure_dagster_home
from mlb_assets_demo.ui import DagsterDev

UI_HOST = "127.0.0.1"
UI_PORT = 3000


def demo_steps(config: MLBConfig) -> list[tuple[str, str, str, str]]:
    """(label, job, first partition, last partition): the runs `make demo` launches, each ONE
    run over its whole range. Models first (they train on the sources' history), then every
    daily asset of the season, then the grades and each month's performance."""
    first, last = config.partitions_start, config.last_partition
    if last is None:
        raise UsageError("the demo needs a last partition; unset MLB_WAREHOUSE or set one")
    days = (last - first).days + 1
    months = f"{first:%Y-%m}..{last:%Y-%m}"
    return [
        (
            f"walk-forward models, {months}",
            "monthly_models",
            first.replace(day=1).isoformat(),
            last.replace(day=1).isoformat(),
        ),
        (
            f"features, injured list, lines, 3 systems' predictions, coverage: {days} dates",
            "daily_slate",
            first.isoformat(),
            last.isoformat(),
        ),
        (
            f"grades of every prediction: {days} dates",
            "daily_grades",
            first.isoformat(),
            last.isoformat(),
        ),
        (
            f"each system's performance and calibration, {months}",
            "monthly_performance",
            first.replace(day=1).isoformat(),
            last.replace(day=1).isoformat(),
        ),
    ]


def free_port(preferred: int) -> int:
    """The preferred port if it is free, else any free one (a UI may already be running)."""
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind((UI_HOST, port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise UsageError("no free port for the Dagster UI")


# The client has no method for partition statistics: asked here, as the UI's asset bars do.
HEALTH = """
{ assetNodes { assetKey { path } isPartitioned
    partitionStats { numMaterialized numPartitions numFailed } } }
"""


def summary_lines(health: dict) -> list[str]:  # type: ignore[type-arg]
    """One line per partitioned asset: how much of it is materialized, as the UI's bar."""
    lines = []
    for node in sorted(health["assetNodes"], key=lambda n: n["assetKey"]["path"]):
        stats = node.get("partitionStats")
        if not node["isPartitioned"] or not stats:
            continue
        done, total = stats["numMaterialized"], stats["numPartitions"]
        name = "/".join(node["assetKey"]["path"])
        lines.append(
            f"  {name:<28} {done:>4} of {total:>4} partitions materialized"
            + (f", {stats['numFailed']} failed" if stats["numFailed"] else "")
        )
    return lines


def run_demo(
    config: MLBConfig,
    seed: int = 7,
    reseed: bool = False,
    ui: bool = True,
    progress: Callable[[str], None] = print,
) -> int:
    if config.warehouse != "duckdb":
        raise UsageError("the demo runs on the embedded DuckDB warehouse; unset MLB_WAREHOUSE")
    began = time.perf_counter()
    home = ensure_dagster_home()
    keep_ui = ui and os.environ.get("CI", "").lower() not in {"1", "true", "yes"}
    log_path = Path(config.duckdb_path).resolve().parent / "logs" / "dagster-dev.log"
    # The code location reads the warehouse and models this command seeds and trains into,
    # whatever directory either is started from.
    store = config.model_store
    paths = {
        "MLB_DUCKDB_PATH": str(Path(config.duckdb_path).resolve()),
        "MLB_MODEL_STORE": store if store.startswith("gs://") else str(Path(store).resolve()),
    }
    with claim_home(home, progress) as lock:
        server = DagsterDev(
            home=home,
            port=free_port(UI_PORT),
            log_path=log_path,
            env={**os.environ, **paths},
            pass_fds=(lock,),
        )
        # The UI loads (about 15 s of imports) while the warehouse is seeded: loading the code
        # location opens no warehouse, and no run is launched before both are ready.
        progress(f"starting dagster dev at {server.url} (log: {log_path}) ...")
        server.start()
        try:
            _prepare_warehouse(config, seed, reseed, progress)
            server.wait_ready()
            progress(f"  UI ready {time.perf_counter() - began:.0f} s after the start")
            failed = _run_steps(server, config, progress)
            if not failed:
                progress("materialized:")
                for line in summary_lines(server.graphql(HEALTH)):
                    progress(line)
                progress(f"demo ready in {time.perf_counter() - began:.0f} s; instance at {home}")
            if not keep_ui:
                progress("UI not kept running (--no-ui / CI).")
                return 1 if failed else 0
            progress(f"Dagster UI at {server.url} (Ctrl-C to stop)")
            server.wait()
            return 1 if failed else 0
        finally:
            server.stop()


def _prepare_warehouse(
    config: MLBConfig, seed: int, reseed: bool, progress: Callable[[str], None]
) -> None:
    """Seed the demo warehouse when asked or missing; migrate it either way."""
    if reseed or not Path(config.duckdb_path).exists():
        from mlb_assets_demo.seed import seed_demo_warehouse

        summary = seed_demo_warehouse(config, seed=seed, progress=progress)
        for key, value in summary.items():
            progress(f"  {key:<32} {value}")
    from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
    from mlb_assets.resources.migrations import migrate

    warehouse = DuckDBWarehouse(path=config.duckdb_path)
    try:
        migrate(warehouse)
    finally:
        warehouse.close()


def _run_steps(server: DagsterDev, config: MLBConfig, progress: Callable[[str], None]) -> bool:
    """Queue every step's run at once, in order, then follow them; True when one did not
    succeed (the runs queued behind it are then canceled).

    The one-slot queue runs them one after the other, first in first out, so queueing them
    together changes no order: it lets the webserver plan each run (a season's run writes a
    planned event per date and asset, seconds of writes) while the run before it works."""
    from mlb_assets_demo.runs import range_tags

    began = time.perf_counter()
    queued = []
    for number, (label, job, start, end) in enumerate(demo_steps(config), start=1):
        run_id = server.launch(job, range_tags(start, end))
        progress(f"step {number}: {label} ({start}..{end}), one run of job {job}: queued")
        queued.append((number, run_id))
    for position, (number, run_id) in enumerate(queued):
        status = server.wait_run(run_id)
        ended = time.perf_counter()
        progress(f"step {number}: {status} in {ended - began:.0f} s ({server.url}/runs/{run_id})")
        began = ended
        if status != "SUCCESS":
            progress(f"  the run did not succeed; the UI shows why: {server.url}/runs/{run_id}")
            for later, later_run in queued[position + 1 :]:
                server.cancel(later_run)
                progress(f"step {later}: canceled, as it needs step {number}'s work")
            return True
    return False
