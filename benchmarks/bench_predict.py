"""Vectorised prediction of all three systems against a per-row loop, at 100 to 5,000 rows.

Both variants call the same `run_systems` with the same real XGBoost models (the
walk-forward models of --date's month, trained on the demo seasons by the project's own
asset); the loop calls it on one-row frames, as a system that predicts pitcher by pitcher
does. Rows are real starters of the demo season (repeated when more are asked for than the
season has). Nothing is cached between the variants: each call starts from the raw frame.

Run: .venv/bin/python benchmarks/bench_predict.py [--quick]
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import benchargs


def main(argv: Sequence[str] | None = None) -> int:
    """Parse first, so --help answers before the heavy imports of run_predict."""
    args = benchargs.predict(__doc__ or "", argv)
    import run_predict

    return run_predict.main(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
