"""`mlb-assets demo seed --seasons`: other real seasons than the default two, and bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlb_assets.cli import main
from mlb_assets.cli.main import season_list
from mlb_assets_demo import reference
from mlb_assets_tests.conftest import query_copy


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder the command seeds into (its warehouse and model store)."""
    monkeypatch.setenv("MLB_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("MLB_MODEL_STORE", str(tmp_path / "models"))
    return tmp_path


def test_seeds_the_seasons_asked_for_with_their_real_pitchers_and_dates(
    demo_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "seed", "--seasons", "2011,2014"]) == 0
    assert "demo warehouse ready" in capsys.readouterr().out
    seasons = query_copy(
        demo_env,
        "SELECT EXTRACT(YEAR FROM game_date) AS season, MIN(game_date) AS first_day, "
        "MAX(game_date) AS last_day FROM mlb_raw.mlb_schedule "
        "GROUP BY 1 ORDER BY 1",
    )
    assert seasons["season"].tolist() == [2011, 2014]
    for row in seasons.itertuples():
        assert (row.first_day.date(), row.last_day.date()) == reference.SEASON_DATES[row.season]
    pitchers = query_copy(
        demo_env,
        "SELECT DISTINCT EXTRACT(YEAR FROM game_date) AS season, pitcher_lookup, team_abbr "
        "FROM mlb_analytics.pitcher_game_summary WHERE is_starter",
    )
    real = reference.starters()
    for year in (2011, 2014):
        in_year = pitchers[pitchers["season"] == year]
        assert set(in_year["pitcher_lookup"]) == set(
            real.query("season == @year")["pitcher_lookup"]
        )
    # Two seasons' real aces with their real teams: Verlander's 2011, Kershaw's 2014.
    aces = set(
        pitchers[["season", "pitcher_lookup", "team_abbr"]].itertuples(index=False, name=None)
    )
    assert {(2011, "justin_verlander", "DET"), (2014, "clayton_kershaw", "LAD")} <= aces


def test_ranges_and_lists_parse_to_the_sorted_seasons() -> None:
    assert season_list("2010-2019") == tuple(range(2010, 2020))
    assert season_list("2019, 2015-2016,2015") == (2015, 2016, 2019)
    assert season_list("2018") == (2018,)


@pytest.mark.parametrize("value", ["2019-2010", "20x9", "", "2010-", "2010,,2011", "19"])
def test_a_malformed_value_exits_2_with_one_line(
    demo_env: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["demo", "seed", "--seasons", value])
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert f"argument --seasons: {value!r} is not a season (2019), a range (2010-2019)" in err


def test_a_season_without_data_exits_2_and_builds_nothing(
    demo_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "seed", "--seasons", "2009-2010"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().splitlines() == [
        "mlb-assets: error: no demo data for season 2009: the demo has the seasons 2010-2019"
    ]
    assert list(demo_env.iterdir()) == []
