"""The alerts sensor: every new failed asset check evaluation (ERROR or WARN) becomes an alert.

It follows runs as they finish (success, failure or cancellation) and reads each finished run's
check evaluations. Why runs, not a scan of check events after a storage id: on the default
SQLite instance (`dagster dev`) event storage ids are per run, so a global event cursor cannot
exist there; run status changes are mirrored into one index with global ids on every storage.
A run's evaluations are complete once it has finished, so each is read exactly once.

The cursor (JSON) holds everything that must survive a tick:

- `run_status_cursors`: per terminal run event type, the last status change already read;
- `last_alerted`: per "asset:check", the time of the failure that last raised an alert, so the
  same check on the same asset alerts at most once per MLB_FALLBACK_WINDOW_MINUTES (measured
  between the failures themselves, so catching up on a backlog dedupes the same way as live);
- `pending`: alerts whose webhook POST failed after every retry, re-sent on the next tick.

Every alert is logged as a structured line the moment its failure is read, so a webhook outage
delays the Slack copy but loses nothing; webhook errors are caught and a cursor is always returned.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from dagster import (
    DagsterEventType,
    DagsterInstance,
    DefaultSensorStatus,
    EventLogRecord,
    RunStatusChangeRecordsFilter,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    sensor,
)
from pydantic import BaseModel, ValidationError

from mlb_assets.alerting.sinks import (
    Alert,
    AlertSinks,
    Delivery,
    SlackWebhook,
    emit_log,
    scalar_metadata,
)
from mlb_assets.config import MLBConfig

# A sensor switched on for the first time (or whose cursor was reset) reports the runs of the
# last day, which finished while nobody was listening, without replaying the whole history.
FIRST_TICK_LOOKBACK_SECONDS = 24 * 3600
# Finished runs read per event type per tick; a longer backlog is finished on later ticks.
RUN_BATCH_LIMIT = 50
# Undelivered alerts kept for the webhook. Past this (a long outage) the oldest are dropped:
# they were logged when raised, and a flood of stale Slack messages helps nobody.
MAX_PENDING = 100
# Blocking ERROR checks fail a run, WARN checks leave it successful, a cancelled run may have
# evaluated some checks before it stopped: all three can carry failures.
FINISHED_RUN_EVENTS = (
    DagsterEventType.RUN_SUCCESS,
    DagsterEventType.RUN_FAILURE,
    DagsterEventType.RUN_CANCELED,
)

PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


class AlertCursor(BaseModel):
    """The sensor's state between ticks, stored as its cursor (JSON)."""

    run_status_cursors: dict[str, str] = {}
    last_alerted: dict[str, float] = {}
    pending: list[Alert] = []

    @classmethod
    def parse(cls, raw: str | None, log: logging.Logger) -> AlertCursor:
        """An unreadable cursor must not stop alerting: start over from the lookback."""
        if not raw:
            return cls()
        try:
            return cls.model_validate_json(raw)
        except ValidationError:
            log.error("Unreadable alerts cursor; starting over from the runs of the last 24 hours")
            return cls()


def newly_finished_runs(
    instance: DagsterInstance, cursor: AlertCursor, now: float
) -> list[EventLogRecord]:
    """Run status changes to a finished state after the cursor, oldest first; moves the cursor."""
    found: list[EventLogRecord] = []
    for event_type in FINISHED_RUN_EVENTS:
        saved = cursor.run_status_cursors.get(event_type.name)
        records_filter = (
            event_type
            if saved
            else RunStatusChangeRecordsFilter(
                event_type, after_timestamp=now - FIRST_TICK_LOOKBACK_SECONDS
            )
        )
        result = instance.fetch_run_status_changes(
            records_filter, limit=RUN_BATCH_LIMIT, cursor=saved, ascending=True
        )
        # With nothing read there is no position to keep: an empty first tick must not turn
        # into "from the beginning of time" on the next one.
        if result.records:
            cursor.run_status_cursors[event_type.name] = result.cursor
        found.extend(result.records)
    return sorted(found, key=lambda record: record.timestamp)


def check_evaluations(instance: DagsterInstance, run_id: str) -> Sequence[EventLogRecord]:
    return instance.get_records_for_run(
        run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
    ).records


def run_partitions(instance: DagsterInstance, run_id: str) -> str:
    """The dates a run covered: one partition, a range "start...end", or "" if unpartitioned."""
    run = instance.get_run_by_id(run_id)
    if run is None:
        return ""
    tags = run.tags
    if RANGE_START_TAG in tags and RANGE_END_TAG in tags:
        return f"{tags[RANGE_START_TAG]}...{tags[RANGE_END_TAG]}"
    return tags.get(PARTITION_TAG, "")


