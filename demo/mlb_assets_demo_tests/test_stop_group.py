"""Background process groups: started with SIGTERM obeyed, stopped with SIGKILL if it is not."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

from mlb_assets_demo.ui import STOP_SIGNALS, start_group, stop_group
from mlb_assets_tests.bounds import PROCESS_BOUND_SECONDS, wait_until

# A leader that ignores SIGTERM and a child of its group, as chromedriver and its browser.
STUBBORN = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print(child.pid, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_group_that_ignores_sigterm_is_killed_after_the_grace_with_its_children() -> None:
    leader = start_group([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE)
    assert leader.stdout is not None
    child = int(leader.stdout.readline())
    began = time.monotonic()
    stop_group(leader, grace=1.0)
    assert leader.returncode == -9  # SIGKILL: SIGTERM was ignored
    assert time.monotonic() - began >= 1.0
    wait_until(f"the group's child {child} to be gone", lambda: not _alive(child))


@contextlib.contextmanager
def ignoring_stop_signals() -> Iterator[None]:
    """This process ignores SIGINT, SIGTERM and SIGHUP meanwhile, as a process started in the
    background by a shell does: what it starts would inherit that."""
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    try:
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def test_a_group_that_obeys_sigterm_stops_without_sigkill() -> None:
    # SIGTERM's default action is restored before Python runs, though we ignore it.
    with ignoring_stop_signals():
        leader = start_group([sys.executable, "-c", "import time; time.sleep(600)"])
    stop_group(leader)
    assert leader.returncode == -15
    stop_group(leader)  # already stopped: nothing to do


# What a child finds: SIGTERM's and SIGHUP's dispositions, and whether Python installed its
# KeyboardInterrupt handler for SIGINT (it does only when SIGINT was not ignored).
DISPOSITIONS = """
import json, signal
print(json.dumps([
    int(signal.getsignal(signal.SIGTERM)),
    int(signal.getsignal(signal.SIGHUP)),
    signal.getsignal(signal.SIGINT) is signal.default_int_handler,
]))
"""


def test_the_group_starts_with_the_default_action_of_each_stop_signal() -> None:
    with ignoring_stop_signals():
        leader = start_group([sys.executable, "-c", DISPOSITIONS], stdout=subprocess.PIPE)
    out, _ = leader.communicate(timeout=PROCESS_BOUND_SECONDS)
    assert json.loads(out) == [int(signal.SIG_DFL), int(signal.SIG_DFL), True]
