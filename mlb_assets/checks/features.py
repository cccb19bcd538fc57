"""The checks on feature_store_slice: one row per starter per date, and clean sources.

The source views reject rows whose pitcher key is empty, keep one copy of each natural key and
turn values outside physical bounds NULL (sql/migrations/026_source_rows.sql). Repairing a
source silently would hide a broken feed, so `sources/source_quality.sql` counts what they did
in the rows a slice run reads, and these checks put the counts, by source and with examples,
where the UI and the alerts see them.
"""

from __future__ import annotations

import pandas as pd
from dagster import AssetCheckSeverity, MetadataValue

from mlb_assets.checks.rule import CheckRule, Verdict
from mlb_assets.metadata import frame_table

SOURCES = (
    "mlb_raw.mlb_schedule",
    "mlb_analytics.pitcher_game_summary",
    "mlb_raw.oddsa_pitcher_props",
)
ISSUES = ("empty_key", "duplicate", "out_of_bounds")
# A stray implausible value is nulled and warned about; above this share of a source's rows
# the feed itself is broken, and the slice it fed must not pass as fine.
MAX_OUT_OF_BOUNDS_PCT = 1.0

_STARTERS_RULE = (
    "Exactly one feature row per pitcher per game_date, and one scheduled start per pitcher "
    "per date in the schedule itself, counted before the slice keeps one (ERROR)."
)
_KEYS_RULE = "No source row rejected for a name whose pitcher key is empty (WARN)."
_DUPLICATES_RULE = "No second copy of a natural key in the sources (WARN)."
_BOUNDS_RULE = (
    "No source value outside its physical bounds (docs/FEATURES.md); WARN, ERROR when more "
    f"than {MAX_OUT_OF_BOUNDS_PCT:g} % of a source's rows carry one."
)


def duplicate_starters(frame: pd.DataFrame) -> Verdict:
    """Duplicates in a date's slice rows, and in the schedule they were built from
    (`schedule_rows`, the schedule's rows per starter and date, counted before the slice's
    query keeps one)."""
    in_slice = int(frame.duplicated(["game_date", "pitcher_lookup"]).sum())
    doubled = frame[frame["schedule_rows"] > 1]
    in_schedule = int((doubled["schedule_rows"] - 1).sum())
    examples = [
        f"{pd.Timestamp(row.game_date).date()} {row.pitcher_lookup} ({row.schedule_rows} games)"
        for row in doubled.head(5).itertuples(index=False)
    ]
    return Verdict(
        passed=in_slice == 0 and in_schedule == 0,
        value=float(in_slice + in_schedule),
        text=f"{in_slice} duplicate rows, {in_schedule} duplicate scheduled starts",
        metadata={
            "duplicate_rows": MetadataValue.int(in_slice),
            "duplicate_scheduled_starts": MetadataValue.int(in_schedule),
            "examples": MetadataValue.text("; ".join(examples) or "none"),
        },
    )


def source_quality_table(quality: pd.DataFrame) -> pd.DataFrame:
    """One row per source: rows read, then the rows of each issue (0 when none)."""
    counts = quality.pivot_table(
        index="source", columns="issue", values="source_rows", aggfunc="sum", fill_value=0
    )
    table = counts.reindex(index=list(SOURCES), columns=["clean", *ISSUES], fill_value=0)
    table.insert(0, "rows", table.sum(axis=1))
    kept = table["clean"] + table["out_of_bounds"]
    table["out_of_bounds_pct"] = (100.0 * table["out_of_bounds"] / kept.where(kept > 0)).round(3)
    return table.drop(columns="clean").astype({c: "int64" for c in ("rows", *ISSUES)})


def _examples(quality: pd.DataFrame, issue: str) -> MetadataValue:
    found = quality[(quality["issue"] == issue) & quality["examples"].notna()]
    text = "\n".join(f"{row.source}: {row.examples}" for row in found.itertuples(index=False))
    return MetadataValue.text(text or "none")


def _source_rule(
    name: str, issue: str, rule: str, error_above_pct: float | None = None
) -> CheckRule:
    """A rule on what the source views did to the rows the run read (one `source_quality.sql`
    result, judged once for the window). With `error_above_pct`, a failure is ERROR (and holds
    the window) once a source's share of such rows passes it; WARN below."""

    def judge(quality: pd.DataFrame) -> Verdict:
        table = source_quality_table(quality)
        rows = int(table[issue].sum())
        worst_pct = float(table["out_of_bounds_pct"].fillna(0.0).max())
        extra: dict[str, MetadataValue] = {}
        severity = AssetCheckSeverity.WARN
        if error_above_pct is not None:
            extra = {
                "worst_source_pct": MetadataValue.text(f"{worst_pct:.3f} %"),
                "limit_pct": MetadataValue.text(f"{error_above_pct:g} %"),
            }
            if worst_pct > error_above_pct:
                severity = AssetCheckSeverity.ERROR
        return Verdict(
            passed=rows == 0,
            value=float(rows),
            text=f"{rows} rows",
            severity=severity,
            metadata={
                f"{issue}_rows": MetadataValue.int(rows),
                "by_source": frame_table(table.rename_axis("source").reset_index()),
                "examples": _examples(quality, issue),
                **extra,
            },
        )

    return CheckRule(
        name,
        rule,
        judge,
        severity=AssetCheckSeverity.WARN,
        blocking=error_above_pct is not None,
        per_date=False,
    )


FEATURE_SLICE_RULES = [
    CheckRule("no_duplicate_starters", _STARTERS_RULE, duplicate_starters, blocking=True),
    _source_rule("source_keys_present", "empty_key", _KEYS_RULE),
    _source_rule("no_source_duplicates", "duplicate", _DUPLICATES_RULE),
    _source_rule("source_values_in_bounds", "out_of_bounds", _BOUNDS_RULE, MAX_OUT_OF_BOUNDS_PCT),
]
