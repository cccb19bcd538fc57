"""Per-partition check verdicts under range runs, recorded so the UI's check partitions show.

A range run's step has no single partition, so its `AssetCheckResult` covers the range. Each
date's verdict is logged as an `AssetCheckEvaluation` for that partition, AFTER the date's
materialization and pointing at it: Dagster counts a check partition as current only when its
evaluation targets the partition's latest materialization.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dagster import (
    AssetCheckEvaluation,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetRecordsFilter,
)

# Not re-exported at the top level of the pinned Dagster (1.13.27).
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,
)


@dataclass(frozen=True)
class PartitionVerdict:
    partition: str
    passed: bool
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckVerdicts:
    """One check's verdicts, one per partition of the run."""

    check_name: str
    severity: AssetCheckSeverity
    verdicts: Sequence[PartitionVerdict]


def log_partition_verdicts(
    context: AssetExecutionContext, asset_key: AssetKey, checks: Sequence[CheckVerdicts]
) -> None:
    """One evaluation per check and partition, each targeting that partition's latest
    materialization: looked up once for all of the asset's checks (one event-log query)."""
    partitions = sorted({v.partition for check in checks for v in check.verdicts})
    if not partitions:
        return
    records = context.instance.fetch_materializations(
        AssetRecordsFilter(asset_key=asset_key, asset_partitions=partitions),
        limit=len(partitions),
    ).records
    latest: dict[str, Any] = {}
    for record in records:  # newest first
        latest.setdefault(record.partition_key, record)
    for check in checks:
        for verdict in check.verdicts:
            record = latest.get(verdict.partition)
            target = (
                AssetCheckEvaluationTargetMaterializationData(
                    storage_id=record.storage_id, run_id=record.run_id, timestamp=record.timestamp
                )
                if record is not None
                else None
            )
            context.log_event(
                AssetCheckEvaluation(
                    asset_key=asset_key,
                    check_name=check.check_name,
                    passed=verdict.passed,
                    severity=check.severity,
                    partition=verdict.partition,
                    metadata=dict(verdict.metadata),
                    target_materialization_data=target,
                )
            )
