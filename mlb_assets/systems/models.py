"""Turning a loaded XGBoost model into predictions, or saying exactly why it could not."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xgboost as xgb

from mlb_assets.features.matrix import feature_matrix
from mlb_assets.systems.calibration import Calibration

# The simple projection's probabilities need some spread; 10 is a typical fitted dispersion for
# per-start strikeouts (SD about 2.4 around a mean about 5.1).
FALLBACK_DISPERSION = 10.0
LEAGUE_AVERAGE_STRIKEOUTS = 5.0


@dataclass
class LoadedModel:
    """A system's model as the model store handed it over; a failed load keeps its error.

    calibration None leaves the model's probabilities raw (the store never hands one over
    without its calibration: it is part of the artifact).
    """

    system_id: str
    features: tuple[str, ...]
    booster: xgb.Booster | None
    dispersion: float
    model_version: str
    load_error: str | None = None
    calibration: Calibration | None = None


def fallback_prediction(frame: pd.DataFrame) -> pd.Series:
    """The fallback: season K/9 times recent innings per start / 9, else the league mean."""
    k_per_9, ip = feature_matrix(frame, ["season_k_per_9", "ip_avg_last_5"]).T
    projection = k_per_9 * ip / 9.0
    return pd.Series(
        np.where(np.isnan(projection), LEAGUE_AVERAGE_STRIKEOUTS, projection), index=frame.index
    )


# Why a system could not use its model: stored as the row's fallback_kind, so every consumer
# (checks, the coverage report, the monitoring view) counts causes from one column.
MODEL_LOAD_FAILED = "model_load_failed"
FEATURE_MISMATCH = "feature_mismatch"
MODEL_ERROR = "model_error"
COMPONENTS_UNUSABLE = "components_unusable"


@dataclass(frozen=True)
class ModelOutcome:
    """The model's predictions, or (predicted None) the fallback kind and its reason."""

    predicted: np.ndarray | None
    fallback_kind: str | None = None
    fallback_reason: str | None = None


def _unusable(kind: str, detail: str) -> ModelOutcome:
    return ModelOutcome(None, kind, f"{kind}: {detail}")


def model_prediction(
    frame: pd.DataFrame, model: LoadedModel, features: Sequence[str]
) -> ModelOutcome:
    """One predict call over the whole frame, or why the model could not be used."""
    if len(frame) == 0:
        return ModelOutcome(np.empty(0))
    if model.booster is None or model.load_error is not None:
        return _unusable(MODEL_LOAD_FAILED, model.load_error or "no model artifact")
    expected = list(features)
    actual = list(model.booster.feature_names or [])
    if actual != expected:
        missing = [name for name in expected if name not in actual]
        unexpected = [name for name in actual if name not in expected]
        detail = (
            f"missing {missing}, unexpected {unexpected}"
            if missing or unexpected
            else "same names in a different order"
        )
        return _unusable(
            FEATURE_MISMATCH, f"model does not take {model.system_id} features ({detail})"
        )
    try:
        # Inside the boundary: a value XGBoost refuses (e.g. 1e300, inf in float32) in any one
        # row fails this system's rows, never the whole step.
        matrix = xgb.DMatrix(
            feature_matrix(frame, expected), missing=np.nan, feature_names=expected
        )
        return ModelOutcome(model.booster.predict(matrix).astype("float64"))
    except Exception as error:  # whatever a corrupt artifact or row raises, the system falls back
        # XGBoost appends a native stack trace; the first line is the message.
        first_line = (str(error).splitlines() or [""])[0]
        return _unusable(MODEL_ERROR, f"{type(error).__name__}: {first_line}")
