-- Walk-forward training rows: every start in [@from_date, @before_date) with its features
-- (as they stood before the game) and the strikeouts it actually produced.
SELECT f.*, g.strikeouts
FROM mlb_precompute.feature_store_slice AS f
JOIN mlb_precompute.pitcher_games AS g
  ON g.game_date = f.game_date AND g.pitcher_lookup = f.pitcher_lookup AND g.is_starter
WHERE f.game_date >= @from_date
  AND f.game_date < @before_date
  AND g.game_date >= @from_date
  AND g.game_date < @before_date
ORDER BY f.game_date, f.pitcher_lookup
