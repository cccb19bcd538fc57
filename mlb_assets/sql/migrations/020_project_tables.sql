-- Project-owned tables, one per asset. Partitioned by game_date so each materialization
-- replaces whole date partitions, and clustered for the joins and lookups that read them.

CREATE TABLE IF NOT EXISTS mlb_precompute.feature_store_slice (
  game_date DATE NOT NULL OPTIONS(description="Game date of the start, America/New_York; every feature uses only games strictly before it."),
  game_id STRING OPTIONS(description="MLB game identifier of the scheduled start."),
  pitcher_lookup STRING NOT NULL OPTIONS(description="Pitcher key, lower snake case (gerrit_cole), by mlb_precompute.pitcher_key."),
  pitcher_name STRING OPTIONS(description="Display name from his latest game log of the previous 730 days; NULL without one."),
  team_abbr STRING OPTIONS(description="Pitcher's team, from the schedule of game_date."),
  opponent_team_abbr STRING OPTIONS(description="Opposing team, from the schedule of game_date."),
  is_home BOOL OPTIONS(description="TRUE when the pitcher's team is at home (schedule of game_date)."),
  k_avg_last_3 FLOAT64 OPTIONS(description="Mean strikeouts over his last 3 prior starts (starts of the 120 days before game_date; fewer: what there is); NULL with none."),
  k_avg_last_5 FLOAT64 OPTIONS(description="Mean strikeouts over his last 5 prior starts (starts of the 120 days before game_date; fewer: what there is); NULL with none."),
  k_avg_last_10 FLOAT64 OPTIONS(description="Mean strikeouts over his last 10 prior starts (starts of the 120 days before game_date; fewer: what there is); NULL with none."),
  k_std_last_10 FLOAT64 OPTIONS(description="Sample standard deviation of strikeouts over his last 10 prior starts; NULL under 2 starts."),
  ip_avg_last_5 FLOAT64 OPTIONS(description="Mean innings pitched (outs / 3) over his last 5 prior starts; NULL with none."),
  season_k_per_9 FLOAT64 OPTIONS(description="9 x strikeouts / innings over this season's starts before game_date; NULL with no innings."),
  season_era FLOAT64 OPTIONS(description="9 x earned runs / innings over this season's starts before game_date; NULL with no innings."),
  season_whip FLOAT64 OPTIONS(description="(walks + hits) / innings over this season's starts before game_date; NULL with no innings."),
  season_games_started INT64 OPTIONS(description="Starts this season before game_date; 0 for his first start of the season."),
  season_strikeouts INT64 OPTIONS(description="Strikeouts in this season's starts before game_date; 0 with none."),
  opponent_team_k_rate FLOAT64 OPTIONS(description="Strikeouts / batters faced of the opponent's batters in its games of the 30 days before game_date, 0-1; NULL with none."),
  ballpark_k_factor FLOAT64 OPTIONS(description="Strikeout factor of the park hosting the game (mlb_reference.ballparks.k_factor, 1.0 neutral); NULL if the park is unknown."),
  month_of_season INT64 OPTIONS(description="Calendar month of game_date (3 = March ... 10 = October)."),
  days_into_season INT64 OPTIONS(description="Days from the season's first scheduled game to game_date (0 on opening day)."),
  days_rest INT64 OPTIONS(description="Days since his previous appearance, start or relief; NULL if none in the 120 days before."),
  games_last_30_days INT64 OPTIONS(description="Appearances, starts and relief, in the 30 days before game_date; 0 with none."),
  pitch_count_avg_last_5 FLOAT64 OPTIONS(description="Mean pitches thrown over his last 5 prior starts; NULL with none."),
  season_ip_total FLOAT64 OPTIONS(description="Innings pitched (outs / 3) in this season's starts before game_date; 0 with none."),
  bf_avg_last_5 FLOAT64 OPTIONS(description="Mean batters faced over his last 5 prior starts; NULL with none."),
  k_rate_last_10 FLOAT64 OPTIONS(description="Strikeouts / batters faced over his last 10 prior starts, 0-1; NULL with none."),
  avg_k_vs_opponent FLOAT64 OPTIONS(description="Mean strikeouts in his starts against this opponent in the 730 days before game_date; NULL with none."),
  games_vs_opponent INT64 OPTIONS(description="His starts against this opponent in the 730 days before game_date; 0 with none."),
  rolling_stats_games INT64 OPTIONS(description="His prior starts (starts of the 120 days before game_date), capped at 10."),
  season_swstr_pct FLOAT64 OPTIONS(description="Swinging strikes / pitches over this season's starts with pitch tracking, a fraction 0-1 (not percent); NULL with none."),
  season_csw_pct FLOAT64 OPTIONS(description="(Called + swinging strikes) / pitches over this season's tracked starts, a fraction 0-1; NULL with none."),
  season_chase_pct FLOAT64 OPTIONS(description="Chase swings / pitches outside the zone over this season's tracked starts, a fraction 0-1; NULL with none."),
  swstr_pct_last_3 FLOAT64 OPTIONS(description="Swinging strikes / pitches over his last 3 prior starts with tracking, a fraction 0-1; NULL with none."),
  fb_velocity_last_3 FLOAT64 OPTIONS(description="Mean fastball velocity over his last 3 prior starts, mph; NULL with none tracked."),
  swstr_trend FLOAT64 OPTIONS(description="swstr_pct_last_3 - season_swstr_pct, a fraction (+0.03 = 3 points more whiffs lately); NULL if either is NULL."),
  velocity_change FLOAT64 OPTIONS(description="fb_velocity_last_3 - his mean fastball velocity this season, mph; NULL if either is NULL."),
  strikeouts_line FLOAT64 OPTIONS(description="The day's strikeout line, selected as prop_lines selects it (mlb_precompute.best_prop_lines); NULL when none was posted."),
  line_vs_k_avg_last_5 FLOAT64 OPTIONS(description="k_avg_last_5 - strikeouts_line, strikeouts; NULL without a line."),
  projected_k_vs_line FLOAT64 OPTIONS(description="season_k_per_9 / 9 x ip_avg_last_5 - strikeouts_line, strikeouts; NULL without a line."),
  over_implied_prob FLOAT64 OPTIONS(description="Vig-free probability 0-1 of the over at the selected book's two prices (vig removed proportionally); NULL without a line.")
)
PARTITION BY game_date
CLUSTER BY pitcher_lookup
OPTIONS (require_partition_filter = TRUE);

