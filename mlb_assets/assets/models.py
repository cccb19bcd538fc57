"""strikeout_models: the two XGBoost regressors, retrained walk-forward each month."""

import itertools
from datetime import date

import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetObservation,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dateutil.relativedelta import relativedelta

from mlb_assets.assets.daily import OWNERS, Window, stats_metadata
from mlb_assets.assets.features import FEATURE_SOURCES
from mlb_assets.assets.sources import source_key
from mlb_assets.betting import POISSON_DISPERSION
from mlb_assets.checks.models import MODELS_USABLE
from mlb_assets.checks.rule import WINDOW
from mlb_assets.config import MLBConfig
from mlb_assets.metadata import frame_table
from mlb_assets.partitions import model_month_partitions, single_run
from mlb_assets.resources.model_store import ModelStore
from mlb_assets.resources.reads import season_bounds, training_rows
from mlb_assets.resources.warehouse import Warehouse
from mlb_assets.systems.registry import MODEL_FEATURES
from mlb_assets.systems.training import TrainedModel, train_strikeout_model
from mlb_assets.systems.validation import model_problems

HISTORY_MONTHS = 24
TRAINING_SEED = 42
# Fewer prior starts than this (a project's first month) cannot fit 300 trees meaningfully;
# the month is skipped with a warning and its predictions fall back, visibly.
MIN_TRAINING_STARTS = 50


def month_start(partition_key: str) -> date:
    return date.fromisoformat(partition_key)


def between_seasons(months: list[date], seasons: list[tuple[int, date, date]]) -> list[date]:
    """The months wholly between the last game of one scheduled season and the first of the
    next: no slate is played in them, so none needs their model. A month after the last
    scheduled season is trained as before (the next schedule may not be loaded yet)."""
    bounds = sorted((first, last) for _, first, last in seasons)
    gaps = [(ended, began) for (_, ended), (began, _) in itertools.pairwise(bounds)]
    return [
        month
        for month in months
        if any(ended < month and month + relativedelta(months=1) <= began for ended, began in gaps)
    ]


def no_history(keys: list[str], first: date, before: date) -> str:
    """Why no month of the run can train, and what fills the gap."""
    return (
        f"strikeout_models {keys[0]}..{keys[-1]}: no starts to learn from between {first} and "
        f"{before - relativedelta(days=1)}. Training reads the sources "
        f"({', '.join(FEATURE_SOURCES)}) through the feature slice's SQL, so no slice "
        "partition needs materializing: load the sources for that window (`mlb-assets demo "
        "seed` for the demo) or train later months."
    )


def trained_problems(system_id: str, trained: TrainedModel) -> list[str]:
    """The store's load rule, applied before saving: what it would refuse is never usable."""
    return model_problems(
        features=trained.features,
        expected_features=MODEL_FEATURES[system_id],
        dispersion=trained.dispersion,
        validation_mae=trained.validation_mae,
        calibration=trained.calibration,
    )


def model_summary(
    label: str, system_id: str, trained: TrainedModel, problems: list[str]
) -> dict[str, object]:
    """One trained model as the check and the UI read it; problems '' when it is usable."""
    calibration = trained.calibration
    return {
        "month": label,
        "system": system_id,
        "rows": trained.training_rows,
        "trained_through": str(trained.trained_through),
        "val_mae": round(trained.validation_mae, 3),
        "dispersion": round(trained.dispersion, 2),
        "calibration_rows": calibration.rows,
        "model_weight": round(calibration.model_weight, 3),
        "market_weight": round(calibration.market_weight, 3),
        "problems": "; ".join(problems),
    }


MODEL_COLUMNS = {
    "system": "The system the model serves.",
    "rows": "Training starts: the 24 months before the month began.",
    "trained_through": "The last game date it learned from (before the month).",
    "val_mae": "Mean absolute error on the held-out latest 20 % of those starts.",
    "dispersion": "Negative-binomial size r of the strikeout count around the prediction: "
    "variance = mean + mean^2 / r, so larger is tighter. 1,000,000 is the ceiling, a Poisson "
    "(variance = mean): the held-out starts showed no extra spread.",
    "var_to_mean": "What the dispersion means at 5 predicted strikeouts: variance / mean "
    "(1.00 for a Poisson).",
    "calibration_rows": "Held-out starts with a line the calibration was fitted on.",
    "model_weight": "Calibration: weight on the model's log-odds of the over.",
    "market_weight": "Calibration: weight on the vig-free market's log-odds.",
    "problems": "Why the model is not used (empty when it is).",
}
# The count the `var_to_mean` column reads the dispersion at: about a start's mean strikeouts.
TYPICAL_STRIKEOUTS = 5.0


