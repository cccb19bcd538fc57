"""How much of a system's input was really there, and what that costs in confidence."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mlb_assets.features.matrix import feature_matrix


def feature_coverage(frame: pd.DataFrame, features: Sequence[str]) -> pd.DataFrame:
    """Missing inputs are predicted around, not filled, so each row must say what it lacked."""
    if not features:
        raise ValueError("feature_coverage needs at least one feature name")
    present = ~np.isnan(feature_matrix(frame, features))
    names = np.asarray(features, dtype=object)
    pct = np.round(100.0 * present.sum(axis=1) / len(features), 1)
    missing = [names[~row].tolist() for row in present]
    return pd.DataFrame(
        {"feature_coverage_pct": pct, "missing_features": missing}, index=frame.index
    )


def coverage_penalty(pct: pd.Series) -> pd.Series:
    """Confidence points lost for thin inputs; unknown coverage costs most."""
    values = pct.to_numpy(dtype="float64")
    penalty = np.select(
        [values >= 90, values >= 80, values >= 70, values >= 60],
        [0.0, -5.0, -10.0, -15.0],
        default=-25.0,
    )
    return pd.Series(penalty, index=pct.index, name="coverage_penalty")
