"""Resources: the warehouse (DuckDB or BigQuery), the model store and the alert sinks."""
