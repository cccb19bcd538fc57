-- Read models over the per-system prediction tables.

-- The three systems in the production row shape; columns by name, so a table that gained a
-- column by ALTER (appended last) still lines up.
CREATE OR REPLACE VIEW mlb_predictions.pitcher_strikeouts AS
SELECT prediction_id, game_date, game_id, pitcher_lookup, pitcher_name, team_abbr,
       opponent_team_abbr, is_home, system_id, model_version, predicted_strikeouts,
       strikeouts_line, over_odds, under_odds, p_over, p_push, p_under, p_over_raw,
       p_under_raw, edge, expected_value, bet_book, bet_odds, stake_pct, confidence,
       base_confidence, recommendation, feature_coverage_pct, missing_features,
       coverage_rated, is_low_coverage, is_fallback, fallback_kind, fallback_reason,
       model_load_failures, red_flags, skip_reason, created_at
FROM mlb_predictions.v1_baseline_predictions
UNION ALL
SELECT prediction_id, game_date, game_id, pitcher_lookup, pitcher_name, team_abbr,
       opponent_team_abbr, is_home, system_id, model_version, predicted_strikeouts,
       strikeouts_line, over_odds, under_odds, p_over, p_push, p_under, p_over_raw,
       p_under_raw, edge, expected_value, bet_book, bet_odds, stake_pct, confidence,
       base_confidence, recommendation, feature_coverage_pct, missing_features,
       coverage_rated, is_low_coverage, is_fallback, fallback_kind, fallback_reason,
       model_load_failures, red_flags, skip_reason, created_at
FROM mlb_predictions.v1_6_rolling_predictions
UNION ALL
SELECT prediction_id, game_date, game_id, pitcher_lookup, pitcher_name, team_abbr,
       opponent_team_abbr, is_home, system_id, model_version, predicted_strikeouts,
       strikeouts_line, over_odds, under_odds, p_over, p_push, p_under, p_over_raw,
       p_under_raw, edge, expected_value, bet_book, bet_odds, stake_pct, confidence,
       base_confidence, recommendation, feature_coverage_pct, missing_features,
       coverage_rated, is_low_coverage, is_fallback, fallback_kind, fallback_reason,
       model_load_failures, red_flags, skip_reason, created_at
FROM mlb_predictions.ensemble_v1_predictions;

-- Per game_date x system: how much of each system's input was actually there. Low coverage is
-- read from the rows (is_low_coverage, coverage_rated), set by the scoring code with the
-- configured MLB_LOW_COVERAGE_THRESHOLD, so this view, the report and the check agree.
CREATE OR REPLACE VIEW mlb_predictions.feature_coverage_monitoring AS
SELECT game_date,
       system_id,
       COUNT(*) AS predictions,
       AVG(feature_coverage_pct) AS avg_coverage_pct,
       MIN(feature_coverage_pct) AS min_coverage_pct,
       COUNTIF(is_low_coverage) AS low_coverage_count,
       -- Undefined below 5 rated predictions, as in the check (mlb_assets/evaluation/quality.py).
       IF(COUNTIF(coverage_rated) >= 5,
          100 * COUNTIF(is_low_coverage) / COUNTIF(coverage_rated),
          NULL) AS low_coverage_rate
FROM mlb_predictions.pitcher_strikeouts
GROUP BY game_date, system_id;
