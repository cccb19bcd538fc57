"""Fitting a strikeout regressor, the negative-binomial spread its probabilities need, and the
calibration of those probabilities, all from the same held-out latest starts."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from mlb_assets.betting import POISSON_DISPERSION, count_probabilities
from mlb_assets.features.matrix import feature_matrix
from mlb_assets.systems.calibration import Calibration, conditional_over, fit_calibration
from mlb_assets.systems.validation import MIN_DISPERSION

TARGET = "strikeouts"
VALIDATION_SHARE = 0.2
# The reference hyperparameters (depth 6, eta 0.05, 300 trees, subsample 0.8); hist with a
# fixed seed and thread count keeps two trainings on the same rows bit-identical.
DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "reg:squarederror",
    "max_depth": 6,
    "eta": 0.05,
    "subsample": 0.8,
    "tree_method": "hist",
    "nthread": 2,
}
DEFAULT_ROUNDS = 300


@dataclass(frozen=True)
class TrainedModel:
    """A fitted booster and the metadata the model store saves beside it."""

    booster: xgb.Booster
    features: tuple[str, ...]
    dispersion: float
    validation_mae: float
    training_rows: int
    trained_through: dt.date
    xgboost_version: str
    calibration: Calibration


def fit_dispersion(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Method of moments: E[(y - mu)^2] = E[mu] + E[mu^2] / r, solved for r.

    No excess variance over a Poisson means no finite r: the ceiling stands for "Poisson".
    """
    mu = np.clip(predicted, 0.0, None)
    excess = np.mean((actual - mu) ** 2) - np.mean(mu)
    if excess <= 0:
        return POISSON_DISPERSION
    return float(np.clip(np.mean(mu**2) / excess, MIN_DISPERSION, POISSON_DISPERSION))


def holdout_calibration(
    valid_rows: pd.DataFrame, predicted: np.ndarray, dispersion: float
) -> Calibration:
    """The blend of the held-out model probabilities with the market that best explains what
    those starts did; the market is the line's vig-free over probability (over_implied_prob)."""
    line = valid_rows["strikeouts_line"].to_numpy(dtype="float64", na_value=np.nan)
    p_over, _, p_under = count_probabilities(predicted, line, dispersion)
    return fit_calibration(
        conditional_over(p_over, p_under),
        valid_rows["over_implied_prob"].to_numpy(dtype="float64", na_value=np.nan),
        valid_rows[TARGET].to_numpy(dtype="float64"),
        line,
    )


def _matrix(rows: pd.DataFrame, features: list[str]) -> xgb.DMatrix:
    return xgb.DMatrix(
        feature_matrix(rows, features),
        label=rows[TARGET].to_numpy(dtype="float64"),
        missing=np.nan,
        feature_names=features,
    )


def train_strikeout_model(
    train: pd.DataFrame,
    features: Sequence[str],
    *,
    seed: int = 42,
    params: Mapping[str, Any] | None = None,
    num_boost_round: int = DEFAULT_ROUNDS,
) -> TrainedModel:
    """Validate on the latest 20 % of starts (as the model will be used: on later games), then
    refit on every row so the saved booster has seen the most recent form.

    The dispersion and the calibration are fitted on the held-out predictions of the model that
    did not see those starts, and applied to the refit booster. That booster has seen 25 % more
    starts, so it is, if anything, slightly better than the one calibrated: the calibration errs
    toward caution, and the walk-forward figures in docs/ARCHITECTURE.md include this mismatch.

    Rows without a strikeout count teach nothing and are dropped; features keep their NaNs.
    """
    names = list(features)
    rows = train.loc[train[TARGET].notna()]
    dates = pd.to_datetime(rows["game_date"]).to_numpy()
    rows = rows.iloc[np.argsort(dates, kind="stable")]
    if len(rows) < 2:
        raise ValueError(f"need at least 2 starts with {TARGET} to train, got {len(rows)}")
    n_valid = max(1, round(len(rows) * VALIDATION_SHARE))
    fit_rows, valid_rows = rows.iloc[:-n_valid], rows.iloc[-n_valid:]

    booster_params = {**DEFAULT_PARAMS, "seed": seed, **(params or {})}
    holdout = xgb.train(booster_params, _matrix(fit_rows, names), num_boost_round)
    valid_pred = holdout.predict(_matrix(valid_rows, names))
    valid_actual = valid_rows[TARGET].to_numpy(dtype="float64")

    dispersion = fit_dispersion(valid_actual, valid_pred)

    final = xgb.train(booster_params, _matrix(rows, names), num_boost_round)
    return TrainedModel(
        booster=final,
        features=tuple(names),
        dispersion=dispersion,
        validation_mae=float(np.mean(np.abs(valid_actual - valid_pred))),
        training_rows=len(rows),
        trained_through=pd.Timestamp(dates.max()).date(),
        xgboost_version=xgb.__version__,
        calibration=holdout_calibration(valid_rows, valid_pred.astype("float64"), dispersion),
    )
