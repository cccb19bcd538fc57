"""The rule on coverage_report: every system predicted every scheduled starter, per date."""

from __future__ import annotations

import pandas as pd
from dagster import MetadataValue

from mlb_assets.checks.rule import CheckRule, Verdict
from mlb_assets.metadata import frame_table


def every_starter_covered(report: pd.DataFrame) -> Verdict:
    """`report`: one date's rows, one per system."""
    short = report.assign(missing=report["scheduled_starters"] - report["predictions"])
    short = short[short["missing"] > 0]
    missing = int(short["missing"].sum())
    return Verdict(
        passed=short.empty,
        value=float(missing),
        text=f"{missing} predictions missing",
        metadata={
            "date_system_pairs_short": MetadataValue.int(len(short)),
            "missing_predictions": MetadataValue.int(missing),
            "examples": frame_table(
                short.head(10)[["game_date", "system_id", "scheduled_starters", "predictions"]]
            ),
        },
    )


COVERAGE_RULES = [
    CheckRule(
        "every_starter_covered",
        "Every system has a prediction for every scheduled starter, every date",
        every_starter_covered,
    )
]
