"""The single numeric view of a feature frame used by coverage, prediction and training."""

from collections.abc import Sequence

import numpy as np
import pandas as pd


def feature_matrix(frame: pd.DataFrame, features: Sequence[str]) -> np.ndarray:
    """Coverage and XGBoost must agree on what "missing" means, so both read this matrix.

    Absent columns, NULL, NaN and +-inf all become NaN; nothing is filled with a default.
    """
    values = frame.reindex(columns=list(features)).to_numpy(dtype="float64", na_value=np.nan)
    values[~np.isfinite(values)] = np.nan
    return values
