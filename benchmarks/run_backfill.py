"""The measuring code of bench_backfill.py, imported only once its arguments parse.

What it measures and why: see that script's docstring and benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import benchlib
from dagster import AssetSelection, DagsterInstance, ExecuteInProcessResult

from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.schedules import DAILY_SELECTION
from mlb_assets_demo.runs import materialize_range, run_totals

# The daily graph the issue measures: features, roster, lines and the three systems.
SELECTION = DAILY_SELECTION - AssetSelection.assets("coverage_report")


def run_queries(result: ExecuteInProcessResult) -> int:
    """Warehouse queries one run made, from each asset's totals for the run.

    A range run records them once per asset in its summary observation (a one-date run on
    its one materialization); every prediction output reports the shared reads it took part
    in (`shared_read_queries`), so those count once per run, not once per system.
    """
    totals = run_totals(result)
    per_asset = {asset: t.get("warehouse_queries", 0) for asset, t in totals.items()}
    shared = [t["shared_read_queries"] for t in totals.values() if "shared_read_queries" in t]
    return sum(per_asset.values()) - (sum(shared) - max(shared, default=0))


DAGSTER_SETTINGS = ("DAGSTER_EVENT_BATCH_SIZE", "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS")
PLANNED_PER_ASSET = {"DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true"}


@contextmanager
def environment(settings: dict[str, str]) -> Iterator[None]:
    """Exactly `settings` of Dagster's environment switches for the block (others unset)."""
    saved = {name: os.environ.pop(name, None) for name in DAGSTER_SETTINGS}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


@dataclass
class Variant:
    """One way of covering the dates: its runs, timed together, on its own warehouse copy."""

    name: str
    windows: list[tuple[date, date]]
    times: list[float] = field(default_factory=list)
    # CPU seconds of this process: on a shared machine they move less with load than the wall.
    cpu_times: list[float] = field(default_factory=list)
    queries: int = 0
    runs_ok: int = 0
    events: int = 0
    # Dagster settings read from the environment during its runs (DAGSTER_EVENT_BATCH_SIZE,
    # DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS): Dagster reads them at every event or
    # run, so variants of one process can differ in them. Empty: Dagster's defaults.
    env: dict[str, str] = field(default_factory=dict)

    def run(self, prepared: benchlib.Prepared, warehouse: Path, home: Path | None = None) -> None:
        """All of the variant's runs; on a new persistent instance in `home` if given (as the
        UI's), else each on its own in-memory instance (Dagster's default for `materialize`)."""
        instance = benchlib.persistent_instance(home) if home is not None else None
        try:
            self._run(prepared, warehouse, instance)
        finally:
            if instance is not None:
                instance.dispose()

    def _run(
        self, prepared: benchlib.Prepared, warehouse: Path, instance: DagsterInstance | None
    ) -> None:
        resources = {
            "warehouse": DuckDBWarehouse(path=str(warehouse)),
            "model_store": prepared.model_store(),
        }
        self.queries = self.runs_ok = self.events = 0
        with benchlib.dagster_console_to_devnull(), environment(self.env):
            started, cpu_started = time.perf_counter(), time.process_time()
            results = [
                materialize_range(
                    prepared.definitions(),
                    SELECTION,
                    start,
                    end,
                    instance=instance,
                    resources=resources,
                    raise_on_error=False,
                )
                for start, end in self.windows
            ]
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        for result in results:
            self.queries += run_queries(result)
            self.runs_ok += result.success
            self.events += len(result.all_events)
        self.times.append(elapsed)
        self.cpu_times.append(cpu)


# (label, file suffix, function): the steps of a run worth naming, by where Dagster 1.13 and
# this project spend them. They overlap (run creation writes events too), so the shares do
# not add up to 100 %.
PROFILED_STEPS = [
    ("whole run (materialize)", "dagster/_core/definitions/materialize.py", "materialize"),
    (
        "run creation: one 'planned' event per partition x asset",
        "dagster/_core/instance/runs/run_domain.py",
        "_log_asset_planned_events",
    ),
    (
        "event-log writes (in-memory SQLite), all events of the run",
        "dagster/_core/storage/event_log/sql_event_log.py",
        "store_event",
    ),
    (
        "asset bodies (this project's code)",
        "dagster/_core/execution/plan/compute.py",
        "execute_core_compute",
    ),
    ("asset bodies > warehouse reads (DuckDB)", "mlb_assets/resources/warehouse.py", "query_text"),
    (
        "asset bodies > warehouse writes (DuckDB)",
        "mlb_assets/resources/warehouse.py",
        "replace_partitions",
    ),
    (
        "asset bodies > 3 systems' vectorised predictions",
        "mlb_assets/systems/run.py",
        "predict",
    ),
    (
        "asset bodies > per-date check evaluations (events written)",
        "mlb_assets/assets/daily.py",
        "log_evaluations",
    ),
    (
        "asset bodies > per-date slate tables (built; written with the materializations)",
        "mlb_assets/metadata.py",
        "frame_table",
    ),
]


