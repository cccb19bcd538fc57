-- Sources as the pipeline reads them: pitcher keys normalised ONCE, here, before any join
-- (lower snake case; accents, dots, apostrophes, Jr./Sr./II/III suffixes and hyphens removed).
-- mlb_assets.features.names.normalize_pitcher_key applies the same rules in Python.

CREATE OR REPLACE VIEW mlb_precompute.scheduled_starters AS
WITH sides AS (
  SELECT game_id, game_date, game_start_time, venue_team_abbr,
         home_team_abbr AS team_abbr, away_team_abbr AS opponent_team_abbr, TRUE AS is_home,
         home_probable_pitcher_lookup AS raw_pitcher
  FROM mlb_raw.mlb_schedule
  UNION ALL
  SELECT game_id, game_date, game_start_time, venue_team_abbr,
         away_team_abbr AS team_abbr, home_team_abbr AS opponent_team_abbr, FALSE AS is_home,
         away_probable_pitcher_lookup AS raw_pitcher
  FROM mlb_raw.mlb_schedule
)
SELECT game_id, game_date, game_start_time, venue_team_abbr, team_abbr, opponent_team_abbr,
       is_home,
       TRIM(REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(
         NORMALIZE(LOWER(TRIM(raw_pitcher)), NFD), r'\pM', ''),
         r",?\s+(jr|sr|ii|iii)\.?$|[.']", ''), r'[^a-z0-9]+', '_'), '_') AS pitcher_lookup
FROM sides
WHERE raw_pitcher IS NOT NULL;

CREATE OR REPLACE VIEW mlb_precompute.pitcher_games AS
SELECT * EXCEPT (pitcher_lookup),
       TRIM(REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(
         NORMALIZE(LOWER(TRIM(pitcher_lookup)), NFD), r'\pM', ''),
         r",?\s+(jr|sr|ii|iii)\.?$|[.']", ''), r'[^a-z0-9]+', '_'), '_') AS pitcher_lookup
FROM mlb_analytics.pitcher_game_summary;

CREATE OR REPLACE VIEW mlb_precompute.prop_snapshots AS
SELECT * EXCEPT (pitcher_lookup, bookmaker),
       LOWER(TRIM(bookmaker)) AS bookmaker,
       TRIM(REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(
         NORMALIZE(LOWER(TRIM(pitcher_lookup)), NFD), r'\pM', ''),
         r",?\s+(jr|sr|ii|iii)\.?$|[.']", ''), r'[^a-z0-9]+', '_'), '_') AS pitcher_lookup
FROM mlb_raw.oddsa_pitcher_props;

CREATE OR REPLACE VIEW mlb_precompute.injury_snapshots AS
SELECT * EXCEPT (pitcher_lookup),
       TRIM(REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(
         NORMALIZE(LOWER(TRIM(pitcher_lookup)), NFD), r'\pM', ''),
         r",?\s+(jr|sr|ii|iii)\.?$|[.']", ''), r'[^a-z0-9]+', '_'), '_') AS pitcher_lookup
FROM mlb_raw.bdl_injuries;

-- The day's line per starter, selected ONE way for both prop_lines and the feature slice:
-- snapshots before first pitch only; the highest-priority bookmaker that posted one; its
-- latest snapshot. The odds maths (vig removal) is the Python core's (mlb_assets/betting.py).
CREATE OR REPLACE VIEW mlb_precompute.best_prop_lines AS
WITH pregame AS (
  SELECT p.game_date, s.game_id, p.pitcher_lookup, p.bookmaker, p.snapshot_time,
         p.line, p.over_price, p.under_price,
         CASE p.bookmaker WHEN 'draftkings' THEN 1 WHEN 'fanduel' THEN 2
              WHEN 'betmgm' THEN 3 WHEN 'caesars' THEN 4 ELSE 5 END AS bookmaker_priority
  FROM mlb_precompute.prop_snapshots AS p
  JOIN mlb_precompute.scheduled_starters AS s
    ON s.game_date = p.game_date AND s.pitcher_lookup = p.pitcher_lookup
  WHERE p.snapshot_time < s.game_start_time
    AND p.line IS NOT NULL AND p.over_price IS NOT NULL AND p.under_price IS NOT NULL
),
best AS (
  SELECT * FROM pregame
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, pitcher_lookup
    -- Books can post twice in the same minute: the remaining keys make the pick deterministic.
    ORDER BY bookmaker_priority, snapshot_time DESC, bookmaker, line, over_price, under_price) = 1
)
SELECT game_date, game_id, pitcher_lookup, bookmaker, snapshot_time,
       line AS strikeouts_line, over_price AS over_odds, under_price AS under_odds
FROM best;
