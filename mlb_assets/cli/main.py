"""The `mlb-assets` command: demo warehouse, migrations, single-pitcher predictions.

Errors the user can fix (bad input, bad configuration) print one line on stderr and exit 2;
a traceback is never the only message.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from mlb_assets.errors import UsageError

if TYPE_CHECKING:
    from mlb_assets.config import MLBConfig


def _progress(message: str) -> None:
    print(message, flush=True)


def cmd_migrate(args: argparse.Namespace, config: MLBConfig) -> int:
    from mlb_assets.cli.migrate import migrate_command

    return migrate_command(args, config, _progress)


DEMO_MISSING = (
    "the demo is not installed: run `make demo` from a source checkout, or pip install ./demo"
)


@contextlib.contextmanager
def demo_installed() -> Iterator[None]:
    """Around the demo's imports: the demo is a distribution of its own (./demo) that the
    production image never installs, so its absence is the user's to fix, said in one line."""
    try:
        yield
    except ModuleNotFoundError as exc:
        if exc.name != "mlb_assets_demo":  # a module the installed demo needs: a real fault
            raise
        raise UsageError(DEMO_MISSING) from None


def cmd_demo_seed(args: argparse.Namespace, config: MLBConfig) -> int:
    with demo_installed():
        from mlb_assets_demo.reference import DEFAULT_SEASONS
        from mlb_assets_demo.seed import seed_demo_warehouse

    summary = seed_demo_warehouse(
        config,
        seed=args.seed,
        progress=_progress,
        refuse_materialized=not args.force,
        seasons=args.seasons or DEFAULT_SEASONS,
    )
    for key, value in summary.items():
        print(f"  {key:<32} {value}")
    return 0


def cmd_demo_run(args: argparse.Namespace, config: MLBConfig) -> int:
    with demo_installed():
        from mlb_assets_demo.pipeline import run_demo

    return run_demo(
        config, seed=args.seed, reseed=args.reseed, ui=not args.no_ui, progress=_progress
    )


def cmd_accuracy(args: argparse.Namespace, config: MLBConfig) -> int:
    from mlb_assets.cli.accuracy import accuracy_table

    print(accuracy_table(config, args.start, args.end))
    return 0


def cmd_predict(args: argparse.Namespace, config: MLBConfig) -> int:
    from mlb_assets.cli.predict import predict_command

    return predict_command(args, config)


def cmd_slate(args: argparse.Namespace, config: MLBConfig) -> int:
    from mlb_assets.cli.slate import slate_command

    print(slate_command(args, config))
    return 0


def cmd_report(args: argparse.Namespace, config: MLBConfig) -> int:
    from mlb_assets.cli.report import report_command

    print(f"wrote {report_command(args, config)}")
    return 0


SEASONS_FORMAT = "a season (2019), a range (2010-2019) or a comma list of them (2010,2015-2019)"


def season_list(text: str) -> tuple[int, ...]:
    """`--seasons`: '2010-2019', '2018,2019' or a mix, as the sorted seasons.

    Only the form is checked here, before any heavy import; whether the demo has data for
    each season is the seed's to say (it knows the shipped seasons).
    """
    seasons: set[int] = set()
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if match is None or int(match[2] or match[1]) < int(match[1]):
            raise argparse.ArgumentTypeError(f"{text!r} is not {SEASONS_FORMAT}")
        seasons.update(range(int(match[1]), int(match[2] or match[1]) + 1))
    return tuple(sorted(seasons))


