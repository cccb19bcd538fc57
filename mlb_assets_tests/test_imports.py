"""What starting a process imports: the fast entry points stay light, DuckDB loads no BigQuery.

Checked through `sys.modules` in a fresh interpreter, never a wall-clock limit (the machine is
shared). `--help` must not wait for dagster and pandas (about 8 s of imports here), and the
code location on DuckDB must not load the Google clients it never calls.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import pytest

from mlb_assets_tests.bounds import run_bounded

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
HEAVY = ("pandas", "dagster")

# Runs an entry point's --help in-process, then prints which modules it loaded.
HELP_PROBE = """
import json, os, runpy, sys
target, entry = sys.argv[1], sys.argv[2]
sys.argv = [target, "--help"]
try:
    if entry == "script":
        sys.path.insert(0, os.path.dirname(target))
        runpy.run_path(target, run_name="__main__")
    else:
        from mlb_assets.cli import main
        main(["--help"])
except SystemExit as exc:
    code = exc.code
else:
    code = None
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_after_help(target: str, entry: str) -> tuple[object, set[str]]:
    """(exit code, modules loaded) of `target --help` run in a fresh interpreter."""
    result = run_bounded([sys.executable, "-c", HELP_PROBE, target, entry], f"{target} --help")
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return answer["code"], set(answer["modules"])


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


@pytest.mark.parametrize("script", sorted(p.name for p in BENCHMARKS.glob("bench_*.py")))
def test_benchmark_help_imports_neither_pandas_nor_dagster(script: str) -> None:
    code, modules = loaded_after_help(str(BENCHMARKS / script), "script")
    assert code == 0
    assert "argparse" in modules
    assert heavy_in(modules) == []


def test_cli_help_imports_neither_pandas_nor_dagster() -> None:
    code, modules = loaded_after_help("mlb-assets", "cli")
    assert code == 0
    assert "mlb_assets.cli" in modules
    assert heavy_in(modules) == []


@functools.cache
def code_location_modules() -> frozenset[str]:
    """The modules loaded by loading the code location on DuckDB, in a fresh interpreter
    (once for the tests below)."""
    probe = (
        "import json, sys, mlb_assets.definitions as d; d.defs; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    env = {**os.environ, "MLB_WAREHOUSE": "duckdb"}
    result = run_bounded(
        [sys.executable, "-W", "ignore", "-c", probe], "import definitions", env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    modules = frozenset(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "mlb_assets.definitions" in modules
    return modules


def test_the_duckdb_code_location_loads_no_bigquery_client() -> None:
    """On the default (DuckDB) configuration: no google.cloud.bigquery, no GCS, no scipy.stats
    (only computing a distribution needs it)."""
    unwanted = ("google.cloud.bigquery", "google.cloud.storage", "dagster_gcp", "scipy.stats")
    assert sorted(m for m in code_location_modules() if m.startswith(unwanted)) == []


def test_the_code_location_loads_no_demo() -> None:
    """The demo is a distribution of its own that production never installs: loading the code
    location must not need it (nor spend seconds importing its simulator)."""
    assert sorted(m for m in code_location_modules() if "demo" in m) == []
