"""The measuring code of bench_seasons.py, imported only once its arguments parse.

What it measures and why: see that script's docstring and benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import benchlib
from dagster import DagsterInstance
from run_backfill import run_queries

from mlb_assets.config import MLBConfig
from mlb_assets.definitions import build_definitions
from mlb_assets.schedules import build_schedules
from mlb_assets_demo.pipeline import demo_steps
from mlb_assets_demo.reference import SEASON_DATES
from mlb_assets_demo.runs import materialize_range
from mlb_assets_demo.seed import seed_demo_warehouse

# The line of the measuring process's stdout that carries its figures.
RESULT_PREFIX = "bench-seasons-result "
# Event-log records read per page when counting a run's events, so that counting them does not
# hold them all in memory at once.
EVENT_PAGE = 5000
# The first month of every N has no earlier starts to train on (strikeout_models skips it, by
# design), so its predictions fall back and the blocking fallback and model-load checks would
# fail the slate's run, leaving its coverage report unmaterialized. The benchmark measures
# cost, not that known gap: it raises those two thresholds, the same for every N.
LET_FALLBACKS_THROUGH: dict[str, Any] = {
    "fallback_rate_threshold": 100.0,
    "model_load_failure_threshold": 10**6,
}
# The targets of issue 14: cost per season within 1.5x from 1 to 10 seasons; memory under 4 GB.
FLAT_WITHIN = 1.5
MEMORY_LIMIT_GB = 4.0


@dataclass
class Step:
    """One run of the measured sequence: a job over its whole range."""

    job: str
    start: str
    end: str
    seconds: float
    queries: int
    events: int
    success: bool


def last_seasons(count: int) -> list[int]:
    """The last `count` seasons the demo has (2019 back towards 2010)."""
    return sorted(SEASON_DATES)[-count:]


def peak_rss_mb() -> float:
    """This process's resident-set high-water mark so far (Linux reports it in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def event_count(instance: DagsterInstance, run_id: str) -> int:
    """Entries the run wrote to the instance's event log (planned events included)."""
    total, cursor = 0, None
    while True:
        page = instance.get_records_for_run(run_id, cursor=cursor, limit=EVENT_PAGE)
        total += len(page.records)
        if not page.has_more:
            return total
        cursor = page.cursor


def measure(count: int, dates: int | None) -> dict[str, Any]:
    """Seed the last `count` seasons, then materialize the whole graph over them, timed."""
    seasons = last_seasons(count)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix=f"bench-seasons-{count}-") as tmp:
        work = Path(tmp)
        benchlib.log(f"{count} season(s) {seasons[0]}-{seasons[-1]}: seeding in {work}")
        started = time.perf_counter()
        seed_demo_warehouse(
            MLBConfig(), seed=benchlib.DEMO_SEED, path=str(work / "w.duckdb"), seasons=seasons
        )
        seed_seconds = time.perf_counter() - started
        seed_rss = peak_rss_mb()
        first, last = SEASON_DATES[seasons[0]][0], SEASON_DATES[seasons[-1]][1]
        if dates:
            last = first + timedelta(days=dates - 1)
        config = MLBConfig(
            duckdb_path=str(work / "w.duckdb"),
            model_store=str(work / "models"),
            partitions_start=first,
            partitions_end=last,
            **LET_FALLBACKS_THROUGH,
        )
        defs = build_definitions(config)
        selections = {job.name: job.selection for job in build_schedules(config)[0]}
        steps = []
        for label, job, start, end in demo_steps(config):
            benchlib.log(f"  {job} {start}..{end}: {label}")
            with DagsterInstance.ephemeral() as instance, benchlib.dagster_console_to_devnull():
                began = time.perf_counter()
                result = materialize_range(
                    defs, selections[job], start, end, instance=instance, raise_on_error=False
                )
                seconds = time.perf_counter() - began
                queries, success, run_id = run_queries(result), result.success, result.run_id
                del result  # its events are in the instance; do not carry them into the next run
                step = Step(
                    job, start, end, seconds, queries, event_count(instance, run_id), success
                )
            benchlib.log(f"    {seconds:.1f} s, {step.queries} queries, {step.events:,} events")
            steps.append(step)
    return {
        "count": count,
        "seasons": seasons,
        "partition_dates": (last - first).days + 1,
        "seed_seconds": seed_seconds,
        "seed_peak_rss_mb": seed_rss,
        "peak_rss_mb": peak_rss_mb(),
        "load": [load_before, os.getloadavg()[0]],
        "steps": [asdict(s) for s in steps],
    }


