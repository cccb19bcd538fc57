"""`mlb-assets predict`: one pitcher, one date, every system — through the same code as the
daily assets (the slice query and its line features, the model resolver, the vectorised
systems) on a 1-row frame.
"""

from __future__ import annotations

import argparse
import json
import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from mlb_assets.cli.inputs import parse_date, parse_features, parse_line, parse_odds
from mlb_assets.config import MLBConfig
from mlb_assets.errors import UsageError
from mlb_assets.features.lines import with_line_features
from mlb_assets.features.names import normalize_pitcher_key
from mlb_assets.resources.factory import reading
from mlb_assets.resources.model_store import ModelResolver, ModelStore
from mlb_assets.resources.reads import fetch_roster, query_slice
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import SYSTEM_IDS
from mlb_assets.systems.run import join_inputs, predict

DEFAULT_PRICE = -110


def line_inputs(args: argparse.Namespace) -> dict[str, Any]:
    """The line and prices typed on the command line, each checked (impossible odds refused)."""
    over = None if args.over_odds is None else parse_odds(args.over_odds, "--over-odds")
    under = None if args.under_odds is None else parse_odds(args.under_odds, "--under-odds")
    if args.line is None:
        if over is not None or under is not None:
            raise UsageError("--over-odds/--under-odds need --line")
        return {}
    return {
        "strikeouts_line": parse_line(args.line),
        "over_odds": DEFAULT_PRICE if over is None else over,
        "under_odds": DEFAULT_PRICE if under is None else under,
    }


def frame_from_features(pitcher: str, game_date: date, features: dict[str, float]) -> pd.DataFrame:
    """Only the given features: everything else is missing, and coverage says so."""
    row: dict[str, Any] = {
        "game_date": pd.Timestamp(game_date),
        "game_id": None,
        "pitcher_lookup": pitcher,
        "pitcher_name": None,
        "team_abbr": None,
        "opponent_team_abbr": None,
        "is_home": features.get("is_home"),
        "over_odds": np.nan,
        "under_odds": np.nan,
        "on_il": False,
        **features,
    }
    return pd.DataFrame([row])


def frame_from_warehouse(warehouse: Warehouse, pitcher: str, game_date: date) -> pd.DataFrame:
    """Features, IL status and line from the warehouse: one query each."""
    params = {"start_date": game_date, "end_date": game_date}
    features = query_slice(warehouse, game_date, game_date)
    features = features[features["pitcher_lookup"] == pitcher].reset_index(drop=True)
    if features.empty:
        raise UsageError(f"{pitcher} is not a scheduled starter on {game_date}")
    roster = fetch_roster(warehouse, game_date, game_date).roster
    lines = warehouse.query("sources/prop_lines.sql", params)
    return join_inputs(features, roster, lines[lines["pitcher_lookup"] == pitcher].copy())


def apply_line(frame: pd.DataFrame, given: dict[str, Any]) -> pd.DataFrame:
    """A line from the command line replaces the posted one, with its line features computed
    by the same definition as the daily slice's."""
    if not given:
        return frame
    frame = frame.assign(**given)
    for feature in ("k_avg_last_5", "season_k_per_9", "ip_avg_last_5"):
        if feature not in frame:
            frame[feature] = np.nan
    return with_line_features(frame)


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value.tz is None else value.isoformat()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def predict_command(args: argparse.Namespace, config: MLBConfig) -> int:
    game_date = parse_date(args.date)
    pitcher = normalize_pitcher_key(args.pitcher)
    if not pitcher:
        raise UsageError(f"--pitcher {args.pitcher!r} is not a pitcher name or key")
    given_line = line_inputs(args)
    systems = args.system or list(SYSTEM_IDS)
    if args.features_json is not None:
        frame = frame_from_features(pitcher, game_date, parse_features(args.features_json))
    else:
        with reading(config) as warehouse:
            frame = frame_from_warehouse(warehouse, pitcher, game_date)
    frame = apply_line(frame, given_line)
    resolver = ModelResolver(ModelStore(root=config.model_store), config.pinned_model_paths())
    frames = predict(
        frame, resolver.models, systems, config.scoring_rules(), config.ensemble_weights
    )
    for sid in systems:
        # American odds are whole numbers, as in the tables (NaN made them floats in pandas).
        frame = frames[sid].astype({"over_odds": "Int64", "under_odds": "Int64"})
        for record in frame.to_dict(orient="records"):
            print(json.dumps({k: _jsonable(v) for k, v in record.items()}))
    return 0
