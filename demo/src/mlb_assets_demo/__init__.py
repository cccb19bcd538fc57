"""The embedded demo: seeded seasons built on real starting pitchers, and the `make demo` runner.

A distribution of its own (`mlb-assets-demo`, this folder's pyproject.toml), so the code location
and the production image never import or install it. Its modules are imported by name (this
file imports nothing): the runner and the UI helpers load no pandas.
"""
