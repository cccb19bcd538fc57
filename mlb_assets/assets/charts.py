"""A reliability diagram the UI can show: a small SVG embedded in markdown metadata."""

from __future__ import annotations

import base64

import pandas as pd
from dagster import MetadataValue

SIZE, MARGIN = 240, 30
COLORS = ("#4f43dd", "#d9480f", "#2b8a3e", "#862e9c")


def _xy(p: float, observed: float) -> tuple[float, float]:
    span = SIZE - 2 * MARGIN
    return MARGIN + p * span, SIZE - MARGIN - observed * span


def reliability_svg(tables: dict[str, pd.DataFrame]) -> str:
    """Observed over-rate against predicted P(over), one line per system; the diagonal is
    perfect calibration."""
    x0, y0 = _xy(0.0, 0.0)
    x1, y1 = _xy(1.0, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE + 120}" height="{SIZE}">',
        f'<rect x="{MARGIN}" y="{MARGIN}" width="{x1 - x0}" height="{y0 - y1}" fill="#fafafa" '
        'stroke="#ccc"/>',
        f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#999" stroke-dasharray="4"/>',
        f'<text x="{MARGIN}" y="{SIZE - 8}" font-size="10">predicted P(over) 0..1</text>',
        f'<text x="4" y="{MARGIN - 10}" font-size="10">observed over-rate</text>',
    ]
    for index, (name, table) in enumerate(tables.items()):
        color = COLORS[index % len(COLORS)]
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (_xy(r.mean_predicted, r.observed) for r in table.itertuples())
        )
        parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
        parts.append(
            f'<text x="{SIZE + 4}" y="{MARGIN + 14 * index}" font-size="11" fill="{color}">'
            f"{name}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def reliability_chart(tables: dict[str, pd.DataFrame]) -> MetadataValue:
    encoded = base64.b64encode(reliability_svg(tables).encode()).decode()
    return MetadataValue.md(f"![reliability diagram](data:image/svg+xml;base64,{encoded})")
