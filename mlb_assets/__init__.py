"""mlb-assets: MLB starting-pitcher strikeout predictions as a Dagster asset graph."""

import os

# XGBoost's OpenMP threads spin-wait by default; on a 2-core machine shared with Dagster's
# own processes that made training 10-40x slower. Must be set before xgboost loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
