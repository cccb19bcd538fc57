"""The prediction systems end to end on real XGBoost models (docs/FEATURES.md)."""

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

from mlb_assets.features import (
    ALL_FEATURES,
    V1_6_ROLLING_FEATURES,
    V1_BASELINE_FEATURES,
    feature_matrix,
)
from mlb_assets.systems import (
    OUTPUT_COLUMNS,
    LoadedModel,
    ScoringRules,
    normalized_weights,
    run_systems,
    score_ensemble,
    train_strikeout_model,
)
from mlb_assets.systems.confidence import base_confidence
from mlb_assets.systems.probabilities import model_probabilities
from mlb_assets.systems.scoring import rounded_prediction, score_system

# The edge and confidence rules on their own: every expected value is >= -1, so min_ev=-1
# leaves the price rule out of tests about the other rules (it has tests of its own).
RULES = ScoringRules(min_ev=-1.0)
CREATED_AT = pd.Timestamp("2019-06-01 12:00", tz="UTC")
# A settled starter: no red flag fires and the base confidence is 70 + 10 (10 starts) + 0.
NEUTRAL: dict[str, float] = {
    "k_avg_last_3": 6.0,
    "k_avg_last_5": 6.0,
    "k_avg_last_10": 5.8,
    "k_std_last_10": 3.5,
    "ip_avg_last_5": 6.0,
    "season_k_per_9": 9.0,
    "season_era": 3.5,
    "season_whip": 1.2,
    "season_games_started": 10,
    "season_strikeouts": 60,
    "is_home": 1,
    "opponent_team_k_rate": 0.22,
    "ballpark_k_factor": 1.0,
    "month_of_season": 6,
    "days_into_season": 70,
    "days_rest": 5,
    "games_last_30_days": 5,
    "pitch_count_avg_last_5": 95,
    "season_ip_total": 60,
    "bf_avg_last_5": 24,
    "k_rate_last_10": 0.25,
    "avg_k_vs_opponent": 6.0,
    "games_vs_opponent": 2,
    "rolling_stats_games": 10,
    "season_swstr_pct": 0.10,
    "season_csw_pct": 0.29,
    "season_chase_pct": 0.30,
    "swstr_pct_last_3": 0.10,
    "fb_velocity_last_3": 94.0,
    "swstr_trend": 0.0,
    "velocity_change": 0.0,
    "strikeouts_line": 6.5,
    "line_vs_k_avg_last_5": -0.5,
    "projected_k_vs_line": -0.5,
    "over_implied_prob": 0.5,
}


def starters(n: int = 1, **overrides: object) -> pd.DataFrame:
    """n scheduled starters on one date; overrides are scalars or per-row lists."""
    frame = pd.DataFrame(
        {
            "game_date": pd.Timestamp("2019-06-01"),
            "game_id": [f"g{i}" for i in range(n)],
            "pitcher_lookup": [f"pitcher_{i}" for i in range(n)],
            "pitcher_name": [f"Pitcher {i}" for i in range(n)],
            "team_abbr": "NYY",
            "opponent_team_abbr": "BOS",
            "is_home": True,
            **{name: [value] * n for name, value in NEUTRAL.items()},
            "over_odds": -110.0,
            "under_odds": -110.0,
            "on_il": False,
        }
    )
    for column, value in overrides.items():
        frame[column] = value
    return frame


def scored(
    frame: pd.DataFrame,
    predicted: list[float],
    *,
    system_id: str = "v1_6_rolling",
    features: tuple[str, ...] = ALL_FEATURES,
    fallback_reason: str | None = None,
    rules: ScoringRules = RULES,
) -> pd.DataFrame:
    values = rounded_prediction(np.asarray(predicted, dtype=float))
    line, market = frame["strikeouts_line"].to_numpy(float), frame["over_implied_prob"].to_numpy()
    return score_system(
        frame,
        values,
        system_id=system_id,
        model_version="test",
        features=features,
        probabilities=model_probabilities(values, line, 10.0, None, market),
        fallback_kind=np.full(
            len(frame), fallback_reason.split(":")[0] if fallback_reason else None, dtype=object
        ),
        fallback_reason=np.full(len(frame), fallback_reason, dtype=object),
        model_load_failures=np.full(
            len(frame), int(bool(fallback_reason) and "model_load_failed" in fallback_reason)
        ),
        rules=rules,
        created_at=CREATED_AT,
    )


