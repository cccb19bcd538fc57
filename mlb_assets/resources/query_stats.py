"""Counting of warehouse calls, so every materialization can show what it cost.

"Features load once per run" is a claim about query counts; these counters make it visible in
each materialization's metadata and testable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class QueryStats:
    queries: int = 0
    rows_read: int = 0
    rows_written: int = 0

    def add(self, *, queries: int = 0, rows_read: int = 0, rows_written: int = 0) -> None:
        self.queries += queries
        self.rows_read += rows_read
        self.rows_written += rows_written

    def as_metadata(self) -> dict[str, int]:
        return {
            "warehouse_queries": self.queries,
            "warehouse_rows_read": self.rows_read,
            "warehouse_rows_written": self.rows_written,
        }