def build_alert(record: EventLogRecord, run_dates: str, base_url: str) -> Alert | None:
    """The alert for a failed evaluation; None for a passed one."""
    event = record.event_log_entry.dagster_event
    if event is None:
        return None
    evaluation = event.asset_check_evaluation_data
    if evaluation.passed:
        return None
    run_id = record.run_id
    return Alert(
        check=evaluation.check_name,
        asset=evaluation.asset_key.to_user_string(),
        severity=evaluation.severity.value,
        partitions=evaluation.partition or run_dates,
        description=evaluation.description,
        metadata=scalar_metadata({k: v.value for k, v in evaluation.metadata.items()}),
        run_id=run_id,
        run_url=f"{base_url.rstrip('/')}/runs/{run_id}",
        evaluated_at=datetime.fromtimestamp(record.timestamp, UTC).isoformat(),
        storage_id=record.storage_id,
    )


def deliver_pending(
    pending: list[Alert], webhook: SlackWebhook, log: logging.Logger
) -> tuple[list[Alert], int]:
    """Send pending alerts oldest first; stop at the first transient failure.

    Stopping keeps a tick short while the webhook is down (each alert would otherwise spend all
    its retries), and keeps the alerts in order for the next tick.
    """
    remaining = list(pending)
    sent = 0
    while remaining:
        outcome = webhook.send(remaining[0], log)
        if outcome is Delivery.RETRY_LATER:
            break
        remaining.pop(0)
        sent += outcome is Delivery.SENT
    return remaining, sent


def process_tick(
    instance: DagsterInstance,
    raw_cursor: str | None,
    config: MLBConfig,
    log: logging.Logger,
    now: float | None = None,
    webhook: SlackWebhook | None = None,
) -> tuple[AlertCursor, str]:
    """One tick: read finished runs' failed checks, log and dedupe alerts, deliver them.

    Returns the new cursor and a one-line summary for the tick history.
    """
    now = time.time() if now is None else now
    cursor = AlertCursor.parse(raw_cursor, log)
    window_seconds = config.fallback_window_minutes * 60
    raised = suppressed = 0
    runs = newly_finished_runs(instance, cursor, now)
    for run_record in runs:
        run_dates = run_partitions(instance, run_record.run_id)
        for record in check_evaluations(instance, run_record.run_id):
            alert = build_alert(record, run_dates, config.dagster_base_url)
            if alert is None:
                continue
            last = cursor.last_alerted.get(alert.dedupe_key)
            if last is not None and record.timestamp - last < window_seconds:
                suppressed += 1
                log.info(
                    f"Check {alert.dedupe_key} failed again in run {alert.run_id}; no alert "
                    f"within {config.fallback_window_minutes} min of the last one"
                )
                continue
            emit_log(alert, log)
            raised += 1
            cursor.last_alerted[alert.dedupe_key] = record.timestamp
            if webhook is not None:
                cursor.pending.append(alert)

    sent = 0
    if webhook is not None and cursor.pending:
        cursor.pending, sent = deliver_pending(cursor.pending, webhook, log)
    if len(cursor.pending) > MAX_PENDING:
        dropped = cursor.pending[:-MAX_PENDING]
        cursor.pending = cursor.pending[-MAX_PENDING:]
        log.error(
            f"Dropped {len(dropped)} undelivered alert(s) "
            f"{[a.dedupe_key for a in dropped]}: the webhook has failed for too long"
        )
    summary = (
        f"{len(runs)} finished run(s) read; {raised} alert(s) raised, {suppressed} "
        f"suppressed by the {config.fallback_window_minutes}-min window; {sent} sent to Slack, "
        f"{len(cursor.pending)} pending"
    )
    return cursor, summary


def build_alert_sensor(config: MLBConfig) -> SensorDefinition:
    @sensor(
        name="check_failure_alerts",
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.RUNNING,
        description=(
            "Turns failed asset check evaluations (ERROR and WARN) into alerts: a JSON log line "
            "always, a Slack message when MLB_ALERT_SLACK_WEBHOOK_URL is set; the same check on "
            f"the same asset alerts at most once per {config.fallback_window_minutes} minutes "
            "(MLB_FALLBACK_WINDOW_MINUTES)."
        ),
    )
    def check_failure_alerts(
        context: SensorEvaluationContext, alert_sinks: AlertSinks
    ) -> SensorResult:
        """Launches nothing, so it is safe to run by default: it reads the instance and
        notifies."""
        cursor, summary = process_tick(
            context.instance, context.cursor, config, context.log, webhook=alert_sinks.webhook()
        )
        return SensorResult(skip_reason=summary, cursor=cursor.model_dump_json())

    return check_failure_alerts
