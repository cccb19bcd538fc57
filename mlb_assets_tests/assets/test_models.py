"""strikeout_models trains from the sources' history through the slice's own SQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from mlb_assets_demo.runs import materialize_range
from mlb_assets_tests.conftest import defs_for, query_copy


def test_models_train_without_materialized_slice_partitions(seeded: Path) -> None:
    """The month's history (2018 and early 2019) is outside the daily partitions: it comes
    from the sources, so a fresh deployment can train before any backfill."""
    assert (
        query_copy(seeded, "SELECT COUNT(*) AS n FROM mlb_precompute.feature_store_slice")["n"][0]
        == 0
    )
    result = materialize_range(defs_for(seeded), ["strikeout_models"], "2019-05-01", "2019-05-01")
    assert result.success
    starts_before = query_copy(
        seeded,
        "SELECT COUNT(*) AS n FROM (SELECT DISTINCT game_date, pitcher_lookup "
        "FROM mlb_precompute.scheduled_starters WHERE game_date < '2019-05-01') AS s "
        "JOIN (SELECT DISTINCT game_date, pitcher_lookup FROM mlb_precompute.pitcher_games "
        "WHERE is_starter) AS g USING (game_date, pitcher_lookup)",
    )["n"][0]
    for system in ("v1_baseline", "v1_6_rolling"):
        meta = json.loads((seeded / "models" / system / "2019-05" / "metadata.json").read_text())
        assert meta["training_rows"] == starts_before > 4000  # all of 2018 and April 2019
        assert date.fromisoformat(meta["trained_through"]) < date(2019, 5, 1)
