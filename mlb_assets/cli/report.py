"""`mlb-assets report`: a self-contained HTML page of a date range: the latest slate, each
system's equity curves at flat and at Kelly stakes, a calibration diagram, the closing-line
value and the monthly table.

Everything is computed by the code the assets use (grading, the record, performance, the
slate), from three reads; the page is written to a temporary file beside the target and
renamed into place, so a reader never sees half a report and a failure leaves the old one.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from mlb_assets.cli.inputs import parse_date
from mlb_assets.cli.slate import read_slate_rows, slates
from mlb_assets.config import MLBConfig
from mlb_assets.errors import UsageError
from mlb_assets.evaluation.performance import (
    READABLE_COLUMNS,
    performance_table,
    readable_table,
    reliability_table,
)
from mlb_assets.evaluation.record import daily_record, equity
from mlb_assets.evaluation.slate import SLATE_COLUMNS
from mlb_assets.report.html import Section, Table, render_page
from mlb_assets.report.svg import histogram, line_chart, reliability_chart
from mlb_assets.resources.factory import reading
from mlb_assets.resources.reads import read_grades
from mlb_assets.systems import SYSTEM_IDS

# What the latest slate shows of each bet (the full slate is `mlb-assets slate`).
BET_VIEW = ["system", *list(SLATE_COLUMNS)[:11], "reason"]


@dataclass(frozen=True)
class ReportData:
    """What the page is made of: every graded prediction of the range, and the latest
    date's prediction rows (not necessarily graded yet)."""

    first: date
    last: date
    graded: pd.DataFrame
    slate_date: date | None
    slate_rows: pd.DataFrame


def read_report_data(config: MLBConfig, first: date, last: date) -> ReportData:
    with reading(config) as warehouse:
        graded = read_grades(warehouse, first, last)
        found = warehouse.query(
            "reads/last_prediction_date.sql", {"start_date": first, "end_date": last}
        )["last_date"].iloc[0]
        slate_date = None if pd.isna(found) else pd.Timestamp(found).date()
        rows = read_slate_rows(warehouse, slate_date, SYSTEM_IDS) if slate_date else pd.DataFrame()
    return ReportData(first, last, graded, slate_date, rows)


def slate_section(data: ReportData, config: MLBConfig) -> Section:
    if data.slate_date is None:
        return Section("Latest slate", "No predictions in this range.")
    table = slates(data.slate_rows, SYSTEM_IDS, config.scoring_rules())
    counts = [
        f"{system}: " + ", ".join(f"{n} {pick}" for pick, n in rows["pick"].value_counts().items())
        for system, rows in table.groupby("system", sort=False)
    ]
    bets = table[table["pick"].isin(["OVER", "UNDER"])][BET_VIEW]
    return Section(
        f"Latest slate: {data.slate_date}",
        "Each system's bets (every starter and the reason for each pass: mlb-assets slate). "
        + "; ".join(counts)
        + ".",
        tables=[Table(bets.reset_index(drop=True), SLATE_COLUMNS)] if len(bets) else [],
    )


def equity_section(data: ReportData) -> Section:
    dates = pd.date_range(data.first, data.last)
    curves = equity(daily_record(data.graded), dates, list(SYSTEM_IDS))
    labels = [d.strftime("%m-%d") for d in dates]

    def series(column: str) -> dict[str, list[float]]:
        return {sid: curves.loc[curves["system_id"] == sid, column].tolist() for sid in SYSTEM_IDS}

    flat = series("season_units")
    kelly = series("kelly_bankroll_pct")
    totals = "; ".join(
        f"{sid} {flat[sid][-1]:+.2f} units, Kelly {kelly[sid][-1]:+.2f} %" for sid in SYSTEM_IDS
    )
    return Section(
        "Equity curves",
        "Flat: one unit on every bet. Kelly: each bet stakes its recommended fraction of the "
        "bankroll as it stood that morning, compounded daily. Both restart each season "
        f"(January 1st). At {data.last}: {totals}.",
        charts=[
            (
                line_chart(flat, labels, title="units won, flat stakes", x_title="date"),
                "Cumulative units at one unit per bet, per system.",
            ),
            (
                line_chart(kelly, labels, title="bankroll change, %", x_title="date"),
                "Bankroll change at fractional-Kelly stakes, per system.",
            ),
        ],
    )


