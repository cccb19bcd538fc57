-- Every prediction with a posted line in [@start_date, @end_date], next to the strikeouts the
-- pitcher actually recorded that day (made by models that never saw their month). Only the
-- join lives here; the grading maths (results, profit at the price) is mlb_assets.evaluation.
SELECT p.game_date, p.pitcher_lookup, p.system_id, p.predicted_strikeouts, p.strikeouts_line,
       p.over_odds, p.under_odds, p.p_over, p.recommendation, g.strikeouts AS actual_strikeouts
FROM mlb_predictions.pitcher_strikeouts AS p
JOIN mlb_precompute.pitcher_games AS g
  ON g.game_date = p.game_date AND g.pitcher_lookup = p.pitcher_lookup AND g.is_starter
WHERE p.game_date BETWEEN @start_date AND @end_date
  AND g.game_date BETWEEN @start_date AND @end_date
  AND p.strikeouts_line IS NOT NULL
ORDER BY p.system_id, p.game_date, p.pitcher_lookup
