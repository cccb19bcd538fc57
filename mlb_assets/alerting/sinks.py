"""Alert sinks for failed asset checks: a structured log line, always; a Slack webhook, optionally.

The log line is the record of truth (it is written the moment a failure is seen); the webhook is
a best-effort copy that may be retried on later sensor ticks, so an alert carries everything the
webhook needs and serialises to JSON (it waits in the sensor cursor while undelivered).

The webhook URL is a credential (Slack puts the secret in the path): it is never logged, and
neither is an exception's text, which for network errors can quote the URL.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from enum import Enum
from typing import Any

from dagster import ConfigurableResource
from pydantic import BaseModel, ConfigDict, Field
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

# Longer text metadata (per-date tables) belongs in the UI, not in an alert.
MAX_METADATA_TEXT = 200
# Statuses worth another attempt; any other 4xx means the request itself is wrong (bad payload,
# revoked webhook) and repeating it cannot help.
RETRYABLE_STATUSES = frozenset({408, 429})
# Few attempts, short waits: they run inside a sensor tick, which has a time budget (an alert
# still undelivered after the last attempt waits for the next tick).
ATTEMPTS = 3
BACKOFF_SECONDS = 0.25
TIMEOUT_SECONDS = 5.0

Scalar = bool | int | float | str


class Alert(BaseModel):
    """One failed check evaluation, ready for every sink."""

    model_config = ConfigDict(frozen=True)

    check: str
    asset: str
    severity: str  # "ERROR" | "WARN"
    partitions: str  # "2019-06-01", "2019-06-01...2019-06-07", or "" when unpartitioned
    description: str | None
    metadata: dict[str, Scalar]
    run_id: str
    run_url: str
    evaluated_at: str  # ISO 8601, UTC
    storage_id: int

    @property
    def dedupe_key(self) -> str:
        return f"{self.asset}:{self.check}"


def scalar_metadata(raw: dict[str, Any]) -> dict[str, Scalar]:
    """Keep the metadata values an alert can show inline: numbers, flags and short text."""
    return {
        name: value
        for name, value in raw.items()
        if isinstance(value, bool | int | float)
        or (isinstance(value, str) and len(value) <= MAX_METADATA_TEXT)
    }


def log_line(alert: Alert) -> str:
    """The structured form: one JSON object per line, so log pipelines can parse it."""
    return json.dumps({"event": "asset_check_failed", **alert.model_dump()}, sort_keys=True)


def emit_log(alert: Alert, log: logging.Logger) -> None:
    level = logging.ERROR if alert.severity == "ERROR" else logging.WARNING
    log.log(level, log_line(alert))


def _escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def value_vs_threshold(alert: Alert) -> str:
    """e.g. "1 of 3 dates failed; worst 2019-06-04 at 100.00 %, limit 10.00 % (rule: ...)"."""
    meta = alert.metadata
    if "summary" not in meta:
        return ""
    text = str(meta["summary"])
    if "rule" in meta:
        text += f" (rule: {meta['rule']})"
    return text


def slack_payload(alert: Alert) -> dict[str, Any]:
    """Slack incoming-webhook body: `text` for notifications, `blocks` for the message itself."""
    icon = ":red_circle:" if alert.severity == "ERROR" else ":large_yellow_circle:"
    dates = alert.partitions or "unpartitioned"
    summary = f"{alert.severity}: check {alert.check} failed on {alert.asset} ({dates})"
    headline = value_vs_threshold(alert)
    text = f"{summary}: {headline}" if headline else summary
    fields = [
        f"*Check*\n{alert.check}",
        f"*Asset*\n{alert.asset}",
        f"*Severity*\n{alert.severity}",
        f"*Dates*\n{dates}",
    ]
    if headline:
        fields.append(f"*Value vs threshold*\n{headline}")
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{icon} *{_escape(summary)}*"}},
        {
            "type": "section",
            "fields": [{"type": "mrkdwn", "text": _escape(field)} for field in fields],
        },
    ]
    if alert.description:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _escape(alert.description)}}
        )
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"<{alert.run_url}|Run {alert.run_id[:8]}> · {alert.evaluated_at}",
                }
            ],
        }
    )
    return {"text": _escape(text), "blocks": blocks}


class Delivery(Enum):
    SENT = "sent"
    RETRY_LATER = "retry_later"  # transient failure after every attempt: keep it pending
    REJECTED = "rejected"  # the webhook refused this request for good: retrying cannot help


class TransientWebhookError(Exception):
    """A failure worth another attempt (5xx, 408, 429, network); its text names no URL."""


class RejectedWebhookError(Exception):
    """The webhook refused the request (other 4xx) or its URL is unusable; its text names no URL."""


class SlackWebhook:
    """POSTs alerts to a Slack incoming webhook, retrying transient failures a few times."""

    def __init__(self, url: str) -> None:
        self._url = url

    def __repr__(self) -> str:
        return "SlackWebhook(url=<hidden>)"

    def _post_once(self, body: bytes) -> None:
        request = urllib.request.Request(
            self._url,
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code >= 500 or exc.code in RETRYABLE_STATUSES:
                raise TransientWebhookError(f"HTTP {exc.code}") from None
            raise RejectedWebhookError(f"HTTP {exc.code}") from None
        # Raised `from None`: the chained exceptions of a network error quote the URL.
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timeout, garbled
            raise TransientWebhookError(type(exc).__name__) from None
        except ValueError as exc:  # a URL urllib cannot use
            raise RejectedWebhookError(type(exc).__name__) from None

    def send(self, alert: Alert, log: logging.Logger) -> Delivery:
        """Deliver one alert; every failed attempt is logged by status, never by URL."""
        body = json.dumps(slack_payload(alert)).encode()
        label = f"alert {alert.dedupe_key} (run {alert.run_id})"

        def note_retry(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            log.warning(
                f"Slack webhook attempt {state.attempt_number}/{ATTEMPTS} for {label} "
                f"failed ({exc}); retrying in {state.upcoming_sleep:.2f} s"
            )

        retrying = Retrying(
            stop=stop_after_attempt(ATTEMPTS),
            wait=wait_exponential(multiplier=BACKOFF_SECONDS, max=2.0),
            retry=retry_if_exception_type(TransientWebhookError),
            before_sleep=note_retry,
            reraise=True,
        )
        try:
            retrying(self._post_once, body)
        except TransientWebhookError as exc:
            log.error(
                f"Slack webhook failed for {label} after {ATTEMPTS} attempts ({exc}); "
                "kept pending for the next tick"
            )
            return Delivery.RETRY_LATER
        except RejectedWebhookError as exc:
            log.error(f"Slack webhook rejected {label} ({exc}); not retried")
            return Delivery.REJECTED
        return Delivery.SENT


class AlertSinks(ConfigurableResource):
    """Where alerts go besides the log: the Slack webhook, when one is configured.

    The definitions bind `slack_webhook_url` to `EnvVar("MLB_ALERT_SLACK_WEBHOOK_URL")`, so the
    UI shows it as env-backed and never as a literal.
    """

    slack_webhook_url: str | None = Field(
        default=None, description="Slack incoming webhook (MLB_ALERT_SLACK_WEBHOOK_URL)."
    )

    def webhook(self) -> SlackWebhook | None:
        return SlackWebhook(self.slack_webhook_url) if self.slack_webhook_url else None