# OpenMP spin-waiting makes nthread=2 crawl when pytest -n 2 already fills both cores.
ONE_THREAD = {"nthread": 1}


def _training_starts(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    data = {name: NEUTRAL[name] * rng.uniform(0.6, 1.4, n) for name in ALL_FEATURES}
    mu = 0.9 * data["k_avg_last_5"] + 0.4 * (data["ip_avg_last_5"] - 6.0)
    data["strikeouts"] = rng.poisson(np.clip(mu, 0.5, None)).astype(float)
    data["season_swstr_pct"][rng.random(n) < 0.2] = np.nan
    data["game_date"] = pd.Timestamp("2018-04-01") + pd.to_timedelta(np.arange(n) // 4, unit="D")
    return pd.DataFrame(data)


@pytest.fixture(scope="module")
def models() -> dict[str, LoadedModel]:
    starts = _training_starts()
    loaded = {}
    for system_id, features in (
        ("v1_baseline", V1_BASELINE_FEATURES),
        ("v1_6_rolling", V1_6_ROLLING_FEATURES),
    ):
        trained = train_strikeout_model(starts, features, params=ONE_THREAD, num_boost_round=40)
        loaded[system_id] = LoadedModel(
            system_id, features, trained.booster, trained.dispersion, f"{system_id}-2019-06"
        )
    return loaded


# --- confidence and coverage ------------------------------------------------------------


@pytest.mark.parametrize(
    ("games", "k_std", "expected"),
    [
        (10, 1.5, 85.0),
        (10, 2.5, 82.0),
        (10, 3.5, 80.0),
        (10, 4.5, 75.0),
        (5, np.nan, 75.0),
        (3, 4.0, 70.0),
        (2, 3.0, 60.0),
        (np.nan, 1.0, 65.0),
    ],
)
def test_base_confidence(games: float, k_std: float, expected: float) -> None:
    frame = starters(rolling_stats_games=games, k_std_last_10=k_std)
    assert base_confidence(frame).tolist() == [expected]


def test_coverage_penalty_applies_after_base() -> None:
    droppable = [
        "k_avg_last_3",
        "k_avg_last_10",
        "season_era",
        "season_whip",
        "season_strikeouts",
        "opponent_team_k_rate",
        "ballpark_k_factor",
        "month_of_season",
        "days_into_season",
        "pitch_count_avg_last_5",
        "season_ip_total",
        "bf_avg_last_5",
    ]
    frame = starters(5)
    for row, n_missing in enumerate([1, 4, 6, 9, 12]):  # 96, 84, 76, 64, 52 % of 25
        frame.loc[row, droppable[:n_missing]] = np.nan
    out = scored(frame, [7.0] * 5, system_id="v1_baseline", features=V1_BASELINE_FEATURES)
    assert out["feature_coverage_pct"].tolist() == [96.0, 84.0, 76.0, 64.0, 52.0]
    assert out["base_confidence"].tolist() == [80.0] * 5
    assert out["confidence"].tolist() == [80.0, 75.0, 70.0, 65.0, 55.0]
    notes = [(84.0, -5), (76.0, -10), (64.0, -15), (52.0, -25)]
    assert out["red_flags"].tolist() == [[]] + [
        [f"low_coverage: {pct:.1f}% of features present ({cut:+d} confidence)"]
        for pct, cut in notes
    ]
    assert out.loc[4, "missing_features"] == droppable


def test_recommendations_and_expected_value() -> None:
    frame = starters(5, season_games_started=[10, 10, 10, 10, 2])
    frame.loc[3, ["strikeouts_line", "over_odds", "under_odds"]] = np.nan
    out = scored(frame, [7.0, 6.0, 6.6, 7.0, 7.0])
    assert out["edge"].tolist()[:3] == pytest.approx([0.5, -0.5, 0.1])
    assert out["confidence"].tolist() == [80.0, 80.0, 80.0, 80.0, 56.0]
    assert out["recommendation"].tolist() == ["OVER", "UNDER", "PASS", "NO_LINE", "PASS"]
    over = out.loc[0]
    assert over["p_over"] + over["p_under"] == pytest.approx(1.0)
    assert over["expected_value"] == pytest.approx(over["p_over"] * 100 / 110 - over["p_under"])
    under = out.loc[1]
    assert under["expected_value"] == pytest.approx(under["p_under"] * 100 / 110 - under["p_over"])
    no_line = out.loc[3]
    assert np.isnan(no_line["p_over"]) and np.isnan(no_line["expected_value"])


# --- red flags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"on_il": True}, "on_il: pitcher is on the injured list"),
        ({"season_games_started": 0}, "first_start_of_season: season_games_started=0"),
        ({"ip_avg_last_5": 3.2}, "opener: ip_avg_last_5=3.2 < 4.0"),
        ({"rolling_stats_games": 1}, "insufficient_history: rolling_stats_games=1 < 2"),
        ({"on_il": True, "ip_avg_last_5": 3.0, "rolling_stats_games": 1}, "on_il: "),
        ({"ip_avg_last_5": 3.0, "rolling_stats_games": 1}, "opener: "),
    ],
)
def test_hard_red_flags_skip(overrides: dict[str, object], reason: str) -> None:
    out = scored(starters(**overrides), [7.5]).iloc[0]
    assert out["recommendation"] == "SKIP"
    assert out["confidence"] == 0.0
    assert out["skip_reason"].startswith(reason)
    assert out["red_flags"][0] == out["skip_reason"]


