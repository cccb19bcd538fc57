"""`mlb-assets slate` and `mlb-assets report` on a real warehouse, run as a user runs them:
through `main()` and once as a real process; the report is opened in Chromium and shot.

Expected figures are read from the warehouse's own tables with plain pandas.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from mlb_assets.cli import main
from mlb_assets.schedules import DAILY_SELECTION
from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.bounds import run_bounded
from mlb_assets_tests.browser import browser, shoot
from mlb_assets_tests.conftest import defs_for, env_for, query_copy

# The fixture, imported: pytest finds it by name in this module.
__all__ = ["browser"]
START, DAY, END = date(2019, 6, 1), date(2019, 6, 2), date(2019, 6, 7)
SYSTEMS = ["v1_baseline", "v1_6_rolling", "ensemble_v1"]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory, prepared_dir: Path) -> Path:
    """A copy of the prepared warehouse with a week of slates and grades (built once here:
    the commands only read it)."""
    import shutil

    work = tmp_path_factory.mktemp("bettor") / "mlb"
    shutil.copytree(prepared_dir, work, ignore=shutil.ignore_patterns(".mlb-shared-ready"))
    defs = defs_for(work)
    assert materialize_range(defs, DAILY_SELECTION, START, END).success
    assert materialize_range(defs, ["prediction_grades"], START, END).success
    return work


@pytest.fixture
def env(season: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for key, value in env_for(season).items():
        monkeypatch.setenv(key, value)
    yield season


def command(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of the command (a usage error exits from argparse)."""
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def predictions_of(work: Path, day: date) -> pd.DataFrame:
    return query_copy(
        work, "SELECT * FROM mlb_predictions.pitcher_strikeouts WHERE game_date = @d", d=day
    )


