"""ensemble_v1: a weighted mean of the two model systems, trusted more when they agree."""

import numpy as np
import pandas as pd

from mlb_assets.betting import SKIP
from mlb_assets.features.names import ALL_FEATURES
from mlb_assets.systems.ids import ENSEMBLE_V1, V1_6_ROLLING, V1_BASELINE
from mlb_assets.systems.models import (
    COMPONENTS_UNUSABLE,
    FALLBACK_DISPERSION,
    fallback_prediction,
)
from mlb_assets.systems.scoring import ConfidenceAdjustment, ScoringRules, score_system

SINGLE_COMPONENT_MULTIPLIER = 0.8


def normalized_weights(weights: tuple[float, float]) -> tuple[float, float]:
    """The configured weights (0.3/0.5 by default) sum below 1; un-normalised they would shrink
    every prediction (6 and 7 -> 5.3), so they are always scaled to sum to 1."""
    first, second = weights
    if first < 0 or second < 0 or first + second <= 0:
        raise ValueError(
            f"ensemble weights must be non-negative with a positive sum, got {weights}"
        )
    total = first + second
    return first / total, second / total


def agreement(diff: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Confidence multiplier and label for how far apart the two component predictions are."""
    return (
        np.select([diff < 1, diff < 2], [1.1, 1.0], default=0.85),
        np.select([diff < 1, diff < 2], ["strong", "moderate"], default="disagree").astype(object),
    )


def _unusable_state(component: pd.DataFrame) -> np.ndarray:
    """Why a component cannot contribute to a row, in words (None when it can)."""
    skipped = (component["recommendation"] == SKIP).to_numpy()
    fallback = component["is_fallback"].to_numpy(dtype=bool)
    reasons = component["fallback_reason"].to_numpy(dtype=object)
    state = np.full(len(component), None, dtype=object)
    state[fallback] = [f"is a fallback ({reason})" for reason in reasons[fallback]]
    state[skipped] = "was skipped"
    return state


def score_ensemble(
    frame: pd.DataFrame,
    v1: pd.DataFrame,
    v1_6: pd.DataFrame,
    *,
    weights: tuple[float, float],
    dispersions: tuple[float, float],
    model_version: str,
    rules: ScoringRules,
    created_at: pd.Timestamp,
) -> pd.DataFrame:
    """Rows of v1 and v1_6 (the components' scored outputs) line up with frame by position."""
    w1, w16 = normalized_weights(weights)
    pred1 = v1["predicted_strikeouts"].to_numpy(dtype="float64")
    pred16 = v1_6["predicted_strikeouts"].to_numpy(dtype="float64")
    state1, state16 = _unusable_state(v1), _unusable_state(v1_6)
    ok1, ok16 = pd.isna(state1), pd.isna(state16)
    both, only1, only16 = ok1 & ok16, ok1 & ~ok16, ok16 & ~ok1
    neither = ~ok1 & ~ok16

    diff = np.abs(pred1 - pred16)
    agree_factor, agree_label = agreement(diff)
    predicted = np.select(
        [both, only1, only16],
        [w1 * pred1 + w16 * pred16, pred1, pred16],
        default=fallback_prediction(frame).to_numpy(),
    )
    dispersion = np.select(
        [both, only1, only16],
        [w1 * dispersions[0] + w16 * dispersions[1], dispersions[0], dispersions[1]],
        default=FALLBACK_DISPERSION,
    )

    notes = np.full(len(frame), None, dtype=object)
    notes[both] = [
        f"agreement: {label} (|diff|={d:.2f}, x{factor:g})"
        for label, d, factor in zip(agree_label[both], diff[both], agree_factor[both], strict=True)
    ]
    for rows, used, dropped, state in (
        (only1, V1_BASELINE, V1_6_ROLLING, state16),
        (only16, V1_6_ROLLING, V1_BASELINE, state1),
    ):
        notes[rows] = [
            f"single_component: {dropped} {s}; using {used} (x{SINGLE_COMPONENT_MULTIPLIER:g})"
            for s in state[rows]
        ]

    skip1 = (v1["recommendation"] == SKIP).to_numpy()
    skip16 = (v1_6["recommendation"] == SKIP).to_numpy()
    component_skip = np.where(
        skip1, v1["skip_reason"].to_numpy(dtype=object), v1_6["skip_reason"].to_numpy(dtype=object)
    )
    forced_skip = np.where(neither & (skip1 | skip16), component_skip, None)
    fallback_rows = neither & ~(skip1 | skip16)
    fallback_kind = np.where(fallback_rows, COMPONENTS_UNUSABLE, None)
    fallback_reason = np.full(len(frame), None, dtype=object)
    fallback_reason[fallback_rows] = [
        f"{COMPONENTS_UNUSABLE}: {V1_BASELINE} {a}; {V1_6_ROLLING} {b}"
        for a, b in zip(state1[fallback_rows], state16[fallback_rows], strict=True)
    ]

    return score_system(
        frame,
        predicted,
        system_id=ENSEMBLE_V1,
        model_version=model_version,
        features=ALL_FEATURES,  # the union of both components' features
        dispersion=dispersion,
        fallback_kind=fallback_kind,
        fallback_reason=fallback_reason,
        model_load_failures=v1["model_load_failures"].to_numpy(dtype="int64")
        + v1_6["model_load_failures"].to_numpy(dtype="int64"),
        rules=rules,
        created_at=created_at,
        adjustment=ConfidenceAdjustment(
            multiplier=np.select(
                [both, only1 | only16], [agree_factor, SINGLE_COMPONENT_MULTIPLIER], default=1.0
            ),
            notes=notes,
            skip_reason=forced_skip,
        ),
    )
