"""Odds maths and the recommendation rule (docs/FEATURES.md)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mlb_assets.betting import (
    american_to_decimal_profit,
    american_to_implied,
    expected_value,
    nb_over_under,
    recommend,
    remove_vig,
)


def test_implied_probability_and_profit() -> None:
    assert american_to_implied(-110) == pytest.approx(0.5238, abs=1e-4)
    assert american_to_implied(150) == pytest.approx(0.4)
    assert american_to_decimal_profit(-110) == pytest.approx(0.909, abs=1e-3)
    assert american_to_decimal_profit(150) == pytest.approx(1.5)


def test_malformed_or_missing_prices_give_nan() -> None:
    implied = american_to_implied(np.array([np.nan, 50.0, -99.0, 100.0]))
    assert np.isnan(implied[:3]).all()
    assert implied[3] == pytest.approx(0.5)


def test_series_keep_their_index() -> None:
    odds = pd.Series([-110.0, 150.0], index=["cole", "verlander"])
    implied = american_to_implied(odds)
    assert isinstance(implied, pd.Series)
    assert list(implied.index) == ["cole", "verlander"]


def test_remove_vig_is_proportional() -> None:
    assert remove_vig(-110, -110) == (pytest.approx(0.5), pytest.approx(0.5))
    p_over, p_under = remove_vig(np.array([-115.0, -150.0]), np.array([-105.0, 120.0]))
    assert np.allclose(p_over + p_under, 1.0)
    assert p_over[0] > 0.5
    raw_ratio = american_to_implied(-150) / american_to_implied(120)
    assert p_over[1] / p_under[1] == pytest.approx(raw_ratio)


@pytest.mark.parametrize("dispersion", [1.0, 4.0, 10.0, 1e6, np.inf])
def test_half_point_lines_have_no_push(dispersion: float) -> None:
    means = np.array([0.0, 2.3, 5.1, 7.8, 11.0])
    lines = np.array([2.5, 3.5, 5.5, 7.5, 9.5])
    p_over, p_under = nb_over_under(means, lines, dispersion)
    assert np.allclose(p_over + p_under, 1.0)


def test_whole_number_lines_leave_the_push_out() -> None:
    p_over, p_under = nb_over_under(5.0, 5.0, 8.0)
    r = 8.0
    push = stats.nbinom.pmf(5, r, r / (r + 5.0))
    assert p_over + p_under == pytest.approx(1.0 - push)


def test_negative_binomial_has_the_requested_mean_and_variance() -> None:
    mean, r = 5.1, 6.0
    ks = np.arange(0, 200)
    _, cdf = nb_over_under(mean, ks + 0.5, r)  # P(K < k + 0.5) = P(K <= k)
    pmf = np.diff(cdf, prepend=0.0)
    assert np.sum(ks * pmf) == pytest.approx(mean, rel=1e-6)
    assert np.sum((ks - mean) ** 2 * pmf) == pytest.approx(mean + mean**2 / r, rel=1e-6)


def test_huge_dispersion_is_poisson_and_small_dispersion_fattens_tails() -> None:
    p_over_poisson, _ = nb_over_under(5.0, 8.5, 1e6)
    assert p_over_poisson == pytest.approx(stats.poisson.sf(8, 5.0))
    p_over_nb, _ = nb_over_under(5.0, 8.5, 3.0)
    assert p_over_nb > p_over_poisson


def test_missing_line_gives_nan_probabilities() -> None:
    p_over, p_under = nb_over_under(np.array([5.0, 5.0]), np.array([np.nan, 4.5]), 10.0)
    assert np.isnan(p_over[0]) and np.isnan(p_under[0])
    assert p_over[1] > 0.5


def test_expected_value_sign_follows_the_break_even() -> None:
    odds = np.array([-110.0, -110.0, 150.0, 150.0, -200.0])
    p_win = np.array([0.55, 0.50, 0.45, 0.35, 0.70])
    ev = expected_value(p_win, odds)
    break_even = american_to_implied(odds)
    assert np.array_equal(ev > 0, p_win > break_even)
    assert expected_value(0.5238095238095238, -110) == pytest.approx(0.0, abs=1e-12)
    assert expected_value(0.6, 150) == pytest.approx(0.6 * 1.5 - 0.4)


def test_recommendation_rule() -> None:
    line = 6.5
    predicted = np.array([7.0, 6.0, 7.0, 6.6, 7.0])
    confidence = np.array([70.0, 70.0, 50.0, 70.0, 70.0])
    has_line = np.array([True, True, True, True, False])
    recs = recommend(predicted - line, confidence, has_line, min_edge=0.5, min_confidence=60.0)
    assert recs.tolist() == ["OVER", "UNDER", "PASS", "PASS", "NO_LINE"]


def test_recommendation_never_bets_on_unknown_confidence_or_edge() -> None:
    recs = recommend(np.array([1.0, np.nan]), np.array([np.nan, 90.0]), True, 0.5, 60.0)
    assert recs.tolist() == ["PASS", "PASS"]
