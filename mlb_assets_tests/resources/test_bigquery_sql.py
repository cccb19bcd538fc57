"""The SQL BigQuery receives: qualified names, the dry-run DDL, the atomic window replace."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlglot
from sqlglot import exp

from mlb_assets.resources.bigquery_sql import (
    WINDOW_END,
    WINDOW_START,
    parameter_names,
    qualify_for_bigquery,
    replace_window_sql,
)
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.sql import migration_files, read_sql, sql_names, to_duckdb
from mlb_assets_tests.bounds import run_bounded

PROJECT = "mlb-prod-123"
CLI = Path(sys.executable).with_name("mlb-assets")
# Project-owned tables and how each must be laid out in BigQuery.
PROJECT_TABLES = {
    "mlb_precompute.feature_store_slice": (["pitcher_lookup"], True),
    "mlb_precompute.il_roster": (["pitcher_lookup"], False),
    "mlb_precompute.prop_lines": (["pitcher_lookup"], False),
    "mlb_predictions.v1_baseline_predictions": (["system_id", "pitcher_lookup"], True),
    "mlb_predictions.coverage_report": (["system_id"], False),
}
LIKE_BASELINE = (
    "mlb_predictions.v1_6_rolling_predictions",
    "mlb_predictions.ensemble_v1_predictions",
)


def _function_calls(tree: exp.Expression) -> list[exp.Dot]:
    """Calls of a persistent function: `[project.]dataset.fn(...)`."""
    return [d for d in tree.find_all(exp.Dot) if isinstance(d.expression, exp.Anonymous)]


def _unqualified(tree: exp.Expression, prefix: str) -> exp.Expression:
    """Undo the qualification: drop the project and the dataset prefix."""

    def strip(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and node.args.get("catalog") is not None:
            node = node.copy()
            node.set("catalog", None)
            db = node.args["db"]
            node.set("db", exp.to_identifier(db.name.removeprefix(prefix)))
        if isinstance(node, exp.Dot) and isinstance(node.this, exp.Dot):
            dataset = node.this.expression.name.removeprefix(prefix)
            node = exp.Dot(this=exp.to_identifier(dataset), expression=node.expression.copy())
        return node

    return tree.transform(strip)


@pytest.mark.parametrize("name", sql_names())
def test_every_sql_file_qualified_for_bigquery_is_the_same_sql(name: str) -> None:
    """Each file parses as BigQuery SQL before and after qualification, and only names change."""
    original = [s for s in sqlglot.parse(read_sql(name), read="bigquery") if s is not None]
    qualified_text = qualify_for_bigquery(read_sql(name), PROJECT, "stg_")
    qualified = [s for s in sqlglot.parse(qualified_text, read="bigquery") if s is not None]
    assert original and len(qualified) == len(original)
    for before, after in zip(original, qualified, strict=True):
        for table in after.find_all(exp.Table):
            if table.args.get("db") is not None:
                assert table.catalog == PROJECT, table.sql("bigquery")
                assert table.db.startswith("stg_mlb_"), table.sql("bigquery")
        for call in _function_calls(after):
            assert call.this.sql("bigquery") == f"`{PROJECT}`.stg_mlb_precompute", call.sql()
        assert _unqualified(after, "stg_") == before
    # Comments and layout survive: only the table names differ from the file.
    assert qualified_text.count("\n") == read_sql(name).count("\n")


def test_qualification_leaves_ctes_unnest_and_qualified_names_alone() -> None:
    sql = (
        "WITH recent AS (SELECT * FROM mlb_raw.mlb_schedule WHERE game_date = @d)\n"
        "SELECT r.*, day FROM recent AS r, UNNEST(GENERATE_DATE_ARRAY(@d, @d)) AS day\n"
        "JOIN `other-project`.mlb_raw.mlb_schedule AS o USING (game_id)"
    )
    out = qualify_for_bigquery(sql, PROJECT, "")
    assert f"FROM `{PROJECT}`.mlb_raw.mlb_schedule WHERE" in out
    assert "FROM recent AS r" in out
    assert "JOIN `other-project`.mlb_raw.mlb_schedule AS o" in out
    assert qualify_for_bigquery(sql, None, "dev_").count("dev_mlb_raw.mlb_schedule") == 1


def test_qualification_refuses_quoted_names_and_bad_projects() -> None:
    with pytest.raises(ValueError, match="unquoted"):
        qualify_for_bigquery("SELECT * FROM `mlb_raw.mlb_schedule`", PROJECT, "")
    with pytest.raises(ValueError, match="project id"):
        qualify_for_bigquery("SELECT 1", "Bad Project; DROP", "")


def test_parameter_names_ignore_comments() -> None:
    assert parameter_names(read_sql("sources/il_roster.sql")) == {
        "start_date",
        "end_date",
        "max_age_days",
        "il_statuses",
    }
    assert parameter_names("-- @nothing\nSELECT @one") == {"one"}


# -- the dry run ---------------------------------------------------------------------------
def _dry_run(project: str | None) -> str:
    """`mlb-assets migrate --warehouse bigquery --dry-run` with no credentials anywhere."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MLB_", "GOOGLE_", "CLOUDSDK_", "BIGQUERY_"))
    }
    env["HOME"] = "/nonexistent"  # no gcloud ADC file either
    env["MLB_BQ_DATASET_PREFIX"] = "prod_"
    if project:
        env["MLB_GCP_PROJECT"] = project
    done = run_bounded(
        [str(CLI), "migrate", "--warehouse", "bigquery", "--dry-run"],
        "mlb-assets migrate --dry-run",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _creates(ddl: str) -> dict[str, exp.Create]:
    creates = {}
    for statement in sqlglot.parse(ddl, read="bigquery"):
        if isinstance(statement, exp.Create) and statement.kind == "TABLE":
            table = statement.this if isinstance(statement.this, exp.Table) else statement.this.this
            key = f"{table.db.removeprefix('prod_')}.{table.name}"
            creates[key] = statement
    return creates


@pytest.fixture(scope="module")
def dry_run_ddl() -> str:
    return _dry_run(PROJECT)


def test_dry_run_prints_partitioned_clustered_tables(dry_run_ddl: str) -> None:
    creates = _creates(dry_run_ddl)
    for table, (clustering, require_filter) in PROJECT_TABLES.items():
        create = creates[table]
        partition = create.find(exp.PartitionedByProperty)
        assert partition is not None and partition.this.name == "game_date", table
        cluster = create.find(exp.ClusterProperty)
        assert cluster is not None, table
        assert [c.name for c in cluster.expressions] == clustering, table
        options = {
            p.this.name: p.args["value"].sql("bigquery")
            for p in create.find_all(exp.Property)
            if isinstance(p.this, exp.Var | exp.Identifier) and p.args.get("value") is not None
        }
        assert (options.get("require_partition_filter") == "TRUE") is require_filter, table
    # The other two prediction tables copy the baseline's layout with CREATE TABLE ... LIKE.
    for table in LIKE_BASELINE:
        like = creates[table].find(exp.LikeProperty)
        assert like is not None and like.this.name == "v1_baseline_predictions"


def _created(sql: str, prefix: str = "") -> set[tuple[str, str]]:
    """(kind, dataset[.table]) of every CREATE statement, with the dataset prefix removed."""
    created = set()
    for statement in sqlglot.parse(sql, read="bigquery"):
        if isinstance(statement, exp.Create):
            table = statement.find(exp.Table)
            name = table.db.removeprefix(prefix) + (f".{table.name}" if table.name else "")
            created.add((str(statement.kind), name))
    return created


def test_dry_run_is_the_whole_schema_fully_qualified(dry_run_ddl: str) -> None:
    expected = set().union(*(_created(read_sql(name)) for name in migration_files()))
    assert _created(dry_run_ddl, "prod_") == expected
    assert {kind for kind, _ in expected} == {"SCHEMA", "TABLE", "VIEW", "FUNCTION"}
    calls = 0
    for statement in sqlglot.parse(dry_run_ddl, read="bigquery"):
        for table in statement.find_all(exp.Table):
            if table.args.get("db") is not None:
                assert table.catalog == PROJECT and table.db.startswith("prod_mlb_")
        for call in _function_calls(statement):
            assert call.this.sql("bigquery") == f"`{PROJECT}`.prod_mlb_precompute", call.sql()
            calls += 1
    assert calls >= 4  # the pitcher key, in every source's judgement
    assert "feature_coverage_pct FLOAT64" in dry_run_ddl


@pytest.mark.slow
def test_dry_run_works_without_a_project() -> None:
    ddl = _dry_run(None)
    assert "CREATE SCHEMA IF NOT EXISTS prod_mlb_raw;" in ddl
    assert "PARTITION BY game_date" in ddl
    for statement in sqlglot.parse(ddl, read="bigquery"):
        for table in statement.find_all(exp.Table):
            assert table.args.get("catalog") is None, table.sql("bigquery")


# -- the atomic window replace, run on DuckDB ---------------------------------------------
def _lines(day: str, pitchers: list[str], line: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "game_date": pd.to_datetime([day] * len(pitchers)),
            "game_id": [f"{day}-{p}" for p in pitchers],
            "pitcher_lookup": pitchers,
            "bookmaker": "draftkings",
            "snapshot_time": pd.Timestamp(f"{day} 15:00", tz="UTC"),
            "strikeouts_line": line,
            "over_odds": -110,
            "under_odds": -110,
            "over_implied_prob": 0.5,
            "under_implied_prob": 0.5,
        }
    )


