#!/usr/bin/env bash
# The benchmark suite in one command, on fresh PostgreSQL databases:
#   bash benchmarks/run.sh [--scale small|ward|province|national] [--only B4,B5] [--strict]
# Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/;
# databases bench_scratch, bench_full, bench_low, or BENCH_DATABASE_PREFIX_…)
# and Redis (BENCH_REDIS_URL, default db 15 at 127.0.0.1:6379: emptied after the
# seeds); installs wrk and chromium when missing (as root).
set -euo pipefail
# The page-weight benchmark drives Chromium through Playwright (a dev extra).
EXTRAS=dev source "$(dirname "$0")/../scripts/setup.sh"

server=${BENCH_DATABASE_URL:-postgres://postgres@${BENCH_DATABASE_HOST:-127.0.0.1:5432}/}
if ! python - "$server" <<'PY'
import sys, urllib.parse, psycopg2
url = urllib.parse.urlsplit(sys.argv[1])._replace(path="/postgres").geturl()
psycopg2.connect(url, connect_timeout=5).close()
PY
then
  echo "PostgreSQL is not reachable at $server: start it (or set BENCH_DATABASE_URL)." >&2
  exit 1
fi
# The run's own Redis database (emptied after seeding), whatever REDIS_URL says.
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/15}
if ! python -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=5).ping()" "$REDIS_URL" 2>/dev/null; then
  echo "Redis is not reachable at $REDIS_URL: start it (redis-server)." >&2
  exit 1
fi

need=()
command -v wrk >/dev/null || need+=(wrk)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> Installing Debian's ${need[*]} for the benchmarks"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "The benchmarks need Debian's ${need[*]}: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi

exec python benchmarks/run.py "$@"
