"""Builds the demo DuckDB warehouse: migrations, then the generated source tables.

The warehouse is built in a temporary file and moved into place only when complete, so an
interrupted seed never leaves a half-filled warehouse behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mlb_assets.cli.errors import UsageError
from mlb_assets.config import MLBConfig
from mlb_assets.demo.generator import generate_demo
from mlb_assets.demo.summary import summarize
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.migrations import migrate


def seed_demo_warehouse(
    config: MLBConfig,
    seed: int = 7,
    path: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    if config.warehouse != "duckdb":
        raise UsageError("the demo seeds the embedded DuckDB warehouse; unset MLB_WAREHOUSE")
    target = Path(path or config.duckdb_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(target.name + ".building")
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)

    tables = generate_demo(seed=seed, progress=progress)
    warehouse = DuckDBWarehouse(path=str(building))
    try:
        migrate(warehouse)
        for table, frame in tables.items():
            warehouse.overwrite_table(table, frame)
            progress(f"wrote {table}: {len(frame):,} rows")
    finally:
        warehouse.close()
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    os.replace(building, target)
    progress(f"demo warehouse ready: {target}")
    return summarize(tables)
