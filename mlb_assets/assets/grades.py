"""prediction_grades and system_performance: what happened to every prediction, and how each
system did per month and season to date, with checks on its calibration and skill."""

from collections.abc import Iterator
from datetime import date

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetDep,
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dateutil.relativedelta import relativedelta

from mlb_assets.assets.common import (
    OWNERS,
    by_partition,
    daily_table_asset,
    partition_dates,
    range_metadata,
    record_per_date,
    table_metadata,
    window,
)
from mlb_assets.assets.predictions import output_name
from mlb_assets.assets.sources import source_key
from mlb_assets.checks.charts import reliability_chart
from mlb_assets.checks.metadata import frame_table
from mlb_assets.checks.partitions import CheckVerdicts, PartitionVerdict, log_partition_verdicts
from mlb_assets.checks.performance import judge, performance_check_specs, quality_rules
from mlb_assets.config import MLBConfig
from mlb_assets.evaluation.grading import LOSS, PUSH, WIN, grade
from mlb_assets.evaluation.performance import (
    performance_table,
    pick_shares,
    reliability_table,
)
from mlb_assets.partitions import model_month_partitions, single_run
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import SYSTEM_IDS

GRADES = "mlb_predictions.prediction_grades"
PERFORMANCE = "mlb_predictions.system_performance"
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


def grade_figures(day: pd.DataFrame) -> dict[str, object]:
    bets = day[day["result"].isin([WIN, LOSS, PUSH])]
    return {
        "dagster/row_count": MetadataValue.int(len(day)),
        "bets": MetadataValue.int(len(bets)),
        "wins": MetadataValue.int(int((bets["result"] == WIN).sum())),
        "pushes": MetadataValue.int(int((bets["result"] == PUSH).sum())),
        "profit_units": MetadataValue.float(round(float(bets["profit"].sum()), 3)),
    }


def build_prediction_grades(config: MLBConfig) -> AssetsDefinition:
    @asset(
        name="prediction_grades",
        **daily_table_asset(config, GRADES, group="evaluation"),
        deps=[
            *(AssetDep(output_name(sid)) for sid in SYSTEM_IDS),
            source_key("mlb_analytics.pitcher_game_summary"),
            source_key("mlb_raw.oddsa_pitcher_props"),
        ],
    )
    def prediction_grades(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> MaterializeResult:
        """Each prediction with what happened: actual strikeouts, WIN/LOSS/PUSH/NO_BET, profit
        at the price it was offered, the closing line and price, and closing-line value (in
        strikeouts and in vig-free probability of the side taken)."""
        start, end = window(context)
        with warehouse.tracking() as stats:
            grades = read_grades(warehouse, start, end)
            warehouse.replace_partitions(GRADES, grades, start, end)
        record_per_date(
            context,
            context.asset_key,
            {
                key: grade_figures(day)
                for key, day in by_partition(grades, partition_dates(context))
            },
            {
                **range_metadata(start, end),
                **{name: MetadataValue.int(v) for name, v in stats.as_metadata().items()},
                "graded_predictions": MetadataValue.int(len(grades)),
            },
        )
        return MaterializeResult()

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
    figures: dict[str, object] = {
        "dagster/row_count": MetadataValue.int(len(month)),
        "by_system": frame_table(shown.round(4)),
    }
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
    @asset(
        name="system_performance",
        partitions_def=model_month_partitions(config),
        backfill_policy=single_run,
        group_name="evaluation",
        kinds={config.warehouse, "pandas"},
        owners=OWNERS,
        metadata=table_metadata(PERFORMANCE),
        deps=[AssetDep("prediction_grades")],
        check_specs=performance_check_specs(config),
    )
    def system_performance(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        """Per month and season to date, per system: MAE and the line's MAE, Brier and its skill
        against the vig-free market, log loss, expected calibration error with a reliability
        table by decile, hit rate, ROI, mean closing-line value and bets."""
        months = [date.fromisoformat(key) for key in partition_dates(context)]
        season_start = months[0].replace(month=1, day=1)
        last_day = months[-1] + relativedelta(months=1, days=-1)
        with warehouse.tracking() as stats:
            graded = warehouse.read_window(GRADES, season_start, last_day)
        graded["game_date"] = pd.to_datetime(graded["game_date"])
        frames, per_month, month_tables = [], {}, {}
        for month in months:
            end = pd.Timestamp(month + relativedelta(months=1))
            in_month = graded[
                (graded["game_date"] >= pd.Timestamp(month)) & (graded["game_date"] < end)
            ]
            to_date = graded[
                (graded["game_date"] >= pd.Timestamp(month.replace(month=1, day=1)))
                & (graded["game_date"] < end)
            ]
            month_table = _scoped(in_month, month, "month")
            frames += [month_table, _scoped(to_date, month, "season_to_date")]
            month_tables[month] = month_table
            per_month[month.isoformat()] = (
                month_figures(month_table, in_month)
                if len(month_table)
                else {"dagster/row_count": MetadataValue.int(0)}
            )
        table = (
            pd.concat([f for f in frames if len(f)], ignore_index=True)
            if any(len(f) for f in frames)
            else pd.DataFrame(columns=PERFORMANCE_COLUMNS)
        )
        table = table.assign(created_at=pd.Timestamp.now(tz="UTC"))[PERFORMANCE_COLUMNS]
        with warehouse.tracking() as writes:
            warehouse.replace_partitions(
                PERFORMANCE, table, months[0], months[-1], date_column="month"
            )
        record_per_date(
            context,
            context.asset_key,
            per_month,
            {
                **{name: MetadataValue.int(v) for name, v in stats.as_metadata().items()},
                "warehouse_rows_written": MetadataValue.int(writes.rows_written),
                "months": MetadataValue.int(len(months)),
            },
        )
        yield MaterializeResult()
        rules = quality_rules(config)
        judged = {
            rule.name: {m: judge(rule, month_tables[m]) for m in months if len(month_tables[m])}
            for rule in rules
        }
        if len(months) > 1:
            log_partition_verdicts(
                context,
                context.asset_key,
                [
                    CheckVerdicts(
                        name,
                        AssetCheckSeverity.ERROR,
                        [
                            PartitionVerdict(m.isoformat(), r.passed, r.metadata)
                            for m, r in v.items()
                        ],
                    )
                    for name, v in judged.items()
                ],
            )
        for rule in rules:
            verdicts = judged[rule.name]
            failed = [m.strftime("%Y-%m") for m, r in verdicts.items() if not r.passed]
            summary = f"{len(failed)} of {len(verdicts)} months failed" + (
                f": {', '.join(failed)}" if failed else ""
            )
            latest = verdicts[max(verdicts)] if verdicts else None
            yield AssetCheckResult(
                check_name=rule.name,
                passed=not failed,
                severity=AssetCheckSeverity.ERROR,
                description=summary,
                metadata={
                    **(latest.metadata if latest is not None else {}),
                    "summary": MetadataValue.text(summary),
                },
            )

    return system_performance
