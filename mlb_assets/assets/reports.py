"""coverage_report: per date x system, how complete and how trustworthy the predictions were."""

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetDep,
    AssetExecutionContext,
    AssetObservation,
    MaterializeResult,
    MetadataValue,
    asset,
)

from mlb_assets.assets.common import (
    daily_table_asset,
    markdown_table,
    window,
    window_metadata,
)
from mlb_assets.assets.predictions import output_name
from mlb_assets.config import load_config
from mlb_assets.quality import RECOMMENDATIONS, per_date_quality
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import SYSTEM_IDS
from mlb_assets.systems.ids import ENSEMBLE_V1, V1_6_ROLLING, V1_BASELINE

TABLE = "mlb_predictions.coverage_report"
REPORT_COLUMNS = [
    "game_date",
    "system_id",
    "scheduled_starters",
    "predictions",
    "over_count",
    "under_count",
    "pass_count",
    "skip_count",
    "no_line_count",
    "avg_coverage_pct",
    "min_coverage_pct",
    "low_coverage_count",
    "low_coverage_rate",
    "fallback_count",
    "fallback_rate",
    "model_load_failures",
    "created_at",
]


COUNT_COLUMNS = [
    "predictions",
    *RECOMMENDATIONS.values(),
    "low_coverage_count",
    "fallback_count",
    "model_load_failures",
]


def load_failures_from_rows(predictions: pd.DataFrame) -> dict[str, pd.Series]:
    """Per system and date, how many model loads failed — read back from the fallback reasons."""
    failed = (
        predictions.assign(
            failed=predictions["fallback_reason"].fillna("").str.startswith("model_load_failed")
        )
        .groupby(["system_id", "game_date"])["failed"]
        .any()
        .astype("int64")
    )
    per_system = {
        sid: failed.xs(sid, level="system_id")
        if sid in failed.index.get_level_values(0)
        else pd.Series(dtype="int64")
        for sid in (V1_BASELINE, V1_6_ROLLING)
    }
    per_system[ENSEMBLE_V1] = per_system[V1_BASELINE].add(per_system[V1_6_ROLLING], fill_value=0)
    return per_system


def build_report(raw: pd.DataFrame, threshold: float) -> pd.DataFrame:
    raw = raw.assign(game_date=pd.to_datetime(raw["game_date"]))
    scheduled = raw[raw["row_kind"] == "scheduled"].groupby("game_date")["pitcher_lookup"].nunique()
    predictions = raw[raw["row_kind"] == "prediction"]
    failures = load_failures_from_rows(predictions)
    reports = []
    for sid in SYSTEM_IDS:
        rows = predictions[predictions["system_id"] == sid]
        quality = per_date_quality(rows, failures[sid], threshold).reindex(scheduled.index)
        quality = quality.fillna({c: 0 for c in COUNT_COLUMNS})
        quality["scheduled_starters"] = scheduled
        reports.append(quality.assign(system_id=sid).reset_index())
    report = pd.concat(reports, ignore_index=True)
    report["created_at"] = pd.Timestamp.now(tz="UTC")
    return report[REPORT_COLUMNS]


def _observe_each_date(context: AssetExecutionContext, report: pd.DataFrame) -> None:
    """One observation per game_date with that date's figures.

    A range run records one materialization per partition but with the window's metadata;
    these per-date observations are what the UI can plot over the season's partitions.
    """
    for game_date, rows in report.groupby("game_date"):
        metadata: dict[str, float] = {}
        for row in rows.itertuples(index=False):
            metadata[f"{row.system_id}_avg_coverage_pct"] = float(row.avg_coverage_pct)
            metadata[f"{row.system_id}_fallback_rate_pct"] = float(row.fallback_rate)
            if not pd.isna(row.low_coverage_rate):
                metadata[f"{row.system_id}_low_coverage_rate_pct"] = float(row.low_coverage_rate)
        context.log_event(
            AssetObservation(
                asset_key=context.asset_key,
                partition=pd.Timestamp(game_date).strftime("%Y-%m-%d"),
                metadata=metadata,
            )
        )


@asset(
    **daily_table_asset(TABLE, group="monitoring"),
    deps=[AssetDep(output_name(sid)) for sid in SYSTEM_IDS],
    check_specs=[
        AssetCheckSpec(
            "every_starter_covered",
            asset="coverage_report",
            description="Every system has a prediction for every scheduled starter.",
        )
    ],
)
def coverage_report(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    """Per date x system: predictions by recommendation, coverage, fallbacks, load failures.

    Its metadata carries the window's coverage and fallback rates, plotted over partitions.
    """
    config = load_config()
    start, end = window(context)
    with warehouse.tracking() as stats:
        raw = warehouse.query("sources/coverage_inputs.sql", {"start_date": start, "end_date": end})
        report = build_report(raw, config.low_coverage_threshold)
        warehouse.replace_partitions(TABLE, report, start, end)
    _observe_each_date(context, report)
    gaps = report[report["predictions"] < report["scheduled_starters"]]
    total = max(int(report["predictions"].sum()), 1)
    summary = (
        report.groupby("system_id")
        .agg(
            predictions=("predictions", "sum"),
            avg_coverage_pct=("avg_coverage_pct", "mean"),
            low_coverage=("low_coverage_count", "sum"),
            fallbacks=("fallback_count", "sum"),
        )
        .round(2)
        .reset_index()
    )
    return MaterializeResult(
        metadata={
            **window_metadata(start, end),
            **stats.as_metadata(),
            "dagster/row_count": len(report),
            "avg_coverage_pct": float(
                (report["avg_coverage_pct"] * report["predictions"]).sum() / total
            ),
            "low_coverage_rate_pct": float(100 * report["low_coverage_count"].sum() / total),
            "fallback_rate_pct": float(100 * report["fallback_count"].sum() / total),
            "by_system": markdown_table(summary),
        },
        check_results=[
            AssetCheckResult(
                check_name="every_starter_covered",
                passed=gaps.empty,
                severity=AssetCheckSeverity.ERROR,
                metadata={
                    "date_system_pairs_short": len(gaps),
                    "missing_predictions": int(
                        (gaps["scheduled_starters"] - gaps["predictions"]).sum()
                    ),
                    "examples": MetadataValue.md(
                        markdown_table(
                            gaps.head(10)[
                                ["game_date", "system_id", "scheduled_starters", "predictions"]
                            ]
                        ).text
                        if len(gaps)
                        else "_none_"
                    ),
                },
            )
        ],
    )
