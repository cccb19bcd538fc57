"""One generous bound for every subprocess and readiness wait in the tests.

A bound only stops a hung test from hanging the suite; it never judges speed. The machine is
shared (2 cores, other sessions' test runs), and under load a subprocess that loads the code
location has taken over 120 s, so a bound set near the usual time fails tests that are merely
slow. Fifteen minutes is far above any test's real time.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

PROCESS_BOUND_SECONDS = 900
T = TypeVar("T")


def run_bounded(
    command: Sequence[str], what: str, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """subprocess.run with text output captured and the shared bound; on expiry the failure
    says what was waited for (`what`), not just the command line."""
    try:
        return subprocess.run(
            list(command), capture_output=True, text=True, timeout=PROCESS_BOUND_SECONDS, **kwargs
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(
            f"{what}: no answer within {PROCESS_BOUND_SECONDS} s (hung?): {' '.join(command)}"
        ) from exc


def wait_until(
    what: str,
    probe: Callable[[], T | None],
    bound: float = PROCESS_BOUND_SECONDS,
    interval: float = 0.5,
) -> T:
    """Poll `probe` until it returns something truthy, and return that. Past `bound` the
    failure says what was waited for (`what`), so a hang reads as a hang, not a bare timeout."""
    began = time.monotonic()
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() - began > bound:
            raise AssertionError(f"waited {bound:.0f} s for {what} (hung?)")
        time.sleep(interval)
