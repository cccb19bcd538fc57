"""`mlb-assets accuracy`: how the systems did against what actually happened.

Judges probabilities by Brier score and bets by return at the offered price, not hit rate
alone: against a real market a hit rate far above 60 % or an MAE under 1.55 over thousands of
starts usually means leakage.
"""

from __future__ import annotations

from mlb_assets.config import load_config
from mlb_assets.errors import UsageError
from mlb_assets.resources.factory import build_warehouse
from mlb_assets.single_prediction import parse_date


def accuracy_table(start: str, end: str) -> str:
    first, last = parse_date(start), parse_date(end)
    if first > last:
        raise UsageError(f"--start {start} is after --end {end}")
    warehouse = build_warehouse(load_config())
    try:
        frame = warehouse.query("reports/accuracy.sql", {"start_date": first, "end_date": last})
    finally:
        warehouse.close()
    if frame.empty:
        raise UsageError(f"no graded predictions between {first} and {last}; run the demo first")
    return frame.round(3).to_string(index=False)