CREATE TABLE IF NOT EXISTS mlb_precompute.il_roster (
  game_date DATE NOT NULL OPTIONS(description="Game date the roster applies to, America/New_York."),
  pitcher_lookup STRING NOT NULL OPTIONS(description="Key of a pitcher on the injured list as of game_date (mlb_precompute.pitcher_key)."),
  injury_status STRING OPTIONS(description="Canonical status: 10-Day-IL, 15-Day-IL, 60-Day-IL or Out (the feed's spellings mapped)."),
  injury_date DATE OPTIONS(description="Date of the injury as the feed reports it; NULL if not given."),
  snapshot_date DATE OPTIONS(description="Injury-report snapshot the row comes from: the latest on or before game_date, at most 7 days old.")
)
PARTITION BY game_date
CLUSTER BY pitcher_lookup;

CREATE TABLE IF NOT EXISTS mlb_precompute.prop_lines (
  game_date DATE NOT NULL OPTIONS(description="Game date of the start, America/New_York."),
  game_id STRING OPTIONS(description="MLB game identifier of the scheduled start."),
  pitcher_lookup STRING NOT NULL OPTIONS(description="Pitcher key, lower snake case (gerrit_cole), by mlb_precompute.pitcher_key."),
  bookmaker STRING OPTIONS(description="Book whose line was selected: the highest-priority book with a pre-game snapshot (draftkings > fanduel > betmgm > caesars > others)."),
  snapshot_time TIMESTAMP OPTIONS(description="When the selected snapshot (that book's latest before first pitch) was captured, UTC timestamp."),
  strikeouts_line FLOAT64 OPTIONS(description="The selected strikeout line, usually x.5 (a whole line can push)."),
  over_odds INT64 OPTIONS(description="Selected book's over price on the line, American odds."),
  under_odds INT64 OPTIONS(description="Selected book's under price on the line, American odds."),
  over_implied_prob FLOAT64 OPTIONS(description="Vig-free probability 0-1 of the over from over_odds and under_odds (vig removed proportionally)."),
  under_implied_prob FLOAT64 OPTIONS(description="Vig-free probability 0-1 of the under from over_odds and under_odds; sums to 1 with over_implied_prob."),
  best_over_odds INT64 OPTIONS(description="Best over price, American odds, among the books whose latest pre-game snapshot is on the same line (line shopping)."),
  best_over_book STRING OPTIONS(description="Book offering best_over_odds (a tie goes to the higher-priority book)."),
  best_under_odds INT64 OPTIONS(description="Best under price, American odds, among the books whose latest pre-game snapshot is on the same line (line shopping)."),
  best_under_book STRING OPTIONS(description="Book offering best_under_odds (a tie goes to the higher-priority book).")
)
PARTITION BY game_date
CLUSTER BY pitcher_lookup;

