"""The check on coverage_report: every system predicted every scheduled starter, per date."""

from __future__ import annotations

from collections.abc import Sequence

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

ASSET = "coverage_report"


def coverage_check_specs(partitions_def: PartitionsDefinition) -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(
            "every_starter_covered",
            asset=ASSET,
            description="Every system has a prediction for every scheduled starter, every date.",
            partitions_def=partitions_def,
        )
    ]


def every_starter_covered(
    report: pd.DataFrame, partition_keys: Sequence[str]
) -> tuple[list[PartitionVerdict], AssetCheckResult]:
    short = report.assign(missing=report["scheduled_starters"] - report["predictions"])
    short = short[short["missing"] > 0]
    missing_by_date = short.groupby(short["game_date"].dt.strftime("%Y-%m-%d"))["missing"].sum()
    key = AssetKey(ASSET)
    per_date = []
    if len(partition_keys) > 1:
        per_date = [
            PartitionVerdict(
                partition=k,
                passed=k not in missing_by_date.index,
                metadata={"missing_predictions": MetadataValue.int(int(missing_by_date.get(k, 0)))},
            )
            for k in partition_keys
        ]
    summary = f"{len(missing_by_date)} of {len(partition_keys)} dates had starters left out"
    result = AssetCheckResult(
        asset_key=key,
        check_name="every_starter_covered",
        passed=short.empty,
        severity=AssetCheckSeverity.ERROR,
        description=summary,
        metadata={
            "summary": MetadataValue.text(summary),
            "date_system_pairs_short": MetadataValue.int(len(short)),
            "missing_predictions": MetadataValue.int(int(short["missing"].sum())),
            "examples": frame_table(
                short.head(10)[["game_date", "system_id", "scheduled_starters", "predictions"]]
            ),
        },
    )
    return per_date, result
