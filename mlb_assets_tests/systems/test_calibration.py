"""The walk-forward calibration: a fitted blend of the model's P(over) with the market's."""

import numpy as np
import pandas as pd
import pytest
from scipy import special

from mlb_assets.evaluation.performance import expected_calibration_error
from mlb_assets.systems.calibration import Calibration, conditional_over, fit_calibration
from mlb_assets.systems.probabilities import model_probabilities


def overconfident_starts(n: int, seed: int) -> dict[str, np.ndarray]:
    """Starts on half-point lines whose true P(over) the market knows roughly and the model
    exaggerates: its log-odds are twice the truth's plus noise, as a model whose disagreement
    with the line is only half real."""
    rng = np.random.default_rng(seed)
    true_logit = rng.normal(0.0, 0.5, n)
    over = rng.random(n) < special.expit(true_logit)
    line = np.full(n, 5.5)
    return {
        "q_model": special.expit(2.0 * true_logit + rng.normal(0.0, 0.3, n)),
        "q_market": special.expit(true_logit + rng.normal(0.0, 0.5, n)),
        "actual": np.where(over, 6.0, 5.0),
        "line": line,
        "over": over.astype(float),
    }


def ece(p_over: np.ndarray, starts: dict[str, np.ndarray]) -> float:
    """The graded figure system_performance reports, on half-point lines (no push)."""
    graded = pd.DataFrame(
        {
            "p_over": p_over,
            "p_under": 1.0 - p_over,
            "strikeouts_line": starts["line"],
            "actual_strikeouts": starts["actual"],
        }
    )
    return expected_calibration_error(graded)


def test_calibration_reduces_the_error_on_later_starts() -> None:
    fit, later = overconfident_starts(3000, seed=1), overconfident_starts(3000, seed=2)
    calibration = fit_calibration(fit["q_model"], fit["q_market"], fit["actual"], fit["line"])
    raw = ece(later["q_model"], later)
    calibrated = ece(calibration.apply(later["q_model"], later["q_market"]), later)
    assert raw > 0.06
    assert calibrated < 0.03
    assert calibration.rows == 3000
    assert 0.1 < calibration.model_weight < 0.9  # the model's log-odds are shrunk ...
    assert calibration.market_weight > 0.2  # ... toward the market's


def test_pushes_and_unknown_rows_are_left_out_of_the_fit() -> None:
    starts = overconfident_starts(400, seed=3)
    starts["actual"][:50] = 5.5  # not possible on a half line; stands for a push
    starts["q_market"][50:80] = np.nan
    calibration = fit_calibration(
        starts["q_model"], starts["q_market"], starts["actual"], starts["line"]
    )
    assert calibration.rows == 320


def test_a_tiny_sample_stays_near_the_raw_model() -> None:
    starts = overconfident_starts(6, seed=4)
    calibration = fit_calibration(
        starts["q_model"], starts["q_market"], starts["actual"], starts["line"]
    )
    assert calibration.model_weight == pytest.approx(1.0, abs=0.6)
    assert calibration.rows == 6


@pytest.mark.parametrize(
    "values",
    [
        {"intercept": 0.1, "model_weight": float("nan"), "market_weight": 0.5, "rows": 9},
        {"intercept": 0.1, "model_weight": -0.5, "market_weight": 0.5, "rows": 9},
        {"intercept": 9.0, "model_weight": 0.5, "market_weight": 0.5, "rows": 9},
        {"intercept": 0.1, "model_weight": "0.5", "market_weight": 0.5, "rows": 9},
        {"intercept": 0.1, "model_weight": 0.5, "rows": 9},
        [0.1, 0.5, 0.5],
    ],
)
def test_a_corrupt_calibration_is_refused(values: object) -> None:
    with pytest.raises(ValueError, match="calibration"):
        Calibration.from_dict(values)  # type: ignore[arg-type]


def test_calibration_round_trips() -> None:
    calibration = Calibration(0.1, 0.45, 0.8, 1200)
    assert Calibration.from_dict(calibration.to_dict()) == calibration


def test_calibrated_probabilities_keep_the_push_and_sum_to_one() -> None:
    calibration = Calibration(0.0, 0.5, 0.5, 1000)
    predicted = np.array([7.5, 7.5, 3.0, 6.0])
    line = np.array([6.0, 6.5, 4.5, np.nan])
    market = np.array([0.5, 0.5, 0.55, np.nan])
    probabilities = model_probabilities(predicted, line, 10.0, calibration, market)
    raw = model_probabilities(predicted, line, 10.0, None, market)
    total = probabilities.p_over + probabilities.p_push + probabilities.p_under
    assert np.allclose(total[:3], 1.0) and np.isnan(total[3])
    assert probabilities.p_push[0] > 0.1 and probabilities.p_push[1] == 0.0
    assert np.array_equal(probabilities.p_push, raw.p_push, equal_nan=True)
    assert np.array_equal(probabilities.p_over_raw, raw.p_over, equal_nan=True)
    # Halfway to a 50/50 market in log-odds: pulled toward 0.5 from either side.
    q_raw = conditional_over(raw.p_over, raw.p_under)
    q = conditional_over(probabilities.p_over, probabilities.p_under)
    assert q[0] == pytest.approx(special.expit(0.5 * special.logit(q_raw[0])))
    assert 0.5 < q[1] < q_raw[1] and q_raw[2] < q[2] < 0.5 + 0.05
