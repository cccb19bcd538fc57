"""Where trained models live: a local folder by default, a gs:// URI in production.

Layout: <root>/<system_id>/<YYYY-MM>/model.ubj plus metadata.json. metadata.json is written
last and is what marks an artifact complete, so a crash mid-save never yields a model that
loads with the wrong metadata. The calibration of the model's probabilities is part of its
metadata: a model is never used without the calibration fitted with it.

Every load validates the artifact against the same rule training applies
(`mlb_assets.systems.validation`): a missing key, a NaN or out-of-range figure, a feature list
that is not the system's, or a model rejected at training is a model-load failure, returned
with its reason, never raised: the predictions then fall back (and say why) instead of the run
crashing or a model with broken probabilities betting.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xgboost as xgb
from dagster import ConfigurableResource
from pydantic import Field

from mlb_assets.systems import MODEL_FEATURES
from mlb_assets.systems.calibration import Calibration
from mlb_assets.systems.models import LoadedModel
from mlb_assets.systems.training import TrainedModel
from mlb_assets.systems.validation import model_problems

MODEL_FILE = "model.ubj"
METADATA_FILE = "metadata.json"
GCS_TIMEOUT_SECONDS = 60.0
GCS_RETRY_DEADLINE_SECONDS = 120.0
# What a loadable metadata.json must hold.
REQUIRED_METADATA = (
    "system_id",
    "model_version",
    "features",
    "dispersion",
    "validation_mae",
    "calibration",
    "usable",
)


class _LocalFiles:
    def __init__(self, root: str) -> None:
        self.root = Path(root)

    def read(self, key: str) -> bytes:
        return (self.root / key).read_bytes()

    def write(self, key: str, data: bytes) -> str:
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, target)
        return str(target)


class _GCSFiles:
    """Objects under gs://bucket[/prefix], through the storage client dagster-gcp provides.

    Each object write is atomic in GCS, and metadata.json is written after model.ubj, so a
    reader never sees a half-saved artifact. Writing the same bytes again is harmless, so
    uploads are retried on transient errors like downloads; both have explicit timeouts.
    Imported lazily: the Google clients cost seconds of import time the local default
    never needs.
    """

    def __init__(self, uri: str) -> None:
        from dagster_gcp import GCSResource
        from google.cloud.storage.retry import DEFAULT_RETRY

        bucket, _, prefix = uri.removeprefix("gs://").partition("/")
        if not bucket:
            raise ValueError(f"not a gs://bucket[/prefix] URI: {uri!r}")
        # The storage client's own predicate: 429, 5xx and connection errors only.
        self.retry = DEFAULT_RETRY.with_timeout(GCS_RETRY_DEADLINE_SECONDS)
        self.bucket = GCSResource().get_client().bucket(bucket)
        self.prefix = prefix.strip("/")
        self.uri = f"gs://{bucket}/{self.prefix}" if self.prefix else f"gs://{bucket}"

    def _name(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def read(self, key: str) -> bytes:
        return self.bucket.blob(self._name(key)).download_as_bytes(
            timeout=GCS_TIMEOUT_SECONDS, retry=self.retry
        )

    def write(self, key: str, data: bytes) -> str:
        content_type = "application/json" if key.endswith(".json") else "application/octet-stream"
        self.bucket.blob(self._name(key)).upload_from_string(
            data, content_type=content_type, timeout=GCS_TIMEOUT_SECONDS, retry=self.retry
        )
        return f"{self.uri}/{key}"


def _files(root: str) -> _LocalFiles | _GCSFiles:
    return _GCSFiles(root) if root.startswith("gs://") else _LocalFiles(root)


def model_version(system_id: str, month: str, model_bytes: bytes) -> str:
    """Names the exact artifact a prediction used: system, month, content hash."""
    return f"{system_id}-{month}-{hashlib.sha256(model_bytes).hexdigest()[:8]}"


def load_booster(model_bytes: bytes) -> xgb.Booster:
    booster = xgb.Booster()
    booster.load_model(bytearray(model_bytes))
    return booster


class ModelStore(ConfigurableResource):
    """Saves and loads the monthly walk-forward models (MLB_MODEL_STORE)."""

    root: str = Field(default=".mlb/models", description="Folder or gs:// URI of the models.")

    def save(
        self,
        system_id: str,
        month: str,
        trained: TrainedModel,
        extra: dict[str, Any],
        problems: Sequence[str] = (),
    ) -> dict[str, Any]:
        """Writes the model and then its metadata; with `problems` the artifact is marked not
        usable (kept for inspection, refused by every load), so the month's predictions fall
        back with the reason instead of using a broken model or an older one."""
        files = _files(self.root)
        raw = trained.booster.save_raw(raw_format="ubj")
        model_bytes = bytes(raw)
        metadata = {
            "system_id": system_id,
            "month": month,
            "model_version": model_version(system_id, month, model_bytes),
            "features": list(trained.features),
            "trained_through": trained.trained_through.isoformat(),
            "training_rows": trained.training_rows,
            "validation_mae": round(trained.validation_mae, 4),
            "dispersion": trained.dispersion,
            "calibration": trained.calibration.to_dict(),
            "xgboost_version": trained.xgboost_version,
            "usable": not problems,
            "problems": list(problems),
            **extra,
        }
        uri = files.write(f"{system_id}/{month}/{MODEL_FILE}", model_bytes)
        files.write(f"{system_id}/{month}/{METADATA_FILE}", json.dumps(metadata, indent=2).encode())
        return {**metadata, "uri": uri}

    def load(self, system_id: str, month: str, features: tuple[str, ...]) -> LoadedModel:
        """The model of `month`, or a LoadedModel carrying why it could not be loaded."""
        return load_artifact(self.root, f"{system_id}/{month}", system_id, features)


def validated(
    metadata: Mapping[str, Any], booster: xgb.Booster, system_id: str, features: tuple[str, ...]
) -> tuple[float, str, Calibration]:
    """(dispersion, model_version, calibration) of a sound artifact; ValueError naming every
    problem otherwise."""
    if not isinstance(metadata, Mapping):
        raise ValueError("metadata.json is not an object")
    missing = [key for key in REQUIRED_METADATA if key not in metadata]
    if missing:
        raise ValueError(f"metadata lacks {missing}")
    if metadata["usable"] is not True:
        raise ValueError(f"model rejected at training: {'; '.join(metadata.get('problems', []))}")
    if metadata["system_id"] != system_id:
        raise ValueError(f"artifact of {metadata['system_id']!r}, not of {system_id!r}")
    calibration = Calibration.from_dict(metadata["calibration"])
    saved_features = metadata["features"]
    if not isinstance(saved_features, list) or list(booster.feature_names or []) != saved_features:
        raise ValueError("the booster's features are not the ones its metadata lists")
    problems = model_problems(
        features=saved_features,
        expected_features=features,
        dispersion=metadata["dispersion"],
        validation_mae=metadata["validation_mae"],
        calibration=calibration,
    )
    if problems:
        raise ValueError("; ".join(problems))
    return float(metadata["dispersion"]), str(metadata["model_version"]), calibration


def load_artifact(root: str, folder: str, system_id: str, features: tuple[str, ...]) -> LoadedModel:
    """Load `<root>/<folder>/model.ubj` (+ metadata.json), validated; never raises on a bad
    artifact."""
    try:
        files = _files(root)
        prefix = f"{folder}/" if folder else ""
        metadata = json.loads(files.read(f"{prefix}{METADATA_FILE}"))
        booster = load_booster(files.read(f"{prefix}{MODEL_FILE}"))
        dispersion, version, calibration = validated(metadata, booster, system_id, features)
    except Exception as exc:  # missing, unreadable, corrupt or invalid: the system falls back
        return LoadedModel(
            system_id=system_id,
            features=features,
            booster=None,
            dispersion=0.0,
            model_version="unavailable",
            load_error=f"{type(exc).__name__}: {exc}"[:500],
        )
    return LoadedModel(
        system_id=system_id,
        features=features,
        booster=booster,
        dispersion=dispersion,
        model_version=version,
        calibration=calibration,
    )


@dataclass
class ModelResolver:
    """Loads each artifact at most once per run: a pinned path, else the month's model."""

    store: ModelStore
    pinned: dict[str, str] = field(default_factory=dict)
    _cache: dict[tuple[str, str], LoadedModel] = field(default_factory=dict)

    def model(self, system_id: str, month: str) -> LoadedModel:
        pinned = self.pinned.get(system_id)
        key = (system_id, "pinned" if pinned else month)
        if key not in self._cache:
            features = MODEL_FEATURES[system_id]
            self._cache[key] = (
                load_artifact(pinned, "", system_id, features)
                if pinned
                else self.store.load(system_id, month, features)
            )
        return self._cache[key]

    def models(self, month: str) -> dict[str, LoadedModel]:
        return {sid: self.model(sid, month) for sid in MODEL_FEATURES}

    def load_failures(self) -> dict[tuple[str, str], str]:
        """(system, month or 'pinned') -> error, for every artifact that failed to load."""
        return {key: m.load_error for key, m in self._cache.items() if m.load_error}
