"""One rule object: its spec says what it enforces, and its verdicts decide what is held back.

Judged on real frames; the Dagster objects it builds are the ones the assets yield.
"""

from __future__ import annotations

import pandas as pd
from dagster import AssetCheckSeverity, AssetKey, DailyPartitionsDefinition

from mlb_assets.checks.rule import (
    WINDOW,
    Audit,
    CheckRule,
    Verdict,
    threshold_rule,
    unique_rows_rule,
)

KEYS = ["2019-06-01", "2019-06-02", "2019-06-03"]
ASSET = AssetKey("v1_baseline_predictions")
DAILY = DailyPartitionsDefinition(start_date="2019-03-28")


def figures(**by_date: float | None) -> dict[str, pd.Series | None]:
    """Each date's figures row, as the predictions' rules receive them."""
    return {
        key: None if value is None else pd.Series({"fallback_rate": value, "predictions": 30})
        for key, value in zip(KEYS, by_date.values(), strict=True)
    }


def fallback_rule(**kwargs: object) -> CheckRule:
    return threshold_rule(
        "fallback_rate", "fallback_rate", 10.0, percent=True, count_column="predictions", **kwargs
    )


def test_the_spec_says_the_threshold_severity_and_blocking_flag_it_enforces() -> None:
    spec = fallback_rule(blocking=True).spec(ASSET, DAILY)
    assert spec.description == (
        "fallback_rate <= 10.00 % on every date (severity ERROR, blocking: a failing date "
        "keeps its published rows)."
    )
    assert spec.blocking and spec.partitions_def == DAILY
    window = CheckRule("w", "a window rule", lambda _: Verdict(True), per_date=False)
    assert window.spec(ASSET, DAILY).partitions_def is None


def test_each_date_is_judged_and_the_summary_names_the_worst_against_the_limit() -> None:
    outcome = fallback_rule(blocking=True).evaluate(figures(a=3.0, b=25.0, c=None))
    assert [v.passed for v in outcome.verdicts.values()] == [True, False, True]
    assert outcome.failed == ["2019-06-02"]
    assert outcome.summary() == "1 of 3 dates failed; worst 2019-06-02 at 25.00 %, limit 10.00 %"
    result = outcome.result(ASSET)
    assert not result.passed and result.severity == AssetCheckSeverity.ERROR
    meta = {k: v.value for k, v in result.metadata.items()}
    assert meta["dates_failed"] == 1 and meta["dates_not_rated"] == 1
    assert meta["worst_date"] == "2019-06-02" and meta["worst_value"] == "25.00 %"
    table = [r.data for r in meta["per_date"].records]
    assert table[0] == {"date": "2019-06-02", "value": "25.00 %", "passed": False}
    assert {r["date"] for r in table} == set(KEYS)


def test_only_blocking_error_failures_hold_dates_back() -> None:
    evidence = figures(a=3.0, b=25.0, c=40.0)
    assert Audit.of([fallback_rule(blocking=True)], evidence).held() == {
        "2019-06-02": "fallback_rate",
        "2019-06-03": "fallback_rate",
    }
    assert Audit.of([fallback_rule()], evidence).held() == {}
    warn = fallback_rule(blocking=True, severity=AssetCheckSeverity.WARN)
    assert Audit.of([warn], evidence).held() == {}


def test_a_held_date_names_every_blocking_rule_it_failed() -> None:
    evidence = figures(a=3.0, b=25.0, c=4.0)
    second = threshold_rule("tight", "fallback_rate", 2.0, percent=True, blocking=True)
    held = Audit.of([fallback_rule(blocking=True), second], evidence).held()
    assert held == {
        "2019-06-01": "tight",
        "2019-06-02": "fallback_rate, tight",
        "2019-06-03": "tight",
    }


def test_a_window_rule_failing_at_error_holds_every_date_and_a_warn_verdict_none() -> None:
    def judge(share: float) -> Verdict:
        severity = AssetCheckSeverity.ERROR if share > 1.0 else AssetCheckSeverity.WARN
        return Verdict(share == 0, share, f"{share} %", severity=severity)

    rule = CheckRule(
        "bounds", "no value out of bounds", judge, AssetCheckSeverity.WARN, True, False
    )
    days = dict.fromkeys(KEYS)
    assert Audit.of([rule], days, window_evidence=3.0).held() == dict.fromkeys(KEYS, "bounds")
    assert Audit.of([rule], days, window_evidence=0.5).held() == {}
    outcome = rule.evaluate({WINDOW: 3.0})
    assert outcome.result(ASSET).severity == AssetCheckSeverity.ERROR
    assert outcome.summary() == "3.0 %"
    assert outcome.evaluations(ASSET) == []  # one verdict for the window, not per date


def test_a_range_gets_one_evaluation_per_partition_and_a_single_date_none() -> None:
    outcome = fallback_rule().evaluate(figures(a=3.0, b=25.0, c=None))
    evaluations = outcome.evaluations(ASSET)
    assert [(e.partition, e.passed) for e in evaluations] == [
        ("2019-06-01", True),
        ("2019-06-02", False),
        ("2019-06-03", True),
    ]
    assert evaluations[1].metadata["value"].value == "25.00 %"
    assert evaluations[1].metadata["predictions"].value == 30
    single = fallback_rule().evaluate({"2019-06-02": figures(a=1, b=25.0, c=1)["2019-06-02"]})
    assert single.evaluations(ASSET) == []
    assert single.summary() == "1 of 1 dates failed; worst 2019-06-02 at 25.00 %, limit 10.00 %"


def test_a_strict_limit_fails_at_the_limit() -> None:
    rule = threshold_rule("model_load_failures", "fallback_rate", 1, strict=True)
    outcome = rule.evaluate(figures(a=0, b=1, c=2))
    assert outcome.failed == ["2019-06-02", "2019-06-03"]
    assert rule.rule == "fallback_rate < 1 on every date"


def test_unique_rows_counts_each_extra_row_and_holds_only_the_dates_that_repeat() -> None:
    rule = unique_rows_rule("one_line_per_pitcher", ["game_date", "pitcher_lookup"], "line")
    rows = pd.DataFrame(
        {
            "game_date": ["2019-06-01"] * 4 + ["2019-06-02"],
            "pitcher_lookup": [
                "gerrit_cole",
                "gerrit_cole",
                "gerrit_cole",
                "chris_sale",
                "gerrit_cole",
            ],
        }
    )
    verdict = rule.judge(rows)
    assert not verdict.passed and verdict.value == 2.0
    assert verdict.metadata["examples"].value == "2019-06-01 gerrit_cole"
    assert verdict.dates == ("2019-06-01",)
    days = dict.fromkeys(["2019-06-01", "2019-06-02"])
    assert Audit.of([rule], days, rows=rows).held() == {"2019-06-01": "one_line_per_pitcher"}
    assert Audit.of([rule], days, rows=rows.drop_duplicates()).held() == {}
    assert rule.judge(rows.iloc[0:0]).passed
    assert rule.blocking and rule.severity == AssetCheckSeverity.ERROR and not rule.per_date
