"""Builds the demo DuckDB warehouse: migrations, then the generated source tables.

The warehouse is built in a temporary file and moved into place only when complete, so an
interrupted seed never leaves a half-filled warehouse behind.

Seeding replaces the whole file, so everything materialized in it goes too, and models trained
on the old data would silently keep serving predictions for the new. So a seed first says what
it removes (and the `demo seed` command refuses without `--force`), and it removes the models of
the warehouse it replaces along with it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from mlb_assets.config import MLBConfig
from mlb_assets.errors import UsageError
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.migrations import migrate
from mlb_assets.resources.warehouse import checked_table_name
from mlb_assets.systems import MODEL_FEATURES
from mlb_assets_demo.generator import generate_demo
from mlb_assets_demo.reference import DEFAULT_SEASONS, SEASON_DATES
from mlb_assets_demo.summary import summarize

# The schemas of the tables the assets write (sources live in the others).
PROJECT_SCHEMAS = ("mlb_precompute", "mlb_predictions")


def project_rows(path: Path) -> dict[str, int]:
    """Rows in each non-empty table the assets write, in the warehouse at `path`."""
    warehouse = DuckDBWarehouse(path=str(path), read_only=True)
    try:
        con = warehouse.connection()  # DuckDB's own catalog, not transpiled BigQuery SQL
        tables = con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND list_contains($schemas, table_schema) ORDER BY 1",
            {"schemas": list(PROJECT_SCHEMAS)},
        ).fetchall()
        counts = {
            name: con.execute(f"SELECT COUNT(*) FROM {checked_table_name(name)}").fetchone()[0]
            for (name,) in tables
        }
    finally:
        warehouse.close()
    return {name: int(n) for name, n in counts.items() if n}


def model_folders(config: MLBConfig) -> list[Path]:
    """The model store's per-system folders (a local store; a gs:// one is left alone)."""
    if config.model_store.startswith("gs://"):
        return []
    root = Path(config.model_store)
    return [root / system_id for system_id in MODEL_FEATURES if (root / system_id).is_dir()]


def what_seeding_removes(config: MLBConfig, target: Path, with_models: bool) -> list[str]:
    """What replacing `target` (and, `with_models`, its model store) would delete."""
    removed = []
    if target.exists():
        try:
            rows = project_rows(target)
        except duckdb.Error as exc:
            rows = {f"the unreadable file ({type(exc).__name__})": 0}
        removed += [f"{name} ({n:,} rows)" if n else name for name, n in rows.items()]
    if with_models:
        files = [f for folder in model_folders(config) for f in folder.rglob("*") if f.is_file()]
        if files:
            removed.append(f"{len(files)} model files in {config.model_store}")
    return removed


def check_seasons(seasons: Sequence[int]) -> None:
    """Refuse, before anything is built or removed, a season the shipped data does not hold."""
    unknown = sorted(set(seasons) - set(SEASON_DATES))
    if unknown:
        raise UsageError(
            f"no demo data for season {', '.join(map(str, unknown))}: the demo has the "
            f"seasons {min(SEASON_DATES)}-{max(SEASON_DATES)}"
        )


def seed_demo_warehouse(
    config: MLBConfig,
    seed: int = 7,
    path: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
    refuse_materialized: bool = False,
    seasons: Sequence[int] = DEFAULT_SEASONS,
) -> dict[str, Any]:
    """Seed `path`, or the configured warehouse; only the latter owns the configured models.

    `refuse_materialized` (the `demo seed` command without --force) refuses to replace a
    warehouse holding materialized tables or models, naming them. `seasons`: the demo's two by
    default; up to 2010-2019 for scale tests.
    """
    if config.warehouse != "duckdb":
        raise UsageError("the demo seeds the embedded DuckDB warehouse; unset MLB_WAREHOUSE")
    check_seasons(seasons)
    target = Path(path or config.duckdb_path)
    with_models = path is None
    removes = what_seeding_removes(config, target, with_models)
    if removes and refuse_materialized:
        raise UsageError(
            f"{target} holds materialized data that seeding would remove: "
            f"{'; '.join(removes)}; re-run with --force to replace it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(target.name + ".building")
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)

    tables = generate_demo(seed=seed, seasons=seasons, progress=progress)
    warehouse = DuckDBWarehouse(path=str(building), create_if_missing=True)
    try:
        migrate(warehouse)
        for table, frame in tables.items():
            warehouse.overwrite_table(table, frame)
            progress(f"wrote {table}: {len(frame):,} rows")
    finally:
        warehouse.close()
    if removes:
        progress(f"removing: {'; '.join(removes)}")
    if with_models:
        for folder in model_folders(config):
            shutil.rmtree(folder)
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    os.replace(building, target)
    progress(f"demo warehouse ready: {target}")
    return summarize(tables)
