"""Shared fixtures: real DuckDB warehouses seeded with the demo seasons, copied per test.

Building a seeded warehouse (and one with features and models materialized) takes seconds,
so each is built once per test session — once across pytest-xdist workers, under a file
lock — and every test works on its own copy.

The tests that read the UI share one `dagster dev` (`ui_server`). Under pytest-xdist they are
scheduled as one unit on one worker (`pytest_xdist_make_scheduler` below), so that one worker
starts it rather than each worker starting its own.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from dagster import Definitions
from filelock import FileLock, Timeout

from mlb_assets.config import MLBConfig
from mlb_assets.definitions import build_definitions
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.model_store import ModelStore
from mlb_assets_tests.bounds import PROCESS_BOUND_SECONDS

# Dates the prepared warehouse has models for (walk-forward months 2019-05 and 2019-06).
PREPARED_MODEL_MONTHS = ("2019-05-01", "2019-06-01")
# The demo season's first date (the default first partition) to the end of June.
FEATURES_START, FEATURES_END = "2019-03-28", "2019-06-30"
# Tests that cross the off-season or read 2018 partition it from the first demo season.
BOTH_SEASONS = {"partitions_start": date(2018, 3, 29)}


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every xdist worker of this session sees (the parent of the per-worker temp)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base
    shared = root / "mlb-shared"
    shared.mkdir(exist_ok=True)
    return shared


# Written last into a shared folder, before it is renamed into place: a folder without it was
# never finished and is never used.
READY_MARKER = ".mlb-shared-ready"


def _build_once(shared: Path, name: str, build: Callable[[Path], None]) -> Path:
    """`shared / name`, built by `build` once for every xdist worker of the session.

    The first worker to take the lock builds into a private staging folder, writes the marker
    and renames the folder into place (atomic on one file system); the others wait on the lock
    and then find it ready. A build that fails leaves nothing under `name` — the next worker
    builds afresh rather than copying a half-built warehouse — and a wait on a build that hangs
    ends after the shared bound, saying what it waited for.
    """
    target = shared / name
    lock_path = shared / f"{name}.lock"
    try:
        with FileLock(str(lock_path), timeout=PROCESS_BOUND_SECONDS):
            if not (target / READY_MARKER).exists():
                shutil.rmtree(target, ignore_errors=True)
                staging = Path(tempfile.mkdtemp(prefix=f".{name}-building-", dir=shared))
                try:
                    build(staging)
                    (staging / READY_MARKER).touch()
                    staging.rename(target)
                finally:
                    shutil.rmtree(staging, ignore_errors=True)
    except Timeout as exc:
        raise RuntimeError(
            f"waited {PROCESS_BOUND_SECONDS} s for another pytest-xdist worker to build the "
            f"shared {name} folder {target} (lock {lock_path}): is that build hung?"
        ) from exc
    return target


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo warehouse (seed 7): migrations applied, sources filled, nothing materialized."""
    from mlb_assets_demo.seed import seed_demo_warehouse

    def build(target: Path) -> None:
        seed_demo_warehouse(MLBConfig(), seed=7, path=str(target / "warehouse.duckdb"))

    return _build_once(_shared_dir(tmp_path_factory), "seeded", build)


@pytest.fixture(scope="session")
def prepared_dir(tmp_path_factory: pytest.TempPathFactory, seeded_dir: Path) -> Path:
    """The seeded warehouse with features, roster and lines for 2018-03-29..2019-06-30 and the
    walk-forward models of May and June 2019."""
    from mlb_assets_demo.runs import materialize_range

    def build(target: Path) -> None:
        shutil.copy(seeded_dir / "warehouse.duckdb", target / "warehouse.duckdb")
        defs = defs_for(target)
        materialize_range(
            defs, ["feature_store_slice", "il_roster", "prop_lines"], FEATURES_START, FEATURES_END
        )
        materialize_range(defs, ["strikeout_models"], *PREPARED_MODEL_MONTHS)

    return _build_once(_shared_dir(tmp_path_factory), "prepared", build)


