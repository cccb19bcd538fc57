-- Source tables: written upstream in production, by `mlb-assets demo seed` locally.
CREATE TABLE IF NOT EXISTS mlb_raw.mlb_schedule (
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,
  game_start_time TIMESTAMP,
  home_team_abbr STRING,
  away_team_abbr STRING,
  home_probable_pitcher_lookup STRING,
  away_probable_pitcher_lookup STRING,
  venue_team_abbr STRING
)
PARTITION BY game_date;

CREATE TABLE IF NOT EXISTS mlb_analytics.pitcher_game_summary (
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,
  pitcher_lookup STRING NOT NULL,
  pitcher_name STRING,
  team_abbr STRING,
  opponent_team_abbr STRING,
  is_home BOOL,
  is_starter BOOL,
  strikeouts INT64,
  batters_faced INT64,
  innings_pitched FLOAT64,
  pitch_count INT64,
  swinging_strikes INT64,
  called_strikes INT64,
  pitches_outside_zone INT64,
  chase_swings INT64,
  fastball_velocity FLOAT64,
  walks INT64,
  hits INT64,
  earned_runs INT64
)
PARTITION BY game_date
CLUSTER BY pitcher_lookup;

CREATE TABLE IF NOT EXISTS mlb_raw.oddsa_pitcher_props (
  snapshot_time TIMESTAMP NOT NULL,
  game_date DATE NOT NULL,
  game_id STRING,
  pitcher_lookup STRING NOT NULL,
  bookmaker STRING NOT NULL,
  line FLOAT64,
  over_price INT64,
  under_price INT64
)
PARTITION BY game_date
CLUSTER BY pitcher_lookup, bookmaker;

CREATE TABLE IF NOT EXISTS mlb_raw.bdl_injuries (
  snapshot_date DATE NOT NULL,
  pitcher_lookup STRING NOT NULL,
  is_pitcher BOOL,
  injury_status STRING,
  injury_date DATE
)
PARTITION BY snapshot_date
CLUSTER BY pitcher_lookup;

CREATE TABLE IF NOT EXISTS mlb_reference.ballparks (
  team_abbr STRING NOT NULL,
  k_factor FLOAT64
);
