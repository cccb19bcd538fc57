"""Fault injection the tests share: a read-only file system, and a process holding a lock.

Tests run as root, and root ignores `chmod`; a read-only bind mount in a private mount
namespace is read-only for root too, and vanishes with the process.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from mlb_assets_tests.bounds import PROCESS_BOUND_SECONDS, run_bounded

# Holds the lock until told to let go (a line on stdin, see `release`) or `argv[2]` seconds
# pass: a test that needs the lock released while it waits says when, rather than racing a
# fixed sleep that a busy machine can outlast before the test even starts waiting.
_HOLD_LOCK = (
    "import select, sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('locked', flush=True)\n"
    "select.select([sys.stdin], [], [], float(sys.argv[2]))\n"
)


def read_only_works() -> bool:
    """True where a read-only bind mount can be made (root with `unshare`)."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = "mount --bind /tmp /tmp && mount -o remount,ro,bind /tmp"
    done = run_bounded(["unshare", "-m", "sh", "-c", probe], "a read-only bind mount probe")
    return done.returncode == 0


needs_read_only = pytest.mark.skipif(
    not read_only_works(), reason="needs root and unshare for a read-only bind mount"
)


def run_on_read_only(
    folder: Path, argv: Sequence[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run `argv` with `folder` mounted read-only (for this process only)."""
    quoted = " ".join(_quote(a) for a in argv)
    d = _quote(str(folder))
    script = f"mount --bind {d} {d} && mount -o remount,ro,bind {d} && exec {quoted}"
    return run_bounded(
        ["unshare", "-m", "sh", "-c", script],
        f"{argv[0]} on a read-only {folder.name}",
        env={**os.environ, **env},
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


@contextmanager
def lock_held(
    path: Path, seconds: float = PROCESS_BOUND_SECONDS
) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the DuckDB file's write lock for up to `seconds`.

    The holder says "locked" once it has the lock; that wait is bounded (a bare readline would
    hang the test if the holder hung before printing) and its failure says what it waited for.
    """
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(path), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        readable, _, _ = select.select([holder.stdout], [], [], PROCESS_BOUND_SECONDS)
        said = holder.stdout.readline().strip() if readable else None
        assert said == "locked", (
            f"waited {PROCESS_BOUND_SECONDS} s for a process to take the DuckDB lock on {path}: "
            + ("no answer (hung?)" if said is None else f"it said {said!r}, exit {holder.poll()}")
        )
        yield holder
    finally:
        holder.kill()
        holder.wait()


def release(holder: subprocess.Popen[str]) -> None:
    """Tell a `lock_held` process to let go of the lock, and wait (bounded) until it has."""
    assert holder.stdin is not None
    holder.stdin.write("release\n")
    holder.stdin.flush()
    try:
        holder.wait(timeout=PROCESS_BOUND_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(
            f"waited {PROCESS_BOUND_SECONDS} s for the lock holder (PID {holder.pid}) to exit"
        ) from exc
