"""Features, systems and betting maths stay pure: the CLI and tests run them without Dagster or a
warehouse (docs/ARCHITECTURE.md)."""

import ast
from pathlib import Path

import pytest

import mlb_assets

PACKAGE_ROOT = Path(mlb_assets.__file__).parent
PURE_SOURCES = [
    *sorted((PACKAGE_ROOT / "features").rglob("*.py")),
    *sorted((PACKAGE_ROOT / "systems").rglob("*.py")),
    PACKAGE_ROOT / "betting.py",
]
FORBIDDEN = ("dagster", "duckdb", "google", "mlb_assets.resources", "mlb_assets.assets")


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
            names.extend(f"{target}.{alias.name}" for alias in node.names)
    return names


def violations(names: list[str]) -> list[str]:
    return [
        name
        for name in names
        for banned in FORBIDDEN
        if name == banned or name.startswith((f"{banned}.", f"{banned}_"))
    ]


def test_the_checker_catches_forbidden_imports() -> None:
    source = "\n".join(
        [
            "import dagster",
            "from dagster_gcp import BigQueryResource",
            "import duckdb as db",
            "from google.cloud import bigquery",
            "from .. import resources",
            "from ..assets.predictions import x",
            "import numpy",
            "from mlb_assets.features import names",
        ]
    )
    found = violations(imported_modules(source, "mlb_assets.systems.scoring"))
    assert found == [
        "dagster",
        "dagster_gcp",
        "dagster_gcp.BigQueryResource",
        "duckdb",
        "google.cloud",
        "google.cloud.bigquery",
        "mlb_assets.resources",
        "mlb_assets.assets.predictions",
        "mlb_assets.assets.predictions.x",
    ]


def test_pure_sources_exist() -> None:
    assert len(PURE_SOURCES) >= 8


@pytest.mark.parametrize("path", PURE_SOURCES, ids=lambda p: str(p.relative_to(PACKAGE_ROOT)))
def test_pure_modules_import_no_orchestration_or_warehouse(path: Path) -> None:
    names = imported_modules(
        path.read_text(), _module_of(path), is_package=path.name == "__init__.py"
    )
    assert violations(names) == []
