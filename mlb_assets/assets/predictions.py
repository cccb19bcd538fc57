"""The three systems' predictions: ONE subsettable multi-asset over one shared input frame."""

import json
import logging
from collections.abc import Iterator

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    AssetOut,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from mlb_assets.assets.daily import (
    OWNERS,
    TableAsset,
    Window,
    held_failure,
    publish,
    rows_by_key,
    table_metadata,
)
from mlb_assets.checks.predictions import prediction_rules
from mlb_assets.config import MLBConfig
from mlb_assets.evaluation.quality import RECOMMENDATIONS, per_date_quality
from mlb_assets.metadata import frame_table
from mlb_assets.partitions import game_date_partitions, single_run
from mlb_assets.resources.model_store import ModelResolver, ModelStore
from mlb_assets.resources.reads import load_shared_frame
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import SYSTEM_IDS
from mlb_assets.systems.run import predict

SYSTEM_DESCRIPTIONS = {
    "v1_baseline": "XGBoost regressor on 25 form, workload and context features.",
    "v1_6_rolling": "XGBoost regressor on all 35 features (adds swing-and-miss, velocity, line).",
    "ensemble_v1": "Normalised weighted mean of v1_baseline and v1_6_rolling, agreement-scaled.",
}
SLATE_ORDER = {"OVER": 0, "UNDER": 0, "PASS": 1, "NO_LINE": 2, "SKIP": 3}


def output_name(system_id: str) -> str:
    return f"{system_id}_predictions"


def table_name(system_id: str) -> str:
    return f"mlb_predictions.{output_name(system_id)}"


def prediction_table(config: MLBConfig, system_id: str) -> TableAsset:
    return TableAsset(output_name(system_id), table_name(system_id), prediction_rules(config))


def slate_frame(predictions: pd.DataFrame) -> pd.DataFrame:
    """Every date's slate as a bettor reads it, indexed by date, built once for the window:
    names, matchup, prices, rounded numbers, and for a pick the book with the best price for
    its side and the stake. Within a date: bets first (strongest first), then passes, then
    rows without a line or skipped."""
    order = predictions["recommendation"].map(SLATE_ORDER).fillna(len(SLATE_ORDER))
    day = pd.to_datetime(predictions["game_date"]).dt.strftime("%Y-%m-%d")
    rows = predictions.assign(_order=order, _date=day).sort_values(
        ["_date", "_order", "confidence"], ascending=[True, True, False]
    )
    at = rows["is_home"].map({True: " vs ", False: " @ "}).fillna(" vs ")
    return pd.DataFrame(
        {
            "pitcher": rows["pitcher_name"].fillna(rows["pitcher_lookup"]),
            "matchup": rows["team_abbr"].fillna("?") + at + rows["opponent_team_abbr"].fillna("?"),
            "line": rows["strikeouts_line"].round(1),
            "over": rows["over_odds"].astype("Int64"),
            "under": rows["under_odds"].astype("Int64"),
            "predicted_k": rows["predicted_strikeouts"].round(1),
            "p_over": rows["p_over"].round(3),
            "p_under": rows["p_under"].round(3),
            "edge": rows["edge"].round(2),
            "p_push": rows["p_push"].round(3),
            "ev": rows["expected_value"].round(3),
            "book": rows["bet_book"],
            "price": rows["bet_odds"].astype("Int64"),
            "stake_pct": rows["stake_pct"].round(2),
            "confidence": rows["confidence"].round(0).astype("Int64"),
            "recommendation": rows["recommendation"],
        }
    ).set_axis(rows["_date"].to_numpy())


def per_date_figures(predictions: pd.DataFrame, keys: list[str]) -> dict[str, dict[str, object]]:
    """Each date's own figures, what the UI shows and plots per partition, computed in one
    grouped pass over the window (a date without predictions gets zeros and an empty slate)."""
    day = pd.to_datetime(predictions["game_date"]).dt.strftime("%Y-%m-%d")
    grouped = predictions.groupby(day)
    rows = grouped.size()
    counts = pd.crosstab(day, predictions["recommendation"])
    mean_coverage = grouped["feature_coverage_pct"].mean()
    min_coverage = grouped["feature_coverage_pct"].min()
    low = grouped["is_low_coverage"].sum()
    fallback = grouped["is_fallback"].sum()
    slate = slate_frame(predictions)
    slates = dict(iter(slate.groupby(level=0)))
    figures = {}
    for key in keys:
        n = int(rows.get(key, 0))
        figures[key] = {
            **{
                column: MetadataValue.int(
                    int(counts.at[key, rec]) if key in counts.index and rec in counts else 0
                )
                for rec, column in RECOMMENDATIONS.items()
            },
            "mean_coverage_pct": MetadataValue.float(
                round(float(mean_coverage[key]), 2) if n else 0.0
            ),
            "min_coverage_pct": MetadataValue.float(
                round(float(min_coverage[key]), 2) if n else 0.0
            ),
            "low_coverage_count": MetadataValue.int(int(low.get(key, 0))),
            "fallback_count": MetadataValue.int(int(fallback.get(key, 0))),
            "slate": frame_table(
                slates[key].reset_index(drop=True) if key in slates else slate.iloc[0:0]
            ),
        }
    return figures


