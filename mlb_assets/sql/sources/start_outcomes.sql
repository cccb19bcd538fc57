-- What each start in [@from_date, @before_date) produced: the training target of the
-- walk-forward models (their features come from the feature slice's own SQL).
SELECT game_date, pitcher_lookup, strikeouts
FROM mlb_precompute.pitcher_games
WHERE is_starter
  AND game_date >= @from_date
  AND game_date < @before_date
  AND strikeouts IS NOT NULL
QUALIFY ROW_NUMBER() OVER (PARTITION BY game_date, pitcher_lookup ORDER BY game_id) = 1
