"""`mlb-assets demo ...` where the demo is not installed (as in the production image): one line
saying how to get it, exit 2; and a fault inside an installed demo is not mistaken for that.

Each case runs the real command in a fresh interpreter. Without the demo: site-packages and the
checkout on the path, but not the demo's folder (`-S` skips the .pth files through which the
editable installs are found), as an install of only the package has it.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

import pytest

from mlb_assets.cli.main import DEMO_MISSING
from mlb_assets_tests.bounds import run_bounded

REPO = Path(__file__).resolve().parents[2]
COMMAND = "import sys; from mlb_assets.cli import main; sys.exit(main(sys.argv[1:]))"
# The same, with one module of the installed demo unimportable (Python's own way to block one).
BLOCKED = "import sys; sys.modules['mlb_assets_demo.reference'] = None; " + COMMAND


@pytest.mark.parametrize("command", [["demo", "run", "--no-ui"], ["demo", "seed"]])
def test_without_the_demo_the_command_says_how_to_get_it(
    command: list[str], tmp_path: Path
) -> None:
    path = os.pathsep.join([sysconfig.get_paths()["purelib"], str(REPO)])
    result = run_bounded(
        [sys.executable, "-S", "-c", COMMAND, *command],
        f"mlb-assets {' '.join(command)} without the demo",
        env={**os.environ, "PYTHONPATH": path},
        cwd=tmp_path,
    )
    assert (result.returncode, result.stdout) == (2, ""), result.stderr[-3000:]
    assert result.stderr.splitlines() == [f"mlb-assets: error: {DEMO_MISSING}"]
    assert "make demo" in DEMO_MISSING and "pip install ./demo" in DEMO_MISSING
    assert list(tmp_path.iterdir()) == []  # nothing was built


def test_a_module_the_installed_demo_lacks_is_a_fault_not_a_missing_demo(tmp_path: Path) -> None:
    result = run_bounded(
        [sys.executable, "-c", BLOCKED, "demo", "seed"], "mlb-assets demo seed", cwd=tmp_path
    )
    assert result.returncode == 1
    assert "ModuleNotFoundError" in result.stderr and DEMO_MISSING not in result.stderr
