"""Training the strikeout regressors with real XGBoost on synthetic starts."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

from mlb_assets.betting import POISSON_DISPERSION
from mlb_assets.features import ALL_FEATURES, V1_BASELINE_FEATURES, feature_matrix
from mlb_assets.systems import train_strikeout_model
from mlb_assets.systems.training import DEFAULT_PARAMS, fit_dispersion


def synthetic_starts(n: int = 500, seed: int = 0) -> pd.DataFrame:
    """One start per day with a real signal (recent K average, workload) and gaps."""
    rng = np.random.default_rng(seed)
    data = {name: rng.normal(size=n) for name in ALL_FEATURES}
    data["k_avg_last_5"] = rng.uniform(2.5, 8.5, n)
    data["ip_avg_last_5"] = rng.uniform(4.5, 7.0, n)
    mu = np.clip(0.85 * data["k_avg_last_5"] + 0.6 * (data["ip_avg_last_5"] - 5.75), 0.5, None)
    r = 12.0
    data["strikeouts"] = rng.negative_binomial(r, r / (r + mu)).astype(float)
    data["k_avg_last_3"][rng.random(n) < 0.3] = np.nan
    data["game_date"] = pd.Timestamp("2018-03-29") + pd.to_timedelta(np.arange(n), unit="D")
    return pd.DataFrame(data)


# One thread: with two busy cores (pytest -n 2) OpenMP spin-waiting makes nthread=2 ten times
# slower. The determinism test keeps the production thread count on purpose.
ONE_THREAD = {"nthread": 1}


def _predict(booster: xgb.Booster, frame: pd.DataFrame, features: tuple[str, ...]) -> np.ndarray:
    matrix = xgb.DMatrix(feature_matrix(frame, features), feature_names=list(features))
    return booster.predict(matrix)


def test_training_is_deterministic_for_a_seed() -> None:
    starts = synthetic_starts(n=300)
    first = train_strikeout_model(starts, V1_BASELINE_FEATURES, seed=7, num_boost_round=30)
    second = train_strikeout_model(starts, V1_BASELINE_FEATURES, seed=7, num_boost_round=30)
    other = train_strikeout_model(starts, V1_BASELINE_FEATURES, seed=8, num_boost_round=30)
    a = _predict(first.booster, starts, V1_BASELINE_FEATURES)
    assert np.array_equal(a, _predict(second.booster, starts, V1_BASELINE_FEATURES))
    assert first.validation_mae == second.validation_mae
    assert first.dispersion == second.dispersion
    # subsample 0.8 draws rows from the seed, so the seed must matter.
    assert not np.array_equal(a, _predict(other.booster, starts, V1_BASELINE_FEATURES))


def test_model_metadata_and_signal() -> None:
    starts = synthetic_starts()
    starts.loc[starts.index[:10], "strikeouts"] = np.nan
    model = train_strikeout_model(starts, V1_BASELINE_FEATURES, params=ONE_THREAD)
    assert model.features == V1_BASELINE_FEATURES
    assert model.booster.feature_names == list(V1_BASELINE_FEATURES)
    assert model.booster.num_boosted_rounds() == 300
    assert model.training_rows == len(starts) - 10
    assert model.trained_through == dt.date(2018, 3, 29) + dt.timedelta(days=len(starts) - 1)
    assert model.xgboost_version == xgb.__version__
    assert 1.0 <= model.dispersion <= POISSON_DISPERSION
    latest = starts.iloc[-100:]
    constant_mae = np.mean(np.abs(latest["strikeouts"] - starts["strikeouts"].mean()))
    assert model.validation_mae < constant_mae


def test_validation_holds_out_the_latest_fifth_by_date() -> None:
    starts = synthetic_starts(n=400)
    params = {**ONE_THREAD, "max_depth": 3}
    model = train_strikeout_model(starts, V1_BASELINE_FEATURES, params=params, num_boost_round=40)
    shuffled = starts.sample(frac=1.0, random_state=3)
    same = train_strikeout_model(shuffled, V1_BASELINE_FEATURES, params=params, num_boost_round=40)
    assert same.validation_mae == model.validation_mae

    names = list(V1_BASELINE_FEATURES)
    early, late = starts.iloc[:320], starts.iloc[320:]
    by_hand = xgb.train(
        {**DEFAULT_PARAMS, "seed": 42, **params},
        xgb.DMatrix(feature_matrix(early, names), label=early["strikeouts"], feature_names=names),
        40,
    )
    late_pred = _predict(by_hand, late, V1_BASELINE_FEATURES)
    expected_mae = float(np.mean(np.abs(late["strikeouts"].to_numpy() - late_pred)))
    assert model.validation_mae == pytest.approx(expected_mae, rel=1e-9)


def test_too_few_starts_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        train_strikeout_model(synthetic_starts(n=1), V1_BASELINE_FEATURES)


def test_dispersion_recovers_a_known_negative_binomial() -> None:
    rng = np.random.default_rng(1)
    mu = rng.uniform(3.0, 8.0, 40_000)
    r = 5.0
    counts = rng.negative_binomial(r, r / (r + mu))
    assert fit_dispersion(counts, mu) == pytest.approx(r, rel=0.1)


def test_dispersion_clamps_to_poisson_and_to_one() -> None:
    mu = np.full(1000, 5.0)
    assert fit_dispersion(mu.copy(), mu) == POISSON_DISPERSION
    wild = np.where(np.arange(1000) % 2 == 0, 0.0, 100.0)
    assert fit_dispersion(wild, mu) == 1.0


def test_the_calibration_is_fitted_on_the_held_out_starts() -> None:
    starts = synthetic_starts(n=400)
    starts["strikeouts_line"] = np.round(starts["k_avg_last_5"]) + 0.5
    starts["over_implied_prob"] = 0.5
    starts.loc[starts.index[-30:], "over_implied_prob"] = np.nan  # no market: left out
    model = train_strikeout_model(
        starts, V1_BASELINE_FEATURES, params=ONE_THREAD, num_boost_round=30
    )
    assert model.calibration.rows == 80 - 30  # the latest fifth, less the starts without one
    assert 0.0 <= model.calibration.model_weight <= 3.0
