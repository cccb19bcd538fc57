"""How well each system's numbers held up: accuracy, probability quality and betting return.

Probabilities are judged against the outcome they price (over vs under; pushes leave both
out) and against the market's own vig-free probability at bet time, so "skill" means beating
a sharp book, not beating a coin. Pure: the performance asset and `mlb-assets accuracy` both
call `performance_table`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlb_assets.evaluation.grading import LOSS, NO_BET, PUSH, WIN

DECILES = 10
# Log loss of a probability of exactly 0 or 1 that turns out wrong is infinite.
PROBABILITY_FLOOR = 1e-6


def _decided(graded: pd.DataFrame) -> pd.DataFrame:
    """Rows whose over/under outcome is known and priced: a line, a result other than a push,
    and a model probability."""
    actual = graded["actual_strikeouts"].astype("float64")
    line = graded["strikeouts_line"].astype("float64")
    rows = graded[line.notna() & actual.notna() & (actual != line) & graded["p_over"].notna()]
    p_over = rows["p_over"].astype("float64")
    p_under = rows["p_under"].astype("float64")
    return rows.assign(
        went_over=(rows["actual_strikeouts"] > rows["strikeouts_line"]).astype("float64"),
        # Conditional on no push: the model's probability of the event that was decided.
        p=(p_over / (p_over + p_under)).clip(0.0, 1.0),
    )


def reliability_table(graded: pd.DataFrame, bins: int = DECILES) -> pd.DataFrame:
    """Predicted vs observed over-rate by decile of predicted P(over) (equal-count bins)."""
    rows = _decided(graded)
    columns = ["decile", "predictions", "mean_predicted", "observed", "gap"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    ranks = rows["p"].rank(method="first")
    decile = np.ceil(ranks * bins / len(rows)).astype(int).clip(1, bins)
    table = (
        rows.assign(decile=decile)
        .groupby("decile")
        .agg(
            predictions=("p", "size"),
            mean_predicted=("p", "mean"),
            observed=("went_over", "mean"),
        )
        .reset_index()
    )
    table["gap"] = table["observed"] - table["mean_predicted"]
    return table[columns]


def expected_calibration_error(graded: pd.DataFrame, bins: int = DECILES) -> float:
    """Prediction-weighted mean |observed - predicted| over the decile bins."""
    table = reliability_table(graded, bins)
    if table.empty:
        return float("nan")
    return float((table["gap"].abs() * table["predictions"]).sum() / table["predictions"].sum())


def calibration_noise(graded: pd.DataFrame, bins: int = DECILES) -> float:
    """The calibration error a perfectly calibrated model shows on this many predictions by
    chance: per bin E|observed - p| = sqrt(2/pi) * sqrt(p (1 - p) / n), weighted like the ECE.
    A month of 800 predictions has about 0.045 of it, a season about 0.018."""
    table = reliability_table(graded, bins)
    if table.empty:
        return float("nan")
    p = table["mean_predicted"].clip(0.0, 1.0)
    expected = np.sqrt(2 / np.pi) * np.sqrt(p * (1 - p) / table["predictions"])
    return float((expected * table["predictions"]).sum() / table["predictions"].sum())


def system_performance(graded: pd.DataFrame) -> dict[str, float]:
    """One system's figures over `graded` (rows of prediction_grades)."""
    with_line = graded[graded["strikeouts_line"].notna() & graded["actual_strikeouts"].notna()]
    decided = _decided(graded)
    p = decided["p"].to_numpy(dtype="float64")
    outcome = decided["went_over"].to_numpy(dtype="float64")
    market = decided["market_p_over"].astype("float64").to_numpy()
    brier = float(np.mean((p - outcome) ** 2)) if len(p) else float("nan")
    has_market = ~np.isnan(market)
    brier_market = (
        float(np.mean((market[has_market] - outcome[has_market]) ** 2))
        if has_market.any()
        else float("nan")
    )
    brier_model_vs_market = (
        float(np.mean((p[has_market] - outcome[has_market]) ** 2))
        if has_market.any()
        else float("nan")
    )
    clipped = np.clip(p, PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR)
    log_loss = (
        float(-np.mean(outcome * np.log(clipped) + (1 - outcome) * np.log(1 - clipped)))
        if len(p)
        else float("nan")
    )
    bets = graded[graded["result"] != NO_BET]
    decided_bets = bets[bets["result"].isin([WIN, LOSS])]
    return {
        "starts": float(len(with_line)),
        "mae": float(
            (with_line["predicted_strikeouts"] - with_line["actual_strikeouts"]).abs().mean()
        ),
        "line_mae": float(
            (with_line["strikeouts_line"] - with_line["actual_strikeouts"]).abs().mean()
        ),
        "brier": brier,
        "brier_market": brier_market,
        # Skill against the market on the same rows: 0 is "as good as the book".
        "brier_skill": 1.0 - brier_model_vs_market / brier_market
        if brier_market and not np.isnan(brier_market)
        else float("nan"),
        "log_loss": log_loss,
        "ece": expected_calibration_error(graded),
        "ece_noise": calibration_noise(graded),
        "bets": float(len(bets)),
        "pushes": float((bets["result"] == PUSH).sum()),
        "hit_rate": float((decided_bets["result"] == WIN).mean())
        if len(decided_bets)
        else float("nan"),
        "roi": float(bets["profit"].sum() / len(bets)) if len(bets) else float("nan"),
        "mean_clv_k": float(bets["clv_k"].mean()) if len(bets) else float("nan"),
        "mean_clv_prob": float(bets["clv_prob"].mean()) if len(bets) else float("nan"),
    }


