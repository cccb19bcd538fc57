"""`mlb-assets slate`: one day's picks from the warehouse, as a bettor reads them.

The rows are the published predictions (nothing is recomputed); the slate is built by the same
code as the predictions asset's slate in the UI (`evaluation/slate.py`), so the two agree.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from datetime import date

import pandas as pd

from mlb_assets.cli.inputs import parse_date
from mlb_assets.config import MLBConfig
from mlb_assets.errors import UsageError
from mlb_assets.evaluation.slate import SLATE_COLUMNS, slate_frame
from mlb_assets.resources.factory import reading
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import SYSTEM_IDS
from mlb_assets.systems.scoring import ScoringRules

FORMATS = ("table", "csv", "json")


def read_slate_rows(warehouse: Warehouse, day: date, systems: Sequence[str]) -> pd.DataFrame:
    """The date's prediction rows of `systems`, with the book each line came from (one query)."""
    return warehouse.query("reads/slate.sql", {"game_date": day, "systems": list(systems)})


def slates(rows: pd.DataFrame, systems: Sequence[str], rules: ScoringRules) -> pd.DataFrame:
    """One slate per system, stacked in `systems` order, with `date` and `system` first."""
    frames = []
    for system in systems:
        mine = rows[rows["system_id"] == system]
        if mine.empty:
            continue
        slate = slate_frame(mine, rules)
        frames.append(slate.rename_axis("date").reset_index().assign(system=system))
    stacked = pd.concat(frames, ignore_index=True)
    return stacked[["date", "system", *SLATE_COLUMNS]]


def _plain(value: object) -> object:
    """A JSON-ready cell: missing as null, numpy scalars as Python numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return value.item() if hasattr(value, "item") else value


def render(table: pd.DataFrame, fmt: str) -> str:
    """The stacked slates as an aligned table (one block per system), CSV or JSON records."""
    if fmt == "json":
        records = [
            {column: _plain(value) for column, value in row.items()}
            for row in table.astype(object).to_dict(orient="records")
        ]
        return json.dumps(records, indent=2)
    if fmt == "csv":
        return table.to_csv(index=False).rstrip("\n")
    blocks = []
    for system, rows in table.groupby("system", sort=False):
        counts = rows["pick"].value_counts()
        summary = ", ".join(f"{counts[p]} {p}" for p in counts.index)
        shown = rows.drop(columns=["date", "system"]).astype(object)
        shown = shown.where(shown.notna(), "")
        blocks.append(
            f"{system}  {rows['date'].iloc[0]}  ({len(rows)} starters: {summary})\n"
            + shown.to_string(index=False)
        )
    return "\n\n".join(blocks)


def slate_command(args: argparse.Namespace, config: MLBConfig) -> str:
    """The text to print: the date's picks of the chosen systems in the chosen format."""
    day = parse_date(args.date)
    systems = [args.system] if args.system else list(SYSTEM_IDS)
    with reading(config) as warehouse:
        rows = read_slate_rows(warehouse, day, systems)
    if rows.empty:
        raise UsageError(
            f"no predictions for {day} ({', '.join(systems)}) in the warehouse: materialize "
            "that date's daily_slate first (a date without games has none)"
        )
    return render(slates(rows, systems, config.scoring_rules()), args.format)