def test_slate_json_prints_the_days_picks_of_every_system(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = command(capsys, "slate", "--date", DAY.isoformat(), "--format", "json")
    assert code == 0 and err == ""
    picks = json.loads(out)
    rows = predictions_of(env, DAY)
    assert len(picks) == len(rows)
    assert {p["system"] for p in picks} == set(SYSTEMS)
    assert list(picks[0])[:6] == ["date", "system", "pitcher", "matchup", "pick", "side"]
    expected = rows.set_index(["system_id", rows["pitcher_name"].fillna(rows["pitcher_lookup"])])
    for pick in picks:
        row = expected.loc[(pick["system"], pick["pitcher"])]
        assert pick["date"] == DAY.isoformat()
        assert pick["pick"] == row["recommendation"]
        if pick["side"] is not None:
            assert pick["price"] == row["bet_odds"] and pick["book"] == row["bet_book"]
            assert pick["stake"] == pytest.approx(row["stake_pct"])
        assert pick["reason"]
    # Each system's slate starts with its bets.
    for system in SYSTEMS:
        order = [p["pick"] for p in picks if p["system"] == system]
        bets = sum(o in ("OVER", "UNDER") for o in order)
        assert set(order[:bets]) <= {"OVER", "UNDER"}


def test_slate_filters_a_system_and_writes_csv_and_a_table(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = command(
        capsys, "slate", "--date", DAY.isoformat(), "--system", "ensemble_v1", "--format", "csv"
    )
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    rows = predictions_of(env, DAY)
    assert set(table["system"]) == {"ensemble_v1"}
    assert len(table) == (rows["system_id"] == "ensemble_v1").sum()
    code, out, _ = command(capsys, "slate", "--date", DAY.isoformat())
    assert code == 0
    for system in SYSTEMS:
        starters = (rows["system_id"] == system).sum()
        assert re.search(rf"^{system}  {DAY}  \({starters} starters: ", out, re.M)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--date", "2019-02-30"], "--date must be YYYY-MM-DD"),
        (["--date", "9999-01-01"], "a game date from 1900-01-01"),
        (["--date", "2019-06-02", "--system", "v2"], "invalid choice: 'v2'"),
        (["--date", "2019-06-02", "--format", "xml"], "invalid choice: 'xml'"),
        (["--date", "2019-12-25"], "no predictions for 2019-12-25"),
        ([], "the following arguments are required: --date"),
    ],
)
def test_slate_refuses_bad_input_in_one_line(
    env: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, out, err = command(capsys, "slate", *args)
    assert code == 2 and out == ""
    assert says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.slow
def test_slate_as_a_process_on_a_missing_warehouse_says_so(tmp_path: Path) -> None:
    done = run_bounded(
        [str(BIN / "mlb-assets"), "slate", "--date", DAY.isoformat()],
        "mlb-assets slate",
        env={**os.environ, **env_for(tmp_path / "nothing")},
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("mlb-assets: error: no DuckDB warehouse at ")
    assert len(done.stderr.strip().splitlines()) == 1


def test_report_writes_one_self_contained_page(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    out.write_text("the previous report")
    code, printed, err = command(
        capsys, "report", "--start", START.isoformat(), "--end", END.isoformat(), "--out", str(out)
    )
    assert code == 0 and err == "" and printed.strip() == f"wrote {out}"
    page = out.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temp file left
    # Self-contained: no script, no external resource (the SVG namespace is a name, not a fetch).
    assert "<script" not in page and " src=" not in page and "<link" not in page
    assert not re.findall(r"https?://(?!www\.w3\.org/2000/svg)", page)
    # The latest slate, both equity charts, the calibration diagram, the CLV histogram.
    assert f"Latest slate: {END}" in page
    assert page.count("<svg") == 4
    assert page.count("<polyline") >= 2 * 3 + 3
    assert "units won, flat stakes" in page and "bankroll change, %" in page
    # The monthly table's bets, recomputed from the grades table.
    grades = query_copy(env, "SELECT * FROM mlb_predictions.prediction_grades")
    bets = grades[grades["result"] != "NO_BET"]
    for system in SYSTEMS:
        mine = bets[bets["system_id"] == system]
        cells = (
            "<td class='text'>2019-06</td><td class='text'>month</td>"
            f"<td class='text'>{system}</td><td>{len(mine)}</td>"
        )
        assert cells in page
    # A run that fails keeps the previous page.
    before = out.read_text()
    code, _, err = command(
        capsys, "report", "--start", "2019-12-01", "--end", "2019-12-31", "--out", str(out)
    )
    assert code == 2 and "no graded predictions" in err
    assert out.read_text() == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--start", "2019-06-07", "--end", "2019-06-01"], "is after --end"),
        (["--start", "2019-06-01", "--end", "June"], "--end must be YYYY-MM-DD"),
    ],
)
def test_report_refuses_bad_ranges(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], says: str
) -> None:
    code, out, err = command(capsys, "report", *args, "--out", str(tmp_path / "r.html"))
    assert code == 2 and out == "" and says in err and not (tmp_path / "r.html").exists()


def test_report_refuses_an_out_it_cannot_write(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for target, says in ((tmp_path, "is a folder"), (tmp_path / "no" / "r.html", "does not exist")):
        code, out, err = command(
            capsys, "report", "--start", "2019-06-01", "--end", "2019-06-07", "--out", str(target)
        )
        assert code == 2 and out == "" and says in err


@pytest.mark.slow
def test_the_report_renders_its_charts_in_a_browser(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, browser: object
) -> None:
    out = tmp_path / "report.html"
    code, _, _ = command(
        capsys, "report", "--start", START.isoformat(), "--end", END.isoformat(), "--out", str(out)
    )
    assert code == 0
    driver = browser
    driver.get(out.as_uri())  # type: ignore[attr-defined]
    charts = driver.find_elements("css selector", "svg")  # type: ignore[attr-defined]
    assert len(charts) == 4
    for chart in charts:
        assert chart.size["width"] >= 480 and chart.size["height"] >= 240
        # Drawn, not just present: each has lines or bars inside its frame.
        assert chart.find_elements("css selector", "polyline, rect")
    driver.set_window_size(1600, 2600)  # type: ignore[attr-defined]
    shoot(driver, "report.png")


def test_a_report_that_fails_while_written_leaves_the_previous_one(
    env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page goes to a temporary file first: a failure before the rename (here the rename
    itself) leaves the old page whole and no temporary file behind."""
    out = tmp_path / "report.html"
    out.write_text("the previous report")

    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        main(["report", "--start", START.isoformat(), "--end", END.isoformat(), "--out", str(out)])
    assert out.read_text() == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
