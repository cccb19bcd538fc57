"""Each asset's rules, judged on the frames their assets hand them.

The predictions' rules take their thresholds and severities from the one configuration; the
slice, roster, coverage and performance rules read the figures their assets compute.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from dagster import AssetCheckSeverity

from mlb_assets.checks.coverage import every_starter_covered
from mlb_assets.checks.features import FEATURE_SLICE_RULES, duplicate_starters
from mlb_assets.checks.performance import performance_rules
from mlb_assets.checks.predictions import prediction_rules
from mlb_assets.checks.roster import ROSTER_RULES
from mlb_assets.checks.rule import Audit
from mlb_assets.config import MLBConfig
from mlb_assets.evaluation.quality import per_date_quality
from mlb_assets.resources.reads import RosterResult

DAY = "2019-06-01"


def predictions(fallbacks: int, rows: int = 10) -> pd.DataFrame:
    """One date's predictions of one system, `fallbacks` of them fallbacks."""
    return pd.DataFrame(
        {
            "game_date": pd.Timestamp(DAY),
            "pitcher_lookup": [f"pitcher_{i}" for i in range(rows)],
            "recommendation": "PASS",
            "feature_coverage_pct": 100.0,
            "coverage_rated": True,
            "is_low_coverage": False,
            "is_fallback": [i < fallbacks for i in range(rows)],
            "model_load_failures": 0,
        }
    )


def held_by(config: MLBConfig, frame: pd.DataFrame) -> dict[str, str]:
    quality = per_date_quality(frame)
    return Audit.of(prediction_rules(config), {DAY: quality.loc[pd.Timestamp(DAY)]}).held()


def test_prediction_thresholds_come_from_the_configuration() -> None:
    frame = predictions(fallbacks=2)  # a 20 % fallback rate
    assert held_by(MLBConfig(), frame) == {DAY: "fallback_rate"}  # limit 10 %
    loose = MLBConfig.from_env({"MLB_FALLBACK_RATE_THRESHOLD": "25"})
    assert held_by(loose, frame) == {}
    (rule,) = [r for r in prediction_rules(loose) if r.name == "fallback_rate"]
    assert rule.rule == "fallback_rate <= 25.00 % on every date"


def test_a_warn_coverage_severity_is_neither_error_nor_blocking() -> None:
    config = MLBConfig.from_env({"MLB_LOW_COVERAGE_CHECK_SEVERITY": "WARN"})
    (rule,) = [r for r in prediction_rules(config) if r.name == "low_coverage_rate"]
    assert rule.severity == AssetCheckSeverity.WARN and not rule.blocking
    (default,) = [r for r in prediction_rules(MLBConfig()) if r.name == "low_coverage_rate"]
    assert default.severity == AssetCheckSeverity.ERROR and default.blocking


def test_a_second_row_for_a_pitcher_is_held_back() -> None:
    frame = predictions(fallbacks=0)
    doubled = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    assert held_by(MLBConfig(), doubled) == {DAY: "one_row_per_pitcher"}


def test_a_starter_scheduled_twice_fails_though_the_slice_keeps_one_row() -> None:
    day = pd.DataFrame(
        {
            "game_date": pd.Timestamp(DAY),
            "pitcher_lookup": ["gerrit_cole", "chris_sale"],
            "schedule_rows": [2, 1],
        }
    )
    verdict = duplicate_starters(day)
    assert not verdict.passed
    assert verdict.metadata["duplicate_scheduled_starts"].value == 1
    assert verdict.metadata["duplicate_rows"].value == 0
    assert "gerrit_cole (2 games)" in verdict.metadata["examples"].value


def source_quality(out_of_bounds: int, clean: int) -> pd.DataFrame:
    """`source_quality.sql`'s shape: one row per source and issue."""
    return pd.DataFrame(
        {
            "source": ["mlb_analytics.pitcher_game_summary"] * 2,
            "issue": ["clean", "out_of_bounds"],
            "source_rows": [clean, out_of_bounds],
            "examples": [None, "2019-05-01 Gerrit Cole (fastball_velocity)"],
        }
    )


