"""What a user may type into `mlb-assets predict` and `accuracy`, checked before anything runs.

A value outside what a start can physically produce (1e308 strikeouts, -3 games started, a
date in year 9999, odds of 0) would either crash deep inside pandas or, worse, come back as a
confident prediction. Each is refused in one line naming the field, the value and what is
allowed. The bounds are generous on purpose: they reject the impossible, not the unusual.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from mlb_assets.errors import UsageError
from mlb_assets.features.names import ALL_FEATURES

FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2099, 12, 31)
MAX_ODDS = 100_000  # American odds beyond +/-100000 are not a price any book posts
# Longer numbers are refused unread: Python would spend time on (or refuse) the conversion.
_MAX_NUMBER_CHARS = 40


@dataclass(frozen=True)
class Bound:
    low: float
    high: float
    whole: bool = False  # counts, days and flags are whole numbers

    def allowed(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        return f"{kind} from {self.low:g} to {self.high:g}"

    def admits(self, value: float) -> bool:
        return self.low <= value <= self.high and (not self.whole or value.is_integer())


_RATE = Bound(0.0, 1.0)
_STRIKEOUTS = Bound(0.0, 30.0)
FEATURE_BOUNDS: dict[str, Bound] = {
    "k_avg_last_3": _STRIKEOUTS,
    "k_avg_last_5": _STRIKEOUTS,
    "k_avg_last_10": _STRIKEOUTS,
    "k_std_last_10": Bound(0.0, 20.0),
    "ip_avg_last_5": Bound(0.0, 20.0),
    "season_k_per_9": Bound(0.0, 40.0),
    "season_era": Bound(0.0, 200.0),
    "season_whip": Bound(0.0, 30.0),
    "season_games_started": Bound(0, 45, whole=True),
    "season_strikeouts": Bound(0, 600, whole=True),
    "is_home": Bound(0, 1, whole=True),
    "opponent_team_k_rate": _RATE,
    "ballpark_k_factor": Bound(0.5, 2.0),
    "month_of_season": Bound(1, 12, whole=True),
    "days_into_season": Bound(0, 366, whole=True),
    "days_rest": Bound(0, 120, whole=True),  # NULL beyond 120 days, as the slice defines it
    "games_last_30_days": Bound(0, 40, whole=True),
    "pitch_count_avg_last_5": Bound(0.0, 200.0),
    "season_ip_total": Bound(0.0, 500.0),
    "bf_avg_last_5": Bound(0.0, 80.0),
    "k_rate_last_10": _RATE,
    "avg_k_vs_opponent": _STRIKEOUTS,
    "games_vs_opponent": Bound(0, 100, whole=True),
    "rolling_stats_games": Bound(0, 10, whole=True),  # capped at 10 by definition
    "season_swstr_pct": _RATE,
    "season_csw_pct": _RATE,
    "season_chase_pct": _RATE,
    "swstr_pct_last_3": _RATE,
    "fb_velocity_last_3": Bound(40.0, 110.0),
    "swstr_trend": Bound(-1.0, 1.0),
    "velocity_change": Bound(-30.0, 30.0),
    "strikeouts_line": Bound(0.5, 29.5),
    "line_vs_k_avg_last_5": Bound(-30.0, 30.0),
    "projected_k_vs_line": Bound(-30.0, 60.0),
    "over_implied_prob": _RATE,
}


@dataclass(frozen=True)
class _Number:
    """A JSON number as typed, and its value when it is a finite float of sane length."""

    text: str

    @property
    def value(self) -> float | None:
        if len(self.text) > _MAX_NUMBER_CHARS:
            return None  # e.g. a 5,000-digit integer: refused unread
        value = float(self.text)  # NaN and Infinity arrive here too (parse_constant)
        return value if math.isfinite(value) else None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise UsageError(f"--features-json names {', '.join(repeated)} more than once")
    return dict(pairs)


def _text(number: _Number) -> str:
    return number.text


def _shown(value: Any) -> str:
    text = value.text if isinstance(value, _Number) else json.dumps(value, default=_text)
    return text if len(text) <= _MAX_NUMBER_CHARS else f"<{len(text)} characters>"


def _problem(name: str, value: Any) -> str | None:
    """What feature `name` allows, when `value` is not that; None when it is."""
    bound = FEATURE_BOUNDS[name]
    if value is None:
        return None
    number = value.value if isinstance(value, _Number) else None
    if number is not None and bound.admits(number):
        return None
    return f"{bound.allowed()} (or null)"


def parse_features(text: str) -> dict[str, float]:
    """A flat JSON object of known feature names to numbers (or null) inside their bounds."""
    try:
        given = json.loads(
            text,
            parse_int=_Number,
            parse_float=_Number,
            parse_constant=_Number,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        raise UsageError(f"--features-json is not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise UsageError(
            "--features-json nests too deeply: it must be one flat JSON object of feature "
            "names to numbers"
        ) from None
    if not isinstance(given, dict):
        raise UsageError("--features-json must be a JSON object of feature names to numbers")
    unknown = sorted(set(given) - set(ALL_FEATURES))
    if unknown:
        raise UsageError(f"unknown features in --features-json: {', '.join(unknown)}")
    problems = [
        f"{name}={_shown(value)} is not allowed: {problem}"
        for name, value in sorted(given.items())
        if (problem := _problem(name, value))
    ]
    if problems:
        raise UsageError("--features-json " + "; ".join(problems))
    return {k: (math.nan if v is None else float(v.value)) for k, v in given.items()}


def parse_date(text: str, option: str = "--date") -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} must be YYYY-MM-DD, got {text!r}") from None
    if not FIRST_DATE <= value <= LAST_DATE:
        raise UsageError(
            f"{option}={text} is not allowed: a game date from {FIRST_DATE} to {LAST_DATE}"
        )
    return value


def parse_line(text: str) -> float:
    bound = FEATURE_BOUNDS["strikeouts_line"]
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not bound.admits(value):
        raise UsageError(f"--line={text} is not allowed: a strikeout line, {bound.allowed()}")
    return value


def parse_odds(text: str, option: str) -> int:
    """American odds: whole numbers, -100 or below for a favourite, +100 or above otherwise."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value.is_integer() and 100 <= abs(value) <= MAX_ODDS):
        raise UsageError(
            f"{option}={text} is not allowed: American odds are whole numbers from "
            f"-{MAX_ODDS} to -100 or from +100 to +{MAX_ODDS}"
        )
    return int(value)
