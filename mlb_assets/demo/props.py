"""Strikeout prop snapshots: a noisy "book" projection, half-point lines, prices with vig.

The book blends the pitcher's recent form (last 5 starts) with his real season rate and adds
noise, so the line is informative but beatable, as in a real market. Most pitcher-days get
lines from several bookmakers, each polled 2-4 times before first pitch; a few snapshots land
after first pitch (live lines) to prove the pipeline ignores them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import nbinom

from mlb_assets.demo.boxscores import OPENER_OUTS, game_k_probability
from mlb_assets.demo.reference import Season
from mlb_assets.demo.schedule import first_pitch_minute

BOOKMAKERS = np.array(["draftkings", "fanduel", "betmgm", "caesars", "pointsbet"])
BOOK_PRESENCE = np.array([0.95, 0.90, 0.80, 0.70, 0.50])
# Chance a pitcher-day gets any line: regulars, debutants (no start yet this season), openers.
POSTED_PROB = {"regular": 0.87, "debut": 0.45, "opener": 0.25}
BOOK_NOISE_SD = 0.45  # strikeouts; the book's projection error on top of the real rate
LINE_RANGE = (2.5, 9.5)
BOOK_DISPERSION = 12.0  # the book's negative-binomial spread for per-start strikeouts
FIRST_POLL_HOUR = 14  # UTC; books post starter props on game-day mornings (ET)
LATE_SNAPSHOT_PROB = 0.04


def build_props(
    season: Season,
    probables: pd.DataFrame,
    starts: pd.DataFrame,
    park_k: pd.Series,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Snapshot rows for the posted share of probables (team-game rows with profile, lookup)."""
    days = _pitcher_days(season, probables, starts, park_k, rng)
    books = _book_rows(days, rng)
    snaps = _snapshots(books, rng)
    late = _late_snapshots(snaps, rng)
    snaps = pd.concat([snaps, late], ignore_index=True)
    over_p = _fair_over_prob(snaps["projection"].to_numpy(), snaps["line"].to_numpy(), rng)
    vig = rng.uniform(1.04, 1.06, len(snaps))
    base = pd.Timestamp(season.first_day, tz="UTC")
    return pd.DataFrame(
        {
            "snapshot_time": base + pd.to_timedelta(snaps["minute"].to_numpy(), unit="min"),
            "day": snaps["day"].to_numpy(),
            "game_id": snaps["game_id"].to_numpy(),
            "pitcher_lookup": snaps["pitcher_lookup"].to_numpy(),
            "bookmaker": snaps["bookmaker"].to_numpy(),
            "line": snaps["line"].to_numpy(),
            "over_price": american_odds(over_p * vig),
            "under_price": american_odds((1.0 - over_p) * vig),
        }
    )