def test_unknown_history_is_not_skipped_but_costs_confidence() -> None:
    out = scored(starters(rolling_stats_games=np.nan), [7.5]).iloc[0]
    assert out["skip_reason"] is None
    assert out["recommendation"] != "SKIP"
    assert out["base_confidence"] == 60.0  # 70 - 10: history unknown counts as thin


def test_missing_values_never_raise_a_flag() -> None:
    nan_columns = [
        "ip_avg_last_5",
        "season_games_started",
        "k_std_last_10",
        "days_rest",
        "games_last_30_days",
        "season_swstr_pct",
        "swstr_trend",
    ]
    out = scored(starters(**dict.fromkeys(nan_columns, np.nan)), [7.5]).iloc[0]
    assert out["skip_reason"] is None
    # Only the coverage note (7 of 35 missing -> 80 %, -5) speaks of them.
    assert out["red_flags"] == ["low_coverage: 80.0% of features present (-5 confidence)"]
    assert out["base_confidence"] == 80.0


OVER, UNDER, NO_DIRECTION = 7.5, 5.5, None


@pytest.mark.parametrize(
    ("overrides", "predicted", "multiplier", "flag"),
    [
        ({"season_games_started": 2}, OVER, 0.7, "early_season: season_games_started=2 < 3 (x0.7)"),
        ({"season_games_started": 2}, UNDER, 0.7, "early_season"),
        ({"season_games_started": 2}, NO_DIRECTION, 0.7, "early_season"),
        ({"k_std_last_10": 4.6}, OVER, 0.4, "high_variance: k_std_last_10=4.6 > 4 (OVER x0.4)"),
        ({"k_std_last_10": 4.6}, UNDER, 1.1, "high_variance: k_std_last_10=4.6 > 4 (UNDER x1.1)"),
        ({"k_std_last_10": 4.6}, NO_DIRECTION, 1.0, None),
        ({"days_rest": 3}, OVER, 0.7, "short_rest: days_rest=3 < 4 (OVER x0.7)"),
        ({"days_rest": 3}, UNDER, 1.0, None),
        ({"games_last_30_days": 7}, OVER, 0.85, "heavy_workload: games_last_30_days=7 > 6"),
        ({"games_last_30_days": 7}, UNDER, 1.0, None),
        ({"season_swstr_pct": 0.13}, OVER, 1.1, "high_swstr: season_swstr_pct=0.130 > 0.12"),
        ({"season_swstr_pct": 0.13}, UNDER, 0.8, "high_swstr"),
        ({"season_swstr_pct": 0.07}, OVER, 0.85, "low_swstr: season_swstr_pct=0.070 < 0.08"),
        ({"season_swstr_pct": 0.07}, UNDER, 1.05, "low_swstr"),
        ({"swstr_trend": 0.04}, OVER, 1.08, "swstr_rising: swstr_trend=+0.040 > 0.03"),
        ({"swstr_trend": 0.04}, UNDER, 0.92, "swstr_rising"),
        ({"swstr_trend": -0.04}, OVER, 0.92, "swstr_falling: swstr_trend=-0.040 < -0.03"),
        ({"swstr_trend": -0.04}, UNDER, 1.05, "swstr_falling"),
    ],
)
def test_soft_red_flags(
    overrides: dict[str, object], predicted: float | None, multiplier: float, flag: str | None
) -> None:
    frame = starters(**overrides)
    if predicted is None:
        frame["strikeouts_line"] = np.nan
    out = scored(frame, [predicted or 6.5]).iloc[0]
    assert out["confidence"] == pytest.approx(round(out["base_confidence"] * multiplier, 1))
    if flag is None:
        assert out["red_flags"] == []
    else:
        assert len(out["red_flags"]) == 1
        assert out["red_flags"][0].startswith(flag)


