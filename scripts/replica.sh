#!/usr/bin/env bash
# A PostgreSQL streaming replica on this machine, for the read-replica tests
# and for trying DATABASE_REPLICA_URL on bare metal (Debian's postgresql-common).
#
#   bash scripts/replica.sh start    # create if missing (pg_basebackup -R), start, wait for streaming
#   bash scripts/replica.sh stop     # stop it (the platform then reads on the primary)
#   bash scripts/replica.sh status   # running or not, streaming or not, replay lag
#   bash scripts/replica.sh rebuild  # throw it away and copy the primary again
#
# The replica is a second cluster ("replica", port 5433 unless REPLICA_PORT)
# of the primary's PostgreSQL version, streaming from 127.0.0.1:5432 (or
# PRIMARY_PORT). The primary must accept replication connections from
# 127.0.0.1: the script adds that line to its pg_hba.conf once and reloads it.
# Run as root or as the postgres user.
set -euo pipefail

PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
NAME=${REPLICA_CLUSTER:-replica}
VERSION=${PG_VERSION:-$(pg_lsclusters -h | awk -v p="$PRIMARY_PORT" '$3 == p {print $1; exit}')}
PRIMARY=$(pg_lsclusters -h | awk -v p="$PRIMARY_PORT" '$3 == p {print $2; exit}')
if [ -z "$VERSION" ] || [ -z "$PRIMARY" ]; then
  echo "No PostgreSQL cluster listens on port $PRIMARY_PORT (pg_lsclusters)." >&2
  exit 1
fi
DATA=/var/lib/postgresql/$VERSION/$NAME
CONF=/etc/postgresql/$VERSION/$NAME
PRIMARY_CONF=/etc/postgresql/$VERSION/$PRIMARY

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
sql() {  # sql PORT QUERY
  psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -XAtqc "$2"
}

primary_allows_replication() {
  local line="host replication all 127.0.0.1/32 trust"
  if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' \
    "$PRIMARY_CONF/pg_hba.conf"; then
    echo "==> Allowing replication from 127.0.0.1 on the primary (pg_hba.conf)"
    printf '# Added by scripts/replica.sh: the local streaming replica.\n%s\n' "$line" \
      >>"$PRIMARY_CONF/pg_hba.conf"
    sql "$PRIMARY_PORT" "SELECT pg_reload_conf()" >/dev/null
  fi
  if [ "$(sql "$PRIMARY_PORT" "SHOW wal_level")" = minimal ]; then
    echo "The primary's wal_level is minimal: set it to replica and restart it." >&2
    exit 1
  fi
}

exists() { [ -f "$DATA/PG_VERSION" ] && [ -d "$CONF" ]; }
running() { pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q; }
streaming() {
  [ "$(sql "$REPLICA_PORT" "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = streaming ]
}

create() {
  primary_allows_replication
  echo "==> Creating the replica cluster $VERSION/$NAME on port $REPLICA_PORT"
  if [ ! -d "$CONF" ]; then
    pg_createcluster --user=postgres "$VERSION" "$NAME" -p "$REPLICA_PORT" >/dev/null
  fi
  # The primary's client rules (the tests sign in as it does), and a standby
  # that tells the primary what it reads, so long exports are not cancelled.
  cp "$PRIMARY_CONF/pg_hba.conf" "$CONF/pg_hba.conf"
  chown postgres:postgres "$CONF/pg_hba.conf" 2>/dev/null || true
  cat >"$CONF/conf.d/replica.conf" <<CONFEOF
# Written by scripts/replica.sh
port = $REPLICA_PORT
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = 30s
CONFEOF
  rm -rf "$DATA"
  if [ "$(id -un)" = postgres ]; then mkdir -m 700 "$DATA"
  else install -d -o postgres -g postgres -m 700 "$DATA"; fi
  echo "==> Copying the primary (pg_basebackup -R, WAL streamed)"
  as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DATA" \
    -R -X stream --checkpoint=fast
}

start() {
  exists || create
  if ! running; then
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start
  fi
  for _ in $(seq 60); do
    streaming && break
    sleep 0.5
  done
  if ! streaming; then
    # Stopped too long: the primary no longer keeps the WAL it needs.
    echo "==> The replica does not stream: copying the primary again" >&2
    rebuild
    return
  fi
  echo "Replica $VERSION/$NAME streaming on port $REPLICA_PORT"
}

stop() {
  if exists && running; then
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" stop -m fast
  fi
  echo "Replica $VERSION/$NAME stopped"
}

rebuild() {
  if exists && running; then
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" stop -m fast
  fi
  rm -rf "$DATA"
  create
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start
  for _ in $(seq 60); do
    streaming && break
    sleep 0.5
  done
  streaming || { echo "The replica does not stream: see /var/log/postgresql/" >&2; exit 1; }
  echo "Replica $VERSION/$NAME streaming on port $REPLICA_PORT"
}

status() {
  if ! exists; then
    echo "Replica $VERSION/$NAME: not created"
    return 3
  fi
  if ! running; then
    echo "Replica $VERSION/$NAME: stopped"
    return 3
  fi
  sql "$REPLICA_PORT" "SELECT 'Replica $VERSION/$NAME on port $REPLICA_PORT: '
    || coalesce((SELECT status FROM pg_stat_wal_receiver), 'not streaming')
    || ', replay lag ' || CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
      THEN '0' ELSE coalesce(round(extract(epoch FROM now()
        - pg_last_xact_replay_timestamp()))::text, '?') END || ' s'
    || CASE WHEN pg_is_wal_replay_paused() THEN ' (replay paused)' ELSE '' END"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  rebuild) rebuild ;;
  *) echo "usage: $0 start|stop|status|rebuild" >&2; exit 2 ;;
esac
