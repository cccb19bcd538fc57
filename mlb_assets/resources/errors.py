"""Which warehouse errors are worth retrying.

Retrying bad SQL or a permission error only delays the failure and, on BigQuery, bills the
same mistake again; network blips, rate limits and a briefly locked file clear by themselves.

429 and 5xx responses are always transient. BigQuery also reports some transient conditions
under a 4xx status (a per-user rate limit arrives as 403 `rateLimitExceeded`, a failed job
as 400 `jobBackendError`), so a 4xx is retried when its structured `reason` says so and
never otherwise: `accessDenied` (403), `invalidQuery` (400), `notFound` (404),
`quotaExceeded` (403: usually a daily quota) and `bytesBilledLimitExceeded` (400) fail at
once.

A warehouse that is missing, unmigrated, locked past its bound or not writable is a setup
problem only an operator can fix: it raises a `WarehouseSetupError` that names the fix, is
never retried, and is never mistaken for a source outage (the injured-list fail-safe lets it
through).

The HTTP and Google client error types are looked up in `sys.modules`, never imported here:
an exception of a class whose module was never loaded cannot have been raised, and on DuckDB
importing them would add about 0.5 s to every process that loads the code location.
"""

from __future__ import annotations

import re
import sys

import duckdb

# The file system refuses the file: waiting changes nothing.
_REFUSED_IO = re.compile(r"read-only file system|permission denied", re.IGNORECASE)


class WarehouseSetupError(RuntimeError):
    """The warehouse cannot serve any call until an operator acts; the message says how."""


class WarehouseNotFound(WarehouseSetupError):
    """No warehouse file where the configuration points."""


class WarehouseNotMigrated(WarehouseSetupError):
    """Project tables or views the migrations create are missing (or every table is)."""


class WarehouseLocked(WarehouseSetupError):
    """Another process held the DuckDB file's lock for longer than the configured bound."""


class SourceTableMissing(RuntimeError):
    """An upstream table is gone from an otherwise migrated warehouse: the source's fault, not
    a setup one, so the injured list fails safe on it like on any source outage."""


class WarehouseNotWritable(WarehouseSetupError):
    """The file system refuses to open the warehouse for writing (read-only, permissions)."""


def is_refused_io(exc: BaseException) -> bool:
    """A DuckDB I/O error that says the file system refuses access (never transient)."""
    return isinstance(exc, duckdb.IOException) and bool(_REFUSED_IO.search(str(exc)))


TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,  # includes ConnectionResetError, ConnectionRefusedError
    TimeoutError,
    duckdb.IOException,
    duckdb.ConnectionException,
)
# A refused permission is not going to change while we wait.
PERMANENT_ERRORS: tuple[type[BaseException], ...] = (
    WarehouseSetupError,
    duckdb.PermissionException,
)


def _client_errors() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """(transient, permanent) error types of the HTTP and Google clients that are loaded.

    A TLS failure is a ConnectionError by type but a configuration problem in fact. A
    RetryError means the BigQuery client's own bounded retry already spent its budget on
    transient errors: retrying it again would nest retries (minutes) where callers like the
    IL roster must fail safe quickly.
    """
    transient: list[type[BaseException]] = []
    permanent: list[type[BaseException]] = []
    if (http := sys.modules.get("requests.exceptions")) is not None:
        transient += [http.ConnectionError, http.ChunkedEncodingError, http.Timeout]
        permanent.append(http.SSLError)
    if (auth := sys.modules.get("google.auth.exceptions")) is not None:
        transient.append(auth.TransportError)  # token refresh hit a network error
    if (gexc := sys.modules.get("google.api_core.exceptions")) is not None:
        transient += [
            gexc.TooManyRequests,
            gexc.InternalServerError,
            gexc.BadGateway,
            gexc.ServiceUnavailable,
            gexc.GatewayTimeout,
        ]
        permanent.append(gexc.RetryError)
    return tuple(transient), tuple(permanent)


# BigQuery's `errors[].reason` values that mean "try again" (google-cloud-bigquery retries
# the same ones for API calls and, with the `job` prefix, for failed jobs).
TRANSIENT_REASONS = frozenset(
    {
        "rateLimitExceeded",
        "backendError",
        "internalError",
        "badGateway",
        "jobRateLimitExceeded",
        "jobBackendError",
        "jobInternalError",
    }
)


def _reason(exc: BaseException) -> str | None:
    """The first structured error reason of a Google API error, if it carries one."""
    errors = getattr(exc, "errors", None)
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        reason = errors[0].get("reason")
        return reason if isinstance(reason, str) else None
    return None


def is_transient(exc: BaseException) -> bool:
    """True for errors that clear by themselves: 429, 5xx, resets, transient BigQuery reasons."""
    client_transient, client_permanent = _client_errors()
    if isinstance(exc, PERMANENT_ERRORS + client_permanent) or is_refused_io(exc):
        return False
    if isinstance(exc, TRANSIENT_ERRORS + client_transient):
        return True
    gexc = sys.modules.get("google.api_core.exceptions")
    return (
        gexc is not None
        and isinstance(exc, gexc.GoogleAPICallError)
        and _reason(exc) in TRANSIENT_REASONS
    )
