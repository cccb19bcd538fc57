"""Grading maths on hand-made rows whose answers are known."""

import numpy as np
import pandas as pd
import pytest

from mlb_assets.evaluation.grading import grade
from mlb_assets.evaluation.performance import (
    calibration_noise,
    expected_calibration_error,
    performance_table,
    reliability_table,
)


def rows(**columns: list) -> pd.DataFrame:  # type: ignore[type-arg]
    n = len(next(iter(columns.values())))
    base = {
        "system_id": ["s"] * n,
        "strikeouts_line": [5.5] * n,
        "over_odds": [-110] * n,
        "under_odds": [-110] * n,
        "p_over": [0.5] * n,
        "p_under": [0.5] * n,
        "predicted_strikeouts": [5.5] * n,
    }
    return pd.DataFrame({**base, **columns})


def test_results_and_profit_at_the_offered_price() -> None:
    graded = grade(
        rows(
            recommendation=["OVER", "OVER", "UNDER", "UNDER", "PASS"],
            actual_strikeouts=[6, 5, 5, 6, 9],
            over_odds=[120, -110, -110, -110, -110],
            under_odds=[-140, -110, -125, -110, -110],
        )
    )
    assert list(graded["result"]) == ["WIN", "LOSS", "WIN", "LOSS", "NO_BET"]
    assert graded["profit"].iloc[0] == pytest.approx(1.2)
    assert graded["profit"].iloc[2] == pytest.approx(100 / 125)
    assert list(graded["profit"].iloc[[1, 3]]) == [-1.0, -1.0]
    assert np.isnan(graded["profit"].iloc[4])


def test_a_whole_line_hit_exactly_is_a_push_that_returns_the_stake() -> None:
    graded = grade(
        rows(recommendation=["OVER", "UNDER"], actual_strikeouts=[5, 5], strikeouts_line=[5.0, 5.0])
    )
    assert list(graded["result"]) == ["PUSH", "PUSH"]
    assert list(graded["profit"]) == [0.0, 0.0]


def test_the_shopped_price_is_the_one_paid() -> None:
    graded = grade(rows(recommendation=["OVER"], actual_strikeouts=[7], bet_odds=[105]))
    assert graded["profit"].iloc[0] == pytest.approx(1.05)


def test_closing_line_value_in_strikeouts_and_probability() -> None:
    graded = grade(
        rows(
            recommendation=["OVER", "UNDER", "OVER"],
            actual_strikeouts=[7, 3, 7],
            closing_line=[6.5, 6.5, 5.5],
            closing_over_odds=[-110, -110, -130],
            closing_under_odds=[-110, -110, 110],
        )
    )
    # The line rose a strikeout after the OVER: +1 for it, -1 for the UNDER.
    assert list(graded["clv_k"].iloc[:2]) == [1.0, -1.0]
    assert np.isnan(graded["clv_prob"].iloc[0])  # a moved line has no like-for-like price
    # Same line, the over got dearer (-110 -> -130): the OVER bettor beat the close.
    assert graded["clv_prob"].iloc[2] == pytest.approx(0.5427 - 0.5, abs=1e-3)
    assert graded["market_p_over"].iloc[2] == pytest.approx(0.5)


def test_calibrated_probabilities_have_only_chance_calibration_error() -> None:
    rng = np.random.default_rng(3)
    p = rng.uniform(0.2, 0.8, 20_000)
    actual = np.where(rng.random(p.size) < p, 7, 4)
    honest = rows(
        recommendation=["PASS"] * p.size,
        actual_strikeouts=list(actual),
        p_over=list(p),
        p_under=list(1 - p),
    )
    graded = grade(honest)
    assert expected_calibration_error(graded) < 2 * calibration_noise(graded) < 0.02
    table = reliability_table(graded)
    assert len(table) == 10 and table["predictions"].nunique() <= 2  # equal-count deciles

    overconfident = honest.assign(p_over=np.clip(1.6 * (p - 0.5) + 0.5, 0, 1))
    overconfident["p_under"] = 1 - overconfident["p_over"]
    assert expected_calibration_error(grade(overconfident)) > 0.05


def test_brier_skill_is_zero_when_the_model_is_the_market() -> None:
    rng = np.random.default_rng(4)
    p_market = rng.uniform(0.35, 0.65, 5000)
    over = np.round(-100 * p_market / (1 - p_market))  # American prices with no vig
    over = np.where(over > -100, 100 * (1 - p_market) / p_market, over)
    actual = np.where(rng.random(p_market.size) < p_market, 7, 4)
    from mlb_assets.betting import remove_vig

    market, _ = remove_vig(over, -over)
    frame = rows(
        recommendation=["PASS"] * p_market.size,
        actual_strikeouts=list(actual),
        over_odds=list(over),
        under_odds=list(-over),
        p_over=list(market),
        p_under=list(1 - market),
    )
    figures = performance_table(grade(frame)).iloc[0]
    assert figures["brier_skill"] == pytest.approx(0.0, abs=1e-9)