def run_counts(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Each season count measured in a fresh process, so each peak RSS is its own."""
    script = Path(__file__).with_name("bench_seasons.py")
    results = []
    for count in args.counts:
        command = [sys.executable, str(script), "--one", str(count)]
        if args.dates:
            command += ["--dates", str(args.dates)]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        lines = [x for x in done.stdout.splitlines() if x.startswith(RESULT_PREFIX)]
        if done.returncode or not lines:
            raise SystemExit(f"measuring {count} season(s) failed (exit {done.returncode})")
        results.append(json.loads(lines[-1].removeprefix(RESULT_PREFIX)))
    return results


def main(args: argparse.Namespace) -> int:
    """Measure one count here (--one, in the fresh process), or every count and report."""
    if args.one is not None:
        print(RESULT_PREFIX + json.dumps(measure(args.one, args.dates)), flush=True)
        return 0
    report(run_counts(args))
    return 0


def report(results: list[dict[str, Any]]) -> None:
    """One row per season count, then one per count and job; ratios against the fewest."""
    print(f"\nMachine: {benchlib.machine()}")
    base = results[0]
    base_n = base["count"]

    def total(result: dict[str, Any], key: str) -> float:
        return sum(step[key] for step in result["steps"])

    def per_season(result: dict[str, Any], key: str) -> float:
        return total(result, key) / result["count"]

    rows = []
    for r in results:
        ok = sum(step["success"] for step in r["steps"])
        rows.append(
            [
                f"{r['seasons'][0]}-{r['seasons'][-1]}",
                r["count"],
                f"{r['partition_dates']:,}",
                f"{ok}/{len(r['steps'])}",
                f"{r['seed_seconds']:.1f}",
                f"{total(r, 'seconds'):.1f}",
                f"{per_season(r, 'seconds'):.1f}",
                f"{per_season(r, 'seconds') / per_season(base, 'seconds'):.2f}",
                f"{total(r, 'queries'):,.0f}",
                f"{per_season(r, 'queries'):,.1f}",
                f"{total(r, 'events'):,.0f}",
                f"{per_season(r, 'events'):,.0f}",
                f"{per_season(r, 'events') / per_season(base, 'events'):.2f}",
                f"{r['peak_rss_mb']:,.0f}",
                f"{r['load'][0]:.1f}..{r['load'][1]:.1f}",
            ]
        )
    benchlib.print_table(
        "The whole graph (models, daily slate, grades, performance: one run per job) per "
        "season count",
        [
            "seasons",
            "N",
            "partition dates",
            "runs ok",
            "seed s",
            "materialize s",
            "s per season",
            f"x N={base_n}",
            "warehouse queries",
            "queries per season",
            "Dagster events",
            "events per season",
            f"x N={base_n}",
            "peak RSS MB",
            "load avg (1 min, start..end)",
        ],
        rows,
    )
    benchlib.print_table(
        "Per run: seconds, warehouse queries and Dagster events",
        ["N", "job", "range", "runs ok", "s", "s per season", "queries", "events"],
        [
            [
                r["count"],
                s["job"],
                f"{s['start']}..{s['end']}",
                "yes" if s["success"] else "no",
                f"{s['seconds']:.1f}",
                f"{s['seconds'] / r['count']:.1f}",
                f"{s['queries']:,}",
                f"{s['events']:,}",
            ]
            for r in results
            for s in r["steps"]
        ],
    )
    last = results[-1]
    ratio = per_season(last, "seconds") / per_season(base, "seconds")
    peak_gb = last["peak_rss_mb"] / 1024
    print(
        f"Seconds per season, N={last['count']} against N={base_n}: {ratio:.2f}x "
        f"(target at most {FLAT_WITHIN}x): {'met' if ratio <= FLAT_WITHIN else 'NOT met'}."
    )
    print(
        f"Peak RSS at N={last['count']}: {peak_gb:.2f} GB (target under {MEMORY_LIMIT_GB:g} GB): "
        f"{'met' if peak_gb < MEMORY_LIMIT_GB else 'NOT met'}.",
        flush=True,
    )
