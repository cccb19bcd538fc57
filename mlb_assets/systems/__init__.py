"""The prediction systems: pure, vectorised, free of Dagster and warehouses, so the daily
assets and the single-pitcher CLI run exactly the same code."""

from mlb_assets.systems.ensemble import normalized_weights, score_ensemble
from mlb_assets.systems.ids import ENSEMBLE_V1, SYSTEM_IDS, V1_6_ROLLING, V1_BASELINE
from mlb_assets.systems.models import FALLBACK_DISPERSION, LoadedModel, fallback_prediction
from mlb_assets.systems.registry import MODEL_FEATURES, run_systems
from mlb_assets.systems.scoring import OUTPUT_COLUMNS, ScoringRules
from mlb_assets.systems.training import TrainedModel, train_strikeout_model

__all__ = [
    "ENSEMBLE_V1",
    "FALLBACK_DISPERSION",
    "MODEL_FEATURES",
    "OUTPUT_COLUMNS",
    "SYSTEM_IDS",
    "V1_6_ROLLING",
    "V1_BASELINE",
    "LoadedModel",
    "ScoringRules",
    "TrainedModel",
    "fallback_prediction",
    "normalized_weights",
    "run_systems",
    "score_ensemble",
    "train_strikeout_model",
]
