-- Every system's predictions for [@start_date, @end_date], plus the day's scheduled starters
-- (one row each, prediction columns NULL) so the report can tell who was left out.
SELECT 'prediction' AS row_kind, game_date, pitcher_lookup, system_id, recommendation,
       feature_coverage_pct, is_fallback, fallback_reason, skip_reason
FROM mlb_predictions.pitcher_strikeouts
WHERE game_date BETWEEN @start_date AND @end_date
UNION ALL
SELECT DISTINCT 'scheduled' AS row_kind, game_date, pitcher_lookup, CAST(NULL AS STRING),
       CAST(NULL AS STRING), CAST(NULL AS FLOAT64), CAST(NULL AS BOOL), CAST(NULL AS STRING),
       CAST(NULL AS STRING)
FROM mlb_precompute.scheduled_starters
WHERE game_date BETWEEN @start_date AND @end_date