def test_combined_multiplier_is_floored_at_0_3() -> None:
    frame = starters(
        k_std_last_10=4.6,
        days_rest=3,
        games_last_30_days=7,
        season_swstr_pct=0.07,
        swstr_trend=-0.04,
    )
    out = scored(frame, [8.0]).iloc[0]  # 0.4 * 0.7 * 0.85 * 0.85 * 0.92 = 0.19 -> 0.3
    assert len(out["red_flags"]) == 5
    assert out["base_confidence"] == 75.0
    assert out["confidence"] == 22.5
    assert out["recommendation"] == "PASS"


def test_confidence_is_clamped_to_100() -> None:
    frame = starters(k_std_last_10=1.5, season_swstr_pct=0.13, swstr_trend=0.04)
    out = scored(frame, [8.0]).iloc[0]  # 85 * 1.1 * 1.08 = 101
    assert out["base_confidence"] == 85.0
    assert out["confidence"] == 100.0
    assert out["recommendation"] == "OVER"


# --- ensemble ----------------------------------------------------------------------------


def _ensemble(
    frame: pd.DataFrame, v1: pd.DataFrame, v1_6: pd.DataFrame, weights=(0.3, 0.5)
) -> pd.DataFrame:
    return score_ensemble(
        frame,
        v1,
        v1_6,
        weights=weights,
        model_version="ensemble_v1(a+b)",
        rules=RULES,
        created_at=CREATED_AT,
    )


def test_ensemble_weights_are_normalised() -> None:
    assert normalized_weights((0.3, 0.5)) == pytest.approx((0.375, 0.625))
    frame = starters()
    out = _ensemble(frame, scored(frame, [6.0]), scored(frame, [7.0])).iloc[0]
    assert out["predicted_strikeouts"] == pytest.approx(6.625, abs=0.005)
    assert out["system_id"] == "ensemble_v1"
    assert out["feature_coverage_pct"] == 100.0
    with pytest.raises(ValueError):
        normalized_weights((0.0, 0.0))


