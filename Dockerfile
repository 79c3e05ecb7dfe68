# Regiokompas: gunicorn on a slim Python base, as a non-root user, with a health check.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REGIOKOMPAS_DATABASE_URL=sqlite:////srv/regiokompas/var/regiokompas.db \
    REGIOKOMPAS_CACHE_DIR=/srv/regiokompas/var/cache \
    REGIOKOMPAS_HOST=0.0.0.0

WORKDIR /srv/regiokompas
COPY pyproject.toml README.md app.py ./
COPY data ./data
COPY matching ./matching
COPY dashboard ./dashboard
RUN pip install . \
    && useradd --system --create-home --home-dir /home/regiokompas regiokompas \
    && mkdir -p var \
    && chown -R regiokompas:regiokompas var

USER regiokompas
EXPOSE 8050

HEALTHCHECK --interval=30s --timeout=5s --start-period=300s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8050/healthz', timeout=4).status == 200 else 1)"

# `serve` prepares the database (demo data when empty) and starts gunicorn.
CMD ["regiokompas", "serve", "--host", "0.0.0.0", "--port", "8050", "--workers", "3"]
