"""One check rule as one object: its name, the rule in words with its threshold, its severity,
whether it gates publication, its Dagster spec, and how it judges one date.

A rule's description in the UI, the blocking flag Dagster shows and the verdict it reaches are
read from the same object, so they cannot drift apart. Everything that turns verdicts into
Dagster events (the range's one result, one evaluation per partition) lives here too, so an
asset only says which rules apply and what evidence each date offers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, get_args, get_type_hints

import pandas as pd
from dagster import (
    AssetCheckEvaluation,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    EventLogRecord,
    MetadataValue,
    PartitionsDefinition,
)

from mlb_assets.metadata import frame_table

# At most this many dates in a check's per-date table (failing dates first, then the worst).
PER_DATE_ROWS = 20
# The key a window-wide rule's single verdict is filed under.
WINDOW = "window"


@dataclass(frozen=True)
class Verdict:
    """One date's (or one window's) judgement.

    `value` is the figure judged (None: not rated, e.g. too few rows to form a rate), shown as
    `text`; `severity` overrides the rule's when the data decides how bad a failure is.
    """

    passed: bool
    value: float | None = None
    text: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    severity: AssetCheckSeverity | None = None
    # The partitions a window verdict implicates (None: the whole window), so a window rule
    # holds back only the dates at fault.
    dates: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        # Judges compare numpy values; Dagster's events take plain bools only.
        object.__setattr__(self, "passed", bool(self.passed))


@dataclass(frozen=True)
class CheckRule:
    """A rule judged on evidence, per date (`per_date`) or once for the run's window.

    A `blocking` rule that fails at ERROR holds its date back: the published rows stay, the
    candidates go to quarantine, and the date gets no new materialization.
    """

    name: str
    rule: str
    judge: Callable[[Any], Verdict]
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
    blocking: bool = False
    per_date: bool = True
    # A window rule that judges the window's candidate rows themselves (not other evidence).
    on_rows: bool = False
    # The threshold in words ("20.00 %") for rules judged against one; the summary names it
    # beside the worst date. Rules without one list their failed partitions instead.
    limit: str = ""
    unit: str = "date"

    def spec(
        self, asset: str | AssetKey, partitions_def: PartitionsDefinition | None
    ) -> AssetCheckSpec:
        gate = ", blocking: a failing date keeps its published rows" if self.blocking else ""
        return AssetCheckSpec(
            self.name,
            asset=asset,
            description=f"{self.rule} (severity {self.severity.value}{gate}).",
            blocking=self.blocking,
            partitions_def=partitions_def if self.per_date else None,
        )

    def evaluate(self, evidence: Mapping[str, Any]) -> RuleOutcome:
        """Judge each key's evidence (partition keys, or `{WINDOW: ...}` for a window rule)."""
        return RuleOutcome(self, {key: self.judge(found) for key, found in evidence.items()})


def specs(
    rules: Sequence[CheckRule], asset: str | AssetKey, partitions_def: PartitionsDefinition | None
) -> list[AssetCheckSpec]:
    return [rule.spec(asset, partitions_def) for rule in rules]


