"""The ensemble never leaks a made-up value: what it predicts, is_fallback and its note are
truthful on every row, and wherever both components are usable it is a convex blend."""

import numpy as np
import pandas as pd
import pytest

from mlb_assets.systems import ScoringRules, score_ensemble
from mlb_assets.systems.ensemble import component_use
from mlb_assets_tests.systems.test_systems import CREATED_AT, scored, starters

RULES = ScoringRules(min_ev=-1.0)
WEIGHTS = (0.3, 0.5)  # normalised: 0.375 / 0.625


def _ensemble(frame: pd.DataFrame, v1: pd.DataFrame, v1_6: pd.DataFrame) -> pd.DataFrame:
    return score_ensemble(
        frame,
        v1,
        v1_6,
        weights=WEIGHTS,
        model_version="ensemble_v1(a+b)",
        rules=RULES,
        created_at=CREATED_AT,
    )


def test_two_skipped_components_are_blended_not_replaced_by_the_league_mean() -> None:
    """A season's first start: both components skip, the simple projection has no inputs
    (it would say 5.0). The ensemble blends the two model values and says it is no fallback."""
    frame = starters(2, season_games_started=0, season_k_per_9=np.nan)
    v1 = scored(frame, [3.2, 7.9], system_id="v1_baseline")
    v1_6 = scored(frame, [3.6, 8.3])
    out = _ensemble(frame, v1, v1_6)
    assert out["recommendation"].tolist() == ["SKIP", "SKIP"]
    assert out["predicted_strikeouts"].tolist() == pytest.approx([3.45, 8.15], abs=0.005)
    assert not out["is_fallback"].any()
    assert out["fallback_kind"].isna().all()
    assert out["skip_reason"].str.startswith("first_start_of_season").all()


def test_a_fallback_component_never_enters_the_blend() -> None:
    frame = starters(1, season_k_per_9=9.0, ip_avg_last_5=6.0)
    healthy = scored(frame, [7.4])
    fell_back = scored(frame, [6.0], system_id="v1_baseline", fallback_reason="model_error: x")
    out = _ensemble(frame, fell_back, healthy).iloc[0]
    assert out["predicted_strikeouts"] == 7.4
    assert out["p_over"] == healthy.loc[0, "p_over"]
    assert not out["is_fallback"]
    assert out["red_flags"][-1].startswith("single_component: v1_baseline is a fallback")


def test_two_fallbacks_make_a_truthful_fallback_even_when_skipped() -> None:
    frame = starters(2, on_il=[False, True], season_k_per_9=10.8, ip_avg_last_5=5.0)
    v1 = scored(frame, [6.0, 6.0], system_id="v1_baseline", fallback_reason="model_error: a")
    v1_6 = scored(frame, [6.0, 6.0], fallback_reason="model_load_failed: b")
    out = _ensemble(frame, v1, v1_6)
    assert out["is_fallback"].all()
    assert (out["fallback_kind"] == "components_unusable").all()
    assert out["recommendation"].tolist() == ["PASS", "SKIP"]
    assert out["predicted_strikeouts"].tolist() == [6.0, 6.0]


def _random_components(seed: int, n: int = 300) -> tuple[pd.DataFrame, ...]:
    """Starters with random lines and histories; components with random predictions, random
    fallbacks and random skips (IL), as the property's input."""
    rng = np.random.default_rng(seed)
    frame = starters(
        n,
        strikeouts_line=rng.choice([3.5, 4.5, 5.0, 5.5, 6.0, 6.5, 7.5], n),
        k_std_last_10=rng.uniform(1.0, 5.0, n),
        rolling_stats_games=rng.integers(2, 15, n),
    )
    pred1, pred16 = rng.uniform(1.0, 10.0, n), rng.uniform(1.0, 10.0, n)
    parts = []
    for system_id, predicted in (("v1_baseline", pred1), ("v1_6_rolling", pred16)):
        rows = frame.assign(on_il=rng.random(n) < 0.15)
        out = scored(rows, list(predicted), system_id=system_id)
        fell_back = rng.random(n) < 0.15
        out.loc[fell_back, ["is_fallback", "fallback_kind"]] = [True, "model_error"]
        out.loc[fell_back, "fallback_reason"] = "model_error: random"
        parts.append(out)
    return frame, parts[0], parts[1], rng.uniform(0.0, 12.0, n).round()


@pytest.mark.parametrize("seed", range(8))
def test_the_ensemble_is_convex_wherever_both_components_are_usable(seed: int) -> None:
    frame, v1, v1_6, actual = _random_components(seed)
    out = _ensemble(frame, v1, v1_6)
    use1, use16 = component_use(v1, v1_6)
    both = use1 & use16
    assert both.sum() > 100 and (~both).sum() > 10  # the property has rows on both sides
    a = v1["predicted_strikeouts"].to_numpy()
    b = v1_6["predicted_strikeouts"].to_numpy()
    e = out["predicted_strikeouts"].to_numpy()
    tolerance = 0.005  # the stored prediction is rounded to 2 decimals
    assert np.all(e[both] >= np.minimum(a, b)[both] - tolerance)
    assert np.all(e[both] <= np.maximum(a, b)[both] + tolerance)
    # Its error on ANY set of such rows is at most the worse component's (random subsets).
    rng = np.random.default_rng(100 + seed)
    rows = np.flatnonzero(both)
    for _ in range(200):
        subset = rng.choice(rows, size=rng.integers(1, len(rows)), replace=False)

        def mae(pred: np.ndarray, subset: np.ndarray = subset) -> float:
            return float(np.mean(np.abs(pred[subset] - actual[subset])))

        assert mae(e) <= max(mae(a), mae(b)) + tolerance
    # Only a row with no usable component is a fallback, and then it says so.
    assert np.array_equal(out["is_fallback"].to_numpy(), ~use1 & ~use16)
    # Its probabilities are a distribution on every row with a line.
    total = out["p_over"] + out["p_push"] + out["p_under"]
    assert np.allclose(total, 1.0)