class OneLineParser(argparse.ArgumentParser):
    """Usage errors in one line, like every other error of the command.

    And a negative number in exponent form (`--over-odds -1e11`) is read as a value, as `-110`
    already is, so an impossible price reaches the check that says what is allowed instead of
    "expected one argument".
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.I)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="mlb-assets",
        description="MLB starting-pitcher strikeout predictions as a Dagster asset graph.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    migrate = sub.add_parser("migrate", help="create or update every table and view")
    migrate.add_argument("--warehouse", choices=["duckdb", "bigquery"])
    migrate.add_argument(
        "--dry-run", action="store_true", help="print the DDL instead of running it"
    )
    migrate.set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="the embedded DuckDB demo warehouse")
    demo_sub = demo.add_subparsers(dest="demo_command", required=True)
    seed = demo_sub.add_parser(
        "seed", help="fill the DuckDB warehouse with 2018 and 2019 (or --seasons)"
    )
    seed.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    seed.add_argument(
        "--seasons",
        type=season_list,
        help=f"the seasons to build: {SEASONS_FORMAT}; the demo has 2010-2019 (default: 2018 "
        "and 2019, the history and the predicted season of the default partitions)",
    )
    seed.add_argument(
        "--force",
        action="store_true",
        help="replace a warehouse holding materialized tables or models (says what it removes)",
    )
    seed.set_defaults(func=cmd_demo_seed)
    run = demo_sub.add_parser(
        "run", help="seed if needed, materialize everything, then start the Dagster UI"
    )
    run.add_argument("--seed", type=int, default=7)
    run.add_argument("--reseed", action="store_true", help="rebuild the demo warehouse")
    run.add_argument(
        "--no-ui", action="store_true", help="stop after materializing (implied by CI=true)"
    )
    run.set_defaults(func=cmd_demo_run)

    accuracy = sub.add_parser(
        "accuracy", help="walk-forward accuracy of each system against actual strikeouts"
    )
    accuracy.add_argument("--start", default="2019-03-01", help="first game date (YYYY-MM-DD)")
    accuracy.add_argument("--end", default="2019-10-31", help="last game date (YYYY-MM-DD)")
    accuracy.set_defaults(func=cmd_accuracy)

    predict = sub.add_parser("predict", help="predict one pitcher's strikeouts on one date")
    predict.add_argument("--pitcher", required=True, help="pitcher key or name, e.g. gerrit_cole")
    predict.add_argument("--date", required=True, help="game date, YYYY-MM-DD")
    # Checked by the command (mlb_assets/cli/inputs.py), which names what is allowed.
    predict.add_argument("--line", help="strikeout line, e.g. 7.5")
    predict.add_argument("--over-odds", help="American odds, e.g. -115")
    predict.add_argument("--under-odds", help="American odds, e.g. +105")
    predict.add_argument(
        "--features-json", help="only these features, e.g. '{\"k_avg_last_3\": 7.2}'"
    )
    predict.add_argument(
        "--system", choices=["v1_baseline", "v1_6_rolling", "ensemble_v1"], action="append"
    )
    predict.set_defaults(func=cmd_predict)

    slate = sub.add_parser(
        "slate", help="one day's picks from the warehouse, as a bettor reads them"
    )
    slate.add_argument("--date", required=True, help="game date, YYYY-MM-DD")
    slate.add_argument("--system", choices=["v1_baseline", "v1_6_rolling", "ensemble_v1"])
    slate.add_argument("--format", choices=["table", "csv", "json"], default="table")
    slate.set_defaults(func=cmd_slate)

    report = sub.add_parser(
        "report", help="a self-contained HTML page: slate, equity curves, calibration, CLV"
    )
    report.add_argument("--start", required=True, help="first game date (YYYY-MM-DD)")
    report.add_argument("--end", required=True, help="last game date (YYYY-MM-DD)")
    report.add_argument("--out", required=True, help="the HTML file to write, e.g. report.html")
    report.set_defaults(func=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Arguments first: `--help` and usage errors answer before the heavy imports below.
    args = build_parser().parse_args(argv)
    from mlb_assets.config import ConfigError, MLBConfig
    from mlb_assets.resources.errors import WarehouseSetupError

    func: Callable[[argparse.Namespace, MLBConfig], int] = args.func
    try:
        # Settings are read once, here, and handed to the command.
        return func(args, MLBConfig.from_env())
    except (UsageError, ConfigError, WarehouseSetupError) as exc:
        print(f"mlb-assets: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
