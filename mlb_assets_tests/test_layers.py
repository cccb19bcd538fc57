"""The package's layers, from its imports: the pure core (features, systems, betting,
evaluation) imports nothing but the scientific stack and itself; nothing imports upward
(docs/ARCHITECTURE.md). The demo (the mlb_assets_demo distribution) sits above the package:
the package never imports it (only the CLI's demo command, lazily, to run it), and it never
imports the CLI."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import mlb_assets
import mlb_assets_demo

PACKAGE_ROOT = Path(mlb_assets.__file__).parent
DEMO_ROOT = Path(mlb_assets_demo.__file__).parent
DEMO = "mlb_assets_demo"
# The one module that may import the demo, and only inside its functions: the `demo` command.
DEMO_COMMAND = "mlb_assets.cli.main"
CORE = ("features", "systems", "betting", "evaluation")
# What the pure core may import besides the standard library and itself.
CORE_THIRD_PARTY = ("numpy", "pandas", "scipy", "xgboost")
# Which layers each layer may import (besides itself); the core is everyone's.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "errors": set(),
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
        "errors",
        "config",
        "partitions",
        "resources",
        "checks",
        "assets",
        "metadata",
        "report",
    },
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
    root = DEMO_ROOT if path.is_relative_to(DEMO_ROOT) else PACKAGE_ROOT
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(
    source: str, module: str, is_package: bool = False, top_level_only: bool = False
) -> list[str]:
    """Absolute names of everything a module imports, relative imports resolved;
    `top_level_only`: only the imports that run when the module is imported (not those inside
    a function or a method, which run when it is called)."""
    package = module if is_package else module.rpartition(".")[0]
    names = []
    tree = ast.parse(source)
    for node in _top_level(tree) if top_level_only else ast.walk(tree):
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


def _top_level(tree: ast.AST) -> list[ast.AST]:
    """Every node outside function bodies (a class body or an `if` at module level runs on
    import, so it counts)."""
    nodes: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))
    return nodes


def demo_violations(path: Path, module: str) -> list[str]:
    """Imports of the demo by a module of the package: none, except the demo command's own,
    made when it runs (an import at module level would load the demo with the CLI)."""
    source = path.read_text()
    lazy_allowed = module == DEMO_COMMAND
    names = imported_modules(source, module, path.name == "__init__.py", lazy_allowed)
    return [name for name in names if name == DEMO or name.startswith(f"{DEMO}.")]


def cli_imports(names: list[str]) -> list[str]:
    return [n for n in names if n == "mlb_assets.cli" or n.startswith("mlb_assets.cli.")]


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
DEMO_MODULES = sorted(DEMO_ROOT.rglob("*.py"))


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
    lazy = "def run():\n    from mlb_assets_demo.pipeline import run_demo\n"
    eager = "import mlb_assets_demo\nclass A:\n    from mlb_assets_demo import ui\n"
    assert imported_modules(lazy, "x.y", top_level_only=True) == []
    assert imported_modules(eager, "x.y", top_level_only=True) == [DEMO, DEMO]
    assert cli_imports(imported_modules(lazy + eager, "mlb_assets_demo.x")) == []
    assert cli_imports(["mlb_assets.cli.main", "mlb_assets.config", "mlb_assets.client"]) == [
        "mlb_assets.cli.main"
    ]


def test_the_checkers_tell_the_demo_command_from_the_rest(tmp_path: Path) -> None:
    """The demo command may import the demo in its functions only; no other module at all."""
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def cmd():\n    from mlb_assets_demo.seed import seed_demo_warehouse\n")
    eager = tmp_path / "eager.py"
    eager.write_text("from mlb_assets_demo.seed import seed_demo_warehouse\n")
    assert demo_violations(lazy, DEMO_COMMAND) == []
    assert demo_violations(eager, DEMO_COMMAND) == ["mlb_assets_demo.seed"]
    assert demo_violations(lazy, "mlb_assets.cli.predict") == ["mlb_assets_demo.seed"]


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


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE_ROOT)))
def test_the_package_never_imports_the_demo(path: Path) -> None:
    assert demo_violations(path, _module_of(path)) == []


def test_the_demo_command_is_the_one_that_imports_the_demo() -> None:
    """So the test above has something to allow: the command still runs the demo."""
    path = PACKAGE_ROOT / "cli" / "main.py"
    assert _module_of(path) == DEMO_COMMAND
    assert any(n.startswith(f"{DEMO}.") for n in _imports(path))


@pytest.mark.parametrize("path", DEMO_MODULES, ids=lambda p: str(p.relative_to(DEMO_ROOT)))
def test_the_demo_imports_no_cli(path: Path) -> None:
    assert cli_imports(_imports(path)) == []
