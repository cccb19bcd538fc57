"""The ONE pitcher-key rule: the Python reference and the SQL function the source views apply
give every name the same key (a corpus of real names), and the views key every row by it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from mlb_assets.features.names import normalize_pitcher_key
from mlb_assets.resources.duckdb_warehouse import DuckDBWarehouse
from mlb_assets.resources.sql import read_sql, to_duckdb

CORPUS = json.loads((Path(__file__).with_name("pitcher_names.json")).read_text())["names"]
NAMES = [entry["name"] for entry in CORPUS]


@pytest.fixture(scope="module")
def sql_engine() -> Iterator[duckdb.DuckDBPyConnection]:
    """DuckDB with nothing but the migration that creates the function, as DuckDB runs it."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA mlb_precompute")
    for statement in to_duckdb(read_sql("migrations/025_functions.sql")):
        con.execute(statement)
    yield con
    con.close()


def sql_keys(con: duckdb.DuckDBPyConnection, names: list[str]) -> list[str]:
    """The SQL function's key of every name, in one query, in order."""
    rows = con.execute(
        "SELECT mlb_precompute.pitcher_key(name) FROM UNNEST($names) WITH ORDINALITY AS t(name, i) "
        "ORDER BY i",
        {"names": names},
    ).fetchall()
    return [key for (key,) in rows]


def test_the_corpus_is_real_names_of_every_kind() -> None:
    assert len(CORPUS) >= 200
    assert len(set(NAMES)) == len(NAMES)
    kinds = " ".join(entry["why"] for entry in CORPUS)
    for kind in ("accents", "hyphen", "curly apostrophe", "initials", "suffix", "already a key"):
        assert kind in kinds, kind


def test_python_and_sql_give_every_corpus_name_its_key(
    sql_engine: duckdb.DuckDBPyConnection,
) -> None:
    expected = [entry["key"] for entry in CORPUS]
    python = [normalize_pitcher_key(name) for name in NAMES]
    sql = sql_keys(sql_engine, NAMES)
    assert [(n, k) for n, k, e in zip(NAMES, python, expected, strict=True) if k != e] == []
    assert [(n, k) for n, k, e in zip(NAMES, sql, expected, strict=True) if k != e] == []


def test_a_key_is_its_own_key_in_both_engines(sql_engine: duckdb.DuckDBPyConnection) -> None:
    keys = sorted({entry["key"] for entry in CORPUS} - {""})
    assert [normalize_pitcher_key(key) for key in keys] == keys
    assert sql_keys(sql_engine, keys) == keys


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Lance McCullers Jr.", "lance_mccullers"),
        ("lance_mccullers_jr", "lance_mccullers"),
        ("Ken Griffey IV", "ken_griffey"),
        ("Ken Griffey, Jr.", "ken_griffey"),
        ("Joe O\u2019Brien", "joe_obrien"),
        ("Travis d'Arnaud", "travis_darnaud"),
        ("A. J. Burnett", "aj_burnett"),
        ("J.A. Happ", "ja_happ"),
        ("Michael A. Taylor", "michael_a_taylor"),
        ("Jose\u0301 Ferna\u0301ndez", "jose_fernandez"),
        ("Gerrit\u00a0Cole", "gerrit_cole"),
        ("大谷翔平", ""),
        ("'; --", ""),
    ],
)
def test_the_tricky_names(sql_engine: duckdb.DuckDBPyConnection, raw: str, key: str) -> None:
    assert normalize_pitcher_key(raw) == key
    assert sql_keys(sql_engine, [raw]) == [key]


def test_the_sql_function_is_null_for_a_missing_name(
    sql_engine: duckdb.DuckDBPyConnection,
) -> None:
    assert sql_engine.execute("SELECT mlb_precompute.pitcher_key(NULL)").fetchone() == (None,)


