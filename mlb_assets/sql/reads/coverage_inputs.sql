-- Every system's predictions for [@start_date, @end_date], plus the day's scheduled starters
-- (one row each, prediction columns NULL) so the report can tell who was left out.
SELECT 'prediction' AS row_kind, game_date, pitcher_lookup, pitcher_name, team_abbr,
       opponent_team_abbr, is_home, system_id, recommendation, strikeouts_line,
       predicted_strikeouts, p_over, expected_value, feature_coverage_pct, coverage_rated,
       is_low_coverage, is_fallback, model_load_failures
FROM mlb_predictions.pitcher_strikeouts
WHERE game_date BETWEEN @start_date AND @end_date
UNION ALL
SELECT DISTINCT 'scheduled' AS row_kind, game_date, pitcher_lookup, CAST(NULL AS STRING),
       CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS BOOL), CAST(NULL AS STRING),
       CAST(NULL AS STRING), CAST(NULL AS FLOAT64), CAST(NULL AS FLOAT64),
       CAST(NULL AS FLOAT64), CAST(NULL AS FLOAT64), CAST(NULL AS FLOAT64), CAST(NULL AS BOOL),
       CAST(NULL AS BOOL), CAST(NULL AS BOOL), CAST(NULL AS INT64)
FROM mlb_precompute.scheduled_starters
WHERE game_date BETWEEN @start_date AND @end_date
