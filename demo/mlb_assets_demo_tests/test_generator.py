"""The demo generator produces baseball that looks real, matches the DDL, and is reproducible."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from mlb_assets.betting import american_to_implied
from mlb_assets.features.names import normalize_pitcher_key
from mlb_assets.resources.sql import read_sql
from mlb_assets_demo import reference
from mlb_assets_demo.generator import (
    BALLPARKS,
    GAME_SUMMARY,
    INJURIES,
    PROPS,
    SCHEDULE,
    SOURCE_TABLES,
    generate_demo,
)
from mlb_assets_demo.summary import (
    il_stint_count,
    pitchers_missing_swing_data,
    scratched_probables,
    summarize,
)

DDL = "migrations/010_source_tables.sql"
KEY = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


def _ddl_tables() -> dict[str, list[tuple[str, str, bool]]]:
    """(column, type, not_null) per table, parsed from the migration the warehouse runs."""
    parsed = {}
    for name, body in re.findall(
        r"CREATE TABLE IF NOT EXISTS (\S+) \((.*?)\n\)", read_sql(DDL), re.S
    ):
        cols = [line.strip().rstrip(",").split() for line in body.strip().splitlines()]
        parsed[name] = [(c[0], c[1], "NOT" in c) for c in cols]
    return parsed


def test_columns_and_types_match_the_ddl(tables: dict[str, pd.DataFrame]) -> None:
    ddl = _ddl_tables()
    assert set(ddl) == set(SOURCE_TABLES) == set(tables)
    for name, cols in ddl.items():
        frame = tables[name]
        assert list(frame.columns) == [c for c, _, _ in cols], name
        for col, kind, not_null in cols:
            values = frame[col].dropna()
            if not_null:
                assert frame[col].notna().all(), (name, col)
            if kind == "DATE":
                assert all(type(v) is date for v in values), (name, col)
            elif kind == "TIMESTAMP":
                assert str(frame[col].dtype) == "datetime64[ns, UTC]", (name, col)
            elif kind == "INT64":
                assert pd.api.types.is_integer_dtype(frame[col]), (name, col)
            elif kind == "FLOAT64":
                assert frame[col].dtype == np.float64, (name, col)
            elif kind == "BOOL":
                assert frame[col].dtype == bool, (name, col)
            else:
                assert all(isinstance(v, str) for v in values), (name, col)


def test_strikeouts_per_start_look_like_mlb(starts: pd.DataFrame) -> None:
    assert 4.6 <= starts["strikeouts"].mean() <= 5.6
    assert 2.0 <= starts["strikeouts"].std() <= 2.9
    month = pd.to_datetime(starts["game_date"]).dt.month
    april = starts.loc[month == 4, "strikeouts"].mean()
    assert april < starts.loc[month > 4, "strikeouts"].mean()


def test_league_k_per_9_is_about_8_7(tables: dict[str, pd.DataFrame]) -> None:
    games = tables[GAME_SUMMARY]
    k9 = 9 * games["strikeouts"].sum() / games["innings_pitched"].sum()
    assert 8.2 <= k9 <= 9.2


def test_typical_day_has_24_to_32_scheduled_starters(tables: dict[str, pd.DataFrame]) -> None:
    schedule = tables[SCHEDULE]
    per_day = schedule.groupby("game_date").size() * 2
    assert 24 <= per_day.median() <= 32
    assert (
        schedule[["home_probable_pitcher_lookup", "away_probable_pitcher_lookup"]]
        .notna()
        .all()
        .all()
    )
    assert (schedule["venue_team_abbr"] == schedule["home_team_abbr"]).all()
    teams = pd.concat([schedule["home_team_abbr"], schedule["away_team_abbr"]])
    season = pd.to_datetime(pd.concat([schedule["game_date"]] * 2)).dt.year
    per_team = teams.groupby([season.to_numpy(), teams.to_numpy()]).size()
    assert len(per_team) == 60 and per_team.between(155, 169).all()


def test_every_team_game_has_exactly_one_starter(
    tables: dict[str, pd.DataFrame], starts: pd.DataFrame
) -> None:
    assert not starts.duplicated(["game_id", "team_abbr"]).any()
    assert len(starts) == 2 * len(tables[SCHEDULE])
    assert set(starts["game_id"]) == set(tables[SCHEDULE]["game_id"])


def test_rotation_rest_is_mostly_four_to_six_days(starts: pd.DataFrame) -> None:
    ordered = starts.assign(d=pd.to_datetime(starts["game_date"])).sort_values("d")
    gaps = ordered.groupby("pitcher_lookup")["d"].diff().dt.days.dropna()
    gaps = gaps[gaps < 60]  # skip the winter
    assert gaps.between(5, 7).mean() > 0.7
    assert (gaps >= 4).mean() > 0.99


def test_lines_are_mostly_half_points_between_2_5_and_9_5(
    tables: dict[str, pd.DataFrame],
) -> None:
    line = tables[PROPS]["line"]
    assert line.between(2.5, 9.5).all()
    whole = (line % 1 == 0).mean()
    assert ((line * 2) % 1 == 0).all()
    assert 0.01 <= whole <= 0.08  # a few whole lines, so pushes exist
    assert line.between(4.5, 6.5).mean() > 0.5


def test_prices_of_both_sides_are_present_with_a_7_percent_hold(
    tables: dict[str, pd.DataFrame],
) -> None:
    props = tables[PROPS]
    prices = props[["over_price", "under_price"]]
    assert prices.notna().all().all()
    assert (prices.abs() >= 100).all().all()
    overround = american_to_implied(props["over_price"]) + american_to_implied(props["under_price"])
    assert overround.min() >= 1.06 and overround.max() <= 1.08
    assert overround.mean() == pytest.approx(1.07, abs=0.003)
    # Priced around each line (the line sits at the book's median), centred on -115.
    assert props["over_price"].between(-200, 150).mean() > 0.95
    assert props["over_price"].median() == pytest.approx(-115, abs=10)


def test_about_80_percent_of_starters_have_lines_with_pregame_snapshots(
    tables: dict[str, pd.DataFrame],
) -> None:
    props, schedule = tables[PROPS], tables[SCHEDULE]
    first_pitch = props["game_id"].map(schedule.set_index("game_id")["game_start_time"])
    pregame = props[props["snapshot_time"] < first_pitch]
    assert (props["snapshot_time"] > first_pitch).any()  # live lines the pipeline must ignore
    assert (pregame["snapshot_time"].dt.hour >= 14).all()
    posted = props.drop_duplicates(["game_date", "pitcher_lookup"])
    assert len(pregame.drop_duplicates(["game_date", "pitcher_lookup"])) == len(posted)
    assert 0.7 <= len(posted) / (2 * len(schedule)) <= 0.9
    assert (
        props["bookmaker"].isin(["draftkings", "fanduel", "betmgm", "caesars", "pointsbet"]).all()
    )


def test_injured_pitchers_never_start_while_listed(
    tables: dict[str, pd.DataFrame], starts: pd.DataFrame
) -> None:
    injuries = tables[INJURIES]
    assert il_stint_count(injuries) >= 1
    assert (~injuries["is_pitcher"]).any()
    assert (injuries["injury_date"] <= injuries["snapshot_date"]).all()
    listed = injuries.set_index(["snapshot_date", "pitcher_lookup"]).index
    assert not pd.MultiIndex.from_frame(starts[["game_date", "pitcher_lookup"]]).isin(listed).any()


def test_scratched_probables_are_on_the_injured_list(
    tables: dict[str, pd.DataFrame], starts: pd.DataFrame
) -> None:
    scratched = scratched_probables(tables[SCHEDULE], starts)
    assert len(scratched) >= 1
    listed = tables[INJURIES].set_index(["snapshot_date", "pitcher_lookup"]).index
    assert pd.MultiIndex.from_frame(scratched[["game_date", "pitcher_lookup"]]).isin(listed).all()


def test_deliberate_gaps_exist(starts: pd.DataFrame) -> None:
    assert len(pitchers_missing_swing_data(starts)) >= 1
    assert 0.85 < starts["swinging_strikes"].notna().mean() < 0.99
    assert (starts["innings_pitched"] <= 2).any()  # openers
    dates = pd.to_datetime(starts["game_date"])
    first = dates.groupby([dates.dt.year, starts["pitcher_lookup"]]).min()
    assert (first.dt.month >= 6).any()  # first start of the season comes mid-season


def test_swing_and_miss_rates_are_plausible(starts: pd.DataFrame) -> None:
    tracked = starts.dropna(subset=["swinging_strikes"])
    pitches = tracked["pitch_count"].sum()
    assert 0.09 <= tracked["swinging_strikes"].sum() / pitches <= 0.13
    assert 0.14 <= tracked["called_strikes"].sum() / pitches <= 0.18
    chase = tracked["chase_swings"].sum() / tracked["pitches_outside_zone"].sum()
    assert 0.25 <= chase <= 0.35
    assert 3.6 <= starts["pitch_count"].sum() / starts["batters_faced"].sum() <= 4.2
    assert 91 <= tracked["fastball_velocity"].mean() <= 95


def test_keys_are_normalised_and_join_across_sources(
    tables: dict[str, pd.DataFrame], starts: pd.DataFrame
) -> None:
    for name, col in [
        (SCHEDULE, "home_probable_pitcher_lookup"),
        (SCHEDULE, "away_probable_pitcher_lookup"),
        (GAME_SUMMARY, "pitcher_lookup"),
        (PROPS, "pitcher_lookup"),
        (INJURIES, "pitcher_lookup"),
    ]:
        assert tables[name][col].str.match(KEY).all(), (name, col)
    assert set(tables[PROPS]["game_id"]) <= set(tables[SCHEDULE]["game_id"])
    assert set(tables[BALLPARKS]["team_abbr"]) == set(tables[SCHEDULE]["home_team_abbr"])
    assert tables[BALLPARKS]["k_factor"].between(0.9, 1.1).all()
    # Display names may carry accents and suffixes; keys never do.
    names = starts.drop_duplicates("pitcher_lookup")
    assert names["pitcher_name"].str.contains("é|Jr\\.").any()
    assert (names["pitcher_name"].map(normalize_pitcher_key) == names["pitcher_lookup"]).all()


def test_shipped_csv_keys_follow_the_project_key_rule() -> None:
    starters, hitters = reference.starters(), reference.hitters()
    keys = starters["pitcher_name"].map(normalize_pitcher_key)
    assert (keys == starters["pitcher_lookup"]).all()
    assert (keys.map(normalize_pitcher_key) == keys).all()  # keys are fixed points
    assert (hitters["player_name"].map(normalize_pitcher_key) == hitters["player_lookup"]).all()
    assert starters.groupby("season")["team_abbr"].nunique().eq(30).all()
    by_key = starters.groupby("pitcher_lookup")["playerID"].nunique()
    assert (by_key == 1).all()  # no two people share a key


def test_same_seed_is_identical_and_another_differs(tables: dict[str, pd.DataFrame]) -> None:
    again = generate_demo(seed=7)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, again[name])
    other = generate_demo(seed=8, seasons=(2019,))
    mine = tables[GAME_SUMMARY]
    mine_2019 = mine[pd.to_datetime(mine["game_date"]).dt.year == 2019].reset_index(drop=True)
    assert not mine_2019.equals(other[GAME_SUMMARY])


def _season_share(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of one season (by the table's first date column; a table without dates is
    the same for every season)."""
    date_cols = frame.columns[frame.columns.str.contains("date")]
    if date_cols.empty:
        return frame
    return frame[pd.to_datetime(frame[date_cols[0]]).dt.year == year].reset_index(drop=True)


