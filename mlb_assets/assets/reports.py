"""coverage_report: per date x system, how complete and how trustworthy the predictions were,
and the day's slate with the three systems side by side."""

from collections.abc import Iterator

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

from mlb_assets.assets.daily import TableAsset, Window, by_partition, publish
from mlb_assets.assets.predictions import output_name
from mlb_assets.checks.coverage import COVERAGE_RULES
from mlb_assets.config import MLBConfig
from mlb_assets.evaluation.quality import RECOMMENDATIONS, per_date_quality
from mlb_assets.metadata import frame_table
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import SYSTEM_IDS

COVERAGE_REPORT = TableAsset(
    "coverage_report",
    "mlb_predictions.coverage_report",
    COVERAGE_RULES,
    series="ensemble_v1_avg_coverage_pct",
)
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


SIDE_BY_SIDE_COLUMNS = {
    "pitcher": "Starting pitcher; starters any system bets come first.",
    "matchup": "His team, then '@ opponent' away or 'vs opponent' at home.",
    "line": "Strikeout line of the selected book.",
    **{
        sid: f"{sid}'s pick (OVER, UNDER, PASS, NO_LINE, SKIP) and its predicted strikeouts; "
        f"the reasons are on {sid}_predictions' slate."
        for sid in SYSTEM_IDS
    },
}


def side_by_side(predictions: pd.DataFrame) -> MetadataValue:
    """One row per starter: the line and each system's pick with its predicted strikeouts in
    one cell, so the three read side by side in a narrow window."""
    if predictions.empty:
        return frame_table(pd.DataFrame(columns=list(SIDE_BY_SIDE_COLUMNS)), SIDE_BY_SIDE_COLUMNS)
    base = predictions.drop_duplicates("pitcher_lookup").set_index("pitcher_lookup")
    at = base["is_home"].map({True: " vs ", False: " @ "}).fillna(" vs ")
    table = pd.DataFrame(
        {
            "pitcher": base["pitcher_name"].fillna(pd.Series(base.index, index=base.index)),
            "matchup": base["team_abbr"].fillna("?") + at + base["opponent_team_abbr"].fillna("?"),
            "line": base["strikeouts_line"].round(1),
        }
    )
    bets = pd.Series(False, index=base.index)
    for sid in SYSTEM_IDS:
        rows = predictions[predictions["system_id"] == sid].set_index("pitcher_lookup")
        k = rows["predicted_strikeouts"].map(lambda v: "" if pd.isna(v) else f" {v:.1f} K")
        table[sid] = (rows["recommendation"] + k).reindex(base.index)
        bets |= rows["recommendation"].isin(["OVER", "UNDER"]).reindex(base.index, fill_value=False)
    ordered = table.assign(_bet=~bets).sort_values(["_bet", "pitcher"]).drop(columns="_bet")
    return frame_table(ordered.reset_index(drop=True), SIDE_BY_SIDE_COLUMNS)


def report_figures(report: pd.DataFrame, predictions: pd.DataFrame) -> dict[str, object]:
    """One date's figures per system, flat so the UI can plot each over the partitions."""
    figures: dict[str, object] = {}
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
        **COVERAGE_REPORT.decorator_args(config, group="monitoring"),
        deps=[AssetDep(output_name(sid)) for sid in SYSTEM_IDS],
    )
    def coverage_report(
        context: AssetExecutionContext, warehouse: Warehouse
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        """Per date x system: predictions by recommendation, coverage, fallbacks, load failures.

        Each date's partition carries its own figures and the three systems' slate.
        """
        window = Window.of(context)
        params = {"start_date": window.start, "end_date": window.end}
        with warehouse.tracking() as reads:
            raw = warehouse.query("reads/coverage_inputs.sql", params)
        report = build_report(raw)
        predictions = raw[raw["row_kind"] == "prediction"]
        days = by_partition(predictions, window.keys)
        yield from publish(
            context,
            warehouse,
            COVERAGE_REPORT,
            report,
            reads=reads,
            figures={
                key: report_figures(day, days[key])
                for key, day in by_partition(report, window.keys).items()
            },
            summary={"report_rows": MetadataValue.int(len(report)), **range_totals(report)},
        )

    return coverage_report
