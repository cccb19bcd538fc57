"""prediction_grades and system_performance: what happened to every prediction, and how each
system did per month and season to date, with checks on its calibration and skill."""

from collections.abc import Iterator
from datetime import date, timedelta

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetDep,
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dateutil.relativedelta import relativedelta

from mlb_assets.assets.charts import reliability_diagram, units_chart
from mlb_assets.assets.daily import (
    OWNERS,
    TableAsset,
    Window,
    by_partition,
    publish,
    table_metadata,
)
from mlb_assets.assets.predictions import output_name
from mlb_assets.assets.sources import source_key
from mlb_assets.checks.performance import performance_rules
from mlb_assets.checks.rule import unique_rows_rule
from mlb_assets.config import MLBConfig
from mlb_assets.evaluation.grading import LOSS, PUSH, WIN
from mlb_assets.evaluation.performance import (
    READABLE_COLUMNS,
    performance_table,
    pick_shares,
    readable_table,
    reliability_table,
)
from mlb_assets.evaluation.record import BET_COLUMNS, bets_of, daily_record, equity
from mlb_assets.metadata import frame_table
from mlb_assets.partitions import model_month_partitions, single_run
from mlb_assets.resources.reads import read_grades
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import SYSTEM_IDS

GRADES = "mlb_predictions.prediction_grades"
PERFORMANCE = "mlb_predictions.system_performance"
PREDICTION_GRADES = TableAsset(
    "prediction_grades",
    GRADES,
    [unique_rows_rule("one_grade_per_prediction", ["prediction_id"], "grade")],
    series=None,  # its range summary draws each system's equity curve instead
)


def season_start(day: date) -> date:
    """A season's curves start on January 1st: one calendar year holds one MLB season."""
    return day.replace(month=1, day=1)


def grade_figures(
    grades: pd.DataFrame, earlier: pd.DataFrame, keys: list[str]
) -> dict[str, dict[str, object]]:
    """Each date's record per system (bets, wins, units; the season's units and Kelly
    bankroll through that date) and its bets, one row per system and bet. `earlier` are the
    season's grades before the window, so a run that starts mid-season continues the curve."""
    dates = pd.to_datetime(keys)
    record = daily_record(pd.concat([earlier, grades], ignore_index=True))
    first = min(record.index.get_level_values(0).min(), dates[0]) if len(record) else dates[0]
    curves = equity(record, pd.date_range(first, dates[-1]), list(SYSTEM_IDS)).set_index(
        ["game_date", "system_id"]
    )
    graded_bets = grades[grades["result"].isin([WIN, LOSS, PUSH])]
    bet_tables = {key: bets_of(day) for key, day in by_partition(graded_bets, keys).items()}
    figures: dict[str, dict[str, object]] = {}
    for key, day in zip(keys, dates, strict=True):
        figures[key] = {}
        for sid in SYSTEM_IDS:
            row = curves.loc[(day, sid)]
            figures[key] |= {
                f"{sid}_bets": MetadataValue.int(int(row["bets"])),
                f"{sid}_wins": MetadataValue.int(int(row["wins"])),
                f"{sid}_units": MetadataValue.float(round(float(row["units"]), 3)),
                f"{sid}_season_units": MetadataValue.float(round(float(row["season_units"]), 3)),
                f"{sid}_kelly_bankroll_pct": MetadataValue.float(
                    round(float(row["kelly_bankroll_pct"]), 2)
                ),
            }
        figures[key]["bets"] = frame_table(bet_tables[key], BET_COLUMNS)
    return figures


RANGE_RECORD_COLUMNS = {
    "system": "Prediction system.",
    "bets": "Bets in the range (this system's own).",
    "wins": "Bets won.",
    "losses": "Bets lost.",
    "pushes": "Bets pushed (stake returned).",
    "units": "Units won at flat stakes.",
    "roi_pct": "Units per bet, %.",
}


def range_record(figures: dict[str, dict[str, object]], grades: pd.DataFrame) -> dict[str, object]:
    """The range's record per system, once (a table), and each system's curve of season
    units over the range's dates as a chart the UI shows inline."""
    record = daily_record(grades).groupby(level="system_id").sum()
    table = pd.DataFrame(
        {
            "system": record.index,
            "bets": record["bets"].to_numpy(),
            "wins": record["wins"].to_numpy(),
            "losses": record["losses"].to_numpy(),
            "pushes": record["pushes"].to_numpy(),
            "units": record["units"].round(2).to_numpy(),
            "roi_pct": (100 * record["units"] / record["bets"].where(record["bets"] > 0))
            .round(1)
            .to_numpy(),
        }
    )
    dates = list(figures)
    charts = {
        f"{sid}_equity_curve": units_chart(
            sid, dates, [figures[d][f"{sid}_season_units"].value for d in dates]
        )
        for sid in SYSTEM_IDS
    }
    return {"range_record": frame_table(table, RANGE_RECORD_COLUMNS), **charts}


