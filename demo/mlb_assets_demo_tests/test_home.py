"""The demo's Dagster home keeps the demo's current settings, and only the demo's."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlb_assets_demo.home import WRITTEN_BY, demo_instance_yaml, ensure_dagster_home

# What an earlier demo wrote: its own run launcher, a module that no longer exists.
OLDER = f"""{WRITTEN_BY}: a local instance for the embedded DuckDB warehouse.
run_launcher:
  module: mlb_assets.demo.launcher
  class: LocalRunLauncher
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def test_a_new_home_gets_the_demo_settings(home: Path) -> None:
    assert ensure_dagster_home() == home
    assert (home / "dagster.yaml").read_text() == demo_instance_yaml(home)


def test_settings_an_older_demo_wrote_are_brought_up_to_date(home: Path) -> None:
    home.mkdir()
    (home / "dagster.yaml").write_text(OLDER)
    ensure_dagster_home()
    assert (home / "dagster.yaml").read_text() == demo_instance_yaml(home)


def test_settings_of_the_users_own_are_kept(home: Path) -> None:
    home.mkdir()
    own = "telemetry:\n  enabled: false\n"
    (home / "dagster.yaml").write_text(own)
    ensure_dagster_home()
    assert (home / "dagster.yaml").read_text() == own
