-- One date's predictions of the chosen systems as a slate reads them, with the book whose line
-- each was priced on (the stored prediction row does not keep it; prop_lines does).
SELECT p.game_date, p.system_id, p.pitcher_lookup, p.pitcher_name, p.team_abbr,
       p.opponent_team_abbr, p.is_home, p.recommendation, p.strikeouts_line, p.over_odds,
       p.under_odds, p.bet_odds, p.bet_book, p.p_over, p.p_under, p.p_push, p.p_over_raw,
       p.p_under_raw, p.predicted_strikeouts, p.edge, p.expected_value, p.stake_pct,
       p.confidence, p.is_fallback, p.fallback_reason, p.skip_reason,
       l.bookmaker AS line_book
FROM mlb_predictions.pitcher_strikeouts AS p
LEFT JOIN mlb_precompute.prop_lines AS l
  ON l.game_date = p.game_date AND l.pitcher_lookup = p.pitcher_lookup
WHERE p.game_date = @game_date AND p.system_id IN UNNEST(@systems)
ORDER BY p.system_id, p.pitcher_lookup
