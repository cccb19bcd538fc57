"""prediction_grades and system_performance: what happened to every prediction, and how each
system did per month and season to date, with checks on its calibration and skill."""

from collections.abc import Iterator
from datetime import date

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

from mlb_assets.assets.charts import reliability_chart
from mlb_assets.assets.daily import OWNERS, TableAsset, Window, publish, table_metadata
from mlb_assets.assets.predictions import output_name
from mlb_assets.assets.sources import source_key
from mlb_assets.checks.performance import performance_rules
from mlb_assets.checks.rule import unique_rows_rule
from mlb_assets.config import MLBConfig
from mlb_assets.evaluation.grading import LOSS, PUSH, WIN
from mlb_assets.evaluation.performance import (
    performance_table,
    pick_shares,
    reliability_table,
)
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
)


def grade_figures(day: pd.DataFrame) -> dict[str, object]:
    bets = day[day["result"].isin([WIN, LOSS, PUSH])]
    return {
        "bets": MetadataValue.int(len(bets)),
        "wins": MetadataValue.int(int((bets["result"] == WIN).sum())),
        "pushes": MetadataValue.int(int((bets["result"] == PUSH).sum())),
        "profit_units": MetadataValue.float(round(float(bets["profit"].sum()), 3)),
    }


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
        strikeouts and in vig-free probability of the side taken)."""
        window = Window.of(context)
        with warehouse.tracking() as reads:
            grades = read_grades(warehouse, window.start, window.end)
        yield from publish(
            context,
            warehouse,
            PREDICTION_GRADES,
            grades,
            reads=reads,
            figures=grade_figures,
            summary={"graded_predictions": MetadataValue.int(len(grades))},
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


def month_figures(month: pd.DataFrame, graded: pd.DataFrame) -> dict[str, object]:
    """The month's table, each system's reliability table and the reliability diagram."""
    shown = month[["system_id", "starts", "mae", "line_mae", "brier_skill", "ece", "hit_rate"]]
    shown = shown.assign(
        roi_pct=(100 * month["roi"]).round(2), clv_prob_pct=(100 * month["mean_clv_prob"]).round(2)
    )
    figures: dict[str, object] = {"by_system": frame_table(shown.round(4))}
    tables = {}
    for sid, rows in graded.groupby("system_id", sort=True):
        tables[str(sid)] = reliability_table(rows)
        figures[f"{sid}_reliability"] = frame_table(tables[str(sid)].round(3))
        figures[f"{sid}_ece"] = MetadataValue.float(
            round(float(month.set_index("system_id").loc[sid, "ece"]), 4)
        )
    if tables:
        figures["reliability_diagram"] = reliability_chart(tables)
    return figures


def build_system_performance(config: MLBConfig) -> AssetsDefinition:
    target = TableAsset(
        "system_performance", PERFORMANCE, performance_rules(config), date_column="month"
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
            frames += [month_tables[key], _scoped(to_date, month, "season_to_date")]
            figures[key] = (
                month_figures(month_tables[key], in_month) if len(month_tables[key]) else {}
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