def test_the_bigquery_merge_replaces_exactly_the_window(warehouse: DuckDBWarehouse) -> None:
    """The statement BigQuery runs, transpiled, on a seeded warehouse: window swapped, rest kept."""
    table = "mlb_precompute.prop_lines"
    before = pd.concat(
        [_lines(f"2019-06-0{d}", ["a", "b", "c"], 5.5) for d in range(1, 6)], ignore_index=True
    )
    warehouse.replace_partitions(table, before, date(2019, 6, 1), date(2019, 6, 5))
    con = warehouse.connection()
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    staged = pd.concat([_lines("2019-06-02", ["x"], 7.5), _lines("2019-06-03", ["y", "z"], 6.5)])
    con.execute(f"CREATE TABLE {table}__staging AS SELECT * FROM {table} LIMIT 0")
    con.register("_staged", staged)
    con.execute(f"INSERT INTO {table}__staging BY NAME SELECT * FROM _staged")

    # Window 06-02..06-04: 06-04 has no new rows, so it must end up empty.
    merge = replace_window_sql(table, f"{table}__staging", columns)
    (statement,) = to_duckdb(merge)
    con.execute(statement, {WINDOW_START: date(2019, 6, 2), WINDOW_END: date(2019, 6, 4)})

    after = con.execute(
        f"SELECT game_date::VARCHAR, pitcher_lookup, strikeouts_line FROM {table} "
        "WHERE game_date BETWEEN '2019-06-01' AND '2019-06-05' ORDER BY 1, 2"
    ).fetchall()
    assert after == [
        ("2019-06-01", "a", 5.5),
        ("2019-06-01", "b", 5.5),
        ("2019-06-01", "c", 5.5),
        ("2019-06-02", "x", 7.5),
        ("2019-06-03", "y", 6.5),
        ("2019-06-03", "z", 6.5),
        ("2019-06-05", "a", 5.5),
        ("2019-06-05", "b", 5.5),
        ("2019-06-05", "c", 5.5),
    ]
    # Re-running the same statement is idempotent: no duplicates.
    con.execute(statement, {WINDOW_START: date(2019, 6, 2), WINDOW_END: date(2019, 6, 4)})
    assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(after)


