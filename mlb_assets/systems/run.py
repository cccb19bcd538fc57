"""The pure run of the systems over a shared frame: inputs joined, month by month, vectorised.

Used by the predictions multi-asset, the single-pitcher CLI and the benchmarks, so all three
take the same path. Which model a month uses is the caller's business (`models_for`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from mlb_assets.systems.ids import SYSTEM_IDS
from mlb_assets.systems.models import LoadedModel
from mlb_assets.systems.registry import run_systems
from mlb_assets.systems.scoring import ScoringRules

KEYS = ["game_date", "pitcher_lookup"]
# What the picks need from the day's line: the selected book's prices and the best price per
# side across the books posting that line (line shopping).
LINE_COLUMNS = [
    "bookmaker",
    "over_odds",
    "under_odds",
    "best_over_odds",
    "best_over_book",
    "best_under_odds",
    "best_under_book",
]


def join_inputs(features: pd.DataFrame, roster: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """The feature slice with each starter's offered and best prices and IL status attached.

    Lines stored before line shopping have no best prices (NULL): the picks then take the
    selected book's prices.
    """
    for frame in (features, roster, lines):
        frame["game_date"] = pd.to_datetime(frame["game_date"])
    odds = lines.reindex(columns=[*KEYS, *LINE_COLUMNS]).drop_duplicates(KEYS)
    frame = features.merge(odds, on=KEYS, how="left")
    injured = roster[KEYS].drop_duplicates().assign(on_il=True)
    frame = frame.merge(injured, on=KEYS, how="left")
    frame["on_il"] = frame["on_il"].astype("boolean").fillna(False).astype(bool)
    return frame


def model_month(game_date: pd.Series) -> pd.Series:
    return pd.to_datetime(game_date).dt.strftime("%Y-%m")


def predict(
    frame: pd.DataFrame,
    models_for: Callable[[str], Mapping[str, LoadedModel]],
    systems: Iterable[str],
    rules: ScoringRules,
    ensemble_weights: tuple[float, float],
    created_at: pd.Timestamp | None = None,
) -> dict[str, pd.DataFrame]:
    """Run the systems month by month (each month has its own walk-forward model)."""
    systems = [s for s in SYSTEM_IDS if s in set(systems)]
    stamp = created_at if created_at is not None else pd.Timestamp.now(tz="UTC")
    if frame.empty:  # no starters: every system's empty frame, in the output shape
        return run_systems(frame, {}, systems, rules, ensemble_weights, stamp)
    parts: dict[str, list[pd.DataFrame]] = {sid: [] for sid in systems}
    for month, rows in frame.groupby(model_month(frame["game_date"]), sort=True):
        results = run_systems(rows, models_for(str(month)), systems, rules, ensemble_weights, stamp)
        for sid, result in results.items():
            parts[sid].append(result)
    return {sid: pd.concat(parts[sid], ignore_index=True) for sid in systems}