def test_other_seasons_change_nothing_but_the_book_after_them(
    tables: dict[str, pd.DataFrame],
) -> None:
    """A season's tables depend on itself alone, except its book's lines: the book fits on the
    season before when that season is generated with it (else on a burn-in). So adding a
    season to a demo changes no other season, and 2019 alone prices differently."""
    more = generate_demo(seed=7, seasons=(2010, 2018, 2019))
    alone = generate_demo(seed=7, seasons=(2019,))
    for name, frame in tables.items():
        for year in (2018, 2019):
            pd.testing.assert_frame_equal(
                _season_share(more[name], year), _season_share(frame, year)
            )
        if name == PROPS:
            assert not alone[name].equals(_season_share(frame, 2019))
        else:
            pd.testing.assert_frame_equal(alone[name], _season_share(frame, 2019))


def test_progress_reports_each_month() -> None:
    messages: list[str] = []
    generate_demo(seed=3, seasons=(2018,), progress=messages.append)
    assert [m[:7] for m in messages] == [f"2018-{m:02d}" for m in range(3, 10)]


def test_an_earlier_season_is_its_own_real_season() -> None:
    """2010, from the extended data: its real starters, its real calendar (into October), and
    its lower strikeout level (starters' K/9 about 6.8 then, 8.7 in 2019)."""
    messages: list[str] = []
    games = generate_demo(seed=7, seasons=(2010,), progress=messages.append)[GAME_SUMMARY]
    dates = pd.to_datetime(games["game_date"]).dt.date
    assert (dates.min(), dates.max()) == reference.SEASON_DATES[2010]
    assert [m[:7] for m in messages] == [f"2010-{m:02d}" for m in range(4, 11)]
    real = reference.starters().query("season == 2010")
    assert set(games["pitcher_lookup"]) == set(real["pitcher_lookup"])
    starts = games[games["is_starter"]]
    k9 = 9 * starts["strikeouts"].sum() / starts["innings_pitched"].sum()
    assert k9 == pytest.approx(9 * real["strikeouts"].sum() / (real["ip_outs"].sum() / 3), abs=0.3)


