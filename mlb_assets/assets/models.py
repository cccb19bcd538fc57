"""strikeout_models: the two XGBoost regressors, retrained walk-forward each month."""

from datetime import date

import pandas as pd
from dagster import (
    AssetDep,
    AssetExecutionContext,
    AssetsDefinition,
    MaterializeResult,
    TimeWindowPartitionMapping,
    asset,
)
from dateutil.relativedelta import relativedelta

from mlb_assets.assets.common import OWNERS
from mlb_assets.checks.metadata import frame_table
from mlb_assets.config import MLBConfig
from mlb_assets.partitions import model_month_partitions, single_run
from mlb_assets.resources.model_store import ModelStore
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems.registry import MODEL_FEATURES
from mlb_assets.systems.training import train_strikeout_model

HISTORY_MONTHS = 24
TRAINING_SEED = 42
# Fewer prior starts than this (a project's first month) cannot fit 300 trees meaningfully;
# the month is skipped with a warning and its predictions fall back, visibly.
MIN_TRAINING_STARTS = 50


def month_start(partition_key: str) -> date:
    return date.fromisoformat(partition_key)


def build_strikeout_models(config: MLBConfig) -> AssetsDefinition:
    @asset(
        name="strikeout_models",
        partitions_def=model_month_partitions(config),
        backfill_policy=single_run,
        group_name="models",
        kinds={"xgboost", config.warehouse},
        owners=OWNERS,
        deps=[
            AssetDep(
                "feature_store_slice",
                partition_mapping=TimeWindowPartitionMapping(
                    start_offset=-HISTORY_MONTHS, end_offset=-1
                ),
            )
        ],
    )
    def strikeout_models(
        context: AssetExecutionContext, warehouse: Warehouse, model_store: ModelStore
    ) -> MaterializeResult:
        """Both systems' regressors for each month, trained ONLY on starts before the month begins.

        So no prediction is ever in-sample. Each month sees the 24 months of starts before it;
        NaN features stay missing. Artifacts and their metadata go to the model store.
        """
        months = [month_start(key) for key in context.partition_keys]
        earliest = months[0] - relativedelta(months=HISTORY_MONTHS)
        with warehouse.tracking() as stats:
            rows = warehouse.query(
                "reads/training_rows.sql", {"from_date": earliest, "before_date": months[-1]}
            )
        game_dates = rows["game_date"].dt.date if len(rows) else rows["game_date"]
        summary = []
        for month in months:
            window_start = month - relativedelta(months=HISTORY_MONTHS)
            history = rows[(game_dates < month) & (game_dates >= window_start)]
            label = month.strftime("%Y-%m")
            if len(history) < MIN_TRAINING_STARTS:
                context.log.warning(f"{label}: only {len(history)} prior starts; no model trained")
                continue
            for system_id, features in MODEL_FEATURES.items():
                trained = train_strikeout_model(history, features, seed=TRAINING_SEED)
                model_store.save(
                    system_id,
                    label,
                    trained,
                    {"training_seed": TRAINING_SEED, "month_start": str(month)},
                )
                context.log.info(
                    f"{label} {system_id}: {trained.training_rows} starts through "
                    f"{trained.trained_through}, validation MAE {trained.validation_mae:.3f}"
                )
                summary.append(
                    {
                        "month": label,
                        "system": system_id,
                        "rows": trained.training_rows,
                        "trained_through": str(trained.trained_through),
                        "val_mae": round(trained.validation_mae, 3),
                        "dispersion": round(trained.dispersion, 2),
                    }
                )
        maes = [s["val_mae"] for s in summary]
        return MaterializeResult(
            metadata={
                **stats.as_metadata(),
                "models_trained": len(summary),
                "mean_validation_mae": float(sum(maes) / len(maes)) if maes else 0.0,
                "models": frame_table(pd.DataFrame(summary)),
                "model_store": model_store.root,
            }
        )

    return strikeout_models
