"""ensemble_v1: a weighted mean of the two model systems, trusted more when they agree.

What a row blends is decided per component: a fallback component's value is made up (the
simple projection), so it never enters the blend; a skipped component's value is its model's
own prediction, so two skipped components are still blended (the row stays SKIP). Where
exactly one component is usable, the ensemble is that component at reduced confidence; where
none is, the ensemble is itself a fallback and says so. So the prediction, is_fallback and the
note are truthful on every row, and wherever both components are usable the prediction lies
between them.
"""

import numpy as np
import pandas as pd

from mlb_assets.betting import SKIP
from mlb_assets.features.matrix import feature_matrix
from mlb_assets.features.names import ALL_FEATURES
from mlb_assets.systems.ids import ENSEMBLE_V1, V1_6_ROLLING, V1_BASELINE
from mlb_assets.systems.models import (
    COMPONENTS_UNUSABLE,
    FALLBACK_DISPERSION,
    fallback_prediction,
)
from mlb_assets.systems.probabilities import (
    MARKET_OVER,
    Probabilities,
    model_probabilities,
    pooled,
)
from mlb_assets.systems.scoring import (
    ConfidenceAdjustment,
    ScoringRules,
    rounded_prediction,
    score_system,
)

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


def _state(component: pd.DataFrame) -> np.ndarray:
    """What a component's row is, in words: why it may not contribute (None when it can)."""
    skipped = (component["recommendation"] == SKIP).to_numpy()
    fallback = component["is_fallback"].to_numpy(dtype=bool)
    reasons = component["fallback_reason"].to_numpy(dtype=object)
    state = np.full(len(component), None, dtype=object)
    state[skipped] = "was skipped"
    state[fallback] = [f"is a fallback ({reason})" for reason in reasons[fallback]]
    return state


def component_use(v1: pd.DataFrame, v1_6: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per row, whether each component's prediction enters the ensemble.

    A fallback never does. Of two model predictions, a skipped one gives way to one that was
    not skipped; two skipped ones are both used (the row is skipped either way).
    """
    ok1, ok16 = ~v1["is_fallback"].to_numpy(dtype=bool), ~v1_6["is_fallback"].to_numpy(dtype=bool)
    skip1 = (v1["recommendation"] == SKIP).to_numpy()
    skip16 = (v1_6["recommendation"] == SKIP).to_numpy()
    use1 = ok1 & ~(ok16 & skip1 & ~skip16)
    use16 = ok16 & ~(ok1 & skip16 & ~skip1)
    return use1, use16


def _probabilities(component: pd.DataFrame) -> Probabilities:
    return Probabilities(
        *(component[name].to_numpy(dtype="float64") for name in Probabilities.__dataclass_fields__)
    )


def _notes(
    use1: np.ndarray, use16: np.ndarray, diff: np.ndarray, state1: np.ndarray, state16: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The row's note (what was blended and why) and its confidence multiplier."""
    both = use1 & use16
    factor, label = agreement(diff)
    notes = np.full(len(use1), None, dtype=object)
    notes[both] = [
        f"agreement: {lab} (|diff|={d:.2f}, x{f:g})"
        for lab, d, f in zip(label[both], diff[both], factor[both], strict=True)
    ]
    for rows, used, dropped, state in (
        (use1 & ~use16, V1_BASELINE, V1_6_ROLLING, state16),
        (use16 & ~use1, V1_6_ROLLING, V1_BASELINE, state1),
    ):
        notes[rows] = [
            f"single_component: {dropped} {s}; using {used} (x{SINGLE_COMPONENT_MULTIPLIER:g})"
            for s in state[rows]
        ]
    multiplier = np.select([both, use1 | use16], [factor, SINGLE_COMPONENT_MULTIPLIER], default=1.0)
    return notes, multiplier


def score_ensemble(
    frame: pd.DataFrame,
    v1: pd.DataFrame,
    v1_6: pd.DataFrame,
    *,
    weights: tuple[float, float],
    model_version: str,
    rules: ScoringRules,
    created_at: pd.Timestamp,
) -> pd.DataFrame:
    """Rows of v1 and v1_6 (the components' scored outputs) line up with frame by position.

    The ensemble's predictive distribution is the mixture of the components' (calibrated)
    distributions with the row's weights, so its mean is the blended prediction.
    """
    w1, w16 = normalized_weights(weights)
    pred1 = v1["predicted_strikeouts"].to_numpy(dtype="float64")
    pred16 = v1_6["predicted_strikeouts"].to_numpy(dtype="float64")
    use1, use16 = component_use(v1, v1_6)
    both, neither = use1 & use16, ~use1 & ~use16
    weight1 = np.where(both, w1, use1.astype("float64"))
    weight16 = np.where(both, w16, use16.astype("float64"))

    fallback = rounded_prediction(fallback_prediction(frame).to_numpy())
    blended = np.where(use1, weight1 * pred1, 0.0) + np.where(use16, weight16 * pred16, 0.0)
    predicted = rounded_prediction(np.where(neither, fallback, blended))

    line, market = feature_matrix(frame, ["strikeouts_line", MARKET_OVER]).T
    mixture = pooled([(weight1, _probabilities(v1)), (weight16, _probabilities(v1_6))])
    projection = model_probabilities(fallback, line, FALLBACK_DISPERSION, None, market)
    probabilities = Probabilities(
        *(
            np.where(neither, getattr(projection, name), getattr(mixture, name))
            for name in Probabilities.__dataclass_fields__
        )
    )

    state1, state16 = _state(v1), _state(v1_6)
    notes, multiplier = _notes(use1, use16, np.abs(pred1 - pred16), state1, state16)

    skip1 = (v1["recommendation"] == SKIP).to_numpy()
    skip16 = (v1_6["recommendation"] == SKIP).to_numpy()
    reason1 = v1["skip_reason"].to_numpy(dtype=object)
    reason16 = v1_6["skip_reason"].to_numpy(dtype=object)
    # A row whose used components were skipped is skipped; a fallback row whose components
    # were skipped too stays skipped.
    from1 = skip1 & (use1 | neither)
    from16 = skip16 & (use16 | neither)
    forced_skip = np.where(from1, reason1, np.where(from16, reason16, None))

    fallback_kind = np.where(neither, COMPONENTS_UNUSABLE, None)
    fallback_reason = np.full(len(frame), None, dtype=object)
    fallback_reason[neither] = [
        f"{COMPONENTS_UNUSABLE}: {V1_BASELINE} {a}; {V1_6_ROLLING} {b}"
        for a, b in zip(state1[neither], state16[neither], strict=True)
    ]

    return score_system(
        frame,
        predicted,
        system_id=ENSEMBLE_V1,
        model_version=model_version,
        features=ALL_FEATURES,  # the union of both components' features
        probabilities=probabilities,
        fallback_kind=fallback_kind,
        fallback_reason=fallback_reason,
        model_load_failures=v1["model_load_failures"].to_numpy(dtype="int64")
        + v1_6["model_load_failures"].to_numpy(dtype="int64"),
        rules=rules,
        created_at=created_at,
        adjustment=ConfidenceAdjustment(
            multiplier=multiplier, notes=notes, skip_reason=forced_skip
        ),
    )
