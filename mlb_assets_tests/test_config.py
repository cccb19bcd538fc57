"""Every setting comes from an env var, is documented, and a bad value stops the load."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from mlb_assets.config import ConfigError, MLBConfig
from mlb_assets_tests.bounds import run_bounded

REPO = Path(__file__).resolve().parent.parent
DOC = (REPO / "docs" / "ENVIRONMENT-VARIABLES.md").read_text()

GOOD = {
    "MLB_WAREHOUSE": ("bigquery", "warehouse", "bigquery"),
    "MLB_DUCKDB_PATH": ("/tmp/x.duckdb", "duckdb_path", "/tmp/x.duckdb"),
    "MLB_DUCKDB_LOCK_TIMEOUT_SECONDS": ("300", "duckdb_lock_timeout_seconds", 300.0),
    "MLB_GCP_PROJECT": ("my-project", "gcp_project", "my-project"),
    "MLB_BQ_LOCATION": ("EU", "bq_location", "EU"),
    "MLB_BQ_DATASET_PREFIX": ("staging_", "bq_dataset_prefix", "staging_"),
    "MLB_BQ_MAX_BYTES_BILLED": ("1000", "bq_max_bytes_billed", 1000),
    "MLB_PARTITIONS_START": ("2017-04-02", "partitions_start", date(2017, 4, 2)),
    "MLB_PARTITIONS_END": ("2019-10-01", "partitions_end", date(2019, 10, 1)),
    "MLB_MODEL_STORE": ("gs://b/m", "model_store", "gs://b/m"),
    "MLB_V1_MODEL_PATH": ("/m/v1", "v1_model_path", "/m/v1"),
    "MLB_V1_6_MODEL_PATH": ("/m/v16", "v1_6_model_path", "/m/v16"),
    "MLB_MIN_EDGE": ("0.75", "min_edge", 0.75),
    "MLB_MIN_CONFIDENCE": ("65", "min_confidence", 65.0),
    "MLB_ENSEMBLE_V1_WEIGHT": ("0.4", "ensemble_v1_weight", 0.4),
    "MLB_ENSEMBLE_V1_6_WEIGHT": ("0.6", "ensemble_v1_6_weight", 0.6),
    "MLB_MIN_EV": ("0.03", "min_ev", 0.03),
    "MLB_KELLY_FRACTION": ("0.5", "kelly_fraction", 0.5),
    "MLB_MAX_STAKE_PCT": ("1", "max_stake_pct", 1.0),
    "MLB_FALLBACK_RATE_THRESHOLD": ("5", "fallback_rate_threshold", 5.0),
    "MLB_LOW_COVERAGE_THRESHOLD": ("75", "low_coverage_threshold", 75.0),
    "MLB_LOW_COVERAGE_RATE_THRESHOLD": ("30", "low_coverage_rate_threshold", 30.0),
    "MLB_LOW_COVERAGE_CHECK_SEVERITY": ("WARN", "low_coverage_check_severity", "WARN"),
    "MLB_MODEL_LOAD_FAILURE_THRESHOLD": ("2", "model_load_failure_threshold", 2),
    "MLB_FALLBACK_WINDOW_MINUTES": ("60", "fallback_window_minutes", 60),
    "MLB_IL_CACHE_TTL_HOURS": ("1.5", "il_cache_ttl_hours", 1.5),
    "MLB_MAX_CALIBRATION_ERROR": ("0.05", "max_calibration_error", 0.05),
    "MLB_MIN_BRIER_SKILL": ("0", "min_brier_skill", 0.0),
    "MLB_MAX_MAE_OVER_LINE": ("0.1", "max_mae_over_line", 0.1),
    "MLB_ALERT_SLACK_WEBHOOK_URL": (
        "https://hooks.example/x",
        "alert_slack_webhook_url",
        "https://hooks.example/x",
    ),
    "MLB_DAGSTER_BASE_URL": (
        "https://dagster.example",
        "dagster_base_url",
        "https://dagster.example",
    ),
}
BAD = {
    "MLB_WAREHOUSE": "postgres",
    "MLB_DUCKDB_PATH": " ",  # blank counts as unset: covered by the default test below
    "MLB_DUCKDB_LOCK_TIMEOUT_SECONDS": "-1",
    "MLB_GCP_PROJECT": None,
    "MLB_BQ_LOCATION": None,
    "MLB_BQ_DATASET_PREFIX": "bad-prefix!",
    "MLB_BQ_MAX_BYTES_BILLED": "-1",
    "MLB_PARTITIONS_START": "2019-13-01",
    "MLB_PARTITIONS_END": "2019-01-01",  # before the default first partition
    "MLB_MODEL_STORE": None,
    "MLB_V1_MODEL_PATH": None,
    "MLB_V1_6_MODEL_PATH": None,
    "MLB_MIN_EDGE": "-0.5",
    "MLB_MIN_CONFIDENCE": "101",
    "MLB_ENSEMBLE_V1_WEIGHT": "2",
    "MLB_ENSEMBLE_V1_6_WEIGHT": "heavy",
    "MLB_MIN_EV": "-0.01",  # a negative-value pick is never allowed
    "MLB_KELLY_FRACTION": "0",
    "MLB_MAX_STAKE_PCT": "101",
    "MLB_FALLBACK_RATE_THRESHOLD": "abc",
    "MLB_LOW_COVERAGE_THRESHOLD": "-5",
    "MLB_LOW_COVERAGE_RATE_THRESHOLD": "200",
    "MLB_LOW_COVERAGE_CHECK_SEVERITY": "FATAL",
    "MLB_MODEL_LOAD_FAILURE_THRESHOLD": "0",
    "MLB_FALLBACK_WINDOW_MINUTES": "1.5",
    "MLB_IL_CACHE_TTL_HOURS": "0",
    "MLB_MAX_CALIBRATION_ERROR": "0.9",
    "MLB_MIN_BRIER_SKILL": "-2",
    "MLB_MAX_MAE_OVER_LINE": "none",
    "MLB_ALERT_SLACK_WEBHOOK_URL": "not a url",
    "MLB_DAGSTER_BASE_URL": "localhost:3000",
}


def test_every_setting_is_covered_here() -> None:
    assert set(GOOD) == set(BAD) == set(MLBConfig.env_names())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_good_value_is_used(name: str) -> None:
    raw, field, expected = GOOD[name]
    assert getattr(MLBConfig.from_env({name: raw}), field) == expected


@pytest.mark.parametrize("name", sorted(n for n, v in BAD.items() if v and v.strip()))
def test_a_bad_value_is_refused_naming_the_variable(name: str) -> None:
    with pytest.raises(ConfigError) as error:
        MLBConfig.from_env({name: BAD[name]})
    assert name in str(error.value) or "WEIGHT" in str(error.value)
    assert "\n" not in str(error.value)


def test_defaults_work_out_of_the_box() -> None:
    config = MLBConfig.from_env({"MLB_DUCKDB_PATH": " "})
    assert config.warehouse == "duckdb" and config.duckdb_path == ".mlb/warehouse.duckdb"
    assert config.fallback_rate_threshold == 10.0 and config.low_coverage_threshold == 80.0
    assert config.ensemble_weights == (0.3, 0.5)


def test_weights_may_not_both_be_zero() -> None:
    with pytest.raises(ConfigError, match="must be greater than 0"):
        MLBConfig.from_env({"MLB_ENSEMBLE_V1_WEIGHT": "0", "MLB_ENSEMBLE_V1_6_WEIGHT": "0"})


def test_webhook_url_never_appears_in_the_repr() -> None:
    config = MLBConfig.from_env({"MLB_ALERT_SLACK_WEBHOOK_URL": "https://hooks.example/SECRET"})
    assert "SECRET" not in repr(config) and "SECRET" not in str(config)


def test_every_variable_the_code_reads_is_documented() -> None:
    read = set()
    for path in (REPO / "mlb_assets").rglob("*.py"):
        read |= set(re.findall(r"\bMLB_[A-Z0-9_]+\b", path.read_text()))
    read |= set(MLBConfig.env_names())
    documented = set(re.findall(r"`(MLB_[A-Z0-9_]+)`", DOC))
    assert read and not (read - documented), f"undocumented: {sorted(read - documented)}"


def validate(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_bounded(
        [
            str(Path(sys.executable).parent / "dagster"),
            "definitions",
            "validate",
            "-m",
            "mlb_assets.definitions",
        ],
        "dagster definitions validate",
        cwd=REPO,
        env={**os.environ, **env},
    )


@pytest.mark.slow
def test_definitions_validate_passes() -> None:
    done = validate({})
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.slow
def test_dg_finds_the_code_location() -> None:
    done = run_bounded(
        [str(Path(sys.executable).parent / "dg"), "check", "defs"], "dg check defs", cwd=REPO
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "All definitions loaded successfully" in done.stdout + done.stderr


@pytest.mark.slow
def test_a_bad_value_stops_the_code_location_loading() -> None:
    """Dagster's own loader, in its own process, once: the refusal reaches the user."""
    name, value = "MLB_FALLBACK_RATE_THRESHOLD", "abc"
    done = validate({name: value})
    assert done.returncode != 0
    assert f"{name}={value!r} is not allowed" in done.stdout + done.stderr


def test_a_value_out_of_range_stops_the_module_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code location's module run afresh in this process (a second `dagster definitions
    validate` would cost a process start and a code-location load to show the same path)."""
    monkeypatch.setenv("MLB_MIN_EDGE", "-5")
    spec = importlib.util.find_spec("mlb_assets.definitions")
    assert spec is not None and spec.loader is not None
    afresh = importlib.util.module_from_spec(spec)  # not the imported module, not registered
    with pytest.raises(ConfigError, match=re.escape("MLB_MIN_EDGE='-5' is not allowed")):
        spec.loader.exec_module(afresh)


def test_scoring_rules_carry_the_pricing_settings() -> None:
    config = MLBConfig.from_env(
        {"MLB_MIN_EV": "0.04", "MLB_KELLY_FRACTION": "0.5", "MLB_MAX_STAKE_PCT": "1.5"}
    )
    rules = config.scoring_rules()
    assert (rules.min_ev, rules.kelly_fraction, rules.max_stake_pct) == (0.04, 0.5, 1.5)
    defaults = MLBConfig.from_env({}).scoring_rules()
    assert (defaults.min_ev, defaults.kelly_fraction, defaults.max_stake_pct) == (0.02, 0.25, 2.0)
