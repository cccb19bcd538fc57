-- feature_store_slice: one row per scheduled starter per game_date in [@start_date, @end_date],
-- with its features (docs/FEATURES.md), in ONE query whatever the window's length. The day's
-- line and prices come with it; the four line-relative features are derived from them by
-- mlb_assets.features.lines (one definition, shared with the single-prediction command).
-- Every feature reads only games strictly BEFORE its game_date (no leakage). "Prior starts"
-- are the pitcher's starts in the 120 days before, so last season's form never passes as
-- current; "season" means this season's starts before game_date. A missing value stays NULL.
WITH targets AS (
  SELECT game_date, game_id, pitcher_lookup, team_abbr, opponent_team_abbr, is_home,
         venue_team_abbr,
         -- The schedule's own rows for the starter, counted BEFORE the pick below keeps one:
         -- more than 1 (one pitcher in two games of a date) fails no_duplicate_starters.
         COUNT(*) OVER (PARTITION BY game_date, pitcher_lookup) AS schedule_rows
  FROM mlb_precompute.scheduled_starters
  WHERE game_date BETWEEN @start_date AND @end_date
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY game_date, pitcher_lookup ORDER BY game_start_time, game_id) = 1
),

-- Each target paired with the pitcher's own appearances of the 730 days before it.
appearances AS (
  SELECT t.game_date AS target_date, t.pitcher_lookup, t.opponent_team_abbr AS target_opponent,
         g.game_date, g.is_starter, g.opponent_team_abbr, g.pitcher_name,
         g.strikeouts, g.batters_faced, g.innings_pitched, g.pitch_count,
         g.swinging_strikes, g.called_strikes, g.pitches_outside_zone, g.chase_swings,
         g.fastball_velocity, g.walks, g.hits, g.earned_runs,
         EXTRACT(YEAR FROM g.game_date) = EXTRACT(YEAR FROM t.game_date) AS same_season,
         g.game_date >= DATE_SUB(t.game_date, INTERVAL 120 DAY) AS within_120_days
  FROM targets AS t
  JOIN mlb_precompute.pitcher_games AS g
    ON g.pitcher_lookup = t.pitcher_lookup
   AND g.game_date < t.game_date
   AND g.game_date >= DATE_SUB(t.game_date, INTERVAL 730 DAY)
  WHERE g.game_date >= DATE_SUB(@start_date, INTERVAL 730 DAY)
    AND g.game_date < @end_date
),

recent_starts AS (
  SELECT *,
         ROW_NUMBER() OVER (
           PARTITION BY target_date, pitcher_lookup ORDER BY game_date DESC) AS start_rank
  FROM appearances
  WHERE is_starter AND within_120_days
),

rolling AS (
  SELECT target_date, pitcher_lookup,
         AVG(IF(start_rank <= 3, strikeouts, NULL)) AS k_avg_last_3,
         AVG(IF(start_rank <= 5, strikeouts, NULL)) AS k_avg_last_5,
         AVG(IF(start_rank <= 10, strikeouts, NULL)) AS k_avg_last_10,
         STDDEV_SAMP(IF(start_rank <= 10, strikeouts, NULL)) AS k_std_last_10,
         AVG(IF(start_rank <= 5, innings_pitched, NULL)) AS ip_avg_last_5,
         AVG(IF(start_rank <= 5, pitch_count, NULL)) AS pitch_count_avg_last_5,
         AVG(IF(start_rank <= 5, batters_faced, NULL)) AS bf_avg_last_5,
         SAFE_DIVIDE(SUM(IF(start_rank <= 10, strikeouts, NULL)),
                     SUM(IF(start_rank <= 10, batters_faced, NULL))) AS k_rate_last_10,
         LEAST(COUNT(*), 10) AS rolling_stats_games,
         SAFE_DIVIDE(
           SUM(IF(start_rank <= 3, swinging_strikes, NULL)),
           SUM(IF(start_rank <= 3 AND swinging_strikes IS NOT NULL, pitch_count, NULL)))
           AS swstr_pct_last_3,
         AVG(IF(start_rank <= 3, fastball_velocity, NULL)) AS fb_velocity_last_3
  FROM recent_starts
  GROUP BY target_date, pitcher_lookup
),

season AS (
  SELECT target_date, pitcher_lookup,
         COUNT(*) AS season_games_started,
         SUM(strikeouts) AS season_strikeouts,
         SUM(innings_pitched) AS season_ip_total,
         SAFE_DIVIDE(9 * SUM(strikeouts), SUM(innings_pitched)) AS season_k_per_9,
         SAFE_DIVIDE(9 * SUM(earned_runs), SUM(innings_pitched)) AS season_era,
         SAFE_DIVIDE(SUM(walks) + SUM(hits), SUM(innings_pitched)) AS season_whip,
         SAFE_DIVIDE(SUM(swinging_strikes),
                     SUM(IF(swinging_strikes IS NOT NULL, pitch_count, NULL))) AS season_swstr_pct,
         SAFE_DIVIDE(SUM(called_strikes) + SUM(swinging_strikes),
                     SUM(IF(called_strikes IS NOT NULL AND swinging_strikes IS NOT NULL,
                            pitch_count, NULL))) AS season_csw_pct,
         SAFE_DIVIDE(SUM(chase_swings), SUM(IF(chase_swings IS NOT NULL,
                                               pitches_outside_zone, NULL))) AS season_chase_pct,
         AVG(fastball_velocity) AS season_fb_velocity
  FROM appearances
  WHERE is_starter AND same_season
  GROUP BY target_date, pitcher_lookup
),

