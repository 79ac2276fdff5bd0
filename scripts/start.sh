#!/usr/bin/env bash
# One command from a fresh clone to a running platform in the embedded mode:
# SQLite, no Redis, a real Celery worker (with beat) on the file-system broker.
set -euo pipefail
source "$(dirname "$0")/setup.sh"

export DEBUG=${DEBUG:-1}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

echo "==> Preparing the database"
python manage.py migrate --noinput
python manage.py load_areas
python manage.py seed_demo

echo "==> Starting the Celery workers (file-system broker, beat included)"
celery -A config worker --beat -Q default --loglevel warning --concurrency 1 &
worker=$!
# Excel exports have their own queue and worker: a big one delays no refresh.
celery -A config worker -Q exports -n exports@%h --loglevel warning --concurrency 1 &
exports_worker=$!
trap 'kill $worker $exports_worker 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  The platform is running at  http://$HOST:$PORT/
  Sign in with any login above (password demo1234). Stop with Ctrl+C.

MSG
python manage.py runserver "$HOST:$PORT"
