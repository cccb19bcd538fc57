"""Per-date quality figures of a system's predictions: the one computation the prediction
checks and the coverage report both read, so a check and the report can never disagree about
a date.

Rates are percentages, like the thresholds. Low coverage and model-load failures are read from
the rows' own columns (`is_low_coverage`, `coverage_rated`, `model_load_failures`), which the
scoring code sets once.
"""

from __future__ import annotations

import pandas as pd

RECOMMENDATIONS = {
    "OVER": "over_count",
    "UNDER": "under_count",
    "PASS": "pass_count",
    "SKIP": "skip_count",
    "NO_LINE": "no_line_count",
}

# A share of one or two predictions is noise (1 of 2 is "50 %"): below this many rated
# predictions a date's low-coverage rate is left undefined (NULL) and cannot fail the check.
MIN_RATED_FOR_RATE = 5


def per_date_quality(predictions: pd.DataFrame) -> pd.DataFrame:
    """One row per game_date: counts by recommendation, coverage, fallbacks, load failures."""
    frame = predictions.assign(
        game_date=pd.to_datetime(predictions["game_date"]),
        rated=predictions["coverage_rated"].astype(bool),
        low=predictions["is_low_coverage"].astype(bool),
        fallback=predictions["is_fallback"].astype(bool),
        failures=predictions["model_load_failures"].astype("int64"),
        **{col: predictions["recommendation"] == rec for rec, col in RECOMMENDATIONS.items()},
    )
    table = frame.groupby("game_date").agg(
        predictions=("pitcher_lookup", "size"),
        distinct_pitchers=("pitcher_lookup", "nunique"),
        **{col: (col, "sum") for col in RECOMMENDATIONS.values()},
        avg_coverage_pct=("feature_coverage_pct", "mean"),
        min_coverage_pct=("feature_coverage_pct", "min"),
        rated_predictions=("rated", "sum"),
        low_coverage_count=("low", "sum"),
        fallback_count=("fallback", "sum"),
        model_load_failures=("failures", "max"),
    )
    table["low_coverage_rate"] = (
        100.0
        * table["low_coverage_count"]
        / table["rated_predictions"].where(lambda n: n >= MIN_RATED_FOR_RATE)
    )
    table["fallback_rate"] = 100.0 * table["fallback_count"] / table["predictions"]
    table["duplicate_rows"] = table["predictions"] - table["distinct_pitchers"]
    return table.drop(columns=["distinct_pitchers", "rated_predictions"])
