"""Base confidence from how much recent history a pitcher has and how steady it is."""

import numpy as np
import pandas as pd

from mlb_assets.features.matrix import feature_matrix

BASE_CONFIDENCE = 70.0


def base_confidence(frame: pd.DataFrame) -> pd.Series:
    """Few or erratic recent starts make any projection shakier.

    Unknown history counts as none (-10); an unknown k_std_last_10 adjusts nothing.
    """
    games, k_std = feature_matrix(frame, ["rolling_stats_games", "k_std_last_10"]).T
    games = np.nan_to_num(games, nan=0.0)
    history = np.select([games >= 10, games >= 5, games >= 3], [10.0, 5.0, 0.0], default=-10.0)
    steadiness = np.select([k_std < 2, k_std < 3, k_std > 4], [5.0, 2.0, -5.0], default=0.0)
    return pd.Series(BASE_CONFIDENCE + history + steadiness, index=frame.index)


def clamp_confidence(values: np.ndarray) -> np.ndarray:
    """Confidence is a 0..100 score however the multipliers stack."""
    return np.clip(values, 0.0, 100.0)
