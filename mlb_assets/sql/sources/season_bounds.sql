-- First and last scheduled game_date of every season in the warehouse.
SELECT EXTRACT(YEAR FROM game_date) AS season,
       MIN(game_date) AS first_date,
       MAX(game_date) AS last_date
FROM mlb_raw.mlb_schedule
GROUP BY season
ORDER BY season
