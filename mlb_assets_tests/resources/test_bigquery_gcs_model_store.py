"""The model store on gs:// URIs: the real storage client (as dagster-gcp builds it) against
the offline fake GCS, with faults injected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest
import xgboost as xgb

from mlb_assets.resources.model_store import MODEL_FILE, ModelStore
from mlb_assets.systems.calibration import Calibration
from mlb_assets.systems.training import TrainedModel
from mlb_assets_tests.resources.test_bigquery_fakes import FakeGCS, Fault, fake_gcs

FEATURES = ("k_avg_last_5", "ip_avg_last_5")


@pytest.fixture
def gcs(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGCS]:
    with fake_gcs(monkeypatch) as fake:
        yield fake


def _trained() -> TrainedModel:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, len(FEATURES)))
    booster = xgb.train(
        {"max_depth": 2, "seed": 1},
        xgb.DMatrix(x, label=x.sum(axis=1), feature_names=list(FEATURES)),
        num_boost_round=3,
    )
    return TrainedModel(
        booster=booster,
        features=FEATURES,
        dispersion=12.5,
        validation_mae=1.7,
        training_rows=40,
        trained_through=dt.date(2019, 5, 31),
        xgboost_version=xgb.__version__,
        calibration=Calibration(0.0, 0.5, 0.5, 40),
    )


def test_save_then_load_round_trips_through_gcs(gcs: FakeGCS) -> None:
    store = ModelStore(root="gs://mlb-models/prod/")
    saved = store.save("v1_baseline", "2019-06", _trained(), {"training_seed": 42})
    assert saved["uri"] == f"gs://mlb-models/prod/v1_baseline/2019-06/{MODEL_FILE}"
    uploads = [r.body for r in gcs.calls("POST", "/upload/storage/v1/b/mlb-models/o$")]
    # The model first, its metadata (which marks the artifact complete) last.
    assert [b'"name": "prod/v1_baseline/2019-06/model.ubj"' in u for u in uploads] == [True, False]
    assert b'"name": "prod/v1_baseline/2019-06/metadata.json"' in uploads[1]
    loaded = store.load("v1_baseline", "2019-06", FEATURES)
    assert loaded.load_error is None and loaded.booster is not None
    assert loaded.model_version == saved["model_version"] and loaded.dispersion == 12.5


def test_a_bucket_without_prefix(gcs: FakeGCS) -> None:
    ModelStore(root="gs://mlb-models").save("v1_baseline", "2019-06", _trained(), {})
    assert ("mlb-models", "v1_baseline/2019-06/model.ubj") in gcs.objects


def test_transient_gcs_errors_are_retried(gcs: FakeGCS) -> None:
    store = ModelStore(root="gs://mlb-models/prod")
    gcs.faults.append(Fault("POST", "^/upload/", 503, "backendError"))
    store.save("v1_baseline", "2019-06", _trained(), {})
    gcs.faults.append(Fault("GET", "^/download/", 429, "rateLimitExceeded"))
    assert store.load("v1_baseline", "2019-06", FEATURES).load_error is None
    assert len(gcs.calls("POST", "^/upload/")) == 3  # model twice, metadata once


def test_missing_or_forbidden_models_fall_back_without_retrying(gcs: FakeGCS) -> None:
    store = ModelStore(root="gs://mlb-models/prod")
    missing = store.load("v1_baseline", "2019-07", FEATURES)
    assert missing.booster is None and missing.load_error.startswith("NotFound")
    store.save("v1_baseline", "2019-06", _trained(), {})
    gcs.faults.append(Fault("GET", "^/download/", 403, "forbidden", times=5))
    before = len(gcs.calls("GET", "^/download/"))
    denied = store.load("v1_baseline", "2019-06", FEATURES)
    assert denied.booster is None and denied.load_error.startswith("Forbidden")
    assert len(gcs.calls("GET", "^/download/")) == before + 1


def test_a_uri_without_bucket_is_refused(gcs: FakeGCS) -> None:
    with pytest.raises(ValueError, match="gs://bucket"):
        ModelStore(root="gs://").save("v1_baseline", "2019-06", _trained(), {})
    assert ModelStore(root="gs:///x").load("v1_baseline", "2019-06", FEATURES).load_error
