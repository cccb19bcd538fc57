"""Per-date quality figures of a system's predictions, and the threshold checks on them.

One computation feeds the asset checks and the coverage report, so a check and the report
can never disagree about a date. Rates are percentages, like the thresholds.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

RECOMMENDATIONS = {
    "OVER": "over_count",
    "UNDER": "under_count",
    "PASS": "pass_count",
    "SKIP": "skip_count",
    "NO_LINE": "no_line_count",
}


# Hard skips whose cause IS thin history (a season's first starts): their low coverage is
# expected and they are never bet, so counting them would fail the coverage check every
# opening week and teach people to ignore it. Every other row counts.
HISTORY_SKIPS = ("first_start_of_season", "insufficient_history")
# A share of one or two predictions is noise (1 of 2 is "50 %"): below this many rated
# predictions a date's low-coverage rate is left undefined (NULL) and cannot fail the check.
MIN_RATED_FOR_RATE = 5


def history_skip(predictions: pd.DataFrame) -> pd.Series:
    return predictions["skip_reason"].fillna("").str.startswith(HISTORY_SKIPS)


def per_date_quality(
    predictions: pd.DataFrame,
    load_failures_by_date: pd.Series,
    low_coverage_threshold: float,
) -> pd.DataFrame:
    """One row per game_date: counts by recommendation, coverage, fallbacks, load failures."""
    rated = ~history_skip(predictions)
    frame = predictions.assign(
        game_date=pd.to_datetime(predictions["game_date"]),
        rated=rated,
        low=(predictions["feature_coverage_pct"] < low_coverage_threshold) & rated,
        fallback=predictions["is_fallback"].astype(bool),
        **{col: predictions["recommendation"] == rec for rec, col in RECOMMENDATIONS.items()},
    )
    grouped = frame.groupby("game_date")
    table = grouped.agg(
        predictions=("pitcher_lookup", "size"),
        distinct_pitchers=("pitcher_lookup", "nunique"),
        **{col: (col, "sum") for col in RECOMMENDATIONS.values()},
        avg_coverage_pct=("feature_coverage_pct", "mean"),
        min_coverage_pct=("feature_coverage_pct", "min"),
        rated_predictions=("rated", "sum"),
        low_coverage_count=("low", "sum"),
        fallback_count=("fallback", "sum"),
    )
    table["low_coverage_rate"] = (
        100.0
        * table["low_coverage_count"]
        / table["rated_predictions"].where(lambda n: n >= MIN_RATED_FOR_RATE)
    )
    table["fallback_rate"] = 100.0 * table["fallback_count"] / table["predictions"]
    table["duplicate_rows"] = table["predictions"] - table["distinct_pitchers"]
    failures = load_failures_by_date.copy()
    failures.index = pd.to_datetime(failures.index)
    table["model_load_failures"] = failures.reindex(table.index).fillna(0).astype("int64")
    return table.drop(columns=["distinct_pitchers", "rated_predictions"])


@dataclass(frozen=True)
class ThresholdCheck:
    """`column` on every date must satisfy `op(value, threshold)`."""

    name: str
    column: str
    threshold: float
    op: Callable[[float, float], bool]
    rule: str  # e.g. "<= 10.0" for the UI

    def evaluate(self, per_date: pd.DataFrame) -> tuple[bool, dict[str, object]]:
        values = per_date[self.column]
        defined = values.dropna()
        # An undefined value (too few predictions to rate) cannot fail.
        ok = np.array(
            [np.isnan(v) or self.op(float(v), self.threshold) for v in values], dtype=bool
        )
        failing = per_date[~ok]
        worst_date = defined.idxmax() if len(defined) else None
        metadata: dict[str, object] = {
            "threshold": self.threshold,
            "rule": f"{self.column} {self.rule} on every date",
            "dates_evaluated": len(defined),
            "dates_not_rated": len(values) - len(defined),
            "dates_failing": len(failing),
            "worst_value": float(defined.max()) if len(defined) else 0.0,
            "worst_date": str(worst_date.date()) if worst_date is not None else "",
        }
        return bool(ok.all()), {**metadata, "per_date": _per_date_table(per_date, self.column, ok)}


def _per_date_table(per_date: pd.DataFrame, column: str, ok: np.ndarray) -> str:
    """Failing dates first (then the worst passing ones), at most 20 rows for the UI."""
    shown = per_date.assign(passed=ok).sort_values(
        ["passed", column], ascending=[True, False], na_position="last"
    )
    rows = [
        f"| {d.date()} | {r[column]:.2f} | {r['predictions']} | {'yes' if r['passed'] else 'NO'} |"
        for d, r in shown.head(20).iterrows()
    ]
    more = f"\n\n{len(shown) - 20} more dates not shown" if len(shown) > 20 else ""
    return (
        "\n".join([f"| date | {column} | predictions | passed |", "|---|---|---|---|", *rows])
        + more
    )


def prediction_checks(
    fallback_rate: float, low_coverage_rate: float, model_load_failures: int
) -> list[ThresholdCheck]:
    return [
        ThresholdCheck("fallback_rate", "fallback_rate", fallback_rate, operator.le, "<="),
        ThresholdCheck(
            "low_coverage_rate", "low_coverage_rate", low_coverage_rate, operator.le, "<="
        ),
        ThresholdCheck(
            "model_load_failures", "model_load_failures", model_load_failures, operator.lt, "<"
        ),
        ThresholdCheck("one_row_per_pitcher", "duplicate_rows", 0, operator.le, "<="),
    ]
