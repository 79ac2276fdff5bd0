#!/usr/bin/env bash
# One logical backup of the platform's PostgreSQL database:
#   DATABASE_URL=postgres://… BACKUP_DIR=/backups bash scripts/backup.sh
# pg_dump's custom format (restore it with scripts/restore.sh) into
# BACKUP_DIR/tcns-YYYYMMDD-HHMMSS.dump (UTC). The dump is written to a .part
# file and renamed only once pg_dump succeeded, so a file named .dump is always
# a whole backup. Then backups older than BACKUP_KEEP_DAYS days (14) are
# deleted, and, when BACKUP_OFFSITE_DIR is set, the new file is copied there
# too (same .part-then-rename, same retention). Non-zero exit on any failure.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
dir=${BACKUP_DIR:-backups}
keep_days=${BACKUP_KEEP_DAYS:-14}
offsite=${BACKUP_OFFSITE_DIR:-}
prefix=${BACKUP_PREFIX:-tcns}

case "$keep_days" in
  '' | *[!0-9]*) echo "BACKUP_KEEP_DAYS must be a whole number of days." >&2; exit 2 ;;
esac

# Deletes the backups (and leftover .part files) older than keep_days in $1.
prune() {
  find "$1" -maxdepth 1 -type f \( -name "$prefix-*.dump" -o -name "$prefix-*.dump.part" \) \
    -mmin +$((keep_days * 1440)) -print -delete | sed 's/^/Deleted (older than '"$keep_days"' days): /'
}

mkdir -p "$dir"
name="$prefix-$(date -u +%Y%m%d-%H%M%S).dump"
part="$dir/$name.part"
trap 'rm -f "$part" ${offsite:+"$offsite/$name.part"}' EXIT
started=$(date +%s.%N)
pg_dump --format=custom --no-password --file="$part" --dbname="$DATABASE_URL"
mv "$part" "$dir/$name"
finished=$(date +%s.%N)
size=$(wc -c <"$dir/$name")
awk -v f="$dir/$name" -v s="$size" -v a="$started" -v b="$finished" \
  'BEGIN { printf "Backup %s: %.1f MB (%d bytes) in %.1f s\n", f, s / 1048576, s, b - a }'
prune "$dir"

if [ -n "$offsite" ]; then
  mkdir -p "$offsite"
  cp "$dir/$name" "$offsite/$name.part"
  mv "$offsite/$name.part" "$offsite/$name"
  echo "Copied off-site: $offsite/$name"
  prune "$offsite"
fi
