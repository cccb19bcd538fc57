"""Situations the model cannot see well: hard skips and direction-aware confidence multipliers."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlb_assets.features.matrix import feature_matrix

MULTIPLIER_FLOOR = 0.3
# Hard skips whose cause IS thin history (a season's first starts): their low coverage is
# expected and they are never bet, so they do not count toward a date's low-coverage rate.
HISTORY_SKIPS = ("first_start_of_season", "insufficient_history")
OVER_DIRECTION = 1
UNDER_DIRECTION = -1


def _on_il(frame: pd.DataFrame) -> np.ndarray:
    return pd.array(frame["on_il"], dtype="boolean").fillna(False).to_numpy(dtype=bool)


def hard_skip_reasons(frame: pd.DataFrame) -> np.ndarray:
    """No bet is sound for these pitchers; the first matching rule names the reason (else None).

    A missing value is not evidence (NaN compares false): an unknown history is no proof of
    a thin one. It already costs confidence (base -10 and the coverage penalty), which keeps
    such a row at PASS while its prediction stays visible.
    """
    ip, games_started, history = feature_matrix(
        frame, ["ip_avg_last_5", "season_games_started", "rolling_stats_games"]
    ).T
    rules = (
        (_on_il(frame), lambda _: "on_il: pitcher is on the injured list"),
        (games_started == 0, lambda _: "first_start_of_season: season_games_started=0"),
        (ip < 4.0, lambda i: f"opener: ip_avg_last_5={ip[i]:.1f} < 4.0"),
        (history < 2, lambda i: f"insufficient_history: rolling_stats_games={history[i]:.0f} < 2"),
    )
    reasons = np.full(len(frame), None, dtype=object)
    pending = np.ones(len(frame), dtype=bool)
    for hit, message in rules:
        rows = np.flatnonzero(hit & pending)
        reasons[rows] = [message(i) for i in rows]
        pending[rows] = False
    return reasons


@dataclass(frozen=True)
class SoftRule:
    """One soft flag (docs/FEATURES.md): a feature threshold and its multiplier per direction."""

    name: str
    feature: str
    above: bool
    threshold: float
    value_format: str
    over: float | None = None
    under: float | None = None
    any_direction: float | None = None


SOFT_RULES: tuple[SoftRule, ...] = (
    SoftRule("early_season", "season_games_started", False, 3, "{:.0f}", any_direction=0.7),
    SoftRule("high_variance", "k_std_last_10", True, 4, "{:.1f}", over=0.4, under=1.1),
    SoftRule("short_rest", "days_rest", False, 4, "{:.0f}", over=0.7),
    SoftRule("heavy_workload", "games_last_30_days", True, 6, "{:.0f}", over=0.85),
    SoftRule("high_swstr", "season_swstr_pct", True, 0.12, "{:.3f}", over=1.1, under=0.8),
    SoftRule("low_swstr", "season_swstr_pct", False, 0.08, "{:.3f}", over=0.85, under=1.05),
    SoftRule("swstr_rising", "swstr_trend", True, 0.03, "{:+.3f}", over=1.08, under=0.92),
    SoftRule("swstr_falling", "swstr_trend", False, -0.03, "{:+.3f}", over=0.92, under=1.05),
)


def _sides(rule: SoftRule, direction: np.ndarray) -> list[tuple[np.ndarray, float, str]]:
    """Rows each multiplier of a rule applies to, with the label that names it."""
    if rule.any_direction is not None:
        return [(np.ones(len(direction), dtype=bool), rule.any_direction, "")]
    candidates = (
        (OVER_DIRECTION, rule.over, "OVER "),
        (UNDER_DIRECTION, rule.under, "UNDER "),
    )
    return [
        (direction == side, factor, label)
        for side, factor, label in candidates
        if factor is not None
    ]


def soft_flags(frame: pd.DataFrame, direction: np.ndarray) -> tuple[np.ndarray, list[list[str]]]:
    """Combined multiplier (floored) and readable flags for each row's initial bet direction.

    direction is +1 (OVER), -1 (UNDER) or 0 (no line or no edge: only direction-free rules).
    NaN feature values never raise a flag.
    """
    values = feature_matrix(frame, [rule.feature for rule in SOFT_RULES])
    multiplier = np.ones(len(frame))
    flags = np.full((len(frame), len(SOFT_RULES)), None, dtype=object)
    for column, rule in enumerate(SOFT_RULES):
        value = values[:, column]
        hit = value > rule.threshold if rule.above else value < rule.threshold
        op = ">" if rule.above else "<"
        for side_rows, factor, label in _sides(rule, direction):
            rows = np.flatnonzero(hit & side_rows)
            multiplier[rows] *= factor
            flags[rows, column] = [
                f"{rule.name}: {rule.feature}={rule.value_format.format(value[i])}"
                f" {op} {rule.threshold:g} ({label}x{factor:g})"
                for i in rows
            ]
    readable = [[flag for flag in row if flag is not None] for row in flags]
    return np.maximum(multiplier, MULTIPLIER_FLOOR), readable


def history_skip(skip_reason: np.ndarray) -> np.ndarray:
    """Rows skipped because the pitcher has too little history to rate coverage on."""
    reasons = pd.Series(skip_reason, dtype=object).fillna("").astype(str)
    return reasons.str.startswith(HISTORY_SKIPS).to_numpy(dtype=bool)
