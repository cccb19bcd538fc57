"""In-process runs of the asset graph over a date range, as one run (the single-run backfill).

`dagster.materialize` has no range argument; a range run is requested with the partition
range tags, exactly as the UI's single-run backfill does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from dagster import (
    AssetSelection,
    DagsterInstance,
    Definitions,
    ExecuteInProcessResult,
    materialize,
)


def range_tags(start: str, end: str) -> dict[str, str]:
    return {
        "dagster/asset_partition_range_start": start,
        "dagster/asset_partition_range_end": end,
    }


def materialize_range(
    defs: Definitions,
    selection: Sequence[str] | AssetSelection,
    start: date | str,
    end: date | str,
    *,
    instance: DagsterInstance | None = None,
    resources: dict[str, Any] | None = None,
    raise_on_error: bool = True,
) -> ExecuteInProcessResult:
    """Materialize `selection` for every partition in [start, end] in ONE in-process run."""
    start, end = str(start), str(end)
    if start == end:
        extra: dict[str, Any] = {"partition_key": start}
    else:
        extra = {"tags": range_tags(start, end)}
    assets = list(defs.assets or [])
    return materialize(
        assets,
        selection=selection,
        instance=instance,
        resources={**(defs.resources or {}), **(resources or {})},
        raise_on_error=raise_on_error,
        **extra,
    )


def run_totals(result: ExecuteInProcessResult) -> dict[str, dict[str, Any]]:
    """Per asset, the run's totals as plain values: the summary observation of a range run
    (each date's own figures are on its partition), else the one materialization of a
    one-date run."""
    totals: dict[str, dict[str, Any]] = {}
    for event in result.get_asset_materialization_events():
        metadata = event.materialization.metadata
        totals[event.asset_key.to_user_string()] = {k: v.value for k, v in metadata.items()}
    for event in result.all_events:
        if event.event_type_value == "ASSET_OBSERVATION":
            observation = event.event_specific_data.asset_observation
            if observation.partition is None:
                totals[observation.asset_key.to_user_string()] = {
                    k: v.value for k, v in observation.metadata.items()
                }
    return totals
