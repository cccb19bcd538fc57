"""The measuring code of bench_event_log.py, imported only once its arguments parse.

What it measures and why: see that script's docstring and benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import benchlib

from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.schedules import DAILY_SELECTION
from mlb_assets_demo.runs import materialize_range


@dataclass
class Variant:
    """One event log: the instance settings that select it, and its runs' figures."""

    name: str
    demo_event_log: bool
    times: list[float] = field(default_factory=list)
    events: int = 0
    succeeded: int = 0

    def run(
        self, prepared: benchlib.Prepared, home: Path, warehouse: Path, dates: list[date]
    ) -> None:
        """One range run on a new instance in `home` (so no variant inherits a larger index)."""
        resources = {
            "warehouse": DuckDBWarehouse(path=str(warehouse)),
            "model_store": prepared.model_store(),
        }
        with benchlib.persistent_instance(home, self.demo_event_log) as instance:
            storage = type(instance.event_log_storage).__name__
            with benchlib.dagster_console_to_devnull():
                started = time.perf_counter()
                result = materialize_range(
                    prepared.definitions(),
                    DAILY_SELECTION,
                    dates[0],
                    dates[-1],
                    instance=instance,
                    resources=resources,
                    raise_on_error=False,
                )
                self.times.append(time.perf_counter() - started)
            self.events = len(instance.all_logs(result.run_id))
            self.succeeded += result.success
        self.name = f"{self.name.split(' (')[0]} ({storage})"


def main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-event-log-") as tmp:
        workdir = Path(tmp)
        prepared = benchlib.prepare(workdir, args.prepared)
        dates = [args.start + timedelta(days=i) for i in range(args.dates)]
        benchlib.train_models(prepared, [args.start.replace(day=1)])
        variants = [Variant("Dagster's own", False), Variant("the demo's", True)]
        benchlib.log("warm-up: one run of the first date")
        Variant("warm-up", False).run(
            prepared, workdir / "warm-up", prepared.fresh_copy(workdir / "warm.duckdb"), dates[:1]
        )
        for rep in range(args.reps):
            for i, variant in enumerate(variants if rep % 2 == 0 else variants[::-1]):
                benchlib.log(f"rep {rep + 1}/{args.reps}: {variant.name}, {len(dates)} dates")
                tag = f"rep{rep}-{i}"
                copy = prepared.fresh_copy(workdir / f"{tag}.duckdb")
                variant.run(prepared, workdir / tag, copy, dates)
        report(dates, variants, args.reps)
    return 0


def report(dates: list[date], variants: list[Variant], reps: int) -> None:
    print(f"\nMachine: {benchlib.machine()}")
    base = benchlib.median(variants[0].times)
    rows = []
    for variant in variants:
        wall = benchlib.median(variant.times)
        rows.append(
            [
                variant.name,
                f"{variant.succeeded}/{reps}",
                f"{variant.events:,}",
                f"{wall:.3g}",
                benchlib.spread(variant.times),
                f"{1000 * wall / max(variant.events, 1):.2f}",
                f"**{base / wall:.1f}x**",
            ]
        )
    benchlib.print_table(
        f"Event log: the daily slate over {len(dates)} dates ({dates[0]}..{dates[-1]}) as ONE "
        f"run on a persistent instance; median of {reps} interleaved reps (seconds)",
        [
            "event log storage",
            "runs succeeded",
            "Dagster events per run",
            "wall s",
            "min..max s",
            "ms per event (whole run)",
            "faster than Dagster's own",
        ],
        rows,
    )
