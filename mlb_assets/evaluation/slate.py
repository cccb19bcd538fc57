"""The day's slate as a bettor reads it, left to right: who, against whom, the pick, and what
it costs and is worth; then the numbers behind it; and, for every row that is not a bet, why
not, in words. Pure: the predictions asset, its coverage report, `mlb-assets slate` and the
HTML report all build their slates here, so each says the same thing about a row.

The price, book, probabilities and value describe ONE side: the pick's, or for a row that is
not a bet, the side its edge leans to (the side it would have bet). That is the side scoring
priced (`bet_odds`, `bet_book`, `expected_value`), so a bettor never reads an over price
beside an under probability.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlb_assets.betting import NO_LINE, OVER, PASS, SKIP, UNDER
from mlb_assets.systems.scoring import ScoringRules

# Bets first, then passes, then rows without a line, then skips.
SLATE_ORDER = {OVER: 0, UNDER: 0, PASS: 1, NO_LINE: 2, SKIP: 3}

# The columns in reading order with what each means (shown as column descriptions in the UI).
# The first eleven are what a bettor acts on; the rest explain them.
SLATE_COLUMNS: dict[str, str] = {
    "pitcher": "Starting pitcher.",
    "matchup": "His team, then '@ opponent' away or 'vs opponent' at home.",
    "pick": "OVER or UNDER (a bet), PASS (priced, not worth it), NO_LINE (no line posted) or "
    "SKIP (no sound bet on this start); 'reason' says why.",
    "side": "The side the next five columns describe: the pick's, or for a PASS the side the "
    "edge leans to.",
    "line": "Strikeout line of the selected book (priority DraftKings > FanDuel > BetMGM > "
    "Caesars).",
    "price": "Best American odds for 'side' across the books posting this line.",
    "book": "The book offering 'price'.",
    "p_raw": "P(side wins) from the model's own count distribution, before calibration.",
    "p_cal": "P(side wins) after calibration toward the vig-free market: what EV and the pick "
    "use. A large edge with p_cal near 50 % means the market disagrees and calibration trusts "
    "it.",
    "ev": "Expected value at 'price', in % of the stake (a push returns the stake).",
    "stake": "Fractional-Kelly stake, in % of bankroll (0 unless a bet).",
    "proj_k": "Predicted strikeouts.",
    "edge": "proj_k minus the line, in strikeouts.",
    "over": "Over price at the selected book (the book whose line is shown).",
    "under": "Under price at the selected book.",
    "line_book": "The selected book: its line and its over/under prices.",
    "p_push": "P(strikeouts equal a whole line): the stake comes back.",
    "conf": "Confidence 0-100 (history, volatility, coverage, red flags).",
    "reason": "Why this pick, in words: what made a bet, or what stopped one.",
}

# What a hard skip means, by the code its reason starts with (systems/red_flags.py).
SKIP_WORDS = {
    "on_il": "on the injured list",
    "first_start_of_season": "first start of the season: no current form to go on",
    "opener": "opener or short outing: under 4 innings a start lately",
    "insufficient_history": "fewer than 2 starts in the last 120 days",
}


def _words_for_skip(reason: object) -> str:
    if not isinstance(reason, str):
        return "skipped"
    code, _, detail = reason.partition(":")
    words = SKIP_WORDS.get(code.strip())
    return f"{words} ({detail.strip()})" if words and detail.strip() else words or reason


def _percent(value: float) -> str:
    return f"{100 * value:.0f} %"


def reasons(rows: pd.DataFrame, rules: ScoringRules) -> list[str]:
    """Per row, why the recommendation is what it is, following the rule's own precedence
    (betting.recommend, then fallback, then hard skips)."""
    out = []
    for row in rows.itertuples(index=False):
        pick = row.recommendation
        edge, ev, conf = row.edge, row.expected_value, row.confidence
        if pick == SKIP:
            out.append(_words_for_skip(row.skip_reason))
        elif pick == NO_LINE:
            out.append("no line posted")
        elif pick in (OVER, UNDER):
            out.append(f"edge {edge:+.2f} K, EV {100 * ev:+.1f} %, confidence {conf:.0f}")
        elif bool(row.is_fallback):
            out.append(f"model not used, fallback projection: {row.fallback_reason}")
        elif pd.isna(conf) or conf < rules.min_confidence:
            out.append(f"confidence {conf:.0f} below {rules.min_confidence:g}")
        elif pd.isna(edge) or abs(edge) < rules.min_edge:
            out.append(f"edge {edge:+.2f} K inside ±{rules.min_edge:g} K")
        else:
            text = f"EV {100 * ev:+.1f} % below +{100 * rules.min_ev:g} % at this price"
            p_raw, p_cal = row.p_raw, row.p_cal
            if abs(p_raw - 0.5) > abs(p_cal - 0.5) + 0.03:
                text += (
                    f"; calibration moves P from {_percent(p_raw)} to {_percent(p_cal)} "
                    "(the market disagrees with the model)"
                )
            out.append(text)
    return out


def side_of(edge: pd.Series) -> pd.Series:
    """The side the row's price and probabilities describe: where its edge points."""
    values = edge.astype("float64")
    return pd.Series(
        np.where(values > 0, "over", np.where(values < 0, "under", None)), index=edge.index
    )


