-- Walk-forward accuracy over [@start_date, @end_date]: each system's predictions (made by
-- models that never saw their month) against the strikeouts actually recorded, next to the
-- prop line's own error. Only starts with a posted line, so every row compares like with like.
WITH graded AS (
  SELECT p.system_id, p.predicted_strikeouts, p.strikeouts_line, p.p_over,
         p.recommendation, g.strikeouts AS actual,
         -- Units won per unit staked at the offered price (hit rate alone ignores the price).
         CASE
           WHEN p.recommendation = 'OVER' AND g.strikeouts > p.strikeouts_line
             THEN IF(p.over_odds > 0, p.over_odds / 100.0, 100.0 / -p.over_odds)
           WHEN p.recommendation = 'UNDER' AND g.strikeouts < p.strikeouts_line
             THEN IF(p.under_odds > 0, p.under_odds / 100.0, 100.0 / -p.under_odds)
           WHEN p.recommendation IN ('OVER', 'UNDER') THEN -1.0
         END AS units
  FROM mlb_predictions.pitcher_strikeouts AS p
  JOIN mlb_precompute.pitcher_games AS g
    ON g.game_date = p.game_date AND g.pitcher_lookup = p.pitcher_lookup AND g.is_starter
  WHERE p.game_date BETWEEN @start_date AND @end_date
    AND g.game_date BETWEEN @start_date AND @end_date
    AND p.strikeouts_line IS NOT NULL
)
SELECT system_id,
       COUNT(*) AS starts,
       AVG(ABS(predicted_strikeouts - actual)) AS mae,
       AVG(ABS(strikeouts_line - actual)) AS line_mae,
       AVG(POW(p_over - IF(actual > strikeouts_line, 1, 0), 2)) AS brier_over,
       COUNTIF(recommendation IN ('OVER', 'UNDER')) AS bets,
       SAFE_DIVIDE(
         COUNTIF((recommendation = 'OVER' AND actual > strikeouts_line)
                 OR (recommendation = 'UNDER' AND actual < strikeouts_line)),
         COUNTIF(recommendation IN ('OVER', 'UNDER'))) AS hit_rate,
       SAFE_DIVIDE(SUM(units), COUNTIF(recommendation IN ('OVER', 'UNDER'))) AS roi,
       SAFE_DIVIDE(COUNTIF(recommendation = 'OVER'), COUNT(*)) AS over_share,
       SAFE_DIVIDE(COUNTIF(recommendation = 'UNDER'), COUNT(*)) AS under_share,
       SAFE_DIVIDE(COUNTIF(recommendation = 'PASS'), COUNT(*)) AS pass_share,
       SAFE_DIVIDE(COUNTIF(recommendation = 'SKIP'), COUNT(*)) AS skip_share
FROM graded
GROUP BY system_id
ORDER BY system_id
