"""The package works installed from its wheel, as the image installs it, with no checkout near.

An editable install finds anything the repository holds, so it hides a file the wheel leaves
out (the SQL is package data) and any path computed from the repository's layout. Here the
wheel is built offline from a copy of the sources, installed into a fresh venv (its
dependencies borrowed from the test venv, so nothing is downloaded) and run from a directory
outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import sysconfig
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.sql import sql_names
from mlb_assets.resources.table_schemas import catalogue
from mlb_assets_tests.bounds import run_bounded
from mlb_assets_tests.conftest import query_copy

REPO = Path(__file__).resolve().parents[1]
DAY = date(2019, 6, 1)

# Run by the installed interpreter. With a date argument it also materializes that date of the
# feature slice on the warehouse MLB_DUCKDB_PATH names, as the code location would.
PROBE = """
import json, sys
import mlb_assets, mlb_assets.definitions
from mlb_assets.resources.sql import SQL_ROOT, sql_names

found = {
    "package": mlb_assets.__file__,
    "sql_root": str(SQL_ROOT),
    "sql_names": sql_names(),
    "sys_path": sys.path,
    "demo_modules": sorted(m for m in sys.modules if "demo" in m),
}
if len(sys.argv) > 1:
    from dagster import materialize

    defs = mlb_assets.definitions.defs
    result = materialize(
        list(defs.assets),
        selection=["feature_store_slice"],
        resources=defs.resources,
        partition_key=sys.argv[1],
    )
    found["success"] = result.success
    found["demo_modules_after_run"] = sorted(m for m in sys.modules if "demo" in m)
print(json.dumps(found))
"""


class Installed:
    """A venv holding the installed wheel, and a directory outside the checkout to run in."""

    def __init__(self, venv: Path, site: Path, elsewhere: Path) -> None:
        self.venv, self.site, self.elsewhere = venv, site, elsewhere

    def run(self, args: list[str], what: str, **env: str) -> Any:
        environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        done = run_bounded(args, what, cwd=self.elsewhere, env={**environ, **env})
        assert done.returncode == 0, done.stderr[-3000:]
        return done

    def probe(self, *args: str, **env: str) -> dict[str, Any]:
        python = str(self.venv / "bin" / "python")
        done = self.run([python, "-W", "ignore", "-c", PROBE, *args], "the installed probe", **env)
        return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("installed")
    # The build writes build/ and *.egg-info beside its sources: build a copy, not the checkout.
    source = root / "source"
    shutil.copytree(
        REPO / "mlb_assets",
        source / "mlb_assets",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    dist = root / "dist"
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist)]
    assert run_bounded([*build, str(source)], "pip wheel").returncode == 0
    (wheel,) = dist.glob("mlb_assets-*.whl")

    venv = root / "venv"
    made = run_bounded([sys.executable, "-m", "venv", "--without-pip", str(venv)], "venv")
    assert made.returncode == 0, made.stderr
    python = str(venv / "bin" / "python")
    into = [*pip, "--python", python, "install", "--no-deps", "--no-index", str(wheel)]
    done = run_bounded(into, "pip install")
    assert done.returncode == 0, done.stderr[-3000:]
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run_bounded([python, "-c", where], "purelib").stdout.strip())
    # A plain path line: the test venv's packages become importable, but its own .pth files
    # (the editable install's finder among them) are not run.
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "dependencies-of-the-test-venv.pth").write_text("\n".join(sorted(ours)) + "\n")
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    return Installed(venv, site, elsewhere)


@pytest.mark.slow
def test_the_installed_code_location_loads_its_own_sql_and_no_demo(installed: Installed) -> None:
    found = installed.probe()
    assert Path(found["package"]) == installed.site / "mlb_assets" / "__init__.py"
    assert Path(found["sql_root"]) == installed.site / "mlb_assets" / "sql"
    assert found["sql_names"] == sql_names() and "reads/window.sql" in found["sql_names"]
    searched = {(installed.elsewhere / entry).resolve() for entry in found["sys_path"]}
    assert REPO not in searched and installed.elsewhere in searched
    assert found["demo_modules"] == []


def _copy_sources(seeded: Path, fresh: Path) -> int:
    """The demo's source rows, written into the warehouse the installed migrations made with
    the warehouse's own table writer; returns how many rows."""
    target = DuckDBWarehouse(path=str(fresh / "warehouse.duckdb"))
    try:
        return sum(
            target.overwrite_table(table.name, query_copy(seeded, f"SELECT * FROM {table.name}"))
            for table in catalogue().values()
            if table.kind == "TABLE" and table.is_source
        )
    finally:
        target.close()


@pytest.mark.slow
def test_the_installed_package_migrates_a_warehouse_and_materializes_a_date(
    installed: Installed, seeded: Path, tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh"
    env = {
        "MLB_DUCKDB_PATH": str(fresh / "warehouse.duckdb"),
        "MLB_MODEL_STORE": str(fresh / "models"),
    }
    migrate = [str(installed.venv / "bin" / "mlb-assets"), "migrate"]
    assert "migrations applied" in installed.run(migrate, "installed migrate", **env).stdout
    assert _copy_sources(seeded, fresh) > 0

    found = installed.probe(DAY.isoformat(), **env)
    assert found["success"] and found["demo_modules_after_run"] == []
    written = query_copy(
        fresh,
        "SELECT COUNT(*) AS n FROM mlb_precompute.feature_store_slice WHERE game_date = @d",
        d=DAY,
    )["n"][0]
    starters = query_copy(
        fresh,
        "SELECT COUNT(DISTINCT pitcher_lookup) AS n FROM mlb_precompute.scheduled_starters "
        "WHERE game_date = @d",
        d=DAY,
    )["n"][0]
    assert written == starters > 0
