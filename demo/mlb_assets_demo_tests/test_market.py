"""The demo book is sharp: blind bets lose the hold, its line is nearly as good as the truth,
its prices are calibrated, and it learns between the opening and the closing snapshot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlb_assets.betting import american_to_decimal_profit, remove_vig
from mlb_assets_demo.generator import BALLPARKS, PROPS, SCHEDULE
from mlb_assets_demo.market import BatterSpread, StrikeoutDistribution
from mlb_assets_demo.truth import true_expectations

KEY = ["game_id", "pitcher_lookup", "bookmaker"]
PRICES = ["line", "over_price", "under_price"]


@pytest.fixture(scope="module")
def truth(tables: dict[str, pd.DataFrame], starts: pd.DataFrame) -> pd.DataFrame:
    """Every start with the mean batters faced and strikeouts the simulation drew it from."""
    expected = true_expectations(starts, tables[BALLPARKS]).add_prefix("expected_")
    return starts.join(expected)


@pytest.fixture(scope="module")
def pregame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Snapshots taken before first pitch, in time order."""
    props, schedule = tables[PROPS], tables[SCHEDULE]
    first_pitch = props["game_id"].map(schedule.set_index("game_id")["game_start_time"])
    return props[props["snapshot_time"] < first_pitch].sort_values("snapshot_time", kind="stable")


