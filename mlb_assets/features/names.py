"""The feature vocabulary shared by SQL, training and scoring, and the one pitcher-key rule."""

import re
import unicodedata

ALL_FEATURES: tuple[str, ...] = (
    "k_avg_last_3",
    "k_avg_last_5",
    "k_avg_last_10",
    "k_std_last_10",
    "ip_avg_last_5",
    "season_k_per_9",
    "season_era",
    "season_whip",
    "season_games_started",
    "season_strikeouts",
    "is_home",
    "opponent_team_k_rate",
    "ballpark_k_factor",
    "month_of_season",
    "days_into_season",
    "days_rest",
    "games_last_30_days",
    "pitch_count_avg_last_5",
    "season_ip_total",
    "bf_avg_last_5",
    "k_rate_last_10",
    "avg_k_vs_opponent",
    "games_vs_opponent",
    "rolling_stats_games",
    "season_swstr_pct",
    "season_csw_pct",
    "season_chase_pct",
    "swstr_pct_last_3",
    "fb_velocity_last_3",
    "swstr_trend",
    "velocity_change",
    "strikeouts_line",
    "line_vs_k_avg_last_5",
    "projected_k_vs_line",
    "over_implied_prob",
)
# The split is by position: v1_baseline takes the first 25 (form, workload,
# context and season_swstr_pct); v1_6_rolling adds the rest of the swing-and-miss, velocity and
# line-relative features.
V1_BASELINE_FEATURES: tuple[str, ...] = ALL_FEATURES[:25]
V1_6_ROLLING_FEATURES: tuple[str, ...] = ALL_FEATURES

# Generational suffixes differ between sources ("Lance McCullers Jr." vs "Lance McCullers"), so
# they never reach a key. "_" is accepted as a separator so that normalising a key is a no-op.
_SUFFIX = re.compile(r"[\s,_]+(jr|sr|ii|iii|iv)\.?\s*$", re.IGNORECASE)
_DROPPED = re.compile(r"[.'\u2019`]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def normalize_pitcher_key(name: str) -> str:
    """Every source spells names its own way; joins only work on one canonical key."""
    decomposed = unicodedata.normalize("NFD", name)
    ascii_name = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    without_suffix = _SUFFIX.sub("", ascii_name.strip())
    compact = _DROPPED.sub("", without_suffix).lower()
    return _SEPARATORS.sub("_", compact).strip("_")
