#!/usr/bin/env bash
# Reliability suite (issue 12): the packaged service under load and faults, on a PostgreSQL of its own.
#   bench/reliability.sh [clients=200] [minutes=10]
# Phases (REL_PHASES=load,outage,blackhole,kill; see bench/ReliabilityBench.java):
#   1 load       N clients of mixed submit/approve/reject/read for M minutes: 0 × 5xx, audit rows = actions, chain valid
#   2 outage     PostgreSQL stopped (pg_ctl stop -m fast) for REL_OUTAGE_SECONDS (20) under load: only 503 problems,
#                readiness DOWN, recovery without restarting mailgov, nothing lost or duplicated
#   3 blackhole  a Mailman endpoint that accepts TCP and never answers, in ENFORCE beside a FILE server
#   4 kill       mailgov SIGKILLed under load REL_KILLS (5) times and started again: accepted requests whole
# Ends non-zero when a guarantee fails. Its PostgreSQL (initdb in a temp folder, a free port on 127.0.0.1)
# and its mailgov are stopped by PID at the end; the machine's PostgreSQL is never touched.
# REL_KEEP=1 keeps the work folder (logs, database) for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
export REL_CLIENTS=${1:-${REL_CLIENTS:-200}}
export REL_MINUTES=${2:-${REL_MINUTES:-10}}
export REL_PG_BIN=${REL_PG_BIN:-/usr/lib/postgresql/15/bin}
export REL_JAR=${REL_JAR:-target/quarkus-app/quarkus-run.jar}
[ -f "$REL_JAR" ] || mvn -q -DskipTests package
WORK=$(mktemp -d /tmp/mailgov-rel.XXXXXX)
export REL_WORK=$WORK REL_PG_DATA=$WORK/pg
REL_PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export REL_PG_PORT

export REL_PG_AS=""
cleanup() {
  # only what this script started: its mailgov (PID file written by the driver) and its PostgreSQL
  if [ -f "$WORK/app.pid" ]; then kill "$(cat "$WORK/app.pid")" 2>/dev/null || true; fi
  $REL_PG_AS "$REL_PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  if [ -n "${REL_KEEP:-}" ]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# PostgreSQL refuses to run as root: then it runs as the postgres account, in folders it owns
mkdir -p "$WORK/pg" "$WORK/pgrun"
if [ "$(id -u)" = 0 ]; then
  chmod 711 "$WORK"; chown postgres: "$WORK/pg" "$WORK/pgrun"; REL_PG_AS="runuser -u postgres --"
fi
$REL_PG_AS "$REL_PG_BIN/initdb" -D "$WORK/pg" -U mailgov --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log"
cat >>"$WORK/pg/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $REL_PG_PORT
unix_socket_directories = '$WORK/pgrun'
max_connections = 100
shared_buffers = 128MB
EOF
$REL_PG_AS "$REL_PG_BIN/pg_ctl" -D "$WORK/pg" -w -l "$WORK/pgrun/pg.log" start >/dev/null
"$REL_PG_BIN/createdb" -h 127.0.0.1 -p "$REL_PG_PORT" -U mailgov mailgov

PGJDBC=$(ls "$(dirname "$REL_JAR")"/lib/main/org.postgresql.postgresql-*.jar | head -1)
echo "== reliability: $REL_CLIENTS clients, $REL_MINUTES min load; PostgreSQL 127.0.0.1:$REL_PG_PORT ($WORK); $(nproc) cores; $(uptime)"
java -cp "$PGJDBC" bench/ReliabilityBench.java
echo "== $(uptime)"
