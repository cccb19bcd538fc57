-- Every raw source row as the pipeline judges it, before the source views of 030 keep the good
-- ones: the pitcher key (mlb_precompute.pitcher_key; the raw value stays as raw_pitcher),
-- values outside their physical bounds turned NULL (their names in out_of_bounds; the bounds
-- are in docs/FEATURES.md) and row_status:
--   'empty_key'  the name keys to '': rejected, so it never joins or merges with another row;
--   'duplicate'  another copy of the row's natural key is kept (a re-run upstream load);
--   'kept'       the row the source view serves.
-- mlb_assets/sql/sources/source_quality.sql counts these, so what a view leaves out is never silent.
-- The de-duplication of the large sources partitions by their date too (a game_id has one
-- date), so a date filter on a view still prunes the table beneath it.

CREATE OR REPLACE VIEW mlb_precompute.scheduled_starter_rows AS
WITH games AS (
  SELECT *,
         ROW_NUMBER() OVER (
           PARTITION BY game_id
           ORDER BY game_date, game_start_time, home_probable_pitcher_lookup,
                    away_probable_pitcher_lookup, home_team_abbr, away_team_abbr,
                    venue_team_abbr) AS copy_number
  FROM mlb_raw.mlb_schedule
),
sides AS (
  SELECT game_id, game_date, game_start_time, venue_team_abbr,
         home_team_abbr AS team_abbr, away_team_abbr AS opponent_team_abbr, TRUE AS is_home,
         home_probable_pitcher_lookup AS raw_pitcher, copy_number
  FROM games
  UNION ALL
  SELECT game_id, game_date, game_start_time, venue_team_abbr,
         away_team_abbr AS team_abbr, home_team_abbr AS opponent_team_abbr, FALSE AS is_home,
         away_probable_pitcher_lookup AS raw_pitcher, copy_number
  FROM games
),
keyed AS (
  SELECT * EXCEPT (copy_number), mlb_precompute.pitcher_key(raw_pitcher) AS pitcher_lookup,
         copy_number
  FROM sides
  -- A side without an announced probable pitcher has no starter yet: not a row to judge.
  WHERE raw_pitcher IS NOT NULL
)
SELECT * EXCEPT (copy_number),
       CASE WHEN copy_number > 1 THEN 'duplicate'
            WHEN pitcher_lookup = '' THEN 'empty_key'
            ELSE 'kept' END AS row_status
FROM keyed;

CREATE OR REPLACE VIEW mlb_precompute.pitcher_game_rows AS
WITH flagged AS (
  SELECT *,
         strikeouts NOT BETWEEN 0 AND 30 AS bad_strikeouts,
         batters_faced NOT BETWEEN 0 AND 60 AS bad_batters_faced,
         innings_pitched NOT BETWEEN 0 AND 15 AS bad_innings_pitched,
         pitch_count NOT BETWEEN 0 AND 200 AS bad_pitch_count,
         swinging_strikes NOT BETWEEN 0 AND 200 AS bad_swinging_strikes,
         called_strikes NOT BETWEEN 0 AND 200 AS bad_called_strikes,
         pitches_outside_zone NOT BETWEEN 0 AND 200 AS bad_pitches_outside_zone,
         chase_swings NOT BETWEEN 0 AND 200 AS bad_chase_swings,
         fastball_velocity NOT BETWEEN 60 AND 110 AS bad_fastball_velocity,
         walks NOT BETWEEN 0 AND 30 AS bad_walks,
         hits NOT BETWEEN 0 AND 30 AS bad_hits,
         earned_runs NOT BETWEEN 0 AND 30 AS bad_earned_runs
  FROM mlb_analytics.pitcher_game_summary
),
checked AS (
  SELECT game_id, game_date, pitcher_lookup AS raw_pitcher,
         mlb_precompute.pitcher_key(pitcher_lookup) AS pitcher_lookup, pitcher_name,
         team_abbr, opponent_team_abbr, is_home, is_starter,
         IF(bad_strikeouts, NULL, strikeouts) AS strikeouts,
         IF(bad_batters_faced, NULL, batters_faced) AS batters_faced,
         IF(bad_innings_pitched, NULL, innings_pitched) AS innings_pitched,
         IF(bad_pitch_count, NULL, pitch_count) AS pitch_count,
         IF(bad_swinging_strikes, NULL, swinging_strikes) AS swinging_strikes,
         IF(bad_called_strikes, NULL, called_strikes) AS called_strikes,
         IF(bad_pitches_outside_zone, NULL, pitches_outside_zone) AS pitches_outside_zone,
         IF(bad_chase_swings, NULL, chase_swings) AS chase_swings,
         IF(bad_fastball_velocity, NULL, fastball_velocity) AS fastball_velocity,
         IF(bad_walks, NULL, walks) AS walks,
         IF(bad_hits, NULL, hits) AS hits,
         IF(bad_earned_runs, NULL, earned_runs) AS earned_runs,
         RTRIM(CONCAT(
           IF(bad_strikeouts, 'strikeouts, ', ''),
           IF(bad_batters_faced, 'batters_faced, ', ''),
           IF(bad_innings_pitched, 'innings_pitched, ', ''),
           IF(bad_pitch_count, 'pitch_count, ', ''),
           IF(bad_swinging_strikes, 'swinging_strikes, ', ''),
           IF(bad_called_strikes, 'called_strikes, ', ''),
           IF(bad_pitches_outside_zone, 'pitches_outside_zone, ', ''),
           IF(bad_chase_swings, 'chase_swings, ', ''),
           IF(bad_fastball_velocity, 'fastball_velocity, ', ''),
           IF(bad_walks, 'walks, ', ''),
           IF(bad_hits, 'hits, ', ''),
           IF(bad_earned_runs, 'earned_runs, ', '')), ', ') AS out_of_bounds
  FROM flagged
),
ranked AS (
  SELECT *,
         -- Of two copies of one appearance, the one without implausible values wins; the
         -- rest of the order only makes the pick deterministic.
         ROW_NUMBER() OVER (
           PARTITION BY game_date, game_id, pitcher_lookup
           ORDER BY out_of_bounds != '', raw_pitcher, pitcher_name, team_abbr,
                    opponent_team_abbr, is_home, is_starter, strikeouts, batters_faced,
                    innings_pitched, pitch_count, swinging_strikes, called_strikes,
                    pitches_outside_zone, chase_swings, fastball_velocity, walks, hits,
                    earned_runs) AS copy_number
  FROM checked
)
SELECT * EXCEPT (copy_number),
       CASE WHEN pitcher_lookup = '' THEN 'empty_key'
            WHEN copy_number > 1 THEN 'duplicate'
            ELSE 'kept' END AS row_status
