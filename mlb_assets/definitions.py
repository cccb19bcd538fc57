"""The code location: every asset, check, job, schedule, sensor and resource in one place."""

from __future__ import annotations

from dagster import Definitions, in_process_executor, multiprocess_executor

from mlb_assets.assets.features import feature_store_slice
from mlb_assets.assets.lines import prop_lines
from mlb_assets.assets.models import strikeout_models
from mlb_assets.assets.predictions import strikeout_predictions
from mlb_assets.assets.reports import coverage_report
from mlb_assets.assets.roster import il_roster
from mlb_assets.assets.sources import source_specs
from mlb_assets.config import load_config
from mlb_assets.resources.factory import build_warehouse
from mlb_assets.resources.model_store import ModelStore
from mlb_assets.schedules import (
    daily_slate_job,
    daily_slate_schedule,
    monthly_models_job,
    monthly_models_schedule,
)
from mlb_assets.sensors import check_failure_alerts

config = load_config()

defs = Definitions(
    assets=[
        *source_specs,
        feature_store_slice,
        il_roster,
        prop_lines,
        strikeout_models,
        strikeout_predictions,
        coverage_report,
    ],
    jobs=[daily_slate_job, monthly_models_job],
    schedules=[daily_slate_schedule, monthly_models_schedule],
    sensors=[check_failure_alerts],
    resources={
        "warehouse": build_warehouse(config),
        "model_store": ModelStore(root=config.model_store),
    },
    # DuckDB allows one writer per file: steps of a local run share one process.
    executor=in_process_executor if config.warehouse == "duckdb" else multiprocess_executor,
)
