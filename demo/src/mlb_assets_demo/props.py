"""Strikeout prop snapshots from a sharp book: lines at its median, its own prices, a 7 % hold.

The book projects the simulation's true mean for the pitcher-day (expected_strikeouts) with
an error that shrinks through the day as news arrives: N(0, 0.45) K at the morning open,
N(0, 0.3) K at first pitch. It prices with the count distribution of market.py, posts the
half point that splits it most evenly (so it moves the line rather than quote a side beyond
about 20-80 %) and charges about 7 %. Blind betting therefore loses the hold, as in a real
market, and closing-line value is measurable. Books differ a little: each has its own hold
and a point or so of price error, and now and then one posts the whole-number median (pushes
exist). Most pitcher-days get lines from several bookmakers, each polled 2-4 times before
first pitch; a few snapshots land after first pitch (live lines) to prove the pipeline
ignores them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlb_assets_demo.boxscores import OPENER_OUTS, expected_batters_faced, expected_strikeouts
from mlb_assets_demo.market import BatterSpread, StrikeoutDistribution
from mlb_assets_demo.reference import Season
from mlb_assets_demo.schedule import first_pitch_minute

BOOKMAKERS = np.array(["draftkings", "fanduel", "betmgm", "caesars", "pointsbet"])
BOOK_PRESENCE = np.array([0.95, 0.90, 0.80, 0.70, 0.50])
# Each book's total implied probability of the two sides (its hold, about 7 %).
BOOK_HOLD = np.array([1.070, 1.068, 1.072, 1.070, 1.075])
# Chance a pitcher-day gets any line: regulars, debutants (no start yet this season), openers.
POSTED_PROB = {"regular": 0.87, "debut": 0.45, "opener": 0.25}
# The book's projection error (strikeouts) at the morning open and at first pitch.
OPEN_ERROR_SD, CLOSE_ERROR_SD = 0.45, 0.3
# Per book and prop: error on the fair over probability, and the chance it posts the
# whole-number median instead of the half point.
PRICE_NOISE_SD = 0.01
WHOLE_LINE_PROB = 0.04
# A book takes a prop down while its fair side would fall outside this at the nearest line it
# offers (an opener's 2.5, an ace's 9.5); inside the line range it moves the line instead.
FAIR_RANGE = (0.2, 0.8)
LINE_RANGE = (2.5, 9.5)
FIRST_POLL_HOUR = 14  # UTC; books post starter props on game-day mornings (ET)
OPEN_WINDOW, CLOSE_WINDOW = 60, (5, 35)  # minutes after the first poll; before first pitch
LATE_SNAPSHOT_PROB = 0.04


def build_props(
    season: Season,
    probables: pd.DataFrame,
    starts: pd.DataFrame,
    park_k: pd.Series,
    spread: BatterSpread,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Snapshot rows for the posted share of probables (team-game rows with profile, lookup)."""
    days = _pitcher_days(season, probables, starts, park_k, rng)
    snaps = _snapshots(_book_rows(days, rng), spread, rng)
    snaps = pd.concat([snaps, _late_snapshots(snaps, rng)], ignore_index=True)
    book = StrikeoutDistribution.priced(
        snaps["projection"].to_numpy(), snaps["expected_bf"].to_numpy(), spread
    )
    over, under = book.over_under(snaps["line"].to_numpy())
    fair_over = over / (over + under)
    shown = (fair_over >= FAIR_RANGE[0]) & (fair_over <= FAIR_RANGE[1])
    snaps = snaps[shown]
    fair_over = fair_over[shown] + snaps["price_noise"].to_numpy()
    hold = snaps["hold"].to_numpy()
    base = pd.Timestamp(season.first_day, tz="UTC")
    return pd.DataFrame(
        {
            "snapshot_time": base + pd.to_timedelta(snaps["minute"].to_numpy(), unit="min"),
            "day": snaps["day"].to_numpy(),
            "game_id": snaps["game_id"].to_numpy(),
            "pitcher_lookup": snaps["pitcher_lookup"].to_numpy(),
            "bookmaker": snaps["bookmaker"].to_numpy(),
            "line": snaps["line"].to_numpy(),
            "over_price": american_odds(fair_over * hold),
            "under_price": american_odds((1.0 - fair_over) * hold),
        }
    )


