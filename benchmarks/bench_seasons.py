"""The whole graph for 1, 2, 5 and 10 seasons: does the cost per season stay flat?

For each N, a fresh process seeds a new demo warehouse with the last N seasons of 2010-2019,
partitions the code location over them (first opening day to last closing day, as
MLB_PARTITIONS_START/END would) and materializes everything as `make demo` does: one
in-process run per job over its whole range (`mlb_assets_demo.pipeline.demo_steps`: the
monthly models, the daily slate, the grades, the monthly performance), each on its own
ephemeral Dagster instance. It reports per N the seconds, warehouse queries, Dagster events
and peak memory (the process's RSS high-water mark, which is why each N gets its own
process), per season and as a ratio to N = 1. The targets: within 1.5x per season from 1 to
10 seasons, and under 4 GB at 10.

Run: .venv/bin/python benchmarks/bench_seasons.py [--counts 1,2] [--quick]
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import benchargs


def main(argv: Sequence[str] | None = None) -> int:
    """Parse first, so --help answers before the heavy imports of run_seasons."""
    args = benchargs.seasons(__doc__ or "", argv)
    import run_seasons

    return run_seasons.main(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
