"""Presentation without Dagster: SVG charts and the self-contained HTML report."""
