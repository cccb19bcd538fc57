-- Source tables: written upstream in production, by `mlb-assets demo seed` locally.
-- Each column carries its description here, once (BigQuery stores it; the Dagster UI shows it).
CREATE TABLE IF NOT EXISTS mlb_raw.mlb_schedule (
  game_id STRING NOT NULL OPTIONS(description="MLB game identifier, one per game."),
  game_date DATE NOT NULL OPTIONS(description="Date of the game, America/New_York."),
  game_start_time TIMESTAMP OPTIONS(description="Scheduled first pitch, UTC timestamp; only prop snapshots before it count as pre-game."),
  home_team_abbr STRING OPTIONS(description="Home team abbreviation."),
  away_team_abbr STRING OPTIONS(description="Away team abbreviation."),
  home_probable_pitcher_lookup STRING OPTIONS(description="Home team's announced probable starter as the feed names him; keyed by mlb_precompute.pitcher_key downstream. NULL until announced."),
  away_probable_pitcher_lookup STRING OPTIONS(description="Away team's announced probable starter as the feed names him; keyed by mlb_precompute.pitcher_key downstream. NULL until announced."),
  venue_team_abbr STRING OPTIONS(description="Abbreviation of the team whose ballpark hosts the game (joins mlb_reference.ballparks.team_abbr).")
)
PARTITION BY game_date;

CREATE TABLE IF NOT EXISTS mlb_analytics.pitcher_game_summary (
  game_id STRING NOT NULL OPTIONS(description="MLB game identifier (mlb_raw.mlb_schedule.game_id)."),
  game_date DATE NOT NULL OPTIONS(description="Date of the game, America/New_York."),
  pitcher_lookup STRING NOT NULL OPTIONS(description="Pitcher as the feed names him; keyed by mlb_precompute.pitcher_key downstream (e.g. gerrit_cole)."),
  pitcher_name STRING OPTIONS(description="Pitcher's display name."),
  team_abbr STRING OPTIONS(description="Abbreviation of the pitcher's team."),
  opponent_team_abbr STRING OPTIONS(description="Abbreviation of the opposing team."),
  is_home BOOL OPTIONS(description="TRUE when the pitcher's team was the home team."),
  is_starter BOOL OPTIONS(description="TRUE when he started the game; FALSE for a relief appearance."),
  strikeouts INT64 OPTIONS(description="Strikeouts recorded; outside 0-30 the source views read NULL."),
  batters_faced INT64 OPTIONS(description="Batters faced; outside 0-60 the source views read NULL."),
  innings_pitched FLOAT64 OPTIONS(description="Innings pitched as outs / 3, so 6 2/3 innings is 6.667; outside 0-15 the source views read NULL."),
  pitch_count INT64 OPTIONS(description="Pitches thrown; outside 0-200 the source views read NULL."),
  swinging_strikes INT64 OPTIONS(description="Pitches swung at and missed. NULL when pitch tracking is missing; outside 0-200 the source views read NULL."),
  called_strikes INT64 OPTIONS(description="Pitches taken for a called strike. NULL when pitch tracking is missing; outside 0-200 the source views read NULL."),
  pitches_outside_zone INT64 OPTIONS(description="Pitches outside the strike zone. NULL when pitch tracking is missing; outside 0-200 the source views read NULL."),
  chase_swings INT64 OPTIONS(description="Swings at pitches outside the zone. NULL when pitch tracking is missing; outside 0-200 the source views read NULL."),
  fastball_velocity FLOAT64 OPTIONS(description="Average fastball velocity in the game, mph. NULL when pitch tracking is missing; outside 60-110 the source views read NULL."),
  walks INT64 OPTIONS(description="Walks allowed; outside 0-30 the source views read NULL."),
  hits INT64 OPTIONS(description="Hits allowed; outside 0-30 the source views read NULL."),
  earned_runs INT64 OPTIONS(description="Earned runs allowed; outside 0-30 the source views read NULL.")
)
PARTITION BY game_date
CLUSTER BY pitcher_lookup;

CREATE TABLE IF NOT EXISTS mlb_raw.oddsa_pitcher_props (
  snapshot_time TIMESTAMP NOT NULL OPTIONS(description="When the odds feed captured these prices (UTC timestamp)."),
  game_date DATE NOT NULL OPTIONS(description="Date of the game the prop is for, America/New_York."),
  game_id STRING OPTIONS(description="MLB game identifier, when the feed gives one."),
  pitcher_lookup STRING NOT NULL OPTIONS(description="Pitcher as the feed names him; keyed by mlb_precompute.pitcher_key downstream."),
  bookmaker STRING NOT NULL OPTIONS(description="Bookmaker key, lower case (draftkings, fanduel, betmgm, caesars, ...)."),
  line FLOAT64 OPTIONS(description="Strikeout line, usually x.5 (a whole line can push); outside 0-30 the source views read NULL."),
  over_price INT64 OPTIONS(description="Price of the over, American odds (e.g. -115, +105); outside 100-10000 in absolute value the source views read NULL."),
  under_price INT64 OPTIONS(description="Price of the under, American odds (e.g. -105); outside 100-10000 in absolute value the source views read NULL.")
)
PARTITION BY game_date
CLUSTER BY pitcher_lookup, bookmaker;

CREATE TABLE IF NOT EXISTS mlb_raw.bdl_injuries (
  snapshot_date DATE NOT NULL OPTIONS(description="Date of the injury-report snapshot."),
  pitcher_lookup STRING NOT NULL OPTIONS(description="Player as the feed names him; keyed by mlb_precompute.pitcher_key downstream."),
  is_pitcher BOOL OPTIONS(description="TRUE for pitchers; only pitchers feed il_roster."),
  injury_status STRING OPTIONS(description="Status as the feed spells it (10-Day-IL, 15-Day-IL, 60-Day-IL, Out, Day-To-Day, ...); il_roster maps the IL spellings."),
  injury_date DATE OPTIONS(description="Date of the injury as the feed reports it. NULL if not given.")
)
PARTITION BY snapshot_date
CLUSTER BY pitcher_lookup;

CREATE TABLE IF NOT EXISTS mlb_reference.ballparks (
  team_abbr STRING NOT NULL OPTIONS(description="Abbreviation of the park's home team (mlb_schedule.venue_team_abbr)."),
  k_factor FLOAT64 OPTIONS(description="Park strikeout factor: 1.0 neutral, above 1.0 more strikeouts than an average park.")
);
