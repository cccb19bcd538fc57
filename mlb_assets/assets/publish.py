"""Write-audit-publish: only dates that passed their blocking checks replace published rows.

The checks judge the candidate rows before anything is written. A date that fails an ERROR
check keeps its previously published rows (or none, if it never had any), and its candidates
go to the table's quarantine twin, with the run and the checks that failed, for inspection.
Each contiguous run of dates is replaced atomically; the dates are independent partitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import pandas as pd

from mlb_assets.resources.warehouse import Warehouse


def quarantine_table(table: str) -> str:
    return f"{table}_quarantine"


def date_segments(start: date, end: date, dates: Iterable[date]) -> list[tuple[date, date]]:
    """Contiguous [first, last] runs of `dates` inside [start, end], in order."""
    wanted = sorted(d for d in set(dates) if start <= d <= end)
    segments: list[tuple[date, date]] = []
    for day in wanted:
        if segments and segments[-1][1] + timedelta(days=1) == day:
            segments[-1] = (segments[-1][0], day)
        else:
            segments.append((day, day))
    return segments


def _rows_in(frame: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    days = pd.to_datetime(frame["game_date"]).dt.date
    return frame[(days >= first) & (days <= last)]


def publish(
    warehouse: Warehouse,
    table: str,
    candidates: pd.DataFrame,
    start: date,
    end: date,
    held: Mapping[date, str],
    run_id: str,
) -> None:
    """Replace the passing dates of [start, end]; quarantine the candidates of `held` dates
    (date -> the failed checks, in words)."""
    all_days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    for first, last in date_segments(start, end, (d for d in all_days if d not in held)):
        warehouse.replace_partitions(table, _rows_in(candidates, first, last), first, last)
    for first, last in date_segments(start, end, held):
        rows = _rows_in(candidates, first, last)
        days = pd.to_datetime(rows["game_date"]).dt.date
        warehouse.replace_partitions(
            quarantine_table(table),
            rows.assign(run_id=run_id, failed_checks=days.map(held).to_numpy()),
            first,
            last,
        )
