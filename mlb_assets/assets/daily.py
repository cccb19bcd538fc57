"""The one way a partitioned table asset is written: frames in, frame out, rules.

An asset body reads its inputs, computes its candidate rows, and hands them to `publish` with
the rules that judge them. `publish` owns everything else, the same way for every asset:

- the window: one date, or every date of a single-run range (Dagster hands a range run the
  whole time window, so a season costs the same few queries as a day);
- the audit (write-audit-publish): the rules judge the CANDIDATE rows before anything is
  written. A date that fails a blocking rule at ERROR keeps its published rows (none, if it
  never had any), its candidates go to the table's quarantine twin with the run and the checks
  they failed, and it gets NO new materialization, so the UI never shows it fresh;
- the write: each contiguous run of passing dates is replaced atomically;
- the metadata: each date's materialization carries that date's own figures (row count
  included); the range's totals go in one summary, never copied onto every date;
- the check events: one result per rule for the run and, for a range, one evaluation per
  partition, so the UI shows which date failed.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetKey,
    AssetMaterialization,
    AssetObservation,
    AssetRecordsFilter,
    Failure,
    MaterializeResult,
    MetadataValue,
    PartitionsDefinition,
)

from mlb_assets.assets.charts import series_chart
from mlb_assets.checks.rule import Audit, CheckRule, specs, target_of
from mlb_assets.config import MLBConfig
from mlb_assets.partitions import game_date_partitions, single_run, window_dates
from mlb_assets.resources.query_stats import QueryStats
from mlb_assets.resources.table_schemas import table_schema
from mlb_assets.resources.warehouse import Warehouse

OWNERS = ["team:mlb-analytics"]

Events = Generator[MaterializeResult | AssetCheckResult, None, dict[str, str]]
# A date's own figures: from its rows, or precomputed for every key in one pass.
Figures = Callable[[pd.DataFrame], Mapping[str, Any]] | Mapping[str, Mapping[str, Any]]


def table_metadata(table: str) -> dict[str, Any]:
    """Definition-time metadata: where the asset lives and its columns (shown in the UI)."""
    return {"dagster/table_name": table, "dagster/column_schema": table_schema(table)}


@dataclass(frozen=True)
class TableAsset:
    """A table-backed partitioned asset: its table, the rules its rows answer to, and how its
    partitions map to the table's date column."""

    name: str
    table: str
    rules: Sequence[CheckRule] = ()
    date_column: str = "game_date"
    # The per-date figure a range run draws over its dates in its summary (None: no chart).
    series: str | None = "dagster/row_count"

    @property
    def key(self) -> AssetKey:
        return AssetKey(self.name)

    @property
    def quarantine(self) -> str:
        return f"{self.table}_quarantine"

    def check_specs(self, partitions_def: PartitionsDefinition | None) -> list[Any]:
        return specs(self.rules, self.name, partitions_def)

    def decorator_args(self, config: MLBConfig, group: str) -> dict[str, Any]:
        """What every daily table asset's `@asset` shares: one game_date partitioning,
        single-run backfills, its kinds, owners, table location and columns, and its checks."""
        partitions = game_date_partitions(config)
        return {
            "name": self.name,
            "partitions_def": partitions,
            "backfill_policy": single_run,
            "group_name": group,
            "kinds": {config.warehouse, "pandas"},
            "owners": OWNERS,
            "metadata": table_metadata(self.table),
            "check_specs": self.check_specs(partitions),
        }


@dataclass(frozen=True)
class Window:
    """The run's partition keys and the inclusive date bounds they cover."""

    keys: list[str]
    start: date
    end: date

    @classmethod
    def of(cls, context: AssetExecutionContext) -> Window:
        """Dagster hands a reversed range (2019-06-07...2019-06-01) over as an empty window;
        run as is, it would "succeed" writing nothing, so it is refused here."""
        keys = list(context.partition_keys)
        start, end = window_dates(context.partition_time_window)
        if not keys or start > end:
            bounds = context.partition_key_range
            raise Failure(
                f"the partition range {bounds.start}...{bounds.end} is reversed: its first "
                f"partition must not be after its last (did you mean "
                f"{bounds.end}...{bounds.start}?)"
            )
        return cls(keys, start, end)

    def metadata(self) -> dict[str, MetadataValue]:
        return {
            "range_start": MetadataValue.text(self.start.isoformat()),
            "range_end": MetadataValue.text(self.end.isoformat()),
            "range_days": MetadataValue.int((self.end - self.start).days + 1),
        }


def by_partition(
    frame: pd.DataFrame, keys: Sequence[str], column: str = "game_date"
) -> dict[str, pd.DataFrame]:
    """Each partition key with its rows (empty for a key without any). Monthly keys
    (2019-06-01) match a month column the same way daily keys match game_date."""
    if frame.empty:
        return {key: frame for key in keys}
    labels = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d")
    groups = dict(iter(frame.groupby(labels)))
    return {key: groups.get(key, frame.iloc[0:0]) for key in keys}