def calibration_section(data: ReportData) -> Section:
    curves, eces = {}, []
    for sid in SYSTEM_IDS:  # the same order, so the same colours, as the equity curves
        table = reliability_table(data.graded[data.graded["system_id"] == sid])
        if len(table):
            curves[str(sid)] = (table["mean_predicted"].tolist(), table["observed"].tolist())
            gap = (table["gap"].abs() * table["predictions"]).sum() / table["predictions"].sum()
            eces.append(f"{sid} {gap:.3f}")
    return Section(
        "Calibration",
        "Observed over-rate against predicted P(over) (calibrated, pushes left out), by "
        "equal-count deciles; the dashed diagonal is perfect calibration. Expected "
        "calibration error: " + ", ".join(eces) + ".",
        charts=[(reliability_chart(curves, width=520, height=440), "Reliability diagram.")]
        if curves
        else [],
    )


def clv_section(data: ReportData) -> Section:
    bets = data.graded[data.graded["result"] != "NO_BET"]
    groups = {
        sid: (100 * bets.loc[bets["system_id"] == sid, "clv_prob"].dropna()).tolist()
        for sid in SYSTEM_IDS
    }
    summary = []
    for sid, values in groups.items():
        if values:
            spread = np.std(values, ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0
            summary.append(f"{sid} {np.mean(values):+.2f} ± {spread:.2f} pp over {len(values)}")
        else:
            summary.append(f"{sid}: no bets on an unchanged line")
    return Section(
        "Closing-line value",
        "How the vig-free probability of the side taken moved from bet time to the close, in "
        "percentage points (bets whose line did not move; positive: the market moved toward "
        "the bet). Mean ± standard error: " + "; ".join(summary) + ". A backfill bets at the "
        "closing snapshot, so its CLV is 0 by construction.",
        charts=[
            (
                histogram(groups, title="bets", x_title="closing-line value, percentage points"),
                "Distribution of closing-line value per system.",
            )
        ],
    )


def monthly_section(data: ReportData) -> Section:
    graded = data.graded.assign(game_date=pd.to_datetime(data.graded["game_date"]))
    months = graded["game_date"].dt.strftime("%Y-%m")
    parts = [
        readable_table(performance_table(rows), str(month), "month")
        for month, rows in graded.groupby(months, sort=True)
    ]
    parts.append(readable_table(performance_table(graded), f"{data.first}..{data.last}", "range"))
    return Section(
        "By month",
        "Per month and over the whole range, per system (the system_performance asset's figures).",
        tables=[Table(pd.concat(parts, ignore_index=True), READABLE_COLUMNS)],
    )


def build_page(data: ReportData, config: MLBConfig) -> str:
    return render_page(
        f"MLB strikeout props: {data.first} to {data.last}",
        f"{len(data.graded):,} graded predictions of {', '.join(SYSTEM_IDS)}; written "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z} by mlb-assets report.",
        [
            slate_section(data, config),
            equity_section(data),
            calibration_section(data),
            clv_section(data),
            monthly_section(data),
        ],
    )


def write_atomically(path: Path, text: str) -> None:
    """Temp file in the target's folder, flushed to disk, then renamed over the target."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    mask = os.umask(0)  # mkstemp makes the file private; a report is for sharing: the usual mode
    os.umask(mask)
    try:
        os.chmod(temporary, 0o666 & ~mask)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def report_command(args: argparse.Namespace, config: MLBConfig) -> Path:
    """Check the arguments before anything is opened, read, build, write; the path written."""
    first, last = parse_date(args.start, "--start"), parse_date(args.end, "--end")
    if first > last:
        raise UsageError(f"--start {first} is after --end {last}")
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder; name the HTML file to write")
    if not out.parent.is_dir():
        raise UsageError(f"--out {out}: the folder {out.parent} does not exist")
    data = read_report_data(config, first, last)
    if data.graded.empty:
        raise UsageError(
            f"no graded predictions between {first} and {last}: materialize the daily_slate "
            "and daily_grades for those dates first"
        )
    write_atomically(out, build_page(data, config))
    return out
