-- The prop_lines rows of [@start_date, @end_date], as the predictions read them: once per run.
SELECT *
FROM mlb_precompute.prop_lines
WHERE game_date BETWEEN @start_date AND @end_date
ORDER BY game_date, pitcher_lookup
