"""The check on feature_store_slice: one row per starter per date."""

from __future__ import annotations

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec

ASSET = "feature_store_slice"


def feature_slice_check_specs() -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(
            "no_duplicate_starters",
            asset=ASSET,
            description="Exactly one feature row per pitcher per game_date.",
            blocking=True,
        )
    ]


def duplicate_starters(frame: pd.DataFrame) -> AssetCheckResult:
    duplicates = int(frame.duplicated(["game_date", "pitcher_lookup"]).sum())
    return AssetCheckResult(
        check_name="no_duplicate_starters",
        passed=duplicates == 0,
        severity=AssetCheckSeverity.ERROR,
        metadata={"duplicate_rows": duplicates},
    )
