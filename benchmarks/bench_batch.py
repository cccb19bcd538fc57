"""One day's slate two ways: the replaced system's access pattern against this project's.

(a) The old pattern, per pitcher AND per system: one feature query, one IL lookup and one
    line query, then a one-row prediction (9 queries per starter for 3 systems).
(b) This project's path: the feature, roster and line source queries once each for the whole
    window, then every system vectorised over the shared frame (3 queries in all).

Both run the production SQL (mlb_assets/sql/sources/*.sql) on the seeded demo warehouse; (a)
adds a pitcher filter to it (bound as a parameter) and nothing else, so the two return the same
rows. Repeated at about 300 and 3,000 starters (real starters of consecutive dates from --date
on, not copies, so the shared queries really grow) to show how each path scales. The query
counts also give a BigQuery projection: queries x --bq-latency-s.

Run: .venv/bin/python benchmarks/bench_batch.py [--quick]
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import benchargs


def main(argv: Sequence[str] | None = None) -> int:
    """Parse first, so --help answers before the heavy imports of run_batch."""
    args = benchargs.batch(__doc__ or "", argv)
    import run_batch

    return run_batch.main(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
