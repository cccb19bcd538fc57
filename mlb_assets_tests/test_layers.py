"""The package's layers, from its imports: the pure core (features, systems, betting,
evaluation) imports nothing but the scientific stack and itself; nothing imports upward
(docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import mlb_assets

PACKAGE_ROOT = Path(mlb_assets.__file__).parent
CORE = ("features", "systems", "betting", "evaluation")
# What the pure core may import besides the standard library and itself.
CORE_THIRD_PARTY = ("numpy", "pandas", "scipy", "xgboost")
# Which layers each layer may import (besides itself); the core is everyone's.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "config": {"core"},
    "partitions": {"core", "config"},
    # Dagster metadata values the UI reads well (tables), for checks and assets alike.
    "metadata": set(),
    # Pure presentation: SVG charts and the HTML page, from frames the core computes.
    "report": {"core"},
    "resources": {"core", "config"},
    "checks": {"core", "config", "partitions", "metadata"},
    "assets": {"core", "config", "partitions", "resources", "checks", "metadata", "report"},
    "alerting": {"core", "config"},
    "schedules": {"core", "config", "partitions"},
    "cli": {
        "core",
        "config",
        "partitions",
        "resources",
        "checks",
        "assets",
        "metadata",
        "report",
        "demo",
    },
    "demo": {"core", "config", "partitions", "resources", "cli", "definitions"},
    "definitions": {
        "core",
        "config",
        "partitions",
        "resources",
        "checks",
        "assets",
        "metadata",
        "report",
        "alerting",
        "schedules",
    },
}


def layer_of(module: str) -> str:
    top = module.split(".")[1] if module.count(".") else ""
    return "core" if top in CORE else top


def _module_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> list[str]:
    """Absolute names of everything a module imports, relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.append(target)
    return names


def core_violations(names: list[str]) -> list[str]:
    """Imports the pure core may not make: a whitelist, not a blacklist."""
    allowed_project = tuple(f"mlb_assets.{c}" for c in CORE)
    bad = []
    for name in names:
        root = name.split(".")[0]
        if root == "__future__" or root in sys.stdlib_module_names or root in CORE_THIRD_PARTY:
            continue
        if name == "mlb_assets" or not name.startswith(allowed_project):
            bad.append(name)
    return bad


def layer_violations(names: list[str], module: str) -> list[str]:
    own = layer_of(module)
    return [
        name
        for name in names
        if name.startswith("mlb_assets.")
        and layer_of(name) != own
        and layer_of(name) not in ALLOWED[own]
    ]


MODULES = sorted(PACKAGE_ROOT.rglob("*.py"))


def _imports(path: Path) -> list[str]:
    return imported_modules(path.read_text(), _module_of(path), path.name == "__init__.py")


def test_the_checkers_catch_forbidden_imports() -> None:
    source = "\n".join(
        [
            "import json",
            "import numpy",
            "from mlb_assets.features import names",
            "import dagster",
            "from dagster_gcp import BigQueryResource",
            "from mlb_assets.config import MLBConfig",  # not core: settings come as arguments
            "from ..resources import warehouse",
            "import requests",
        ]
    )
    names = imported_modules(source, "mlb_assets.systems.scoring")
    assert core_violations(names) == [
        "dagster",
        "dagster_gcp",
        "mlb_assets.config",
        "mlb_assets.resources",
        "requests",
    ]
    upward = imported_modules("from mlb_assets.assets.roster import IL_ROSTER", "x.y")
    assert layer_violations(upward, "mlb_assets.resources.warehouse") == [
        "mlb_assets.assets.roster"
    ]


def test_every_module_has_a_layer() -> None:
    layers = {layer_of(_module_of(p)) for p in MODULES if p.name != "__init__.py"}
    assert layers <= set(ALLOWED) | {""}, layers - set(ALLOWED)
    core = [p for p in MODULES if layer_of(_module_of(p)) == "core"]
    assert len(core) >= 10


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if layer_of(_module_of(p)) == "core"],
    ids=lambda p: str(p.relative_to(PACKAGE_ROOT)),
)
def test_the_pure_core_imports_only_the_scientific_stack(path: Path) -> None:
    assert core_violations(_imports(path)) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE_ROOT)))
def test_nothing_imports_upward(path: Path) -> None:
    module = _module_of(path)
    if layer_of(module) not in ALLOWED:  # the package's own __init__
        return
    assert layer_violations(_imports(path), module) == []
