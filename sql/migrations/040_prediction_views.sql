-- Read models over the per-system prediction tables.

CREATE OR REPLACE VIEW mlb_predictions.pitcher_strikeouts AS
SELECT * FROM mlb_predictions.v1_baseline_predictions
UNION ALL
SELECT * FROM mlb_predictions.v1_6_rolling_predictions
UNION ALL
SELECT * FROM mlb_predictions.ensemble_v1_predictions;

-- Per game_date x system: how much of each system's input was actually there.
CREATE OR REPLACE VIEW mlb_predictions.feature_coverage_monitoring AS
SELECT game_date,
       system_id,
       COUNT(*) AS predictions,
       AVG(feature_coverage_pct) AS avg_coverage_pct,
       MIN(feature_coverage_pct) AS min_coverage_pct,
       COUNTIF(feature_coverage_pct < 80.0) AS low_coverage_count,
       SAFE_DIVIDE(COUNTIF(feature_coverage_pct < 80.0), COUNT(*)) AS low_coverage_rate
FROM mlb_predictions.pitcher_strikeouts
GROUP BY game_date, system_id;
