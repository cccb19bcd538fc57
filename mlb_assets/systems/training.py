"""Fitting a strikeout regressor and the negative-binomial spread its probabilities need."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from mlb_assets.betting import POISSON_DISPERSION
from mlb_assets.features.matrix import feature_matrix

TARGET = "strikeouts"
VALIDATION_SHARE = 0.2
MIN_DISPERSION = 1.0
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


def fit_dispersion(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Method of moments: E[(y - mu)^2] = E[mu] + E[mu^2] / r, solved for r.

    No excess variance over a Poisson means no finite r: the ceiling stands for "Poisson".
    """
    mu = np.clip(predicted, 0.0, None)
    excess = np.mean((actual - mu) ** 2) - np.mean(mu)
    if excess <= 0:
        return POISSON_DISPERSION
    return float(np.clip(np.mean(mu**2) / excess, MIN_DISPERSION, POISSON_DISPERSION))


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

    final = xgb.train(booster_params, _matrix(rows, names), num_boost_round)
    return TrainedModel(
        booster=final,
        features=tuple(names),
        dispersion=fit_dispersion(valid_actual, valid_pred),
        validation_mae=float(np.mean(np.abs(valid_actual - valid_pred))),
        training_rows=len(rows),
        trained_through=pd.Timestamp(dates.max()).date(),
        xgboost_version=xgb.__version__,
    )
