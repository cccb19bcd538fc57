"""coverage_report: per date x system, how complete and how trustworthy the predictions were,
and the day's slate with the three systems side by side."""

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

from mlb_assets.assets.common import (
    daily_table_asset,
    partition_dates,
    range_metadata,
    record_per_date,
    window,
)
from mlb_assets.assets.predictions import output_name
from mlb_assets.checks.coverage import coverage_check_specs, every_starter_covered
from mlb_assets.checks.metadata import frame_table
from mlb_assets.checks.partitions import CheckVerdicts, log_partition_verdicts
from mlb_assets.checks.thresholds import RECOMMENDATIONS, per_date_quality
from mlb_assets.config import MLBConfig
from mlb_assets.partitions import game_date_partitions
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import SYSTEM_IDS

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


def build_report(raw: pd.DataFrame) -> pd.DataFrame:
    """The same per-date figures the checks judge (one computation, read from the rows)."""
    raw = raw.assign(game_date=pd.to_datetime(raw["game_date"]))
    scheduled = raw[raw["row_kind"] == "scheduled"].groupby("game_date")["pitcher_lookup"].nunique()
    predictions = raw[raw["row_kind"] == "prediction"]
    reports = []
    for sid in SYSTEM_IDS:
        rows = predictions[predictions["system_id"] == sid]
        quality = per_date_quality(rows).reindex(scheduled.index)
        quality = quality.fillna({c: 0 for c in COUNT_COLUMNS})
        quality["scheduled_starters"] = scheduled
        reports.append(quality.assign(system_id=sid).reset_index())
    report = pd.concat(reports, ignore_index=True)
    report[COUNT_COLUMNS] = report[COUNT_COLUMNS].astype("int64")
    report["created_at"] = pd.Timestamp.now(tz="UTC")
    return report[REPORT_COLUMNS]


def side_by_side(predictions: pd.DataFrame) -> MetadataValue:
    """One row per starter: the line and each system's call, so the three can be compared."""
    if predictions.empty:
        return frame_table(pd.DataFrame({"pitcher": [], "line": []}))
    base = predictions.drop_duplicates("pitcher_lookup").set_index("pitcher_lookup")
    at = base["is_home"].map({True: " vs ", False: " @ "}).fillna(" vs ")
    table = pd.DataFrame(
        {
            "pitcher": base["pitcher_name"].fillna(pd.Series(base.index, index=base.index)),
            "matchup": base["team_abbr"].fillna("?") + at + base["opponent_team_abbr"].fillna("?"),
            "line": base["strikeouts_line"].round(1),
        }
    )
    for sid in SYSTEM_IDS:
        rows = predictions[predictions["system_id"] == sid].set_index("pitcher_lookup")
        table[f"{sid}_k"] = rows["predicted_strikeouts"].round(1)
        table[f"{sid}_pick"] = rows["recommendation"]
    return frame_table(table.sort_values("pitcher").reset_index(drop=True))


def report_figures(report: pd.DataFrame, predictions: pd.DataFrame) -> dict[str, object]:
    """One date's figures per system, flat so the UI can plot each over the partitions."""
    figures: dict[str, object] = {"dagster/row_count": MetadataValue.int(len(report))}
    for row in report.itertuples(index=False):
        sid = row.system_id
        figures[f"{sid}_avg_coverage_pct"] = MetadataValue.float(round(row.avg_coverage_pct, 2))
        figures[f"{sid}_low_coverage_count"] = MetadataValue.int(int(row.low_coverage_count))
        figures[f"{sid}_fallback_rate_pct"] = MetadataValue.float(round(row.fallback_rate, 2))
    figures["slate"] = side_by_side(predictions)
    return figures


def range_totals(report: pd.DataFrame) -> dict[str, object]:
    """The range's figures, once: prediction-weighted coverage and rates, and per system."""
    total = max(int(report["predictions"].sum()), 1)
    by_system = (
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
    weighted = (report["avg_coverage_pct"].fillna(0) * report["predictions"]).sum() / total
    return {
        "avg_coverage_pct": MetadataValue.float(round(float(weighted), 2)),
        "low_coverage_rate_pct": MetadataValue.float(
            round(float(100 * report["low_coverage_count"].sum() / total), 2)
        ),
        "fallback_rate_pct": MetadataValue.float(
            round(float(100 * report["fallback_count"].sum() / total), 2)
        ),
        "by_system": frame_table(by_system),
    }


def build_coverage_report(config: MLBConfig) -> AssetsDefinition:
    @asset(
        name="coverage_report",
        **daily_table_asset(config, TABLE, group="monitoring"),
        deps=[AssetDep(output_name(sid)) for sid in SYSTEM_IDS],
        check_specs=coverage_check_specs(game_date_partitions(config)),
    )
    def coverage_report(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        """Per date x system: predictions by recommendation, coverage, fallbacks, load failures.

        Each date's partition carries its own figures and the three systems' slate.
        """
        start, end = window(context)
        keys = partition_dates(context)
        with warehouse.tracking() as stats:
            raw = warehouse.query(
                "reads/coverage_inputs.sql", {"start_date": start, "end_date": end}
            )
            report = build_report(raw)
            warehouse.replace_partitions(TABLE, report, start, end)
        predictions = raw[raw["row_kind"] == "prediction"].assign(
            game_date=lambda f: pd.to_datetime(f["game_date"])
        )
        reports = dict(iter(report.groupby(report["game_date"].dt.date)))
        days = dict(iter(predictions.groupby(predictions["game_date"].dt.date)))
        record_per_date(
            context,
            context.asset_key,
            {
                k: report_figures(
                    reports.get(date.fromisoformat(k), report.iloc[0:0]),
                    days.get(date.fromisoformat(k), predictions.iloc[0:0]),
                )
                for k in keys
            },
            {
                **range_metadata(start, end),
                **{name: MetadataValue.int(v) for name, v in stats.as_metadata().items()},
                "dagster/row_count": MetadataValue.int(len(report)),
                **range_totals(report),
            },
        )
        per_date, result = every_starter_covered(report, keys)
        yield MaterializeResult()
        log_partition_verdicts(
            context,
            context.asset_key,
            [CheckVerdicts(result.check_name, result.severity, per_date)],
        )
        yield result

    return coverage_report
