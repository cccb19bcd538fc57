-- Project-owned tables, one per asset. Partitioned by game_date so each materialization
-- replaces whole date partitions, and clustered for the joins and lookups that read them.

CREATE TABLE IF NOT EXISTS mlb_precompute.feature_store_slice (
  game_date DATE NOT NULL,
  game_id STRING,
  pitcher_lookup STRING NOT NULL,
  pitcher_name STRING,
  team_abbr STRING,
  opponent_team_abbr STRING,
  is_home BOOL,
  k_avg_last_3 FLOAT64,
  k_avg_last_5 FLOAT64,
  k_avg_last_10 FLOAT64,
  k_std_last_10 FLOAT64,
  ip_avg_last_5 FLOAT64,
  season_k_per_9 FLOAT64,
  season_era FLOAT64,
  season_whip FLOAT64,
  season_games_started INT64,
  season_strikeouts INT64,
  opponent_team_k_rate FLOAT64,
  ballpark_k_factor FLOAT64,
  month_of_season INT64,
  days_into_season INT64,
  days_rest INT64,
  games_last_30_days INT64,
  pitch_count_avg_last_5 FLOAT64,
  season_ip_total FLOAT64,
  bf_avg_last_5 FLOAT64,
  k_rate_last_10 FLOAT64,
  avg_k_vs_opponent FLOAT64,
  games_vs_opponent INT64,
  rolling_stats_games INT64,
  season_swstr_pct FLOAT64,
  season_csw_pct FLOAT64,
  season_chase_pct FLOAT64,
  swstr_pct_last_3 FLOAT64,
  fb_velocity_last_3 FLOAT64,
  swstr_trend FLOAT64,
  velocity_change FLOAT64,
  strikeouts_line FLOAT64,
  line_vs_k_avg_last_5 FLOAT64,
  projected_k_vs_line FLOAT64,
  over_implied_prob FLOAT64
)
PARTITION BY game_date
CLUSTER BY pitcher_lookup
OPTIONS (require_partition_filter = TRUE);

CREATE TABLE IF NOT EXISTS mlb_precompute.il_roster (
  game_date DATE NOT NULL,
  pitcher_lookup STRING NOT NULL,
  injury_status STRING,
  injury_date DATE,
  snapshot_date DATE
)
PARTITION BY game_date
CLUSTER BY pitcher_lookup;

CREATE TABLE IF NOT EXISTS mlb_precompute.prop_lines (
  game_date DATE NOT NULL,
  game_id STRING,
  pitcher_lookup STRING NOT NULL,
  bookmaker STRING,
  snapshot_time TIMESTAMP,
  strikeouts_line FLOAT64,
  over_odds INT64,
  under_odds INT64,
  over_implied_prob FLOAT64,
  under_implied_prob FLOAT64,
  best_over_odds INT64,
  best_over_book STRING,
  best_under_odds INT64,
  best_under_book STRING
)
PARTITION BY game_date
CLUSTER BY pitcher_lookup;

CREATE TABLE IF NOT EXISTS mlb_predictions.v1_baseline_predictions (
  prediction_id STRING NOT NULL,
  game_date DATE NOT NULL,
  game_id STRING,
  pitcher_lookup STRING NOT NULL,
  pitcher_name STRING,
  team_abbr STRING,
  opponent_team_abbr STRING,
  is_home BOOL,
  system_id STRING NOT NULL,
  model_version STRING,
  predicted_strikeouts FLOAT64,
  strikeouts_line FLOAT64,
  over_odds INT64,
  under_odds INT64,
  p_over FLOAT64,
  p_push FLOAT64,
  p_under FLOAT64,
  p_over_raw FLOAT64,
  p_under_raw FLOAT64,
  edge FLOAT64,
  expected_value FLOAT64,
  bet_book STRING,
  bet_odds INT64,
  stake_pct FLOAT64,
  confidence FLOAT64,
  base_confidence FLOAT64,
  recommendation STRING,
  feature_coverage_pct FLOAT64,
  missing_features ARRAY<STRING>,
  coverage_rated BOOL,
  is_low_coverage BOOL,
  is_fallback BOOL,
  fallback_kind STRING,
  fallback_reason STRING,
  model_load_failures INT64,
  red_flags ARRAY<STRING>,
  skip_reason STRING,
  created_at TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY system_id, pitcher_lookup
OPTIONS (require_partition_filter = TRUE);

CREATE TABLE IF NOT EXISTS mlb_predictions.v1_6_rolling_predictions
LIKE mlb_predictions.v1_baseline_predictions;

CREATE TABLE IF NOT EXISTS mlb_predictions.ensemble_v1_predictions
LIKE mlb_predictions.v1_baseline_predictions;

CREATE TABLE IF NOT EXISTS mlb_predictions.coverage_report (
  game_date DATE NOT NULL,
  system_id STRING NOT NULL,
  scheduled_starters INT64,
  predictions INT64,
  over_count INT64,
  under_count INT64,
  pass_count INT64,
  skip_count INT64,
  no_line_count INT64,
  avg_coverage_pct FLOAT64,
  min_coverage_pct FLOAT64,
  low_coverage_count INT64,
  low_coverage_rate FLOAT64,
  fallback_count INT64,
  fallback_rate FLOAT64,
  model_load_failures INT64,
  created_at TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY system_id;

-- Deployments that predate a column get it; new ones already have it.
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS feature_coverage_pct FLOAT64;
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS coverage_rated BOOL;
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS is_low_coverage BOOL;
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS fallback_kind STRING;
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS model_load_failures INT64;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS feature_coverage_pct FLOAT64;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS coverage_rated BOOL;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS is_low_coverage BOOL;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS fallback_kind STRING;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS model_load_failures INT64;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS feature_coverage_pct FLOAT64;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS coverage_rated BOOL;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS is_low_coverage BOOL;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS fallback_kind STRING;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS model_load_failures INT64;
-- Push-aware, calibrated probabilities and price-aware picks (line shopping, stake).
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS p_push FLOAT64;
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS p_over_raw FLOAT64;
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS p_under_raw FLOAT64;
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS bet_book STRING;
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS bet_odds INT64;
ALTER TABLE mlb_predictions.v1_baseline_predictions
  ADD COLUMN IF NOT EXISTS stake_pct FLOAT64;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS p_push FLOAT64;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS p_over_raw FLOAT64;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS p_under_raw FLOAT64;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS bet_book STRING;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS bet_odds INT64;
ALTER TABLE mlb_predictions.v1_6_rolling_predictions
  ADD COLUMN IF NOT EXISTS stake_pct FLOAT64;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS p_push FLOAT64;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS p_over_raw FLOAT64;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS p_under_raw FLOAT64;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS bet_book STRING;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS bet_odds INT64;
ALTER TABLE mlb_predictions.ensemble_v1_predictions
  ADD COLUMN IF NOT EXISTS stake_pct FLOAT64;
ALTER TABLE mlb_precompute.prop_lines
  ADD COLUMN IF NOT EXISTS best_over_odds INT64;
ALTER TABLE mlb_precompute.prop_lines
  ADD COLUMN IF NOT EXISTS best_over_book STRING;
ALTER TABLE mlb_precompute.prop_lines
  ADD COLUMN IF NOT EXISTS best_under_odds INT64;
ALTER TABLE mlb_precompute.prop_lines
  ADD COLUMN IF NOT EXISTS best_under_book STRING;
