"""Headline figures of a generated demo, so users (and tests) can see it looks like baseball."""

from __future__ import annotations

import pandas as pd

from mlb_assets_demo.generator import GAME_SUMMARY, INJURIES, PROPS, SCHEDULE


def summarize(tables: dict[str, pd.DataFrame]) -> dict[str, int | float]:
    """Days, starts, strikeout level, starters per day, lines, IL stints and data gaps."""
    schedule, games = tables[SCHEDULE], tables[GAME_SUMMARY]
    starts = games[games["is_starter"]]
    innings = games["innings_pitched"].sum()
    lines = tables[PROPS].drop_duplicates(["game_date", "pitcher_lookup"])
    return {
        "days": int(schedule["game_date"].nunique()),
        "games": len(schedule),
        "starts": len(starts),
        "relief_appearances": int((~games["is_starter"]).sum()),
        "mean_strikeouts_per_start": round(float(starts["strikeouts"].mean()), 2),
        "sd_strikeouts_per_start": round(float(starts["strikeouts"].std()), 2),
        "league_k_per_9": round(float(9 * games["strikeouts"].sum() / innings), 2),
        "median_starters_per_day": float(schedule.groupby("game_date").size().median() * 2),
        "lines_posted": len(lines),
        "il_stints": il_stint_count(tables[INJURIES]),
        "openers": int((starts["innings_pitched"] <= 2).sum()),
        "pitchers_missing_swing_data": len(pitchers_missing_swing_data(starts)),
        "scratched_probables": len(scratched_probables(schedule, starts)),
    }


def il_stint_count(injuries: pd.DataFrame) -> int:
    """Distinct injured-list placements of pitchers (one per pitcher and injury date)."""
    il = injuries[injuries["is_pitcher"] & injuries["injury_status"].str.endswith("-IL")]
    return len(il.drop_duplicates(["pitcher_lookup", "injury_date"]))


def pitchers_missing_swing_data(starts: pd.DataFrame) -> list[str]:
    """Pitchers with no swinging-strike data in any of their starts."""
    has_data = starts["swinging_strikes"].notna().groupby(starts["pitcher_lookup"]).any()
    return sorted(has_data.index[~has_data])


def scratched_probables(schedule: pd.DataFrame, starts: pd.DataFrame) -> pd.DataFrame:
    """Listed probable pitchers who did not start their game (game_id, pitcher_lookup)."""
    sides = [
        schedule[["game_id", "game_date", col]].set_axis(
            ["game_id", "game_date", "pitcher_lookup"], axis=1
        )
        for col in ("home_probable_pitcher_lookup", "away_probable_pitcher_lookup")
    ]
    probables = pd.concat(sides, ignore_index=True)
    started = pd.MultiIndex.from_frame(starts[["game_id", "pitcher_lookup"]])
    listed = pd.MultiIndex.from_frame(probables[["game_id", "pitcher_lookup"]])
    return probables[~listed.isin(started)].reset_index(drop=True)