@pytest.fixture(scope="module")
def settled(pregame: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Each book's closing (last pre-game) snapshot of every started pitcher-day, with its
    opening line and prices (suffix _open), the strikeouts recorded and the true mean."""
    opening = pregame.drop_duplicates(KEY, keep="first")[KEY + PRICES]
    closing = pregame.drop_duplicates(KEY, keep="last")
    both = closing.merge(opening, on=KEY, suffixes=("", "_open"))
    outcome = truth.set_index(["game_id", "pitcher_lookup"])[["strikeouts", "expected_strikeouts"]]
    return both.join(outcome, on=["game_id", "pitcher_lookup"], how="inner")


def _profit(strikeouts: pd.Series, line: pd.Series, price: pd.Series, over: bool) -> np.ndarray:
    """Profit per unit staked on one side at American odds; a push returns the stake."""
    won = strikeouts > line if over else strikeouts < line
    pushed = strikeouts == line
    return np.where(won, american_to_decimal_profit(price), np.where(pushed, 0.0, -1.0))


def test_blind_over_and_blind_under_each_lose_money(settled: pd.DataFrame) -> None:
    for year, bets in settled.groupby(pd.to_datetime(settled["game_date"]).dt.year):
        k = bets["strikeouts"]
        over = _profit(k, bets["line"], bets["over_price"], over=True).mean()
        under = _profit(k, bets["line"], bets["under_price"], over=False).mean()
        assert over < -0.02 and under < -0.02, (year, over, under)


def test_the_truth_is_the_mean_the_strikeouts_are_drawn_from(truth: pd.DataFrame) -> None:
    """Month by month, including the short early-season starts."""
    error = truth["strikeouts"] - truth["expected_strikeouts"]
    month = pd.to_datetime(truth["game_date"]).dt.month.clip(lower=4)  # March with April
    by_month = error.groupby(month).mean()
    assert by_month.abs().max() < 0.15
    assert abs(error.mean()) < 0.05


def test_closing_line_is_nearly_as_accurate_as_the_truth(settled: pd.DataFrame) -> None:
    """The line misses by little more than the irreducible error of the true mean."""
    k = settled["strikeouts"]
    truth_mae = (k - settled["expected_strikeouts"]).abs().mean()
    line_mae = (k - settled["line"]).abs().mean()
    assert abs(line_mae - truth_mae) < 0.1, (line_mae, truth_mae)


def test_vig_free_over_probability_is_calibrated(settled: pd.DataFrame) -> None:
    p_over, _ = remove_vig(settled["over_price"], settled["under_price"])
    decided = settled["strikeouts"] != settled["line"]
    over = (settled["strikeouts"] > settled["line"])[decided]
    fair = pd.Series(np.asarray(p_over), index=settled.index)[decided]
    by_quintile = (
        pd.DataFrame({"fair": fair, "over": over}).groupby(pd.qcut(fair, 5), observed=True).mean()
    )
    gap = (by_quintile["fair"] - by_quintile["over"]).abs()
    assert gap.max() < 0.035, by_quintile
    assert abs(fair.mean() - over.mean()) < 0.015


def test_the_book_moves_its_line_rather_than_quote_long_odds(pregame: pd.DataFrame) -> None:
    p_over, _ = remove_vig(pregame["over_price"], pregame["under_price"])
    p_over = np.asarray(p_over)
    assert ((p_over > 0.15) & (p_over < 0.85)).all()
    assert ((p_over > 0.2) & (p_over < 0.8)).mean() > 0.99


def test_the_book_distribution_fits_the_simulated_counts(truth: pd.DataFrame) -> None:
    """Spread fitted on 2018, priced at the truth of 2019: calibrated at every count near the
    median, and as under-dispersed as the simulated strikeouts (no negative binomial would be)."""
    year = pd.to_datetime(truth["game_date"]).dt.year
    fit_on, priced = truth[year == 2018], truth[year == 2019]
    spread = BatterSpread.fit(
        fit_on["expected_batters_faced"].to_numpy(), fit_on["batters_faced"].to_numpy(float)
    )
    mean = priced["expected_strikeouts"].to_numpy()
    book = StrikeoutDistribution.priced(mean, priced["expected_batters_faced"].to_numpy(), spread)
    k = priced["strikeouts"].to_numpy()
    book_variance = book.trials * book.rate * (1.0 - book.rate)
    assert book_variance.mean() < mean.mean()
    assert np.var(k - mean) / book_variance.mean() == pytest.approx(1.0, abs=0.05)
    counts = [book.median() + offset for offset in (-2, -1, 0, 1)]
    predicted = np.concatenate([book.cdf(count) for count in counts])
    realised = np.concatenate([k <= count for count in counts])
    bins = pd.cut(predicted, np.linspace(0.0, 1.0, 11))
    table = pd.DataFrame({"predicted": predicted, "realised": realised}).groupby(
        bins, observed=True
    )
    calibration = table.mean()[table.size() >= 300]
    assert len(calibration) >= 5
    gap = (calibration["predicted"] - calibration["realised"]).abs()
    assert gap.max() < 0.03, calibration


def test_lines_move_toward_the_truth_before_first_pitch(settled: pd.DataFrame) -> None:
    """The closing line is closer to the true mean, so the opening line's movement pays."""
    truth = settled["expected_strikeouts"]
    closing_miss = (settled["line"] - truth).abs().mean()
    opening_miss = (settled["line_open"] - truth).abs().mean()
    assert closing_miss < opening_miss - 0.03, (closing_miss, opening_miss)
    moved = settled[settled["line"] != settled["line_open"]]
    assert 0.1 < len(moved) / len(settled) < 0.4
    up = moved["line"] > moved["line_open"]
    k, line = moved["strikeouts"], moved["line_open"]
    with_the_move = np.where(
        up,
        _profit(k, line, moved["over_price_open"], over=True),
        _profit(k, line, moved["under_price_open"], over=False),
    )
    assert with_the_move.mean() > 0.0  # closing-line value is there to be measured


def test_books_differ_slightly(settled: pd.DataFrame) -> None:
    """Mostly one closing line per pitcher-day, never a strikeout apart, and a point or so
    of difference in price between books on the same line."""
    day = ["game_id", "pitcher_lookup"]
    books = settled.groupby(day)["bookmaker"].transform("size")
    shared = settled[books > 1]
    lines = shared.groupby(day)["line"]
    assert (lines.max() - lines.min()).max() <= 1.0
    assert 0.7 < (lines.nunique() == 1).mean() < 1.0
    p_over, _ = remove_vig(shared["over_price"], shared["under_price"])
    fair = pd.Series(np.asarray(p_over), index=shared.index)
    spread = fair.groupby([shared[c] for c in [*day, "line"]]).std().dropna()
    assert 0.004 < spread.median() < 0.02


def test_whole_lines_push(settled: pd.DataFrame) -> None:
    whole = settled[settled["line"] % 1 == 0]
    assert 0.01 < len(whole) / len(settled) < 0.08
    assert (whole["strikeouts"] == whole["line"]).mean() > 0.1


def test_the_spread_fit_refuses_counts_it_cannot_price() -> None:
    """Batters faced that vary more than a Poisson count would leave no binomial to price."""
    expected = np.full(100, 20.0)
    assert BatterSpread.fit(expected, expected + np.tile([-3.0, 3.0], 50)).ratio == pytest.approx(
        0.45
    )
    with pytest.raises(ValueError, match="not under-dispersed"):
        BatterSpread.fit(expected, expected + np.tile([-5.0, 5.0], 50))
