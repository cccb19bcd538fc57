"""The benchmarks' command lines, with nothing but argparse.

Kept apart from the measuring code so that `--help` and a mistyped option answer at once:
each `bench_*.py` parses here first and only then imports dagster, pandas and the project
(about 15 s of imports on this machine).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path

# Mid-season: every starter has a history, so no path is flattered by early-season SKIPs.
DEFAULT_DATE = date(2019, 6, 1)


def _int_list(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def _parser(doc: str, *, reps: int, models: str) -> argparse.ArgumentParser:
    """A parser with --reps and --prepared, the same in every script; `models` says which
    models the script needs."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument(
        "--reps",
        type=int,
        default=reps,
        help="timed repetitions, interleaved (default %(default)s)",
    )
    parser.add_argument(
        "--prepared",
        type=Path,
        default=None,
        help=f"folder with warehouse.duckdb and models/ ({models}) to reuse instead of "
        "seeding and training",
    )
    return parser


def _parse_with_quick_range(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None
) -> argparse.Namespace:
    """Parse, with --quick meaning the smallest range run: 2 dates, 1 repetition."""
    parser.add_argument("--quick", action="store_true", help="2 dates, 1 repetition")
    args = parser.parse_args(argv)
    if args.quick:
        args.dates, args.reps = 2, 1
    return args


def backfill(doc: str, argv: Sequence[str] | None) -> argparse.Namespace:
    """bench_backfill.py: which season and dates, and whether to profile."""
    parser = _parser(doc, reps=3, models="every month backfilled")
    parser.add_argument("--season", type=int, default=2019, help="the season to backfill")
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=None,
        help="first date (default: the season's first scheduled date)",
    )
    parser.add_argument(
        "--dates",
        type=int,
        default=None,
        help="backfill only this many dates from --start (default: all)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="then profile one more single run (cProfile) and print where its time goes",
    )
    parser.add_argument(
        "--event-batch-size",
        type=int,
        default=0,
        help="also time a single run with DAGSTER_EVENT_BATCH_SIZE set to this: its planned and "
        "per-partition events are then written in batches (default 0: not timed; the other "
        "variants keep Dagster's default, one write per event)",
    )
    parser.add_argument(
        "--planned-per-asset",
        action="store_true",
        help="also time a single run with DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS=true: "
        "one 'planned' event per asset instead of one per partition and asset (Dagster then "
        "does not mark a failed run's partitions failed)",
    )
    parser.add_argument(
        "--instance",
        choices=["memory", "demo"],
        default="memory",
        help="where the runs write their events: each run its own in-memory instance "
        "(Dagster's default for materialize), or one persistent instance per variant with the "
        "demo's settings (Dagster's SQLite storage), as the UI's runs have (default %(default)s)",
    )
    return _parse_with_quick_range(parser, argv)


def batch(doc: str, argv: Sequence[str] | None) -> argparse.Namespace:
    """bench_batch.py: the slate's date, the larger sizes and the old path's sample."""
    parser = _parser(doc, reps=5, models="the slate's month")
    parser.add_argument(
        "--date",
        type=date.fromisoformat,
        default=DEFAULT_DATE,
        help="the slate's date; larger sizes add the following dates",
    )
    parser.add_argument(
        "--sizes",
        type=_int_list,
        default=[300, 3000],
        help="starter counts measured after the one-day slate (comma list)",
    )
    parser.add_argument(
        "--old-sample",
        type=int,
        default=100,
        help="run the old path on at most this many starters per size (a "
        "random sample) and extrapolate linearly; its cost is per starter",
    )
    parser.add_argument(
        "--bq-latency-s",
        type=float,
        default=1.0,
        help="per-query latency for the BigQuery projection",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one-day slate only, 1 repetition, old path on 3 starters",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.reps, args.old_sample = [], 1, 3
    return args


def predict(doc: str, argv: Sequence[str] | None) -> argparse.Namespace:
    """bench_predict.py: the row counts, the loop's sample and the models' date."""
    parser = _parser(doc, reps=5, models="the date's month")
    parser.add_argument(
        "--sizes", type=_int_list, default=[100, 1000, 5000], help="row counts (comma list)"
    )
    parser.add_argument(
        "--loop-sample",
        type=int,
        default=300,
        help="run the per-row loop on at most this many rows and extrapolate "
        "linearly (its cost is per row)",
    )
    parser.add_argument(
        "--date",
        type=date.fromisoformat,
        default=DEFAULT_DATE,
        help="its season's starters are the rows; its month's models predict",
    )
    parser.add_argument(
        "--quick", action="store_true", help="100 rows, 1 repetition, loop on 20 of them"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.reps, args.loop_sample = [100], 1, 20
    return args


def seasons(doc: str, argv: Sequence[str] | None) -> argparse.Namespace:
    """bench_seasons.py: how many seasons, and (for the smoke test) how many dates of them."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument(
        "--counts",
        type=_int_list,
        default=[1, 2, 5, 10],
        help="season counts N, each the last N seasons of 2010-2019, each measured in a fresh "
        "process (comma list, default %(default)s)",
    )
    parser.add_argument(
        "--dates",
        type=int,
        default=None,
        help="materialize only the first DATES dates of the seeded seasons (default: all)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1 season, its first 6 dates (into its second month: the first has no history "
        "to train a model on)",
    )
    # Internal: the fresh process measuring one count prints its figures as one JSON line.
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.counts, args.dates = [1], 6
    if not args.counts or not 1 <= min(args.counts) <= max(args.counts) <= 10:
        parser.error("--counts must lie between 1 and 10 (the demo has 2010-2019)")
    return args
