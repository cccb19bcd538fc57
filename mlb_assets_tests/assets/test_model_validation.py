"""Models are validated where they are made and wherever they are loaded: a corrupt or
unusable artifact is a model-load failure (fallback rows, the blocking check fails), never
NULL probabilities with bets. Real XGBoost models on the demo, real DuckDB, real runs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mlb_assets.evaluation.performance import expected_calibration_error
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.model_store import ModelStore
from mlb_assets.systems import MODEL_FEATURES
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import defs_for, run_checks
from mlb_assets_tests.conftest import query_copy as table

DAY = "2019-06-04"
PREDICTIONS = ["v1_baseline_predictions", "v1_6_rolling_predictions", "ensemble_v1_predictions"]


def metadata_path(work: Path, system_id: str, month: str = "2019-06") -> Path:
    return work / "models" / system_id / month / "metadata.json"


def edit_metadata(work: Path, system_id: str, edit: Any) -> None:
    path = metadata_path(work, system_id)
    metadata = json.loads(path.read_text())
    edit(metadata)
    path.write_text(json.dumps(metadata))


def test_saved_models_carry_a_calibration_fitted_before_their_month(prepared: Path) -> None:
    store = ModelStore(root=str(prepared / "models"))
    for system_id, features in MODEL_FEATURES.items():
        metadata = json.loads(metadata_path(prepared, system_id).read_text())
        assert metadata["usable"] is True and metadata["problems"] == []
        assert metadata["calibration"]["rows"] > 300  # held-out starts with a line
        assert date.fromisoformat(metadata["trained_through"]) < date(2019, 6, 1)
        loaded = store.load(system_id, "2019-06", features)
        assert loaded.load_error is None and loaded.calibration is not None


def _set(key: str, value: object) -> Any:
    return lambda metadata: metadata.__setitem__(key, value)


CORRUPTIONS = {
    "negative_dispersion": (_set("dispersion", -3.0), "dispersion=-3.0"),
    "nan_dispersion": (_set("dispersion", float("nan")), "dispersion=nan"),
    "nan_validation_mae": (_set("validation_mae", float("nan")), "validation_mae=nan"),
    "missing_key": (lambda m: m.pop("calibration"), "lacks ['calibration']"),
    "wrong_features": (
        lambda m: m.__setitem__("features", m["features"][::-1]),
        "booster's features are not the ones",
    ),
    "nan_calibration": (
        lambda m: m["calibration"].__setitem__("model_weight", float("nan")),
        "model_weight=nan",
    ),
    "other_system": (_set("system_id", "v1_baseline"), "not of 'v1_6_rolling'"),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_corrupt_metadata_is_a_model_load_failure(prepared: Path, corruption: str) -> None:
    edit, reason = CORRUPTIONS[corruption]
    edit_metadata(prepared, "v1_6_rolling", edit)
    result = materialize_range(defs_for(prepared), PREDICTIONS, DAY, DAY, raise_on_error=False)
    assert not result.success  # the blocking model_load_failures check failed
    checks = run_checks(result)
    assert not checks[("v1_6_rolling_predictions", "model_load_failures")].passed
    assert checks[("v1_baseline_predictions", "model_load_failures")].passed

    # The date failed its blocking checks: its candidates wait in quarantine, unpublished.
    assert table(prepared, "SELECT * FROM mlb_predictions.v1_6_rolling_predictions").empty
    rows = table(prepared, "SELECT * FROM mlb_predictions.v1_6_rolling_predictions_quarantine")
    assert len(rows) > 20
    assert rows["is_fallback"].all()
    assert (rows["fallback_kind"] == "model_load_failed").all()
    assert rows["fallback_reason"].str.contains(reason, regex=False).all()
    assert (rows["model_load_failures"] == 1).all()
    assert not rows["recommendation"].isin(["OVER", "UNDER"]).any()
    with_line = rows[rows["strikeouts_line"].notna()]
    assert with_line["p_over"].notna().all()  # the fallback's probabilities, never NULL


def test_a_model_failing_its_check_is_not_used_and_the_run_says_why(prepared: Path) -> None:
    """A unit mix-up in the source (pitches logged as strikeouts, within the 0-30 bounds) for
    the starts just before June: the June models miss their held-out starts by far more than
    any model should. They are saved as not usable, the check fails, and June falls back."""
    warehouse = DuckDBWarehouse(path=str(prepared / "warehouse.duckdb"))
    try:
        warehouse.connection().execute(
            "UPDATE mlb_analytics.pitcher_game_summary SET strikeouts = 29 "
            "WHERE game_date BETWEEN DATE '2019-05-01' AND DATE '2019-05-31'"
        )
    finally:
        warehouse.close()
    defs = defs_for(prepared)
    trained = materialize_range(
        defs, ["strikeout_models"], "2019-06-01", "2019-06-01", raise_on_error=False
    )
    check = run_checks(trained)[("strikeout_models", "models_usable")]
    assert not check.passed
    assert check.metadata["models_rejected"].value == 2
    assert check.metadata["summary"].value.startswith("2 of 2 models rejected")
    for system_id in MODEL_FEATURES:
        metadata = json.loads(metadata_path(prepared, system_id).read_text())
        assert metadata["usable"] is False
        assert any("validation_mae" in p for p in metadata["problems"])

    result = materialize_range(defs, PREDICTIONS, DAY, DAY, raise_on_error=False)
    assert not result.success
    for system in ("v1_baseline", "v1_6_rolling"):
        rows = table(prepared, f"SELECT * FROM mlb_predictions.{system}_predictions_quarantine")
        assert rows["is_fallback"].all()
        assert rows["fallback_reason"].str.contains("rejected at training").all()
    ensemble = table(prepared, "SELECT * FROM mlb_predictions.ensemble_v1_predictions_quarantine")
    assert (
        ensemble["is_fallback"].all() and (ensemble["fallback_kind"] == "components_unusable").all()
    )


def test_calibration_reduces_the_calibration_error_on_the_month_after_training(
    prepared: Path,
) -> None:
    """June 2019, predicted by the June models (trained and calibrated on starts before June),
    graded against what happened: the calibrated P(over | no push) is better calibrated than
    the raw one."""
    assert materialize_range(defs_for(prepared), PREDICTIONS, "2019-06-01", "2019-06-30").success
    rows = table(
        prepared,
        "SELECT p.system_id, p.p_over, p.p_under, p.p_over_raw, p.p_under_raw, "
        "p.strikeouts_line, g.strikeouts AS actual_strikeouts "
        "FROM mlb_predictions.pitcher_strikeouts AS p "
        "JOIN mlb_precompute.pitcher_games AS g "
        "  ON g.game_date = p.game_date AND g.pitcher_lookup = p.pitcher_lookup AND g.is_starter "
        "WHERE p.strikeouts_line IS NOT NULL AND NOT p.is_fallback "
        "  AND g.strikeouts != p.strikeouts_line",
    )
    for system_id, graded in rows.groupby("system_id"):
        assert len(graded) > 400, system_id
        raw = graded.assign(p_over=graded["p_over_raw"], p_under=graded["p_under_raw"])
        ece_raw = expected_calibration_error(raw)
        ece_calibrated = expected_calibration_error(graded)
        assert ece_calibrated < ece_raw, (system_id, ece_raw, ece_calibrated)
