# syntax=docker/dockerfile:1
#
# ECFS Case: the production image. One image serves every role: the web
# process (the default CMD, gunicorn), the Celery worker and Celery beat; see
# docker-compose.yml for how they are run together.
#
#   docker build -t ecfs-case .

# ---------------------------------------------------------------------------
# Stage 1: front-end assets (GOV.UK Frontend + MoJ Frontend, Dart Sass)
#   -> /build/static/build/
# ---------------------------------------------------------------------------
FROM node:20-bookworm-slim AS assets

WORKDIR /build

# Dependencies first, so this layer is cached until the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

COPY frontend/ frontend/
RUN npm run build


# ---------------------------------------------------------------------------
# Stage 2: the Python runtime
# ---------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime

# PYTHONPATH=/app: the code is imported from /app, where BASE_DIR (settings)
# finds templates/, static/ and staticfiles/.
ENV PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's runtime libraries (Pango pulls in GLib and fontconfig;
# libharfbuzz-subset0 is optional and gives smaller PDFs through HarfBuzz font
# subsetting), a font family, and curl for the health check. Versions come
# from the pinned Debian release of the base image (bookworm) and its
# security updates.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libffi8 \
        shared-mime-info \
        fonts-liberation \
        curl \
    && rm -rf /var/lib/apt/lists/*

# The service runs as an unprivileged user that cannot write to its own code.
# Its home is writable: gunicorn (25.1+) puts its control socket in
# ~/.gunicorn/ and logs an error at every start if it cannot.
RUN groupadd --system --gid 10001 ecfs \
    && useradd --system --uid 10001 --gid ecfs --create-home --home-dir /home/ecfs \
        --shell /usr/sbin/nologin ecfs

# Python dependencies, pinned in pyproject.toml. Only pyproject.toml is copied
# here, so this (slow) layer is rebuilt only when the dependencies change:
# `pip install` of the project directory (`pip install .`) installs every
# pinned dependency plus the project's metadata; the project's packages are not
# in that directory, so none are copied into site-packages. The code itself runs from /app (below), found through
# PYTHONPATH; a second copy in site-packages would take BASE_DIR with it.
COPY pyproject.toml /tmp/ecfs-deps/
RUN pip install /tmp/ecfs-deps \
    && rm -rf /tmp/ecfs-deps

WORKDIR /app

# The code (see .dockerignore for what stays out), then the built assets.
COPY . .
COPY --from=assets /build/static/build/ static/build/

ENV DJANGO_SETTINGS_MODULE=ecfs.settings.production

# Collect static files into /app/staticfiles (served by WhiteNoise), and
# byte-compile the code (the runtime user cannot write __pycache__).
# Production settings refuse to load without a real-looking SECRET_KEY; this
# throwaway one is set for this RUN step only (it is not in the image's
# environment) and signs nothing: collectstatic touches no database and no
# secret. The real key comes from the environment at run time.
RUN SECRET_KEY=build-time-only-collectstatic-key-never-used-at-run-time-0000 \
        python manage.py collectstatic --no-input --verbosity 1 \
    && python -m compileall -q /app

# Writable places: uploaded media, documents on family records (private, never
# served: DOCUMENTS_ROOT), and Celery beat's schedule file. Created here, owned
# by the runtime user, so named volumes mounted on them start out with the
# right owner.
RUN mkdir -p /app/media /app/private/documents /var/lib/ecfs \
    && chown ecfs:ecfs /app/media /var/lib/ecfs \
    && chown -R ecfs:ecfs /app/private && chmod 700 /app/private/documents

# Numeric, so that runtimes that check for a non-root user can see it is one.
USER 10001:10001

EXPOSE 8000

# No HEALTHCHECK here: the same image runs the worker and beat, which serve no
# HTTP. docker-compose.yml gives the web service its health check.
CMD ["gunicorn", "ecfs.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "3", \
     "--access-logfile", "-"]
