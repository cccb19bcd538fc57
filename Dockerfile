# mlb-assets code location: serves the Dagster definitions over gRPC on port 4000, and is the
# image every run worker starts from (the K8s / Docker run launchers reuse the code location's
# image), so what a run executes is exactly what the UI showed.
#
#   docker build -t mlb-assets:$(git rev-parse --short HEAD) .
#   docker run -p 4000:4000 -e MLB_GCP_PROJECT=my-project mlb-assets:<tag>
#
# Two stages: the build stage has pip and the wheel cache; the runtime stage only the venv.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app

# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them:
# install a stub of the package (which pulls every pinned dependency), then drop the stub.
COPY pyproject.toml README.md ./
RUN mkdir mlb_assets \
    && touch mlb_assets/__init__.py \
    && pip install ".[deploy]" \
    && pip uninstall --yes mlb-assets \
    && rm -rf mlb_assets build ./*.egg-info
# The `deploy` extra adds what the run worker needs to read the instance (deploy/dagster.yaml):
# Postgres storage and the K8s run launcher, pinned in pyproject.toml with the Dagster family.

# The code, installed as a wheel would be: the package and its SQL (package data) go into the
# venv, so the runtime stage takes nothing from /app. The probe runs from / so that no source
# tree shadows the installed package, and fails the build if the package cannot find its SQL.
COPY mlb_assets ./mlb_assets
RUN pip install --no-deps . \
    && cd / \
    && python -c "from mlb_assets.resources.sql import SQL_ROOT, migration_files; \
assert str(SQL_ROOT).startswith('/opt/venv/') and migration_files(), SQL_ROOT"

FROM ${PYTHON_IMAGE}
# XGBoost needs the OpenMP runtime, which the slim image does not have.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*
# /app (the user's home and working directory) holds no code now that the package is installed
# into the venv; it is made here, since not every builder creates a WORKDIR that nothing fills.
RUN groupadd --system --gid 10001 dagster \
    && useradd --system --uid 10001 --gid dagster --home-dir /app --shell /usr/sbin/nologin dagster \
    && mkdir -p /app /opt/dagster/dagster_home \
    && chown dagster:dagster /opt/dagster/dagster_home

COPY --from=build /opt/venv /opt/venv

# Production defaults; every MLB_* setting can be overridden at deploy time
# (docs/ENVIRONMENT-VARIABLES.md). Credentials come from ADC (Workload Identity on GKE),
# never from the image.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DAGSTER_HOME=/opt/dagster/dagster_home \
    MLB_WAREHOUSE=bigquery

WORKDIR /app
# Numeric, so Kubernetes can enforce runAsNonRoot.
USER 10001:10001
EXPOSE 4000

# No HEALTHCHECK: run workers start from this image too and serve nothing on 4000. The code
# server's probe is `dagster api grpc-health-check -p 4000` (the Helm chart's default).
CMD ["dagster", "code-server", "start", "-m", "mlb_assets.definitions", "-h", "0.0.0.0", "-p", "4000"]
