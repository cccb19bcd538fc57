"""Simulate each appearance's line (outs, batters, strikeouts, pitches...) in one vectorised pass.

Outs come from the pitcher's real innings per start, batters faced from his real on-base rate,
strikeouts from his real K/BF rate x opponent x park x month, and the pitch-level counts
(swinging strikes, chases, velocity) from per-pitcher traits tied to that strikeout rate, so
the swing-and-miss features carry real signal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr

from mlb_assets_demo.reference import Season

# Early-season strikeouts and pitch counts run lower (cold weather, starters being stretched).
# Seasons that end in the first days of October (2010, 2012, 2015-2017) play them as September.
K_MONTH_FACTOR = {3: 0.92, 4: 0.93, 5: 0.99, 6: 1.02, 7: 1.02, 8: 1.02, 9: 1.02, 10: 1.02}
OUTS_MONTH_FACTOR = {3: 0.94, 4: 0.95, 5: 1.0, 6: 1.01, 7: 1.01, 8: 1.01, 9: 1.0, 10: 1.0}
# Start-to-start spread of outs recorded around the pitcher's real average, and the bounds
# of a start's planned outs.
START_OUTS_SD, OPENER_OUTS_SD = 2.2, 1.2
START_OUTS_RANGE, OPENER_OUTS_RANGE = (3, 27), (2, 7)
# Outs lost per baserunner above expectation (the early hook).
HOOK = 0.6
# A stint that averages fewer outs per start than this is an opener, not a starter.
OPENER_OUTS = 8.0
# League-average swinging-strike rate per pitch, the K/BF rate it belongs to, and its
# elasticity to the pitcher's K rate.
SWSTR_MEAN, SWSTR_K_RATE, SWSTR_ELASTICITY = 0.11, 0.22, 0.9
SWING_COLUMNS = [
    "swinging_strikes",
    "called_strikes",
    "pitches_outside_zone",
    "chase_swings",
    "fastball_velocity",
]


def pitcher_traits(lookups: list[str], rng: np.random.Generator) -> pd.DataFrame:
    """Stable per-pitcher pitch traits (velocity, zone and chase tendencies) across seasons."""
    n = len(lookups)
    return pd.DataFrame(
        {
            "velocity": rng.normal(93.0, 2.0, n),
            "swstr_noise": rng.normal(0.0, 0.008, n),
            "called_rate": np.clip(rng.normal(0.16, 0.012, n), 0.12, 0.2),
            "zone_out_rate": np.clip(rng.normal(0.50, 0.02, n), 0.44, 0.56),
            "chase_noise": rng.normal(0.0, 0.02, n),
        },
        index=pd.Index(lookups, name="pitcher_lookup"),
    )


def game_k_probability(season: Season, apps: pd.DataFrame, park_k: pd.Series) -> np.ndarray:
    """Per-batter strikeout chance: pitcher rate x opponent rate x park x month."""
    profiles = season.profiles.loc[apps["profile"]]
    opponent = season.team_k_rate.reindex(apps["opponent"]).to_numpy() / season.league_k_rate
    home_team = np.where(apps["is_home"], apps["team"], apps["opponent"])
    park = park_k.reindex(home_team).to_numpy()
    month = apps["month"].map(K_MONTH_FACTOR).to_numpy()
    return np.clip(profiles["k_rate"].to_numpy() * opponent * park * month, 0.03, 0.6)


def expected_strikeouts(season: Season, apps: pd.DataFrame, park_k: pd.Series) -> np.ndarray:
    """The mean of the strikeouts simulate_lines draws for these starts, known before the draw.

    It is the truth a sharp book projects from: pitcher rate, opponent, park and month, with
    the early-season innings factor entering through the batters faced. (The draw's cap at the
    outs recorded moves the mean by less than 0.01 K.)
    """
    return expected_batters_faced(season, apps) * game_k_probability(season, apps, park_k)


def expected_batters_faced(season: Season, apps: pd.DataFrame) -> np.ndarray:
    """Mean batters faced by these starts: E[planned outs] / (1 - on-base rate).

    Runners are negative binomial around planned outs x ob / (1 - ob), and the early hook
    takes back outs only for runners above that expectation, so in expectation it cancels; the
    planned outs are a rounded, clipped normal, whose mean is summed exactly.
    """
    mean, sd, low, high = _planned_outs(season.profiles.loc[apps["profile"]], apps)
    values = np.arange(OPENER_OUTS_RANGE[0], START_OUTS_RANGE[1] + 1)
    upper = ndtr((values + 0.5 - mean[:, None]) / sd[:, None])
    lower = ndtr((values - 0.5 - mean[:, None]) / sd[:, None])
    upper[values >= high[:, None]] = 1.0
    lower[values <= low[:, None]] = 0.0
    inside = (values >= low[:, None]) & (values <= high[:, None])
    outs = (np.where(inside, upper - lower, 0.0) * values).sum(axis=1)
    ob_rate = season.profiles.loc[apps["profile"], "ob_rate"].to_numpy()
    return outs / (1.0 - ob_rate)


def simulate_lines(
    season: Season,
    apps: pd.DataFrame,
    traits: pd.DataFrame,
    park_k: pd.Series,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Add the box-score columns to apps (profile, team, opponent, is_home, is_starter, month)."""
    profiles = season.profiles.loc[apps["profile"]]
    n = len(apps)
    planned = _outs(profiles, apps, rng)
    ob_rate = profiles["ob_rate"].to_numpy()
    runners = rng.negative_binomial(planned, 1.0 - ob_rate)
    outs = _early_hook(planned, runners, ob_rate, apps["is_starter"].to_numpy())
    batters = outs + runners
    p_k = game_k_probability(season, apps, park_k)
    strikeouts = np.minimum(rng.binomial(batters, p_k), outs)
    hits = rng.binomial(runners, profiles["hit_share"].to_numpy())
    walks = runners - hits
    pitches = np.round(
        3.72 * batters + 0.6 * strikeouts + 0.9 * walks + rng.normal(0, 4, n)
    ).astype(int)
    out = apps.assign(
        strikeouts=strikeouts,
        batters_faced=batters,
        innings_pitched=outs / 3.0,
        pitch_count=np.maximum(pitches, batters),
        walks=walks,
        hits=hits,
        earned_runs=rng.binomial(runners, profiles["er_rate"].to_numpy()),
    )
    return _pitch_counts(out, profiles, traits.reindex(profiles["pitcher_lookup"]), p_k, rng)


