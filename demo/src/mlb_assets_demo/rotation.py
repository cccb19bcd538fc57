"""Who starts each game: real starters, real workloads, realistic rest and injured-list stints.

Each team-stint gets an availability window sized to its real games started (a full season
for rotation regulars, a shorter stretch for call-ups, or the full season minus an injured-list
gap). A credit scheduler then hands each team game to the available pitcher furthest behind
his real share of starts, which reproduces a 5-man rotation's order and rest (mostly 4-6 days)
without hard-coding one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlb_assets_demo.reference import Season

# Team games a stint's window spans per real start: a 5-man rotation, plus a little room
# for skipped turns.
GAMES_PER_START = 5.1
# A regular rest gap (days between starts) and the shortest the scheduler accepts before
# reaching outside the rotation.
NORMAL_GAP, SHORT_GAP = 5, 4
# Trades happen between these fractions of the season (no trades in the first/last weeks).
TRADE_BOUNDS = (0.2, 0.85)
# Chance a partial-season pitcher's missing starts are an injured-list gap (else a call-up
# or demotion window), and the chances of short absences for rotation regulars.
IL_GAP_PROB = 0.55
MAX_IL_GAP_SHARE = 0.6
SHORT_ABSENCES = (("10-Day-IL", 0.12, 12, 21), ("Day-To-Day", 0.05, 2, 4), ("Out", 0.04, 3, 7))


@dataclass
class Availability:
    """Planned windows (one row per stint) and absences (one row per stint of absence)."""

    windows: pd.DataFrame  # profile index, seg_start, seg_end, win_start, win_end, rate
    absences: pd.DataFrame  # pitcher_lookup, team_abbr, start_day, end_day, status, injury_day


def plan_availability(
    season: Season, tgames: pd.DataFrame, rng: np.random.Generator
) -> Availability:
    """Place every stint's window and absences inside its team's real game days."""
    profiles = season.profiles
    seg_start, seg_end = _trade_segments(profiles, season.n_days)
    windows = pd.DataFrame({"seg_start": seg_start, "seg_end": seg_end}, index=profiles.index)
    windows[["win_start", "win_end"]] = windows[["seg_start", "seg_end"]].to_numpy()
    windows["rate"] = 0.0
    traded = profiles.groupby("playerID")["stint"].transform("size").gt(1).to_numpy()
    absences: list[dict] = []
    game_days = tgames.groupby("team")["day"].apply(np.asarray)
    for team, stints in profiles.groupby("team_abbr").groups.items():
        _plan_team(
            profiles.loc[stints], windows, game_days[team], traded, season.n_days, rng, absences
        )
    return Availability(windows=windows, absences=pd.DataFrame(absences))


def _trade_segments(profiles: pd.DataFrame, n_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Split a traded pitcher's season between his teams in proportion to his starts there."""
    order = profiles.sort_values(["playerID", "stint"])
    total = order.groupby("playerID")["games_started"].transform("sum")
    cum = order.groupby("playerID")["games_started"].cumsum()

    def day_of(share: pd.Series) -> np.ndarray:
        return np.round(share.clip(*TRADE_BOUNDS).to_numpy() * n_days).astype(int)

    start = np.where(
        cum == order["games_started"], 0, day_of((cum - order["games_started"]) / total)
    )
    end = np.where(cum == total, n_days - 1, day_of(cum / total) - 1)
    return (
        pd.Series(start, index=order.index).reindex(profiles.index).to_numpy(),
        pd.Series(end, index=order.index).reindex(profiles.index).to_numpy(),
    )


def _plan_team(
    stints: pd.DataFrame,
    windows: pd.DataFrame,
    days: np.ndarray,
    traded: np.ndarray,
    n_days: int,
    rng: np.random.Generator,
    absences: list[dict],
) -> None:
    """Fill one team's season: regulars first, then injured regulars, then call-ups."""
    capacity = np.ones(len(days))
    for idx, row in stints.sort_values("games_started", ascending=False).iterrows():
        a = int(np.searchsorted(days, windows.at[idx, "seg_start"]))
        b = int(np.searchsorted(days, windows.at[idx, "seg_end"], side="right"))
        if b == a:
            continue
        need = max(1, round(row["games_started"] * GAMES_PER_START))
        active = np.zeros(len(days), dtype=bool)
        if need >= 0.9 * (b - a):
            active[a:b] = True
            _short_absences(row, days, a, b, n_days, rng, absences)
        elif _il_gap_candidate(row, need, b - a, traded[idx]) and rng.random() < IL_GAP_PROB:
            active[a:b] = True
            g0, g1 = _il_gap(a, b, need, rng)
            active[g0:g1] = False
            absences.append(_il_stint(row, days, g0, g1, n_days, rng))
        else:
            start = _best_window(capacity, a, b, need, rng)
            active[start : start + need] = True
            windows.loc[idx, ["win_start", "win_end"]] = days[start], days[start + need - 1]
        rate = row["games_started"] / active.sum()
        capacity[active] -= rate
        windows.at[idx, "rate"] = rate


