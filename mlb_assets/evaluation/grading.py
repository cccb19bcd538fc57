"""What happened to each prediction, and how each system did: pure and vectorised.

Probabilities are judged by Brier score and bets by return at the offered price, not hit rate
alone: against a real market a hit rate far above 60 % or an MAE under 1.55 over thousands of
starts usually means leakage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlb_assets.betting import OVER, UNDER, american_to_decimal_profit

WIN, LOSS, PUSH, NO_BET = "WIN", "LOSS", "PUSH", "NO_BET"


def grade(rows: pd.DataFrame) -> pd.DataFrame:
    """Adds result (WIN/LOSS/PUSH/NO_BET) and profit per unit staked at the offered price."""
    actual = rows["actual_strikeouts"].to_numpy(dtype="float64")
    line = rows["strikeouts_line"].to_numpy(dtype="float64")
    pick = rows["recommendation"].to_numpy(dtype=object)
    over, under = pick == OVER, pick == UNDER
    won = (over & (actual > line)) | (under & (actual < line))
    pushed = (over | under) & (actual == line)
    result = np.select([~(over | under), pushed, won], [NO_BET, PUSH, WIN], default=LOSS)
    price = np.where(over, rows["over_odds"], rows["under_odds"]).astype("float64")
    profit = np.select(
        [result == WIN, result == LOSS, result == PUSH],
        [american_to_decimal_profit(price), -1.0, 0.0],
        default=np.nan,
    )
    return rows.assign(result=result, profit=profit)


def accuracy_summary(graded: pd.DataFrame) -> pd.DataFrame:
    """Per system: MAE, the line's MAE, Brier of P(over), bets, hit rate, ROI, pick shares."""
    frame = graded.assign(
        abs_error=(graded["predicted_strikeouts"] - graded["actual_strikeouts"]).abs(),
        line_error=(graded["strikeouts_line"] - graded["actual_strikeouts"]).abs(),
        brier=(graded["p_over"] - (graded["actual_strikeouts"] > graded["strikeouts_line"])) ** 2,
        bet=graded["result"] != NO_BET,
        win=graded["result"] == WIN,
        decided=graded["result"].isin([WIN, LOSS]),
        **{
            f"{pick.lower()}_share": graded["recommendation"] == pick
            for pick in ("OVER", "UNDER", "PASS", "SKIP")
        },
    )
    summary = frame.groupby("system_id").agg(
        starts=("abs_error", "size"),
        mae=("abs_error", "mean"),
        line_mae=("line_error", "mean"),
        brier_over=("brier", "mean"),
        bets=("bet", "sum"),
        wins=("win", "sum"),
        decided=("decided", "sum"),
        profit=("profit", "sum"),
        over_share=("over_share", "mean"),
        under_share=("under_share", "mean"),
        pass_share=("pass_share", "mean"),
        skip_share=("skip_share", "mean"),
    )
    summary["hit_rate"] = summary["wins"] / summary["decided"].where(summary["decided"] > 0)
    summary["roi"] = summary["profit"] / summary["bets"].where(summary["bets"] > 0)
    columns = ["starts", "mae", "line_mae", "brier_over", "bets", "hit_rate", "roi"]
    columns += ["over_share", "under_share", "pass_share", "skip_share"]
    return summary[columns].reset_index()