FROM ranked;

-- A book can post twice in the same minute (snapshot_time has minute resolution), so only a
-- copy with the same line and prices too is a duplicate; two different posts of one minute
-- are both kept and mlb_precompute.best_prop_lines breaks the tie.
CREATE OR REPLACE VIEW mlb_precompute.prop_snapshot_rows AS
WITH flagged AS (
  SELECT *,
         line NOT BETWEEN 0 AND 30 AS bad_line,
         ABS(over_price) NOT BETWEEN 100 AND 10000 AS bad_over_price,
         ABS(under_price) NOT BETWEEN 100 AND 10000 AS bad_under_price
  FROM mlb_raw.oddsa_pitcher_props
),
checked AS (
  SELECT snapshot_time, game_date, game_id, pitcher_lookup AS raw_pitcher,
         mlb_precompute.pitcher_key(pitcher_lookup) AS pitcher_lookup,
         LOWER(TRIM(bookmaker)) AS bookmaker,
         IF(bad_line, NULL, line) AS line,
         IF(bad_over_price, NULL, over_price) AS over_price,
         IF(bad_under_price, NULL, under_price) AS under_price,
         RTRIM(CONCAT(
           IF(bad_line, 'line, ', ''),
           IF(bad_over_price, 'over_price, ', ''),
           IF(bad_under_price, 'under_price, ', '')), ', ') AS out_of_bounds
  FROM flagged
),
ranked AS (
  SELECT *,
         ROW_NUMBER() OVER (
           PARTITION BY game_date, snapshot_time, game_id, pitcher_lookup, bookmaker, line,
                        over_price, under_price
           ORDER BY raw_pitcher) AS copy_number
  FROM checked
)
SELECT * EXCEPT (copy_number),
       CASE WHEN pitcher_lookup = '' THEN 'empty_key'
            WHEN copy_number > 1 THEN 'duplicate'
            ELSE 'kept' END AS row_status
FROM ranked;

CREATE OR REPLACE VIEW mlb_precompute.injury_snapshot_rows AS
WITH ranked AS (
  SELECT snapshot_date, pitcher_lookup AS raw_pitcher,
         mlb_precompute.pitcher_key(pitcher_lookup) AS pitcher_lookup, is_pitcher,
         injury_status, injury_date,
         -- One report per pitcher per daily snapshot: the latest injury, deterministically.
         ROW_NUMBER() OVER (
           PARTITION BY snapshot_date, mlb_precompute.pitcher_key(pitcher_lookup)
           ORDER BY is_pitcher DESC, injury_date DESC, injury_status, pitcher_lookup)
           AS copy_number
  FROM mlb_raw.bdl_injuries
)
SELECT * EXCEPT (copy_number),
       CASE WHEN pitcher_lookup = '' THEN 'empty_key'
            WHEN copy_number > 1 THEN 'duplicate'
            ELSE 'kept' END AS row_status
FROM ranked;