def _il_gap_candidate(row: pd.Series, need: int, span: int, traded: bool) -> bool:
    """Could the missing starts be an injury? Not for trades, cups of coffee, or call-ups
    who missed most of the season (those were in the minors, not on the injured list)."""
    return not traded and row["games_started"] >= 4 and span - need <= MAX_IL_GAP_SHARE * span


def _best_window(capacity: np.ndarray, a: int, b: int, need: int, rng: np.random.Generator) -> int:
    """Start index of the stretch with the most unfilled starts (noisy, so not always the same)."""
    sums = np.convolve(capacity[a:b], np.ones(need), mode="valid")
    return a + int(np.argmax(sums + rng.normal(0, 0.5, len(sums))))


def _il_gap(a: int, b: int, need: int, rng: np.random.Generator) -> tuple[int, int]:
    """Game-index range [g0, g1) missed on the injured list; long ones often open the season."""
    gap = (b - a) - need
    if gap > 0.35 * (b - a) and rng.random() < 0.5:
        return a, a + gap
    g0 = int(rng.integers(a, b - gap + 1))
    return g0, g0 + gap


def _il_stint(
    row: pd.Series, days: np.ndarray, g0: int, g1: int, n_days: int, rng: np.random.Generator
) -> dict:
    """Absence record for an injured-list gap over team games g0..g1-1."""
    start = int(days[g0])
    end = int(days[g1]) - 1 if g1 < len(days) else n_days - 1
    length = end - start + 1
    short_status = "10-Day-IL" if rng.random() < 0.85 else "15-Day-IL"
    status = "60-Day-IL" if length >= 60 else short_status
    injury_day = start - int(rng.integers(10, 60)) if start == 0 else start
    return _absence(row, start, end, status, injury_day)


def _short_absences(
    row: pd.Series,
    days: np.ndarray,
    a: int,
    b: int,
    n_days: int,
    rng: np.random.Generator,
    absences: list[dict],
) -> None:
    """Occasional short stints for a rotation regular (a 10-day IL, a day-to-day, an 'Out')."""
    for status, prob, low, high in SHORT_ABSENCES:
        if rng.random() < prob and b - a > 10:
            start = int(days[rng.integers(a + 5, b - 3)])
            end = min(start + int(rng.integers(low, high + 1)) - 1, n_days - 1)
            absences.append(_absence(row, start, end, status, start))


def _absence(row: pd.Series, start: int, end: int, status: str, injury_day: int) -> dict:
    """One absence row (days are season day numbers, 0 = opening day)."""
    return {
        "pitcher_lookup": row["pitcher_lookup"],
        "team_abbr": row["team_abbr"],
        "start_day": start,
        "end_day": end,
        "status": status,
        "injury_day": injury_day,
    }


def blocked_days(season: Season, absences: pd.DataFrame) -> np.ndarray:
    """Boolean [profile, day]: the stint's pitcher is absent that day (on any team)."""
    profiles = season.profiles
    blocked = np.zeros((len(profiles), season.n_days), dtype=bool)
    if absences.empty:
        return blocked
    rows_by_lookup = profiles.groupby("pitcher_lookup").indices
    for lookup, start, end in absences[["pitcher_lookup", "start_day", "end_day"]].itertuples(
        index=False
    ):
        blocked[rows_by_lookup[lookup], start : end + 1] = True
    return blocked


