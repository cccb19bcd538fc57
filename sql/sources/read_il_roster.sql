-- The il_roster rows of [@start_date, @end_date], as the predictions read them: once per run.
SELECT *
FROM mlb_precompute.il_roster
WHERE game_date BETWEEN @start_date AND @end_date
ORDER BY game_date, pitcher_lookup
