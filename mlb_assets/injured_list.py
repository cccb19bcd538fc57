"""The injured-list roster: retried, and failing SAFE — an empty roster, never a stale one.

Skipping a healthy pitcher because of an old roster hides a bet; predicting an injured one is
caught by the missing line and the source check. So after the last failed attempt the answer
is "nobody is known to be injured", loudly flagged, rather than yesterday's list.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from mlb_assets.resources.errors import is_transient
from mlb_assets.resources.warehouse import Warehouse

IL_STATUSES = ("10-Day-IL", "15-Day-IL", "60-Day-IL", "Out")
MAX_SNAPSHOT_AGE_DAYS = 7
ATTEMPTS = 3
ROSTER_COLUMNS = ["game_date", "pitcher_lookup", "injury_status", "injury_date", "snapshot_date"]

logger = logging.getLogger("mlb_assets.injured_list")


@dataclass
class RosterResult:
    """The roster rows plus how the source behaved, for metadata and the source check."""

    roster: pd.DataFrame
    snapshots: pd.DataFrame  # one row per game_date: snapshot_date (NaT when none is fresh)
    source_status: str  # "ok" or "failed"
    attempts: int
    error: str | None = None
    error_type: str | None = None
    retries: list[str] = field(default_factory=list)


def _split(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    snapshots = raw[["game_date", "snapshot_date"]].drop_duplicates("game_date")
    roster = raw.dropna(subset=["pitcher_lookup"])[ROSTER_COLUMNS].reset_index(drop=True)
    return roster, snapshots.reset_index(drop=True)


def fetch_roster(
    warehouse: Warehouse,
    start: date,
    end: date,
    *,
    log: logging.Logger | logging.LoggerAdapter = logger,
    sleep: Callable[[float], None] = time.sleep,
) -> RosterResult:
    """Query the roster for [start, end] with 3 attempts (backoff 1 s, 2 s; capped at 10 s)."""
    retries: list[str] = []

    def note_retry(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        message = (
            f"il_roster attempt {state.attempt_number}/{ATTEMPTS} failed "
            f"({type(exc).__name__}: {exc}); retrying in {state.upcoming_sleep:.0f} s"
        )
        retries.append(message)
        log.warning(message)

    retrying = Retrying(
        stop=stop_after_attempt(ATTEMPTS),
        wait=wait_exponential(multiplier=1, min=1, max=10),
        retry=retry_if_exception(is_transient),
        before_sleep=note_retry,
        sleep=sleep,
        reraise=True,
    )
    params = {
        "start_date": start,
        "end_date": end,
        "max_age_days": MAX_SNAPSHOT_AGE_DAYS,
        "il_statuses": list(IL_STATUSES),
    }
    try:
        raw = retrying(warehouse.query, "sources/il_roster.sql", params)
    except Exception as exc:  # fail safe on anything, transient or not, after the retries
        attempts = len(retries) + 1
        log.error(
            "il_roster source failed; using an EMPTY roster "
            + json.dumps(
                {
                    "event": "il_roster_source_failed",
                    "error_type": type(exc).__name__,
                    "error": str(exc)[:300],
                    "fallback_action": "return_empty_set",
                    "window": f"{start}..{end}",
                    "attempts": attempts,
                }
            )
        )
        empty = pd.DataFrame(columns=ROSTER_COLUMNS)
        dates = pd.date_range(start, end, freq="D").date
        snapshots = pd.DataFrame({"game_date": dates, "snapshot_date": pd.NaT})
        return RosterResult(
            roster=empty,
            snapshots=snapshots,
            source_status="failed",
            attempts=attempts,
            error=f"{type(exc).__name__}: {exc}",
            error_type=type(exc).__name__,
            retries=retries,
        )
    roster, snapshots = _split(raw)
    return RosterResult(roster, snapshots, "ok", attempts=len(retries) + 1, retries=retries)


class RosterCache:
    """In-process TTL cache of the pitchers on the IL per date, for repeated single lookups.

    Only successful answers are cached: a failed lookup must be retried on the next call, not
    remembered as "nobody is injured" for hours.
    """

    def __init__(
        self, warehouse: Warehouse, ttl_hours: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._warehouse = warehouse
        self._ttl_s = ttl_hours * 3600
        self._clock = clock
        self._entries: dict[date, tuple[float, frozenset[str]]] = {}

    def injured(self, game_date: date) -> frozenset[str]:
        cached = self._entries.get(game_date)
        if cached is not None and self._clock() - cached[0] < self._ttl_s:
            return cached[1]
        result = fetch_roster(self._warehouse, game_date, game_date)
        pitchers = frozenset(result.roster["pitcher_lookup"])
        if result.source_status == "ok":
            self._entries[game_date] = (self._clock(), pitchers)
        return pitchers
