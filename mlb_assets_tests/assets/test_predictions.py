"""The predictions multi-asset, its checks, the coverage report and the views, end to end."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from dagster import AssetKey, DagsterInstance

from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.table_schemas import table_columns
from mlb_assets.schedules import DAILY_SELECTION
from mlb_assets.systems import OUTPUT_COLUMNS, SYSTEM_IDS
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import BOTH_SEASONS, defs_for, per_partition, run_checks, summaries
from mlb_assets_tests.conftest import query_copy as table

START, END = "2019-06-03", "2019-06-05"
PREDICTIONS = [f"{sid}_predictions" for sid in SYSTEM_IDS]


def predict_range(  # type: ignore[no-untyped-def]
    work: Path,
    selection: list[str] | None = None,
    settings: dict[str, Any] | None = None,
    **kw: Any,
):
    defs = defs_for(work, **(settings or {}))
    return materialize_range(defs, selection or PREDICTIONS, START, END, **kw)


metadata_by_asset = summaries
check_results = run_checks


def corrupt(work: Path, system_id: str, month: str = "2019-06") -> None:
    (work / "models" / system_id / month / "model.ubj").write_bytes(b"\x00not a model")


def test_every_system_predicts_every_starter_in_the_production_shape(prepared: Path) -> None:
    result = predict_range(prepared)
    assert result.success
    starters = table(
        prepared,
        "SELECT COUNT(*) AS n FROM mlb_precompute.feature_store_slice "
        "WHERE game_date BETWEEN @s AND @e",
        s=date.fromisoformat(START),
        e=date.fromisoformat(END),
    )["n"][0]
    for sid in SYSTEM_IDS:
        rows = table(prepared, f"SELECT * FROM mlb_predictions.{sid}_predictions")
        assert len(rows) == starters > 40
        assert list(rows.columns) == [
            c for c, _ in table_columns(f"mlb_predictions.{sid}_predictions")
        ]
        assert set(OUTPUT_COLUMNS) == set(rows.columns)
        assert not rows["is_fallback"].any()
        assert rows["recommendation"].isin(["OVER", "UNDER", "PASS", "SKIP", "NO_LINE"]).all()
        assert rows["feature_coverage_pct"].between(0, 100).all()
    union = table(
        prepared,
        "SELECT system_id, COUNT(*) AS n FROM mlb_predictions.pitcher_strikeouts GROUP BY 1",
    )
    assert set(union["n"]) == {starters}
    monitoring = table(prepared, "SELECT * FROM mlb_predictions.feature_coverage_monitoring")
    assert len(monitoring) == 3 * 3  # 3 dates x 3 systems
    assert (monitoring.groupby("system_id")["predictions"].sum() == starters).all()


def test_inputs_are_read_once_and_metadata_reports_quality(prepared: Path) -> None:
    meta = metadata_by_asset(predict_range(prepared))
    for asset in PREDICTIONS:
        m = meta[asset]
        assert m["shared_read_queries"] == 3  # features, roster, lines: once for all systems
        assert m["warehouse_queries"] == 4  # + this system's one atomic write
        assert m["range_fallback_count"] == 0
        assert m["predictions"] > 40


def test_subset_runs_only_what_was_selected(prepared: Path) -> None:
    result = predict_range(prepared, ["ensemble_v1_predictions"])
    assert set(metadata_by_asset(result)) == {"ensemble_v1_predictions"}
    assert len(table(prepared, "SELECT * FROM mlb_predictions.v1_baseline_predictions")) == 0
    ensemble = table(prepared, "SELECT * FROM mlb_predictions.ensemble_v1_predictions")
    assert len(ensemble) > 40 and not ensemble["is_fallback"].any()
    assert ensemble["model_version"].str.startswith("ensemble_v1(v1_baseline-2019-06").all()


def test_rematerializing_replaces_rows(prepared: Path) -> None:
    predict_range(prepared)
    predict_range(prepared)
    dupes = table(
        prepared,
        "SELECT prediction_id, COUNT(*) AS n FROM mlb_predictions.pitcher_strikeouts "
        "GROUP BY 1 HAVING COUNT(*) > 1",
    )
    assert dupes.empty


@pytest.mark.parametrize("fault", ["corrupt", "missing"])
def test_bad_model_falls_back_fails_its_checks_and_stops_downstream(
    prepared: Path, fault: str
) -> None:
    if fault == "corrupt":
        corrupt(prepared, "v1_6_rolling")
    else:
        (prepared / "models" / "v1_6_rolling" / "2019-06" / "metadata.json").unlink()
    result = predict_range(prepared, [*PREDICTIONS, "coverage_report"], raise_on_error=False)
    assert not result.success  # blocking ERROR checks failed
    checks = check_results(result)
    assert not checks[("v1_6_rolling_predictions", "fallback_rate")].passed
    assert not checks[("v1_6_rolling_predictions", "model_load_failures")].passed
    assert checks[("v1_baseline_predictions", "fallback_rate")].passed
    assert checks[("v1_baseline_predictions", "model_load_failures")].passed
    assert "coverage_report" not in metadata_by_asset(result)  # downstream never ran

    # The failed dates had no published rows before: nothing is published, the candidates
    # wait in quarantine with the run and the checks they failed.
    assert table(prepared, "SELECT * FROM mlb_predictions.v1_6_rolling_predictions").empty
    broken = table(prepared, "SELECT * FROM mlb_predictions.v1_6_rolling_predictions_quarantine")
    assert len(broken) > 40 and broken["is_fallback"].all()
    assert (broken["fallback_kind"] == "model_load_failed").all()
    assert (broken["model_load_failures"] == 1).all()
    assert (broken["recommendation"].isin(["PASS", "SKIP"])).all()
    assert set(broken["run_id"]) == {result.run_id}
    assert broken["failed_checks"].str.contains("model_load_failures").all()
    healthy = table(prepared, "SELECT * FROM mlb_predictions.v1_baseline_predictions")
    assert len(healthy) > 40 and not healthy["is_fallback"].any()
    # The ensemble leans on the healthy component (x0.8), but says a component failed to
    # load, which its own model_load_failures check holds back too.
    ensemble = table(prepared, "SELECT * FROM mlb_predictions.ensemble_v1_predictions_quarantine")
    assert len(ensemble) > 40 and not ensemble["is_fallback"].any()
    assert (ensemble["model_load_failures"] == 1).all()


def test_a_failed_rerun_keeps_the_published_rows_and_quarantines_its_candidates(
    prepared: Path,
) -> None:
    assert predict_range(prepared, ["v1_6_rolling_predictions"]).success
    before = table(prepared, "SELECT * FROM mlb_predictions.v1_6_rolling_predictions")
    corrupt(prepared, "v1_6_rolling")
    result = predict_range(prepared, ["v1_6_rolling_predictions"], raise_on_error=False)
    assert not result.success
    after = table(prepared, "SELECT * FROM mlb_predictions.v1_6_rolling_predictions")
    pd.testing.assert_frame_equal(after, before)  # the good model-based rows are untouched
    held = table(prepared, "SELECT * FROM mlb_predictions.v1_6_rolling_predictions_quarantine")
    assert len(held) == len(before) and held["is_fallback"].all()
    check = check_results(result)[("v1_6_rolling_predictions", "fallback_rate")]
    quarantine = "mlb_predictions.v1_6_rolling_predictions_quarantine"
    assert check.metadata["quarantine_table"].value == quarantine
    # Withheld dates are not recorded as materialized: the UI keeps their earlier ones.
    assert per_partition(result, "v1_6_rolling_predictions") == {}
    assert "fallback_rate" in check.metadata["summary"].value or not check.passed


def test_thresholds_come_from_the_configuration(prepared: Path) -> None:
    corrupt(prepared, "v1_baseline")
    result = predict_range(
        prepared,
        ["v1_baseline_predictions"],
        settings={"fallback_rate_threshold": 100.0},
        raise_on_error=False,
    )
    checks = check_results(result)
    assert checks[("v1_baseline_predictions", "fallback_rate")].passed  # 100 % <= 100 %
    meta = checks[("v1_baseline_predictions", "fallback_rate")].metadata
    assert meta["rule"].value == "fallback_rate <= 100.00 % on every date"
    assert meta["worst_value"].value == "100.00 %"
    assert not checks[("v1_baseline_predictions", "model_load_failures")].passed


def test_features_missing_for_most_pitchers_fail_the_coverage_check(
    prepared: Path, caplog: pytest.LogCaptureFixture
) -> None:
    wh = DuckDBWarehouse(path=str(prepared / "warehouse.duckdb"))
    wh.connection().execute(
        "UPDATE mlb_precompute.feature_store_slice SET k_avg_last_3 = NULL, k_avg_last_5 = NULL,"
        " k_avg_last_10 = NULL, k_std_last_10 = NULL, season_era = NULL, season_whip = NULL,"
        " opponent_team_k_rate = NULL, ballpark_k_factor = NULL "
        "WHERE hash(pitcher_lookup) % 10 < 8"
    )
    wh.close()
    caplog.set_level(logging.WARNING, logger="mlb_assets.structured")
    with DagsterInstance.ephemeral() as instance:
        result = predict_range(prepared, raise_on_error=False, instance=instance)
        summaries_in_event_log = [
            e.user_message
            for e in instance.all_logs(result.run_id)
            if "below 80 % feature coverage" in (e.user_message or "")
        ]
    warnings = [r.getMessage() for r in caplog.records if r.name == "mlb_assets.structured"]
    check = check_results(result)[("v1_baseline_predictions", "low_coverage_rate")]
    assert not check.passed
    assert float(check.metadata["worst_value"].value.removesuffix(" %")) > 20.0
    assert not check.metadata["per_date"].value.records[0].data["passed"]
    low_rows = table(
        prepared,
        # Published or held back in quarantine (these dates fail the coverage check).
        "SELECT COUNT(*) AS n FROM (SELECT is_low_coverage FROM mlb_predictions.pitcher_strikeouts"
        + "".join(
            f" UNION ALL SELECT is_low_coverage FROM mlb_predictions.{name}_quarantine"
            for name in PREDICTIONS
        )
        + ") AS candidates WHERE is_low_coverage",
    )["n"][0]
    assert len(warnings) == low_rows > 0  # one structured warning per low-coverage prediction
    assert len(summaries_in_event_log) == 3 * 3  # one event-log line per date and system
    fields = json.loads(warnings[0])
    assert {
        "pitcher_lookup",
        "game_date",
        "system_id",
        "feature_coverage_pct",
        "missing_features",
    } <= set(fields)


@pytest.mark.parametrize("severity", ["WARN", "ERROR"])
def test_coverage_severity_decides_whether_downstream_runs(prepared: Path, severity: str) -> None:
    settings = {"low_coverage_rate_threshold": 0.0, "low_coverage_check_severity": severity}
    spec = next(
        s
        for s in defs_for(prepared, **settings).resolve_asset_graph().asset_check_keys
        if s.name == "low_coverage_rate" and s.asset_key.to_user_string() == PREDICTIONS[1]
    )
    blocking = defs_for(prepared, **settings).resolve_asset_graph().get_check_spec(spec).blocking
    result = predict_range(
        prepared, [PREDICTIONS[1], "coverage_report"], settings=settings, raise_on_error=False
    )
    check = check_results(result)[(PREDICTIONS[1], "low_coverage_rate")]
    assert not check.passed and check.severity.value == severity
    assert blocking is (severity == "ERROR")
    ran_downstream = "coverage_report" in metadata_by_asset(result)
    assert result.success is ran_downstream is (severity == "WARN")


def test_coverage_report_counts_every_system_for_every_starter(prepared: Path) -> None:
    result = predict_range(prepared, [*PREDICTIONS, "coverage_report"])
    assert result.success
    report = table(prepared, "SELECT * FROM mlb_predictions.coverage_report")
    assert len(report) == 3 * 3
    assert (report["predictions"] == report["scheduled_starters"]).all()
    counts = report[["over_count", "under_count", "pass_count", "skip_count", "no_line_count"]]
    assert (counts.sum(axis=1) == report["predictions"]).all()
    assert check_results(result)[("coverage_report", "every_starter_covered")].passed
    meta = metadata_by_asset(result)["coverage_report"]
    assert 0 < meta["avg_coverage_pct"] <= 100 and meta["fallback_rate_pct"] == 0.0
    observed = per_partition(result, "coverage_report")
    assert sorted(observed) == ["2019-06-03", "2019-06-04", "2019-06-05"]
    for (day, system), row in report.set_index(
        [report["game_date"].dt.strftime("%Y-%m-%d"), "system_id"]
    ).iterrows():
        got = observed[day][f"{system}_avg_coverage_pct"]
        assert got == pytest.approx(row["avg_coverage_pct"], abs=0.005)


def test_injuries_table_dropped_roster_empty_nobody_skipped_for_il(prepared: Path) -> None:
    wh = DuckDBWarehouse(path=str(prepared / "warehouse.duckdb"))
    wh.connection().execute("DROP TABLE mlb_raw.bdl_injuries CASCADE")
    wh.close()
    result = predict_range(
        prepared, ["il_roster", *PREDICTIONS, "coverage_report"], raise_on_error=False
    )
    checks = check_results(result)
    source = checks[("il_roster", "il_source_answered")]
    assert not source.passed and source.severity.value == "WARN"
    assert result.success  # WARN does not block
    rows = table(prepared, "SELECT * FROM mlb_predictions.pitcher_strikeouts")
    assert not rows["skip_reason"].fillna("").str.startswith("on_il").any()
    assert checks[("coverage_report", "every_starter_covered")].passed


def test_walk_forward_models_never_saw_their_own_month(prepared: Path) -> None:
    for sid in ("v1_baseline", "v1_6_rolling"):
        for month in ("2019-05", "2019-06"):
            meta = json.loads((prepared / "models" / sid / month / "metadata.json").read_text())
            assert date.fromisoformat(meta["trained_through"]) < date.fromisoformat(f"{month}-01")
            assert meta["training_rows"] > 1000
            assert 1.0 < meta["validation_mae"] < 2.6
            assert meta["features"] and meta["xgboost_version"]


def test_asset_graph_shape(prepared: Path) -> None:
    graph = defs_for(prepared).resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {
        "feature_store_slice",
        "il_roster",
        "prop_lines",
        "strikeout_models",
        "coverage_report",
        *PREDICTIONS,
    } <= keys
    node = graph.get(AssetKey("ensemble_v1_predictions"))
    assert {p.to_user_string() for p in node.parent_keys} >= {
        "feature_store_slice",
        "il_roster",
        "prop_lines",
        "strikeout_models",
    }


def test_pinned_model_paths_replace_the_monthly_models(prepared: Path) -> None:
    pinned = {"v1_model_path": str(prepared / "models" / "v1_baseline" / "2019-05")}
    result = predict_range(
        prepared, ["v1_baseline_predictions", "v1_6_rolling_predictions"], settings=pinned
    )
    assert result.success
    v1 = table(
        prepared, "SELECT DISTINCT model_version FROM mlb_predictions.v1_baseline_predictions"
    )
    v16 = table(
        prepared, "SELECT DISTINCT model_version FROM mlb_predictions.v1_6_rolling_predictions"
    )
    assert v1["model_version"].str.startswith("v1_baseline-2019-05-").all()  # pinned
    assert v16["model_version"].str.startswith("v1_6_rolling-2019-06-").all()  # the month's


def test_a_date_without_games_runs_the_daily_graph_and_passes(prepared: Path) -> None:
    """The daily schedule runs in winter too: an off-season date writes nothing, fails nothing."""
    defs = defs_for(prepared, **BOTH_SEASONS)
    result = materialize_range(defs, DAILY_SELECTION, "2019-01-15", "2019-01-15")
    assert result.success
    meta = metadata_by_asset(result)
    daily = DAILY_SELECTION.resolve(defs.resolve_asset_graph())
    assert set(meta) == {key.to_user_string() for key in daily}
    assert {meta[asset]["predictions"] for asset in PREDICTIONS} == {0}
    assert all(m["dagster/row_count"] == 0 for m in meta.values())
    assert all(c.passed for c in result.get_asset_check_evaluations())
