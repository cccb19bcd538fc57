"""BigQuery-side SQL helpers: table qualification and the atomic window replace.

The SQL in mlb_assets/sql/ names tables `dataset.table`, the same in both engines. On BigQuery they
become `project.<prefix>dataset.table`, so staging and production can live side by side in
one project (MLB_BQ_DATASET_PREFIX) and a view never resolves against whichever project
happens to run it. The rewrite splices names into the original text at the positions sqlglot
reports, instead of regenerating the SQL, so comments, raw strings and layout survive
exactly: the statement reviewed in the dry run is byte for byte the one that runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import sqlglot
from sqlglot import exp

# BigQuery project ids: lower-case letters, digits and hyphens, optionally domain-scoped
# ("example.com:my-project").
_PROJECT = re.compile(r"^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Names of the parameters the window statements bind.
WINDOW_START = "window_start"
WINDOW_END = "window_end"


def _identifier(name: str) -> str:
    """Column and table names go into SQL text (they cannot be parameters): only plain ones."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def _function_datasets(statement: exp.Expression) -> list[exp.Identifier]:
    """The dataset of each call of a persistent function, `dataset.fn(...)`.

    Such a call parses as a dot before an unknown function; built-ins such as SAFE.fn parse as
    their own nodes, and a call that already names its project has a dot first.
    """
    found = []
    for call in statement.find_all(exp.Dot):
        dataset = call.this
        if isinstance(call.expression, exp.Anonymous) and isinstance(dataset, exp.Identifier):
            if dataset.quoted:
                raise ValueError(
                    f"write `{call.sql(dialect='bigquery')}` unquoted as dataset.function; "
                    "the project is added here"
                )
            found.append(dataset)
    return found


@cache
def qualify_for_bigquery(sql_text: str, project: str | None, dataset_prefix: str = "") -> str:
    """Rewrite every `dataset.table` (and `CREATE SCHEMA dataset`) to its BigQuery name, and
    every call of a persistent function `dataset.fn(...)` (mlb_precompute.pitcher_key) alike.

    With a project: `` `project`.<prefix>dataset.table `` (only the project is quoted: it
    may hold hyphens; the rest are plain identifiers). Without one (a dry run with no
    MLB_GCP_PROJECT): `<prefix>dataset.table`, which BigQuery resolves in the project of the
    job. References that already name a project, CTEs and UNNEST aliases are left alone.
    """
    if project is not None and not _PROJECT.match(project):
        raise ValueError(f"not a BigQuery project id: {project!r}")
    if dataset_prefix and not _IDENTIFIER.match(dataset_prefix):
        raise ValueError(f"not a dataset prefix: {dataset_prefix!r}")

    edits: list[tuple[int, int, str]] = []
    for statement in sqlglot.parse(sql_text, read="bigquery"):
        if statement is None:
            continue
        for table in statement.find_all(exp.Table):
            catalog, db, name = (table.args.get(k) for k in ("catalog", "db", "this"))
            if catalog is not None or not isinstance(db, exp.Identifier):
                continue  # already names a project, or is a CTE / alias
            parts = [p for p in (db, name) if isinstance(p, exp.Identifier)]
            if any(p.quoted for p in parts):
                raise ValueError(
                    f"write `{table.sql(dialect='bigquery')}` unquoted as dataset.table; "
                    "the project is added here"
                )
            start, end = parts[0].meta["start"], parts[-1].meta["end"]
            dataset = f"{dataset_prefix}{db.name}"
            reference = f"{dataset}.{name.name}" if isinstance(name, exp.Identifier) else dataset
            edits.append((start, end, f"`{project}`.{reference}" if project else reference))
        for dataset in _function_datasets(statement):
            reference = f"{dataset_prefix}{dataset.name}"
            edits.append(
                (
                    dataset.meta["start"],
                    dataset.meta["end"],
                    f"`{project}`.{reference}" if project else reference,
                )
            )

    text = sql_text
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end + 1 :]
    return text


@cache
def parameter_names(sql_text: str) -> frozenset[str]:
    """The `@name` parameters a statement really uses (mentions in comments do not count)."""
    return frozenset(
        param.name
        for statement in sqlglot.parse(sql_text, read="bigquery")
        if statement is not None
        for param in statement.find_all(exp.Parameter)
    )


def replace_window_sql(
    target: str, staging: str, columns: Sequence[str], date_column: str = "game_date"
) -> str:
    """ONE statement that swaps the rows of [@window_start, @window_end] for the staged ones.

    `ON FALSE` matches nothing, so every target row of the window is "not matched by source"
    and deleted, and every staged row is "not matched" and inserted, in one atomic DML
    statement: readers see the old window or the new one, never a mix or a gap. The window
    filter sits on the partitioning column itself, which both prunes the scan to the window's
    partitions and satisfies `require_partition_filter`. Columns are listed by name so the
    staging table's column order does not matter.
    """
    for name in (target, staging):
        for part in name.split("."):
            _identifier(part)
    names = [_identifier(c) for c in columns]
    if not names:
        raise ValueError("no columns to insert")
    column_list = ", ".join(names)
    source_list = ", ".join(f"S.{c}" for c in names)
    return (
        f"MERGE {target} AS T\n"
        f"USING {staging} AS S\n"
        "ON FALSE\n"
        f"WHEN NOT MATCHED BY SOURCE AND T.{_identifier(date_column)} "
        f"BETWEEN @{WINDOW_START} AND @{WINDOW_END} THEN DELETE\n"
        f"WHEN NOT MATCHED THEN INSERT ({column_list}) VALUES ({source_list})"
    )
