"""The checks on system_performance, per month: calibration, Brier skill, MAE against the line.

Each is judged on every system's figures for the month; the thresholds come from the one
configuration and are shown in the check's metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlb_assets.checks.rule import CheckRule, Verdict
from mlb_assets.config import MLBConfig
from mlb_assets.metadata import frame_table


@dataclass(frozen=True)
class QualityRule:
    name: str
    rule: str
    measure: Callable[[pd.Series], float]  # the value judged, from a system's figures
    limit: Callable[[pd.Series], float]  # the most (or least) it may be
    at_most: bool


def quality_rules(config: MLBConfig) -> list[QualityRule]:
    return [
        QualityRule(
            "calibration",
            f"ece <= {config.max_calibration_error:g} + ece_noise (chance for the sample size)",
            lambda f: f["ece"],
            lambda f: config.max_calibration_error + f["ece_noise"],
            at_most=True,
        ),
        QualityRule(
            "brier_skill",
            f"brier_skill vs the vig-free market >= {config.min_brier_skill:g}",
            lambda f: f["brier_skill"],
            lambda f: config.min_brier_skill,
            at_most=False,
        ),
        QualityRule(
            "mae_vs_line",
            f"mae <= line_mae + {config.max_mae_over_line:g} K",
            lambda f: f["mae"],
            lambda f: f["line_mae"] + config.max_mae_over_line,
            at_most=True,
        ),
    ]


def judge(rule: QualityRule, month: pd.DataFrame | None) -> Verdict:
    """`month`: one row of figures per system (the month's own scope); None or empty for a
    month without graded predictions, which is not rated."""
    if month is None or month.empty:
        return Verdict(passed=True, text="not rated: no graded predictions")
    rows = []
    for figures in (r for _, r in month.iterrows()):
        value, limit = float(rule.measure(figures)), float(rule.limit(figures))
        undefined = np.isnan(value) or np.isnan(limit)
        ok = undefined or (value <= limit if rule.at_most else value >= limit)
        rows.append(
            {
                "system": figures["system_id"],
                "value": round(value, 4),
                "limit": round(limit, 4),
                "passed": bool(ok),
            }
        )
    table = pd.DataFrame(rows, columns=["system", "value", "limit", "passed"])
    failing = table[~table["passed"]]
    summary = f"{len(failing)} of {len(table)} systems failed" + (
        f": {', '.join(failing['system'])}" if len(failing) else ""
    )
    return Verdict(
        passed=failing.empty,
        value=float(len(failing)),
        text=summary,
        metadata={"by_system": frame_table(table)},
    )


def performance_rules(config: MLBConfig) -> list[CheckRule]:
    """Each quality rule judged per month on every system's figures (ERROR, not blocking: the
    month's figures are the evidence, published either way)."""
    return [
        CheckRule(
            rule.name,
            f"Every system, each month: {rule.rule}",
            lambda month, rule=rule: judge(rule, month),
            unit="month",
        )
        for rule in quality_rules(config)
    ]
