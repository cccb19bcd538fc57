"""When a trained model's figures make it unusable: one rule for training, the model store's
load and the check on strikeout_models, so a model rejected by one is rejected by all."""

from __future__ import annotations

import math
from collections.abc import Sequence

from mlb_assets.betting import POISSON_DISPERSION
from mlb_assets.systems.calibration import Calibration, calibration_problems

MIN_DISPERSION = 1.0
# Predicting every start at the league mean misses by about 2 strikeouts; a model twice as bad
# is broken, not unlucky.
MAX_VALIDATION_MAE = 4.0


def model_problems(
    *,
    features: Sequence[str],
    expected_features: Sequence[str],
    dispersion: object,
    validation_mae: object,
    calibration: Calibration | None,
) -> list[str]:
    """Why a model cannot be used (empty when it can)."""
    problems = []
    if list(features) != list(expected_features):
        problems.append(
            f"features {list(features)[:3]}... (of {len(features)}) are not the system's "
            f"{len(expected_features)} features in order"
        )
    if not _within(dispersion, MIN_DISPERSION, POISSON_DISPERSION):
        problems.append(
            f"dispersion={dispersion!r} not a number in [{MIN_DISPERSION:g}, "
            f"{POISSON_DISPERSION:g}]"
        )
    if not _within(validation_mae, 0.0, MAX_VALIDATION_MAE) or validation_mae == 0:
        problems.append(
            f"validation_mae={validation_mae!r} not a number in (0, {MAX_VALIDATION_MAE:g}]"
        )
    if calibration is None:
        problems.append("no calibration")
    else:
        problems.extend(calibration_problems(calibration))
    return problems


def _within(value: object, low: float, high: float) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and low <= value <= high