def build_prediction_grades(config: MLBConfig) -> AssetsDefinition:
    @asset(
        **PREDICTION_GRADES.decorator_args(config, group="evaluation"),
        deps=[
            *(AssetDep(output_name(sid)) for sid in SYSTEM_IDS),
            source_key("mlb_analytics.pitcher_game_summary"),
            source_key("mlb_raw.oddsa_pitcher_props"),
        ],
    )
    def prediction_grades(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        """Each prediction with what happened: actual strikeouts, WIN/LOSS/PUSH/NO_BET, profit
        at the price it was offered, the closing line and price, and closing-line value (in
        strikeouts and in vig-free probability of the side taken).

        Each date shows each system's bets and record apart (two systems betting the same
        pitcher are two bets, never one counted twice) and its season to date: the curve
        continues from the season's earlier grades, read once from this table."""
        window = Window.of(context)
        first = season_start(window.start)
        with warehouse.tracking() as reads:
            grades = read_grades(warehouse, window.start, window.end)
            earlier = (
                warehouse.read_window(GRADES, first, window.start - timedelta(days=1))
                if window.start > first
                else grades.iloc[0:0]
            )
        figures = grade_figures(grades, earlier, window.keys)
        yield from publish(
            context,
            warehouse,
            PREDICTION_GRADES,
            grades,
            reads=reads,
            figures=figures,
            summary={
                "graded_predictions": MetadataValue.int(len(grades)),
                **range_record(figures, grades),
            },
        )

    return prediction_grades


def _scoped(graded: pd.DataFrame, month: date, scope: str) -> pd.DataFrame:
    table = performance_table(graded)
    if table.empty:
        return table
    shares = pick_shares(graded).add_suffix("_share").rename(columns=str.lower)
    table = table.merge(shares, left_on="system_id", right_index=True, how="left")
    return table.assign(month=pd.Timestamp(month), scope=scope)


PERFORMANCE_COLUMNS = [
    "month",
    "scope",
    "system_id",
    "starts",
    "mae",
    "line_mae",
    "brier",
    "brier_market",
    "brier_skill",
    "log_loss",
    "ece",
    "ece_noise",
    "bets",
    "pushes",
    "hit_rate",
    "roi",
    "mean_clv_k",
    "mean_clv_prob",
    "created_at",
]


def month_figures(
    month: date, in_month: pd.DataFrame, to_date: pd.DataFrame, graded: pd.DataFrame
) -> dict[str, object]:
    """One month's partition: its label, the month's table with the season to date beneath
    it, each system's figures as plottable numbers, and each system's reliability table and
    diagram (shown in place, 480 px wide)."""
    label = month.strftime("%Y-%m")
    figures: dict[str, object] = {
        "month": MetadataValue.text(label),
        "by_system": frame_table(
            pd.concat(
                [
                    readable_table(in_month, label, "month"),
                    readable_table(to_date, label, "to_date"),
                ],
                ignore_index=True,
            ),
            READABLE_COLUMNS,
        ),
    }
    figures_by_system = in_month.set_index("system_id")
    for sid, rows in graded.groupby("system_id", sort=True):
        row = figures_by_system.loc[sid]
        table = reliability_table(rows)
        figures |= {
            f"{sid}_bets": MetadataValue.int(int(row["bets"])),
            f"{sid}_roi_pct": MetadataValue.float(_pct(row["roi"])),
            f"{sid}_hit_rate_pct": MetadataValue.float(_pct(row["hit_rate"])),
            f"{sid}_ece": MetadataValue.float(round(float(row["ece"]), 4)),
            f"{sid}_reliability_diagram": reliability_diagram(str(sid), table),
            f"{sid}_reliability": frame_table(table.round(3)),
        }
    return figures


def _pct(share: float) -> float:
    """A share as a rounded percentage; a month without bets has none (shown as 0.0: a float
    metadata value cannot be missing)."""
    return 0.0 if pd.isna(share) else round(100 * float(share), 1)


def build_system_performance(config: MLBConfig) -> AssetsDefinition:
    target = TableAsset(
        "system_performance",
        PERFORMANCE,
        performance_rules(config),
        date_column="month",
        series=None,  # a month's figures are per system; each plots on its own
    )
    months_def = model_month_partitions(config)

    @asset(
        name=target.name,
        partitions_def=months_def,
        backfill_policy=single_run,
        group_name="evaluation",
        kinds={config.warehouse, "pandas"},
        owners=OWNERS,
        metadata=table_metadata(PERFORMANCE),
        deps=[AssetDep("prediction_grades")],
        check_specs=target.check_specs(months_def),
    )
    def system_performance(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        """Per month and season to date, per system: MAE and the line's MAE, Brier and its skill
        against the vig-free market, log loss, expected calibration error with a reliability
        table by decile, hit rate, ROI, mean closing-line value and bets."""
        window = Window.of(context)
        months = [date.fromisoformat(key) for key in window.keys]
        with warehouse.tracking() as reads:
            graded = warehouse.read_window(GRADES, months[0].replace(month=1, day=1), window.end)
        graded["game_date"] = pd.to_datetime(graded["game_date"])
        frames, figures, month_tables = [], {}, {}
        for month in months:
            key = month.isoformat()
            end = pd.Timestamp(month + relativedelta(months=1))
            in_month = graded[
                (graded["game_date"] >= pd.Timestamp(month)) & (graded["game_date"] < end)
            ]
            to_date = graded[
                (graded["game_date"] >= pd.Timestamp(month.replace(month=1, day=1)))
                & (graded["game_date"] < end)
            ]
            month_tables[key] = _scoped(in_month, month, "month")
            season_table = _scoped(to_date, month, "season_to_date")
            frames += [month_tables[key], season_table]
            figures[key] = (
                month_figures(month, month_tables[key], season_table, in_month)
                if len(month_tables[key])
                else {"month": MetadataValue.text(f"{month:%Y-%m}: no graded starts")}
            )
        table = (
            pd.concat([f for f in frames if len(f)], ignore_index=True)
            if any(len(f) for f in frames)
            else pd.DataFrame(columns=PERFORMANCE_COLUMNS)
        )
        yield from publish(
            context,
            warehouse,
            target,
            table.assign(created_at=pd.Timestamp.now(tz="UTC"))[PERFORMANCE_COLUMNS],
            reads=reads,
            figures=figures,
            evidence=month_tables,
            summary={"months": MetadataValue.int(len(months))},
        )

    return system_performance
