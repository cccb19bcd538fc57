"""Opening the DuckDB file, and saying plainly why it cannot be used when it cannot.

A missing file, a lock another process holds, a read-only file system and a warehouse the
migrations never ran on are all problems an operator fixes with one action; each raises a
`WarehouseSetupError` naming that action, instead of DuckDB's own error text (or, worse, a
new empty file, or minutes of silent retries).
"""

from __future__ import annotations

import errno
import logging
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from mlb_assets.resources.errors import (
    SourceTableMissing,
    WarehouseLocked,
    WarehouseNotFound,
    WarehouseNotMigrated,
    WarehouseNotWritable,
    is_refused_io,
)
from mlb_assets.resources.table_schemas import catalogue

_LOCK_CONFLICT = re.compile(r"Could not set lock on file")
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
# Between lock attempts: short at first (a run finishing), then at most this long.
_MAX_LOCK_POLL_S = 2.0

BUILD_HINT = (
    "build the demo with `make demo` or `mlb-assets demo seed`, "
    "or create empty tables with `mlb-assets migrate`"
)


def open_duckdb(
    path: str,
    *,
    read_only: bool,
    create: bool,
    lock_timeout_s: float,
    log: logging.Logger,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> duckdb.DuckDBPyConnection:
    """Connect to `path`, waiting up to `lock_timeout_s` (and saying so) while another process
    holds its lock. Only `create` makes a missing file: every other caller would otherwise
    leave an empty warehouse behind and then fail on its first table."""
    file = Path(path)
    if not file.exists():
        if not create:
            raise WarehouseNotFound(
                f"no DuckDB warehouse at {path} (MLB_DUCKDB_PATH): {BUILD_HINT}"
            )
        _make_parent(file)
    deadline: float | None = None
    delay = 0.1
    while True:
        try:
            return duckdb.connect(str(file), read_only=read_only)
        except duckdb.IOException as exc:
            if is_refused_io(exc):
                raise _not_writable(path, exc) from None
            if not _LOCK_CONFLICT.search(str(exc)):
                raise
            now = clock()
            if deadline is None:
                deadline = now + lock_timeout_s
                log.warning(
                    f"waiting for the DuckDB lock on {path}, held by {_holder(exc)}: DuckDB "
                    f"allows one writer per file; giving up after {lock_timeout_s:g} s "
                    "(MLB_DUCKDB_LOCK_TIMEOUT_SECONDS)"
                )
            if now >= deadline:
                raise WarehouseLocked(
                    f"gave up after {lock_timeout_s:g} s waiting for the DuckDB lock on {path}, "
                    f"held by {_holder(exc)}: let that process finish (or stop it), or raise "
                    "MLB_DUCKDB_LOCK_TIMEOUT_SECONDS"
                ) from None
            sleep(min(delay, deadline - now))
            delay = min(delay * 2, _MAX_LOCK_POLL_S)


def _make_parent(file: Path) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise _not_writable(str(file), exc) from None
        raise


def _holder(exc: BaseException) -> str:
    found = _LOCK_HOLDER.search(str(exc))
    return f"PID {found['pid']} ({found['program']})" if found else "another process"


def _not_writable(path: str, exc: BaseException) -> WarehouseNotWritable:
    reason = str(exc).rsplit(": ", 1)[-1] if isinstance(exc, duckdb.Error) else exc.strerror
    return WarehouseNotWritable(
        f"cannot open the DuckDB warehouse {path} for writing: {reason}. Materializing, "
        "`mlb-assets migrate` and `mlb-assets demo seed` write to it: make it writable or point "
        "MLB_DUCKDB_PATH at a writable copy (`predict` and `accuracy` only read it)"
    )


def catalog_problem(path: str, present: Iterable[str]) -> RuntimeError | None:
    """What a catalog error means, from what the warehouse lacks: None when it lacks nothing
    the migrations create; a missing source table alone is a source problem; anything else
    (a project table or view, or every table) means the migrations have not run."""
    expected = catalogue()
    missing = sorted(expected.keys() - set(present))
    if not missing:
        return None
    project = [name for name in missing if not expected[name].is_source]
    if not project and len(missing) < len(expected):
        return SourceTableMissing(
            f"source table {', '.join(missing)} is missing from the DuckDB warehouse {path}: "
            "nothing upstream has written it (`mlb-assets migrate` creates it empty, "
            "`mlb-assets demo seed` fills the demo)"
        )
    if len(missing) == len(expected):
        found = f"it has none of the {len(expected)} tables and views the migrations create"
    else:
        shown = ", ".join(project[:4]) + (
            f" and {len(project) - 4} more" if len(project) > 4 else ""
        )
        found = f"missing {shown} ({len(project)} of the project's tables and views)"
    return WarehouseNotMigrated(
        f"the DuckDB warehouse {path} is not migrated: {found}; run `mlb-assets migrate` "
        "(empty tables) or `mlb-assets demo seed` (the demo seasons)"
    )
