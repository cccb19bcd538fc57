"""The generated demo tables, built once for the demo tests (generation takes about a second)."""

from __future__ import annotations

import pandas as pd
import pytest

from mlb_assets.demo.generator import GAME_SUMMARY, generate_demo


@pytest.fixture(scope="session")
def tables() -> dict[str, pd.DataFrame]:
    """Both seasons, seed 7."""
    return generate_demo(seed=7)


@pytest.fixture(scope="session")
def starts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    games = tables[GAME_SUMMARY]
    return games[games["is_starter"]]
