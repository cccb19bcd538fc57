"""Fault injection the tests share: a read-only file system, and a process holding a lock.

Tests run as root, and root ignores `chmod`; a read-only bind mount in a private mount
namespace is read-only for root too, and vanishes with the process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from mlb_assets_tests.bounds import PROCESS_BOUND_SECONDS, run_bounded

_HOLD_LOCK = (
    "import sys, time, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('locked', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
)


def read_only_works() -> bool:
    """True where a read-only bind mount can be made (root with `unshare`)."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = "mount --bind /tmp /tmp && mount -o remount,ro,bind /tmp"
    return subprocess.run(["unshare", "-m", "sh", "-c", probe], capture_output=True).returncode == 0


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
    """Another process holding the DuckDB file's write lock for up to `seconds`."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.kill()
        holder.wait()
