"""The code location: every asset, check, job, schedule, sensor and resource, built from ONE
configuration read here, once."""

from __future__ import annotations

from dagster import Definitions, EnvVar, in_process_executor, multiprocess_executor

from mlb_assets.alerting.sensor import build_alert_sensor
from mlb_assets.alerting.sinks import AlertSinks
from mlb_assets.assets.features import build_feature_store_slice
from mlb_assets.assets.grades import build_prediction_grades, build_system_performance
from mlb_assets.assets.lines import build_prop_lines
from mlb_assets.assets.models import build_strikeout_models
from mlb_assets.assets.predictions import build_predictions
from mlb_assets.assets.reports import build_coverage_report
from mlb_assets.assets.roster import build_il_roster
from mlb_assets.assets.sources import source_specs
from mlb_assets.config import MLBConfig
from mlb_assets.resources.factory import warehouse_resource
from mlb_assets.resources.model_store import ModelStore
from mlb_assets.schedules import build_schedules


def build_definitions(config: MLBConfig) -> Definitions:
    """Everything the UI shows and every run enforces comes from `config`, so a check's
    description and the threshold it is judged by are one value."""
    jobs, schedules = build_schedules(config)
    return Definitions(
        assets=[
            *source_specs(config),
            build_feature_store_slice(config),
            build_il_roster(config),
            build_prop_lines(config),
            build_strikeout_models(config),
            build_predictions(config),
            build_coverage_report(config),
            build_prediction_grades(config),
            build_system_performance(config),
        ],
        jobs=jobs,
        schedules=schedules,
        sensors=[build_alert_sensor(config)],
        resources={
            "warehouse": warehouse_resource(config),
            "model_store": ModelStore(root=config.model_store),
            "alert_sinks": AlertSinks(
                slack_webhook_url=EnvVar("MLB_ALERT_SLACK_WEBHOOK_URL")
                if config.alert_slack_webhook_url
                else None
            ),
        },
        # DuckDB allows one writer per file: steps of a local run share one process.
        executor=in_process_executor if config.warehouse == "duckdb" else multiprocess_executor,
    )


def load_config() -> MLBConfig:
    """The one place the code location reads its settings from the environment."""
    return MLBConfig.from_env()


defs = build_definitions(load_config())