def test_unknown_season_is_refused() -> None:
    with pytest.raises(ValueError, match="2009"):
        generate_demo(seasons=(2009,))


def test_summary_figures(tables: dict[str, pd.DataFrame]) -> None:
    figures = summarize(tables)
    assert figures["days"] > 350 and figures["starts"] == 2 * figures["games"]
    assert figures["il_stints"] >= 1 and figures["pitchers_missing_swing_data"] >= 1
    assert 24 <= figures["median_starters_per_day"] <= 32
    assert figures["lines_posted"] > 0.7 * figures["starts"]


def test_strikeout_leaders_keep_their_real_rates(tables: dict[str, pd.DataFrame]) -> None:
    """Pitcher-seasons with a real K% above 30 % strike out about as often in the simulation."""
    games = tables[GAME_SUMMARY]
    counts = ["strikeouts", "batters_faced"]
    season = pd.to_datetime(games["game_date"]).dt.year.rename("season")
    simulated = games.groupby([season, games["pitcher_lookup"]])[counts].sum()
    real = reference.starters().groupby(["season", "pitcher_lookup"])[counts].sum()
    both = real.join(simulated, rsuffix="_sim")
    real_rate = both["strikeouts"] / both["batters_faced"]
    sim_rate = both["strikeouts_sim"] / both["batters_faced_sim"]
    aces = both[(real_rate > 0.30) & (both["batters_faced"] >= 300)]
    assert len(aces) >= 20
    assert aces["strikeouts_sim"].sum() / aces["batters_faced_sim"].sum() == pytest.approx(
        aces["strikeouts"].sum() / aces["batters_faced"].sum(), abs=0.01
    )
    # The leaders stay leaders: each season's four best real rates are in its simulated top 8,
    # and the order of the regulars (500+ batters) survives the binomial noise.
    regulars = both["batters_faced"] >= 500
    for year in (2018, 2019):
        in_year = regulars & (both.index.get_level_values("season") == year)
        real_top = set(real_rate[in_year].nlargest(4).index)
        assert real_top <= set(sim_rate[in_year].nlargest(8).index), year
        assert real_rate[in_year].corr(sim_rate[in_year], method="spearman") > 0.85, year
