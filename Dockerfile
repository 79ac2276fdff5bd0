# Image of the platform: one image for every process (web, Celery worker, beat,
# migrations); docker-compose.yml chooses the command.
FROM python:3.11-slim

# The code runs from /app: templates/, static/ and locale/ are found next to
# it (BASE_DIR), so PYTHONPATH makes /app win over the copy pip puts in
# site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    GUNICORN_WORKERS=3

WORKDIR /app

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

# WeasyPrint (the monthly reports' PDFs) lays out text with Pango, and the
# PDFs use DejaVu Sans, which covers Vietnamese.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in their own layer: it is rebuilt only when
# pyproject.toml changes. Every dependency ships a wheel, so no compiler.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
       > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The sources (see .dockerignore), then the project itself.
COPY . .
RUN pip install --no-cache-dir --no-deps . \
    && rm -rf build *.egg-info

# Static files are collected at build time (whitenoise serves them with a
# manifest when DEBUG is off). The SECRET_KEY here exists only for this step
# and is not kept in the image. Source files stay root-owned and read-only for
# the app user; only VAR_DIR (database file, media, cache, beat schedule) is
# writable.
RUN SECRET_KEY=collectstatic-build-only DEBUG=0 python manage.py collectstatic --noinput \
    && mkdir -p /app/var \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

# The load balancer's check, from inside the container. Django answers only to
# ALLOWED_HOSTS, so the request names the first of them as its Host.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; hosts = [h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',') if h.strip() not in ('', '*')]; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': hosts[0] if hosts else 'localhost'}), timeout=8)"]

# The access log shows the path only (%(U)s), never the query string (%(q)s,
# %(r)s) nor the referer (%(f)s): searched names and other personal data
# travel in query strings and must not reach the logs.
# The workers keep their metrics in a RAM folder, summed by /metrics and
# emptied when gunicorn starts (gunicorn.conf.py).
CMD ["sh", "-c", "export PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-/dev/shm/tcns-metrics}; exec gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers \"${GUNICORN_WORKERS:-3}\" --worker-tmp-dir /dev/shm --no-control-socket --access-logfile - --access-logformat '%(h)s %(t)s \"%(m)s %(U)s %(H)s\" %(s)s %(B)s %(M)sms'"]
