-- Grading and evaluation: what happened to each prediction, and how each system did.

-- The day's closing line per starter: the latest pre-game snapshot of the highest-priority
-- book that posted one (the same priority as the bet-time line); what the market said last.
CREATE OR REPLACE VIEW mlb_precompute.closing_prop_lines AS
SELECT game_date, pitcher_lookup, bookmaker AS closing_book, snapshot_time AS closing_time,
       line AS closing_line, over_price AS closing_over_odds, under_price AS closing_under_odds
FROM mlb_precompute.pregame_prop_snapshots
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY game_date, pitcher_lookup
  ORDER BY bookmaker_priority, snapshot_time DESC, bookmaker, line, over_price, under_price) = 1;

CREATE TABLE IF NOT EXISTS mlb_predictions.prediction_grades (
  prediction_id STRING NOT NULL OPTIONS(description="The graded prediction (prediction_id of the system's predictions table)."),
  game_date DATE NOT NULL OPTIONS(description="Game date of the start, America/New_York."),
  pitcher_lookup STRING NOT NULL OPTIONS(description="Pitcher key, lower snake case (gerrit_cole), by mlb_precompute.pitcher_key."),
  pitcher_name STRING OPTIONS(description="Pitcher's display name, as on the prediction."),
  system_id STRING NOT NULL OPTIONS(description="Prediction system: v1_baseline, v1_6_rolling or ensemble_v1."),
  recommendation STRING OPTIONS(description="The prediction's recommendation; only OVER and UNDER are bets."),
  predicted_strikeouts FLOAT64 OPTIONS(description="Predicted strikeouts, as on the prediction."),
  strikeouts_line FLOAT64 OPTIONS(description="The bet-time line, as on the prediction; NULL when none was posted."),
  over_odds INT64 OPTIONS(description="Selected book's over price at bet time, American odds."),
  under_odds INT64 OPTIONS(description="Selected book's under price at bet time, American odds."),
  bet_book STRING OPTIONS(description="Book with the best price for the side the edge points to (line shopping), as on the prediction."),
  bet_odds INT64 OPTIONS(description="Best price across books for the side the edge points to, American odds; profit is paid at it."),
  stake_pct FLOAT64 OPTIONS(description="Suggested fractional-Kelly stake, percent 0-100 of bankroll, as on the prediction (profit is per 1 unit, not scaled by it)."),
  p_over FLOAT64 OPTIONS(description="Calibrated probability 0-1 of the over, as on the prediction."),
  p_push FLOAT64 OPTIONS(description="Probability 0-1 of a push, as on the prediction."),
  p_under FLOAT64 OPTIONS(description="Calibrated probability 0-1 of the under, as on the prediction."),
  market_p_over FLOAT64 OPTIONS(description="Vig-free market probability 0-1 of the over at bet time, from over_odds and under_odds; NULL without prices."),
  actual_strikeouts INT64 OPTIONS(description="Strikeouts he recorded in his start that day; only predictions whose pitcher started are graded. NULL if the game log's value was out of bounds."),
  result STRING OPTIONS(description="WIN, LOSS or PUSH (strikeouts equal a whole line) for an OVER or UNDER; NO_BET for every other recommendation."),
  profit FLOAT64 OPTIONS(description="Units won per 1 unit staked at bet_odds (the selected book's price if none): the price's profit on a WIN, -1 on a LOSS, 0 on a PUSH; NULL on NO_BET."),
  closing_line FLOAT64 OPTIONS(description="Closing line: the latest pre-game snapshot of the highest-priority book that posted one (mlb_precompute.closing_prop_lines); NULL if none."),
  closing_over_odds INT64 OPTIONS(description="Over price of the closing snapshot, American odds; NULL if none."),
  closing_under_odds INT64 OPTIONS(description="Under price of the closing snapshot, American odds; NULL if none."),
  clv_k FLOAT64 OPTIONS(description="Closing-line value in strikeouts: closing_line - strikeouts_line for an OVER, the reverse for an UNDER (positive: the market moved toward the pick); NULL on NO_BET or without a close."),
  clv_prob FLOAT64 OPTIONS(description="Closing-line value in probability 0-1: the side's vig-free closing probability minus its vig-free bet-time one (over_odds/under_odds), when the close is on the same line; else NULL."),
  created_at TIMESTAMP OPTIONS(description="When the grades were computed, UTC timestamp.")
)
PARTITION BY game_date
CLUSTER BY system_id, pitcher_lookup;

CREATE TABLE IF NOT EXISTS mlb_predictions.system_performance (
  month DATE NOT NULL OPTIONS(description="First day of the month the row covers (game dates, America/New_York); the monthly partition."),
  scope STRING NOT NULL OPTIONS(description="month: that month's games; season_to_date: games from January 1 of its year through the month's end."),
  system_id STRING NOT NULL OPTIONS(description="Prediction system: v1_baseline, v1_6_rolling or ensemble_v1."),
  starts INT64 OPTIONS(description="Graded predictions with a line and an actual strikeout count."),
  mae FLOAT64 OPTIONS(description="Mean absolute error of predicted_strikeouts against actual strikeouts over those starts, strikeouts."),
  line_mae FLOAT64 OPTIONS(description="Mean absolute error of the line against actual strikeouts over the same starts, strikeouts (the market's yardstick)."),
  brier FLOAT64 OPTIONS(description="Brier score (0-1, lower is better) of P(over | no push) = p_over / (p_over + p_under), on starts with a line, a probability and no push."),
  brier_market FLOAT64 OPTIONS(description="Brier score of market_p_over on the same starts, where a market probability exists."),
  brier_skill FLOAT64 OPTIONS(description="1 - model Brier / market Brier on the rows with a market probability: above 0 beats the vig-free market."),
  log_loss FLOAT64 OPTIONS(description="Mean log loss (natural log) of P(over | no push), probabilities clipped to [1e-6, 1 - 1e-6]; lower is better."),
  ece FLOAT64 OPTIONS(description="Expected calibration error, probability 0-1: the prediction-weighted mean |observed - predicted| over-rate over 10 equal-count bins."),
  ece_noise FLOAT64 OPTIONS(description="The ECE a perfectly calibrated model would show by chance on this many predictions; compare ece with it."),
  bets INT64 OPTIONS(description="OVER and UNDER picks graded (result other than NO_BET)."),
  pushes INT64 OPTIONS(description="Bets that pushed (stake returned)."),
  hit_rate FLOAT64 OPTIONS(description="Wins / (wins + losses), 0-1, pushes left out; NULL without a decided bet."),
  roi FLOAT64 OPTIONS(description="Mean profit per bet at 1 unit each, units (0.05 = +5 %); NULL without bets."),
  mean_clv_k FLOAT64 OPTIONS(description="Mean clv_k over the bets, strikeouts."),
  mean_clv_prob FLOAT64 OPTIONS(description="Mean clv_prob over the bets that have one, probability 0-1."),
  created_at TIMESTAMP OPTIONS(description="When the figures were computed, UTC timestamp.")
)
PARTITION BY month
CLUSTER BY system_id;