def stats_metadata(stats: QueryStats) -> dict[str, MetadataValue]:
    return {name: MetadataValue.int(value) for name, value in stats.as_metadata().items()}


def key_runs(keys: Sequence[str], wanted: Sequence[str]) -> list[tuple[str, str]]:
    """Contiguous [first, last] runs of `wanted` within the run's ordered `keys`: each is
    replaced in one atomic write."""
    chosen = set(wanted)
    runs: list[tuple[str, str]] = []
    for index, key in enumerate(keys):
        if key not in chosen:
            continue
        if index and keys[index - 1] in chosen:
            runs[-1] = (runs[-1][0], key)
        else:
            runs.append((key, key))
    return runs


@dataclass
class Published:
    """What `publish` did: the dates held back (with the checks they failed) and the writes."""

    held: dict[str, str] = field(default_factory=dict)
    writes: QueryStats = field(default_factory=QueryStats)


def _rows_between(frame: pd.DataFrame, column: str, first: str, last: str) -> pd.DataFrame:
    if frame.empty:
        return frame
    days = pd.to_datetime(frame[column])
    return frame[(days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))]


def _write(
    warehouse: Warehouse,
    target: TableAsset,
    rows: pd.DataFrame,
    window: Window,
    held: Mapping[str, str],
    run_id: str,
) -> None:
    """Replace the passing keys' rows; quarantine the held keys' candidates."""
    column = target.date_column
    passing = [k for k in window.keys if k not in held]
    for first, last in key_runs(window.keys, passing):
        warehouse.replace_partitions(
            target.table,
            _rows_between(rows, column, first, last),
            date.fromisoformat(first),
            date.fromisoformat(last),
            column,
        )
    for first, last in key_runs(window.keys, list(held)):
        candidates = _rows_between(rows, column, first, last)
        labels = pd.to_datetime(candidates[column]).dt.strftime("%Y-%m-%d")
        warehouse.replace_partitions(
            target.quarantine,
            candidates.assign(run_id=run_id, failed_checks=labels.map(held).to_numpy()),
            date.fromisoformat(first),
            date.fromisoformat(last),
            column,
        )


def publish(
    context: AssetExecutionContext,
    warehouse: Warehouse,
    target: TableAsset,
    rows: pd.DataFrame,
    *,
    reads: QueryStats,
    figures: Figures | None = None,
    summary: Mapping[str, Any] | None = None,
    evidence: Mapping[str, Any] | None = None,
    window_evidence: Any = None,
    fail_on_hold: bool = True,
) -> Events:
    """Audit `rows` (the whole window's candidates) against the target's rules, write what
    passes, and yield the materialization and check events; return the held dates.

    `figures` gives a date's own metadata beside its row count (computed from the date's rows,
    or precomputed per key); `evidence` is what the per-date rules judge for each key (default:
    the date's rows); `window_evidence` is what window rules judge. With `fail_on_hold` a held
    date fails the step after every event is out, so downstream work does not run on it (a
    multi-asset raises once, at its end).
    """
    window = Window.of(context)
    days = by_partition(rows, window.keys, target.date_column)
    audit = Audit.of(target.rules, evidence or days, window_evidence, rows)
    held = audit.held()
    with warehouse.tracking() as writes:
        _write(warehouse, target, rows, window, held, context.run.run_id)
    per_date = {
        key: {
            "dagster/row_count": MetadataValue.int(len(day)),
            **_figures_of(figures, key, day),
        }
        for key, day in days.items()
        if key not in held
    }
    totals = {
        **(window.metadata() if target.date_column == "game_date" else {}),
        **stats_metadata(_sum(reads, writes)),
        "rows": MetadataValue.int(len(rows) - sum(len(days[k]) for k in held)),
        **_series(target.series, per_date),
        **(summary or {}),
    }
    if held:
        context.log.error(
            f"{target.name}: {len(held)} date(s) failed a blocking check and kept their "
            f"published rows ({', '.join(f'{k}: {why}' for k, why in held.items())}); "
            f"candidates in {target.quarantine}"
        )
    yield from _materializations(context, target.key, per_date, totals, partial=bool(held))
    named = {"quarantine_table": MetadataValue.text(target.quarantine)} if held else {}
    log_evaluations(context, audit, target.key)
    for outcome in audit.outcomes:
        yield outcome.result(target.key, named)
    if held and fail_on_hold:
        raise held_failure({target.name: held})
    return held


