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
from mlb_assets.evaluation.slate import SLATE_COLUMNS, slate_frame
from mlb_assets.metadata import frame_table
from mlb_assets.partitions import game_date_partitions, single_run
from mlb_assets.resources.model_store import ModelResolver, ModelStore
from mlb_assets.resources.reads import load_shared_frame
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems import SYSTEM_IDS
from mlb_assets.systems.run import predict
from mlb_assets.systems.scoring import ScoringRules

SYSTEM_DESCRIPTIONS = {
    "v1_baseline": "XGBoost regressor on 25 form, workload and context features.",
    "v1_6_rolling": "XGBoost regressor on all 35 features (adds swing-and-miss, velocity, line).",
    "ensemble_v1": "Normalised weighted mean of v1_baseline and v1_6_rolling, agreement-scaled.",
}


def output_name(system_id: str) -> str:
    return f"{system_id}_predictions"


def table_name(system_id: str) -> str:
    return f"mlb_predictions.{output_name(system_id)}"


def prediction_table(config: MLBConfig, system_id: str) -> TableAsset:
    return TableAsset(
        output_name(system_id), table_name(system_id), prediction_rules(config), series="bets"
    )


def with_line_book(predictions: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The predictions with the book whose line they were priced on (`line_book`): the shared
    input frame has it, the stored prediction row does not."""
    books = frame[["game_date", "pitcher_lookup", "bookmaker"]].drop_duplicates(
        ["game_date", "pitcher_lookup"]
    )
    books = books.assign(game_date=pd.to_datetime(books["game_date"])).rename(
        columns={"bookmaker": "line_book"}
    )
    keyed = predictions.assign(game_date=pd.to_datetime(predictions["game_date"]))
    return keyed.merge(books, on=["game_date", "pitcher_lookup"], how="left").set_axis(
        predictions.index
    )


def per_date_figures(
    predictions: pd.DataFrame, keys: list[str], rules: ScoringRules
) -> dict[str, dict[str, object]]:
    """Each date's own figures, what the UI shows and plots per partition, computed in one
    grouped pass over the window (a date without predictions gets zeros and an empty slate).
    Coverage figures are over the rated rows, the ones `low_coverage_count` counts (a
    thin-history skip has low coverage by construction and is never bet), and say so in their
    names: the coverage report's table keeps every row's coverage."""
    day = pd.to_datetime(predictions["game_date"]).dt.strftime("%Y-%m-%d")
    grouped = predictions.groupby(day)
    counts = pd.crosstab(day, predictions["recommendation"])
    rated = predictions["coverage_rated"].astype(bool)
    rated_coverage = predictions["feature_coverage_pct"].where(rated).groupby(day)
    mean_coverage, min_coverage = rated_coverage.mean(), rated_coverage.min()
    low = grouped["is_low_coverage"].sum()
    fallback = grouped["is_fallback"].sum()
    slate = slate_frame(predictions, rules)
    slates = dict(iter(slate.groupby(level=0)))
    figures = {}
    for key in keys:
        figures[key] = {
            **{
                column: MetadataValue.int(
                    int(counts.at[key, rec]) if key in counts.index and rec in counts else 0
                )
                for rec, column in RECOMMENDATIONS.items()
            },
            "bets": MetadataValue.int(
                sum(
                    int(counts.at[key, rec]) if key in counts.index and rec in counts else 0
                    for rec in ("OVER", "UNDER")
                )
            ),
            "rated_mean_coverage_pct": MetadataValue.float(_rounded(mean_coverage.get(key))),
            "rated_min_coverage_pct": MetadataValue.float(_rounded(min_coverage.get(key))),
            "low_coverage_count": MetadataValue.int(int(low.get(key, 0))),
            "fallback_count": MetadataValue.int(int(fallback.get(key, 0))),
            "slate": frame_table(
                slates[key].reset_index(drop=True) if key in slates else slate.iloc[0:0],
                SLATE_COLUMNS,
            ),
        }
    return figures


def _rounded(value: float | None) -> float:
    """A date without rated rows shows 0.0 (a float metadata value cannot be missing)."""
    return 0.0 if value is None or pd.isna(value) else round(float(value), 2)


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
        rules = config.scoring_rules()
        frames = predict(frame, resolver.models, selected, rules, config.ensemble_weights)
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
                figures=per_date_figures(with_line_book(predictions, frame), keys, rules),
                evidence=rows_by_key(per_date_quality(predictions), keys),
                summary={
                    "predictions": MetadataValue.int(len(predictions)),
                    "range_low_coverage_count": MetadataValue.int(low),
                    "range_fallback_count": MetadataValue.int(
                        int(predictions["is_fallback"].sum())
                    ),
                    "shared_read_queries": MetadataValue.int(reads.queries),
                },
                fail_on_hold=False,
            )
        if any(held.values()):
            raise held_failure({output_name(sid): dates for sid, dates in held.items()})

    return strikeout_predictions
