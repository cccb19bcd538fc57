"""Charts the Dagster UI shows inline: small SVGs as markdown metadata.

Dagster renders a markdown value in place only below 1,000 characters; a longer one hides
behind "[Show Markdown]". Each chart is therefore drawn at decreasing detail (fewer points,
fewer labelled ticks) until its markdown fits; the full-resolution series stay in the plots
and in `mlb-assets report`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from dagster import MetadataValue

from mlb_assets.report.svg import (
    INLINE_MARKDOWN_LIMIT,
    line_chart,
    markdown_image,
    reliability_chart,
)


def inline_markdown(candidates: Iterable[str], alt: str) -> MetadataValue:
    """The first (most detailed) chart whose markdown the UI shows inline."""
    markdown = ""
    for svg in candidates:
        markdown = markdown_image(svg, alt)
        if len(markdown) < INLINE_MARKDOWN_LIMIT:
            break
    return MetadataValue.md(markdown)


def reliability_diagram(system_id: str, table: pd.DataFrame) -> MetadataValue:
    """One system's reliability diagram (its deciles against the diagonal), 480 px wide."""
    curve = {system_id: (table["mean_predicted"].tolist(), table["observed"].tolist())}
    return inline_markdown(
        (
            reliability_chart(
                curve,
                title=f"{system_id}: observed over-rate",
                tick_count=ticks,
                label_every=every,
                dots=False,
                legend=False,
            )
            for ticks, every in ((6, 1), (5, 2), (3, 1))
        ),
        f"{system_id} reliability diagram",
    )


def series_chart(title: str, dates: Sequence[str], values: Sequence[float]) -> MetadataValue:
    """One figure over the dates (YYYY-MM-DD): the range's per-date series in one picture,
    shown in place (the UI's own plot of a partitioned asset cannot show a partition set that
    ended in the past: docs/ARCHITECTURE.md, "Plots")."""
    return inline_markdown(
        (
            line_chart(
                {title: values},
                [d[5:] for d in dates],  # MM-DD: the season is in the metadata's date range
                title=title,
                x_title="",
                width=480,
                height=240,
                decimals=0,
                max_points=points,
                x_tick_count=3,
                y_tick_count=4,
                legend=False,
            )
            for points in (90, 60, 45, 30, 22, 16, 12)
        ),
        title,
    )


def units_chart(system_id: str, dates: Sequence[str], units: Sequence[float]) -> MetadataValue:
    """One system's cumulative units over the dates (its equity curve at flat stakes)."""
    return series_chart(f"{system_id}: units, season to date", dates, units)
