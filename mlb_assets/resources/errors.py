"""Which warehouse errors are worth retrying.

Retrying bad SQL or a permission error only delays the failure and, on BigQuery, bills the
same mistake again; network blips, rate limits and a briefly locked file clear by themselves.
"""

from __future__ import annotations

import duckdb
import requests
from google.api_core import exceptions as gexc

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    duckdb.IOException,
    duckdb.ConnectionException,
    gexc.TooManyRequests,
    gexc.InternalServerError,
    gexc.BadGateway,
    gexc.ServiceUnavailable,
    gexc.GatewayTimeout,
    gexc.RetryError,
)


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT_ERRORS)
