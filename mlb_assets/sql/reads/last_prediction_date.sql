-- The latest game_date of [@start_date, @end_date] with any system's predictions (NULL if none):
-- the date of the report's "latest slate".
SELECT MAX(game_date) AS last_date
FROM mlb_predictions.pitcher_strikeouts
WHERE game_date BETWEEN @start_date AND @end_date
