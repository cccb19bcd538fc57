-- prop_lines: the day's line per starter for [@start_date, @end_date], selected by the
-- shared view so the feature slice and this table can never disagree, with the best price per
-- side across the books posting that line (line shopping).
SELECT game_date, game_id, pitcher_lookup, bookmaker, snapshot_time, strikeouts_line,
       over_odds, under_odds, best_over_odds, best_over_book, best_under_odds, best_under_book
FROM mlb_precompute.best_prop_lines
WHERE game_date BETWEEN @start_date AND @end_date
ORDER BY game_date, pitcher_lookup