@pytest.mark.parametrize(
    ("second", "confidence", "note"),
    [
        (6.5, 88.0, "agreement: strong (|diff|=0.50, x1.1)"),
        (7.5, 80.0, "agreement: moderate (|diff|=1.50, x1)"),
        (9.0, 68.0, "agreement: disagree (|diff|=3.00, x0.85)"),
    ],
)
def test_ensemble_agreement(second: float, confidence: float, note: str) -> None:
    frame = starters(strikeouts_line=np.nan)  # no direction: only the agreement moves confidence
    out = _ensemble(frame, scored(frame, [6.0]), scored(frame, [second])).iloc[0]
    assert out["confidence"] == confidence
    assert out["red_flags"] == [note]


def test_ensemble_uses_the_other_component_when_one_is_skipped() -> None:
    frame = starters()
    skipped_v1 = scored(starters(on_il=True), [6.0], system_id="v1_baseline")
    assert skipped_v1.loc[0, "recommendation"] == "SKIP"
    out = _ensemble(frame, skipped_v1, scored(frame, [7.5])).iloc[0]
    assert out["predicted_strikeouts"] == 7.5
    assert out["confidence"] == 64.0  # 80 x 0.8
    assert out["recommendation"] == "OVER"
    assert out["red_flags"] == [
        "single_component: v1_baseline was skipped; using v1_6_rolling (x0.8)"
    ]
    assert not out["is_fallback"]


def test_ensemble_skips_when_both_components_are_skipped() -> None:
    frame = starters()
    skipped = starters(ip_avg_last_5=3.0)
    out = _ensemble(
        frame,
        scored(skipped, [6.0], system_id="v1_baseline"),
        scored(skipped, [7.0]),
    ).iloc[0]
    assert out["recommendation"] == "SKIP"
    assert out["confidence"] == 0.0
    assert out["skip_reason"] == "opener: ip_avg_last_5=3.0 < 4.0"


def test_ensemble_falls_back_when_both_components_fell_back() -> None:
    frame = starters(season_k_per_9=10.8, ip_avg_last_5=5.0)
    out = _ensemble(
        frame,
        scored(frame, [6.0], system_id="v1_baseline", fallback_reason="model_load_failed: x"),
        scored(frame, [6.0], fallback_reason="model_error: y"),
    ).iloc[0]
    assert out["is_fallback"]
    assert out["recommendation"] == "PASS"
    assert out["predicted_strikeouts"] == 6.0  # 10.8 * 5 / 9
    assert "model_load_failed: x" in out["fallback_reason"]
    assert "model_error: y" in out["fallback_reason"]


# --- model systems and fallback ----------------------------------------------------------


def _varied_starters(n: int = 6) -> pd.DataFrame:
    frame = starters(n, k_avg_last_5=np.linspace(3.0, 8.0, n))
    frame.loc[1, "season_swstr_pct"] = np.nan
    frame.loc[2, ["strikeouts_line", "over_odds", "under_odds"]] = np.nan
    return frame


def test_model_systems_predict_with_their_boosters(models: dict[str, LoadedModel]) -> None:
    frame = _varied_starters()
    frame.index = [100 + i for i in range(len(frame))]
    out = run_systems(frame, models, ["v1_baseline", "v1_6_rolling"], RULES, created_at=CREATED_AT)
    assert list(out) == ["v1_baseline", "v1_6_rolling"]
    for system_id, features in (
        ("v1_baseline", V1_BASELINE_FEATURES),
        ("v1_6_rolling", V1_6_ROLLING_FEATURES),
    ):
        result = out[system_id]
        assert tuple(result.columns) == OUTPUT_COLUMNS
        assert list(result.index) == list(frame.index)
        matrix = xgb.DMatrix(feature_matrix(frame, features), feature_names=list(features))
        expected = np.round(models[system_id].booster.predict(matrix), 2)
        assert np.allclose(result["predicted_strikeouts"], expected)
        assert not result["is_fallback"].any()
        assert result["fallback_reason"].isna().all()
        assert result["model_version"].eq(f"{system_id}-2019-06").all()
        assert result["prediction_id"].iloc[0] == f"{system_id}:2019-06-01:pitcher_0"
        assert result["created_at"].eq(CREATED_AT).all()
        assert result.loc[102, "recommendation"] == "NO_LINE"
    assert out["v1_6_rolling"].loc[101, "missing_features"] == ["season_swstr_pct"]
    assert out["v1_6_rolling"].loc[101, "feature_coverage_pct"] == pytest.approx(97.1)