def slate_frame(predictions: pd.DataFrame, rules: ScoringRules) -> pd.DataFrame:
    """Every date's slate, indexed by date (YYYY-MM-DD), columns as SLATE_COLUMNS. Within a
    date: bets first (strongest first), then passes, then rows without a line, then skips.
    `line_book` is shown when the rows carry it (the selected book is not stored on a
    prediction row; its readers join it from the lines)."""
    order = predictions["recommendation"].map(SLATE_ORDER).fillna(len(SLATE_ORDER))
    day = pd.to_datetime(predictions["game_date"]).dt.strftime("%Y-%m-%d")
    rows = predictions.assign(_order=order, _date=day).sort_values(
        ["_date", "_order", "confidence"], ascending=[True, True, False]
    )
    side = side_of(rows["edge"])
    over = side == "over"
    p_raw = np.where(over, rows["p_over_raw"], rows["p_under_raw"]).astype("float64")
    p_cal = np.where(over, rows["p_over"], rows["p_under"]).astype("float64")
    p_raw = np.where(side.isna(), np.nan, p_raw)
    p_cal = np.where(side.isna(), np.nan, p_cal)
    away = rows["is_home"].map({True: " vs ", False: " @ "}).fillna(" vs ")
    line_book = rows["line_book"] if "line_book" in rows else pd.Series(None, index=rows.index)
    why = reasons(rows.assign(p_raw=p_raw, p_cal=p_cal), rules)
    return pd.DataFrame(
        {
            "pitcher": rows["pitcher_name"].fillna(rows["pitcher_lookup"]),
            "matchup": rows["team_abbr"].fillna("?")
            + away
            + rows["opponent_team_abbr"].fillna("?"),
            "pick": rows["recommendation"],
            "side": side,
            "line": rows["strikeouts_line"].round(1),
            "price": rows["bet_odds"].astype("Int64"),
            "book": rows["bet_book"],
            "p_raw": np.round(p_raw, 2),
            "p_cal": np.round(p_cal, 2),
            "ev": (100 * rows["expected_value"].astype("float64")).round(1),
            "stake": rows["stake_pct"].astype("float64").round(2),
            "proj_k": rows["predicted_strikeouts"].round(1),
            "edge": rows["edge"].round(2),
            "over": rows["over_odds"].astype("Int64"),
            "under": rows["under_odds"].astype("Int64"),
            "line_book": line_book.where(rows["strikeouts_line"].notna(), None),
            "p_push": rows["p_push"].astype("float64").round(3),
            "conf": rows["confidence"].round(0).astype("Int64"),
            "reason": why,
        },
        columns=list(SLATE_COLUMNS),
    ).set_axis(rows["_date"].to_numpy())