# -- the source views, on the seeded demo warehouse ---------------------------------------
# (view judging every raw row, its raw-value column, the view serving the kept rows)
SOURCE_VIEWS = (
    ("scheduled_starter_rows", "raw_pitcher", "scheduled_starters"),
    ("pitcher_game_rows", "raw_pitcher", "pitcher_games"),
    ("prop_snapshot_rows", "raw_pitcher", "prop_snapshots"),
    ("injury_snapshot_rows", "raw_pitcher", "injury_snapshots"),
)
FAR_DAY = date(2030, 7, 1)


def add_corpus_rows(wh: DuckDBWarehouse) -> None:
    """Every corpus name (but the empty one, which no source can hold) as a raw name in each
    source, on a day of its own: the demo's sources hold keys, not names."""
    names = [n for n in NAMES if n]
    con = wh.connection()
    pairs = pd.DataFrame({"home": names, "away": names[1:] + names[:1]})
    schedule = pd.DataFrame(
        {
            "game_id": [f"corpus-{i}" for i in range(len(pairs))],
            "game_date": FAR_DAY,
            "game_start_time": pd.Timestamp(f"{FAR_DAY} 23:05", tz="UTC"),
            "home_team_abbr": "NYY",
            "away_team_abbr": "BOS",
            "home_probable_pitcher_lookup": pairs["home"],
            "away_probable_pitcher_lookup": pairs["away"],
            "venue_team_abbr": "NYY",
        }
    )
    games = pd.DataFrame(
        {
            "game_id": [f"corpus-{i}" for i in range(len(names))],
            "game_date": FAR_DAY,
            "pitcher_lookup": names,
            "pitcher_name": names,
            "is_starter": True,
            "strikeouts": 5,
        }
    )
    props = pd.DataFrame(
        {
            "snapshot_time": pd.Timestamp(f"{FAR_DAY} 15:00", tz="UTC"),
            "game_date": FAR_DAY,
            "game_id": [f"corpus-{i}" for i in range(len(names))],
            "pitcher_lookup": names,
            "bookmaker": "draftkings",
            "line": 5.5,
            "over_price": -110,
            "under_price": -110,
        }
    )
    injuries = pd.DataFrame(
        {
            "snapshot_date": FAR_DAY,
            "pitcher_lookup": names,
            "is_pitcher": True,
            "injury_status": "15-Day-IL",
            "injury_date": FAR_DAY,
        }
    )
    for table, frame in (
        ("mlb_raw.mlb_schedule", schedule),
        ("mlb_analytics.pitcher_game_summary", games),
        ("mlb_raw.oddsa_pitcher_props", props),
        ("mlb_raw.bdl_injuries", injuries),
    ):
        con.register("_corpus", frame)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _corpus")
        con.unregister("_corpus")


@pytest.mark.parametrize(("judged", "raw_column", "served"), SOURCE_VIEWS)
def test_every_source_row_is_keyed_by_the_python_rule(
    warehouse: DuckDBWarehouse, judged: str, raw_column: str, served: str
) -> None:
    """The demo's own rows and every corpus name: the view's key of each raw value is the
    Python rule's, a name that keys to '' is rejected, and the served view holds exactly the
    kept rows."""
    add_corpus_rows(warehouse)
    rows = warehouse.query_text(
        f"SELECT {raw_column} AS raw, pitcher_lookup, row_status FROM mlb_precompute.{judged}"
    )
    assert len(rows) > len(NAMES)
    wrong = rows[rows["pitcher_lookup"] != rows["raw"].map(normalize_pitcher_key)]
    assert wrong.empty, wrong.head(10)
    empty = rows["pitcher_lookup"] == ""
    assert empty.sum() >= sum(1 for n in NAMES if n and not normalize_pitcher_key(n))
    assert (empty == (rows["row_status"] == "empty_key")).all()
    kept = rows[rows["row_status"] == "kept"]
    served_keys = warehouse.query_text(f"SELECT pitcher_lookup FROM mlb_precompute.{served}")
    assert len(served_keys) == len(kept)
    assert sorted(served_keys["pitcher_lookup"]) == sorted(kept["pitcher_lookup"])
