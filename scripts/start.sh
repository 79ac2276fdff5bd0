#!/usr/bin/env bash
# One command from a fresh clone to a running platform in the embedded mode:
# SQLite, no Redis, a real Celery worker and beat on the file-system broker.
# What it prints is in the platform's language (Vietnamese); the server's,
# the worker's and beat's own output goes to log files under $VAR_DIR/log.
# Stopping this script (Ctrl+C, or SIGTERM to its process id) stops all it started.
set -euo pipefail
cd "$(dirname "$0")/.."
# SKIP_SETUP=1: the caller already runs inside an environment with the project
# installed (the tests do), so no virtualenv is made or updated.
if [ "${SKIP_SETUP:-0}" != 1 ]; then
  source scripts/setup.sh
fi

export DEBUG=${DEBUG:-1}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
VAR_DIR=${VAR_DIR:-$PWD/var}
export VAR_DIR
LOG_DIR="$VAR_DIR/log"
mkdir -p "$LOG_DIR"
URL="http://$HOST:$PORT/"

children=()
descendants() {
  # All processes under one: the reloader's server, the workers' pools.
  local child
  for child in $(pgrep -P "$1" 2>/dev/null || true); do
    [ "$child" = "$BASHPID" ] && continue
    echo "$child"
    descendants "$child"
  done
}
cleanup() {
  trap - EXIT INT TERM
  local everyone pid
  everyone=$(descendants $$)
  # Each child first, so Celery shuts its pool down itself (warm shutdown).
  for pid in "${children[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 100); do
    pgrep -P $$ >/dev/null || break
    sleep 0.2
  done
  # Then whatever is left, orphans included (the reloader's server process).
  for pid in $everyone; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  sleep 0.5
  for pid in $everyone; do
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'echo; echo "==> Đang dừng nền tảng"; exit 0' INT TERM

echo "==> Chuẩn bị cơ sở dữ liệu (nhật ký: $LOG_DIR/prepare.log)"
{
  python manage.py migrate --noinput
  python manage.py load_areas
  python manage.py seed_demo
} >"$LOG_DIR/prepare.log" 2>&1 ||
  { echo "Chuẩn bị cơ sở dữ liệu không thành công:" >&2; tail -n 30 "$LOG_DIR/prepare.log" >&2; exit 1; }

echo "==> Khởi động Celery: worker, worker xuất Excel và beat (hàng đợi trên tệp)"
celery -A config worker -Q default --loglevel warning --concurrency 1 \
  >"$LOG_DIR/celery-worker.log" 2>&1 &
children+=($!)
# Excel exports have their own queue and worker: a big one delays no refresh.
celery -A config worker -Q exports -n exports@%h --loglevel warning --concurrency 1 \
  >"$LOG_DIR/celery-exports.log" 2>&1 &
children+=($!)
celery -A config beat --loglevel warning >"$LOG_DIR/celery-beat.log" 2>&1 &
children+=($!)

echo "==> Khởi động máy chủ web"
python manage.py runserver "$HOST:$PORT" >"$LOG_DIR/server.log" 2>&1 &
server=$!
children+=("$server")

# The address and logins come last, once the server answers.
# Up to a minute, while the server lives (no curl needed: Python is there).
python - "${URL}healthz" "$server" <<'PY' ||
import os, sys, time, urllib.request
for _ in range(240):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2)
        sys.exit(0)
    except OSError:
        try:
            os.kill(int(sys.argv[2]), 0)
        except OSError:
            sys.exit(1)
        time.sleep(0.25)
sys.exit(1)
PY
  { echo "Máy chủ web không trả lời:" >&2; tail -n 30 "$LOG_DIR/server.log" >&2; exit 1; }
python manage.py demo_logins --url "$URL" --logs "$LOG_DIR"
wait "$server"