def test_missing_model_falls_back_for_every_row(models: dict[str, LoadedModel]) -> None:
    frame = _varied_starters()
    frame.loc[3, "season_k_per_9"] = np.nan
    frame.loc[4, "on_il"] = True
    only_v1_6 = {"v1_6_rolling": models["v1_6_rolling"]}
    out = run_systems(frame, only_v1_6, ["v1_baseline", "v1_6_rolling"], RULES)
    v1 = out["v1_baseline"]
    assert v1["is_fallback"].all()
    assert v1["fallback_reason"].str.startswith("model_load_failed").all()
    assert (v1["fallback_kind"] == "model_load_failed").all()
    assert v1["predicted_strikeouts"].tolist() == [6.0, 6.0, 6.0, 5.0, 6.0, 6.0]
    assert v1["recommendation"].tolist() == ["PASS", "PASS", "PASS", "PASS", "SKIP", "PASS"]
    assert not out["v1_6_rolling"]["is_fallback"].any()


def test_load_error_wins_over_a_present_booster(models: dict[str, LoadedModel]) -> None:
    broken = LoadedModel(
        "v1_baseline",
        V1_BASELINE_FEATURES,
        models["v1_baseline"].booster,
        8.0,
        "v1_baseline-2019-06",
        "checksum mismatch",
    )
    out = run_systems(starters(), {"v1_baseline": broken}, ["v1_baseline"], RULES)
    assert out["v1_baseline"].loc[0, "fallback_reason"] == "model_load_failed: checksum mismatch"


def test_feature_mismatch_falls_back_and_leaves_the_other_system_alone(
    models: dict[str, LoadedModel],
) -> None:
    wrong = LoadedModel(
        "v1_baseline", V1_BASELINE_FEATURES, models["v1_6_rolling"].booster, 8.0, "wrong"
    )
    frame = _varied_starters()
    out = run_systems(
        frame, {**models, "v1_baseline": wrong}, ["v1_baseline", "v1_6_rolling"], RULES
    )
    v1 = out["v1_baseline"]
    assert v1["is_fallback"].all()
    assert v1["fallback_reason"].str.startswith("feature_mismatch").all()
    assert (v1["fallback_kind"] == "feature_mismatch").all()
    assert "unexpected ['season_csw_pct'" in v1.loc[0, "fallback_reason"]
    assert (v1["recommendation"] == "PASS").all()
    healthy = out["v1_6_rolling"]
    assert not healthy["is_fallback"].any()
    assert (healthy["recommendation"] != "PASS").any()


def test_reordered_features_are_a_mismatch(models: dict[str, LoadedModel]) -> None:
    starts = _training_starts(n=80)
    reordered = tuple(reversed(V1_BASELINE_FEATURES))
    booster = train_strikeout_model(starts, reordered, params=ONE_THREAD, num_boost_round=5).booster
    model = LoadedModel("v1_baseline", reordered, booster, 8.0, "reordered")
    reason = run_systems(starters(), {"v1_baseline": model}, ["v1_baseline"], RULES)[
        "v1_baseline"
    ].loc[0, "fallback_reason"]
    assert reason.startswith("feature_mismatch") and "different order" in reason