def assign_starters(
    season: Season, tgames: pd.DataFrame, availability: Availability, blocked: np.ndarray
) -> np.ndarray:
    """Profile index of the starter of every row of tgames (the credit scheduler).

    Deterministic given the plan: the randomness lives in the plan, the scheduler just
    follows the rotation it implies.
    """
    windows, profiles = availability.windows, season.profiles
    day_axis = np.arange(season.n_days)
    in_window = (day_axis >= windows["win_start"].to_numpy()[:, None]) & (
        day_axis <= windows["win_end"].to_numpy()[:, None]
    )
    active = in_window & ~blocked
    player = profiles["pitcher_lookup"].astype("category").cat.codes.to_numpy()
    last_start = np.full(player.max() + 1, -100)
    credit, starts = np.zeros(len(profiles)), np.zeros(len(profiles))
    quota, rate = profiles["games_started"].to_numpy(), windows["rate"].to_numpy()
    team_rows = {t: np.asarray(ix) for t, ix in profiles.groupby("team_abbr").indices.items()}
    order = np.lexsort((tgames["team"].to_numpy(), tgames["day"].to_numpy()))
    chosen = np.empty(len(tgames), dtype=int)
    for i, team, day in zip(
        order, tgames["team"].to_numpy()[order], tgames["day"].to_numpy()[order], strict=True
    ):
        cand = team_rows[team]
        act = active[cand, day]
        credit[cand[act]] += rate[cand[act]]
        rest = day - last_start[player[cand]]
        pick = _pick(cand, act, ~blocked[cand, day], rest, credit - starts, quota - starts)
        chosen[i] = pick
        starts[pick] += 1
        last_start[player[pick]] = day
    return chosen


def _pick(
    cand: np.ndarray,
    act: np.ndarray,
    healthy: np.ndarray,
    rest: np.ndarray,
    deficit: np.ndarray,
    remaining: np.ndarray,
) -> int:
    """The rotation's next man; if nobody is rested, a spot starter; never an injured pitcher
    unless the whole staff is (then the most rested)."""
    tiers = (
        (act & (rest >= NORMAL_GAP), deficit[cand]),
        (act & (rest >= SHORT_GAP), deficit[cand]),
        (healthy & (rest >= SHORT_GAP), remaining[cand]),
        (healthy, rest.astype(float)),
    )
    for mask, score in tiers:
        if mask.any():
            best = np.where(mask, score + rest * 1e-3, -np.inf)
            return int(cand[np.argmax(best)])
    return int(cand[np.argmax(rest)])


def relief_appearances(
    season: Season,
    tgames: pd.DataFrame,
    starters: np.ndarray,
    availability: Availability,
    blocked: np.ndarray,
    share: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """(tgames row, profile index) of relief outings: a share of each stint's real relief games,
    on healthy days inside its team segment and never within a day of his own start."""
    profiles, windows = season.profiles, availability.windows
    start_days = (
        pd.Series(tgames["day"].to_numpy())
        .groupby(profiles["pitcher_lookup"].to_numpy()[starters])
        .apply(np.sort)
    )
    team_rows = tgames.groupby("team").indices
    rows_out, who_out = [], []
    wanted = np.round(profiles["relief_games"].to_numpy() * share).astype(int)
    for idx in np.flatnonzero(wanted):
        rows = team_rows[profiles.at[idx, "team_abbr"]]
        days = tgames["day"].to_numpy()[rows]
        ok = (days >= windows.at[idx, "seg_start"]) & (days <= windows.at[idx, "seg_end"])
        ok &= ~blocked[idx, days]
        own = start_days.get(profiles.at[idx, "pitcher_lookup"], np.empty(0, dtype=int))
        ok &= _far_from(days, own, 2)
        picked = rng.choice(rows[ok], size=min(wanted[idx], ok.sum()), replace=False)
        rows_out.append(picked)
        who_out.append(np.full(len(picked), idx))
    return np.concatenate(rows_out), np.concatenate(who_out)


def _far_from(days: np.ndarray, anchors: np.ndarray, gap: int) -> np.ndarray:
    """True where a day is at least `gap` days from every anchor day (anchors sorted)."""
    if len(anchors) == 0:
        return np.ones(len(days), dtype=bool)
    pos = np.searchsorted(anchors, days)
    after = anchors[np.minimum(pos, len(anchors) - 1)]
    before = anchors[np.maximum(pos - 1, 0)]
    return (np.abs(after - days) >= gap) & (np.abs(days - before) >= gap)
