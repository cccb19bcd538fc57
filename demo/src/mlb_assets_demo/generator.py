"""Generate the demo's source tables: seeded seasons built on each season's real starters.

``generate_demo`` returns pandas frames keyed "dataset.table", with exactly the columns (and
order) the migrations create, read from the project's one DDL catalogue
(``mlb_assets.resources.table_schemas``), so the warehouse can load them as they are and a
column added to the DDL is never silently left out. Type mapping: STRING -> object of str,
DATE -> object of datetime.date, TIMESTAMP -> datetime64[ns, UTC], INT64 -> int64 (nullable
Int64 for the pitch-tracking columns, which have deliberate gaps), FLOAT64 -> float64,
BOOL -> bool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from mlb_assets.resources.table_schemas import table_columns
from mlb_assets_demo import reference
from mlb_assets_demo.boxscores import blank_swing_data, pitcher_traits
from mlb_assets_demo.games import SimulatedSeason, book_spread, simulate_games, with_names
from mlb_assets_demo.injuries import build_injuries
from mlb_assets_demo.market import BatterSpread
from mlb_assets_demo.props import build_props
from mlb_assets_demo.reference import DEFAULT_SEASONS, Season, load_season, season_rng
from mlb_assets_demo.schedule import first_pitch_minute

SCHEDULE = "mlb_raw.mlb_schedule"
GAME_SUMMARY = "mlb_analytics.pitcher_game_summary"
PROPS = "mlb_raw.oddsa_pitcher_props"
INJURIES = "mlb_raw.bdl_injuries"
BALLPARKS = "mlb_reference.ballparks"

# The source tables, in the order they are written.
SOURCE_TABLES = (SCHEDULE, GAME_SUMMARY, PROPS, INJURIES, BALLPARKS)
# The pitch-tracking counts have deliberate gaps, so they stay nullable integers.
NULLABLE_INTS = {"swinging_strikes", "called_strikes", "pitches_outside_zone", "chase_swings"}

# Pitchers with no pitch tracking at all, and random games the tracking feed dropped.
MISSING_SWING_PITCHER_SHARE = 0.05
MISSING_SWING_GAME_SHARE = 0.02
# Share of mid-season injured-list placements announced on a day the pitcher was the listed
# probable: the schedule still names him, a replacement actually starts.
SCRATCH_PROB = 0.5

Progress = Callable[[str], None]


def generate_demo(
    seed: int = 7,
    seasons: Iterable[int] = DEFAULT_SEASONS,
    progress: Progress | None = None,
) -> dict[str, pd.DataFrame]:
    """All five source tables for the given seasons, reproducible for a given seed."""
    report = progress or (lambda _message: None)
    years = sorted(set(seasons))
    traits, missing = pitcher_draws(seed)
    parks = ballparks(season_rng(seed, 0, "ballparks"))
    park_k = parks.set_index("team_abbr")["k_factor"]
    simulated: dict[int, SimulatedSeason] = {}
    parts = []
    for year in years:
        games = simulated[year] = simulate_games(seed, load_season(year), traits, park_k)
        spread = book_spread(seed, games, traits, park_k, simulated.get(year - 1))
        parts.append(_season_tables(seed, games, spread, missing, park_k, report))
    tables = {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in parts[0]}
    tables[BALLPARKS] = parks
    return {name: conform(name, tables[name]) for name in SOURCE_TABLES}


def pitcher_draws(seed: int) -> tuple[pd.DataFrame, set[str]]:
    """Every shipped starter's pitch traits, and the pitchers with no pitch tracking at all.

    Drawn over all shipped starters whichever seasons are generated, so a pitcher is the same
    pitcher in every demo. The starters of the default seasons draw first, from the streams
    they always drew from; those seen only in earlier seasons draw from streams of their own.
    So adding 2010-2017 to the shipped data left the default demo exactly as it was.
    """
    stints = reference.starters()
    default = stints["season"].isin(DEFAULT_SEASONS)
    first = sorted(stints.loc[default, "pitcher_lookup"].unique())
    rest = sorted(set(stints["pitcher_lookup"]) - set(first))
    traits, missing = [], set()
    for lookups, suffix in ((first, ""), (rest, "-earlier-seasons")):
        traits.append(pitcher_traits(lookups, season_rng(seed, 0, "traits" + suffix)))
        picker = season_rng(seed, 0, "missing-swing" + suffix)
        n_missing = max(1, round(MISSING_SWING_PITCHER_SHARE * len(lookups)))
        missing |= set(picker.choice(lookups, n_missing, replace=False))
    return pd.concat(traits), missing


def ballparks(rng: np.random.Generator) -> pd.DataFrame:
    """k_factor per home park (1.0 neutral, 0.9..1.1).

    Lahman has no strikeout park factor; hitter-friendly parks (high batting park factor)
    suppress strikeouts, so the factor leans against the real BPF of the default seasons,
    2018-2019, plus noise. The table has one factor per park for every season (as the
    warehouse's has), so earlier seasons use the same recent parks.
    """
    teams = reference.teams()
    recent = teams[teams["season"].isin(DEFAULT_SEASONS)]
    bpf = recent.groupby("team_abbr")["batting_park_factor"].mean().sort_index()
    k = 1.0 - 0.5 * (bpf.to_numpy() - 100.0) / 100.0 + rng.normal(0, 0.02, len(bpf))
    return pd.DataFrame({"team_abbr": bpf.index, "k_factor": np.round(np.clip(k, 0.9, 1.1), 3)})


def _season_tables(
    seed: int,
    games: SimulatedSeason,
    spread: BatterSpread,
    missing: set[str],
    park_k: pd.Series,
    report: Progress,
) -> dict[str, pd.DataFrame]:
    """One simulated season's source tables (each feed on its own random stream)."""
    season = games.season

    def rng(part: str) -> np.random.Generator:
        return season_rng(seed, season.year, part)

    lines = blank_swing_data(games.lines, missing, MISSING_SWING_GAME_SHARE, rng("swing-gaps"))
    probables = _probables(
        season, games.tgames.assign(profile=games.starters), games.plan.absences, rng("scratches")
    )
    starts = lines[lines["is_starter"]]
    props = build_props(season, probables, starts, park_k, spread, rng("props"))
    injuries = build_injuries(season, games.plan.absences, rng("injuries"))
    _report_months(season, games.games, lines, props, report)
    return {
        SCHEDULE: _schedule_table(season, games.games, probables),
        GAME_SUMMARY: _dated(
            season,
            lines.rename(columns={"team": "team_abbr", "opponent": "opponent_team_abbr"}),
            game_date="day",
        ),
        PROPS: _dated(season, props, game_date="day"),
        INJURIES: _dated(season, injuries, snapshot_date="day", injury_date="injury_day"),
    }


def _probables(
    season: Season, starts: pd.DataFrame, absences: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """The schedule's probable pitchers: the actual starters, except late scratches.

    A scratch is a pitcher placed on the injured list on a game day he was announced for: the
    schedule still names him (so the pipeline's injured-list skip has work to do) while a
    teammate takes the ball.
    """
    probables = with_names(season, starts)
    mid_season_il = absences[absences["status"].str.endswith("IL") & (absences["start_day"] > 0)]
    scratched = mid_season_il[rng.random(len(mid_season_il)) < SCRATCH_PROB]
    keys = pd.MultiIndex.from_frame(probables[["team", "day"]])
    hits = keys.get_indexer(pd.MultiIndex.from_frame(scratched[["team_abbr", "start_day"]]))
    found = hits >= 0
    lookup_rows = season.profiles.reset_index().set_index(["pitcher_lookup", "team_abbr"])["index"]
    injured = lookup_rows.reindex(
        pd.MultiIndex.from_frame(scratched.loc[found, ["pitcher_lookup", "team_abbr"]])
    ).to_numpy()
    probables.loc[probables.index[hits[found]], "profile"] = injured
    return with_names(season, probables)


def _schedule_table(season: Season, games: pd.DataFrame, probables: pd.DataFrame) -> pd.DataFrame:
    """mlb_schedule rows: one per game, both probables, venue = home team."""
    by_side = probables.set_index(["game_id", "is_home"])["pitcher_lookup"]
    keys = games["game_id"]
    first_pitch = pd.Timestamp(season.first_day, tz="UTC") + pd.to_timedelta(
        first_pitch_minute(games["day"].to_numpy(), games["start_hour"].to_numpy()), unit="min"
    )
    table = pd.DataFrame(
        {
            "game_id": keys.to_numpy(),
            "day": games["day"].to_numpy(),
            "game_start_time": first_pitch,
            "home_team_abbr": games["home"].to_numpy(),
            "away_team_abbr": games["away"].to_numpy(),
            "home_probable_pitcher_lookup": by_side.reindex(
                pd.MultiIndex.from_arrays([keys, np.ones(len(keys), dtype=bool)])
            ).to_numpy(),
            "away_probable_pitcher_lookup": by_side.reindex(
                pd.MultiIndex.from_arrays([keys, np.zeros(len(keys), dtype=bool)])
            ).to_numpy(),
            "venue_team_abbr": games["home"].to_numpy(),
        }
    )
    return _dated(season, table, game_date="day")


def _dated(season: Season, frame: pd.DataFrame, **columns: str) -> pd.DataFrame:
    """Add DATE columns (datetime.date) from season day-number columns."""
    out = frame.copy()
    for name, source in columns.items():
        out[name] = pd.DatetimeIndex(season.dates(frame[source].to_numpy())).date
    return out


def _report_months(
    season: Season,
    games: pd.DataFrame,
    lines: pd.DataFrame,
    props: pd.DataFrame,
    report: Progress,
) -> None:
    """One progress line per simulated month."""
    month = pd.DatetimeIndex(season.dates(np.arange(season.n_days))).month.to_numpy()
    game_days = pd.Series(month[games["day"].unique()]).value_counts()
    starts = pd.Series(month[lines.loc[lines["is_starter"], "day"]]).value_counts()
    posted = props.drop_duplicates(["day", "pitcher_lookup"])
    lines_posted = pd.Series(month[posted["day"]]).value_counts()
    for m in sorted(game_days.index):
        report(
            f"{season.year}-{m:02d}: {game_days[m]} game days, {starts.get(m, 0)} starts, "
            f"{lines_posted.get(m, 0)} pitcher-days with lines"
        )


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Select the DDL columns in DDL order and cast each to its pandas type."""
    schema = table_columns(name)
    out = frame[[col for col, _ in schema]].copy()
    for col, kind in schema:
        if kind == "INT64":
            out[col] = out[col].astype("Int64" if col in NULLABLE_INTS else "int64")
        elif kind == "FLOAT64":
            out[col] = out[col].astype("float64")
        elif kind == "BOOL":
            out[col] = out[col].astype(bool)
        elif kind == "TIMESTAMP":
            out[col] = pd.to_datetime(out[col], utc=True).astype("datetime64[ns, UTC]")
        elif kind == "STRING":
            out[col] = out[col].astype(object)
    return out.reset_index(drop=True)
