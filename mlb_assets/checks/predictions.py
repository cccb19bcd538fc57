"""The rules each system's predictions answer to, per date, from the one configuration.

The threshold a check's description shows, its blocking flag and the threshold it is judged by
are one value. Each date is judged on its row of `per_date_quality` (the same figures the
coverage report writes); a blocking failure holds the date's predictions back.
"""

from __future__ import annotations

from dagster import AssetCheckSeverity

from mlb_assets.checks.rule import CheckRule, threshold_rule
from mlb_assets.config import MLBConfig


def prediction_rules(config: MLBConfig) -> list[CheckRule]:
    coverage = AssetCheckSeverity(config.low_coverage_check_severity)
    per_date = {"count_column": "predictions"}
    return [
        threshold_rule(
            "fallback_rate",
            "fallback_rate",
            config.fallback_rate_threshold,
            percent=True,
            blocking=True,
            **per_date,
        ),
        threshold_rule(
            "low_coverage_rate",
            "low_coverage_rate",
            config.low_coverage_rate_threshold,
            percent=True,
            severity=coverage,
            blocking=coverage is AssetCheckSeverity.ERROR,
            **per_date,
        ),
        threshold_rule(
            "model_load_failures",
            "model_load_failures",
            config.model_load_failure_threshold,
            strict=True,
            blocking=True,
            **per_date,
        ),
        threshold_rule("one_row_per_pitcher", "duplicate_rows", 0, blocking=True, **per_date),
    ]