def performance_table(graded: pd.DataFrame) -> pd.DataFrame:
    """One row per system."""
    rows = [
        {"system_id": system_id, **system_performance(rows)}
        for system_id, rows in graded.groupby("system_id", sort=True)
    ]
    return pd.DataFrame(rows)


def pick_shares(graded: pd.DataFrame) -> pd.DataFrame:
    """Per system, the share of each recommendation among its graded predictions."""
    counts = pd.crosstab(graded["system_id"], graded["recommendation"], normalize="index")
    return counts.reindex(columns=["OVER", "UNDER", "PASS", "SKIP"], fill_value=0.0)


# performance_table's figures as a bettor reads them, in this order: bets beside hit rate and
# ROI, rates as percentages, each column described (the UI and the HTML report show these).
READABLE_COLUMNS = {
    "period": "The month (YYYY-MM), or the range of dates the row covers.",
    "scope": "month: the month alone; to_date: the season from January 1st through the "
    "month; range: the whole range asked for.",
    "system": "Prediction system.",
    "bets": "Bets (OVER or UNDER picks) graded in the period.",
    "hit_rate_pct": "Bets won, % of bets decided (pushes left out).",
    "roi_pct": "Units won per bet at flat stakes, %.",
    "starts": "Predicted starts with a line and a result.",
    "mae": "Mean absolute error of the predicted strikeouts.",
    "line_mae": "The line's own mean absolute error on the same starts.",
    "brier_skill_pct": "Brier skill of P(over) against the vig-free market, % (0: as good "
    "as the book).",
    "ece": "Expected calibration error over deciles of P(over).",
    "ece_noise": "The calibration error chance alone gives on this many starts.",
    "clv_prob_pct": "Mean closing-line value of the bets, percentage points of vig-free "
    "probability.",
}


def readable_table(table: pd.DataFrame, period: str, scope: str) -> pd.DataFrame:
    """performance_table rows (one per system) as READABLE_COLUMNS, labelled with their
    period and scope (short words: the UI's narrow cells must not wrap them)."""
    return pd.DataFrame(
        {
            "period": period,
            "scope": scope,
            "system": table["system_id"],
            "bets": table["bets"].astype("int64"),
            "hit_rate_pct": (100 * table["hit_rate"]).round(1),
            "roi_pct": (100 * table["roi"]).round(1),
            "starts": table["starts"].astype("int64"),
            "mae": table["mae"].round(3),
            "line_mae": table["line_mae"].round(3),
            "brier_skill_pct": (100 * table["brier_skill"]).round(2),
            "ece": table["ece"].round(3),
            "ece_noise": table["ece_noise"].round(3),
            "clv_prob_pct": (100 * table["mean_clv_prob"]).round(2),
        },
        columns=list(READABLE_COLUMNS),
    )
