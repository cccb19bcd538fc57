-- il_roster: for every game date in [@start_date, @end_date] (a date with games scheduled;
-- the off-season needs no roster), the latest injury snapshot on or before it (at most
-- @max_age_days old) and the pitchers it lists on the injured list. Dates with no fresh
-- snapshot, or nobody injured, still get one row (pitcher_lookup NULL) so freshness can be
-- judged per date from this one query.
WITH dates AS (
  SELECT DISTINCT game_date
  FROM mlb_raw.mlb_schedule
  WHERE game_date BETWEEN @start_date AND @end_date
),
snapshot_days AS (
  SELECT DISTINCT snapshot_date
  FROM mlb_precompute.injury_snapshots
  WHERE snapshot_date BETWEEN DATE_SUB(@start_date, INTERVAL @max_age_days DAY) AND @end_date
),
latest AS (
  SELECT d.game_date, MAX(s.snapshot_date) AS snapshot_date
  FROM dates AS d
  LEFT JOIN snapshot_days AS s
    ON s.snapshot_date <= d.game_date
   AND s.snapshot_date >= DATE_SUB(d.game_date, INTERVAL @max_age_days DAY)
  GROUP BY d.game_date
),
injured AS (
  SELECT snapshot_date, pitcher_lookup,
         MAX(injury_status) AS injury_status, MAX(injury_date) AS injury_date
  FROM mlb_precompute.injury_snapshots
  WHERE snapshot_date BETWEEN DATE_SUB(@start_date, INTERVAL @max_age_days DAY) AND @end_date
    AND is_pitcher
    AND injury_status IN UNNEST(@il_statuses)
  GROUP BY snapshot_date, pitcher_lookup
)
SELECT l.game_date, i.pitcher_lookup, i.injury_status, i.injury_date, l.snapshot_date
FROM latest AS l
LEFT JOIN injured AS i ON i.snapshot_date = l.snapshot_date
ORDER BY l.game_date, i.pitcher_lookup
