"""The project's SQL, written once in BigQuery dialect and run on either warehouse.

DuckDB runs the same files after sqlglot transpiles them, so the tests execute the production
SQL. Transpiled text is cached: a day's run asks for the same few statements many times.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


@cache
def read_sql(name: str) -> str:
    """Text of `sql/<name>`; names are repository paths, never user input."""
    path = (SQL_DIR / name).resolve()
    if SQL_DIR not in path.parents:
        raise ValueError(f"{name!r} is not a file under {SQL_DIR}")
    return path.read_text()


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
    return sorted(f"migrations/{p.name}" for p in (SQL_DIR / "migrations").glob("*.sql"))
