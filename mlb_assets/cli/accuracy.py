"""`mlb-assets accuracy`: how the systems did against what actually happened, computed by the
same code as the `prediction_grades` and `system_performance` assets."""

from __future__ import annotations

import pandas as pd

from mlb_assets.cli.inputs import parse_date
from mlb_assets.config import MLBConfig
from mlb_assets.errors import UsageError
from mlb_assets.evaluation.performance import performance_table, pick_shares
from mlb_assets.resources.factory import reading
from mlb_assets.resources.reads import read_grades

PERCENT = ("hit_rate", "roi", "mean_clv_prob", "over", "under", "pass", "skip")
COUNTS = ("starts", "bets", "pushes")


def format_table(table: pd.DataFrame) -> str:
    """Counts as integers, rates as percentages, the rest to 3 decimals."""
    shown = table.copy()
    for column in shown.columns:
        if column in COUNTS:
            shown[column] = shown[column].map(lambda v: f"{int(v):,}")
        elif column in PERCENT:
            shown[column] = shown[column].map(lambda v: "n/a" if pd.isna(v) else f"{100 * v:.1f} %")
        elif column != "system_id":
            shown[column] = shown[column].map(lambda v: "n/a" if pd.isna(v) else f"{v:.3f}")
    return shown.to_string(index=False)


def accuracy_table(config: MLBConfig, start: str, end: str) -> str:
    first, last = parse_date(start, "--start"), parse_date(end, "--end")
    if first > last:
        raise UsageError(f"--start {start} is after --end {end}")
    with reading(config) as warehouse:
        graded = read_grades(warehouse, first, last)
    if graded.empty:
        raise UsageError(f"no graded predictions between {first} and {last}; run the demo first")
    table = performance_table(graded).drop(columns=["brier_market", "ece_noise"])
    table = table.merge(pick_shares(graded).rename(columns=str.lower).reset_index(), on="system_id")
    return format_table(table)
