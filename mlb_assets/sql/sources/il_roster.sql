-- il_roster: for every game date in [@start_date, @end_date] (a date with games scheduled;
-- the off-season needs no roster), the latest injury snapshot on or before it (at most
-- @max_age_days old) and the pitchers it lists under an injured-list status: one of
-- @il_statuses, every spelling of the ONE vocabulary in mlb_assets/features/injured_list.py. A pitcher
-- listed under any other status comes with pitcher_lookup NULL and his status as spelled, so
-- the vocabulary can count what it does not know. Dates with no fresh snapshot, or nobody
-- listed, still get one row (pitcher_lookup NULL) so freshness can be judged per date from
-- this one query.
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
listed AS (
  SELECT snapshot_date, pitcher_lookup, injury_status, injury_date,
         COALESCE(injury_status IN UNNEST(@il_statuses), FALSE) AS on_il
  FROM mlb_precompute.injury_snapshots
  WHERE snapshot_date BETWEEN DATE_SUB(@start_date, INTERVAL @max_age_days DAY) AND @end_date
    AND is_pitcher
)
SELECT l.game_date, IF(i.on_il, i.pitcher_lookup, NULL) AS pitcher_lookup, i.injury_status,
       i.injury_date, l.snapshot_date
FROM latest AS l
LEFT JOIN listed AS i ON i.snapshot_date = l.snapshot_date
ORDER BY l.game_date, pitcher_lookup, i.injury_status
