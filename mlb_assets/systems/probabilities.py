"""Each row's over / push / under probabilities: the count distribution's raw figures and the
calibrated ones the recommendation uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mlb_assets.betting import count_probabilities
from mlb_assets.systems.calibration import Calibration, conditional_over

# The market's P(over | no push): the line's vig-free over price, a feature of every row (and
# of every training start), so training and prediction read the market one way.
MARKET_OVER = "over_implied_prob"


@dataclass(frozen=True)
class Probabilities:
    """Per row; the calibrated trio sums to 1 on every row with a line (NaN without one).

    The push probability is the count distribution's: calibration re-divides only what is left
    between over and under. p_over_raw / p_under_raw are the distribution's, uncalibrated.
    """

    p_over: np.ndarray
    p_push: np.ndarray
    p_under: np.ndarray
    p_over_raw: np.ndarray
    p_under_raw: np.ndarray


def model_probabilities(
    predicted: np.ndarray,
    line: np.ndarray,
    dispersion: float | np.ndarray,
    calibration: Calibration | None,
    market_over: np.ndarray,
) -> Probabilities:
    """The distribution around the prediction, then its calibration against the market.

    Without a calibration (the fallback projection is not the model the calibration was
    fitted for) the calibrated figures are the raw ones.
    """
    p_over, p_push, p_under = (
        np.asarray(v, dtype="float64") for v in count_probabilities(predicted, line, dispersion)
    )
    if calibration is None:
        return Probabilities(p_over, p_push, p_under, p_over, p_under)
    q = calibration.apply(conditional_over(p_over, p_under), market_over)
    decided = 1.0 - p_push
    return Probabilities(decided * q, p_push, decided * (1.0 - q), p_over, p_under)


def pooled(parts: Sequence[tuple[np.ndarray, Probabilities]]) -> Probabilities:
    """The mixture of several predictive distributions, row by row, with per-row weights that
    sum to 1: its mean is the weighted mean of the predictions, and a weighted mean of
    calibrated probabilities cannot score worse (Brier) than the weighted mean of their scores."""

    def mix(field: str) -> np.ndarray:
        total = np.zeros_like(np.asarray(parts[0][0], dtype="float64"))
        for weight, probabilities in parts:
            w = np.asarray(weight, dtype="float64")
            # A zero weight takes nothing, even from a NaN.
            total = total + np.where(w > 0, w * getattr(probabilities, field), 0.0)
        return total

    return Probabilities(*(mix(field) for field in Probabilities.__dataclass_fields__))
