"""The injured list's vocabulary and how a feed's listings become a roster.

Pure: the roster read (with its retries and fail-safe) calls it, the single-prediction CLI and
the benchmarks select with the same spellings, and the tests pin the vocabulary.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

# Past dates need a snapshot at most this many days old (the roster query enforces it).
MAX_SNAPSHOT_AGE_DAYS = 7
ROSTER_COLUMNS = ["game_date", "pitcher_lookup", "injury_status", "injury_date", "snapshot_date"]
IL_STATUSES = ("10-Day-IL", "15-Day-IL", "60-Day-IL", "Out")
# The ONE vocabulary of injured-list statuses: every spelling feeds are known to use, mapped to
# its canonical status (the SQL keeps exactly these spellings; the roster stores the canonical
# one). The list was renamed from "disabled" in 2019, and feeds write the stint either way.
IL_SPELLINGS: dict[str, str] = {
    spelling.format(days=days): f"{days}-Day-IL"
    for days in (10, 15, 60)
    for spelling in (
        "{days}-Day-IL",
        "{days}-Day IL",
        "{days}-Day Injured List",
        "IL-{days}",
        "IL{days}",
        "{days}-Day-DL",
        "{days}-Day DL",
        "DL-{days}",
        "DL{days}",
    )
} | {"Out": "Out", "OUT": "Out"}
# Statuses that list a player who is NOT on the injured list: known, so never reported.
OTHER_STATUSES = frozenset({"Day-To-Day", "Day-to-Day", "DTD", "Questionable", "Doubtful"})


def split_listings(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster (canonical statuses, one row per pitcher and date) and each date's snapshot.

    The query names only pitchers under an IL spelling; other listings come with no pitcher.
    """
    snapshots = raw[["game_date", "snapshot_date"]].drop_duplicates("game_date")
    on_list = raw.dropna(subset=["pitcher_lookup"])
    roster = on_list.assign(injury_status=on_list["injury_status"].map(IL_SPELLINGS))
    roster = roster[ROSTER_COLUMNS].drop_duplicates(["game_date", "pitcher_lookup"])
    return roster.reset_index(drop=True), snapshots.reset_index(drop=True)


def vocabulary(raw: pd.DataFrame) -> tuple[dict[str, int], list[date]]:
    """Unknown statuses with their listing counts, and the snapshots listing pitchers but none
    under an IL status. Each snapshot is counted once, however many dates it serves."""
    listed = raw.dropna(subset=["snapshot_date", "injury_status"])
    first_date = listed.groupby("snapshot_date")["game_date"].transform("min")
    listed = listed[listed["game_date"] == first_date]
    status = listed["injury_status"]
    unknown = status[~status.isin(IL_SPELLINGS.keys() | OTHER_STATUSES)].value_counts()
    any_il = status.isin(IL_SPELLINGS.keys()).groupby(listed["snapshot_date"]).any()
    unmapped = sorted(pd.Timestamp(day).date() for day in any_il.index[~any_il])
    return {str(name): int(n) for name, n in unknown.items()}, unmapped


def describe_counts(counts: dict[str, int]) -> str:
    """`IL-10 (20), IL-60 (4)`, or `none`."""
    return ", ".join(f"{name} ({n})" for name, n in counts.items()) or "none"
