"""Every read the assets and the command line share, beside the SQL it runs.

One definition per read, so the asset that materializes a table, the model training that
learns from the same features and the single-prediction CLI can never compute a thing two
ways. Each read is a fixed, small number of queries whatever the window's length.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from dagster import get_dagster_logger
from dateutil.relativedelta import relativedelta
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from mlb_assets.evaluation.grading import grade
from mlb_assets.features.injured_list import (
    IL_SPELLINGS,
    MAX_SNAPSHOT_AGE_DAYS,
    ROSTER_COLUMNS,
    describe_counts,
    split_listings,
    vocabulary,
)
from mlb_assets.features.lines import PRICE_COLUMNS, with_line_features
from mlb_assets.features.names import ALL_FEATURES
from mlb_assets.resources.errors import WarehouseSetupError, is_transient
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems.run import join_inputs

ATTEMPTS = 3
# The predictions' three inputs, read once per run and shared by every system.
INPUT_TABLES = (
    "mlb_precompute.feature_store_slice",
    "mlb_precompute.il_roster",
    "mlb_precompute.prop_lines",
)


# Aggregates summed in a different order (another engine, another thread count) differ in the
# last bits; XGBoost's splits and the models trained on them would too. Features are kept to
# this many decimals, far below any real resolution, so the same data gives the same model.
FEATURE_DECIMALS = 9

# The slice query's own account of the schedule it read (rows per starter and date, before it
# keeps one): checked, never stored.
SCHEDULE_ROWS = "schedule_rows"


def query_slice_rows(warehouse: Warehouse, start: date, end: date) -> pd.DataFrame:
    """The slice query plus the line features derived from its prices (one definition), with
    the schedule's rows per starter the duplicate check reads."""
    raw = warehouse.query("sources/feature_store_slice.sql", {"start_date": start, "end_date": end})
    frame = with_line_features(raw).drop(columns=list(PRICE_COLUMNS))
    return frame.round(dict.fromkeys(frame.columns.intersection(ALL_FEATURES), FEATURE_DECIMALS))


def query_slice(warehouse: Warehouse, start: date, end: date) -> pd.DataFrame:
    """The slice as its table holds it: one row per starter and date, every feature."""
    return query_slice_rows(warehouse, start, end).drop(columns=[SCHEDULE_ROWS])


def load_shared_frame(warehouse: Warehouse, start: date, end: date) -> pd.DataFrame:
    """Three queries, whatever the number of dates, pitchers or systems."""
    features, roster, lines = (warehouse.read_window(t, start, end) for t in INPUT_TABLES)
    return join_inputs(features, roster, lines)


def training_rows(warehouse: Warehouse, first: date, before: date) -> pd.DataFrame:
    """Every start in [first, before) with its features as they stood before the game (the
    feature slice's own SQL, so training and serving compute features one way) and the
    strikeouts it produced. Two queries, however many months a run trains."""
    features = query_slice(warehouse, first, before - relativedelta(days=1))
    outcomes = warehouse.query(
        "sources/start_outcomes.sql", {"from_date": first, "before_date": before}
    )
    features["game_date"] = pd.to_datetime(features["game_date"])
    outcomes["game_date"] = pd.to_datetime(outcomes["game_date"])
    return features.merge(outcomes, on=["game_date", "pitcher_lookup"], how="inner")


GRADE_COLUMNS = [
    "prediction_id",
    "game_date",
    "pitcher_lookup",
    "pitcher_name",
    "system_id",
    "recommendation",
    "predicted_strikeouts",
    "strikeouts_line",
    "over_odds",
    "under_odds",
    "bet_book",
    "bet_odds",
    "stake_pct",
    "p_over",
    "p_push",
    "p_under",
    "market_p_over",
    "actual_strikeouts",
    "result",
    "profit",
    "closing_line",
    "closing_over_odds",
    "closing_under_odds",
    "clv_k",
    "clv_prob",
    "created_at",
]


def read_grades(warehouse: Warehouse, start: date, end: date) -> pd.DataFrame:
    """Every prediction of [start, end] whose pitcher started, graded (one query)."""
    rows = warehouse.query("reads/grading_inputs.sql", {"start_date": start, "end_date": end})
    return grade(rows).assign(created_at=pd.Timestamp.now(tz="UTC"))[GRADE_COLUMNS]


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
    # Statuses outside the vocabulary with how many listings carry them, and the snapshots
    # that list pitchers but none under an IL status (a renamed vocabulary empties a roster).
    unknown_statuses: dict[str, int] = field(default_factory=dict)
    unmapped_snapshots: list[date] = field(default_factory=list)


def fetch_roster(
    warehouse: Warehouse,
    start: date,
    end: date,
    *,
    log: logging.Logger | logging.LoggerAdapter | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> RosterResult:
    """Query the roster for [start, end] with 3 attempts (backoff 1 s, 2 s; capped at 10 s)."""
    log = log or get_dagster_logger()
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
        "il_statuses": list(IL_SPELLINGS),
    }
    try:
        raw = retrying(warehouse.query, "sources/il_roster.sql", params)
    except WarehouseSetupError:
        raise  # our own warehouse is unusable: not a source outage, and no roster can be written
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
    roster, snapshots = split_listings(raw)
    unknown, unmapped = vocabulary(raw)
    if unknown or unmapped:
        log.warning(
            f"il_roster {start}..{end}: injury statuses outside the vocabulary (listings): "
            f"{describe_counts(unknown)}; left off the roster. {len(unmapped)} snapshot(s) "
            "list pitchers but none under an injured-list status. Known spellings: "
            "IL_SPELLINGS in mlb_assets/features/injured_list.py"
        )
    return RosterResult(
        roster,
        snapshots,
        "ok",
        attempts=len(retries) + 1,
        retries=retries,
        unknown_statuses=unknown,
        unmapped_snapshots=unmapped,
    )


def season_bounds(warehouse: Warehouse) -> list[tuple[int, date, date]]:
    """(season, first game_date, last game_date) of every season in the warehouse's schedule."""
    frame = warehouse.query("sources/season_bounds.sql")
    return [
        (int(r.season), pd.Timestamp(r.first_date).date(), pd.Timestamp(r.last_date).date())
        for r in frame.itertuples(index=False)
    ]
