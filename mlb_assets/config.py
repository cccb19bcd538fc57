"""Every threshold and setting, read once from environment variables and validated.

A bad value must stop the code location from loading with a message that names the variable,
the value and what is allowed: a silently ignored threshold is worse than no threshold.
Each field's `alias` is its environment variable; docs/ENVIRONMENT-VARIABLES.md lists them all.
The environment is read in exactly one place, where the definitions are built
(`mlb_assets.definitions`), or once at the start of a command; everything else receives the
resulting object, so what a check says and what it enforces can never differ.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

if TYPE_CHECKING:
    from mlb_assets.systems.scoring import ScoringRules

Percent = Annotated[float, Field(ge=0.0, le=100.0)]

# The demo season the embedded default predicts (the seed's 2019 schedule).
DEMO_SEASON_START = date(2019, 3, 28)
DEMO_SEASON_END = date(2019, 9, 29)


class ConfigError(ValueError):
    """Raised at load time for a malformed or out-of-range environment variable."""


class MLBConfig(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    # warehouse
    warehouse: Literal["duckdb", "bigquery"] = Field("duckdb", alias="MLB_WAREHOUSE")
    duckdb_path: str = Field(".mlb/warehouse.duckdb", alias="MLB_DUCKDB_PATH", min_length=1)
    # DuckDB takes one writer per file: how long to wait (saying so) for another process's lock.
    duckdb_lock_timeout_seconds: float = Field(
        60.0, alias="MLB_DUCKDB_LOCK_TIMEOUT_SECONDS", ge=0.0, le=3600.0
    )
    gcp_project: str | None = Field(None, alias="MLB_GCP_PROJECT")
    bq_location: str = Field("US", alias="MLB_BQ_LOCATION", min_length=1)
    bq_dataset_prefix: str = Field(
        "", alias="MLB_BQ_DATASET_PREFIX", pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$", max_length=64
    )
    bq_max_bytes_billed: int = Field(10 * 1024**3, alias="MLB_BQ_MAX_BYTES_BILLED", gt=0)

    # partitions and models
    # The embedded default partitions the demo's predicted season (2019; 2018 is the history
    # its models learn from). Production sets its own first date and runs to today.
    partitions_start: date = Field(DEMO_SEASON_START, alias="MLB_PARTITIONS_START")
    partitions_end: date | None = Field(None, alias="MLB_PARTITIONS_END")
    model_store: str = Field(".mlb/models", alias="MLB_MODEL_STORE", min_length=1)
    v1_model_path: str | None = Field(None, alias="MLB_V1_MODEL_PATH")
    v1_6_model_path: str | None = Field(None, alias="MLB_V1_6_MODEL_PATH")

    # prediction rules
    min_edge: float = Field(0.5, alias="MLB_MIN_EDGE", ge=0.0, le=10.0)
    min_confidence: Percent = Field(60.0, alias="MLB_MIN_CONFIDENCE")
    ensemble_v1_weight: float = Field(0.3, alias="MLB_ENSEMBLE_V1_WEIGHT", ge=0.0, le=1.0)
    ensemble_v1_6_weight: float = Field(0.5, alias="MLB_ENSEMBLE_V1_6_WEIGHT", ge=0.0, le=1.0)
    # Price-aware picks: expected value per unit at the best price, fractional Kelly stakes.
    min_ev: float = Field(0.02, alias="MLB_MIN_EV", ge=0.0, le=1.0)
    kelly_fraction: float = Field(0.25, alias="MLB_KELLY_FRACTION", gt=0.0, le=1.0)
    max_stake_pct: float = Field(2.0, alias="MLB_MAX_STAKE_PCT", gt=0.0, le=100.0)

    # checks and alerts
    fallback_rate_threshold: Percent = Field(10.0, alias="MLB_FALLBACK_RATE_THRESHOLD")
    low_coverage_threshold: Percent = Field(80.0, alias="MLB_LOW_COVERAGE_THRESHOLD")
    low_coverage_rate_threshold: Percent = Field(20.0, alias="MLB_LOW_COVERAGE_RATE_THRESHOLD")
    low_coverage_check_severity: Literal["ERROR", "WARN"] = Field(
        "ERROR", alias="MLB_LOW_COVERAGE_CHECK_SEVERITY"
    )
    model_load_failure_threshold: int = Field(1, alias="MLB_MODEL_LOAD_FAILURE_THRESHOLD", ge=1)
    fallback_window_minutes: int = Field(10, alias="MLB_FALLBACK_WINDOW_MINUTES", ge=0)
    il_cache_ttl_hours: float = Field(3.0, alias="MLB_IL_CACHE_TTL_HOURS", gt=0.0, le=168.0)
    # Model quality, judged per month on the graded predictions (system_performance checks).
    max_calibration_error: float = Field(0.03, alias="MLB_MAX_CALIBRATION_ERROR", ge=0.0, le=0.5)
    min_brier_skill: float = Field(-0.05, alias="MLB_MIN_BRIER_SKILL", ge=-1.0, le=1.0)
    max_mae_over_line: float = Field(0.15, alias="MLB_MAX_MAE_OVER_LINE", ge=0.0, le=5.0)
    # A webhook URL is a credential: kept out of reprs and logs.
    alert_slack_webhook_url: str | None = Field(
        None, alias="MLB_ALERT_SLACK_WEBHOOK_URL", pattern=r"^https?://\S+$", repr=False
    )
    dagster_base_url: str = Field(
        "http://127.0.0.1:3000", alias="MLB_DAGSTER_BASE_URL", pattern=r"^https?://\S+$"
    )

    @model_validator(mode="after")
    def _weights_sum(self) -> MLBConfig:
        if self.ensemble_v1_weight + self.ensemble_v1_6_weight <= 0:
            raise ValueError(
                "MLB_ENSEMBLE_V1_WEIGHT + MLB_ENSEMBLE_V1_6_WEIGHT must be greater than 0"
            )
        return self

    @model_validator(mode="after")
    def _partitions_in_order(self) -> MLBConfig:
        if self.partitions_end is not None and self.partitions_end < self.partitions_start:
            raise ValueError(
                f"MLB_PARTITIONS_END={self.partitions_end} is before "
                f"MLB_PARTITIONS_START={self.partitions_start}"
            )
        return self

    @property
    def last_partition(self) -> date | None:
        """The last game_date partition: the setting, else the demo season's last date on the
        embedded DuckDB default, else none (production partitions run to today)."""
        if self.partitions_end is not None:
            return self.partitions_end
        return DEMO_SEASON_END if self.warehouse == "duckdb" else None

    @property
    def ensemble_weights(self) -> tuple[float, float]:
        return (self.ensemble_v1_weight, self.ensemble_v1_6_weight)

    def scoring_rules(self) -> ScoringRules:
        """The thresholds the pure scoring code obeys, from this one configuration."""
        # Imported here: reading settings (a command's --help, a config error) needs no pandas.
        from mlb_assets.systems.scoring import ScoringRules

        return ScoringRules(
            min_edge=self.min_edge,
            min_confidence=self.min_confidence,
            low_coverage_threshold=self.low_coverage_threshold,
            min_ev=self.min_ev,
            kelly_fraction=self.kelly_fraction,
            max_stake_pct=self.max_stake_pct,
        )

    def pinned_model_paths(self) -> dict[str, str]:
        """Systems whose model is pinned to a pre-trained artifact instead of the month's."""
        pinned = {"v1_baseline": self.v1_model_path, "v1_6_rolling": self.v1_6_model_path}
        return {system_id: path for system_id, path in pinned.items() if path}

    @classmethod
    def env_names(cls) -> list[str]:
        return [f.alias for f in cls.model_fields.values() if f.alias]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MLBConfig:
        """Build from the environment; empty strings count as unset."""
        environ = os.environ if environ is None else environ
        raw: dict[str, Any] = {
            name: environ[name] for name in cls.env_names() if environ.get(name, "").strip()
        }
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            raise ConfigError(_describe(exc, raw)) from None


def _describe(exc: ValidationError, raw: Mapping[str, Any]) -> str:
    problems = []
    for error in exc.errors(include_url=False):
        if not error["loc"]:
            problems.append(str(error["msg"]).removeprefix("Value error, "))
            continue
        name = str(error["loc"][0])
        problems.append(f"{name}={raw.get(name)!r} is not allowed: {error['msg']}")
    return "invalid mlb-assets configuration: " + "; ".join(problems)
