#!/usr/bin/env bash
# One command from a fresh clone to a passing test suite.
# With DATABASE_URL and REDIS_URL set, the suite runs on PostgreSQL and Redis
# (that is what CI does); without them, on SQLite and the file-system broker.
set -euo pipefail
EXTRAS=dev source "$(dirname "$0")/setup.sh"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> Installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium at /usr/bin/chromium:" >&2
    echo "  sudo apt-get install chromium" >&2
    exit 1
  fi
fi

# Tests run as production does (DEBUG off), over plain HTTP on localhost.
export DEBUG=0
export SECRET_KEY=${SECRET_KEY:-tests-only-secret-$(date +%s)-not-for-production}
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
# A private var/ keeps the tests' broker queue and cache away from a running demo.
VAR_DIR=${VAR_DIR:-$(mktemp -d)}
export VAR_DIR

python manage.py makemigrations --check --dry-run >/dev/null ||
  { echo "Models changed without a migration: run makemigrations." >&2; exit 1; }
# DEBUG is off, so pages use the hashed static files, as in production.
python manage.py collectstatic --noinput --verbosity 0
# One process by default. "-n 2" runs the tests in two processes side by side
# (pytest-xdist): each has its own test database, Redis database and var/
# folder (tests/parallel.py).
exec python -m pytest "$@"
