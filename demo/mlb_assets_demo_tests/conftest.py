"""The generated demo tables, built once for the demo tests (generation takes about a second),
and the suite's shared fixtures: the demo's tests also run dagster dev and real runs on the
seeded and prepared warehouses that mlb_assets_tests/conftest.py builds once per session, in a
Dagster home outside the checkout."""

from __future__ import annotations

import pandas as pd
import pytest

from mlb_assets_demo.generator import GAME_SUMMARY, generate_demo
from mlb_assets_tests.conftest import _dagster_home, prepared_dir, seeded_dir

__all__ = ["_dagster_home", "prepared_dir", "seeded_dir"]


@pytest.fixture(scope="session")
def tables() -> dict[str, pd.DataFrame]:
    """Both seasons, seed 7."""
    return generate_demo(seed=7)


@pytest.fixture(scope="session")
def starts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    games = tables[GAME_SUMMARY]
    return games[games["is_starter"]]
