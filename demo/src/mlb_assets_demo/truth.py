"""The simulation's own expectation for generated starts: the yardstick the demo book is judged by.

A generated pitcher_game_summary row names its season, pitcher, team, opponent and venue,
which is all the simulation's mean depends on, so the truth can be recomputed from the tables
alone (no hidden column, no rerun of the random draws).
"""

from __future__ import annotations

import pandas as pd

from mlb_assets_demo.boxscores import expected_batters_faced, expected_strikeouts
from mlb_assets_demo.reference import load_season


def true_expectations(starts: pd.DataFrame, ballparks: pd.DataFrame) -> pd.DataFrame:
    """Mean batters faced and strikeouts the simulation drew each start from.

    starts: rows of a generated pitcher_game_summary (starts only); the result shares its index.
    """
    dates = pd.to_datetime(starts["game_date"])
    park_k = ballparks.set_index("team_abbr")["k_factor"]
    out = pd.DataFrame(index=starts.index, columns=["batters_faced", "strikeouts"], dtype=float)
    for year in dates.dt.year.unique():
        rows = (dates.dt.year == year).to_numpy()
        season = load_season(int(year))
        profile = season.profiles.reset_index().set_index(["pitcher_lookup", "team_abbr"])["index"]
        part = starts[rows]
        apps = pd.DataFrame(
            {
                "profile": profile.loc[
                    pd.MultiIndex.from_frame(part[["pitcher_lookup", "team_abbr"]])
                ].to_numpy(),
                "team": part["team_abbr"].to_numpy(),
                "opponent": part["opponent_team_abbr"].to_numpy(),
                "is_home": part["is_home"].to_numpy(),
                "month": dates[rows].dt.month.to_numpy(),
            }
        )
        out.loc[rows, "batters_faced"] = expected_batters_faced(season, apps)
        out.loc[rows, "strikeouts"] = expected_strikeouts(season, apps, park_k)
    return out