def _outs(profiles: pd.DataFrame, apps: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Outs recorded: starters around their real outs per start, openers 1-2 innings,
    relievers 1-2 innings."""
    mean, sd, low, high = _planned_outs(profiles, apps)
    starter = np.clip(np.round(rng.normal(mean, sd)), low, high)
    relief = rng.integers(3, 7, len(apps))
    return np.where(apps["is_starter"], starter, relief).astype(int)


def _planned_outs(
    profiles: pd.DataFrame, apps: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean, spread and bounds of a start's planned outs (openers get their own)."""
    mean = profiles["start_outs"].to_numpy() * apps["month"].map(OUTS_MONTH_FACTOR).to_numpy()
    opener = mean < OPENER_OUTS
    sd = np.where(opener, OPENER_OUTS_SD, START_OUTS_SD)
    low = np.where(opener, OPENER_OUTS_RANGE[0], START_OUTS_RANGE[0])
    high = np.where(opener, OPENER_OUTS_RANGE[1], START_OUTS_RANGE[1])
    return mean, sd, low, high


def _early_hook(
    outs: np.ndarray, runners: np.ndarray, ob_rate: np.ndarray, is_starter: np.ndarray
) -> np.ndarray:
    """Managers pull a starter who lets men on: fewer outs after a crowded start.

    Without this link batters faced would vary far more than in real box scores.
    """
    expected_runners = outs * ob_rate / (1.0 - ob_rate)
    hooked = np.round(outs - HOOK * (runners - expected_runners)).astype(int)
    return np.where(is_starter & (outs > OPENER_OUTS), np.clip(hooked, *START_OUTS_RANGE), outs)


def _pitch_counts(
    lines: pd.DataFrame,
    profiles: pd.DataFrame,
    traits: pd.DataFrame,
    p_k: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Swinging strikes track the game's strikeout luck; chases track the pitcher's whiffs."""
    n = len(lines)
    pitches = lines["pitch_count"].to_numpy()
    base_swstr = SWSTR_MEAN * (profiles["k_rate"].to_numpy() / SWSTR_K_RATE) ** SWSTR_ELASTICITY
    base_swstr = base_swstr + traits["swstr_noise"].to_numpy()
    game_k_rate = lines["strikeouts"].to_numpy() / lines["batters_faced"].to_numpy()
    swstr = np.clip(base_swstr + 0.25 * (game_k_rate - p_k) + rng.normal(0, 0.012, n), 0.02, 0.3)
    called = np.clip(traits["called_rate"].to_numpy() + rng.normal(0, 0.01, n), 0.08, 0.25)
    zone_out = np.clip(traits["zone_out_rate"].to_numpy() + rng.normal(0, 0.02, n), 0.35, 0.65)
    outside = rng.binomial(pitches, zone_out)
    chase = np.clip(
        0.30 + 0.8 * (base_swstr - SWSTR_MEAN) + traits["chase_noise"].to_numpy(), 0.15, 0.45
    )
    relief_bump = np.where(lines["is_starter"], 0.0, 1.0)
    velocity = traits["velocity"].to_numpy() + relief_bump + rng.normal(0, 0.5, n)
    return lines.assign(
        swinging_strikes=rng.binomial(pitches, swstr),
        called_strikes=rng.binomial(pitches, called),
        pitches_outside_zone=outside,
        chase_swings=rng.binomial(outside, np.clip(chase + rng.normal(0, 0.02, n), 0.1, 0.5)),
        fastball_velocity=np.round(velocity, 1),
    )


def blank_swing_data(
    lines: pd.DataFrame, missing_pitchers: set[str], game_share: float, rng: np.random.Generator
) -> pd.DataFrame:
    """NULL the pitch-tracking columns for whole pitchers and for random outages.

    Real tracking feeds miss some pitchers entirely and drop some games; the features must
    stay NULL (never a made-up default) and coverage must show it.
    """
    gone = lines["pitcher_lookup"].isin(missing_pitchers).to_numpy()
    gone |= rng.random(len(lines)) < game_share
    out = lines.copy()
    for col in SWING_COLUMNS[:-1]:
        out[col] = out[col].astype("Int64").mask(gone)
    out["fastball_velocity"] = out["fastball_velocity"].mask(gone)
    return out
