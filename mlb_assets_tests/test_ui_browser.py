"""The UI as a user sees it: headless Chromium against `dagster dev` on a materialized range.

Screenshots of a prediction asset's Partitions view, one date's metadata with its slate, the
check partitions and the metadata plots are kept as artefacts of the run (MLB_TEST_ARTIFACTS,
default .mlb/test-artifacts/ui); the assertions read the same pages.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mlb_assets_demo.ui import DagsterDev
from mlb_assets_tests.bounds import PROCESS_BOUND_SECONDS
from mlb_assets_tests.browser import WINDOW, browser, shoot
from mlb_assets_tests.conftest import query_copy

pytestmark = pytest.mark.slow

# The fixture, imported: pytest finds it by name in this module.
__all__ = ["browser"]
DAY = "2019-06-02"
ASSET = "v1_6_rolling_predictions"
# An element's right edge and that of the nearest ancestor that clips it (else the window).
VISIBLE_RIGHT = """
const right = arguments[0].getBoundingClientRect().right;
for (let p = arguments[0].parentElement; p; p = p.parentElement) {
  if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) {
    return [right, Math.min(p.getBoundingClientRect().right, window.innerWidth)];
  }
}
return [right, window.innerWidth];
"""
# Elements appear when the UI's queries answer; a busy machine makes that slower, not wrong.
WAIT_SECONDS = PROCESS_BOUND_SECONDS


def wait_for(driver: object, by: str, selector: str) -> object:
    """The first element matching, once the UI has rendered it."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_SECONDS).until(
        expected_conditions.presence_of_element_located((by, selector)),
        f"waited {WAIT_SECONDS} s for the UI to show {selector!r}",
    )


def wait_for_text(driver: object, text: str) -> object:
    """The first element whose own text is `text`."""
    return wait_for(driver, "xpath", f"//*[normalize-space(text())={text!r}]")


def test_a_date_shows_its_own_figures_slate_checks_and_plots(
    ui_server: tuple[DagsterDev, Path], browser: object
) -> None:
    server, work = ui_server
    ui = server.url
    driver = browser
    day_rows = query_copy(
        work,
        "SELECT pitcher_name, recommendation FROM mlb_predictions.v1_6_rolling_predictions "
        "WHERE game_date = @d",
        d=date.fromisoformat(DAY),
    )

    driver.get(f"{ui}/assets/{ASSET}?view=partitions")  # type: ignore[attr-defined]
    wait_for_text(driver, "Materialized (14)")
    shoot(driver, "1-partitions.png")

    driver.get(f"{ui}/assets/{ASSET}?view=partitions&partition={DAY}")  # type: ignore[attr-defined]
    slate = wait_for_text(driver, "slate")
    name = next(n for n in day_rows["pitcher_name"] if isinstance(n, str))
    wait_for_text(driver, name)  # the slate names the day's pitchers
    wait_for_text(driver, "dagster/row_count")
    row = driver.find_element(  # type: ignore[attr-defined]
        "xpath", "//tr[.//*[normalize-space(text())='dagster/row_count']]"
    )
    assert row.text.split()[-1] == str(len(day_rows))  # the date's own count
    shoot(driver, "2-partition-metadata.png")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", slate)  # type: ignore[attr-defined]
    # At 1600 px the slate reads left to right: the pitcher, his pick and what it costs and is
    # worth are all inside the panel that shows the table (it scrolls; they need not).
    for column in ("pitcher", "pick", "line", "price", "book", "p_raw", "p_cal", "ev", "stake"):
        header = driver.find_element("xpath", f"//th[normalize-space(text())='{column}']")  # type: ignore[attr-defined]
        right, visible = driver.execute_script(VISIBLE_RIGHT, header)  # type: ignore[attr-defined]
        assert 0 < right <= visible <= WINDOW[0], (column, right, visible)
    shoot(driver, "3-partition-slate.png")

    driver.get(f"{ui}/assets/{ASSET}?view=checks")  # type: ignore[attr-defined]
    wait_for_text(driver, "fallback_rate")
    tabs = driver.find_elements("xpath", "//*[normalize-space(text())='Partitions']")  # type: ignore[attr-defined]
    tabs[-1].click()
    wait_for_text(driver, "Passed (14)")  # one verdict per date of the range
    shoot(driver, "4-check-partitions.png")

    driver.get(f"{ui}/assets/{ASSET}?view=overview")  # type: ignore[attr-defined]
    plots = wait_for_text(driver, "Plots")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", plots)  # type: ignore[attr-defined]
    plots.click()  # type: ignore[attr-defined]
    # The per-partition figures, plotted event by event: the pinned Dagster's "Partitions"
    # plot stays empty for them, its "Events" plot draws each date's value.
    toggles = driver.find_elements("xpath", "//*[normalize-space(text())='Events']")  # type: ignore[attr-defined]
    toggles[-1].click()
    try:
        wait_for(driver, "css selector", "canvas")  # the charts over the partitions
    finally:
        shoot(driver, "5-metadata-plots.png")
    assert "rated_mean_coverage_pct" in driver.page_source  # type: ignore[attr-defined]


def test_a_dates_grades_list_each_systems_bets(
    ui_server: tuple[DagsterDev, Path], browser: object
) -> None:
    server, work = ui_server
    driver = browser
    day = "2019-06-01"
    bets = query_copy(
        work,
        "SELECT system_id, pitcher_name FROM mlb_predictions.prediction_grades "
        "WHERE game_date = @d AND result <> 'NO_BET'",
        d=date.fromisoformat(day),
    )
    assert len(bets) > 0
    driver.get(f"{server.url}/assets/prediction_grades?view=partitions&partition={day}")  # type: ignore[attr-defined]
    table = wait_for_text(driver, "bets")
    for system in ("v1_baseline", "v1_6_rolling", "ensemble_v1"):
        label = wait_for_text(driver, f"{system}_bets")
        count = label.find_element("xpath", "./ancestor::tr").text.split()[-1]  # type: ignore[attr-defined]
        assert count == str((bets["system_id"] == system).sum())
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", table)  # type: ignore[attr-defined]
    # One row per system and bet: a pitcher two systems bet is listed under each.
    cells = driver.find_elements(  # type: ignore[attr-defined]
        "xpath",
        "//tr[td[normalize-space(text())='v1_baseline' or "
        "normalize-space(text())='v1_6_rolling' or normalize-space(text())='ensemble_v1']]",
    )
    assert len(cells) == len(bets)
    shoot(driver, "6-grades-per-system.png")
