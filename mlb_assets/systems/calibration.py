"""Walk-forward calibration of P(over): a fitted blend of the model with the vig-free market.

A strikeout model's disagreement with a sharp line is only partly real, so its raw
probabilities are too extreme. Each month's calibration is fitted on the held-out latest
starts of that month's own training window (so only on games before the month) by logistic
regression on the two log-odds:

    logit P(over) = intercept + model_weight x logit q_model + market_weight x logit q_market

where q is P(over | no push): the model's from its count distribution, the market's the
vig-free price. Three numbers fit stably on a thousand starts, never invert the model's
ordering (both weights are bounded at 0), and learn from the data how far to trust each.
A push carries no over/under information, so pushes are left out of the fit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import special

# Probabilities are kept this far from 0 and 1 so their log-odds stay finite.
_EDGE = 1e-6
# Bounds of a sane fit: the weights never invert or explode the inputs' log-odds.
INTERCEPT_BOUND = 2.0
WEIGHT_BOUNDS = (0.0, 3.0)
# A weak pull toward "the raw model" (weights 1 and 0): with a thousand held-out starts it is
# negligible; with a handful it keeps a noisy fit from swinging the probabilities.
PRIOR_STRENGTH = 1.0
IDENTITY = (0.0, 1.0, 0.0)


def logit(p: np.ndarray) -> np.ndarray:
    return special.logit(np.clip(np.asarray(p, dtype="float64"), _EDGE, 1.0 - _EDGE))


@dataclass(frozen=True)
class Calibration:
    """The fitted blend; rows is how many held-out starts it was fitted on."""

    intercept: float
    model_weight: float
    market_weight: float
    rows: int

    def apply(self, q_model: np.ndarray, q_market: np.ndarray) -> np.ndarray:
        """Calibrated P(over | no push); NaN where either input is unknown."""
        z = (
            self.intercept
            + self.model_weight * logit(q_model)
            + self.market_weight * logit(q_market)
        )
        unknown = np.isnan(np.asarray(q_model, dtype="float64")) | np.isnan(
            np.asarray(q_market, dtype="float64")
        )
        return np.where(unknown, np.nan, special.expit(z))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Calibration:
        """Raises ValueError (naming the field) for anything but sane finite numbers."""
        if not isinstance(values, Mapping):
            raise ValueError(f"calibration must be an object, got {values!r}")
        missing = [
            name
            for name in ("intercept", "model_weight", "market_weight", "rows")
            if name not in values
        ]
        if missing:
            raise ValueError(f"calibration lacks {missing}")
        calibration = cls(
            intercept=_number(values, "intercept"),
            model_weight=_number(values, "model_weight"),
            market_weight=_number(values, "market_weight"),
            rows=int(_number(values, "rows")),
        )
        problems = calibration_problems(calibration)
        if problems:
            raise ValueError("; ".join(problems))
        return calibration


def _number(values: Mapping[str, Any], name: str) -> float:
    value = values[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"calibration {name}={value!r} is not a number")
    return float(value)


def calibration_problems(calibration: Calibration) -> list[str]:
    """Why a calibration cannot be used (empty when it can)."""
    problems = []
    low, high = WEIGHT_BOUNDS
    for name, value, lo, hi in (
        ("intercept", calibration.intercept, -INTERCEPT_BOUND, INTERCEPT_BOUND),
        ("model_weight", calibration.model_weight, low, high),
        ("market_weight", calibration.market_weight, low, high),
    ):
        if not math.isfinite(value) or not lo <= value <= hi:
            problems.append(f"calibration {name}={value!r} outside [{lo:g}, {hi:g}]")
    if calibration.rows < 0:
        problems.append(f"calibration rows={calibration.rows} is negative")
    return problems


def conditional_over(p_over: np.ndarray, p_under: np.ndarray) -> np.ndarray:
    """P(over | no push): what a price quotes, since a push returns the stake."""
    p, q = np.asarray(p_over, dtype="float64"), np.asarray(p_under, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        return p / (p + q)


def fit_calibration(
    q_model: np.ndarray, q_market: np.ndarray, actual: np.ndarray, line: np.ndarray
) -> Calibration:
    """Maximum-likelihood blend on the starts that had a line and a market and did not push."""
    q_model, q_market = np.asarray(q_model, "float64"), np.asarray(q_market, "float64")
    actual, line = np.asarray(actual, "float64"), np.asarray(line, "float64")
    usable = ~(np.isnan(q_model) | np.isnan(q_market) | np.isnan(actual) | np.isnan(line))
    usable &= actual != line
    x = np.column_stack([np.ones(usable.sum()), logit(q_model[usable]), logit(q_market[usable])])
    over = (actual[usable] > line[usable]).astype("float64")
    prior = np.asarray(IDENTITY)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        p = special.expit(z)
        nll = float(np.sum(np.logaddexp(0.0, z) - over * z))
        penalty = PRIOR_STRENGTH * float(np.sum((w - prior) ** 2))
        return nll + penalty, x.T @ (p - over) + 2.0 * PRIOR_STRENGTH * (w - prior)

    # Imported here: scipy.optimize costs about 1.5 s and only training fits a calibration.
    from scipy import optimize

    result = optimize.minimize(
        loss,
        prior,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-INTERCEPT_BOUND, INTERCEPT_BOUND), WEIGHT_BOUNDS, WEIGHT_BOUNDS],
    )
    intercept, model_weight, market_weight = (float(v) for v in result.x)
    return Calibration(intercept, model_weight, market_weight, rows=int(usable.sum()))
