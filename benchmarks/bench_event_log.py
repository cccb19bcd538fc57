"""The demo instance's event log against Dagster's own: the same range run on both.

`make demo` runs on a persistent local instance, where every Dagster event is a write to
SQLite. This runs the daily slate (features, roster, lines, the three systems' predictions and
the coverage report, with their per-date metadata and check evaluations) over --dates dates
as ONE run, interleaved, on two fresh instances that differ only in the event log: Dagster's
`SqliteEventLogStorage` (a new engine, connection and fsync for every write) and the demo's
`PooledSqliteEventLogStorage` (one open engine per file, WAL with synchronous=NORMAL). Both
write the same files; the table gives seconds, events and milliseconds per event.

Run: .venv/bin/python benchmarks/bench_event_log.py [--dates 14] [--quick]
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import benchargs


def main(argv: Sequence[str] | None = None) -> int:
    """Parse first, so --help answers before the heavy imports of run_event_log."""
    args = benchargs.event_log(__doc__ or "", argv)
    import run_event_log

    return run_event_log.main(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
