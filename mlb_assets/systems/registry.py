"""Running any subset of the prediction systems over one shared, already-loaded frame."""

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from mlb_assets.features.matrix import feature_matrix
from mlb_assets.features.names import V1_6_ROLLING_FEATURES, V1_BASELINE_FEATURES
from mlb_assets.systems.ensemble import score_ensemble
from mlb_assets.systems.ids import ENSEMBLE_V1, SYSTEM_IDS, V1_6_ROLLING, V1_BASELINE
from mlb_assets.systems.models import (
    FALLBACK_DISPERSION,
    MODEL_LOAD_FAILED,
    LoadedModel,
    fallback_prediction,
    model_prediction,
)
from mlb_assets.systems.probabilities import MARKET_OVER, model_probabilities
from mlb_assets.systems.scoring import ScoringRules, rounded_prediction, score_system

MODEL_FEATURES: dict[str, tuple[str, ...]] = {
    V1_BASELINE: V1_BASELINE_FEATURES,
    V1_6_ROLLING: V1_6_ROLLING_FEATURES,
}


def _missing_model(system_id: str) -> LoadedModel:
    return LoadedModel(
        system_id=system_id,
        features=MODEL_FEATURES[system_id],
        booster=None,
        dispersion=FALLBACK_DISPERSION,
        model_version="none",
        load_error="no model supplied",
    )


def _run_model_system(
    frame: pd.DataFrame,
    model: LoadedModel,
    system_id: str,
    rules: ScoringRules,
    created_at: pd.Timestamp,
) -> pd.DataFrame:
    """A model failure is all-or-nothing for the system, so one reason covers every row."""
    features = MODEL_FEATURES[system_id]
    outcome = model_prediction(frame, model, features)
    if outcome.predicted is None:
        predicted = rounded_prediction(fallback_prediction(frame).to_numpy())
        dispersion, calibration = FALLBACK_DISPERSION, None
    else:
        predicted = rounded_prediction(outcome.predicted)
        dispersion, calibration = model.dispersion, model.calibration
    line, market = feature_matrix(frame, ["strikeouts_line", MARKET_OVER]).T
    return score_system(
        frame,
        predicted,
        system_id=system_id,
        model_version=model.model_version,
        features=features,
        probabilities=model_probabilities(predicted, line, dispersion, calibration, market),
        fallback_kind=np.full(len(frame), outcome.fallback_kind, dtype=object),
        fallback_reason=np.full(len(frame), outcome.fallback_reason, dtype=object),
        model_load_failures=np.full(
            len(frame), int(outcome.fallback_kind == MODEL_LOAD_FAILED), dtype="int64"
        ),
        rules=rules,
        created_at=created_at,
    )


def run_systems(
    frame: pd.DataFrame,
    models: Mapping[str, LoadedModel],
    systems: Iterable[str],
    rules: ScoringRules,
    ensemble_weights: tuple[float, float] = (0.3, 0.5),
    created_at: pd.Timestamp | None = None,
) -> dict[str, pd.DataFrame]:
    """One output frame per requested system, all from the same frame and the same timestamp.

    ensemble_v1 needs both model systems, so they are computed whenever it is requested, but
    only requested systems are returned.
    """
    requested = list(dict.fromkeys(systems))
    unknown = sorted(set(requested) - set(SYSTEM_IDS))
    if unknown:
        raise ValueError(f"unknown systems {unknown}; known: {list(SYSTEM_IDS)}")
    stamp = created_at if created_at is not None else pd.Timestamp.now(tz="UTC")
    needed = set(MODEL_FEATURES) if ENSEMBLE_V1 in requested else set(requested)
    loaded = {sid: models[sid] if sid in models else _missing_model(sid) for sid in MODEL_FEATURES}
    results = {
        sid: _run_model_system(frame, loaded[sid], sid, rules, stamp)
        for sid in MODEL_FEATURES
        if sid in needed
    }
    if ENSEMBLE_V1 in requested:
        v1, v1_6 = loaded[V1_BASELINE], loaded[V1_6_ROLLING]
        results[ENSEMBLE_V1] = score_ensemble(
            frame,
            results[V1_BASELINE],
            results[V1_6_ROLLING],
            weights=ensemble_weights,
            model_version=f"{ENSEMBLE_V1}({v1.model_version}+{v1_6.model_version})",
            rules=rules,
            created_at=stamp,
        )
    return {sid: results[sid] for sid in requested}
