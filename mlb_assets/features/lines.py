"""The line-relative features, in ONE definition for the daily slice and the single prediction.

The slice query brings each starter's selected line and prices; everything derived from them
(the vig-free probability, the distance of recent form and of a simple projection from the
line) is computed here, so a line typed on the command line gets exactly the same features.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlb_assets.betting import remove_vig

PRICE_COLUMNS = ("over_odds", "under_odds")


def vig_free(frame: pd.DataFrame) -> pd.DataFrame:
    """over/under implied probabilities with the book's margin scaled out."""
    over, under = remove_vig(
        frame["over_odds"].to_numpy(dtype="float64", na_value=np.nan),
        frame["under_odds"].to_numpy(dtype="float64", na_value=np.nan),
    )
    return frame.assign(over_implied_prob=over, under_implied_prob=under)


def with_line_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds strikeouts_line's four companions; no line posted leaves all four NULL."""
    line = frame["strikeouts_line"].astype("float64")
    k_avg_5 = frame["k_avg_last_5"].astype("float64")
    projection = (
        frame["season_k_per_9"].astype("float64") / 9 * frame["ip_avg_last_5"].astype("float64")
    )
    over, _ = remove_vig(
        frame["over_odds"].to_numpy(dtype="float64", na_value=np.nan),
        frame["under_odds"].to_numpy(dtype="float64", na_value=np.nan),
    )
    return frame.assign(
        line_vs_k_avg_last_5=k_avg_5 - line,
        projected_k_vs_line=projection - line,
        over_implied_prob=np.where(line.isna(), np.nan, over),
    )
