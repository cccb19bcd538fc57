"""Feature vocabulary, pitcher keys and coverage (docs/FEATURES.md)."""

import numpy as np
import pandas as pd
import pytest

from mlb_assets.features import (
    ALL_FEATURES,
    V1_6_ROLLING_FEATURES,
    V1_BASELINE_FEATURES,
    coverage_penalty,
    feature_coverage,
    feature_matrix,
    normalize_pitcher_key,
)


def test_feature_sets_follow_design_order() -> None:
    assert len(ALL_FEATURES) == 35
    assert len(set(ALL_FEATURES)) == 35
    assert ALL_FEATURES[0] == "k_avg_last_3"
    assert ALL_FEATURES[-1] == "over_implied_prob"
    assert ALL_FEATURES[:25] == V1_BASELINE_FEATURES
    assert V1_BASELINE_FEATURES[-2:] == ("rolling_stats_games", "season_swstr_pct")
    assert V1_6_ROLLING_FEATURES == ALL_FEATURES


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("José Berríos", "jose_berrios"),
        ("Lance McCullers Jr.", "lance_mccullers"),
        ("Ken Griffey, Jr.", "ken_griffey"),
        ("Cal Ripken Sr.", "cal_ripken"),
        ("Bobby Witt II", "bobby_witt"),
        ("Bobby Witt III", "bobby_witt"),
        ("Hyun-Jin Ryu", "hyun_jin_ryu"),
        ("A.J. Griffin", "aj_griffin"),
        ("Travis d'Arnaud", "travis_darnaud"),
        ("  Carlos   Rodón ", "carlos_rodon"),
        ("Gerrit Cole", "gerrit_cole"),
        ("Jr Smith", "jr_smith"),
    ],
)
def test_normalize_pitcher_key(raw: str, key: str) -> None:
    assert normalize_pitcher_key(raw) == key


@pytest.mark.parametrize("key", ["gerrit_cole", "hyun_jin_ryu", "lance_mccullers_jr"])
def test_normalizing_a_key_again_changes_nothing(key: str) -> None:
    once = normalize_pitcher_key(key)
    assert normalize_pitcher_key(once) == once
    assert once == key.removesuffix("_jr")


def test_only_one_feature_present_gives_four_percent() -> None:
    frame = pd.DataFrame({"k_avg_last_3": [5.0, 6.0]}, index=[10, 11])
    coverage = feature_coverage(frame, V1_BASELINE_FEATURES)
    assert list(coverage.index) == [10, 11]
    assert coverage["feature_coverage_pct"].tolist() == [4.0, 4.0]
    missing = coverage.loc[10, "missing_features"]
    assert len(missing) == 24
    assert missing == list(V1_BASELINE_FEATURES[1:])


def test_null_nan_and_infinity_all_count_as_missing() -> None:
    features = ["a", "b", "c"]
    frame = pd.DataFrame(
        {
            "a": pd.array([1, None, 3, 4], dtype="Int64"),
            "b": [np.inf, 2.0, -np.inf, 1.0],
            "c": [None, True, False, 0],
        }
    )
    coverage = feature_coverage(frame, features)
    assert coverage["feature_coverage_pct"].tolist() == [33.3, 66.7, 66.7, 100.0]
    assert coverage["missing_features"].tolist() == [["b", "c"], ["a"], ["b"], []]


def test_feature_matrix_never_fills_missing_values() -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan], "b": [np.inf, 2.0]})
    matrix = feature_matrix(frame, ["a", "b", "absent"])
    assert matrix.shape == (2, 3)
    assert np.isnan(matrix[:, 2]).all()
    assert np.isnan(matrix[0, 1])
    assert np.isnan(matrix[1, 0])
    assert matrix[0, 0] == 1.0


def test_coverage_penalty_bands() -> None:
    pct = pd.Series([100.0, 90.0, 89.9, 80.0, 79.9, 70.0, 69.9, 60.0, 59.9, 0.0])
    expected = [0, 0, -5, -5, -10, -10, -15, -15, -25, -25]
    assert coverage_penalty(pct).tolist() == expected