def profile_single_run(
    prepared: benchlib.Prepared, dates: list[date], warehouse: Path, args: argparse.Namespace
) -> None:
    """Where the single run's time goes (with Dagster's default settings)."""
    profiler = cProfile.Profile()
    variant = Variant("profiled", [(dates[0], dates[-1])])
    profiler.enable()
    variant.run(prepared, warehouse)
    profiler.disable()
    cumulative = [
        (file, name, stat[3]) for (file, _, name), stat in pstats.Stats(profiler).stats.items()
    ]
    total = variant.times[0]
    rows = []
    for label, suffix, name in PROFILED_STEPS:
        seconds = sum(t for file, fn, t in cumulative if fn == name and file.endswith(suffix))
        rows.append([label, f"{seconds:.2f}", f"{100 * seconds / total:.0f} %"])
    benchlib.print_table(
        f"cProfile of one single-run backfill of {len(dates)} dates ({variant.events:,} Dagster "
        f"events; profiling slows it to {total:.3g} s)",
        ["step", "cumulative s", "share of the run"],
        rows,
    )


def backfill_dates(prepared: benchlib.Prepared, args: argparse.Namespace) -> list[date]:
    """The season's scheduled dates from --start on (all calendar days: the partitions)."""
    warehouse = prepared.connect()
    try:
        first, last = benchlib.season_bounds(warehouse, date(args.season, 1, 1))
    finally:
        warehouse.close()
    start = args.start or first
    dates = [start + timedelta(days=i) for i in range((last - start).days + 1)]
    return dates[: args.dates] if args.dates else dates


def months_of(dates: Sequence[date]) -> list[date]:
    return sorted({d.replace(day=1) for d in dates})


def main(args: argparse.Namespace) -> int:
    """Measure the variants as the parsed command line asks, interleaved, and report them."""
    with tempfile.TemporaryDirectory(prefix="bench-backfill-") as tmp:
        workdir = Path(tmp)
        prepared = benchlib.prepare(workdir, args.prepared)
        dates = backfill_dates(prepared, args)
        benchlib.train_models(prepared, months_of(dates))
        variants = [
            Variant("single run over the range", [(dates[0], dates[-1])]),
            Variant("one run per date", [(d, d) for d in dates]),
        ]
        if args.event_batch_size:
            variants.append(
                Variant(
                    f"single run, events in batches of {args.event_batch_size}",
                    [(dates[0], dates[-1])],
                    env={"DAGSTER_EVENT_BATCH_SIZE": str(args.event_batch_size)},
                )
            )
        if args.planned_per_asset:
            variants.append(
                Variant(
                    "single run, one planned event per asset",
                    [(dates[0], dates[-1])],
                    env=PLANNED_PER_ASSET,
                )
            )
        benchlib.log("warm-up: one single-date run")
        Variant("warm-up", [(dates[0], dates[0])]).run(
            prepared, prepared.fresh_copy(workdir / "warm-up.duckdb")
        )
        for rep in range(args.reps):
            for i, variant in enumerate(variants if rep % 2 == 0 else variants[::-1]):
                # A new file name each time: a leftover .wal beside a reused name would replay.
                copy = prepared.fresh_copy(workdir / f"rep{rep}-{i}.duckdb")
                home = workdir / f"home-rep{rep}-{i}" if args.instance == "demo" else None
                benchlib.log(f"rep {rep + 1}/{args.reps}: {variant.name}, {len(dates)} dates")
                variant.run(prepared, copy, home)
        report(dates, variants, args.reps, args.instance)
        if args.profile:
            profile_single_run(
                prepared, dates, prepared.fresh_copy(workdir / "profiled.duckdb"), args
            )
    return 0


INSTANCES = {
    "memory": "each run on its own in-memory instance",
    "demo": "on a persistent instance with the demo's settings (Dagster's SQLite storage)",
}


def report(dates: list[date], variants: list[Variant], reps: int, instance: str) -> None:
    """One row per variant; the last column is how many times faster than one run per date."""
    print(f"\nMachine: {benchlib.machine()}")
    per_date = benchlib.median(variants[1].times)
    per_date_cpu = benchlib.median(variants[1].cpu_times)
    rows = []
    for variant in variants:
        wall, cpu = benchlib.median(variant.times), benchlib.median(variant.cpu_times)
        rows.append(
            [
                variant.name,
                f"{len(variant.windows):,}",
                f"{variant.runs_ok:,}/{len(variant.windows):,}",
                f"{variant.queries:,}",
                f"{variant.events:,}",
                f"{wall:.3g}",
                benchlib.spread(variant.times),
                f"{1000 * wall / len(dates):.0f}",
                f"**{per_date / wall:.1f}x**",
                f"{cpu:.3g}",
                f"{per_date_cpu / cpu:.1f}x",
            ]
        )
    benchlib.print_table(
        f"Backfill of {len(dates)} dates ({dates[0]}..{dates[-1]}): features, roster, lines and "
        f"3 systems' predictions, {INSTANCES[instance]}; median of {reps} interleaved reps "
        "(seconds)",
        [
            "variant",
            "runs",
            "runs succeeded",
            "warehouse queries",
            "Dagster events",
            "wall s",
            "min..max s",
            "ms per date",
            "faster than one run per date",
            "CPU s",
            "faster, in CPU s",
        ],
        rows,
    )
