"""One season's games and box scores: schedule, rotations, every appearance's line.

Kept apart from the feeds built on top of them (generator.py): the book of one season fits its
spread on the box scores of the season before, and needs nothing else of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlb_assets_demo.boxscores import expected_batters_faced, simulate_lines
from mlb_assets_demo.market import BatterSpread
from mlb_assets_demo.reference import Season, season_rng
from mlb_assets_demo.rotation import (
    Availability,
    assign_starters,
    blocked_days,
    plan_availability,
    relief_appearances,
)
from mlb_assets_demo.schedule import build_schedule, team_games

# Half of each starter's real relief outings: enough for days_rest / games_last_30_days to
# count, while the table stays about starters.
RELIEF_SHARE = 0.5


@dataclass(frozen=True)
class SimulatedSeason:
    """One season's games and box scores, before the feeds (lines, injuries) are built."""

    season: Season
    games: pd.DataFrame
    tgames: pd.DataFrame
    plan: Availability
    starters: np.ndarray
    lines: pd.DataFrame


def simulate_games(
    seed: int, season: Season, traits: pd.DataFrame, park_k: pd.Series
) -> SimulatedSeason:
    """Schedule, rotations and every appearance's line (each step on its own random stream)."""

    def rng(part: str) -> np.random.Generator:
        return season_rng(seed, season.year, part)

    games = build_schedule(season, rng("schedule"))
    tgames = team_games(games)
    tgames["month"] = pd.DatetimeIndex(season.dates(tgames["day"].to_numpy())).month
    plan = plan_availability(season, tgames, rng("rotation"))
    blocked = blocked_days(season, plan.absences)
    starters = assign_starters(season, tgames, plan, blocked)
    relief_rows, relief_who = relief_appearances(
        season, tgames, starters, plan, blocked, RELIEF_SHARE, rng("relief")
    )
    apps = pd.concat(
        [
            tgames.assign(profile=starters, is_starter=True),
            tgames.iloc[relief_rows].assign(profile=relief_who, is_starter=False),
        ],
        ignore_index=True,
    )
    apps = with_names(season, apps)
    lines = simulate_lines(season, apps, traits, park_k, rng("boxscores"))
    return SimulatedSeason(season, games, tgames, plan, starters, lines)


def book_spread(
    seed: int,
    games: SimulatedSeason,
    traits: pd.DataFrame,
    park_k: pd.Series,
    previous: SimulatedSeason | None,
) -> BatterSpread:
    """The book fits its batters-faced spread on the previous season's simulated starts.

    Its history is the demo's own: a season whose predecessor is not generated with it (the
    first of the demo) fits on a burn-in, the same season's appearances drawn again on a
    separate stream, which gives the generator's spread without the outcomes the book is about
    to price. So 2018 prices as it always has in the default 2018-2019 demo, although 2017 now
    has reference data, and a demo never simulates a season it does not ship.
    """
    if previous is not None:
        season, lines = previous.season, previous.lines
    else:
        season = games.season
        burn_in = season_rng(seed, season.year, "book-burn-in")
        lines = simulate_lines(season, games.lines, traits, park_k, burn_in)
    starts = lines[lines["is_starter"]]
    return BatterSpread.fit(
        expected_batters_faced(season, starts), starts["batters_faced"].to_numpy(float)
    )


def with_names(season: Season, frame: pd.DataFrame) -> pd.DataFrame:
    """Attach pitcher_lookup and display name from the profile index."""
    profiles = season.profiles.loc[frame["profile"]]
    return frame.assign(
        pitcher_lookup=profiles["pitcher_lookup"].to_numpy(),
        pitcher_name=profiles["pitcher_name"].to_numpy(),
    )
