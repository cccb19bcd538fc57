"""Price-aware picks on prediction rows: value at the best price across books, the minimum
expected value, the push, and the fractional-Kelly stake."""

import numpy as np
import pytest

from mlb_assets.betting import expected_value, kelly_stake
from mlb_assets.systems import OUTPUT_COLUMNS, ScoringRules
from mlb_assets_tests.systems.test_systems import scored, starters

RULES = ScoringRules(min_edge=0.5, min_confidence=60.0, min_ev=0.02)


def test_the_pick_takes_the_best_price_and_names_its_book() -> None:
    frame = starters(
        3,
        bookmaker="draftkings",
        over_odds=-115.0,
        under_odds=-105.0,
        best_over_odds=[-102.0, -115.0, np.nan],
        best_over_book=["caesars", "draftkings", None],
        best_under_odds=[100.0, 100.0, np.nan],
        best_under_book=["fanduel", "fanduel", None],
    )
    out = scored(frame, [7.6, 5.0, 7.6], rules=RULES)
    assert out["bet_book"].tolist() == ["caesars", "fanduel", "draftkings"]
    assert out["bet_odds"].tolist() == [-102.0, 100.0, -115.0]
    over = out.loc[0]
    assert over["expected_value"] == pytest.approx(
        expected_value(over["p_over"], over["p_under"], -102.0)
    )
    under = out.loc[1]
    assert under["expected_value"] == pytest.approx(
        expected_value(under["p_under"], under["p_over"], 100.0)
    )
    # The selected book's prices stay on the row as they were offered.
    assert out["over_odds"].tolist() == [-115.0] * 3


def test_no_over_or_under_below_the_minimum_expected_value() -> None:
    """Edges from +-0.5 to +-1.2 at prices from -160 to +130: every OVER/UNDER clears MLB_MIN_EV,
    and every row the EV rule alone turned down is a PASS."""
    rng = np.random.default_rng(5)
    n = 400
    frame = starters(n, over_odds=rng.integers(-160, 130, n).astype(float))
    frame["over_odds"] = frame["over_odds"].where(frame["over_odds"].abs() >= 100, -110.0)
    frame["under_odds"] = -frame["over_odds"] - 10.0
    frame["under_odds"] = frame["under_odds"].where(frame["under_odds"].abs() >= 100, 100.0)
    predicted = 6.5 + rng.choice([-1, 1], n) * rng.uniform(0.5, 1.2, n)
    out = scored(frame, list(predicted), rules=RULES)
    picks = out[out["recommendation"].isin(["OVER", "UNDER"])]
    turned_down = out[(out["recommendation"] == "PASS") & (out["edge"].abs() >= 0.5)]
    assert len(picks) > 50 and len(turned_down) > 50
    assert (picks["expected_value"] >= 0.02).all()
    assert (turned_down["expected_value"] < 0.02).all()
    unpriced = scored(frame, list(predicted), rules=ScoringRules(min_ev=-1.0))
    assert unpriced["recommendation"].isin(["OVER", "UNDER"]).sum() > len(picks)


def test_a_push_is_no_loss_in_the_pick() -> None:
    """Line 6.0 (whole): P(push) is on the row and the value counts it as the stake returned."""
    out = scored(starters(strikeouts_line=6.0), [7.0], rules=RULES).iloc[0]
    assert out["p_push"] > 0.1
    assert out["p_over"] + out["p_push"] + out["p_under"] == pytest.approx(1.0)
    assert out["expected_value"] == pytest.approx(out["p_over"] * 100 / 110 - out["p_under"])


def test_the_stake_is_fractional_kelly_capped() -> None:
    frame = starters(3, over_odds=105.0, under_odds=-125.0)
    rules = ScoringRules(min_ev=0.0, kelly_fraction=0.25, max_stake_pct=2.0)
    out = scored(frame, [7.1, 8.5, 6.6], rules=rules)
    assert out["recommendation"].tolist() == ["OVER", "OVER", "PASS"]
    first = out.loc[0]
    expected = 100 * kelly_stake(
        first["p_over"], first["p_under"], 105.0, fraction=0.25, max_stake=1.0
    )
    assert 0 < expected < 2.0
    assert first["stake_pct"] == pytest.approx(expected, abs=0.005)
    assert out.loc[1, "stake_pct"] == 2.0  # capped at MLB_MAX_STAKE_PCT
    assert out.loc[2, "stake_pct"] == 0.0  # no pick, no stake


def test_rows_carry_the_new_columns() -> None:
    for column in ("p_push", "p_over_raw", "p_under_raw", "bet_book", "bet_odds", "stake_pct"):
        assert column in OUTPUT_COLUMNS
    out = scored(starters(2, strikeouts_line=[np.nan, 6.5]), [7.0, 7.0], rules=RULES)
    no_line = out.loc[0]
    assert np.isnan(no_line["p_push"]) and np.isnan(no_line["bet_odds"])
    assert no_line["bet_book"] is None and no_line["stake_pct"] == 0.0
