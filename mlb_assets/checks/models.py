"""The check on strikeout_models: every model the run trained is usable.

Judged by the same rule the model store applies on every load
(`mlb_assets.systems.validation.model_problems`), so a model this check fails is also saved
as not usable and its month's predictions fall back, saying why.
"""

from __future__ import annotations

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue

from mlb_assets.betting import POISSON_DISPERSION
from mlb_assets.checks.metadata import frame_table
from mlb_assets.systems.validation import MAX_VALIDATION_MAE, MIN_DISPERSION

ASSET = "strikeout_models"
CHECK = "models_usable"
RULE = (
    f"validation MAE finite in (0, {MAX_VALIDATION_MAE:g}]; dispersion finite in "
    f"[{MIN_DISPERSION:g}, {POISSON_DISPERSION:g}]; calibration finite and in bounds; "
    "features the system's"
)


def model_check_specs() -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec(
            CHECK,
            asset=ASSET,
            description=f"Every model trained is usable: {RULE} (severity ERROR).",
            blocking=True,
        )
    ]


def models_usable(models: pd.DataFrame, months_without_model: list[str]) -> AssetCheckResult:
    """`models`: one row per trained model (month, system, figures, problems: '' when sound)."""
    rejected = models[models["problems"] != ""] if len(models) else models
    summary = (
        f"{len(rejected)} of {len(models)} models rejected (not used: their months fall back)"
        if len(rejected)
        else f"all {len(models)} models usable"
    )
    if months_without_model:
        summary += f"; no model for {', '.join(months_without_model)} (too few prior starts)"
    return AssetCheckResult(
        asset_key=AssetKey(ASSET),
        check_name=CHECK,
        passed=rejected.empty,
        severity=AssetCheckSeverity.ERROR,
        description=summary,
        metadata={
            "summary": MetadataValue.text(summary),
            "rule": MetadataValue.text(RULE),
            "models_trained": MetadataValue.int(len(models)),
            "models_rejected": MetadataValue.int(len(rejected)),
            "models": frame_table(models),
        },
    )