@dataclass(frozen=True)
class RuleOutcome:
    """One rule over one run: a verdict per date (or one for the window)."""

    rule: CheckRule
    verdicts: Mapping[str, Verdict]

    @property
    def failed(self) -> list[str]:
        return [key for key, verdict in self.verdicts.items() if not verdict.passed]

    def severity(self) -> AssetCheckSeverity:
        """ERROR when any failing verdict is ERROR; the rule's own severity otherwise."""
        levels = [v.severity or self.rule.severity for v in self.verdicts.values() if not v.passed]
        if AssetCheckSeverity.ERROR in levels:
            return AssetCheckSeverity.ERROR
        return levels[0] if levels else self.rule.severity

    def held(self, keys: Sequence[str]) -> list[str]:
        """The partition keys this rule keeps from publication (all of them for a window rule
        that failed at ERROR)."""
        if not self.rule.blocking:
            return []
        errors = [
            key
            for key, verdict in self.verdicts.items()
            if not verdict.passed
            and (verdict.severity or self.rule.severity) is AssetCheckSeverity.ERROR
        ]
        if self.rule.per_date:
            return errors
        implicated = {d for k in errors for d in (self.verdicts[k].dates or keys)}
        return [key for key in keys if key in implicated]

    def _worst(self) -> str | None:
        """The partition with the highest rated value (failing or not), if any is rated."""
        rated = {k: v.value for k, v in self.verdicts.items() if _rated(v)}
        return max(rated, key=lambda k: float(rated[k] or 0.0)) if rated else None

    def _featured(self) -> Verdict:
        """The verdict whose details the run's result shows: the worst failure, else the last
        partition's."""
        failing = {k: v for k, v in self.verdicts.items() if not v.passed}
        rated = {k: v for k, v in failing.items() if _rated(v)}
        if rated:
            return max(rated.values(), key=lambda v: float(v.value or 0.0))
        return (list(failing.values()) or list(self.verdicts.values()))[-1]

    def summary(self) -> str:
        """One line: a window rule's verdict, or how many partitions failed with the worst
        against the limit (or the failed partitions by name)."""
        if not self.rule.per_date:
            (only,) = self.verdicts.values()
            return only.text or ("passed" if only.passed else "failed")
        text = f"{len(self.failed)} of {len(self.verdicts)} {self.rule.unit}s failed"
        worst = self._worst()
        if self.rule.limit and worst is not None:
            text += f"; worst {worst} at {self.verdicts[worst].text}, limit {self.rule.limit}"
        elif self.failed:
            labels = [k[:7] if self.rule.unit == "month" else k for k in self.failed]
            text += ": " + ", ".join(labels[:10]) + (" ..." if len(labels) > 10 else "")
        return text

    def result(
        self, asset_key: AssetKey, extra: Mapping[str, Any] | None = None
    ) -> AssetCheckResult:
        """The run's one result: passed only when every partition passed, with the rule, a
        one-line summary, the featured verdict's details and, for per-date rules, the worst
        partition and the per-partition table."""
        summary = self.summary()
        metadata: dict[str, Any] = {
            "rule": MetadataValue.text(self.rule.rule),
            "summary": MetadataValue.text(summary),
            **self._featured().metadata,
        }
        if self.rule.per_date:
            worst = self._worst()
            metadata |= {
                "dates_failed": MetadataValue.int(len(self.failed)),
                "dates_not_rated": MetadataValue.int(
                    sum(not _rated(v) for v in self.verdicts.values())
                ),
                "worst_date": MetadataValue.text(worst or "none"),
                "worst_value": MetadataValue.text(
                    self.verdicts[worst].text if worst else "not rated"
                ),
                "per_date": frame_table(self._per_date_table()),
            }
        return AssetCheckResult(
            asset_key=asset_key,
            check_name=self.rule.name,
            passed=not self.failed,
            severity=self.severity(),
            description=summary,
            metadata={**metadata, **(extra or {})},
        )

    def _per_date_table(self) -> pd.DataFrame:
        table = pd.DataFrame(
            {
                "date": list(self.verdicts),
                "value": [v.text or "" for v in self.verdicts.values()],
                "passed": [v.passed for v in self.verdicts.values()],
                "_sort": [
                    float(v.value) if _rated(v) and v.value is not None else -1.0
                    for v in self.verdicts.values()
                ],
            }
        ).sort_values(["passed", "_sort"], ascending=[True, False], kind="stable")
        return table.drop(columns="_sort").head(PER_DATE_ROWS).reset_index(drop=True)

    def evaluations(
        self, asset_key: AssetKey, targets: Mapping[str, Any] | None = None
    ) -> list[AssetCheckEvaluation]:
        """One evaluation per partition of a range run, so the UI shows which date failed.

        A range step has no single partition, so the run's `AssetCheckResult` covers the range;
        these carry each date's verdict. `targets` gives each partition's latest
        materialization (see `target_of`): Dagster shows a partition's check status only when
        its latest evaluation targets the partition's latest materialization.
        """
        if not self.rule.per_date or len(self.verdicts) < 2:
            return []
        return [
            AssetCheckEvaluation(
                asset_key=asset_key,
                check_name=self.rule.name,
                passed=verdict.passed,
                severity=verdict.severity or self.rule.severity,
                partition=key,
                description=_verdict_line(verdict),
                target_materialization_data=(targets or {}).get(key),
                metadata={
                    "rule": MetadataValue.text(self.rule.rule),
                    **({"value": MetadataValue.text(verdict.text)} if verdict.text else {}),
                    **verdict.metadata,
                },
            )
            for key, verdict in self.verdicts.items()
        ]


@cache
def _target_type() -> Any:
    """The type of `AssetCheckEvaluation`'s documented `target_materialization_data` parameter.

    Dagster 1.13 documents the parameter on the public class but does not export its type at
    the top level; the public class's own annotations name it, so it is read from there rather
    than imported from Dagster's internals.
    """
    hint = get_type_hints(AssetCheckEvaluation)["target_materialization_data"]
    return next(arg for arg in get_args(hint) if arg is not type(None))


