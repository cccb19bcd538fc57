"""A plausible MLB calendar: series between random pairs, lighter Mondays and Thursdays.

About 162 games per team over ~186 days, so a typical day has 14-15 games (28-30 starters)
and the travel days (Monday, Thursday) have fewer, as in a real season.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlb_assets_demo.reference import Season

# Probability that a scheduled pair is idle on a given weekday (Monday = 0). Tuned so a team
# plays ~162 of ~186 days.
OFF_DAY_PROB = np.array([0.39, 0.02, 0.02, 0.39, 0.02, 0.02, 0.02])
# Share of day games (17:05 UTC) by weekday: Sundays and getaway Wednesdays/Thursdays.
DAY_GAME_PROB = np.array([0.10, 0.08, 0.30, 0.35, 0.08, 0.15, 0.60])
SERIES_LENGTHS = np.array([2, 3, 3, 3, 4])


def build_schedule(season: Season, rng: np.random.Generator) -> pd.DataFrame:
    """One row per game: game_id, day (0 = opening day), start_hour (UTC), home, away."""
    teams = np.array(sorted(season.team_k_rate.index))
    home_games = np.zeros(len(teams), dtype=int)
    played = np.zeros(len(teams), dtype=int)
    weekday0 = season.first_day.weekday()
    days, homes, aways = [], [], []
    day = 0
    while day < season.n_days:
        length = int(rng.choice(SERIES_LENGTHS))
        pairs = _series_pairs(rng.permutation(len(teams)).reshape(-1, 2), home_games, rng)
        for d in range(day, min(day + length, season.n_days)):
            off_prob = 0.0 if d == 0 else OFF_DAY_PROB[(weekday0 + d) % 7]
            playing = pairs[~_idle_pairs(pairs, played, off_prob, rng)]
            days.append(np.full(len(playing), d))
            homes.append(playing[:, 0])
            aways.append(playing[:, 1])
            np.add.at(home_games, playing[:, 0], 1)
            np.add.at(played, playing.ravel(), 1)
        day += length
    games = pd.DataFrame(
        {"day": np.concatenate(days), "home": teams[np.concatenate(homes)]}
    ).assign(away=teams[np.concatenate(aways)])
    day_game = rng.random(len(games)) < DAY_GAME_PROB[(weekday0 + games["day"].to_numpy()) % 7]
    games["start_hour"] = np.where(day_game, 17, 23)
    dates = pd.Series(season.dates(games["day"].to_numpy())).astype(str)
    games["game_id"] = dates + "-" + games["away"] + "-" + games["home"] + "-1"
    return games


def first_pitch_minute(day: np.ndarray, start_hour: np.ndarray) -> np.ndarray:
    """Minutes from opening day 00:00 UTC to first pitch (games start at HH:05)."""
    return day * 1440 + start_hour * 60 + 5


def _idle_pairs(
    pairs: np.ndarray, played: np.ndarray, off_prob: float, rng: np.random.Generator
) -> np.ndarray:
    """Which pairs rest today: a random number of them, chosen among the teams that have
    played the most, so every team ends near 162 games."""
    idle = np.zeros(len(pairs), dtype=bool)
    busiest = np.argsort(-(played[pairs].sum(axis=1) + rng.normal(0, 1.0, len(pairs))))
    idle[busiest[: rng.binomial(len(pairs), off_prob)]] = True
    return idle


def _series_pairs(
    pairs: np.ndarray, home_games: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Order each pair (home, away), hosting the team with fewer home games so far."""
    first_hosts = home_games[pairs[:, 0]] < home_games[pairs[:, 1]]
    tie = home_games[pairs[:, 0]] == home_games[pairs[:, 1]]
    first_hosts |= tie & (rng.random(len(pairs)) < 0.5)
    return np.where(first_hosts[:, None], pairs, pairs[:, ::-1])


def team_games(games: pd.DataFrame) -> pd.DataFrame:
    """Each game twice, once from each team's side: team, opponent, is_home, day, game_id."""
    home = games.assign(team=games["home"], opponent=games["away"], is_home=True)
    away = games.assign(team=games["away"], opponent=games["home"], is_home=False)
    cols = ["game_id", "day", "start_hour", "team", "opponent", "is_home"]
    both = pd.concat([home[cols], away[cols]], ignore_index=True)
    return both.sort_values(["team", "day"], kind="stable").reset_index(drop=True)
