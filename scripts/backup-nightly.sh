#!/usr/bin/env bash
# The compose "backup" service: scripts/backup.sh once when it starts (unless
# BACKUP_ON_START=0), then every night at BACKUP_HOUR_UTC (19, that is 02:00 in
# Vietnam). A failed night is reported in the service's log and retried the
# next night; the service's health check turns unhealthy when the newest
# backup is more than 26 hours old.
set -euo pipefail
hour=${BACKUP_HOUR_UTC:-19}
case "$hour" in
  [0-9] | 1[0-9] | 2[0-3]) ;;
  *) echo "BACKUP_HOUR_UTC must be an hour from 0 to 23." >&2; exit 2 ;;
esac
here=$(dirname "$0")
if [ "${BACKUP_ON_START:-1}" != 0 ]; then
  bash "$here/backup.sh" || echo "Backup FAILED" >&2
fi
while true; do
  now=$(date +%s)
  wait=$(( (hour * 3600 - now % 86400 + 86400) % 86400 ))
  [ "$wait" -gt 0 ] || wait=86400
  echo "Next backup in $wait s (at $hour:00 UTC)"
  sleep "$wait"
  bash "$here/backup.sh" || echo "Backup FAILED" >&2
done
