"""What the three benchmarks share: the prepared demo warehouse, the timing and the tables.

They share it so that their ratios are comparable: every script measures on the same seeded
demo warehouse (seed 7) with walk-forward models trained by the project's own
`strikeout_models` asset, and every figure is the median of interleaved repetitions taken
after a warm-up, on this machine, in one process.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import dagster
import duckdb
import pandas as pd
import xgboost
from dagster import Definitions

from mlb_assets.config import MLBConfig
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.model_store import ModelStore
from mlb_assets.resources.reads import season_bounds as season_bounds_of
from mlb_assets.systems import MODEL_FEATURES, LoadedModel
from mlb_assets_demo.home import DEMO_INSTANCE_YAML
from mlb_assets_demo.seed import seed_demo_warehouse

# The code location uses beta and preview features on purpose (single-run backfill policies,
# partitioned check specs); their warnings, repeated each time the definitions are built, would
# bury the progress lines. The test suite filters the same two (pyproject.toml).
warnings.filterwarnings("ignore", category=dagster.BetaWarning)
warnings.filterwarnings("ignore", category=dagster.PreviewWarning)

DEMO_SEED = 7
WAREHOUSE_FILE = "warehouse.duckdb"
MODELS_DIR = "models"


def log(message: str) -> None:
    """Progress goes to stderr so stdout holds only the tables (pasteable into RESULTS.md)."""
    print(message, file=sys.stderr, flush=True)


def machine() -> str:
    """The facts a reader needs to compare our figures with theirs."""
    cpu = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores ({cpu}); Python {platform.python_version()}, "
        f"Dagster {dagster.__version__}, DuckDB {duckdb.__version__}, "
        f"XGBoost {xgboost.__version__}, pandas {pd.__version__}"
    )


@contextlib.contextmanager
def dagster_console_to_devnull() -> Iterator[None]:
    """Drop the default console logger's output (one line per event) during Dagster runs.

    The logger still formats every event, so its cost stays in the timings; only the
    thousands of lines that would drown the tables are discarded.
    """
    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
        yield


@dataclass(frozen=True)
class Prepared:
    """A demo warehouse to copy from and the model store the predictions read."""

    warehouse: Path
    models: Path
    # Seeded by this run, so the models it lacks may be trained into it; a --prepared folder
    # is only read.
    trainable: bool

    def fresh_copy(self, target: Path) -> Path:
        """Each variant writes to its own copy, so neither benefits from the other's rows."""
        shutil.copyfile(self.warehouse, target)
        return target

    def model_store(self) -> ModelStore:
        return ModelStore(root=str(self.models))

    def connect(self) -> DuckDBWarehouse:
        return DuckDBWarehouse(path=str(self.warehouse))

    def definitions(self) -> Definitions:
        """The code location as it loads on this warehouse and model store."""
        from mlb_assets.definitions import build_definitions

        return build_definitions(
            MLBConfig(duckdb_path=str(self.warehouse), model_store=str(self.models))
        )


def persistent_instance(home: Path) -> dagster.DagsterInstance:
    """A new Dagster instance on disk in `home`, as `make demo`'s dagster dev keeps one (the
    demo's settings: Dagster's own SQLite storage)."""
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text(DEMO_INSTANCE_YAML)
    return dagster.DagsterInstance.from_config(str(home))


def month_key(day: date) -> str:
    return day.strftime("%Y-%m")


def prepare(workdir: Path, prepared: Path | None) -> Prepared:
    """The seeded demo warehouse: `prepared`'s (a folder holding warehouse.duckdb and models/,
    as the test suite's `prepared_dir` fixture leaves it), or a new one in `workdir`."""
    if prepared is not None:
        return Prepared(prepared / WAREHOUSE_FILE, prepared / MODELS_DIR, trainable=False)
    ready = Prepared(workdir / WAREHOUSE_FILE, workdir / MODELS_DIR, trainable=True)
    log(f"seeding the demo warehouse (seed {DEMO_SEED}) in {workdir}")
    seed_demo_warehouse(MLBConfig(), seed=DEMO_SEED, path=str(ready.warehouse))
    return ready


def train_models(ready: Prepared, months: Sequence[date]) -> None:
    """The walk-forward models of `months`, trained by the real assets (`feature_store_slice`
    for the history, then `strikeout_models`), so the benchmarks predict with exactly the
    models production would use. A --prepared folder must already hold them."""
    if ready.trainable:
        from mlb_assets_demo.runs import materialize_range

        first, last = min(months), max(months)
        defs = ready.definitions()
        resources = {"warehouse": ready.connect(), "model_store": ready.model_store()}
        log(f"training the models of {month_key(first)}..{month_key(last)} (not timed)")
        with dagster_console_to_devnull():
            materialize_range(
                defs,
                ["feature_store_slice"],
                MLBConfig().partitions_start,
                last - timedelta(days=1),
                resources=resources,
            )
            materialize_range(defs, ["strikeout_models"], first, last, resources=resources)
    require_models(ready.model_store(), [month_key(m) for m in months])


def require_models(store: ModelStore, months: Sequence[str]) -> None:
    """A missing model would turn the benchmark into a benchmark of the fallback."""
    for month in months:
        for system_id, features in MODEL_FEATURES.items():
            error = store.load(system_id, month, features).load_error
            if error:
                raise SystemExit(
                    f"no usable {system_id} model for {month} in {store.root}: {error}"
                )


def load_models(prepared: Prepared, day: date) -> dict[str, LoadedModel]:
    """Both systems' models of `day`'s month, loaded once, outside every timing."""
    store = prepared.model_store()
    return {
        sid: store.load(sid, month_key(day), features) for sid, features in MODEL_FEATURES.items()
    }


def season_bounds(warehouse: DuckDBWarehouse, day: date) -> tuple[date, date]:
    """First and last scheduled date of `day`'s season."""
    return next(
        (first, last) for season, first, last in season_bounds_of(warehouse) if season == day.year
    )


def interleaved(variants: dict[str, Callable[[], object]], reps: int) -> dict[str, list[float]]:
    """Wall times of `reps` rounds, alternating the order (A B, B A, ...) so that a neighbour's
    load on this shared machine, or a warming cache, falls on both variants alike."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for rep in range(reps):
        for name in names if rep % 2 == 0 else reversed(names):
            started = time.perf_counter()
            variants[name]()
            times[name].append(time.perf_counter() - started)
    return times


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float]) -> str:
    """min..max of the repetitions, so a reader can see how noisy the median is."""
    return f"{min(values):.3g}..{max(values):.3g}"


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A Markdown table on stdout: readable in a terminal, pasteable into the README."""
    print(f"\n### {title}\n")
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---:" if i else "---" for i in range(len(headers))) + "|")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print(flush=True)
