-- Every prediction of [@start_date, @end_date] whose pitcher started, with the strikeouts he
-- recorded THAT day and the day's closing line. Results of other dates never join in.
WITH starts AS (
  SELECT game_date, pitcher_lookup, strikeouts
  FROM mlb_precompute.pitcher_games
  WHERE is_starter AND game_date BETWEEN @start_date AND @end_date
  QUALIFY ROW_NUMBER() OVER (PARTITION BY game_date, pitcher_lookup ORDER BY game_id) = 1
)
SELECT p.prediction_id, p.game_date, p.pitcher_lookup, p.pitcher_name, p.system_id,
       p.recommendation, p.predicted_strikeouts, p.strikeouts_line, p.over_odds, p.under_odds,
       p.bet_book, p.bet_odds, p.stake_pct, p.p_over, p.p_push, p.p_under,
       s.strikeouts AS actual_strikeouts,
       c.closing_line, c.closing_over_odds, c.closing_under_odds
FROM mlb_predictions.pitcher_strikeouts AS p
JOIN starts AS s ON s.game_date = p.game_date AND s.pitcher_lookup = p.pitcher_lookup
LEFT JOIN mlb_precompute.closing_prop_lines AS c
  ON c.game_date = p.game_date AND c.pitcher_lookup = p.pitcher_lookup
WHERE p.game_date BETWEEN @start_date AND @end_date
ORDER BY p.system_id, p.game_date, p.pitcher_lookup