def test_out_of_bounds_rows_warn_and_hold_the_window_only_past_the_rate() -> None:
    keys = {DAY: None, "2019-06-02": None}
    stray = Audit.of(FEATURE_SLICE_RULES[1:], keys, window_evidence=source_quality(3, 997))
    assert stray.held() == {}
    (bounds,) = [o for o in stray.outcomes if o.rule.name == "source_values_in_bounds"]
    assert bounds.result(bounds.rule.name).severity == AssetCheckSeverity.WARN
    broken = Audit.of(FEATURE_SLICE_RULES[1:], keys, window_evidence=source_quality(30, 970))
    assert broken.held() == dict.fromkeys(keys, "source_values_in_bounds")


def roster(status: str, snapshot: date | None, unmapped: list[date] | None = None) -> RosterResult:
    return RosterResult(
        roster=pd.DataFrame(),
        snapshots=pd.DataFrame({"game_date": [date(2019, 6, 1)], "snapshot_date": [snapshot]}),
        source_status=status,
        attempts=1 if status == "ok" else 3,
        unmapped_snapshots=unmapped or [],
    )


def test_roster_rules_warn_on_a_failed_source_and_a_stale_snapshot_and_hold_nothing() -> None:
    today = date(2019, 6, 1)
    keys = {DAY: pd.DataFrame(columns=["game_date", "pitcher_lookup"])}
    audit = Audit.of(ROSTER_RULES, keys, window_evidence=(roster("failed", None), today))
    results = {o.rule.name: o.result(o.rule.name) for o in audit.outcomes}
    assert not results["il_source_answered"].passed
    assert "EMPTY fail-safe roster" in results["il_source_answered"].description
    assert not results["il_roster_fresh"].passed  # no snapshot at all
    assert results["il_roster_fresh"].severity == AssetCheckSeverity.WARN
    assert audit.held() == {}
    fresh = Audit.of(ROSTER_RULES, keys, window_evidence=(roster("ok", today), today))
    assert all(o.result(o.rule.name).passed for o in fresh.outcomes)
    # Today's slate needs today's snapshot: yesterday's is stale for it.
    stale = Audit.of(ROSTER_RULES, keys, window_evidence=(roster("ok", date(2019, 5, 31)), today))
    (fresh_rule,) = [o for o in stale.outcomes if o.rule.name == "il_roster_fresh"]
    assert fresh_rule.failed


def test_a_system_short_of_a_starter_fails_coverage_for_that_date() -> None:
    report = pd.DataFrame(
        {
            "game_date": pd.Timestamp(DAY),
            "system_id": ["v1_baseline", "v1_6_rolling"],
            "scheduled_starters": [30, 30],
            "predictions": [30, 28],
        }
    )
    verdict = every_starter_covered(report)
    assert not verdict.passed and verdict.value == 2.0
    assert verdict.metadata["date_system_pairs_short"].value == 1
    assert every_starter_covered(report.assign(predictions=30)).passed


def test_a_month_without_grades_is_not_rated_and_a_miscalibrated_system_fails() -> None:
    rules = {r.name: r for r in performance_rules(MLBConfig())}
    month = pd.DataFrame(
        {
            "system_id": ["v1_baseline", "v1_6_rolling"],
            "ece": [0.01, 0.20],
            "ece_noise": [0.02, 0.02],
            "brier_skill": [0.0, 0.0],
            "mae": [1.7, 1.7],
            "line_mae": [1.8, 1.8],
        }
    )
    outcome = rules["calibration"].evaluate({DAY: month, "2019-07-01": None})
    assert outcome.failed == [DAY]
    assert outcome.summary() == "1 of 2 months failed: 2019-06"
    assert outcome.verdicts["2019-07-01"].text.startswith("not rated")
    assert rules["mae_vs_line"].evaluate({DAY: month}).failed == []
