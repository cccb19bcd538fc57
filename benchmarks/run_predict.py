"""The measuring code of bench_predict.py, imported only once its arguments parse.

What it measures and why: see that script's docstring and benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from functools import partial
from pathlib import Path

import benchlib
import numpy as np
import pandas as pd

from mlb_assets.assets.features import query_slice
from mlb_assets.assets.roster import IL_SPELLINGS
from mlb_assets.checks.roster import MAX_SNAPSHOT_AGE_DAYS
from mlb_assets.config import MLBConfig
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.systems import SYSTEM_IDS, LoadedModel, ScoringRules, run_systems
from mlb_assets.systems.run import join_inputs


def season_frame(warehouse: DuckDBWarehouse, day: date) -> pd.DataFrame:
    """Every starter of `day`'s season with features, IL status and prices (3 queries),
    from `day` on first: mid-season rows, not opening-week ones that mostly SKIP."""
    start, end = benchlib.season_bounds(warehouse, day)
    params = {"start_date": start, "end_date": end}
    roster_params = {
        **params,
        "max_age_days": MAX_SNAPSHOT_AGE_DAYS,
        "il_statuses": list(IL_SPELLINGS),
    }
    frame = join_inputs(
        query_slice(warehouse, start, end),
        warehouse.query("sources/il_roster.sql", roster_params),
        warehouse.query("sources/prop_lines.sql", params),
    )
    later = frame["game_date"] >= pd.Timestamp(day)
    return pd.concat([frame[later], frame[~later]], ignore_index=True)


def rows_of(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """The first n rows, the season repeated if it has fewer than n."""
    repeats = -(-n // len(frame))
    return pd.concat([frame] * repeats, ignore_index=True).head(n)


def vectorised(
    frame: pd.DataFrame, models: dict[str, LoadedModel], rules: ScoringRules
) -> dict[str, pd.DataFrame]:
    return run_systems(frame, models, SYSTEM_IDS, rules, MLBConfig().ensemble_weights)


def per_row(
    frame: pd.DataFrame, models: dict[str, LoadedModel], rules: ScoringRules
) -> list[dict[str, pd.DataFrame]]:
    weights = MLBConfig().ensemble_weights
    return [
        run_systems(frame.iloc[[i]], models, SYSTEM_IDS, rules, weights) for i in range(len(frame))
    ]


def same_predictions(
    frame: pd.DataFrame, models: dict[str, LoadedModel], rules: ScoringRules
) -> bool:
    """The loop must do the same work, not less: same strikeouts and recommendations."""
    whole = vectorised(frame, models, rules)
    rows = per_row(frame, models, rules)
    for sid in SYSTEM_IDS:
        looped = pd.concat([r[sid] for r in rows], ignore_index=True)
        if not np.allclose(looped["predicted_strikeouts"], whole[sid]["predicted_strikeouts"]):
            return False
        if not looped["recommendation"].equals(whole[sid]["recommendation"]):
            return False
    return True


def main(args: argparse.Namespace) -> int:
    """Measure both variants as the parsed command line asks; 1 if they differ."""
    with tempfile.TemporaryDirectory(prefix="bench-predict-") as tmp:
        workdir = Path(tmp)
        prepared = benchlib.prepare(workdir, args.prepared)
        benchlib.train_models(prepared, [args.date.replace(day=1)])
        warehouse = DuckDBWarehouse(path=str(prepared.fresh_copy(workdir / "predict.duckdb")))
        try:
            season = season_frame(warehouse, args.date)
        finally:
            warehouse.close()
        models = benchlib.load_models(prepared, args.date)
    rules = MLBConfig.from_env().scoring_rules()

    benchlib.log("warm-up, and checking that both variants predict the same")
    agree = same_predictions(season.head(min(50, args.loop_sample)), models, rules)
    table = []
    for n in args.sizes:
        frame = rows_of(season, n)
        looped = frame.head(args.loop_sample)
        scale = n / len(looped)
        benchlib.log(f"{n} rows: loop on {len(looped)}")
        times = benchlib.interleaved(
            {
                "vectorised": partial(vectorised, frame, models, rules),
                "per_row": partial(per_row, looped, models, rules),
            },
            args.reps,
        )
        fast = benchlib.median(times["vectorised"])
        slow = benchlib.median([t * scale for t in times["per_row"]])
        label = f"{slow:.3g}" + (f" (extrapolated from {len(looped)})" if scale > 1 else "")
        table.append(
            [
                f"{n:,}",
                f"{fast:.3g}",
                label,
                f"{1000 * slow / n:.1f}",
                f"{1000 * fast / n:.3f}",
                f"**{slow / fast:.0f}x**",
            ]
        )
    print(f"\nMachine: {benchlib.machine()}")
    benchlib.print_table(
        f"Prediction, all 3 systems: vectorised vs per-row loop, median of {args.reps} "
        "interleaved reps after a warm-up (seconds)",
        ["rows", "vectorised s", "per-row loop s", "loop ms/row", "vectorised ms/row", "speed-up"],
        table,
    )
    print(f"Same predictions and recommendations row by row as vectorised: {agree}")
    return 0 if agree else 1
