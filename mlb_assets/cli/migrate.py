"""`mlb-assets migrate`: create or update every table and view, or print the DDL."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from mlb_assets.config import MLBConfig
from mlb_assets.resources.factory import build_warehouse
from mlb_assets.resources.migrations import migrate, render_migrations


def migrate_command(
    args: argparse.Namespace, config: MLBConfig, progress: Callable[[str], None]
) -> int:
    if args.warehouse and args.warehouse != config.warehouse:
        config = config.model_copy(update={"warehouse": args.warehouse})
    if args.dry_run:
        print(render_migrations(config))
        return 0
    warehouse = build_warehouse(config, create=True)
    try:
        applied = migrate(warehouse, log=progress)
    finally:
        warehouse.close()
    print(f"{len(applied)} migrations applied to {config.warehouse}")
    return 0
