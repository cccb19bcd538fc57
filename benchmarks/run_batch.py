"""The measuring code of bench_batch.py, imported only once its arguments parse.

What it measures and why: see that script's docstring and benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import benchlib
import numpy as np
import pandas as pd
import sqlglot
from sqlglot import exp

from mlb_assets.assets.roster import IL_SPELLINGS
from mlb_assets.checks.roster import MAX_SNAPSHOT_AGE_DAYS
from mlb_assets.config import MLBConfig
from mlb_assets.features.lines import PRICE_COLUMNS, with_line_features
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.sql import read_sql
from mlb_assets.systems import SYSTEM_IDS, LoadedModel, ScoringRules, run_systems
from mlb_assets.systems.run import join_inputs

FEATURES_SQL = "sources/feature_store_slice.sql"
ROSTER_SQL = "sources/il_roster.sql"
LINES_SQL = "sources/prop_lines.sql"
ROSTER_PARAMS = {"max_age_days": MAX_SNAPSHOT_AGE_DAYS, "il_statuses": list(IL_SPELLINGS)}
SAMPLE_SEED = 20190601


def with_pitcher_filter(name: str, condition: str, cte: str | None = None) -> str:
    """The production query narrowed to one pitcher, as the old system asked for each one.

    Derived from the file rather than copied, so (a) and (b) can never drift apart. The
    filter goes where the old system's would (the `targets` CTE of the feature query, so
    the per-pitcher query does only one pitcher's work); the pitcher is `@pitcher_lookup`,
    bound as a query parameter like every other value.
    """
    tree = sqlglot.parse_one(read_sql(name), read="bigquery")
    select = tree
    if cte is not None:
        select = next(c.this for c in tree.find_all(exp.CTE) if c.alias == cte)
    select.where(condition, dialect="bigquery", copy=False)
    return tree.sql(dialect="bigquery")


FEATURES_ONE_PITCHER = with_pitcher_filter(
    FEATURES_SQL, "pitcher_lookup = @pitcher_lookup", cte="targets"
)
ROSTER_ONE_PITCHER = with_pitcher_filter(ROSTER_SQL, "i.pitcher_lookup = @pitcher_lookup")
LINES_ONE_PITCHER = with_pitcher_filter(LINES_SQL, "pitcher_lookup = @pitcher_lookup")


def slice_rows(raw: pd.DataFrame) -> pd.DataFrame:
    """The slice query's rows as the feature_store_slice asset stores them (line features)."""
    return with_line_features(raw).drop(columns=list(PRICE_COLUMNS))


class Paths:
    """Both access patterns over one warehouse connection and one set of loaded models."""

    def __init__(
        self, warehouse: DuckDBWarehouse, models: dict[str, LoadedModel], rules: ScoringRules
    ) -> None:
        self.warehouse = warehouse
        self.models = models
        self.rules = rules
        self.weights = MLBConfig.from_env().ensemble_weights

    def old(self, starters: pd.DataFrame) -> list[pd.DataFrame]:
        """(a) For every starter and every system: 3 queries, then a one-row prediction."""
        predictions = []
        for game_date, pitcher in starters[["game_date", "pitcher_lookup"]].itertuples(index=False):
            day = pd.Timestamp(game_date).date()
            params = {"start_date": day, "end_date": day, "pitcher_lookup": pitcher}
            for system_id in SYSTEM_IDS:
                row = join_inputs(
                    slice_rows(self.warehouse.query_text(FEATURES_ONE_PITCHER, params)),
                    self.warehouse.query_text(ROSTER_ONE_PITCHER, {**params, **ROSTER_PARAMS}),
                    self.warehouse.query_text(LINES_ONE_PITCHER, params),
                )
                predictions.append(
                    run_systems(row, self.models, [system_id], self.rules, self.weights)[system_id]
                )
        return predictions

    def shared(self, start: date, end: date) -> dict[str, pd.DataFrame]:
        """(b) Three queries for the whole window, then every system on the shared frame."""
        params = {"start_date": start, "end_date": end}
        frame = join_inputs(
            slice_rows(self.warehouse.query(FEATURES_SQL, params)),
            self.warehouse.query(ROSTER_SQL, {**params, **ROSTER_PARAMS}),
            self.warehouse.query(LINES_SQL, params),
        )
        return run_systems(frame, self.models, SYSTEM_IDS, self.rules, self.weights)

    def queries(self, run: Callable[[], object]) -> int:
        """Queries one call of `run` makes, counted by the warehouse itself."""
        before = self.warehouse.stats.queries
        run()
        return self.warehouse.stats.queries - before


@dataclass
class SizeResult:
    starters: int
    dates: str
    old_sampled: int  # starters the old path really ran; fewer than `starters` = extrapolated
    old_s: list[float]
    shared_s: list[float]
    old_queries: int
    shared_queries: int


def window_for(starters: pd.DataFrame, size: int | None) -> pd.DataFrame:
    """The starters of the fewest consecutive dates holding at least `size` of them
    (None: the first date alone, i.e. one day's slate)."""
    dates = starters["game_date"].drop_duplicates().sort_values()
    if size is None:
        last = dates.iloc[0]
    else:
        per_date = starters.groupby("game_date").size().cumsum()
        enough = per_date[per_date >= size]
        if enough.empty:
            raise SystemExit(
                f"only {len(starters)} starters from {dates.iloc[0].date()} to the season's end;"
                f" use an earlier --date or a smaller size than {size}"
            )
        last = enough.index[0]
    return starters[starters["game_date"] <= last].reset_index(drop=True)


