-- Read models over the per-system prediction tables.

CREATE OR REPLACE VIEW mlb_predictions.pitcher_strikeouts AS
SELECT * FROM mlb_predictions.v1_baseline_predictions
UNION ALL
SELECT * FROM mlb_predictions.v1_6_rolling_predictions
UNION ALL
SELECT * FROM mlb_predictions.ensemble_v1_predictions;

-- Per game_date x system: how much of each system's input was actually there. Like the
-- coverage check, the low-coverage share leaves out rows skipped for thin history (a season's
-- first starts), whose missing features are expected; at the default threshold of 80.
CREATE OR REPLACE VIEW mlb_predictions.feature_coverage_monitoring AS
WITH rated AS (
  SELECT *,
         NOT (STARTS_WITH(IFNULL(skip_reason, ''), 'first_start_of_season')
              OR STARTS_WITH(IFNULL(skip_reason, ''), 'insufficient_history')) AS is_rated
  FROM mlb_predictions.pitcher_strikeouts
)
SELECT game_date,
       system_id,
       COUNT(*) AS predictions,
       AVG(feature_coverage_pct) AS avg_coverage_pct,
       MIN(feature_coverage_pct) AS min_coverage_pct,
       COUNTIF(is_rated AND feature_coverage_pct < 80.0) AS low_coverage_count,
       -- Undefined below 5 rated predictions, as in the check (mlb_assets/quality.py).
       IF(COUNTIF(is_rated) >= 5,
          100 * COUNTIF(is_rated AND feature_coverage_pct < 80.0) / COUNTIF(is_rated),
          NULL) AS low_coverage_rate
FROM rated
GROUP BY game_date, system_id;
