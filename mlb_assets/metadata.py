"""Metadata the UI reads well, for assets and checks alike: small frames as real tables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
from dagster import MetadataValue, TableColumn, TableRecord, TableSchema


def _cell(value: Any) -> Any:
    """Table cells must be plain scalars: dates as ISO text, missing as None."""
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _column_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "float"
    return "string"


def frame_table(
    frame: pd.DataFrame, descriptions: Mapping[str, str] | None = None
) -> MetadataValue:
    """A small frame as a real table in the UI (Dagster's table metadata type), each column
    with its description when one is given (the UI shows it on the column's header), so a
    table explains itself where it is read.

    Converted column by column (`tolist` yields Python scalars): a range run builds one
    slate table per date and system, so a per-cell pandas lookup would add up.
    """
    names = [str(c) for c in frame.columns]
    described = descriptions or {}
    schema = TableSchema(
        columns=[
            TableColumn(n, _column_type(frame[c]), description=described.get(n))
            for n, c in zip(names, frame.columns, strict=True)
        ]
    )
    columns = [[_cell(v) for v in frame[c].tolist()] for c in frame.columns]
    records = [
        TableRecord(dict(zip(names, row, strict=True))) for row in zip(*columns, strict=True)
    ]
    return MetadataValue.table(records=records, schema=schema)
