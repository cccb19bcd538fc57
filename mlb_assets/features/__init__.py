"""Feature names per system, feature coverage and pitcher-key normalisation (pure code)."""

from mlb_assets.features.coverage import coverage_penalty, feature_coverage
from mlb_assets.features.matrix import feature_matrix
from mlb_assets.features.names import (
    ALL_FEATURES,
    V1_6_ROLLING_FEATURES,
    V1_BASELINE_FEATURES,
    normalize_pitcher_key,
)

__all__ = [
    "ALL_FEATURES",
    "V1_6_ROLLING_FEATURES",
    "V1_BASELINE_FEATURES",
    "coverage_penalty",
    "feature_coverage",
    "feature_matrix",
    "normalize_pitcher_key",
]
