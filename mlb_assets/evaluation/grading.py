"""What happened to each prediction: the result of its pick, profit at the price it was offered,
and how the market moved after it (closing-line value). Pure and vectorised.

A push (a whole line hit exactly) returns the stake: profit 0, neither a win nor a loss.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlb_assets.betting import OVER, UNDER, american_to_decimal_profit, remove_vig

WIN, LOSS, PUSH, NO_BET = "WIN", "LOSS", "PUSH", "NO_BET"


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    return frame[column].to_numpy(dtype="float64", na_value=np.nan)


def grade(rows: pd.DataFrame) -> pd.DataFrame:
    """Adds result, profit per unit staked, the vig-free market P(over) at bet time, and
    closing-line value in strikeouts and in vig-free probability of the side taken.

    `rows` are predictions with `actual_strikeouts` and, where known, the closing line and
    prices (`closing_line`, `closing_over_odds`, `closing_under_odds`).
    """
    actual = _floats(rows, "actual_strikeouts")
    line = _floats(rows, "strikeouts_line")
    pick = rows["recommendation"].to_numpy(dtype=object)
    over, under = pick == OVER, pick == UNDER
    bet = over | under
    pushed = bet & (actual == line)
    won = (over & (actual > line)) | (under & (actual < line))
    result = np.select([~bet, pushed, won], [NO_BET, PUSH, WIN], default=LOSS)

    offered = np.where(over, _floats(rows, "over_odds"), _floats(rows, "under_odds"))
    shopped = _floats(rows, "bet_odds")
    price = np.where(np.isnan(shopped), offered, shopped)
    profit = np.select(
        [result == WIN, result == LOSS, result == PUSH],
        [np.asarray(american_to_decimal_profit(price), dtype="float64"), -1.0, 0.0],
        default=np.nan,
    )

    market_over, market_under = remove_vig(_floats(rows, "over_odds"), _floats(rows, "under_odds"))
    close_over, close_under = remove_vig(
        _floats(rows, "closing_over_odds"), _floats(rows, "closing_under_odds")
    )
    closing_line = _floats(rows, "closing_line")
    side = np.where(over, 1.0, np.where(under, -1.0, np.nan))
    clv_k = side * (closing_line - line)
    same_line = closing_line == line
    side_then = np.where(over, market_over, market_under)
    side_at_close = np.where(over, close_over, close_under)
    clv_prob = np.where(bet & same_line, side_at_close - side_then, np.nan)
    return rows.assign(
        result=result,
        profit=profit,
        market_p_over=market_over,
        clv_k=np.where(bet, clv_k, np.nan),
        clv_prob=clv_prob,
    )
