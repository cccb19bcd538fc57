"""The bettor's report as one self-contained HTML page: inline CSS and inline SVG charts, no
script, no external file, no network, so it opens from disk, prints, and can be mailed.

Pure: it formats what it is given (frames and SVG text) and reads nothing.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

STYLE = """
body { font-family: sans-serif; margin: 24px 32px; color: #222; max-width: 1500px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
p.note { color: #555; font-size: 13px; margin: 4px 0 10px; max-width: 1000px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: right; white-space: nowrap; }
th { background: #f2f2f2; }
td.text, th.text { text-align: left; }
td.reason { white-space: normal; max-width: 420px; text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
figure { margin: 0; }
figcaption { font-size: 12px; color: #555; max-width: 720px; }
"""


@dataclass(frozen=True)
class Table:
    """A frame to show, its columns described (the descriptions become header tooltips)."""

    frame: pd.DataFrame
    descriptions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """A heading, a note under it, then tables and charts (SVG text with a caption)."""

    title: str
    note: str = ""
    tables: Sequence[Table] = ()
    charts: Sequence[tuple[str, str]] = ()


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return html.escape(str(value))


def render_table(table: Table) -> str:
    """A table with text columns left-aligned and numbers right-aligned."""
    frame = table.frame
    text = {c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])}

    def kind(column: object) -> str:
        if column == "reason":
            return " class='reason'"
        return " class='text'" if column in text else ""

    head = "".join(
        f"<th{kind(c)} title='{html.escape(table.descriptions.get(str(c), ''), quote=True)}'>"
        f"{html.escape(str(c))}</th>"
        for c in frame.columns
    )
    rows = "".join(
        "<tr>"
        + "".join(f"<td{kind(c)}>{_cell(v)}</td>" for c, v in zip(frame.columns, row, strict=True))
        + "</tr>"
        for row in frame.astype(object).itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def render_page(title: str, subtitle: str, sections: Sequence[Section]) -> str:
    """The whole page."""
    body = [f"<h1>{html.escape(title)}</h1><p class='note'>{html.escape(subtitle)}</p>"]
    for section in sections:
        body.append(f"<h2>{html.escape(section.title)}</h2>")
        if section.note:
            body.append(f"<p class='note'>{html.escape(section.note)}</p>")
        body += [render_table(t) for t in section.tables]
        if section.charts:
            figures = "".join(
                f"<figure>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>"
                for svg, caption in section.charts
            )
            body.append(f"<div class='charts'>{figures}</div>")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
