-- source_quality: what the source views left out or changed in the rows the feature slice of
-- [@start_date, @end_date] reads (game logs: the 730 days before; the schedule and the prop
-- snapshots: the window itself). One row per source and issue: 'clean', 'empty_key'
-- (rejected: the name keys to ''), 'duplicate' (a second copy of a natural key) or
-- 'out_of_bounds' (a kept row with a value turned NULL), with up to 5 examples. The injury
-- snapshots are not the slice's source: an injury feed that fails must never stop the features.
WITH judged AS (
  SELECT 'mlb_raw.mlb_schedule' AS source, row_status, '' AS out_of_bounds,
         CONCAT(CAST(game_date AS STRING), ' ', game_id, ' ', raw_pitcher) AS example
  FROM mlb_precompute.scheduled_starter_rows
  WHERE game_date BETWEEN @start_date AND @end_date
  UNION ALL
  SELECT 'mlb_analytics.pitcher_game_summary', row_status, out_of_bounds,
         CONCAT(CAST(game_date AS STRING), ' ', COALESCE(pitcher_name, raw_pitcher),
                IF(out_of_bounds = '', '', CONCAT(' (', out_of_bounds, ')')))
  FROM mlb_precompute.pitcher_game_rows
  WHERE game_date >= DATE_SUB(@start_date, INTERVAL 730 DAY) AND game_date < @end_date
  UNION ALL
  SELECT 'mlb_raw.oddsa_pitcher_props', row_status, out_of_bounds,
         CONCAT(CAST(game_date AS STRING), ' ', raw_pitcher, ' ', bookmaker,
                IF(out_of_bounds = '', '', CONCAT(' (', out_of_bounds, ')')))
  FROM mlb_precompute.prop_snapshot_rows
  WHERE game_date BETWEEN @start_date AND @end_date
),
issues AS (
  SELECT source, example,
         CASE WHEN row_status != 'kept' THEN row_status
              WHEN out_of_bounds != '' THEN 'out_of_bounds'
              ELSE 'clean' END AS issue
  FROM judged
),
counts AS (
  SELECT source, issue, COUNT(*) AS source_rows
  FROM issues
  GROUP BY source, issue
),
examples AS (
  SELECT source, issue, STRING_AGG(example, '; ' ORDER BY example) AS examples
  FROM (
    SELECT * FROM issues
    WHERE issue != 'clean'
    QUALIFY ROW_NUMBER() OVER (PARTITION BY source, issue ORDER BY example DESC) <= 5
  )
  GROUP BY source, issue
)
SELECT c.source, c.issue, c.source_rows, e.examples
FROM counts AS c
LEFT JOIN examples AS e ON e.source = c.source AND e.issue = c.issue
ORDER BY c.source, c.issue