def test_the_merge_is_one_statement_that_filters_on_the_partition_column() -> None:
    """One DML statement (atomic), the window on the bare partition column (prunes, and
    satisfies require_partition_filter), every value a parameter."""
    merge = replace_window_sql("mlb_predictions.coverage_report", "mlb_predictions.s", ["a", "b"])
    (statement,) = sqlglot.parse(merge, read="bigquery")
    assert isinstance(statement, exp.Merge)
    assert statement.args["on"] == exp.false()
    delete = next(w for w in statement.find_all(exp.When) if w.args.get("source"))
    condition = delete.args["condition"]
    assert isinstance(condition, exp.Between)
    assert condition.this.sql() == "T.game_date"
    assert {p.name for p in condition.find_all(exp.Parameter)} == {WINDOW_START, WINDOW_END}
    assert not list(statement.find_all(exp.Literal))
    with pytest.raises(ValueError):
        replace_window_sql("mlb_raw.x", "mlb_raw.y", ["a; DROP TABLE z"])


def test_a_failing_merge_leaves_the_table_as_it_was(warehouse: DuckDBWarehouse) -> None:
    """DuckDB stands in for BigQuery's statement atomicity: a MERGE that fails part-way
    (here: a NOT NULL violation on an inserted row) deletes nothing."""
    table = "mlb_precompute.prop_lines"
    warehouse.replace_partitions(
        table, _lines("2019-06-02", ["a", "b"], 5.5), date(2019, 6, 2), date(2019, 6, 2)
    )
    con = warehouse.connection()
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    con.execute(f"CREATE TABLE {table}__staging AS SELECT * FROM {table} LIMIT 0")
    con.execute(
        f"INSERT INTO {table}__staging (game_date, pitcher_lookup) "
        "VALUES ('2019-06-02', 'x'), ('2019-06-02', NULL)"
    )
    (statement,) = to_duckdb(replace_window_sql(table, f"{table}__staging", columns))
    with pytest.raises(duckdb.ConstraintException):
        con.execute(statement, {WINDOW_START: date(2019, 6, 2), WINDOW_END: date(2019, 6, 2)})
    kept = con.execute(
        f"SELECT pitcher_lookup FROM {table} WHERE game_date = '2019-06-02' ORDER BY 1"
    ).fetchall()
    assert kept == [("a",), ("b",)]
