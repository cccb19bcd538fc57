"""The DuckDB warehouse runs the production SQL and replaces partitions atomically."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlglot

from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.migrations import migrate
from mlb_assets.resources.sql import read_sql, sql_names, to_duckdb

SAMPLE_PARAMS = {
    "start_date": date(2019, 6, 1),
    "end_date": date(2019, 6, 3),
    "from_date": date(2018, 6, 1),
    "before_date": date(2019, 6, 1),
    "max_age_days": 7,
    "il_statuses": ["10-Day-IL", "15-Day-IL", "60-Day-IL", "Out"],
}
TABLE = "mlb_precompute.prop_lines"


@pytest.mark.parametrize("name", sql_names())
def test_every_sql_file_parses_as_bigquery(name: str) -> None:
    statements = sqlglot.parse(read_sql(name), read="bigquery")
    assert statements and all(s is not None for s in statements)


@pytest.mark.parametrize("name", ["../definitions.py", "sources/../../config.py", "/etc/passwd"])
def test_only_files_under_the_sql_folder_are_read(name: str) -> None:
    with pytest.raises(ValueError, match="not a file under mlb_assets/sql"):
        read_sql(name)


@pytest.mark.parametrize("name", sql_names("sources"))
def test_every_query_returns_rows_on_a_seeded_duckdb(name: str, warehouse: DuckDBWarehouse) -> None:
    """The demo has games, lines and injuries on the sample dates: a query that returns no row,
    or a column that is NULL on every row, has stopped reading what it reads."""
    frame = warehouse.query(name, SAMPLE_PARAMS)
    assert len(frame) > 0 and len(frame.columns) > 0
    assert [column for column in frame.columns if frame[column].isna().all()] == []


def lines(start: str, n: int, line: float = 5.5) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "game_date": pd.to_datetime([start] * n),
            "game_id": [f"g{i}" for i in range(n)],
            "pitcher_lookup": [f"p{i}" for i in range(n)],
            "bookmaker": "draftkings",
            "snapshot_time": pd.Timestamp("2019-06-01 15:00", tz="UTC"),
            "strikeouts_line": line,
            "over_odds": -110,
            "under_odds": -110,
            "over_implied_prob": 0.5,
            "under_implied_prob": 0.5,
        }
    )


def count(wh: DuckDBWarehouse, day: str) -> int:
    return int(
        wh.query_text(
            f"SELECT COUNT(*) AS n FROM {TABLE} WHERE game_date = @d",
            {"d": date.fromisoformat(day)},
        )["n"][0]
    )


def test_replace_is_idempotent_and_keeps_other_dates(warehouse: DuckDBWarehouse) -> None:
    day, other = date(2019, 6, 1), date(2019, 6, 2)
    warehouse.replace_partitions(TABLE, lines("2019-06-02", 4), other, other)
    for _ in range(3):
        warehouse.replace_partitions(TABLE, lines("2019-06-01", 5), day, day)
    assert count(warehouse, "2019-06-01") == 5
    assert count(warehouse, "2019-06-02") == 4


class FailingInsertWarehouse(DuckDBWarehouse):
    """Fault injection: the delete has run, then the insert blows up."""

    def _insert(self, con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
        super()._insert(con, table, frame.head(1))  # part of the rows went in...
        raise RuntimeError("disk full")  # ...then the write failed


def test_failure_between_delete_and_insert_keeps_old_rows(seeded: Path) -> None:
    path = str(seeded / "warehouse.duckdb")
    good = DuckDBWarehouse(path=path)
    good.replace_partitions(TABLE, lines("2019-06-01", 6), date(2019, 6, 1), date(2019, 6, 1))
    good.close()
    failing = FailingInsertWarehouse(path=path)
    with pytest.raises(RuntimeError, match="disk full"):
        failing.replace_partitions(
            TABLE, lines("2019-06-01", 9, 7.5), date(2019, 6, 1), date(2019, 6, 1)
        )
    kept = failing.query_text(f"SELECT strikeouts_line FROM {TABLE}")
    failing.close()
    assert len(kept) == 6 and set(kept["strikeouts_line"]) == {5.5}


def test_rows_outside_the_window_are_refused(warehouse: DuckDBWarehouse) -> None:
    with pytest.raises(ValueError, match="outside the window"):
        warehouse.replace_partitions(
            TABLE, lines("2019-06-05", 2), date(2019, 6, 1), date(2019, 6, 1)
        )
    assert count(warehouse, "2019-06-05") == 0


def test_parameters_are_data_never_sql(warehouse: DuckDBWarehouse) -> None:
    hostile = "x'); DROP TABLE mlb_raw.mlb_schedule; --"
    found = warehouse.query_text(
        "SELECT COUNT(*) AS n FROM mlb_raw.mlb_schedule WHERE home_team_abbr = @team",
        {"team": hostile},
    )
    assert found["n"][0] == 0
    still_there = warehouse.query_text("SELECT COUNT(*) AS n FROM mlb_raw.mlb_schedule")
    assert still_there["n"][0] > 1000


def test_every_call_is_counted(warehouse: DuckDBWarehouse) -> None:
    before = warehouse.stats.queries
    with warehouse.tracking() as scope:
        frame = warehouse.query("sources/prop_lines.sql", SAMPLE_PARAMS)
        warehouse.replace_partitions(TABLE, frame, date(2019, 6, 1), date(2019, 6, 3))
    assert scope.queries == 2
    assert scope.rows_read == len(frame) > 0
    assert scope.rows_written == len(frame)
    assert warehouse.stats.queries == before + 2


def catalog(wh: DuckDBWarehouse) -> pd.DataFrame:
    """DuckDB's own catalog (BigQuery's INFORMATION_SCHEMA is per dataset)."""
    return (
        wh.connection()
        .execute(
            "SELECT table_schema, table_name, column_name, data_type "
            "FROM information_schema.columns ORDER BY ALL"
        )
        .df()
    )


def test_migrate_twice_changes_nothing_the_second_time(warehouse: DuckDBWarehouse) -> None:
    first = catalog(warehouse)
    rows = warehouse.query_text("SELECT COUNT(*) AS n FROM mlb_raw.mlb_schedule")["n"][0]
    migrate(warehouse)
    assert catalog(warehouse).equals(first)
    assert warehouse.query_text("SELECT COUNT(*) AS n FROM mlb_raw.mlb_schedule")["n"][0] == rows
    assert "feature_coverage_pct" in set(
        first[first["table_name"] == "v1_baseline_predictions"]["column_name"]
    )


def test_a_query_asked_again_is_not_transpiled_again(warehouse: DuckDBWarehouse) -> None:
    """A day's run asks for the same few statements many times; sqlglot parses each once."""
    to_duckdb.cache_clear()
    first = warehouse.query("sources/prop_lines.sql", SAMPLE_PARAMS)
    again = warehouse.query("sources/prop_lines.sql", SAMPLE_PARAMS)
    pd.testing.assert_frame_equal(first, again)
    info = to_duckdb.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_pitcher_keys_are_normalised_in_sql_as_in_python(warehouse: DuckDBWarehouse) -> None:
    from mlb_assets.features.names import normalize_pitcher_key

    raw = ["José Berríos", "Lance McCullers Jr.", "Hyun-Jin Ryu", "A.J. Griffin", "CC Sabathia"]
    frame = pd.DataFrame(
        {
            "snapshot_date": date(2030, 1, 1),
            "pitcher_lookup": raw,
            "is_pitcher": True,
            "injury_status": "Out",
            "injury_date": date(2030, 1, 1),
        }
    )
    warehouse.overwrite_table("mlb_raw.bdl_injuries", frame)
    got = warehouse.query_text(
        "SELECT pitcher_lookup FROM mlb_precompute.injury_snapshots ORDER BY pitcher_lookup"
    )["pitcher_lookup"].tolist()
    assert got == sorted(normalize_pitcher_key(name) for name in raw)
