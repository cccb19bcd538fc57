"""The check on strikeout_models: every model the run trained is usable.

Judged by the same rule the model store applies on every load
(`mlb_assets.systems.validation.model_problems`), so a model this check fails is also saved
as not usable and its month's predictions fall back, saying why.
"""

from __future__ import annotations

import pandas as pd
from dagster import MetadataValue

from mlb_assets.betting import POISSON_DISPERSION
from mlb_assets.checks.rule import CheckRule, Verdict
from mlb_assets.metadata import frame_table
from mlb_assets.systems.validation import MAX_VALIDATION_MAE, MIN_DISPERSION

RULE = (
    f"validation MAE finite in (0, {MAX_VALIDATION_MAE:g}]; dispersion finite in "
    f"[{MIN_DISPERSION:g}, {POISSON_DISPERSION:g}]; calibration finite and in bounds; "
    "features the system's"
)


def models_usable(evidence: tuple[pd.DataFrame, list[str]]) -> Verdict:
    """`evidence`: one row per trained model (month, system, figures, problems: '' when
    sound), and the months left without a model."""
    models, months_without_model = evidence
    rejected = models[models["problems"] != ""] if len(models) else models
    summary = (
        f"{len(rejected)} of {len(models)} models rejected (not used: their months fall back)"
        if len(rejected)
        else f"all {len(models)} models usable"
    )
    if months_without_model:
        summary += f"; no model for {', '.join(months_without_model)} (too few prior starts)"
    return Verdict(
        passed=rejected.empty,
        value=float(len(rejected)),
        text=summary,
        metadata={
            "models_trained": MetadataValue.int(len(models)),
            "models_rejected": MetadataValue.int(len(rejected)),
            "models": frame_table(models),
        },
    )


MODELS_USABLE = CheckRule(
    "models_usable",
    f"Every model trained is usable: {RULE}",
    models_usable,
    blocking=True,
    per_date=False,
)