def _use_copy(source: Path, tmp_path: Path) -> Path:
    work = tmp_path / "mlb"
    shutil.copytree(source, work, ignore=shutil.ignore_patterns(READY_MARKER))
    return work


def config_for(work: Path, **settings: Any) -> MLBConfig:
    """The configuration of a test: its own warehouse copy and models, plus `settings`."""
    return MLBConfig(
        duckdb_path=str(work / "warehouse.duckdb"), model_store=str(work / "models"), **settings
    )


def defs_for(work: Path, **settings: Any) -> Definitions:
    """The code location as it loads with `config_for(work, **settings)`."""
    return build_definitions(config_for(work, **settings))


def env_for(work: Path) -> dict[str, str]:
    """The environment a command (in-process or a real process) needs to use a test's copy."""
    return {
        "MLB_DUCKDB_PATH": str(work / "warehouse.duckdb"),
        "MLB_MODEL_STORE": str(work / "models"),
    }


@pytest.fixture
def seeded(seeded_dir: Path, tmp_path: Path) -> Path:
    """This test's own copy of the seeded warehouse folder."""
    return _use_copy(seeded_dir, tmp_path)


@pytest.fixture
def prepared(prepared_dir: Path, tmp_path: Path) -> Path:
    """This test's own copy of the prepared warehouse and models."""
    return _use_copy(prepared_dir, tmp_path)


def resources_for(work: Path) -> dict[str, Any]:
    """Dagster resources bound to a test's warehouse copy and model folder."""
    return {
        "warehouse": DuckDBWarehouse(path=str(work / "warehouse.duckdb")),
        "model_store": ModelStore(root=str(work / "models")),
    }


def summaries(result: Any) -> dict[str, dict[str, Any]]:
    """Per asset, the run's totals (see `run_totals`)."""
    from mlb_assets_demo.runs import run_totals

    return run_totals(result)


def per_partition(result: Any, asset: str) -> dict[str, dict[str, Any]]:
    """Each partition's own materialization metadata, by partition key."""
    return {
        event.partition: _values(event.materialization.metadata)
        for event in result.get_asset_materialization_events()
        if event.asset_key.to_user_string() == asset
    }


def run_checks(result: Any) -> dict[tuple[str, str], Any]:
    """Each check's evaluation for the whole run (partition None in a range run)."""
    found: dict[tuple[str, str], Any] = {}
    for evaluation in result.get_asset_check_evaluations():
        key = (evaluation.asset_key.to_user_string(), evaluation.check_name)
        if key not in found or evaluation.partition is None:
            found[key] = evaluation
    return found


def partition_checks(result: Any) -> dict[tuple[str, str, str], Any]:
    """Each check's evaluation per partition: (asset, check, partition) -> evaluation."""
    return {
        (e.asset_key.to_user_string(), e.check_name, e.partition): e
        for e in result.get_asset_check_evaluations()
        if e.partition is not None
    }


def _values(metadata: Any) -> dict[str, Any]:
    return {k: v.value for k, v in metadata.items()}


def query_copy(work: Path, sql: str, **params: Any) -> pd.DataFrame:
    """One query against a test's warehouse copy, the connection closed again at once (a
    DuckDB file takes one writer: runs that follow must be able to open it)."""
    wh = DuckDBWarehouse(path=str(work / "warehouse.duckdb"))
    try:
        return wh.query_text(sql, params)
    finally:
        wh.close()


@pytest.fixture
def warehouse(seeded: Path) -> Iterator[DuckDBWarehouse]:
    wh = DuckDBWarehouse(path=str(seeded / "warehouse.duckdb"))
    yield wh
    wh.close()


