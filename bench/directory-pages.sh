#!/usr/bin/env bash
# Benchmark: page through the synthetic 282k-object directory (bench/policy-engine.sh's) over
# GET /api/v1/directory, then download the streamed CSV export, against a mailgov started with the
# heap the Helm chart's 768 MiB memory limit gives it (-Xmx384m: the image's 50 % of the limit).
# Reports times and the service's peak RSS (VmHWM). PostgreSQL at 127.0.0.1:5432 unless
# BENCH_PG_HOST/PORT say otherwise; starts its own mailgov on 127.0.0.1 and stops it by PID.
#   bench/directory-pages.sh [limit=1000]
# BENCH_BASELINE_APP=/path/to/quarkus-app: also measure that build's unpaged GET /api/v1/directory
# (e.g. a build from before paging) with the same heap, on a database of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT=${1:-1000}
PGHOST=${BENCH_PG_HOST:-127.0.0.1}
PGPORT=${BENCH_PG_PORT:-5432}
PORT=${BENCH_PORT:-18083}
HEAP=${BENCH_HEAP:--Xmx384m}
ADMIN_PW="bench-admin-$RANDOM-$RANDOM"
WORK=$(mktemp -d /tmp/mailgov-pages-XXXXXX)

mvn -q -DskipTests package
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="target/classes:target/test-classes:$(cat target/bench.classpath)"

DBS=()
cleanup() {
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  for db in "${DBS[@]}"; do psql -q -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# run <quarkus-app dir> <label> <read args...>
run() {
  local app=$1 label=$2; shift 2
  local db=mailgov_pages_$$_${#DBS[@]}
  DBS+=("$db")
  psql -q -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -c "CREATE DATABASE $db"
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$db" QUARKUS_DATASOURCE_USERNAME=postgres \
  QUARKUS_HTTP_PORT=$PORT MAILGOV_ADMIN_PASSWORD="$ADMIN_PW" MAILGOV_DATA_DIR="$WORK/data-$db" QUARKUS_LOG_LEVEL=WARN \
    java $HEAP -jar "$app/quarkus-run.jar" > "$WORK/$db.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || { echo "mailgov did not start:"; tail -30 "$WORK/$db.log"; exit 1; }
  curl -sS --fail-with-body -u "admin:$ADMIN_PW" -H 'Content-Type: application/json' -d '{"code":"BENCH","name":"ベンチ"}' \
    "http://127.0.0.1:$PORT/api/v1/departments" >/dev/null
  java -cp "$CP" com.mailgov.bench.DirectoryPagingBenchmark load "jdbc:postgresql://$PGHOST:$PGPORT/$db" postgres
  echo "== $label (heap $HEAP)"
  echo "RSS before reading: $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$APP_PID/status)"
  java -cp "$CP" com.mailgov.bench.DirectoryPagingBenchmark read "http://127.0.0.1:$PORT" "admin:$ADMIN_PW" "$@" || true
  if kill -0 "$APP_PID" 2>/dev/null; then
    echo "peak RSS: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$APP_PID/status); still running"
  else
    echo "the service exited: $(grep -m1 -i 'OutOfMemoryError' "$WORK/$db.log" || tail -3 "$WORK/$db.log")"
  fi
  grep -m1 -i 'OutOfMemoryError' "$WORK/$db.log" && echo "(OutOfMemoryError in the service's log)" || true
  grep -m2 -E 'ERROR|Exception' "$WORK/$db.log" | cut -c1-300 || true
  kill "$APP_PID" 2>/dev/null; wait "$APP_PID" 2>/dev/null || true
  APP_PID=
}

run target/quarkus-app "paged" "$LIMIT"
if [ -n "${BENCH_BASELINE_APP:-}" ]; then
  run "$BENCH_BASELINE_APP" "baseline, unpaged" "$LIMIT" unpaged
fi
