"""System identifiers as stored in every prediction row's system_id."""

V1_BASELINE = "v1_baseline"
V1_6_ROLLING = "v1_6_rolling"
ENSEMBLE_V1 = "ensemble_v1"
SYSTEM_IDS: tuple[str, ...] = (V1_BASELINE, V1_6_ROLLING, ENSEMBLE_V1)
