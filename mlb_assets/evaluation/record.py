"""Each system's betting record: its bets, each day's units, and its equity curves over the
season at flat stakes and at the recommended (fractional Kelly) stakes. Pure.

Every figure is per system. Two systems often bet the same pitcher the same way; pooling
them would count that bet twice, so nothing here adds one system's bets to another's.

- Flat: one unit on every bet; a day's units are the sum of its bets' profits per unit.
- Kelly: each bet stakes its `stake_pct` of the bankroll as it stood that morning (a day's
  bets are placed together), so the bankroll grows by (1 + sum of stake x profit) a day;
  the curve is the bankroll's change since the season's first date, in percent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlb_assets.evaluation.grading import LOSS, PUSH, WIN

# The columns of one date's bets, in reading order, with what each means.
BET_COLUMNS: dict[str, str] = {
    "system": "The prediction system that made the bet (each system's bets are its own).",
    "pitcher": "Starting pitcher.",
    "side": "OVER or UNDER.",
    "line": "Strikeout line bet.",
    "price": "American odds taken (the best across books for the side).",
    "result": "WIN, LOSS or PUSH (a whole line hit exactly: the stake comes back).",
    "units": "Profit at flat stakes: units won or lost per unit bet.",
    "actual_k": "Strikeouts he recorded.",
    "book": "The book the price came from.",
    "stake_pct": "Fractional-Kelly stake, % of bankroll.",
}


def price_taken(grades: pd.DataFrame) -> pd.Series:
    """The price a bet was graded at: the shopped one, else the selected book's for its side
    (as `grading.grade` pays it)."""
    offered = grades["over_odds"].where(grades["recommendation"] == "OVER", grades["under_odds"])
    return grades["bet_odds"].astype("Float64").fillna(offered.astype("Float64"))


def bets_of(grades: pd.DataFrame) -> pd.DataFrame:
    """The bets among graded predictions, one row per system and bet, as BET_COLUMNS."""
    bets = grades[grades["result"].isin([WIN, LOSS, PUSH])].sort_values(
        ["system_id", "pitcher_name", "pitcher_lookup"]
    )
    return pd.DataFrame(
        {
            "system": bets["system_id"],
            "pitcher": bets["pitcher_name"].fillna(bets["pitcher_lookup"]),
            "side": bets["recommendation"],
            "line": bets["strikeouts_line"].astype("float64").round(1),
            "price": price_taken(bets).round().astype("Int64"),
            "result": bets["result"],
            "units": bets["profit"].astype("float64").round(3),
            "actual_k": bets["actual_strikeouts"].astype("Int64"),
            "book": bets["bet_book"],
            "stake_pct": bets["stake_pct"].astype("float64").round(2),
        },
        columns=list(BET_COLUMNS),
    ).reset_index(drop=True)


def daily_record(grades: pd.DataFrame) -> pd.DataFrame:
    """One row per (game_date, system_id) that had predictions graded: bets, wins, losses,
    pushes, flat units and the day's Kelly return (sum of stake share x profit)."""
    frame = grades.assign(
        game_date=pd.to_datetime(grades["game_date"]),
        bet=grades["result"].isin([WIN, LOSS, PUSH]),
        win=grades["result"] == WIN,
        loss=grades["result"] == LOSS,
        push=grades["result"] == PUSH,
        units=grades["profit"].astype("float64").fillna(0.0),
        kelly=(grades["stake_pct"].astype("float64").fillna(0.0) / 100.0)
        * grades["profit"].astype("float64").fillna(0.0),
    )
    return (
        frame.groupby(["game_date", "system_id"])
        .agg(
            bets=("bet", "sum"),
            wins=("win", "sum"),
            losses=("loss", "sum"),
            pushes=("push", "sum"),
            units=("units", "sum"),
            kelly_return=("kelly", "sum"),
        )
        .astype({"bets": "int64", "wins": "int64", "losses": "int64", "pushes": "int64"})
    )


def equity(record: pd.DataFrame, dates: pd.DatetimeIndex, systems: list[str]) -> pd.DataFrame:
    """Per system and date of `dates` (every date, with or without games): the day's record
    and the season to date, flat (`season_units`) and at Kelly stakes
    (`kelly_bankroll_pct`). A season is a calendar year: the curves restart each year."""
    index = pd.MultiIndex.from_product([dates, systems], names=["game_date", "system_id"])
    days = record.reindex(index, fill_value=0).reset_index()
    season = days["game_date"].dt.year
    by = [season, days["system_id"]]
    days["season_units"] = days.groupby(by)["units"].cumsum()
    growth = np.log1p(days["kelly_return"].astype("float64"))
    days["kelly_bankroll_pct"] = 100.0 * np.expm1(growth.groupby(by).cumsum())
    return days
