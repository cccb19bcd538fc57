"""The UI as a user sees it: headless Chromium against `dagster dev` on a materialized range.

Screenshots of a prediction asset's Partitions view, one date's metadata with its slate, the
check partitions and the metadata plots are kept as artefacts of the run (MLB_TEST_ARTIFACTS,
default .mlb/test-artifacts/ui); the assertions read the same pages.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from dagster import DagsterInstance

from mlb_assets.definitions import build_definitions
from mlb_assets.demo.runs import materialize_range
from mlb_assets.demo.ui import DagsterDev
from mlb_assets.schedules import DAILY_SELECTION
from mlb_assets_tests.conftest import config_for, env_for, query_copy

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
START, END = "2019-05-25", "2019-06-07"
DAY = "2019-06-02"
ASSET = "v1_6_rolling_predictions"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# Elements appear when the UI's queries answer; a busy machine makes that slower, not wrong.
WAIT_SECONDS = 600


def _browser_missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (make test installs the dev extra)"
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not Path(binary).exists():
            return f"{binary} is missing (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture
def ui(prepared: Path, tmp_path: Path) -> Iterator[str]:
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI must run the browser test: {missing}")
        pytest.skip(missing)
    # The partitions end with the range, so plots over the latest partitions show it.
    settings = {"partitions_end": date.fromisoformat(END)}
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\nnux:\n  enabled: false\n")
    with DagsterInstance.from_config(str(home)) as instance:
        result = materialize_range(
            build_definitions(config_for(prepared, **settings)),
            DAILY_SELECTION,
            START,
            END,
            instance=instance,
        )
        assert result.success
    env = {**os.environ, **env_for(prepared), "MLB_PARTITIONS_END": END}
    server = DagsterDev(
        home=home, port=_free_port(), log_path=tmp_path / "dagster-dev.log", cwd=REPO, env=env
    )
    server.start()
    try:
        server.wait_ready()
        yield server.url
    finally:
        server.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1500,1100")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def artefacts() -> Path:
    folder = Path(os.environ.get("MLB_TEST_ARTIFACTS") or REPO / ".mlb" / "test-artifacts" / "ui")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_for_text(driver: object, text: str) -> object:
    """The first element whose own text is `text`, once the UI has rendered it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    locator = (By.XPATH, f"//*[normalize-space(text())={text!r}]")
    return WebDriverWait(driver, WAIT_SECONDS).until(
        expected_conditions.presence_of_element_located(locator)
    )


def shoot(driver: object, name: str) -> Path:
    path = artefacts() / name
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    assert path.stat().st_size > 20_000, f"{path} looks blank"
    return path


def test_a_date_shows_its_own_figures_slate_checks_and_plots(
    ui: str, browser: object, prepared: Path
) -> None:
    driver = browser
    day_rows = query_copy(
        prepared,
        "SELECT pitcher_name, recommendation FROM mlb_predictions.v1_6_rolling_predictions "
        "WHERE game_date = @d",
        d=date.fromisoformat(DAY),
    )

    driver.get(f"{ui}/assets/{ASSET}?view=partitions")  # type: ignore[attr-defined]
    wait_for_text(driver, "Materialized (14)")
    shoot(driver, "1-partitions.png")

    driver.get(f"{ui}/assets/{ASSET}?view=partitions&partition={DAY}")  # type: ignore[attr-defined]
    wait_for_text(driver, "slate")
    name = next(n for n in day_rows["pitcher_name"] if isinstance(n, str))
    wait_for_text(driver, name)  # the slate names the day's pitchers
    row_count = wait_for_text(driver, "dagster/row_count")
    assert str(len(day_rows)) in row_count.find_element("xpath", "../..").text  # type: ignore[attr-defined]
    shoot(driver, "2-partition-metadata-and-slate.png")

    driver.get(f"{ui}/assets/{ASSET}?view=checks")  # type: ignore[attr-defined]
    wait_for_text(driver, "fallback_rate")
    tabs = driver.find_elements("xpath", "//*[normalize-space(text())='Partitions']")  # type: ignore[attr-defined]
    tabs[-1].click()
    wait_for_text(driver, "Passed (14)")  # one verdict per date of the range
    shoot(driver, "3-check-partitions.png")

    driver.get(f"{ui}/assets/{ASSET}?view=overview")  # type: ignore[attr-defined]
    plots = wait_for_text(driver, "Plots")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", plots)  # type: ignore[attr-defined]
    plots.click()  # type: ignore[attr-defined]
    wait_for_text(driver, "mean_coverage_pct")
    charts = driver.find_elements("css selector", "canvas")  # type: ignore[attr-defined]
    assert charts, "no plot rendered over the partitions"
    shoot(driver, "4-metadata-plots.png")
