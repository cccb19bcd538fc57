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

# The ONE pitcher-key rule, step for step as the SQL function mlb_precompute.pitcher_key
# (mlb_assets/sql/migrations/025_functions.sql) that every source view applies; a test holds the
# two together on a corpus of real names. Sources differ in accents, case, dots and apostrophes
# (straight or curly), generational suffixes ("Lance McCullers Jr." vs "Lance McCullers") and
# the spacing of initials ("A. J. Burnett" vs "A.J. Burnett"), so none of these reaches a key.
# Suffixes are matched once the separators are "_", so normalising a key changes nothing.
_DROPPED = re.compile("[.'\u2018\u2019`\u02bc]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_SUFFIXES = re.compile(r"(_(jr|sr|ii|iii|iv))+$")
_SPACED_INITIALS = re.compile(r"(^|_)([a-z])_([a-z])(_|$)")


def normalize_pitcher_key(name: str) -> str:
    """Every source spells names its own way; joins only work on one canonical key.

    A name without any letter or digit a-z0-9 keys to "": the source views reject such rows
    (they would otherwise merge unrelated pitchers), and callers must treat "" as no pitcher.
    """
    decomposed = unicodedata.normalize("NFD", name)
    unmarked = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    compact = _DROPPED.sub("", unmarked.lower())
    key = _SUFFIXES.sub("", _SEPARATORS.sub("_", compact).strip("_"))
    return _SPACED_INITIALS.sub(r"\1\2\3\4", key)
