"""The project's SQL, written once in BigQuery dialect and run on either warehouse.

DuckDB runs the same files after sqlglot transpiles them, so the tests execute the production
SQL. Transpiled text is cached: a day's run asks for the same few statements many times.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

# Package data, read through importlib.resources: an installed wheel (the image) finds the SQL
# where an editable checkout does, with no path computed from the repository's layout.
SQL_ROOT: Traversable = files("mlb_assets") / "sql"


def _resource(name: str) -> Traversable:
    """The file `name` names under SQL_ROOT. Names come from code, never from users; refusing
    `..` and absolute names keeps a mistaken one from reading anything outside the SQL."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"{name!r} is not a file under mlb_assets/sql")
    return SQL_ROOT.joinpath(*path.parts)


@cache
def read_sql(name: str) -> str:
    """Text of `mlb_assets/sql/<name>`, e.g. `sources/prop_lines.sql`."""
    return _resource(name).read_text(encoding="utf-8")


def sql_names(folder: str = "") -> list[str]:
    """Names (for `read_sql`) of every .sql file under `folder` of the SQL, sorted, so the tests
    and the migrations enumerate the shipped files rather than a list that could fall behind."""

    def walk(node: Traversable, prefix: str) -> Iterator[str]:
        for entry in node.iterdir():
            if entry.is_dir():
                yield from walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".sql"):
                yield f"{prefix}{entry.name}"

    top = _resource(folder) if folder else SQL_ROOT
    return sorted(walk(top, f"{folder.rstrip('/')}/" if folder else ""))


def split_statements(sql: str) -> list[exp.Expression]:
    """Parse a BigQuery script into its statements (a migration file holds several)."""
    return [s for s in sqlglot.parse(sql, read="bigquery") if s is not None]


def _duckdb_compatible(tree: exp.Expression) -> exp.Expression:
    """Map the few BigQuery functions that sqlglot passes through verbatim.

    `NORMALIZE(x, NFD)` feeds the accent-stripping `\\pM` regex in BigQuery; DuckDB has
    `strip_accents` for the whole job (the regex then finds nothing to strip).
    """

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Normalize):
            return exp.func("strip_accents", node.this)
        return node

    return tree.transform(rewrite)


@cache
def to_duckdb(sql: str) -> tuple[str, ...]:
    """Transpile BigQuery SQL to DuckDB statements (partitioning/clustering options drop out)."""
    return tuple(
        _duckdb_compatible(stmt).sql(dialect="duckdb", unsupported_level=ErrorLevel.IGNORE)
        for stmt in split_statements(sql)
    )


@cache
def window_sql(table: str) -> str:
    """`reads/window.sql` reading `table` (a checked dataset.table name), in BigQuery SQL."""
    tree = sqlglot.parse_one(read_sql("reads/window.sql"), read="bigquery")
    return exp.replace_tables(tree, {"window_table": table}).sql(dialect="bigquery")


def migration_files() -> list[str]:
    """Migration names in the order they apply (numbered file names)."""
    return sql_names("migrations")
