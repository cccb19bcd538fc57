-- The feature_store_slice rows of [@start_date, @end_date], as the predictions read them: once per run.
SELECT *
FROM mlb_precompute.feature_store_slice
WHERE game_date BETWEEN @start_date AND @end_date
ORDER BY game_date, pitcher_lookup
