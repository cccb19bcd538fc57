"""`mlb-assets accuracy`: how the systems did against what actually happened."""

from __future__ import annotations

from mlb_assets.cli.errors import UsageError
from mlb_assets.cli.predict import parse_date
from mlb_assets.config import MLBConfig
from mlb_assets.evaluation.grading import accuracy_summary, grade
from mlb_assets.resources.factory import build_warehouse


def accuracy_table(config: MLBConfig, start: str, end: str) -> str:
    first, last = parse_date(start), parse_date(end)
    if first > last:
        raise UsageError(f"--start {start} is after --end {end}")
    warehouse = build_warehouse(config)
    try:
        rows = warehouse.query(
            "reports/graded_predictions.sql", {"start_date": first, "end_date": last}
        )
    finally:
        warehouse.close()
    if rows.empty:
        raise UsageError(f"no graded predictions between {first} and {last}; run the demo first")
    return accuracy_summary(grade(rows)).round(3).to_string(index=False)
