"""il_roster: who is on the injured list as of each date — fail-safe, never stale.

Skipping a healthy pitcher because of an old roster hides a bet; predicting an injured one is
caught by the missing line and the source check. So after the last failed attempt the answer
is "nobody is known to be injured", loudly flagged, rather than yesterday's list.
"""

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
    get_dagster_logger,
)
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from mlb_assets.assets.common import (
    by_partition,
    daily_table_asset,
    partition_dates,
    range_metadata,
    record_per_date,
    window,
)
from mlb_assets.assets.sources import source_key
from mlb_assets.checks.roster import (
    MAX_SNAPSHOT_AGE_DAYS,
    describe_counts,
    roster_check_specs,
    roster_checks,
)
from mlb_assets.config import MLBConfig
from mlb_assets.partitions import TIMEZONE
from mlb_assets.resources.errors import WarehouseSetupError, is_transient
from mlb_assets.resources.warehouse import Warehouse

TABLE = "mlb_precompute.il_roster"
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
ATTEMPTS = 3
ROSTER_COLUMNS = ["game_date", "pitcher_lookup", "injury_status", "injury_date", "snapshot_date"]


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


def _split(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster (canonical statuses, one row per pitcher and date) and each date's snapshot.

    The query names only pitchers under an IL spelling; other listings come with no pitcher.
    """
    snapshots = raw[["game_date", "snapshot_date"]].drop_duplicates("game_date")
    on_list = raw.dropna(subset=["pitcher_lookup"])
    roster = on_list.assign(injury_status=on_list["injury_status"].map(IL_SPELLINGS))
    roster = roster[ROSTER_COLUMNS].drop_duplicates(["game_date", "pitcher_lookup"])
    return roster.reset_index(drop=True), snapshots.reset_index(drop=True)


def _vocabulary(raw: pd.DataFrame) -> tuple[dict[str, int], list[date]]:
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
    roster, snapshots = _split(raw)
    unknown, unmapped = _vocabulary(raw)
    if unknown or unmapped:
        log.warning(
            f"il_roster {start}..{end}: injury statuses outside the vocabulary (listings): "
            f"{describe_counts(unknown)}; left off the roster. {len(unmapped)} snapshot(s) "
            "list pitchers but none under an injured-list status. Known spellings: "
            "IL_SPELLINGS in mlb_assets/assets/roster.py"
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


def _date_text(value: object) -> str:
    """A snapshot date for the UI; none fresh enough (or no games that day) says so."""
    if value is None or pd.isna(value):
        return "none"
    return pd.Timestamp(value).date().isoformat()


def build_il_roster(config: MLBConfig) -> AssetsDefinition:
    @asset(
        name="il_roster",
        **daily_table_asset(config, TABLE, group="features"),
        deps=[source_key("mlb_raw.bdl_injuries")],
        check_specs=roster_check_specs(),
    )
    def il_roster(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        """Pitchers on the injured list as of each date (10-, 15-, 60-day IL and 'Out').

        Retries transient failures (3 attempts, backoff 1 s then 2 s). After the last failure it
        writes an EMPTY roster for the window — never an older one — logs an ERROR and marks
        source_status=failed so the source check fails.
        """
        start, end = window(context)
        with warehouse.tracking() as stats:
            result = fetch_roster(warehouse, start, end, log=context.log)
            warehouse.replace_partitions(TABLE, result.roster, start, end)
        today = datetime.now(ZoneInfo(TIMEZONE)).date()
        context.log.info(
            f"il_roster {start}..{end}: {len(result.roster)} rows, source {result.source_status}"
        )
        snapshots = result.snapshots.assign(
            game_date=pd.to_datetime(result.snapshots["game_date"])
        ).set_index("game_date")["snapshot_date"]
        record_per_date(
            context,
            context.asset_key,
            {
                key: {
                    "dagster/row_count": MetadataValue.int(len(rows)),
                    "source_status": MetadataValue.text(result.source_status),
                    "snapshot_date": MetadataValue.text(
                        _date_text(snapshots.get(pd.Timestamp(key)))
                    ),
                }
                for key, rows in by_partition(result.roster, partition_dates(context))
            },
            {
                **range_metadata(start, end),
                **{name: MetadataValue.int(v) for name, v in stats.as_metadata().items()},
                "source_status": MetadataValue.text(result.source_status),
                "attempts": MetadataValue.int(result.attempts),
                "error": MetadataValue.text(result.error or "none"),
                "unknown_statuses": MetadataValue.text(describe_counts(result.unknown_statuses)),
            },
        )
        return MaterializeResult(check_results=roster_checks(result, today))

    return il_roster