@pytest.fixture(autouse=True, scope="session")
def _dagster_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Dagster commands run by tests keep their instance out of the checkout."""
    import os

    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    yield
    if previous is None:
        os.environ.pop("DAGSTER_HOME", None)
    else:
        os.environ["DAGSTER_HOME"] = previous


# The test files whose tests use `ui_server`; under xdist they run as one unit on one worker.
UI_TEST_FILES = frozenset({"test_webserver.py", "test_ui_browser.py"})


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's default `load` scheduling, except that the UI tests are one unit of work.

    Otherwise each worker that draws a UI test starts its own `dagster dev` (about 40 s of CPU
    and 770 MB each on a quiet machine). `--dist loadgroup` with an `xdist_group` mark would say
    the same, but xdist 3.8 cannot group under pytest 9.2 (it renames `item._nodeid`, which
    pytest 9.2 no longer reads: pytest-dev/pytest-xdist#1386), so the group is named here by
    file. The largest unit goes first, so the UI tests start at once. Other `--dist` modes are
    left to xdist.
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class UITestsTogether(LoadScopeScheduling):
        """One test per unit of work, like `load`, but the UI test files form one unit."""

        def _split_scope(self, nodeid: str) -> str:
            return "ui" if Path(nodeid.split("::", 1)[0]).name in UI_TEST_FILES else nodeid

    return UITestsTogether(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test elsewhere that uses `ui_server` would start a second `dagster dev` under xdist:
    say so, naming where to list it."""
    for item in items:
        if "ui_server" in getattr(item, "fixturenames", ()) and item.path.name not in UI_TEST_FILES:
            item.warn(
                pytest.PytestWarning(
                    f"{item.path.name} uses ui_server but is not in UI_TEST_FILES "
                    "(mlb_assets_tests/conftest.py): under xdist it may start a second dagster dev"
                )
            )


# The UI tests' range: two weeks, the last partition of the code location they serve, so plots
# over the latest partitions show it.
UI_START, UI_END = "2019-05-25", "2019-06-07"


@pytest.fixture(scope="session")
def ui_server(
    prepared_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, Path]]:
    """`dagster dev` over a copy of the prepared warehouse with two weeks of every daily asset
    (the slate and its grades) materialized in its instance: one server for every test that
    reads the UI. The instance has the demo's settings (`make demo`'s queue and run
    monitoring, Dagster's own storage)."""
    import os
    import socket

    from dagster import AssetKey, DagsterInstance

    from mlb_assets.schedules import DAILY_SELECTION
    from mlb_assets_demo.home import DEMO_INSTANCE_YAML
    from mlb_assets_demo.runs import materialize_range
    from mlb_assets_demo.ui import DagsterDev

    root = tmp_path_factory.mktemp("ui")
    work = _use_copy(prepared_dir, root)
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(DEMO_INSTANCE_YAML)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, **env_for(work), "MLB_PARTITIONS_END": UI_END}
    server = DagsterDev(
        home=home,
        port=port,
        log_path=root / "dagster-dev.log",
        cwd=root,  # not the checkout: dagster dev finds the code location as a module
        env=env,
    )
    # Dagster's SQLite storages create their schemas on first use: two processes doing it at
    # once can both try ("table alembic_version already exists"), so this one goes first, as
    # `make demo` opens its instance before starting dagster dev.
    with DagsterInstance.from_config(str(home)) as instance:
        instance.get_runs(limit=1)
        instance.fetch_materializations(AssetKey("feature_store_slice"), limit=1)
        instance.all_instigator_state()
    # dagster dev loads while the two weeks are materialized, as `make demo` starts it while
    # seeding: loading the code location opens no warehouse, and the instance takes both.
    server.start()
    try:
        settings = {"partitions_end": date.fromisoformat(UI_END)}
        with DagsterInstance.from_config(str(home)) as instance:
            result = materialize_range(
                defs_for(work, **settings), DAILY_SELECTION, UI_START, UI_END, instance=instance
            )
            assert result.success
            grades = materialize_range(
                defs_for(work, **settings),
                ["prediction_grades"],
                UI_START,
                UI_END,
                instance=instance,
            )
            assert grades.success
        server.wait_ready()
        yield server, work
    finally:
        server.stop()
