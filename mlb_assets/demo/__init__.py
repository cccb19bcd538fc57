"""The embedded demo: seeded seasons built on real starting pitchers (2018-2019 by default)."""

from mlb_assets.demo.generator import generate_demo
from mlb_assets.demo.summary import summarize

__all__ = ["generate_demo", "summarize"]
