"""Odds, probabilities and the recommendation rule: pure and vectorised, so the daily batch and
the single-pitcher CLI price a prop identically."""

from typing import Any

import numpy as np
import pandas as pd

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


def count_probabilities(mean: Any, line: Any, dispersion: Any) -> tuple[Any, Any, Any]:
    """P(K > line), P(K = line) and P(K < line) for strikeouts as negative-binomial counts.

    Variance = mean + mean^2 / dispersion (a Poisson at POISSON_DISPERSION). Only a whole-number
    line can push; the three always sum to 1, so a push is never silently counted as a loss.
    """
    # Imported here, not at the top: scipy.stats costs about 2 s, and loading the code
    # location (every Dagster process) imports this module without computing a distribution.
    from scipy import stats

    mu, ln, r = np.broadcast_arrays(_floats(mean), _floats(line), _floats(dispersion))
    # A regressor can dip below zero; a count distribution cannot.
    mu = np.clip(mu, 0.0, None)
    poisson = r >= POISSON_DISPERSION
    r_nb = np.where(poisson, 1.0, r)
    p_success = r_nb / (r_nb + mu)
    whole = ln == np.floor(ln)

    p_under = np.where(
        poisson,
        stats.poisson.cdf(np.ceil(ln) - 1.0, mu),
        stats.nbinom.cdf(np.ceil(ln) - 1.0, r_nb, p_success),
    )
    p_over = np.where(
        poisson,
        stats.poisson.sf(np.floor(ln), mu),
        stats.nbinom.sf(np.floor(ln), r_nb, p_success),
    )
    p_push = np.where(whole, 1.0 - p_over - p_under, 0.0)
    p_push = np.where(np.isnan(ln), np.nan, np.clip(p_push, 0.0, 1.0))
    return (
        _shaped(p_over, mean, line, dispersion),
        _shaped(p_push, mean, line, dispersion),
        _shaped(p_under, mean, line, dispersion),
    )


def expected_value(p_win: Any, p_lose: Any, odds: Any) -> Any:
    """Units won per unit staked on average. A push returns the stake, so it neither wins nor
    loses: p_win + p_lose is below 1 on a whole-number line."""
    p, q = _floats(p_win), _floats(p_lose)
    profit = _floats(american_to_decimal_profit(_floats(odds)))
    return _shaped(p * profit - q, p_win, p_lose, odds)


def best_price(
    offered_odds: Any, offered_book: Any, shopped_odds: Any, shopped_book: Any
) -> tuple[np.ndarray, np.ndarray]:
    """The better of the selected book's price and the best price found across books for the
    same line (higher American odds always pay more); without a shopped price, the offered."""
    offered = _floats(offered_odds)
    shopped = _floats(shopped_odds)
    use_shopped = ~np.isnan(shopped) & ~(shopped < offered)
    books = np.where(
        use_shopped,
        np.asarray(shopped_book, dtype=object),
        np.asarray(offered_book, dtype=object),
    )
    books = np.where(np.isnan(np.where(use_shopped, shopped, offered)), None, books)
    return np.where(use_shopped, shopped, offered), books


def kelly_stake(
    p_win: Any, p_lose: Any, odds: Any, *, fraction: float, max_stake: float
) -> np.ndarray:
    """Share of bankroll to stake: `fraction` of the Kelly stake, capped at `max_stake`.

    Kelly maximises expected log bankroll; with a push (stake back) it is
    (p_win x profit - p_lose) / (profit x (p_win + p_lose)). A fraction of it is the usual
    guard against probabilities that are less certain than they look. No edge, no stake.
    """
    p, q = _floats(p_win), _floats(p_lose)
    profit = _floats(american_to_decimal_profit(_floats(odds)))
    with np.errstate(invalid="ignore", divide="ignore"):
        full = (p * profit - q) / (profit * (p + q))
    stake = np.clip(fraction * full, 0.0, max_stake)
    return np.where(np.isnan(stake), 0.0, stake)


def recommend(
    edge: Any,
    confidence: Any,
    has_line: Any,
    value: Any,
    *,
    min_edge: float,
    min_confidence: float,
    min_ev: float,
) -> np.ndarray:
    """The recommendation rule, in its precedence order: a side needs the edge AND expected
    value at its price of at least min_ev. NaN confidence, edge or value never bets."""
    e, c, v = _floats(edge), _floats(confidence), _floats(value)
    line = np.asarray(has_line, dtype=bool)
    e, c, v, line = np.broadcast_arrays(e, c, v, line)
    priced = v >= min_ev
    return np.select(
        [~line, ~(c >= min_confidence), (e >= min_edge) & priced, (e <= -min_edge) & priced],
        [NO_LINE, PASS, OVER, UNDER],
        default=PASS,
    ).astype(object)
