"""The sharp book's strikeout distribution: binomial over batters faced, spread fitted on a season.

Simulated strikeouts are binomial over batters faced, and batters faced vary from start to
start, so the counts are under-dispersed (variance about 0.87 x mean): a negative binomial,
whose variance cannot fall below its mean, misprices every line. The book prices K as a
binomial whose mean is its projection mu and whose variance is that of a binomial over a
random number of batters, Var(K) = mu (1 - q) + q^2 Var(BF) with q = mu / E[BF], taking
Var(BF) = ratio x E[BF] with the ratio fitted on a season of simulated starts (about 0.5).
That is exactly Binomial(E[BF] / (1 - ratio), q (1 - ratio)): more, less likely trials than
batters. The number of trials is real-valued (the regularised incomplete beta is the binomial
CDF for any n); this matches the exact mixture over whole numbers of batters within 0.001 in
probability, at a small fraction of its cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betainc


@dataclass(frozen=True)
class BatterSpread:
    """Start-to-start variance of batters faced per expected batter (below 1: a start's
    batters vary less than a Poisson count would)."""

    ratio: float

    @classmethod
    def fit(cls, expected_bf: np.ndarray, batters_faced: np.ndarray) -> BatterSpread:
        """Moment fit: squared residuals over expectations, summed across the season."""
        ratio = float(((batters_faced - expected_bf) ** 2).sum() / expected_bf.sum())
        if not 0.0 < ratio < 1.0:
            raise ValueError(f"batters faced spread {ratio:.2f} x mean is not under-dispersed")
        return cls(ratio=ratio)


@dataclass(frozen=True)
class StrikeoutDistribution:
    """The book's count distribution per row: Binomial(trials, rate) with real-valued trials."""

    trials: np.ndarray
    rate: np.ndarray

    @classmethod
    def priced(
        cls, projection: np.ndarray, expected_bf: np.ndarray, spread: BatterSpread
    ) -> StrikeoutDistribution:
        """Mean = projection; the spread of a binomial over the start's random batters faced."""
        trials = expected_bf / (1.0 - spread.ratio)
        return cls(trials=trials, rate=projection / trials)

    def cdf(self, k: np.ndarray) -> np.ndarray:
        """P(K <= k) for whole k."""
        inside = (k >= 0) & (k < self.trials)
        a = np.where(inside, self.trials - k, 1.0)
        b = np.where(inside, k + 1.0, 1.0)
        return np.where(inside, betainc(a, b, 1.0 - self.rate), np.where(k < 0, 0.0, 1.0))

    def median(self) -> np.ndarray:
        """Smallest whole m with P(K <= m) >= 1/2 (a binomial's median is its mean rounded
        down or up)."""
        below = np.floor(self.trials * self.rate)
        return below + (self.cdf(below) < 0.5)

    def even_half_line(self) -> np.ndarray:
        """The half point next to the median that splits the distribution most evenly."""
        median = self.median()
        over_below = 1.0 - self.cdf(median - 1.0)  # P(over median - 0.5)
        over_above = 1.0 - self.cdf(median)  # P(over median + 0.5)
        closer_below = np.abs(over_below - 0.5) < np.abs(over_above - 0.5)
        return np.where(closer_below, median - 0.5, median + 0.5)

    def over_under(self, line: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """P(K > line) and P(K < line); on a whole line the rest is the push."""
        return 1.0 - self.cdf(np.floor(line)), self.cdf(np.ceil(line) - 1.0)
