-- Write-audit-publish: candidate rows of a date that failed a blocking check land here (same
-- columns, plus the run and the checks that failed) instead of replacing the published rows.
-- One twin per table with a blocking check; a date's latest quarantined candidates replace
-- older ones.
CREATE TABLE IF NOT EXISTS mlb_predictions.v1_baseline_predictions_quarantine
LIKE mlb_predictions.v1_baseline_predictions;
CREATE TABLE IF NOT EXISTS mlb_predictions.v1_6_rolling_predictions_quarantine
LIKE mlb_predictions.v1_baseline_predictions;
CREATE TABLE IF NOT EXISTS mlb_predictions.ensemble_v1_predictions_quarantine
LIKE mlb_predictions.v1_baseline_predictions;
ALTER TABLE mlb_predictions.v1_baseline_predictions_quarantine
  ADD COLUMN IF NOT EXISTS run_id STRING OPTIONS(description="Dagster run id of the run whose candidates failed a blocking check.");
ALTER TABLE mlb_predictions.v1_baseline_predictions_quarantine
  ADD COLUMN IF NOT EXISTS failed_checks STRING OPTIONS(description="The blocking (ERROR) checks the date's candidates failed, comma-separated.");
ALTER TABLE mlb_predictions.v1_6_rolling_predictions_quarantine
  ADD COLUMN IF NOT EXISTS run_id STRING OPTIONS(description="Dagster run id of the run whose candidates failed a blocking check.");
ALTER TABLE mlb_predictions.v1_6_rolling_predictions_quarantine
  ADD COLUMN IF NOT EXISTS failed_checks STRING OPTIONS(description="The blocking (ERROR) checks the date's candidates failed, comma-separated.");
ALTER TABLE mlb_predictions.ensemble_v1_predictions_quarantine
  ADD COLUMN IF NOT EXISTS run_id STRING OPTIONS(description="Dagster run id of the run whose candidates failed a blocking check.");
ALTER TABLE mlb_predictions.ensemble_v1_predictions_quarantine
  ADD COLUMN IF NOT EXISTS failed_checks STRING OPTIONS(description="The blocking (ERROR) checks the date's candidates failed, comma-separated.");
CREATE TABLE IF NOT EXISTS mlb_precompute.feature_store_slice_quarantine
LIKE mlb_precompute.feature_store_slice;
ALTER TABLE mlb_precompute.feature_store_slice_quarantine
  ADD COLUMN IF NOT EXISTS run_id STRING OPTIONS(description="Dagster run id of the run whose candidates failed a blocking check.");
ALTER TABLE mlb_precompute.feature_store_slice_quarantine
  ADD COLUMN IF NOT EXISTS failed_checks STRING OPTIONS(description="The blocking (ERROR) checks the date's candidates failed, comma-separated.");
CREATE TABLE IF NOT EXISTS mlb_precompute.il_roster_quarantine
LIKE mlb_precompute.il_roster;
ALTER TABLE mlb_precompute.il_roster_quarantine
  ADD COLUMN IF NOT EXISTS run_id STRING OPTIONS(description="Dagster run id of the run whose candidates failed a blocking check.");
ALTER TABLE mlb_precompute.il_roster_quarantine
  ADD COLUMN IF NOT EXISTS failed_checks STRING OPTIONS(description="The blocking (ERROR) checks the date's candidates failed, comma-separated.");
CREATE TABLE IF NOT EXISTS mlb_precompute.prop_lines_quarantine
LIKE mlb_precompute.prop_lines;
ALTER TABLE mlb_precompute.prop_lines_quarantine
  ADD COLUMN IF NOT EXISTS run_id STRING OPTIONS(description="Dagster run id of the run whose candidates failed a blocking check.");
ALTER TABLE mlb_precompute.prop_lines_quarantine
  ADD COLUMN IF NOT EXISTS failed_checks STRING OPTIONS(description="The blocking (ERROR) checks the date's candidates failed, comma-separated.");
CREATE TABLE IF NOT EXISTS mlb_predictions.prediction_grades_quarantine
LIKE mlb_predictions.prediction_grades;
ALTER TABLE mlb_predictions.prediction_grades_quarantine
  ADD COLUMN IF NOT EXISTS run_id STRING OPTIONS(description="Dagster run id of the run whose candidates failed a blocking check.");
ALTER TABLE mlb_predictions.prediction_grades_quarantine
  ADD COLUMN IF NOT EXISTS failed_checks STRING OPTIONS(description="The blocking (ERROR) checks the date's candidates failed, comma-separated.");
