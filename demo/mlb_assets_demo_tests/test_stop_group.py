"""Background process groups: started with SIGTERM obeyed, stopped with SIGKILL if it is not."""

from __future__ import annotations

import subprocess
import sys
import time

from mlb_assets_demo.ui import start_group, stop_group
from mlb_assets_tests.bounds import wait_until

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


def test_a_group_that_obeys_sigterm_stops_without_sigkill() -> None:
    # SIGTERM's default action is restored before Python runs, whatever this suite's launcher
    # left ignored.
    leader = start_group([sys.executable, "-c", "import time; time.sleep(600)"])
    stop_group(leader)
    assert leader.returncode == -15
    stop_group(leader)  # already stopped: nothing to do
