# syntax=docker/dockerfile:1

# One image for every process of the production stack (web, ws, worker, beat and the one-shot
# migrate); the command picks the role. docker-compose.yml shows each command.
#
#   docker build -t marketplace .

ARG PYTHON_IMAGE=python:3.11-slim-bookworm


# --- build: wheels for the project and its runtime dependencies -------------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# pyproject.toml alone: the dependency wheels are rebuilt only when it changes, not on every
# code change. Without the packages, setuptools builds an empty wheel of the project itself,
# which the runtime stage leaves out (the code runs from /app).
COPY pyproject.toml ./

# `.` without extras: the runtime dependencies only, never the [dev] extra. Every current
# dependency ships manylinux wheels, so there is no compiler here; if one ever has to be built
# from source, install build-essential in this stage (never in the runtime stage).
RUN --mount=type=cache,target=/root/.cache/pip \
    pip wheel --wheel-dir /wheels . \
    && rm /wheels/marketplace-*.whl


# --- runtime ----------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# PYTHONPATH=/app: the project is not installed as a package; every process (celery included,
# which puts the working directory on the path only while loading the app) imports it from here.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=marketplace.config.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MARKETPLACE_DATA_DIR=/data

# Pango (and a font): WeasyPrint draws the PDF receipts with it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid app --create-home --shell /usr/sbin/nologin app

# Bind-mount the wheels from the build stage instead of copying them, so they never become a
# layer of this image; --no-index: install exactly what the build stage resolved.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels --root-user-action=ignore /wheels/*.whl

WORKDIR /app
# Code stays owned by root: the app user can read it but not change it. One COPY per package,
# since COPY of several directories would merge their contents into /app.
COPY manage.py ./
COPY marketplace ./marketplace
COPY escrow ./escrow
COPY search ./search
COPY messaging ./messaging
COPY reviews ./reviews
COPY frontend ./frontend

# The production settings refuse to load without these; collectstatic only reads files and
# connects to nothing, so throwaway values do. They are set for this command only and are not
# part of the image's environment.
RUN SECRET_KEY=collectstatic-only \
    DATABASE_URL=sqlite:////tmp/collectstatic.db \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

# Media, the beat schedule and other writable state. Created and chowned before VOLUME so a new
# named volume starts out owned by app.
RUN mkdir /data && chown app:app /data
VOLUME ["/data"]

USER app

# 8000: gunicorn (WSGI, every HTTP request); 8001: uvicorn (ASGI, websockets under /ws/ only).
EXPOSE 8000 8001

# No access log: every request is logged as JSON by the app, with its request id (and nginx
# logs them too).
# No HEALTHCHECK here: the right probe depends on the role (see docker-compose.yml).
CMD ["gunicorn", "marketplace.config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