def _pitcher_days(
    season: Season,
    probables: pd.DataFrame,
    starts: pd.DataFrame,
    park_k: pd.Series,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """The posted pitcher-days with the truth and the book's error: close_error at first
    pitch, plus news (the part of the opening error resolved during the day) at the open."""
    n = len(probables)
    truth = expected_strikeouts(season, probables, park_k)
    close_error = rng.normal(0, CLOSE_ERROR_SD, n)
    news = rng.normal(0, np.sqrt(OPEN_ERROR_SD**2 - CLOSE_ERROR_SD**2), n)
    kind = np.where(
        season.profiles.loc[probables["profile"], "start_outs"].to_numpy() < OPENER_OUTS,
        "opener",
        np.where(_before_first_start(probables, starts), "debut", "regular"),
    )
    posted = rng.random(n) < pd.Series(kind).map(POSTED_PROB).to_numpy()
    days = probables.loc[posted, ["game_id", "day", "start_hour", "pitcher_lookup"]]
    return days.assign(
        truth=truth[posted],
        close_error=close_error[posted],
        news=news[posted],
        expected_bf=expected_batters_faced(season, probables)[posted],
    )


def _before_first_start(probables: pd.DataFrame, starts: pd.DataFrame) -> np.ndarray:
    """Whether the pitcher has not yet started this season before the day."""
    first = starts.groupby("pitcher_lookup")["day"].min()
    return ~(probables["pitcher_lookup"].map(first) < probables["day"]).to_numpy()


def _book_rows(days: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per (pitcher-day, bookmaker offering it), with that book's quirks on the prop."""
    present = rng.random((len(days), len(BOOKMAKERS))) < BOOK_PRESENCE
    present[~present.any(axis=1), 0] = True
    day_idx, book_idx = np.nonzero(present)
    rows = days.iloc[day_idx].reset_index(drop=True)
    return rows.assign(
        bookmaker=BOOKMAKERS[book_idx],
        hold=BOOK_HOLD[book_idx],
        price_noise=rng.normal(0, PRICE_NOISE_SD, len(rows)),
        whole=rng.random(len(rows)) < WHOLE_LINE_PROB,
    )


def _snapshots(books: pd.DataFrame, spread: BatterSpread, rng: np.random.Generator) -> pd.DataFrame:
    """2-4 polls per bookmaker from the morning open to just before first pitch.

    The projection error moves linearly in time from its opening to its closing value, and
    the line follows the projection.
    """
    counts = rng.integers(2, 5, len(books))
    day = books["day"].to_numpy()
    first_poll = day * 24 * 60 + FIRST_POLL_HOUR * 60
    first_pitch = first_pitch_minute(day, books["start_hour"].to_numpy())
    opening = first_poll + rng.integers(0, OPEN_WINDOW, len(books))
    closing = first_pitch - rng.integers(*CLOSE_WINDOW, len(books))
    row = np.repeat(np.arange(len(books)), counts)
    snaps = books.iloc[row].reset_index(drop=True).assign(book_row=row)
    poll = snaps.groupby("book_row").cumcount().to_numpy()
    between = opening[row] + np.floor(rng.random(len(row)) * (closing - opening)[row])
    minute = np.where(
        poll == 0, opening[row], np.where(poll == counts[row] - 1, closing[row], between)
    )
    elapsed = (minute - first_poll[row]) / (first_pitch - first_poll)[row]
    error = snaps["close_error"].to_numpy() + (1.0 - elapsed) * snaps["news"].to_numpy()
    snaps = snaps.assign(minute=minute.astype(int))
    snaps["projection"] = _floor(snaps["truth"].to_numpy() + error)
    book = StrikeoutDistribution.priced(
        snaps["projection"].to_numpy(), snaps["expected_bf"].to_numpy(), spread
    )
    line = np.where(snaps["whole"], book.median(), book.even_half_line())
    snaps["line"] = _offered(line)
    return snaps.sort_values(["book_row", "minute"], kind="stable").reset_index(drop=True)


def _late_snapshots(snaps: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Live-line polls after first pitch (the pipeline must never select these)."""
    last = snaps.drop_duplicates("book_row", keep="last")
    late = last[rng.random(len(last)) < LATE_SNAPSHOT_PROB].copy()
    first_pitch = first_pitch_minute(late["day"].to_numpy(), late["start_hour"].to_numpy())
    late["minute"] = first_pitch + rng.integers(5, 120, len(late))
    late["line"] = _offered(late["line"] + rng.choice([-1.0, 1.0], len(late)))
    return late


def _offered(line: np.ndarray) -> np.ndarray:
    """Lines inside the range books offer on strikeout props."""
    return np.clip(line, *LINE_RANGE)


def _floor(projection: np.ndarray) -> np.ndarray:
    """A projection is never below a tenth of a strikeout (an opener's error can go there)."""
    return np.clip(projection, 0.1, None)


def american_odds(implied: np.ndarray) -> np.ndarray:
    """Implied probability (vig included) -> American odds (-110 for 0.524)."""
    favourite = -100.0 * implied / (1.0 - implied)
    underdog = 100.0 * (1.0 - implied) / implied
    return np.round(np.where(implied >= 0.5, favourite, underdog)).astype("int64")
