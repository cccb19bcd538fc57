-- The rows of one project table for [@start_date, @end_date], as a downstream asset reads them:
-- once per run. `window_table` stands for that table: identifiers cannot be bound as
-- parameters, so Warehouse.read_window swaps in a checked dataset.table name from code.
SELECT *
FROM window_table
WHERE game_date BETWEEN @start_date AND @end_date
ORDER BY game_date, pitcher_lookup
