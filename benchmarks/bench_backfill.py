"""A season of predictions as ONE single-run backfill against one run per date.

Both variants materialize the same assets (feature_store_slice, il_roster, prop_lines and
the three systems' predictions) for the same dates with in-process runs
(`mlb_assets_demo.runs.materialize_range`), each on a fresh copy of the same prepared warehouse.
The walk-forward models are trained once beforehand, outside every timing. Both use the
default ephemeral Dagster instance (instance=None: in-memory event log, one per run), so
neither pays for a persistent event log the other avoids.

Queries are read back from each materialization's `warehouse_queries` metadata.

Run: .venv/bin/python benchmarks/bench_backfill.py [--dates N] [--quick]
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import benchargs


def main(argv: Sequence[str] | None = None) -> int:
    """Parse first, so --help answers before the heavy imports of run_backfill."""
    args = benchargs.backfill(__doc__ or "", argv)
    import run_backfill

    return run_backfill.main(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
