"""Shared fixtures: real DuckDB warehouses seeded with the demo seasons, copied per test.

Building a seeded warehouse (and one with features and models materialized) takes seconds,
so each is built once per test session — once across pytest-xdist workers, under a file
lock — and every test works on its own copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from filelock import FileLock

from mlb_assets.config import load_config
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.model_store import ModelStore

# Dates the prepared warehouse has models for (walk-forward months 2019-05 and 2019-06).
PREPARED_MODEL_MONTHS = ("2019-05-01", "2019-06-01")
FEATURES_START, FEATURES_END = "2018-03-29", "2019-06-30"


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every xdist worker of this session sees (the parent of the per-worker temp)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base
    shared = root / "mlb-shared"
    shared.mkdir(exist_ok=True)
    return shared


def _build_once(shared: Path, name: str, build: Any) -> Path:
    target = shared / name
    with FileLock(str(shared / f"{name}.lock")):
        if not (target / "done").exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            build(target)
            (target / "done").touch()
    return target


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo warehouse (seed 7): migrations applied, sources filled, nothing materialized."""
    from mlb_assets.demo.seed import seed_demo_warehouse

    def build(target: Path) -> None:
        seed_demo_warehouse(seed=7, path=str(target / "warehouse.duckdb"))

    return _build_once(_shared_dir(tmp_path_factory), "seeded", build)


@pytest.fixture(scope="session")
def prepared_dir(tmp_path_factory: pytest.TempPathFactory, seeded_dir: Path) -> Path:
    """The seeded warehouse with features, roster and lines for 2018-03-29..2019-06-30 and the
    walk-forward models of May and June 2019."""
    from mlb_assets.definitions import defs
    from mlb_assets.runs import materialize_range

    def build(target: Path) -> None:
        shutil.copy(seeded_dir / "warehouse.duckdb", target / "warehouse.duckdb")
        resources = {
            "warehouse": DuckDBWarehouse(path=str(target / "warehouse.duckdb")),
            "model_store": ModelStore(root=str(target / "models")),
        }
        materialize_range(
            defs,
            ["feature_store_slice", "il_roster", "prop_lines"],
            FEATURES_START,
            FEATURES_END,
            resources=resources,
        )
        materialize_range(defs, ["strikeout_models"], *PREPARED_MODEL_MONTHS, resources=resources)
        resources["warehouse"].close()

    return _build_once(_shared_dir(tmp_path_factory), "prepared", build)


def _use_copy(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "mlb"
    shutil.copytree(source, work, ignore=shutil.ignore_patterns("done", "*.lock"))
    monkeypatch.setenv("MLB_DUCKDB_PATH", str(work / "warehouse.duckdb"))
    monkeypatch.setenv("MLB_MODEL_STORE", str(work / "models"))
    load_config.cache_clear()
    return work


@pytest.fixture
def seeded(seeded_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This test's own copy of the seeded warehouse folder; MLB_DUCKDB_PATH points at it."""
    yield _use_copy(seeded_dir, tmp_path, monkeypatch)
    load_config.cache_clear()


@pytest.fixture
def prepared(prepared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This test's own copy of the prepared warehouse and models."""
    yield _use_copy(prepared_dir, tmp_path, monkeypatch)
    load_config.cache_clear()


def resources_for(work: Path) -> dict[str, Any]:
    """Dagster resources bound to a test's warehouse copy and model folder."""
    return {
        "warehouse": DuckDBWarehouse(path=str(work / "warehouse.duckdb")),
        "model_store": ModelStore(root=str(work / "models")),
    }


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
