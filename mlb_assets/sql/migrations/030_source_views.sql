-- Sources as the pipeline reads them: the 'kept' rows of each source's judgement in 026 (one
-- row per natural key, keyed by the ONE pitcher-key rule mlb_precompute.pitcher_key of 025,
-- values outside physical bounds NULL). So a name with an empty key never joins or merges, a
-- re-loaded copy never counts twice, and what was left out is counted, never silent
-- (mlb_assets/sql/sources/source_quality.sql).

CREATE OR REPLACE VIEW mlb_precompute.scheduled_starters AS
SELECT * EXCEPT (raw_pitcher, row_status)
FROM mlb_precompute.scheduled_starter_rows
WHERE row_status = 'kept';

CREATE OR REPLACE VIEW mlb_precompute.pitcher_games AS
SELECT * EXCEPT (raw_pitcher, out_of_bounds, row_status)
FROM mlb_precompute.pitcher_game_rows
WHERE row_status = 'kept';

CREATE OR REPLACE VIEW mlb_precompute.prop_snapshots AS
SELECT * EXCEPT (raw_pitcher, out_of_bounds, row_status)
FROM mlb_precompute.prop_snapshot_rows
WHERE row_status = 'kept';

CREATE OR REPLACE VIEW mlb_precompute.injury_snapshots AS
SELECT * EXCEPT (raw_pitcher, row_status)
FROM mlb_precompute.injury_snapshot_rows
WHERE row_status = 'kept';

-- The day's line per starter, selected ONE way for both prop_lines and the feature slice:
-- snapshots before first pitch only; the highest-priority bookmaker that posted one; its
-- latest snapshot. Beside it, line shopping: among the books whose latest pre-game snapshot
-- (the price still on offer) is on that same line, the best over price and its book and the
-- best under price and its book (higher American odds always pay more; ties go to the
-- higher-priority book). The odds maths (vig removal) is the Python core's
-- (mlb_assets/betting.py).
-- Every complete snapshot posted before its game's first pitch, with the bookmaker priority:
-- what both the bet-time line (below) and the closing line (050_grading.sql) choose from.
CREATE OR REPLACE VIEW mlb_precompute.pregame_prop_snapshots AS
SELECT p.game_date, s.game_id, p.pitcher_lookup, p.bookmaker, p.snapshot_time,
       p.line, p.over_price, p.under_price,
       CASE p.bookmaker WHEN 'draftkings' THEN 1 WHEN 'fanduel' THEN 2
            WHEN 'betmgm' THEN 3 WHEN 'caesars' THEN 4 ELSE 5 END AS bookmaker_priority
FROM mlb_precompute.prop_snapshots AS p
JOIN mlb_precompute.scheduled_starters AS s
  ON s.game_date = p.game_date AND s.pitcher_lookup = p.pitcher_lookup
WHERE p.snapshot_time < s.game_start_time
  AND p.line IS NOT NULL AND p.over_price IS NOT NULL AND p.under_price IS NOT NULL;

CREATE OR REPLACE VIEW mlb_precompute.best_prop_lines AS
WITH pregame AS (
  SELECT * FROM mlb_precompute.pregame_prop_snapshots
),
best AS (
  SELECT * FROM pregame
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, pitcher_lookup
    -- Books can post twice in the same minute: the remaining keys make the pick deterministic.
    ORDER BY bookmaker_priority, snapshot_time DESC, bookmaker, line, over_price, under_price) = 1
),
latest_per_book AS (
  SELECT * FROM pregame
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, pitcher_lookup, bookmaker
    ORDER BY snapshot_time DESC, line, over_price, under_price) = 1
),
same_line AS (
  SELECT l.game_date, l.pitcher_lookup, l.bookmaker, l.bookmaker_priority,
         l.over_price, l.under_price
  FROM latest_per_book AS l
  JOIN best AS b
    ON b.game_date = l.game_date AND b.pitcher_lookup = l.pitcher_lookup AND b.line = l.line
),
best_over AS (
  SELECT game_date, pitcher_lookup, over_price AS best_over_odds, bookmaker AS best_over_book
  FROM same_line
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, pitcher_lookup
    ORDER BY over_price DESC, bookmaker_priority, bookmaker) = 1
),
best_under AS (
  SELECT game_date, pitcher_lookup, under_price AS best_under_odds, bookmaker AS best_under_book
  FROM same_line
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, pitcher_lookup
    ORDER BY under_price DESC, bookmaker_priority, bookmaker) = 1
)
SELECT b.game_date, b.game_id, b.pitcher_lookup, b.bookmaker, b.snapshot_time,
       b.line AS strikeouts_line, b.over_price AS over_odds, b.under_price AS under_odds,
       o.best_over_odds, o.best_over_book, u.best_under_odds, u.best_under_book
FROM best AS b
LEFT JOIN best_over AS o ON o.game_date = b.game_date AND o.pitcher_lookup = b.pitcher_lookup
LEFT JOIN best_under AS u ON u.game_date = b.game_date AND u.pitcher_lookup = b.pitcher_lookup;
