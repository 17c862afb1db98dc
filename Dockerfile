# syntax=docker/dockerfile:1
#
# The Dinsos image: one image for every process (web, worker, beat, migrations).
#   docker build -t dinsos:dev .
#   web:        the default CMD (gunicorn on port 8000)
#   worker:     dinsos worker
#   beat:       dinsos beat            (exactly one replica)
#   migrations: dinsos db upgrade      (with DINSOS_MIGRATION_DATABASE_URL)
# No secret is baked in: every credential arrives as an environment variable
# at run time (see docs/operations.md).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---------------------------------------------------------------- builder ---
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /src

# Dependencies first, from pyproject.toml alone, so a code change does not
# rebuild every wheel.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
 && pip wheel --wheel-dir /wheels -r requirements.txt

COPY platform/ platform/
COPY workers/ workers/
RUN pip wheel --no-deps --wheel-dir /wheels . \
 && python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-index --find-links /wheels dinsos

# ---------------------------------------------------------------- runtime ---
FROM ${PYTHON_IMAGE} AS runtime

# WeasyPrint loads Pango, HarfBuzz (with its subsetter) and fontconfig at run
# time; the fonts are what letters are set in. Installing fontconfig builds
# the font cache now, because the running container cannot write one.
# libpq is not needed: psycopg[binary] ships its own.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fontconfig \
        fonts-dejavu-core \
        fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 dinsos \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home \
        --shell /usr/sbin/nologin dinsos

COPY --from=builder /opt/venv /opt/venv

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp

# Owned by root and read-only for the app user: the process cannot change its
# own code, standards or migrations. The migrations ship inside the installed
# package (dinsos/migrations), so every command runs from any folder.
WORKDIR /app
COPY tenants/ tenants/
COPY deploy/gunicorn.conf.py deploy/gunicorn.conf.py

USER 10001:10001
EXPOSE 8000

# Kubernetes probes /healthz and /readyz itself; a Docker health check would
# only run a second, unwatched copy of the same test.
HEALTHCHECK NONE

CMD ["gunicorn", "-c", "/app/deploy/gunicorn.conf.py", "dinsos.wsgi:app"]
