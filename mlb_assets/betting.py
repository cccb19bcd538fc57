"""Odds, probabilities and the recommendation rule: pure and vectorised, so the daily batch and
the single-pitcher CLI price a prop identically."""

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

OVER = "OVER"
UNDER = "UNDER"
PASS = "PASS"
NO_LINE = "NO_LINE"
SKIP = "SKIP"

# At or above this dispersion the negative binomial is indistinguishable from a Poisson; training
# clamps its fitted dispersion to this ceiling when held-out residuals show no overdispersion.
POISSON_DISPERSION = 1e6


def _shaped(values: np.ndarray, *inputs: Any) -> Any:
    """Hand results back in the caller's shape: a Series keeps its index, scalars stay scalars."""
    for item in inputs:
        if isinstance(item, pd.Series):
            return pd.Series(values, index=item.index)
    if all(np.ndim(item) == 0 for item in inputs):
        return float(values)
    return values


def _floats(values: Any) -> np.ndarray:
    return np.asarray(values, dtype="float64")


def american_to_implied(odds: Any) -> Any:
    """Break-even probability of a price; prices inside (-100, 100) are malformed -> NaN."""
    o = _floats(odds)
    with np.errstate(invalid="ignore", divide="ignore"):
        implied = np.where(o < 0, -o / (100.0 - o), 100.0 / (o + 100.0))
    return _shaped(np.where(np.abs(o) >= 100, implied, np.nan), odds)


def remove_vig(over_odds: Any, under_odds: Any) -> tuple[Any, Any]:
    """Implied probabilities sum past 1 by the book's margin; scale it out proportionally."""
    p_over = _floats(american_to_implied(_floats(over_odds)))
    p_under = _floats(american_to_implied(_floats(under_odds)))
    total = p_over + p_under
    return (
        _shaped(p_over / total, over_odds, under_odds),
        _shaped(p_under / total, over_odds, under_odds),
    )


def american_to_decimal_profit(odds: Any) -> Any:
    """Profit on a one-unit winning stake, the quantity expected value is built from."""
    o = _floats(odds)
    with np.errstate(invalid="ignore", divide="ignore"):
        profit = np.where(o < 0, 100.0 / -o, o / 100.0)
    return _shaped(np.where(np.abs(o) >= 100, profit, np.nan), odds)


def nb_over_under(mean: Any, line: Any, dispersion: Any) -> tuple[Any, Any]:
    """Strikeouts are overdispersed counts: P(K > line) and P(K < line) under a negative binomial.

    Variance = mean + mean^2 / dispersion. Whole-number lines leave the push out of both sides.
    """
    mu, ln, r = np.broadcast_arrays(_floats(mean), _floats(line), _floats(dispersion))
    # A regressor can dip below zero; a count distribution cannot.
    mu = np.clip(mu, 0.0, None)
    poisson = r >= POISSON_DISPERSION
    r_nb = np.where(poisson, 1.0, r)
    p_success = r_nb / (r_nb + mu)
    over_at = np.floor(ln)
    under_at = np.ceil(ln) - 1.0
    p_over = np.where(
        poisson, stats.poisson.sf(over_at, mu), stats.nbinom.sf(over_at, r_nb, p_success)
    )
    p_under = np.where(
        poisson, stats.poisson.cdf(under_at, mu), stats.nbinom.cdf(under_at, r_nb, p_success)
    )
    return _shaped(p_over, mean, line, dispersion), _shaped(p_under, mean, line, dispersion)


def expected_value(p_win: Any, odds: Any) -> Any:
    """Units won per unit staked on average: positive only when p_win beats the break-even."""
    p = _floats(p_win)
    return _shaped(p * _floats(american_to_decimal_profit(_floats(odds))) - (1.0 - p), p_win, odds)


def recommend(
    edge: Any,
    confidence: Any,
    has_line: Any,
    min_edge: float,
    min_confidence: float,
) -> np.ndarray:
    """The recommendation rule, in its precedence order; NaN confidence or edge never bets."""
    e, c = _floats(edge), _floats(confidence)
    line = np.asarray(has_line, dtype=bool)
    e, c, line = np.broadcast_arrays(e, c, line)
    return np.select(
        [~line, ~(c >= min_confidence), e >= min_edge, e <= -min_edge],
        [NO_LINE, PASS, OVER, UNDER],
        default=PASS,
    ).astype(object)