def target_of(record: EventLogRecord) -> Any:
    """What an evaluation names as the materialization it judged: a materialization's record."""
    return _target_type()(
        run_id=record.run_id, storage_id=record.storage_id, timestamp=record.timestamp
    )


def _rated(verdict: Verdict) -> bool:
    return verdict.value is not None and not pd.isna(verdict.value)


def _verdict_line(verdict: Verdict) -> str:
    return ("passed" if verdict.passed else "failed") + (
        f": {verdict.text}" if verdict.text else ""
    )


@dataclass(frozen=True)
class Audit:
    """Every rule of one asset over one run, and the dates they keep from publication."""

    outcomes: Sequence[RuleOutcome]
    keys: Sequence[str]

    @classmethod
    def of(
        cls,
        rules: Sequence[CheckRule],
        evidence: Mapping[str, Any],
        window_evidence: Any = None,
        rows: pd.DataFrame | None = None,
    ) -> Audit:
        """Judge per-date rules on each partition key's `evidence`, window rules on
        `window_evidence` (or, for rules `on_rows`, on the window's candidate `rows`)."""

        def found(rule: CheckRule) -> Mapping[str, Any]:
            if rule.per_date:
                return evidence
            return {WINDOW: rows if rule.on_rows else window_evidence}

        return cls([rule.evaluate(found(rule)) for rule in rules], list(evidence))

    def held(self) -> dict[str, str]:
        """Held partition keys, each with the blocking checks it failed, in words."""
        failed: dict[str, list[str]] = {}
        for outcome in self.outcomes:
            for key in outcome.held(self.keys):
                failed.setdefault(key, []).append(outcome.rule.name)
        return {key: ", ".join(names) for key, names in sorted(failed.items())}


def threshold_rule(
    name: str,
    column: str,
    limit: float,
    *,
    strict: bool = False,
    percent: bool = False,
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
    blocking: bool = False,
    count_column: str | None = None,
) -> CheckRule:
    """`column` of each date's figures (a row, or None for a date without any) must be at
    most `limit` (below it when `strict`). An undefined value is not rated and cannot fail."""

    def text(value: float) -> str:
        return f"{value:.2f} %" if percent else f"{value:g}"

    def judge(figures: pd.Series | None) -> Verdict:
        value = None if figures is None else figures.get(column)
        rated = value is not None and not pd.isna(value)
        count = 0 if figures is None or count_column is None else int(figures[count_column])
        return Verdict(
            passed=not rated or (value < limit if strict else value <= limit),
            value=float(value) if rated else None,
            text=text(float(value)) if rated else "not rated",
            metadata={count_column: MetadataValue.int(count)} if count_column else {},
        )

    symbol = "<" if strict else "<="
    return CheckRule(
        name=name,
        rule=f"{column} {symbol} {text(limit)} on every date",
        judge=judge,
        severity=severity,
        blocking=blocking,
        limit=text(limit),
    )


def unique_rows_rule(name: str, columns: Sequence[str], what: str) -> CheckRule:
    """At most one row per `columns` (ERROR, blocking): a second row would be counted twice by
    everything downstream. Judged once on the window's rows (the tables are one row per key by
    construction, so a verdict per date would be an event per date that says nothing); a
    failure holds back exactly the dates whose rows repeat."""
    key = ", ".join(columns)

    def judge(rows: pd.DataFrame) -> Verdict:
        if rows is None or rows.empty:
            return Verdict(passed=True, value=0.0, text="0 duplicate rows")
        doubled = rows[rows.duplicated(list(columns), keep=False)]
        extra = int(rows.duplicated(list(columns)).sum())
        examples = doubled[list(columns)].drop_duplicates().head(5).astype(str)
        dates = sorted(set(pd.to_datetime(doubled["game_date"]).dt.strftime("%Y-%m-%d")))
        return Verdict(
            passed=extra == 0,
            value=float(extra),
            text=f"{extra} duplicate rows" + (f" on {', '.join(dates[:10])}" if dates else ""),
            dates=tuple(dates),
            metadata={
                "duplicate_rows": MetadataValue.int(extra),
                "examples": MetadataValue.text(
                    "; ".join(" ".join(row) for row in examples.itertuples(index=False)) or "none"
                ),
            },
        )

    return CheckRule(
        name=name,
        rule=f"One {what} per {key}",
        judge=judge,
        blocking=True,
        per_date=False,
        on_rows=True,
    )
