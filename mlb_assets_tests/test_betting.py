"""Odds maths and the recommendation rule (docs/FEATURES.md)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mlb_assets.betting import (
    american_to_decimal_profit,
    american_to_implied,
    best_price,
    count_probabilities,
    expected_value,
    kelly_stake,
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
    p_over, p_push, p_under = count_probabilities(means, lines, dispersion)
    assert np.allclose(p_over + p_under, 1.0)
    assert np.array_equal(p_push, np.zeros(5))


def test_whole_number_lines_carry_the_push() -> None:
    r = 8.0
    p_over, p_push, p_under = count_probabilities(5.0, 5.0, r)
    assert p_push == pytest.approx(stats.nbinom.pmf(5, r, r / (r + 5.0)))
    assert p_over == pytest.approx(stats.nbinom.sf(5, r, r / (r + 5.0)))
    assert p_over + p_push + p_under == pytest.approx(1.0)
    _, poisson_push, _ = count_probabilities(np.array([4.0, 7.2]), np.array([4.0, 7.0]), 1e6)
    assert poisson_push == pytest.approx(stats.poisson.pmf([4, 7], [4.0, 7.2]))


def test_negative_binomial_has_the_requested_mean_and_variance() -> None:
    mean, r = 5.1, 6.0
    ks = np.arange(0, 200)
    _, _, cdf = count_probabilities(mean, ks + 0.5, r)  # P(K < k + 0.5) = P(K <= k)
    pmf = np.diff(cdf, prepend=0.0)
    assert np.sum(ks * pmf) == pytest.approx(mean, rel=1e-6)
    assert np.sum((ks - mean) ** 2 * pmf) == pytest.approx(mean + mean**2 / r, rel=1e-6)
    _, push, _ = count_probabilities(mean, ks.astype(float), r)  # whole lines: the pmf itself
    assert np.allclose(push, pmf)


def test_huge_dispersion_is_poisson_and_small_dispersion_fattens_tails() -> None:
    p_over_poisson, _, _ = count_probabilities(5.0, 8.5, 1e6)
    assert p_over_poisson == pytest.approx(stats.poisson.sf(8, 5.0))
    p_over_nb, _, _ = count_probabilities(5.0, 8.5, 3.0)
    assert p_over_nb > p_over_poisson


def test_missing_line_gives_nan_probabilities() -> None:
    p_over, p_push, p_under = count_probabilities(
        np.array([5.0, 5.0]), np.array([np.nan, 4.5]), 10.0
    )
    assert np.isnan([p_over[0], p_push[0], p_under[0]]).all()
    assert p_over[1] > 0.5 and p_push[1] == 0.0


def test_expected_value_sign_follows_the_break_even() -> None:
    odds = np.array([-110.0, -110.0, 150.0, 150.0, -200.0])
    p_win = np.array([0.55, 0.50, 0.45, 0.35, 0.70])
    ev = expected_value(p_win, 1.0 - p_win, odds)
    break_even = american_to_implied(odds)
    assert np.array_equal(ev > 0, p_win > break_even)
    assert expected_value(0.5238095238095238, 0.4761904761904762, -110) == pytest.approx(
        0.0, abs=1e-12
    )
    assert expected_value(0.6, 0.4, 150) == pytest.approx(0.6 * 1.5 - 0.4)


def test_a_push_returns_the_stake_worked_example() -> None:
    """Line 5.0, mean 5, -110, the fallback spread (negative binomial, dispersion 10):
    P(over) 0.3816, P(push) 0.1429, P(under) 0.4755. Over: 0.3816 x 100/110 - 0.4755 = -0.129;
    counting the push as a loss would say -0.271."""
    p_over, p_push, p_under = count_probabilities(5.0, 5.0, 10.0)
    assert (p_over, p_push, p_under) == pytest.approx((0.3816, 0.1429, 0.4755), abs=1e-4)
    assert expected_value(p_over, p_under, -110) == pytest.approx(-0.129, abs=5e-4)
    assert expected_value(p_over, 1.0 - p_over, -110) == pytest.approx(-0.271, abs=5e-4)
    assert expected_value(p_under, p_over, -110) == pytest.approx(0.0506, abs=5e-4)


def test_kelly_stake_examples() -> None:
    # Even money, 55 % to win: full Kelly stakes 10 %; a quarter of it 2.5 %.
    assert kelly_stake(0.55, 0.45, 100, fraction=1.0, max_stake=1.0) == pytest.approx(0.10)
    assert kelly_stake(0.55, 0.45, 100, fraction=0.25, max_stake=1.0) == pytest.approx(0.025)
    # -110, 56 %: (0.56 x 10/11 - 0.44) / (10/11) = 0.076; quarter 0.019; capped at 1 %.
    assert kelly_stake(0.56, 0.44, -110, fraction=0.25, max_stake=1.0) == pytest.approx(0.019)
    assert kelly_stake(0.56, 0.44, -110, fraction=0.25, max_stake=0.01) == pytest.approx(0.01)
    # A push: +150 with 40 % win, 45 % loss, 15 % push -> (0.6 - 0.45) / (1.5 x 0.85) = 0.1176.
    assert kelly_stake(0.40, 0.45, 150, fraction=1.0, max_stake=1.0) == pytest.approx(0.15 / 1.275)
    # No edge, or nothing known, stakes nothing.
    stakes = kelly_stake(
        np.array([0.50, np.nan, 0.60]),
        np.array([0.50, np.nan, 0.40]),
        np.array([-110.0, -110.0, np.nan]),
        fraction=0.25,
        max_stake=0.02,
    )
    assert stakes.tolist() == [0.0, 0.0, 0.0]


def test_best_price_shops_across_books() -> None:
    odds, books = best_price(
        np.array([-115.0, -115.0, -110.0, np.nan, -120.0]),
        np.array(["draftkings", "draftkings", "fanduel", None, "betmgm"], dtype=object),
        np.array([-105.0, np.nan, -110.0, 120.0, -125.0]),
        np.array(["caesars", None, "pointsbet", "fanduel", "caesars"], dtype=object),
    )
    assert odds.tolist() == [-105.0, -115.0, -110.0, 120.0, -120.0]
    assert books.tolist() == ["caesars", "draftkings", "pointsbet", "fanduel", "betmgm"]
    # +105 pays more than -105: higher American odds are always the better price.
    assert best_price(-105, "a", 105, "b")[1].item() == "b"


def _recommend(edge: object, confidence: object, has_line: object, value: object) -> list[str]:
    return recommend(
        edge, confidence, has_line, value, min_edge=0.5, min_confidence=60.0, min_ev=0.02
    ).tolist()


def test_recommendation_rule() -> None:
    line = 6.5
    predicted = np.array([7.0, 6.0, 7.0, 6.6, 7.0])
    confidence = np.array([70.0, 70.0, 50.0, 70.0, 70.0])
    has_line = np.array([True, True, True, True, False])
    recs = _recommend(predicted - line, confidence, has_line, 0.05)
    assert recs == ["OVER", "UNDER", "PASS", "PASS", "NO_LINE"]


def test_no_side_below_the_minimum_expected_value() -> None:
    edge = np.array([1.0, 1.0, 1.0, -1.0, -1.0, 1.0])
    value = np.array([0.02, 0.0199, -0.10, 0.03, 0.01, np.nan])
    assert _recommend(edge, 80.0, True, value) == ["OVER", "PASS", "PASS", "UNDER", "PASS", "PASS"]


def test_recommendation_never_bets_on_unknown_confidence_or_edge() -> None:
    recs = _recommend(np.array([1.0, np.nan]), np.array([np.nan, 90.0]), True, 0.1)
    assert recs == ["PASS", "PASS"]
