"""What every prediction system shares in a run: one frame, and each model loaded once.

Used by the predictions multi-asset, the single-pitcher CLI and the benchmarks, so all three
take the same path: three reads (features, roster, lines), then vectorised systems.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from mlb_assets.config import MLBConfig
from mlb_assets.resources.model_store import ModelStore, load_artifact
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import MODEL_FEATURES, SYSTEM_IDS, LoadedModel, ScoringRules, run_systems
from mlb_assets.systems.ids import ENSEMBLE_V1, V1_6_ROLLING, V1_BASELINE

KEYS = ["game_date", "pitcher_lookup"]


def join_inputs(features: pd.DataFrame, roster: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """The feature slice with each starter's offered prices and IL status attached."""
    for frame in (features, roster, lines):
        frame["game_date"] = pd.to_datetime(frame["game_date"])
    odds = lines[[*KEYS, "over_odds", "under_odds"]].drop_duplicates(KEYS)
    frame = features.merge(odds, on=KEYS, how="left")
    injured = roster[KEYS].drop_duplicates().assign(on_il=True)
    frame = frame.merge(injured, on=KEYS, how="left")
    frame["on_il"] = frame["on_il"].astype("boolean").fillna(False).astype(bool)
    return frame


def load_shared_frame(warehouse: Warehouse, start: date, end: date) -> pd.DataFrame:
    """Three queries, whatever the number of dates, pitchers or systems."""
    params = {"start_date": start, "end_date": end}
    return join_inputs(
        warehouse.query("sources/read_feature_store_slice.sql", params),
        warehouse.query("sources/read_il_roster.sql", params),
        warehouse.query("sources/read_prop_lines.sql", params),
    )


def model_month(game_date: pd.Series) -> pd.Series:
    return pd.to_datetime(game_date).dt.strftime("%Y-%m")


@dataclass
class ModelResolver:
    """Loads each artifact at most once per run: pinned paths, else the month's model."""

    config: MLBConfig
    store: ModelStore
    _cache: dict[tuple[str, str], LoadedModel] = field(default_factory=dict)

    def _pinned(self, system_id: str) -> str | None:
        return {
            V1_BASELINE: self.config.v1_model_path,
            V1_6_ROLLING: self.config.v1_6_model_path,
        }[system_id]

    def model(self, system_id: str, month: str) -> LoadedModel:
        pinned = self._pinned(system_id)
        key = (system_id, "pinned" if pinned else month)
        if key not in self._cache:
            features = MODEL_FEATURES[system_id]
            self._cache[key] = (
                load_artifact(pinned, "", system_id, features)
                if pinned
                else self.store.load(system_id, month, features)
            )
        return self._cache[key]

    def models(self, month: str) -> dict[str, LoadedModel]:
        return {sid: self.model(sid, month) for sid in MODEL_FEATURES}

    def load_failures(self) -> dict[tuple[str, str], str]:
        """(system, month or 'pinned') -> error, for every artifact that failed to load."""
        return {key: m.load_error for key, m in self._cache.items() if m.load_error}


def component_systems(system_id: str) -> tuple[str, ...]:
    return (V1_BASELINE, V1_6_ROLLING) if system_id == ENSEMBLE_V1 else (system_id,)


@dataclass
class Predictions:
    frames: dict[str, pd.DataFrame]
    # per system: game_date -> number of its models (or components') that failed to load
    load_failures_by_date: dict[str, pd.Series]


def scoring_rules(config: MLBConfig) -> ScoringRules:
    """The env-configured thresholds the pure scoring code obeys."""
    return ScoringRules(
        min_edge=config.min_edge,
        min_confidence=config.min_confidence,
        low_coverage_threshold=config.low_coverage_threshold,
    )


def predict(
    frame: pd.DataFrame,
    resolver: ModelResolver,
    systems: Iterable[str],
    config: MLBConfig,
    created_at: pd.Timestamp | None = None,
) -> Predictions:
    """Run the systems month by month (each month has its own walk-forward model)."""
    systems = [s for s in SYSTEM_IDS if s in set(systems)]
    rules = scoring_rules(config)
    stamp = created_at if created_at is not None else pd.Timestamp.now(tz="UTC")
    months = model_month(frame["game_date"]) if len(frame) else pd.Series(dtype=str)
    parts: dict[str, list[pd.DataFrame]] = {sid: [] for sid in systems}
    failures: dict[str, dict[pd.Timestamp, int]] = {sid: {} for sid in systems}
    for month, rows in frame.groupby(months, sort=True):
        models = resolver.models(str(month))
        for sid, result in run_systems(
            rows, models, systems, rules, config.ensemble_weights, stamp
        ).items():
            parts[sid].append(result)
            failed = sum(1 for c in component_systems(sid) if models[c].load_error)
            for game_date in rows["game_date"].unique():
                failures[sid][pd.Timestamp(game_date)] = failed
    if frame.empty:  # no starters: every system's empty frame, in the output shape
        frames = run_systems(frame, {}, systems, rules, config.ensemble_weights, stamp)
    else:
        frames = {sid: pd.concat(parts[sid], ignore_index=True) for sid in systems}
    return Predictions(
        frames=frames,
        load_failures_by_date={sid: pd.Series(failures[sid], dtype="int64") for sid in systems},
    )