# Per-prediction records for log pipelines (Cloud Logging parses one JSON object per line).
# A plain Python logger, not Dagster's: a season would put thousands of events in the run's
# event log, which gets one summary line per date and system instead.
STRUCTURED_LOG = logging.getLogger("mlb_assets.structured")


def log_low_coverage(
    context: AssetExecutionContext, predictions: pd.DataFrame, threshold: float
) -> int:
    """One structured warning per low-coverage prediction; one event-log line per date."""
    is_low = predictions["is_low_coverage"].astype(bool)
    low = predictions[is_low]
    day = pd.to_datetime(predictions["game_date"]).dt.date
    totals = day.value_counts()
    for game_date, count in day[is_low].value_counts().sort_index().items():
        context.log.warning(
            f"{low['system_id'].iloc[0]} {game_date}: {count} of {totals[game_date]} "
            f"predictions below {threshold:g} % feature coverage (records in the structured log)"
        )
    for row in low.itertuples(index=False):
        STRUCTURED_LOG.warning(
            json.dumps(
                {
                    "event": "low_feature_coverage",
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


def build_predictions(config: MLBConfig) -> AssetsDefinition:
    partitions = game_date_partitions(config)

    @multi_asset(
        name="strikeout_predictions",
        outs={
            output_name(sid): AssetOut(
                description=SYSTEM_DESCRIPTIONS[sid],
                group_name="predictions",
                kinds={config.warehouse, "xgboost"},
                owners=OWNERS,
                metadata=table_metadata(table_name(sid)),
                is_required=False,
            )
            for sid in SYSTEM_IDS
        },
        partitions_def=partitions,
        backfill_policy=single_run,
        can_subset=True,
        deps=[
            AssetDep("feature_store_slice"),
            AssetDep("il_roster"),
            AssetDep("prop_lines"),
            AssetDep("strikeout_models"),
        ],
        check_specs=[
            spec
            for sid in SYSTEM_IDS
            for spec in prediction_table(config, sid).check_specs(partitions)
        ],
    )
    def strikeout_predictions(
        context: AssetExecutionContext, warehouse: Warehouse, model_store: ModelStore
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        """Reads the feature slice, roster and lines ONCE, loads each model once, and runs every
        selected system on the shared frame; each system's rows replace its window atomically."""
        window = Window.of(context)
        keys = window.keys
        selected = [
            sid for sid in SYSTEM_IDS if AssetKey(output_name(sid)) in context.selected_asset_keys
        ]
        with warehouse.tracking() as reads:
            frame = load_shared_frame(warehouse, window.start, window.end)
        resolver = ModelResolver(model_store, pinned=config.pinned_model_paths())
        frames = predict(
            frame, resolver.models, selected, config.scoring_rules(), config.ensemble_weights
        )
        for (sid, month), error in resolver.load_failures().items():
            context.log.error(f"model load failed for {sid} ({month}): {error}; rows fall back")
        context.log.info(
            f"predicted {len(frame)} starters x {len(selected)} systems for "
            f"{window.start}..{window.end} "
            f"with {reads.queries} reads"
        )
        held = {}
        for sid in selected:
            predictions = frames[sid]
            target = prediction_table(config, sid)
            low = log_low_coverage(context, predictions, config.low_coverage_threshold)
            held[sid] = yield from publish(
                context,
                warehouse,
                target,
                predictions,
                reads=reads,
                figures=per_date_figures(predictions, keys),
                evidence=rows_by_key(per_date_quality(predictions), keys),
                summary={
                    "predictions": MetadataValue.int(len(predictions)),
                    "low_coverage_count": MetadataValue.int(low),
                    "fallback_count": MetadataValue.int(int(predictions["is_fallback"].sum())),
                    "shared_read_queries": MetadataValue.int(reads.queries),
                },
                fail_on_hold=False,
            )
        if any(held.values()):
            raise held_failure({output_name(sid): dates for sid, dates in held.items()})

    return strikeout_predictions