CREATE TABLE IF NOT EXISTS mlb_predictions.v1_baseline_predictions (
  prediction_id STRING NOT NULL OPTIONS(description="Stable row id <system_id>:<game_date>:<pitcher_lookup>; a re-run replaces the row, never duplicates it."),
  game_date DATE NOT NULL OPTIONS(description="Game date of the start, America/New_York."),
  game_id STRING OPTIONS(description="MLB game identifier of the scheduled start."),
  pitcher_lookup STRING NOT NULL OPTIONS(description="Pitcher key, lower snake case (gerrit_cole), by mlb_precompute.pitcher_key."),
  pitcher_name STRING OPTIONS(description="Pitcher's display name; NULL when he has no game log in the previous 730 days."),
  team_abbr STRING OPTIONS(description="Pitcher's team."),
  opponent_team_abbr STRING OPTIONS(description="Opposing team."),
  is_home BOOL OPTIONS(description="TRUE when the pitcher's team is at home."),
  system_id STRING NOT NULL OPTIONS(description="Prediction system: v1_baseline, v1_6_rolling or ensemble_v1."),
  model_version STRING OPTIONS(description="Model artifact used: <system_id>-<YYYY-MM>-<hash>; ensemble_v1(<v1>+<v1_6>) for the ensemble; none or unavailable when no model loaded."),
  predicted_strikeouts FLOAT64 OPTIONS(description="Predicted strikeouts in the start (the fallback projection when is_fallback), at least 0, rounded to 0.01."),
  strikeouts_line FLOAT64 OPTIONS(description="The day's line (prop_lines.strikeouts_line); NULL when none was posted (recommendation NO_LINE)."),
  over_odds INT64 OPTIONS(description="Selected book's over price on the line (prop_lines.bookmaker), American odds; NULL without a line."),
  under_odds INT64 OPTIONS(description="Selected book's under price on the line (prop_lines.bookmaker), American odds; NULL without a line."),
  p_over FLOAT64 OPTIONS(description="Calibrated probability 0-1 that strikeouts exceed the line (negative binomial, calibrated walk-forward); with p_push and p_under sums to 1. NULL without a line."),
  p_push FLOAT64 OPTIONS(description="Probability 0-1 that strikeouts equal the line: 0 on an x.5 line, only a whole line pushes. NULL without a line."),
  p_under FLOAT64 OPTIONS(description="Calibrated probability 0-1 that strikeouts fall below the line. NULL without a line."),
  p_over_raw FLOAT64 OPTIONS(description="Uncalibrated P(strikeouts > line), 0-1, of the negative binomial around predicted_strikeouts; equals p_over where no calibration applies (fallbacks). NULL without a line."),
  p_under_raw FLOAT64 OPTIONS(description="Uncalibrated P(strikeouts < line), 0-1, of the negative binomial around predicted_strikeouts; equals p_under where no calibration applies. NULL without a line."),
  edge FLOAT64 OPTIONS(description="predicted_strikeouts - strikeouts_line, strikeouts: positive points to the over, negative to the under. NULL without a line."),
  expected_value FLOAT64 OPTIONS(description="Expected profit per 1 unit staked on the side the edge points to, at bet_odds (a push returns the stake). NULL when the edge is 0 or there is no line."),
  bet_book STRING OPTIONS(description="Book offering bet_odds: for the side the edge points to, the best price across books posting the same line. NULL when the edge is 0 or there is no line."),
  bet_odds INT64 OPTIONS(description="Price of the side the edge points to, American odds: the best across books on the same line (line shopping). NULL when the edge is 0 or there is no line."),
  stake_pct FLOAT64 OPTIONS(description="Suggested stake, percent 0-100 of bankroll: MLB_KELLY_FRACTION of the Kelly stake at bet_odds, capped at MLB_MAX_STAKE_PCT; 0 unless OVER or UNDER."),
  confidence FLOAT64 OPTIONS(description="Confidence score 0-100: base_confidence plus the coverage penalty, times the red-flag (and ensemble agreement) multipliers, clamped; 0 on SKIP."),
  base_confidence FLOAT64 OPTIONS(description="Confidence before the coverage penalty and multipliers: 70, +10/+5/0/-10 by rolling_stats_games, +5/+2/-5 by k_std_last_10."),
  recommendation STRING OPTIONS(description="OVER, UNDER, PASS, NO_LINE (no line) or SKIP (hard red flag). A side needs |edge| >= MLB_MIN_EDGE, confidence >= MLB_MIN_CONFIDENCE, expected value >= MLB_MIN_EV; a fallback PASSes."),
  feature_coverage_pct FLOAT64 OPTIONS(description="Percent 0-100 of the system's features present on the row (NULL, NaN and inf count as missing)."),
  missing_features ARRAY<STRING> OPTIONS(description="Names of the system's features missing on the row; empty when all are present."),
  coverage_rated BOOL OPTIONS(description="TRUE when the row counts toward the low-coverage rate; FALSE for thin-history skips (first_start_of_season, insufficient_history)."),
  is_low_coverage BOOL OPTIONS(description="TRUE when coverage_rated and feature_coverage_pct is below MLB_LOW_COVERAGE_THRESHOLD (80 by default)."),
  is_fallback BOOL OPTIONS(description="TRUE when the system could not use its model and predicted season_k_per_9 x ip_avg_last_5 / 9 (5.0 if either is missing); such a row PASSes."),
  fallback_kind STRING OPTIONS(description="Why the model was not used: model_load_failed, feature_mismatch, model_error, or components_unusable (ensemble_v1). NULL when the model predicted."),
  fallback_reason STRING OPTIONS(description="Readable detail of the fallback, prefixed with its fallback_kind. NULL when the model predicted."),
  model_load_failures INT64 OPTIONS(description="Models the row's system needed that failed to load: 0 or 1, up to 2 for ensemble_v1."),
  red_flags ARRAY<STRING> OPTIONS(description="Readable notes that shaped the row: the hard-skip reason, soft confidence multipliers, ensemble agreement, low coverage; empty when none."),
  skip_reason STRING OPTIONS(description="Hard-skip rule that made the row SKIP (on_il, first_start_of_season, opener, insufficient_history, with the value). NULL when not skipped."),
  created_at TIMESTAMP OPTIONS(description="When the run computed the row, UTC timestamp.")
)
PARTITION BY game_date
CLUSTER BY system_id, pitcher_lookup
OPTIONS (require_partition_filter = TRUE);