def _pitcher_days(
    season: Season,
    probables: pd.DataFrame,
    starts: pd.DataFrame,
    park_k: pd.Series,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """The posted pitcher-days with the book's projection and consensus line."""
    recent = _recent_k_average(probables, starts)
    profiles = season.profiles.loc[probables["profile"]]
    expected_bf = profiles["start_outs"].to_numpy() / (1.0 - profiles["ob_rate"].to_numpy())
    expected = expected_bf * game_k_probability(season, probables, park_k)
    projection = np.where(np.isnan(recent), expected, 0.5 * recent + 0.5 * expected)
    projection = projection + rng.normal(0, BOOK_NOISE_SD, len(projection))
    kind = np.where(
        profiles["start_outs"].to_numpy() < OPENER_OUTS,
        "opener",
        np.where(np.isnan(recent), "debut", "regular"),
    )
    posted = rng.random(len(kind)) < pd.Series(kind).map(POSTED_PROB).to_numpy()
    days = probables.loc[posted, ["game_id", "day", "start_hour", "pitcher_lookup"]]
    return days.assign(projection=projection[posted], line=half_point(projection[posted]))


def _recent_k_average(probables: pd.DataFrame, starts: pd.DataFrame) -> np.ndarray:
    """Mean strikeouts over each pitcher's last 5 starts before the day (NaN if none yet)."""
    history = starts[["pitcher_lookup", "day", "strikeouts"]].sort_values(["pitcher_lookup", "day"])
    history["k_avg"] = (
        history.groupby("pitcher_lookup")["strikeouts"].rolling(5, min_periods=1).mean().to_numpy()
    )
    left = probables[["pitcher_lookup", "day"]].reset_index().sort_values("day")
    merged = pd.merge_asof(
        left,
        history.sort_values("day")[["pitcher_lookup", "day", "k_avg"]],
        on="day",
        by="pitcher_lookup",
        allow_exact_matches=False,
    )
    return merged.set_index("index")["k_avg"].reindex(probables.index).to_numpy()


def _book_rows(days: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per (pitcher-day, bookmaker offering it); books shade the consensus now and then."""
    present = rng.random((len(days), len(BOOKMAKERS))) < BOOK_PRESENCE
    present[~present.any(axis=1), 0] = True
    day_idx, book_idx = np.nonzero(present)
    rows = days.iloc[day_idx].reset_index(drop=True)
    shade = np.where(rng.random(len(rows)) < 0.12, rng.choice([-1.0, 1.0], len(rows)), 0.0)
    return rows.assign(
        bookmaker=BOOKMAKERS[book_idx], line=np.clip(rows["line"] + shade, *LINE_RANGE)
    )


def _snapshots(books: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """2-4 polls per bookmaker between 14:00 UTC and first pitch; lines sometimes move."""
    counts = rng.integers(2, 5, len(books))
    snaps = books.loc[np.repeat(books.index.to_numpy(), counts)].reset_index(names="book_row")
    day = snaps["day"].to_numpy()
    first_poll = day * 24 * 60 + FIRST_POLL_HOUR * 60
    last_poll = first_pitch_minute(day, snaps["start_hour"].to_numpy()) - 5
    span = last_poll - first_poll
    snaps["minute"] = first_poll + np.floor(rng.random(len(snaps)) * span).astype(int)
    snaps = snaps.sort_values(["book_row", "minute"], kind="stable").reset_index(drop=True)
    moves = np.where(rng.random(len(snaps)) < 0.08, rng.choice([-1.0, 1.0], len(snaps)), 0.0)
    moves[~snaps["book_row"].duplicated().to_numpy()] = 0.0
    drift = pd.Series(moves).groupby(snaps["book_row"]).cumsum().to_numpy()
    snaps["line"] = np.clip(snaps["line"].to_numpy() + drift, *LINE_RANGE)
    return snaps


def _late_snapshots(snaps: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Live-line polls after first pitch (the pipeline must never select these)."""
    last = snaps.drop_duplicates("book_row", keep="last")
    late = last[rng.random(len(last)) < LATE_SNAPSHOT_PROB].copy()
    first_pitch = first_pitch_minute(late["day"].to_numpy(), late["start_hour"].to_numpy())
    late["minute"] = first_pitch + rng.integers(5, 120, len(late))
    late["line"] = np.clip(late["line"] + rng.choice([-1.0, 1.0], len(late)), *LINE_RANGE)
    return late


def half_point(projection: np.ndarray) -> np.ndarray:
    """The x.5 line (no pushes) that splits the book's own distribution most evenly.

    Strikeouts are right-skewed, so the even split sits a little below the mean; posting it
    keeps most prices near -110 on both sides, as real books do.
    """
    below = np.floor(projection) - 0.5
    above = below + 1.0
    mean = np.clip(projection, 0.1, None)
    p = BOOK_DISPERSION / (BOOK_DISPERSION + mean)
    lean_below = np.abs(nbinom.sf(np.floor(below), BOOK_DISPERSION, p) - 0.5)
    lean_above = np.abs(nbinom.sf(np.floor(above), BOOK_DISPERSION, p) - 0.5)
    return np.clip(np.where(lean_below < lean_above, below, above), *LINE_RANGE)


def _fair_over_prob(
    projection: np.ndarray, line: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """The book's vig-free over probability: P(K > line) around its own projection.

    A half-point line sits up to half a strikeout from the projection, and a real book prices
    that gap (-135/+115 rather than -110/-110); a flat price would hand the model free wins.
    """
    r = BOOK_DISPERSION
    p_over = nbinom.sf(np.floor(line), r, r / (r + np.clip(projection, 0.1, None)))
    return np.clip(p_over + rng.normal(0, 0.01, len(line)), 0.25, 0.75)


def american_odds(implied: np.ndarray) -> np.ndarray:
    """Implied probability (vig included) -> American odds (-110 for 0.524)."""
    favourite = -100.0 * implied / (1.0 - implied)
    underdog = 100.0 * (1.0 - implied) / implied
    return np.round(np.where(implied >= 0.5, favourite, underdog)).astype("int64")
