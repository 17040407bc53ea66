#!/usr/bin/env bash
# Benchmark: submit+approve throughput over HTTP (with audit) against pgbench single-row INSERT
# TPS, side by side, on the same PostgreSQL (127.0.0.1:5432 unless BENCH_PG_HOST/PORT say
# otherwise). Starts its own mailgov on 127.0.0.1 and stops it (by PID) when done.
#   bench/submit-approve.sh [clients=8] [seconds=20]
# BENCH_JAVA_OPTS is passed to the service's JVM (e.g. -XX:StartFlightRecording=... to profile it).
# BENCH_WARMUP: seconds of load before the measured window (default 15).
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-8}
SECONDS_RUN=${2:-20}
PGHOST=${BENCH_PG_HOST:-127.0.0.1}
PGPORT=${BENCH_PG_PORT:-5432}
PGUSER=${BENCH_PG_USER:-postgres}
DB=mailgov_bench_$$
PORT=${BENCH_PORT:-18080}
ADMIN_PW="bench-admin-$RANDOM-$RANDOM"
PW="bench-password-1"
WORK=$(mktemp -d)

JAR=${BENCH_JAR:-target/quarkus-app/quarkus-run.jar}  # BENCH_JAR: another build, for before/after
[ -f "$JAR" ] || mvn -q -DskipTests package

psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "CREATE DATABASE $DB" -c "CREATE DATABASE ${DB}_pgbench"
cleanup() {
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
    -c "DROP DATABASE IF EXISTS ${DB}_pgbench WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "${BENCH_PGBENCH:-1}" = 1 ]; then  # BENCH_PGBENCH=0: mailgov only (profiling runs)
  echo "== pgbench: single-row INSERT, $CLIENTS clients, ${SECONDS_RUN}s"
  psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "${DB}_pgbench" -c "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, v int, at timestamptz DEFAULT now())"
  echo 'INSERT INTO bench_insert (v) VALUES (1);' > "$WORK/insert.sql"
  pgbench -n -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -c "$CLIENTS" -j 2 -T "$SECONDS_RUN" -f "$WORK/insert.sql" "${DB}_pgbench" \
    | tee "$WORK/pgbench.txt" | grep -E "^tps|latency average"
  PGB_TPS=$(grep -Eo '^tps = [0-9.]+' "$WORK/pgbench.txt" | grep -Eo '[0-9.]+')
else
  PGB_TPS=0
fi

WARMUP=${BENCH_WARMUP:-15}; export BENCH_WARMUP=$WARMUP  # seconds of load before the measured window
echo "== mailgov: submit + approve over HTTP, $CLIENTS clients, ${SECONDS_RUN}s (after $WARMUP s warm-up)"
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
QUARKUS_HTTP_PORT=$PORT MAILGOV_ADMIN_PASSWORD="$ADMIN_PW" MAILGOV_INTERNAL_DOMAINS=corp.example QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT=PT60S QUARKUS_LOG_LEVEL=WARN \
  java ${BENCH_JAVA_OPTS:-} -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || { echo "mailgov did not start:"; tail -30 "$WORK/app.log"; exit 1; }
API="http://127.0.0.1:$PORT/api/v1"
post() { curl -sS --fail-with-body -u "admin:$ADMIN_PW" -H 'Content-Type: application/json' -d "$2" "$API/$1" >/dev/null; }
post departments '{"code":"BENCH","name":"ベンチ"}'
post departments '{"code":"SYS","name":"システム部"}'
post users "{\"username\":\"bench-req\",\"password\":\"$PW\",\"roles\":[\"requester\"],\"department\":\"BENCH\"}"
post users "{\"username\":\"bench-appr\",\"password\":\"$PW\",\"roles\":[\"approver\"],\"department\":\"SYS\"}"
pending() { psql -qtA -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -c "SELECT count(*) FROM push_job WHERE status = 'PENDING'"; }
cpu_ms() { awk -v tck="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) * 1000 / tck }' "/proc/$APP_PID/stat"; }
(sleep "$WARMUP"; echo "push jobs pending when the measured window opened: $(pending)") &
java bench/SubmitApproveBench.java "http://127.0.0.1:$PORT" BENCH "bench-req:$PW" "bench-appr:$PW" "$CLIENTS" "$SECONDS_RUN" \
  "$APP_PID" "$(getconf CLK_TCK)" \
  | tee "$WORK/mailgov.txt"
PAIRS=$(grep -Eo 'pairs/s=[0-9.]+' "$WORK/mailgov.txt" | grep -Eo '[0-9.]+')
# Pushes still queued when the window ends were not paid for inside it: a worker that falls behind looks cheap.
echo "push jobs still pending at the end: $(psql -qtA -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" \
  -c "SELECT count(*) FROM push_job WHERE status = 'PENDING'") of $(psql -qtA -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" \
  -c "SELECT count(*) FROM push_job")"
# A build whose push worker falls behind leaves work outside the window: give it up to BENCH_DRAIN seconds
# (default 60) to finish, and print what that cost, so the push work is charged to someone.
LEFT=$(pending); CPU0=$(cpu_ms); WAITED=0
while [ "$(pending)" != 0 ] && [ "$WAITED" -lt "${BENCH_DRAIN:-60}" ]; do sleep 1; WAITED=$((WAITED + 1)); done
echo "drain: $((LEFT - $(pending))) of $LEFT pending push jobs done in ${WAITED} s, service CPU $(echo "$(cpu_ms) - $CPU0" | bc) ms"
curl -s -u "admin:$ADMIN_PW" "$API/audit/verify"; echo
echo "== side by side"
echo "pgbench single-row INSERT tps:         $PGB_TPS"
if [ "$PGB_TPS" != 0 ]; then
  echo "mailgov submit+approve pairs/s:        $PAIRS  (ratio $(echo "scale=3; $PAIRS / $PGB_TPS" | bc))"
  echo "mailgov write transactions/s (2/pair): $(echo "scale=1; 2 * $PAIRS" | bc)  (ratio $(echo "scale=3; 2 * $PAIRS / $PGB_TPS" | bc))"
else
  echo "mailgov submit+approve pairs/s:        $PAIRS"
fi
echo "mailgov CPU per pair:                  $(grep -Eo 'cpu_ms_per_pair=[0-9.]+' "$WORK/mailgov.txt" | grep -Eo '[0-9.]+') ms, without the JIT compiler $(grep -Eo 'cpu_ms_per_pair_nojit=[0-9.]+' "$WORK/mailgov.txt" | grep -Eo '[0-9.]+') ms  (machine load $(cut -d' ' -f1-3 /proc/loadavg))"
