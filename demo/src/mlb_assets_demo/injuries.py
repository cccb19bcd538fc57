"""Daily injury-report snapshots: everyone currently out, as the upstream feed lists them.

Pitcher absences come from the rotation plan (so a listed pitcher never starts while listed);
a few everyday hitters are listed too, because the real feed is not pitcher-only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlb_assets_demo import reference
from mlb_assets_demo.reference import Season

HITTER_STINTS_PER_SEASON = 8
HITTER_STATUSES = (("10-Day-IL", 10, 30), ("Day-To-Day", 2, 5), ("Out", 5, 15))


def build_injuries(
    season: Season, absences: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per (snapshot day, listed player): day, pitcher_lookup, is_pitcher, status,
    injury_day (season day numbers; injury_day may precede opening day)."""
    pitchers = absences.assign(is_pitcher=True)
    stints = pd.concat([pitchers, _hitter_stints(season, rng)], ignore_index=True)
    start = stints["start_day"].clip(lower=0).to_numpy()
    end = stints["end_day"].clip(upper=season.n_days - 1).to_numpy()
    lengths = np.maximum(end - start + 1, 0)
    rows = stints.loc[np.repeat(stints.index.to_numpy(), lengths)].reset_index(drop=True)
    step = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return pd.DataFrame(
        {
            "day": np.repeat(start, lengths) + step,
            "pitcher_lookup": rows["pitcher_lookup"].to_numpy(),
            "is_pitcher": rows["is_pitcher"].to_numpy(dtype=bool),
            "injury_status": rows["status"].to_numpy(),
            "injury_day": rows["injury_day"].to_numpy(),
        }
    ).sort_values(["day", "pitcher_lookup"], ignore_index=True)


def _hitter_stints(season: Season, rng: np.random.Generator) -> pd.DataFrame:
    """A handful of non-pitcher stints at random points of the season."""
    hitters = reference.hitters().query("season == @season.year").reset_index(drop=True)
    picked = hitters.loc[rng.choice(len(hitters), HITTER_STINTS_PER_SEASON, replace=False)]
    kind = rng.integers(0, len(HITTER_STATUSES), len(picked))
    low = np.array([HITTER_STATUSES[k][1] for k in kind])
    high = np.array([HITTER_STATUSES[k][2] for k in kind])
    start = rng.integers(0, season.n_days - 20, len(picked))
    return pd.DataFrame(
        {
            "pitcher_lookup": picked["player_lookup"].to_numpy(),
            "team_abbr": picked["team_abbr"].to_numpy(),
            "start_day": start,
            "end_day": start + rng.integers(low, high + 1) - 1,
            "status": [HITTER_STATUSES[k][0] for k in kind],
            "injury_day": start,
            "is_pitcher": False,
        }
    )