CREATE TABLE IF NOT EXISTS mlb_predictions.v1_6_rolling_predictions
LIKE mlb_predictions.v1_baseline_predictions;

CREATE TABLE IF NOT EXISTS mlb_predictions.ensemble_v1_predictions
LIKE mlb_predictions.v1_baseline_predictions;

CREATE TABLE IF NOT EXISTS mlb_predictions.coverage_report (
  game_date DATE NOT NULL OPTIONS(description="Game date, America/New_York: a date with scheduled starters."),
  system_id STRING NOT NULL OPTIONS(description="Prediction system: v1_baseline, v1_6_rolling or ensemble_v1."),
  scheduled_starters INT64 OPTIONS(description="Distinct starters on the date's schedule (mlb_precompute.scheduled_starters)."),
  predictions INT64 OPTIONS(description="The system's prediction rows for the date; below scheduled_starters when starters were left out."),
  over_count INT64 OPTIONS(description="Predictions recommending OVER."),
  under_count INT64 OPTIONS(description="Predictions recommending UNDER."),
  pass_count INT64 OPTIONS(description="Predictions recommending PASS."),
  skip_count INT64 OPTIONS(description="Predictions recommending SKIP (a hard red flag)."),
  no_line_count INT64 OPTIONS(description="Predictions with no line posted (NO_LINE)."),
  avg_coverage_pct FLOAT64 OPTIONS(description="Mean feature_coverage_pct of the date's predictions, percent 0-100; NULL without predictions."),
  min_coverage_pct FLOAT64 OPTIONS(description="Lowest feature_coverage_pct of the date's predictions, percent 0-100; NULL without predictions."),
  low_coverage_count INT64 OPTIONS(description="Predictions with is_low_coverage."),
  low_coverage_rate FLOAT64 OPTIONS(description="Percent 0-100 of rated predictions (coverage_rated) with low coverage; NULL under 5 rated predictions."),
  fallback_count INT64 OPTIONS(description="Predictions with is_fallback."),
  fallback_rate FLOAT64 OPTIONS(description="Percent 0-100 of the date's predictions that are fallbacks; NULL without predictions."),
  model_load_failures INT64 OPTIONS(description="Models the system needed that failed to load for the date (the rows' maximum)."),
  created_at TIMESTAMP OPTIONS(description="When the report was computed, UTC timestamp.")
)
PARTITION BY game_date
CLUSTER BY system_id;

-- Deployments that predate a column get it; new ones already have it. Its description is
-- written once, in the CREATE TABLE above (what the Dagster UI shows), not repeated here.
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