def main(args: argparse.Namespace) -> int:
    """Measure both variants as the parsed command line asks; 1 if they differ."""
    config = MLBConfig.from_env()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        workdir = Path(tmp)
        prepared = benchlib.prepare(workdir, args.prepared)
        benchlib.train_models(prepared, [args.date.replace(day=1)])
        warehouse = DuckDBWarehouse(path=str(prepared.fresh_copy(workdir / "batch.duckdb")))
        try:
            paths = Paths(
                warehouse, benchlib.load_models(prepared, args.date), config.scoring_rules()
            )
            _, season_end = benchlib.season_bounds(warehouse, args.date)
            starters = warehouse.query(
                FEATURES_SQL, {"start_date": args.date, "end_date": season_end}
            )[["game_date", "pitcher_lookup"]]
            results, agree = measure(paths, starters, args)
        finally:
            warehouse.close()
    report(results, args)
    print(f"Same predictions and recommendations per pitcher as the shared path: {agree}")
    return 0 if agree else 1


def same_predictions(paths: Paths, day: pd.DataFrame) -> bool:
    """The old path must do the same work, not less: the same predictions and recommendations
    for the day's first starter as the shared path gives it."""
    pitcher = day["pitcher_lookup"].iloc[0]
    start = day["game_date"].iloc[0].date()
    old = paths.old(day.head(1))
    shared = paths.shared(start, start)
    for one, (_, frame) in zip(old, shared.items(), strict=True):
        whole = frame[frame["pitcher_lookup"] == pitcher]
        if not np.allclose(one["predicted_strikeouts"], whole["predicted_strikeouts"]):
            return False
        if list(one["recommendation"]) != list(whole["recommendation"]):
            return False
    return True


def measure(
    paths: Paths, starters: pd.DataFrame, args: argparse.Namespace
) -> tuple[list[SizeResult], bool]:
    """Warm up once (SQL transpiling, DuckDB caches), then interleave the two paths per size."""
    benchlib.log("warm-up, and checking that both paths predict the same")
    agree = same_predictions(paths, window_for(starters, None))
    rng = np.random.default_rng(SAMPLE_SEED)
    results = []
    for size in [None, *args.sizes]:
        window = window_for(starters, size)
        start, end = window["game_date"].min().date(), window["game_date"].max().date()
        sample = window
        if len(window) > args.old_sample:
            picked = rng.choice(len(window), size=args.old_sample, replace=False)
            sample = window.iloc[np.sort(picked)]
        scale = len(window) / len(sample)
        benchlib.log(f"{len(window)} starters ({start}..{end}): old path on {len(sample)}")
        old, shared = partial(paths.old, sample), partial(paths.shared, start, end)
        times = benchlib.interleaved({"old": old, "shared": shared}, args.reps)
        results.append(
            SizeResult(
                starters=len(window),
                dates=f"{start}..{end}" if start != end else str(start),
                old_sampled=len(sample),
                old_s=[t * scale for t in times["old"]],
                shared_s=times["shared"],
                # The old path's count is exact: the same 9 queries for every starter.
                old_queries=paths.queries(partial(paths.old, sample.head(1))) * len(window),
                shared_queries=paths.queries(shared),
            )
        )
    return results, agree


def report(results: list[SizeResult], args: argparse.Namespace) -> None:
    print(f"\nMachine: {benchlib.machine()}")
    table = []
    for r in results:
        old, shared = benchlib.median(r.old_s), benchlib.median(r.shared_s)
        label = f"{old:.3g}"
        if r.old_sampled < r.starters:
            label += f" (extrapolated from {r.old_sampled})"
        table.append(
            [
                f"{r.starters:,}",
                r.dates,
                f"{r.old_queries:,}",
                f"{r.shared_queries:,}",
                label,
                f"{shared:.3g}",
                f"{shared / old:.4f}",
                f"**{old / shared:.0f}x**",
            ]
        )
    benchlib.print_table(
        f"Batch: per-pitcher-per-system (a) vs shared frame (b), median of {args.reps} "
        "interleaved reps after a warm-up (seconds)",
        [
            "starters",
            "dates",
            "queries (a)",
            "queries (b)",
            "wall s (a)",
            "wall s (b)",
            "b/a",
            "speed-up a/b",
        ],
        table,
    )
    projection = [
        [
            f"{r.starters:,}",
            f"{r.old_queries * args.bq_latency_s:,.0f}",
            f"{r.shared_queries * args.bq_latency_s:,.0f}",
            f"{r.old_queries / r.shared_queries:,.0f}x",
        ]
        for r in results
    ]
    benchlib.print_table(
        f"PROJECTION, not a measurement: BigQuery time = queries x {args.bq_latency_s:g} s "
        "per query (compute not included)",
        ["starters", "projected s (a)", "projected s (b)", "fewer queries"],
        projection,
    )
    spreads = ", ".join(
        f"{r.starters:,}: a {benchlib.spread(r.old_s)}, b {benchlib.spread(r.shared_s)}"
        for r in results
    )
    print(f"Spread of the reps (min..max s): {spreads}")
