-- Datasets (DuckDB: schemas) that hold every table of the project.
CREATE SCHEMA IF NOT EXISTS mlb_raw;
CREATE SCHEMA IF NOT EXISTS mlb_analytics;
CREATE SCHEMA IF NOT EXISTS mlb_reference;
CREATE SCHEMA IF NOT EXISTS mlb_precompute;
CREATE SCHEMA IF NOT EXISTS mlb_predictions;
