"""The checks on each system's predictions: specs, severities and per-date evaluation.

Built from the one configuration, so the threshold a check's description shows, its blocking
flag and the threshold it is judged by are the same value. Under a range run every check is
evaluated per date (one evaluation per partition, so the UI shows which date failed) and once
for the whole range, in one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    PartitionsDefinition,
)

from mlb_assets.checks.metadata import frame_table
from mlb_assets.checks.partitions import PartitionVerdict
from mlb_assets.checks.thresholds import ThresholdCheck, prediction_checks
from mlb_assets.config import MLBConfig

# At most this many dates in a check's per-date table (failing dates first, then the worst).
PER_DATE_ROWS = 20


def system_checks(config: MLBConfig) -> list[ThresholdCheck]:
    return prediction_checks(
        config.fallback_rate_threshold,
        config.low_coverage_rate_threshold,
        config.model_load_failure_threshold,
    )


def severity(check: ThresholdCheck, config: MLBConfig) -> AssetCheckSeverity:
    if check.name == "low_coverage_rate" and config.low_coverage_check_severity == "WARN":
        return AssetCheckSeverity.WARN
    return AssetCheckSeverity.ERROR


def prediction_check_specs(
    config: MLBConfig, asset_names: Sequence[str], partitions_def: PartitionsDefinition
) -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(
            check.name,
            asset=name,
            description=f"{check.rule} (severity {severity(check, config).value}).",
            blocking=severity(check, config) == AssetCheckSeverity.ERROR,
            partitions_def=partitions_def,
        )
        for name in asset_names
        for check in system_checks(config)
    ]


@dataclass(frozen=True)
class CheckOutcome:
    """One check over a run: an evaluation per date (range runs) and the run's result."""

    per_date: list[PartitionVerdict]
    result: AssetCheckResult
    failed_dates: list[str]


def _value_text(check: ThresholdCheck, value: float) -> str:
    return "not rated" if pd.isna(value) else check.format(value)


def evaluate(
    check: ThresholdCheck,
    quality: pd.DataFrame,
    partition_keys: Sequence[str],
    asset_key: AssetKey,
    config: MLBConfig,
) -> CheckOutcome:
    """Every partition of the run gets a verdict; a date without predictions passes."""
    dates = pd.to_datetime(pd.Series(list(partition_keys)))
    values = quality[check.column].reindex(dates)
    counts = quality["predictions"].reindex(dates).fillna(0).astype(int)
    passed = check.passes(values)
    level = severity(check, config)
    rule = MetadataValue.text(check.rule)
    per_date = []
    if len(partition_keys) > 1:
        per_date = [
            PartitionVerdict(
                partition=key,
                passed=bool(ok),
                metadata={
                    "rule": rule,
                    "value": MetadataValue.text(_value_text(check, value)),
                    "predictions": MetadataValue.int(int(n)),
                },
            )
            for key, value, n, ok in zip(partition_keys, values, counts, passed, strict=True)
        ]
    defined = values.dropna()
    worst = defined.idxmax() if len(defined) else None
    failed = int((~passed).sum())
    summary = f"{failed} of {len(partition_keys)} dates failed"
    if worst is not None:
        summary += (
            f"; worst {worst.date()} at {check.format(float(defined.max()))}, "
            f"limit {check.format(check.threshold)}"
        )
    table = pd.DataFrame(
        {
            "date": [d.date().isoformat() for d in dates],
            check.column: [_value_text(check, v) for v in values],
            "predictions": counts.to_numpy(),
            "passed": passed,
            "_sort": values.fillna(-1.0).to_numpy(),
        }
    ).sort_values(["passed", "_sort"], ascending=[True, False])
    result = AssetCheckResult(
        asset_key=asset_key,
        check_name=check.name,
        passed=failed == 0,
        severity=level,
        description=summary,
        metadata={
            "rule": rule,
            "summary": MetadataValue.text(summary),
            "dates_failed": MetadataValue.int(failed),
            "dates_not_rated": MetadataValue.int(int(values.isna().sum())),
            "worst_date": MetadataValue.text(str(worst.date()) if worst is not None else "none"),
            "worst_value": MetadataValue.text(
                check.format(float(defined.max())) if worst is not None else "not rated"
            ),
            "per_date": frame_table(table.drop(columns="_sort").head(PER_DATE_ROWS)),
        },
    )
    failed_dates = [key for key, ok in zip(partition_keys, passed, strict=True) if not ok]
    return CheckOutcome(per_date=per_date, result=result, failed_dates=failed_dates)
