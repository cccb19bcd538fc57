"""Headless Chromium for the tests that look at pages: the UI's and the HTML report's.

Screenshots are kept as artefacts of the run (MLB_TEST_ARTIFACTS, default
.mlb/test-artifacts/ui), so a reviewer can look at what the assertions read.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlb_assets_demo.ui import start_group, stop_group
from mlb_assets_tests.bounds import PROCESS_BOUND_SECONDS, wait_until

REPO = Path(__file__).resolve().parents[1]
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# The window the pages must work in: the 1600 px, with room for a long table.
WINDOW = (1600, 1200)


def _browser_missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (make test installs the dev extra)"
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not Path(binary).exists():
            return f"{binary} is missing (apt-get install chromium chromium-driver)"
    return None


def _driver_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/status", timeout=PROCESS_BOUND_SECONDS) as answer:
            return bool(json.loads(answer.read())["value"]["ready"])
    except (urllib.error.URLError, ConnectionError, ValueError, KeyError):
        return False


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    """Chromium driven through a chromedriver started here: selenium's own start gives the
    driver about 30 s to open its port, which a loaded machine can exceed; this waits with
    the shared bound and says what it waited for. Page loads get the same bound."""
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI must run the browser test: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    url = f"http://127.0.0.1:{port}"
    with (tmp_path / "chromedriver.log").open("wb") as log:
        # Its own group, so the teardown stops the browsers it started too.
        chromedriver = start_group(
            [CHROMEDRIVER, f"--port={port}"], stdout=log, stderr=subprocess.STDOUT
        )
    try:

        def answers() -> bool:
            assert chromedriver.poll() is None, f"chromedriver exited {chromedriver.returncode}"
            return _driver_ready(url)

        wait_until(f"chromedriver to answer at {url}/status", answers)
        driver = webdriver.Remote(command_executor=url, options=options)
        try:
            driver.set_page_load_timeout(PROCESS_BOUND_SECONDS)
            yield driver
        finally:
            driver.quit()
    finally:
        # A chromedriver that ignored SIGTERM once held the suite for 15 min: SIGKILL after a grace.
        stop_group(chromedriver)


def artefacts() -> Path:
    folder = Path(os.environ.get("MLB_TEST_ARTIFACTS") or REPO / ".mlb" / "test-artifacts" / "ui")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(driver: object, name: str) -> Path:
    path = artefacts() / name
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    assert path.stat().st_size > 20_000, f"{path} looks blank"
    return path
