"""The embedded demo: two seeded seasons built on real 2018-2019 starting pitchers."""

from mlb_assets.demo.generator import generate_demo
from mlb_assets.demo.summary import summarize

__all__ = ["generate_demo", "summarize"]
