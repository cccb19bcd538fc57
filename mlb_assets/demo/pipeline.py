"""`make demo`: seed if needed, materialize the graph over the demo seasons, open the UI.

Materializations are recorded in the same Dagster instance the UI reads ($DAGSTER_HOME,
default .mlb/dagster_home), so the UI opens on a fully materialized graph.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from mlb_assets.cli.errors import UsageError
from mlb_assets.config import MLBConfig
from mlb_assets.resources.warehouse import Warehouse

DEMO_INSTANCE_YAML = """\
# Written by `mlb-assets demo run`: a local instance for the embedded DuckDB warehouse.
telemetry:
  enabled: false
nux:
  enabled: false
# DuckDB allows one writer per file: runs launched from the UI queue one at a time.
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
"""

UI_HOST = "127.0.0.1"
UI_PORT = 3000


def ensure_dagster_home() -> Path:
    """Use $DAGSTER_HOME if set, else a project-local one, with the demo instance settings."""
    home = Path(os.environ.get("DAGSTER_HOME") or ".mlb/dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists():
        settings.write_text(DEMO_INSTANCE_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def season_bounds(warehouse: Warehouse) -> list[tuple[int, date, date]]:
    """(season, first game_date, last game_date) of every season in the warehouse."""
    frame = warehouse.query("sources/season_bounds.sql")
    return [
        (int(r.season), pd.Timestamp(r.first_date).date(), pd.Timestamp(r.last_date).date())
        for r in frame.itertuples(index=False)
    ]


def demo_steps(seasons: list[tuple[int, date, date]]) -> list[tuple[str, list[str], date, date]]:
    """The runs `make demo` performs, each ONE run over its whole range."""
    first, last = seasons[0], seasons[-1]
    predicted = [
        "v1_baseline_predictions",
        "v1_6_rolling_predictions",
        "ensemble_v1_predictions",
        "coverage_report",
    ]
    return [
        (
            "feature slice, IL roster and prop lines, every demo season",
            ["feature_store_slice", "il_roster", "prop_lines"],
            first[1],
            last[2],
        ),
        (
            f"walk-forward models for each month of {last[0]}",
            ["strikeout_models"],
            last[1].replace(day=1),
            last[2].replace(day=1),
        ),
        (f"predictions and coverage report for {last[0]}", predicted, last[1], last[2]),
    ]


def run_demo(
    config: MLBConfig,
    seed: int = 7,
    reseed: bool = False,
    ui: bool = True,
    progress: Callable[[str], None] = print,
) -> int:
    if config.warehouse != "duckdb":
        raise UsageError("the demo runs on the embedded DuckDB warehouse; unset MLB_WAREHOUSE")
    home = ensure_dagster_home()
    if reseed or not Path(config.duckdb_path).exists():
        from mlb_assets.demo.seed import seed_demo_warehouse

        summary = seed_demo_warehouse(config, seed=seed, progress=progress)
        for key, value in summary.items():
            progress(f"  {key:<32} {value}")
    from dagster import DagsterInstance

    from mlb_assets.definitions import build_definitions
    from mlb_assets.demo.runs import materialize_range
    from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
    from mlb_assets.resources.migrations import migrate

    warehouse = DuckDBWarehouse(path=config.duckdb_path)
    try:
        migrate(warehouse)
        seasons = season_bounds(warehouse)
    finally:
        warehouse.close()

    defs = build_definitions(config)
    with DagsterInstance.get() as instance:
        for label, selection, start, end in demo_steps(seasons):
            progress(f"materializing {label} ({start}..{end}) as one run ...")
            began = time.perf_counter()
            result = materialize_range(defs, selection, start, end, instance=instance)
            progress(
                f"  done in {time.perf_counter() - began:.1f} s "
                f"(run {result.run_id[:8]}, {len(selection)} assets)"
            )
    if not ui or os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        progress(f"materialized; Dagster instance at {home}. UI not started (--no-ui / CI).")
        return 0
    url = f"http://{UI_HOST}:{UI_PORT}"
    progress(f"starting the Dagster UI at {url} (Ctrl-C to stop)")
    dagster = shutil.which("dagster") or str(Path(sys.executable).with_name("dagster"))
    os.execv(dagster, [dagster, "dev", "-h", UI_HOST, "-p", str(UI_PORT), "-w", "workspace.yaml"])
    return 0  # not reached: the UI replaces this process
