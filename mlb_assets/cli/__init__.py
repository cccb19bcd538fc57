"""The `mlb-assets` command line: demo, predict, accuracy, migrate."""

from mlb_assets.cli.main import main

__all__ = ["main"]
