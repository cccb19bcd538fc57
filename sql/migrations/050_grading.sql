-- Grading and evaluation: what happened to each prediction, and how each system did.

-- The day's closing line per starter: the latest pre-game snapshot of the highest-priority
-- book that posted one (the same priority as the bet-time line); what the market said last.
CREATE OR REPLACE VIEW mlb_precompute.closing_prop_lines AS
WITH pregame AS (
  SELECT p.game_date, p.pitcher_lookup, p.bookmaker, p.snapshot_time,
         p.line, p.over_price, p.under_price,
         CASE p.bookmaker WHEN 'draftkings' THEN 1 WHEN 'fanduel' THEN 2
              WHEN 'betmgm' THEN 3 WHEN 'caesars' THEN 4 ELSE 5 END AS bookmaker_priority
  FROM mlb_precompute.prop_snapshots AS p
  JOIN mlb_precompute.scheduled_starters AS s
    ON s.game_date = p.game_date AND s.pitcher_lookup = p.pitcher_lookup
  WHERE p.snapshot_time < s.game_start_time
    AND p.line IS NOT NULL AND p.over_price IS NOT NULL AND p.under_price IS NOT NULL
)
SELECT game_date, pitcher_lookup, bookmaker AS closing_book, snapshot_time AS closing_time,
       line AS closing_line, over_price AS closing_over_odds, under_price AS closing_under_odds
FROM pregame
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY game_date, pitcher_lookup
  ORDER BY bookmaker_priority, snapshot_time DESC, bookmaker, line, over_price, under_price) = 1;

CREATE TABLE IF NOT EXISTS mlb_predictions.prediction_grades (
  prediction_id STRING NOT NULL,
  game_date DATE NOT NULL,
  pitcher_lookup STRING NOT NULL,
  pitcher_name STRING,
  system_id STRING NOT NULL,
  recommendation STRING,
  predicted_strikeouts FLOAT64,
  strikeouts_line FLOAT64,
  over_odds INT64,
  under_odds INT64,
  bet_book STRING,
  bet_odds INT64,
  stake_pct FLOAT64,
  p_over FLOAT64,
  p_push FLOAT64,
  p_under FLOAT64,
  market_p_over FLOAT64,
  actual_strikeouts INT64,
  result STRING,
  profit FLOAT64,
  closing_line FLOAT64,
  closing_over_odds INT64,
  closing_under_odds INT64,
  clv_k FLOAT64,
  clv_prob FLOAT64,
  created_at TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY system_id, pitcher_lookup;

CREATE TABLE IF NOT EXISTS mlb_predictions.system_performance (
  month DATE NOT NULL,
  scope STRING NOT NULL,
  system_id STRING NOT NULL,
  starts INT64,
  mae FLOAT64,
  line_mae FLOAT64,
  brier FLOAT64,
  brier_market FLOAT64,
  brier_skill FLOAT64,
  log_loss FLOAT64,
  ece FLOAT64,
  ece_noise FLOAT64,
  bets INT64,
  pushes INT64,
  hit_rate FLOAT64,
  roi FLOAT64,
  mean_clv_k FLOAT64,
  mean_clv_prob FLOAT64,
  created_at TIMESTAMP
)
PARTITION BY month
CLUSTER BY system_id;