workload AS (
  SELECT target_date, pitcher_lookup,
         DATE_DIFF(target_date, MAX(game_date), DAY) AS days_rest,
         COUNTIF(game_date >= DATE_SUB(target_date, INTERVAL 30 DAY)) AS games_last_30_days
  FROM appearances
  WHERE within_120_days
  GROUP BY target_date, pitcher_lookup
),

versus AS (
  SELECT target_date, pitcher_lookup,
         AVG(strikeouts) AS avg_k_vs_opponent,
         COUNT(*) AS games_vs_opponent
  FROM appearances
  WHERE is_starter AND opponent_team_abbr = target_opponent
  GROUP BY target_date, pitcher_lookup
),

names AS (
  SELECT target_date, pitcher_lookup, MAX_BY(pitcher_name, game_date) AS pitcher_name
  FROM appearances
  GROUP BY target_date, pitcher_lookup
),

-- How often the opponent's batters struck out in its games of the 30 days before.
opponent_form AS (
  SELECT o.game_date AS target_date, o.opponent_team_abbr,
         SAFE_DIVIDE(SUM(g.strikeouts), SUM(g.batters_faced)) AS opponent_team_k_rate
  FROM (SELECT DISTINCT game_date, opponent_team_abbr FROM targets) AS o
  JOIN mlb_precompute.pitcher_games AS g
    ON g.opponent_team_abbr = o.opponent_team_abbr
   AND g.game_date < o.game_date
   AND g.game_date >= DATE_SUB(o.game_date, INTERVAL 30 DAY)
  WHERE g.game_date >= DATE_SUB(@start_date, INTERVAL 30 DAY)
    AND g.game_date < @end_date
  GROUP BY o.game_date, o.opponent_team_abbr
),

opening_days AS (
  SELECT EXTRACT(YEAR FROM game_date) AS season, MIN(game_date) AS opening_day
  FROM mlb_raw.mlb_schedule
  WHERE game_date BETWEEN DATE_TRUNC(@start_date, YEAR) AND @end_date
  GROUP BY season
)

SELECT
  t.game_date, t.game_id, t.pitcher_lookup, n.pitcher_name, t.team_abbr,
  t.opponent_team_abbr, t.is_home,
  r.k_avg_last_3, r.k_avg_last_5, r.k_avg_last_10, r.k_std_last_10, r.ip_avg_last_5,
  s.season_k_per_9, s.season_era, s.season_whip,
  COALESCE(s.season_games_started, 0) AS season_games_started,
  COALESCE(s.season_strikeouts, 0) AS season_strikeouts,
  o.opponent_team_k_rate,
  b.k_factor AS ballpark_k_factor,
  EXTRACT(MONTH FROM t.game_date) AS month_of_season,
  DATE_DIFF(t.game_date, d.opening_day, DAY) AS days_into_season,
  w.days_rest,
  COALESCE(w.games_last_30_days, 0) AS games_last_30_days,
  r.pitch_count_avg_last_5,
  COALESCE(s.season_ip_total, 0) AS season_ip_total,
  r.bf_avg_last_5, r.k_rate_last_10,
  v.avg_k_vs_opponent,
  COALESCE(v.games_vs_opponent, 0) AS games_vs_opponent,
  COALESCE(r.rolling_stats_games, 0) AS rolling_stats_games,
  s.season_swstr_pct, s.season_csw_pct, s.season_chase_pct,
  r.swstr_pct_last_3, r.fb_velocity_last_3,
  r.swstr_pct_last_3 - s.season_swstr_pct AS swstr_trend,
  r.fb_velocity_last_3 - s.season_fb_velocity AS velocity_change,
  l.strikeouts_line, l.over_odds, l.under_odds,
  t.schedule_rows
FROM targets AS t
LEFT JOIN rolling AS r ON r.target_date = t.game_date AND r.pitcher_lookup = t.pitcher_lookup
LEFT JOIN season AS s ON s.target_date = t.game_date AND s.pitcher_lookup = t.pitcher_lookup
LEFT JOIN workload AS w ON w.target_date = t.game_date AND w.pitcher_lookup = t.pitcher_lookup
LEFT JOIN versus AS v ON v.target_date = t.game_date AND v.pitcher_lookup = t.pitcher_lookup
LEFT JOIN names AS n ON n.target_date = t.game_date AND n.pitcher_lookup = t.pitcher_lookup
LEFT JOIN opponent_form AS o
  ON o.target_date = t.game_date AND o.opponent_team_abbr = t.opponent_team_abbr
LEFT JOIN mlb_reference.ballparks AS b ON b.team_abbr = t.venue_team_abbr
LEFT JOIN opening_days AS d ON d.season = EXTRACT(YEAR FROM t.game_date)
LEFT JOIN mlb_precompute.best_prop_lines AS l
  ON l.game_date = t.game_date AND l.pitcher_lookup = t.pitcher_lookup
ORDER BY t.game_date, t.pitcher_lookup
