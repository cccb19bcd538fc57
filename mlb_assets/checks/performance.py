"""The checks on system_performance, per month: calibration, Brier skill, MAE against the line.

Each is judged on every system's figures for the month; the thresholds come from the one
configuration and are shown in the check's metadata.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from mlb_assets.checks.rule import CheckRule, Verdict
from mlb_assets.config import MLBConfig
from mlb_assets.metadata import frame_table

Figure = Callable[[pd.Series], float]


def system_rule(name: str, rule: str, measure: Figure, limit: Figure, at_most: bool) -> CheckRule:
    """A rule on every system's figures of a month: `measure` (from a system's row) must be at
    most (or, with `at_most` False, at least) `limit`. ERROR, not blocking: the month's figures
    are the evidence, published either way. A month without graded predictions is not rated."""

    def judge(month: pd.DataFrame | None) -> Verdict:
        if month is None or month.empty:
            return Verdict(passed=True, text="not rated: no graded predictions")
        rows = []
        for figures in (r for _, r in month.iterrows()):
            value, bound = float(measure(figures)), float(limit(figures))
            undefined = np.isnan(value) or np.isnan(bound)
            ok = undefined or (value <= bound if at_most else value >= bound)
            rows.append(
                {
                    "system": figures["system_id"],
                    "value": round(value, 4),
                    "limit": round(bound, 4),
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

    return CheckRule(name, f"Every system, each month: {rule}", judge, unit="month")


def performance_rules(config: MLBConfig) -> list[CheckRule]:
    return [
        system_rule(
            "calibration",
            f"ece <= {config.max_calibration_error:g} + ece_noise (chance for the sample size)",
            lambda f: f["ece"],
            lambda f: config.max_calibration_error + f["ece_noise"],
            at_most=True,
        ),
        system_rule(
            "brier_skill",
            f"brier_skill vs the vig-free market >= {config.min_brier_skill:g}",
            lambda f: f["brier_skill"],
            lambda f: config.min_brier_skill,
            at_most=False,
        ),
        system_rule(
            "mae_vs_line",
            f"mae <= line_mae + {config.max_mae_over_line:g} K",
            lambda f: f["mae"],
            lambda f: f["line_mae"] + config.max_mae_over_line,
            at_most=True,
        ),
    ]
