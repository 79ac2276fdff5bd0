#!/usr/bin/env bash
# Brings a backup made by scripts/backup.sh into an empty database:
#   bash scripts/restore.sh [--force] <backup.dump> [DATABASE_URL]
# The target is the second argument, else $DATABASE_URL; it is created when it
# does not exist. A database that already holds tables is refused, unless
# --force: then everything in its public schema is dropped first. After
# pg_restore, when this runs beside the platform's code (manage.py and Python
# found), `manage.py migrate` (nothing to do when the code is the backup's
# version) and `manage.py rebuild_stats` run; elsewhere (the compose backup
# container) `docker compose up -d` runs the migrations afterwards.
set -euo pipefail

force=0
if [ "${1:-}" = "--force" ]; then
  force=1
  shift
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "Usage: $0 [--force] <backup.dump> [DATABASE_URL]" >&2
  exit 2
fi
file=$1
url=${2:-${DATABASE_URL:-}}
if [ -z "$url" ]; then
  echo "Name the target database: second argument or DATABASE_URL." >&2
  exit 2
fi
if [ ! -s "$file" ]; then
  echo "No backup at $file." >&2
  exit 2
fi
pg_restore --list "$file" >/dev/null

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
started=$(now)

# The database itself: created on the server's maintenance database if missing.
name=${url##*/}
name=${name%%\?*}
if ! psql --no-password -q -d "$url" -c 'SELECT 1' >/dev/null 2>&1; then
  server=${url%/*}
  echo "Creating database $name"
  psql --no-password -q -v ON_ERROR_STOP=1 -d "$server/postgres" \
    -c "CREATE DATABASE \"$name\"" >/dev/null
fi

tables=$(psql --no-password -qtA -d "$url" \
  -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
  if [ "$force" != 1 ]; then
    echo "Database $name is not empty ($tables tables): refusing to restore into it." >&2
    echo "Restore into a new database, or add --force to drop everything in it first." >&2
    exit 3
  fi
  echo "--force: dropping the $tables tables of $name"
  psql --no-password -q -v ON_ERROR_STOP=1 -d "$url" \
    -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public' >/dev/null
fi

jobs=${RESTORE_JOBS:-$(nproc 2>/dev/null || echo 2)}
pg_restore --no-owner --no-privileges --exit-on-error --jobs="$jobs" \
  --no-password --dbname="$url" "$file"
echo "pg_restore of $file into $name: $(took "$started") s"

here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python}
if [ -f "$here/manage.py" ] && command -v "$python" >/dev/null; then
  step=$(now)
  (cd "$here" && DATABASE_URL=$url "$python" manage.py migrate --noinput -v0)
  echo "migrate: $(took "$step") s"
  (cd "$here" && DATABASE_URL=$url "$python" manage.py rebuild_stats)
else
  echo "Not beside the platform's code: run the migrations next (docker compose up -d)."
fi
echo "Restore done in $(took "$started") s"