def _series(label: str | None, per_date: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The range's chart of one per-date figure (a range of at least two dates)."""
    if label is None or len(per_date) < 2:
        return {}
    dates = list(per_date)
    values = [_raw(per_date[d].get(label)) for d in dates]
    name = label.removeprefix("dagster/")
    return {f"{name}_by_date": series_chart(f"{name} by date", dates, values)}


def _raw(value: Any) -> float:
    raw = value.value if isinstance(value, MetadataValue) else value
    return float("nan") if raw is None else float(raw)


def _figures_of(figures: Figures | None, key: str, rows: pd.DataFrame) -> Mapping[str, Any]:
    if figures is None:
        return {}
    return figures(rows) if callable(figures) else figures[key]


def rows_by_key(table: pd.DataFrame, keys: Sequence[str]) -> dict[str, pd.Series | None]:
    """Each key's row of a table indexed by date (None for a date it lacks): the evidence of
    rules that judge one row of figures per date."""
    return {
        key: table.loc[pd.Timestamp(key)] if pd.Timestamp(key) in table.index else None
        for key in keys
    }


def log_evaluations(context: AssetExecutionContext, audit: Audit, key: AssetKey) -> None:
    """Each rule's per-partition evaluations of a range run, logged after the dates'
    materializations and each targeting its date's latest one (looked up once for all of the
    asset's rules: one event-log query), so the UI shows every date's check status."""
    if len(audit.keys) < 2 or not any(o.rule.per_date for o in audit.outcomes):
        return
    targets = _latest_materializations(context, key, audit.keys)
    # A date held back this run keeps an older materialization, past the newest records.
    for partition in (k for k in audit.keys if k not in targets):
        targets |= _latest_materializations(context, key, [partition])
    for outcome in audit.outcomes:
        for evaluation in outcome.evaluations(key, targets):
            context.log_event(evaluation)


def _latest_materializations(
    context: AssetExecutionContext, key: AssetKey, partitions: Sequence[str]
) -> dict[str, Any]:
    """Each partition's latest materialization among the newest ones of `partitions`, as an
    evaluation's target (a partition never materialized has none)."""
    records = context.instance.fetch_materializations(
        AssetRecordsFilter(asset_key=key, asset_partitions=list(partitions)),
        limit=len(partitions),
    ).records
    targets: dict[str, Any] = {}
    for record in records:  # newest first
        if record.partition_key is not None and record.partition_key not in targets:
            targets[record.partition_key] = target_of(record)
    return targets


def held_failure(held: Mapping[str, Mapping[str, str]]) -> Failure:
    """The step's failure when dates were held back: which, and why, per asset."""
    parts = [
        f"{name}: {', '.join(f'{key} ({why})' for key, why in dates.items())}"
        for name, dates in held.items()
        if dates
    ]
    return Failure(
        "dates held back by a blocking check (published rows kept, candidates quarantined): "
        + "; ".join(parts)
    )


def _sum(*stats: QueryStats) -> QueryStats:
    total = QueryStats()
    for part in stats:
        total.add(queries=part.queries, rows_read=part.rows_read, rows_written=part.rows_written)
    return total


def _check_labels(
    key: AssetKey, per_date: Mapping[str, Mapping[str, Any]], totals: Mapping[str, Any]
) -> None:
    """One numeric label, one meaning: Dagster plots a label over every event that carries it,
    so a range total under a per-date label (e.g. a season's fallback count beside each
    date's) would put one outlier point at the end of the dates' series."""
    numeric = {label for label, value in totals.items() if _is_number(value)}
    shared = sorted(numeric & {label for figures in per_date.values() for label in figures})
    if shared:
        raise ValueError(
            f"{key.to_user_string()}: the range summary reuses per-date labels {shared}; "
            "name range totals apart (e.g. range_<name>)"
        )


def _is_number(value: Any) -> bool:
    raw = value.value if isinstance(value, MetadataValue) else value
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def _materializations(
    context: AssetExecutionContext,
    key: AssetKey,
    per_date: Mapping[str, Mapping[str, Any]],
    totals: Mapping[str, Any],
    *,
    partial: bool,
) -> Generator[MaterializeResult, None, None]:
    """Each published date's own figures on its own materialization; the range's totals once.

    When every date published, the output is yielded and Dagster writes one materialization
    per partition, each carrying the metadata added for it. When some were held, only the
    published dates are recorded, one explicit materialization each: the output itself is not
    yielded, so no event marks a held date as freshly materialized.
    """
    single = len(per_date) == 1 and not partial
    if not single:
        _check_labels(key, per_date, totals)
    if partial:
        for partition, metadata in per_date.items():
            context.log_event(
                AssetMaterialization(asset_key=key, partition=partition, metadata=dict(metadata))
            )
    else:
        for partition, metadata in per_date.items():
            merged = {**totals, **metadata} if single else dict(metadata)
            context.add_asset_metadata(merged, asset_key=key, partition_key=partition)
    if not partial:
        yield MaterializeResult(asset_key=key)
    # After the dates' materializations: the newest event, so the Events tab lists the range's
    # totals and charts first.
    if not single:
        context.log_event(
            AssetObservation(
                asset_key=key,
                description="Totals of the range run (each date's own figures are on its "
                "partition).",
                metadata=dict(totals),
            )
        )
