"""The deployable code location: the image, the Dagster instance and workspace, the Helm values.

The configuration files are validated with Dagster's own schemas and checked for agreeing
with each other; the image is built and probed only where `docker info` works.
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from dagster import QueuedRunCoordinator

# Private imports, in this test only: Dagster has no public API that validates a dagster.yaml,
# a workspace file or a configurable class's config against its schema, which is what these
# tests are for (a deployment file that Dagster would refuse must fail here, not at deploy).
from dagster._config import process_config
from dagster._core.instance.config import dagster_instance_config
from dagster._core.workspace.config_schema import process_workspace_config

from mlb_assets_tests.bounds import run_bounded, wait_until

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILE = (ROOT / "Dockerfile").read_text()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
INSTANCE_ENV = {
    "DAGSTER_PG_HOST": "10.0.0.5",
    "DAGSTER_PG_DB": "dagster",
    "DAGSTER_PG_USERNAME": "dagster",
    "DAGSTER_PG_PASSWORD": "not-a-real-password",
    "DAGSTER_K8S_NAMESPACE": "dagster",
}


def _pin(package: str) -> str:
    project = PYPROJECT["project"]
    specs = [*project["dependencies"], *project["optional-dependencies"]["deploy"]]
    (spec,) = [d for d in specs if d.startswith(f"{package}==")]
    return spec.split("==")[1]


def _instruction(name: str) -> list[str]:
    return [line for line in DOCKERFILE.splitlines() if line.startswith(f"{name} ")]


# -- the Dockerfile ------------------------------------------------------------------------
def test_image_is_slim_python_311_and_runs_as_a_numeric_non_root_user() -> None:
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim", DOCKERFILE, re.MULTILINE)
    (user,) = _instruction("USER")
    uid = user.split()[1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0


def test_image_serves_the_code_location_installed_with_its_sql() -> None:
    (cmd,) = _instruction("CMD")
    module = PYPROJECT["tool"]["dagster"]["module_name"]
    assert cmd == (
        f'CMD ["dagster", "code-server", "start", "-m", "{module}", "-h", "0.0.0.0", "-p", "4000"]'
    )
    # Installed, not editable: the package data carries the SQL, and no /app source tree
    # reaches the runtime stage to shadow the installed package.
    assert "pip install --no-deps . " in DOCKERFILE and "-e ." not in DOCKERFILE
    assert "COPY sql" not in DOCKERFILE and "COPY --from=build /app" not in DOCKERFILE
    assert "EXPOSE 4000" in DOCKERFILE


def test_run_worker_libraries_match_the_dagster_release() -> None:
    """dagster-postgres / dagster-k8s move in lockstep with dagster-gcp (0.29.N)."""
    integration = _pin("dagster-gcp")
    for package in ("dagster-postgres", "dagster-k8s"):
        assert _pin(package) == integration
    assert 'pip install ".[deploy]"' in DOCKERFILE


def test_dockerignore_sends_only_what_the_image_needs() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    assert "*" in lines
    assert {"!pyproject.toml", "!README.md", "!mlb_assets/"} <= set(lines)
    assert "!sql/" not in lines  # the SQL is package data inside mlb_assets/


# -- instance, workspace, Helm values -------------------------------------------------------
def _configured_class(entry: dict) -> type:
    """The class a `module` / `class` entry of dagster.yaml names, imported as Dagster will."""
    return getattr(importlib.import_module(entry["module"]), entry["class"])


@pytest.fixture
def instance_config(monkeypatch: pytest.MonkeyPatch) -> dict:
    for key, value in INSTANCE_ENV.items():
        monkeypatch.setenv(key, value)
    config, _ = dagster_instance_config(str(DEPLOY))  # validates against Dagster's schema
    return dict(config)


def test_instance_uses_postgres_a_limited_queue_and_run_monitoring(instance_config: dict) -> None:
    assert set(instance_config["storage"]) == {"postgres"}
    coordinator = instance_config["run_coordinator"]
    assert _configured_class(coordinator) is QueuedRunCoordinator
    checked = process_config(QueuedRunCoordinator.config_type(), coordinator["config"])
    assert checked.success, checked.errors
    assert 0 < checked.value["max_concurrent_runs"] <= 10
    assert instance_config["run_monitoring"]["enabled"] is True
    assert instance_config["run_launcher"]["class"] == "K8sRunLauncher"


def test_k8s_run_launcher_config_is_valid(instance_config: dict) -> None:
    """Needs dagster-k8s, which the image installs (the dev environment may not)."""
    pytest.importorskip("dagster_k8s", reason="dagster-k8s is installed in the image only")
    launcher = instance_config["run_launcher"]
    checked = process_config(_configured_class(launcher).config_type(), launcher["config"])
    assert checked.success, checked.errors


def test_workspace_points_at_the_code_server_the_helm_values_deploy() -> None:
    workspace = yaml.safe_load((DEPLOY / "workspace.yaml").read_text())
    assert process_workspace_config(workspace).success
    (entry,) = workspace["load_from"]
    server = entry["grpc_server"]
    values = yaml.safe_load((DEPLOY / "helm-values.yaml").read_text())
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    assert (
        (server["host"], server["port"])
        == (deployment["name"], deployment["port"])
        == (
            "mlb-assets",
            4000,
        )
    )
    assert server["location_name"] == PYPROJECT["tool"]["dagster"]["code_location_name"]
    assert deployment["codeServerArgs"] == ["-m", PYPROJECT["tool"]["dagster"]["module_name"]]


def test_helm_values_match_the_instance(instance_config: dict) -> None:
    values = yaml.safe_load((DEPLOY / "helm-values.yaml").read_text())
    daemon = values["dagsterDaemon"]
    queued = daemon["runCoordinator"]["config"]["queuedRunCoordinator"]
    coordinator = instance_config["run_coordinator"]["config"]
    assert queued["maxConcurrentRuns"] == coordinator["max_concurrent_runs"]
    assert queued["tagConcurrencyLimits"] == coordinator["tag_concurrency_limits"]
    monitoring = instance_config["run_monitoring"]
    assert daemon["runMonitoring"]["enabled"] is monitoring["enabled"]
    assert daemon["runMonitoring"]["startTimeoutSeconds"] == monitoring["start_timeout_seconds"]
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    assert values["postgresql"]["enabled"] is False
    sa = values["serviceAccount"]["annotations"]["iam.gke.io/gcp-service-account"]
    assert sa.startswith("mlb-assets@")


# -- the image itself, where docker works ----------------------------------------------------
def _docker_usable() -> bool:
    if shutil.which("docker") is None:
        return False
    return run_bounded(["docker", "info"], "docker info").returncode == 0


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    if not _docker_usable():
        pytest.skip("docker is not usable here (`docker info` fails)")
    tag = f"mlb-assets-test:{uuid.uuid4().hex[:8]}"
    subprocess.run(["docker", "build", "-t", tag, str(ROOT)], check=True, timeout=1800)
    yield tag
    run_bounded(["docker", "rmi", "-f", tag], "docker rmi")


@pytest.mark.slow
def test_image_runs_as_non_root_with_the_sql(image: str) -> None:
    probe = (
        "import os; from mlb_assets.resources.sql import SQL_ROOT, migration_files; "
        "print(os.getuid(), SQL_ROOT, len(migration_files()))"
    )
    done = run_bounded(["docker", "run", "--rm", image, "python", "-c", probe], "docker run")
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout.split()
    assert out[0] == "10001" and int(out[2]) > 0
    assert out[1].startswith("/opt/venv/lib/") and out[1].endswith("/site-packages/mlb_assets/sql")


@pytest.mark.slow
def test_code_server_answers(image: str) -> None:
    name = f"mlb-assets-test-{uuid.uuid4().hex[:8]}"
    started = run_bounded(
        ["docker", "run", "-d", "--name", name, "-e", "MLB_GCP_PROJECT=mlb-test-project", image],
        "docker run -d",
    )
    assert started.returncode == 0, started.stderr[-2000:]
    health = ["docker", "exec", name, "dagster", "api", "grpc-health-check", "-p", "4000"]
    try:
        wait_until(
            f"the code server in {name} to answer a gRPC health check on port 4000",
            lambda: run_bounded(health, "dagster api grpc-health-check").returncode == 0,
            interval=3,
        )
    finally:
        run_bounded(["docker", "rm", "-f", name], "docker rm")
