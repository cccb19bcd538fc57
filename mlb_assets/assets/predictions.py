"""The three systems' predictions: ONE subsettable multi-asset over one shared input frame."""

import json
from collections.abc import Iterator

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    AssetOut,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from mlb_assets.assets.common import (
    OWNERS,
    WAREHOUSE_KIND,
    markdown_table,
    table_metadata,
    window,
    window_metadata,
)
from mlb_assets.config import MLBConfig, load_config
from mlb_assets.partitions import game_date_partitions, single_run
from mlb_assets.prediction_inputs import ModelResolver, load_shared_frame, predict
from mlb_assets.quality import ThresholdCheck, per_date_quality, prediction_checks
from mlb_assets.resources.model_store import ModelStore
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import SYSTEM_IDS

SYSTEM_DESCRIPTIONS = {
    "v1_baseline": "XGBoost regressor on 25 form, workload and context features.",
    "v1_6_rolling": "XGBoost regressor on all 35 features (adds swing-and-miss, velocity, line).",
    "ensemble_v1": "Normalised weighted mean of v1_baseline and v1_6_rolling, agreement-scaled.",
}


def output_name(system_id: str) -> str:
    return f"{system_id}_predictions"


def table_name(system_id: str) -> str:
    return f"mlb_predictions.{output_name(system_id)}"


def _check_specs(config: MLBConfig) -> list[AssetCheckSpec]:
    coverage_blocks = config.low_coverage_check_severity == "ERROR"
    specs = []
    for sid in SYSTEM_IDS:
        for check in prediction_checks(
            config.fallback_rate_threshold,
            config.low_coverage_rate_threshold,
            config.model_load_failure_threshold,
        ):
            specs.append(
                AssetCheckSpec(
                    check.name,
                    asset=output_name(sid),
                    description=f"{check.column} {check.rule} {check.threshold} on every date.",
                    blocking=coverage_blocks if check.name == "low_coverage_rate" else True,
                )
            )
    return specs


def _severity(check: ThresholdCheck, config: MLBConfig) -> AssetCheckSeverity:
    if check.name == "low_coverage_rate" and config.low_coverage_check_severity == "WARN":
        return AssetCheckSeverity.WARN
    return AssetCheckSeverity.ERROR


def _strongest_picks(predictions: pd.DataFrame) -> MetadataValue:
    picks = predictions[predictions["recommendation"].isin(["OVER", "UNDER"])].copy()
    picks["abs_edge"] = picks["edge"].abs()
    top = picks.sort_values(["confidence", "abs_edge"], ascending=False).head(8)
    top = top.assign(game_date=pd.to_datetime(top["game_date"]).dt.date)
    return markdown_table(
        top[
            [
                "game_date",
                "pitcher_lookup",
                "recommendation",
                "strikeouts_line",
                "predicted_strikeouts",
                "edge",
                "confidence",
                "feature_coverage_pct",
            ]
        ].round(2)
    )


def _log_low_coverage(
    context: AssetExecutionContext, predictions: pd.DataFrame, threshold: float
) -> int:
    """One structured warning per low-coverage prediction, visible in the run's event log."""
    low = predictions[predictions["feature_coverage_pct"] < threshold]
    for row in low.itertuples(index=False):
        context.log.warning(
            "low_feature_coverage "
            + json.dumps(
                {
                    "pitcher_lookup": row.pitcher_lookup,
                    "game_date": str(pd.Timestamp(row.game_date).date()),
                    "system_id": row.system_id,
                    "feature_coverage_pct": float(row.feature_coverage_pct),
                    "threshold": threshold,
                    "missing_features": list(row.missing_features),
                }
            )
        )
    return len(low)


@multi_asset(
    outs={
        output_name(sid): AssetOut(
            description=SYSTEM_DESCRIPTIONS[sid],
            group_name="predictions",
            kinds={WAREHOUSE_KIND, "xgboost", "pandas"},
            owners=OWNERS,
            metadata=table_metadata(table_name(sid)),
            is_required=False,
        )
        for sid in SYSTEM_IDS
    },
    partitions_def=game_date_partitions,
    backfill_policy=single_run,
    can_subset=True,
    deps=[
        AssetDep("feature_store_slice"),
        AssetDep("il_roster"),
        AssetDep("prop_lines"),
        AssetDep("strikeout_models"),
    ],
    check_specs=_check_specs(load_config()),
)
def strikeout_predictions(
    context: AssetExecutionContext, warehouse: Warehouse, model_store: ModelStore
) -> Iterator[MaterializeResult]:
    """Reads the feature slice, roster and lines ONCE, loads each model once, and runs every
    selected system on the shared frame; each system's rows replace its window atomically."""
    config = load_config()
    start, end = window(context)
    selected = [
        sid for sid in SYSTEM_IDS if AssetKey(output_name(sid)) in context.selected_asset_keys
    ]
    with warehouse.tracking() as reads:
        frame = load_shared_frame(warehouse, start, end)
    resolver = ModelResolver(config, model_store)
    result = predict(frame, resolver, selected, config)
    for (sid, month), error in resolver.load_failures().items():
        context.log.error(f"model load failed for {sid} ({month}): {error}; rows fall back")
    context.log.info(
        f"predicted {len(frame)} starters x {len(selected)} systems for {start}..{end} "
        f"with {reads.queries} reads"
    )
    for sid in selected:
        predictions = result.frames[sid]
        with warehouse.tracking() as writes:
            warehouse.replace_partitions(table_name(sid), predictions, start, end)
        low = _log_low_coverage(context, predictions, config.low_coverage_threshold)
        quality = per_date_quality(
            predictions, result.load_failures_by_date[sid], config.low_coverage_threshold
        )
        check_results = []
        for check in prediction_checks(
            config.fallback_rate_threshold,
            config.low_coverage_rate_threshold,
            config.model_load_failure_threshold,
        ):
            passed, meta = check.evaluate(quality)
            meta["per_date"] = MetadataValue.md(str(meta["per_date"]))
            check_results.append(
                AssetCheckResult(
                    asset_key=AssetKey(output_name(sid)),
                    check_name=check.name,
                    passed=passed,
                    severity=_severity(check, config),
                    metadata=meta,
                )
            )
        counts = predictions["recommendation"].value_counts()
        rows = len(predictions)
        yield MaterializeResult(
            asset_key=AssetKey(output_name(sid)),
            metadata={
                **window_metadata(start, end),
                "dagster/row_count": rows,
                "predictions": rows,
                **{
                    f"{rec.lower()}_count": int(counts.get(rec, 0))
                    for rec in ("OVER", "UNDER", "PASS", "SKIP", "NO_LINE")
                },
                "mean_coverage_pct": float(predictions["feature_coverage_pct"].mean())
                if rows
                else 0.0,
                "min_coverage_pct": float(predictions["feature_coverage_pct"].min())
                if rows
                else 0.0,
                "low_coverage_count": low,
                "fallback_count": int(predictions["is_fallback"].sum()),
                "fallback_rate_pct": float(100.0 * predictions["is_fallback"].mean())
                if rows
                else 0.0,
                "model_load_failures": int(quality["model_load_failures"].max())
                if len(quality)
                else 0,
                "warehouse_queries": reads.queries + writes.queries,
                "shared_read_queries": reads.queries,
                "warehouse_rows_read": reads.rows_read,
                "warehouse_rows_written": writes.rows_written,
                "strongest_picks": _strongest_picks(predictions),
            },
            check_results=check_results,
        )