def test_a_corrupt_booster_is_a_model_error() -> None:
    empty = xgb.Booster()
    empty.feature_names = list(V1_BASELINE_FEATURES)
    model = LoadedModel("v1_baseline", V1_BASELINE_FEATURES, empty, 8.0, "corrupt")
    out = run_systems(starters(2), {"v1_baseline": model}, ["v1_baseline"], RULES)["v1_baseline"]
    assert out["fallback_reason"].str.startswith("model_error: XGBoostError").all()
    assert "\n" not in out.loc[0, "fallback_reason"]


def test_ensemble_alone_computes_but_does_not_return_components(
    models: dict[str, LoadedModel],
) -> None:
    frame = _varied_starters()
    out = run_systems(frame, models, ["ensemble_v1"], RULES, ensemble_weights=(0.3, 0.5))
    assert list(out) == ["ensemble_v1"]
    parts = run_systems(frame, models, ["v1_baseline", "v1_6_rolling"], RULES)
    blended = (
        0.375 * parts["v1_baseline"]["predicted_strikeouts"]
        + 0.625 * parts["v1_6_rolling"]["predicted_strikeouts"]
    )
    ensemble = out["ensemble_v1"]
    assert np.allclose(ensemble["predicted_strikeouts"], blended, atol=0.005)
    assert (
        ensemble["model_version"].eq("ensemble_v1(v1_baseline-2019-06+v1_6_rolling-2019-06)").all()
    )
    assert ensemble["red_flags"].map(lambda flags: flags[-1].startswith("agreement: ")).all()


def test_ensemble_survives_one_missing_model(models: dict[str, LoadedModel]) -> None:
    frame = _varied_starters()
    only_v1 = {"v1_baseline": models["v1_baseline"]}
    out = run_systems(frame, only_v1, ["v1_baseline", "ensemble_v1"], RULES)
    ensemble = out["ensemble_v1"]
    assert np.allclose(ensemble["predicted_strikeouts"], out["v1_baseline"]["predicted_strikeouts"])
    assert not ensemble["is_fallback"].any()
    note = ensemble.loc[0, "red_flags"][-1]
    assert note.startswith("single_component: v1_6_rolling is a fallback (model_load_failed")


def test_single_row_and_empty_frames(models: dict[str, LoadedModel]) -> None:
    one = run_systems(starters(), models, ["v1_baseline", "v1_6_rolling", "ensemble_v1"], RULES)
    assert [len(frame) for frame in one.values()] == [1, 1, 1]
    empty = run_systems(starters().iloc[:0], models, ["ensemble_v1", "v1_baseline"], RULES)
    assert list(empty) == ["ensemble_v1", "v1_baseline"]
    assert all(tuple(frame.columns) == OUTPUT_COLUMNS and frame.empty for frame in empty.values())


def test_unknown_system_is_rejected(models: dict[str, LoadedModel]) -> None:
    with pytest.raises(ValueError, match="v2_magic"):
        run_systems(starters(), models, ["v2_magic"], RULES)


def test_a_value_xgboost_refuses_falls_back_instead_of_failing_the_step(
    models: dict[str, LoadedModel],
) -> None:
    """1e300 is a finite float64 (coverage counts it as present) but inf in XGBoost's float32:
    building the DMatrix raises, inside the system's error boundary."""
    frame = _varied_starters()
    frame.loc[3, "k_avg_last_5"] = 1e300
    out = run_systems(frame, models, ["v1_baseline", "ensemble_v1"], RULES)
    v1 = out["v1_baseline"]
    assert v1["fallback_kind"].eq("model_error").all()
    assert v1.loc[0, "fallback_reason"].startswith("model_error: XGBoostError")
    assert (v1["recommendation"].isin(["PASS", "SKIP", "NO_LINE"])).all()
    assert out["ensemble_v1"]["is_fallback"].all()  # v1_6 reads the same row
