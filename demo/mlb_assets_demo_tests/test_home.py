"""The demo's Dagster home keeps the demo's current settings, and only the demo's."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlb_assets_demo.home import DEMO_INSTANCE_YAML, WRITTEN_BY, ensure_dagster_home

# What an earlier demo wrote: its own run launcher and event log, modules that no longer exist.
OLDER = f"""{WRITTEN_BY}: a local instance for the embedded DuckDB warehouse.
run_launcher:
  module: mlb_assets.demo.launcher
  class: LocalRunLauncher
event_log_storage:
  module: mlb_assets.demo.event_log
  class: PooledSqliteEventLogStorage
  config:
    base_dir: "/somewhere/history/runs"
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def test_a_new_home_gets_the_demo_settings(home: Path) -> None:
    assert ensure_dagster_home() == home
    assert (home / "dagster.yaml").read_text() == DEMO_INSTANCE_YAML


def test_settings_an_older_demo_wrote_are_brought_up_to_date(home: Path) -> None:
    home.mkdir()
    (home / "dagster.yaml").write_text(OLDER)
    ensure_dagster_home()
    assert (home / "dagster.yaml").read_text() == DEMO_INSTANCE_YAML


def test_settings_of_the_users_own_are_kept(home: Path) -> None:
    home.mkdir()
    own = "telemetry:\n  enabled: false\n"
    (home / "dagster.yaml").write_text(own)
    ensure_dagster_home()
    assert (home / "dagster.yaml").read_text() == own