def month_metadata(
    month: date, models: pd.DataFrame, off_season: bool, untrained: list[str]
) -> dict[str, MetadataValue]:
    """One month's own figures: its models (rounded, dispersion explained), or why it has
    none. A range run trains several months; each partition shows only its own."""
    label = month.strftime("%Y-%m")
    if off_season:
        return {
            "month": MetadataValue.text(f"{label}: between seasons, no games, no model needed"),
            "models_trained": MetadataValue.int(0),
        }
    if label in untrained or models.empty:
        return {
            "month": MetadataValue.text(f"{label}: too few prior starts; predictions fall back"),
            "models_trained": MetadataValue.int(0),
        }
    rows = models[models["month"] == label]
    shown = pd.DataFrame(
        {
            "system": rows["system"],
            "rows": rows["rows"],
            "trained_through": rows["trained_through"],
            "val_mae": rows["val_mae"].round(3),
            "dispersion": rows["dispersion"].round(0).astype("int64"),
            "var_to_mean": (1 + TYPICAL_STRIKEOUTS / rows["dispersion"]).round(2),
            "calibration_rows": rows["calibration_rows"],
            "model_weight": rows["model_weight"].round(3),
            "market_weight": rows["market_weight"].round(3),
            "problems": rows["problems"],
        },
        columns=list(MODEL_COLUMNS),
    )
    return {
        "month": MetadataValue.text(label),
        "models_trained": MetadataValue.int(len(rows)),
        "mean_validation_mae": MetadataValue.float(round(float(rows["val_mae"].mean()), 3)),
        "dispersion": MetadataValue.text(
            "; ".join(dispersion_words(r.system, r.dispersion) for r in rows.itertuples())
        ),
        "models": frame_table(shown.reset_index(drop=True), MODEL_COLUMNS),
    }


def dispersion_words(system_id: str, dispersion: float) -> str:
    """What a fitted negative-binomial dispersion says about the spread of strikeouts."""
    if dispersion >= POISSON_DISPERSION:
        return (
            f"{system_id} {dispersion:,.0f}: the ceiling, a Poisson (variance = mean); its "
            "held-out starts showed no extra spread"
        )
    ratio = 1 + TYPICAL_STRIKEOUTS / dispersion
    return (
        f"{system_id} {dispersion:,.0f}: variance = {ratio:.2f} x mean at "
        f"{TYPICAL_STRIKEOUTS:g} predicted strikeouts (mean + mean^2 / {dispersion:,.0f})"
    )


def build_strikeout_models(config: MLBConfig) -> AssetsDefinition:
    @asset(
        name="strikeout_models",
        partitions_def=model_month_partitions(config),
        backfill_policy=single_run,
        group_name="models",
        kinds={"xgboost", config.warehouse},
        owners=OWNERS,
        # History comes from the sources through the slice's SQL, not from materialized slice
        # partitions: the first month's models need two seasons the daily partitions never
        # cover.
        deps=[source_key(table) for table in FEATURE_SOURCES],
        check_specs=[MODELS_USABLE.spec("strikeout_models", None)],
    )
    def strikeout_models(
        context: AssetExecutionContext, warehouse: Warehouse, model_store: ModelStore
    ) -> MaterializeResult:
        """Both systems' regressors for each month, trained ONLY on starts before the month begins.

        So no prediction is ever in-sample. Each month sees the 24 months of starts before it;
        NaN features stay missing. Artifacts and their metadata go to the model store; a model
        that fails the models_usable rule is saved as not usable, so its month falls back. A
        month between two seasons has no games to predict and trains nothing.
        """
        months = [month_start(key) for key in Window.of(context).keys]
        earliest = months[0] - relativedelta(months=HISTORY_MONTHS)
        with warehouse.tracking() as stats:
            off_season = between_seasons(months, season_bounds(warehouse))
            rows = training_rows(warehouse, earliest, months[-1])
        if rows.empty:  # nothing to learn from: say what is missing instead of crashing
            raise Failure(no_history(context.partition_keys, earliest, months[-1]))
        game_dates = rows["game_date"].dt.date
        summary = []
        untrained = []
        for month in months:
            label = month.strftime("%Y-%m")
            if month in off_season:
                context.log.info(f"{label}: between seasons, no games; no model needed")
                continue
            window_start = month - relativedelta(months=HISTORY_MONTHS)
            history = rows[(game_dates < month) & (game_dates >= window_start)]
            if len(history) < MIN_TRAINING_STARTS:
                context.log.warning(f"{label}: only {len(history)} prior starts; no model trained")
                untrained.append(label)
                continue
            for system_id, features in MODEL_FEATURES.items():
                trained = train_strikeout_model(history, features, seed=TRAINING_SEED)
                problems = trained_problems(system_id, trained)
                model_store.save(
                    system_id,
                    label,
                    trained,
                    {"training_seed": TRAINING_SEED, "month_start": str(month)},
                    problems=problems,
                )
                context.log.info(
                    f"{label} {system_id}: {trained.training_rows} starts through "
                    f"{trained.trained_through}, validation MAE {trained.validation_mae:.3f}"
                )
                if problems:
                    context.log.error(
                        f"{label} {system_id} rejected ({'; '.join(problems)}): saved as not "
                        "usable, the month's predictions fall back"
                    )
                summary.append(model_summary(label, system_id, trained, problems))
        models = pd.DataFrame(summary)
        totals = {
            **stats_metadata(stats),
            "run_models_trained": MetadataValue.int(len(summary)),
            "months_between_seasons": MetadataValue.text(
                ", ".join(m.strftime("%Y-%m") for m in off_season) or "none"
            ),
            "model_store": MetadataValue.path(model_store.root),
        }
        keys = list(context.partition_keys)
        for key in keys:
            month = month_start(key)
            figures = month_metadata(month, models, month in off_season, untrained)
            context.add_asset_metadata(
                {**totals, **figures} if len(keys) == 1 else figures, partition_key=key
            )
        if len(keys) > 1:
            context.log_event(
                AssetObservation(
                    asset_key=context.asset_key,
                    description="Totals of the range run (each month's models are on its "
                    "partition).",
                    metadata=totals,
                )
            )
        return MaterializeResult(
            check_results=[
                MODELS_USABLE.evaluate({WINDOW: (models, untrained)}).result(context.asset_key)
            ]
        )

    return strikeout_models
