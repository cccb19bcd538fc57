"""From one system's predicted strikeouts to the production row: probabilities, edge, value,
confidence, red flags and the recommendation."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlb_assets.betting import (
    OVER,
    PASS,
    SKIP,
    UNDER,
    best_price,
    expected_value,
    kelly_stake,
    recommend,
)
from mlb_assets.features.coverage import coverage_penalty, feature_coverage
from mlb_assets.features.matrix import feature_matrix
from mlb_assets.systems.confidence import base_confidence, clamp_confidence
from mlb_assets.systems.probabilities import Probabilities
from mlb_assets.systems.red_flags import hard_skip_reasons, history_skip, soft_flags

_IDENTITY_COLUMNS = (
    "game_date",
    "game_id",
    "pitcher_lookup",
    "pitcher_name",
    "team_abbr",
    "opponent_team_abbr",
    "is_home",
)
OUTPUT_COLUMNS: tuple[str, ...] = (
    "prediction_id",
    *_IDENTITY_COLUMNS,
    "system_id",
    "model_version",
    "predicted_strikeouts",
    "strikeouts_line",
    "over_odds",
    "under_odds",
    "p_over",
    "p_push",
    "p_under",
    "p_over_raw",
    "p_under_raw",
    "edge",
    "expected_value",
    "bet_book",
    "bet_odds",
    "stake_pct",
    "confidence",
    "base_confidence",
    "recommendation",
    "feature_coverage_pct",
    "missing_features",
    "coverage_rated",
    "is_low_coverage",
    "is_fallback",
    "fallback_kind",
    "fallback_reason",
    "model_load_failures",
    "red_flags",
    "skip_reason",
    "created_at",
)


@dataclass(frozen=True)
class ScoringRules:
    """The env-configured thresholds (MLB_MIN_EDGE, MLB_MIN_CONFIDENCE, ...) scoring obeys."""

    min_edge: float = 0.5
    min_confidence: float = 60.0
    low_coverage_threshold: float = 80.0
    min_ev: float = 0.02
    kelly_fraction: float = 0.25
    max_stake_pct: float = 2.0


@dataclass(frozen=True)
class ConfidenceAdjustment:
    """What a combining system (the ensemble) adds on top of the per-row scoring.

    multiplier applies after the usual clamp, notes join red_flags (None: no note), and
    skip_reason forces SKIP where the row's own hard flags did not (None: no skip).
    """

    multiplier: np.ndarray
    notes: np.ndarray
    skip_reason: np.ndarray


def _direction(edge: np.ndarray) -> np.ndarray:
    return np.sign(np.nan_to_num(edge, nan=0.0)).astype(int)


@dataclass(frozen=True)
class Bet:
    """The side the edge points to, at the best price across books for that side."""

    odds: np.ndarray
    book: np.ndarray
    p_win: np.ndarray
    p_lose: np.ndarray

    @property
    def expected_value(self) -> np.ndarray:
        return np.asarray(expected_value(self.p_win, self.p_lose, self.odds), dtype="float64")


def _side(edge: np.ndarray, over: np.ndarray, under: np.ndarray, neither: object) -> np.ndarray:
    return np.where(edge > 0, over, np.where(edge < 0, under, neither))


def _bet(frame: pd.DataFrame, edge: np.ndarray, probabilities: Probabilities) -> Bet:
    """Line shopping: the better of the selected book's price and the best one posted by any
    book on the same line. No side (no edge, no line), no price and no value."""
    over_odds, under_odds, best_over, best_under = feature_matrix(
        frame, ["over_odds", "under_odds", "best_over_odds", "best_under_odds"]
    ).T
    books = frame.reindex(columns=["bookmaker", "best_over_book", "best_under_book"])
    books = books.astype(object).where(books.notna(), None)
    over_price, over_book = best_price(
        over_odds, books["bookmaker"].to_numpy(), best_over, books["best_over_book"].to_numpy()
    )
    under_price, under_book = best_price(
        under_odds, books["bookmaker"].to_numpy(), best_under, books["best_under_book"].to_numpy()
    )
    p = probabilities
    return Bet(
        odds=_side(edge, over_price, under_price, np.nan).astype("float64"),
        book=_side(edge, over_book, under_book, None).astype(object),
        p_win=_side(edge, p.p_over, p.p_under, np.nan).astype("float64"),
        p_lose=_side(edge, p.p_under, p.p_over, np.nan).astype("float64"),
    )


def rounded_prediction(predicted: np.ndarray) -> np.ndarray:
    """The stored prediction: counts cannot be negative, whatever a regressor extrapolates.

    Every derived figure (edge, probabilities) is computed from this value, so a stored row is
    self-consistent.
    """
    return np.round(np.clip(np.asarray(predicted, dtype="float64"), 0.0, None), 2)


def _prediction_ids(frame: pd.DataFrame, system_id: str) -> np.ndarray:
    """Stable across re-runs, so re-materialising a date replaces rows instead of adding them."""
    dates = pd.to_datetime(frame["game_date"]).dt.strftime("%Y-%m-%d")
    return (f"{system_id}:" + dates + ":" + frame["pitcher_lookup"].astype(str)).to_numpy()


def score_system(
    frame: pd.DataFrame,
    predicted: np.ndarray,
    *,
    system_id: str,
    model_version: str,
    features: Sequence[str],
    probabilities: Probabilities,
    fallback_kind: np.ndarray,
    fallback_reason: np.ndarray,
    model_load_failures: np.ndarray,
    rules: ScoringRules,
    created_at: pd.Timestamp,
    adjustment: ConfidenceAdjustment | None = None,
) -> pd.DataFrame:
    """Every derived column comes from the rounded prediction (`rounded_prediction`), whose
    probabilities the caller computed, so a stored row is self-consistent.

    fallback_kind and fallback_reason hold None for rows predicted by the model;
    model_load_failures counts, per row, the models its system needed that failed to load.
    """
    predicted = rounded_prediction(predicted)
    line, over_odds, under_odds = feature_matrix(
        frame, ["strikeouts_line", "over_odds", "under_odds"]
    ).T
    has_line = ~np.isnan(line)
    edge = np.round(predicted - line, 2)
    bet = _bet(frame, edge, probabilities)
    value = bet.expected_value

    coverage = feature_coverage(frame, features)
    base = base_confidence(frame)
    multiplier, flags = soft_flags(frame, _direction(edge))
    penalty = coverage_penalty(coverage["feature_coverage_pct"])
    confidence = clamp_confidence((base + penalty).to_numpy() * multiplier)
    skip_reason = hard_skip_reasons(frame)
    if adjustment is not None:
        confidence = clamp_confidence(confidence * adjustment.multiplier)
        flags = [
            [*row, note] if note is not None else row
            for row, note in zip(flags, adjustment.notes, strict=True)
        ]
        skip_reason = np.where(pd.isna(skip_reason), adjustment.skip_reason, skip_reason)
    flags = [
        [*row, f"low_coverage: {pct:.1f}% of features present ({cut:+.0f} confidence)"]
        if cut < 0
        else row
        for row, pct, cut in zip(flags, coverage["feature_coverage_pct"], penalty, strict=True)
    ]
    skipped = pd.notna(skip_reason)
    confidence = np.round(np.where(skipped, 0.0, confidence), 1)
    is_fallback = pd.notna(fallback_kind)
    # The one definition of low coverage: below the configured threshold on a row that counts
    # toward coverage (not a thin-history skip). Checks, report and views read these columns.
    coverage_pct = coverage["feature_coverage_pct"].to_numpy()
    rated = ~history_skip(skip_reason)
    is_low = rated & (coverage_pct < rules.low_coverage_threshold)

    recommendation = recommend(
        edge,
        confidence,
        has_line,
        value,
        min_edge=rules.min_edge,
        min_confidence=rules.min_confidence,
        min_ev=rules.min_ev,
    )
    recommendation[is_fallback] = PASS
    recommendation[skipped] = SKIP
    stake = kelly_stake(
        bet.p_win,
        bet.p_lose,
        bet.odds,
        fraction=rules.kelly_fraction,
        max_stake=rules.max_stake_pct / 100.0,
    )
    picked = np.isin(recommendation, [OVER, UNDER])
    red_flags = [
        [reason, *row] if reason is not None else row
        for reason, row in zip(skip_reason, flags, strict=True)
    ]

    # Plain arrays, index set afterwards: no alignment surprises with a duplicated input index.
    out = pd.DataFrame(
        {
            "prediction_id": _prediction_ids(frame, system_id),
            **{column: frame[column].array for column in _IDENTITY_COLUMNS},
            "system_id": system_id,
            "model_version": model_version,
            "predicted_strikeouts": predicted,
            "strikeouts_line": line,
            "over_odds": over_odds,
            "under_odds": under_odds,
            "p_over": probabilities.p_over,
            "p_push": probabilities.p_push,
            "p_under": probabilities.p_under,
            "p_over_raw": probabilities.p_over_raw,
            "p_under_raw": probabilities.p_under_raw,
            "edge": edge,
            "expected_value": value,
            "bet_book": bet.book,
            "bet_odds": bet.odds,
            "stake_pct": np.round(np.where(picked, 100.0 * stake, 0.0), 2),
            "confidence": confidence,
            "base_confidence": base.to_numpy(),
            "recommendation": recommendation,
            "feature_coverage_pct": coverage["feature_coverage_pct"].to_numpy(),
            "missing_features": coverage["missing_features"].tolist(),
            "coverage_rated": rated,
            "is_low_coverage": is_low,
            "is_fallback": is_fallback,
            "fallback_kind": fallback_kind,
            "fallback_reason": fallback_reason,
            "model_load_failures": np.asarray(model_load_failures, dtype="int64"),
            "red_flags": red_flags,
            "skip_reason": skip_reason,
            "created_at": created_at,
        },
        columns=list(OUTPUT_COLUMNS),
    )
    out.index = frame.index
    return out
