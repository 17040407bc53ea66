#!/usr/bin/env bash
# Start-up of mailgov beside an empty Quarkus application built from the same BOM and extensions
# (bench/empty-app). Per configuration, over N warm starts (median): wall time from launch until
# /q/health/ready answers 200, the JVM's CPU time until then (stable on a busy machine; the embedded
# PostgreSQL's own processes are not in it), and RSS after 10 s idle. Then the ratios.
#
#   bench/startup.sh [runs=5]
#   BENCH_JAVA_OPTS="-Xms64m -Xmx512m -XX:+UseSerialGC" bench/startup.sh 3   # the same JVM options for both apps
#   BENCH_APPCDS=1 bench/startup.sh 3   # each app's uncounted first start writes its own AppCDS archive
#                                       # (-XX:ArchiveClassesAtExit, whole start-up), the counted starts use it
#
# Needs a built mailgov (command 1 of the README), curl, python3, psql and a PostgreSQL for the
# side-by-side run (BENCH_PG_HOST/BENCH_PG_PORT/BENCH_PG_USER, default 127.0.0.1:5432 postgres,
# trust auth): both applications start against their own fresh database there, so the comparison is
# the Java side alone. "mailgov, embedded" is what a new user runs (its own PostgreSQL in ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/mailgov-startup.XXXXXX)
CLK=$(getconf CLK_TCK)

JAR=${BENCH_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}  # BENCH_JAR: another build, for before/after
[ -f "$JAR" ] || mvn -q -DskipTests package
[ -f bench/empty-app/target/quarkus-app/quarkus-run.jar ] || (cd bench/empty-app && mvn -q -DskipTests package)
exts() { grep -o '<artifactId>quarkus-[a-z-]*</artifactId></dependency>' "$1" | grep -v junit | sort; }
diff <(exts pom.xml) <(exts bench/empty-app/pom.xml) >/dev/null \
  || echo "warning: bench/empty-app/pom.xml has other extensions than pom.xml" >&2

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

DBS=()
new_db() { # a fresh database on the shared PostgreSQL
  local name="startup_bench_$1_$$"
  psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "CREATE DATABASE $name" >/dev/null
  DBS+=("$name")
  echo "jdbc:postgresql://$PG_HOST:$PG_PORT/$name"
}
cleanup() {
  for db in "${DBS[@]}"; do psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null || true; done
}
trap cleanup EXIT

# one_start NAME JAR DIR [ENV=VALUE…] → "ready_ms cpu_ms rss_mb" on stdout
one_start() {
  local jar=$1 dir=$2; shift 2
  local port; port=$(free_port)
  local t0; t0=$(date +%s%N)
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
  (cd "$dir" && exec env QUARKUS_HTTP_PORT="$port" "$@" java ${BENCH_JAVA_OPTS:-} $(cds_opt "$dir") -jar "$jar" >>"$dir/out.log" 2>&1) &
  local pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "did not start; see $dir/out.log" >&2; exit 1; fi
    sleep 0.05
  done
  local t1; t1=$(date +%s%N)
  local ticks; ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  sleep 10
  local rss; rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(( (t1 - t0) / 1000000 )) $(( ticks * 1000 / CLK )) $rss"
}

# AppCDS (BENCH_APPCDS=1): an archive is only used with the exact jar path it was written with, so
# each app writes its own from its first (uncounted) start, which ends with SIGTERM like the others.
cds_opt() {
  [ "${BENCH_APPCDS:-0}" = 1 ] || return 0
  if [ -f "$1/app.jsa" ]; then echo "-XX:SharedArchiveFile=$1/app.jsa"; else echo "-XX:ArchiveClassesAtExit=$1/app.jsa"; fi
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

measure() { # NAME JAR [ENV…] → prints a row, sets READY/CPU/RSS
  local name=$1 jar=$2; shift 2
  local dir="$WORK/${name// /-}"; mkdir -p "$dir"
  one_start "$jar" "$dir" "$@" >/dev/null   # the first start creates the data; not counted (warm starts only)
  [ "${BENCH_APPCDS:-0}" = 1 ] && for _ in $(seq 50); do [ -f "$dir/app.jsa" ] && break; sleep 0.2; done
  local rows=()
  for _ in $(seq "$RUNS"); do rows+=("$(one_start "$jar" "$dir" "$@")"); done
  READY=$(printf '%s\n' "${rows[@]}" | cut -d' ' -f1 | median)
  CPU=$(printf '%s\n' "${rows[@]}" | cut -d' ' -f2 | median)
  RSS=$(printf '%s\n' "${rows[@]}" | cut -d' ' -f3 | median)
  printf '%-26s ready %6d ms   JVM CPU %6d ms   idle RSS %4d MB   (runs: %s)\n' "$name" "$READY" "$CPU" "$RSS" \
    "$(printf '%s; ' "${rows[@]}")"
}

echo "start-up, median of $RUNS warm starts ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)), java options: ${BENCH_JAVA_OPTS:-none}, AppCDS: ${BENCH_APPCDS:-0}"
measure "mailgov, embedded" "$JAR" MAILGOV_ADMIN_PASSWORD=bench-admin-password-1
measure "mailgov, shared PostgreSQL" "$JAR" MAILGOV_ADMIN_PASSWORD=bench-admin-password-1 \
  QUARKUS_DATASOURCE_JDBC_URL="$(new_db mailgov)" QUARKUS_DATASOURCE_USERNAME="$PG_USER"
M_READY=$READY M_CPU=$CPU M_RSS=$RSS
measure "empty app, same extensions" "$ROOT/bench/empty-app/target/quarkus-app/quarkus-run.jar" \
  QUARKUS_DATASOURCE_JDBC_URL="$(new_db empty)" QUARKUS_DATASOURCE_USERNAME="$PG_USER"
awk -v a="$M_READY" -v b="$READY" -v c="$M_CPU" -v d="$CPU" -v e="$M_RSS" -v f="$RSS" 'BEGIN {
  printf "mailgov ÷ empty app:       ready %.2f×   JVM CPU %.2f×   idle RSS %.2f×\n", a / b, c / d, e / f }'
echo "logs: $WORK"
