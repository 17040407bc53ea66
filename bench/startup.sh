#!/usr/bin/env bash
# Start-up of mailgov beside an empty Quarkus application built from the same BOM and extensions
# (bench/empty-app). Per configuration, over N warm starts (median): wall time from launch until
# /q/health/ready answers 200, the JVM's CPU time until then (stable on a busy machine; the embedded
# PostgreSQL's own processes are not in it), and RSS after 10 s idle. Then the ratios.
#
#   bench/startup.sh [runs=5]   # mailgov as README command 1 starts it (target/quarkus-app/mailgov: its JVM
#                               # options and AppCDS archive); the empty app with the same options and an archive
#   BENCH_PLAIN=1 bench/startup.sh 3   # both apps with plain `java -jar` (the JVM's defaults), no archive
#   BENCH_JAVA_OPTS="-Xlog:cds" bench/startup.sh 3   # more JVM options for both apps
#   BENCH_PLAIN=1 BENCH_APPCDS=1 bench/startup.sh 3  # plain, but each app writes an AppCDS archive in its uncounted
#                                                    # first start (-XX:ArchiveClassesAtExit) that the others use
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
  (cd "$dir" && exec env QUARKUS_HTTP_PORT="$port" "$@" $(command_for "$jar" "$dir") >>"$dir/out.log" 2>&1) &
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

# How an app is started: mailgov through its launcher unless BENCH_PLAIN=1; an app without a launcher
# (the empty app) with the launcher's JVM options, malloc arenas and an AppCDS archive of its own.
LAUNCHER_OPTS=$(sed -n 's/^jvm_opts="\(.*\)".*/\1/p' src/main/launcher/mailgov)
[ "${BENCH_PLAIN:-0}" = 1 ] || { APPCDS=1; export MALLOC_ARENA_MAX=2 JAVA_OPTS="${BENCH_JAVA_OPTS:-}"; }
APPCDS=${APPCDS:-${BENCH_APPCDS:-0}}
command_for() { # JAR DIR
  local launcher; launcher="$(dirname "$1")/mailgov"
  if [ "${BENCH_PLAIN:-0}" != 1 ] && [ -x "$launcher" ]; then
    echo "$launcher"
  elif [ "${BENCH_PLAIN:-0}" != 1 ]; then
    echo "java $LAUNCHER_OPTS ${BENCH_JAVA_OPTS:-} $(cds_opt "$2") -jar $1"
  else
    echo "java ${BENCH_JAVA_OPTS:-} $(cds_opt "$2") -jar $1"
  fi
}
# AppCDS: an archive is only used with the exact jar path it was written with, so each app writes its own
# in its first (uncounted) start, which ends with SIGTERM like the others (the launcher does this itself).
cds_opt() {
  [ "$APPCDS" = 1 ] || return 0
  if [ -f "$1/app.jsa" ]; then echo "-XX:SharedArchiveFile=$1/app.jsa"; else echo "-XX:ArchiveClassesAtExit=$1/app.jsa"; fi
}
archive_written() { # JAR DIR: the archive the first start wrote at exit, if this configuration writes one
  [ "$APPCDS" = 1 ] || return 0
  for _ in $(seq 100); do
    if [ -f "$2/app.jsa" ] || ls "$(dirname "$1")"/mailgov-*.jsa >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

measure() { # NAME JAR [ENV…] → prints a row, sets READY/CPU/RSS
  local name=$1 jar=$2; shift 2
  local dir="$WORK/${name// /-}"; mkdir -p "$dir"
  one_start "$jar" "$dir" "$@" >/dev/null   # the first start creates the data; not counted (warm starts only)
  archive_written "$jar" "$dir"
  local rows=()
  for _ in $(seq "$RUNS"); do rows+=("$(one_start "$jar" "$dir" "$@")"); done
  READY=$(printf '%s\n' "${rows[@]}" | cut -d' ' -f1 | median)
  CPU=$(printf '%s\n' "${rows[@]}" | cut -d' ' -f2 | median)
  RSS=$(printf '%s\n' "${rows[@]}" | cut -d' ' -f3 | median)
  printf '%-26s ready %6d ms   JVM CPU %6d ms   idle RSS %4d MB   (runs: %s)\n' "$name" "$READY" "$CPU" "$RSS" \
    "$(printf '%s; ' "${rows[@]}")"
}

echo "start-up, median of $RUNS warm starts ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)), $([ "${BENCH_PLAIN:-0}" = 1 ] && echo "plain java -jar" || echo "launcher options: $LAUNCHER_OPTS"), more java options: ${BENCH_JAVA_OPTS:-none}, AppCDS: $APPCDS"
measure "mailgov, embedded" "$JAR" MAILGOV_ADMIN_PASSWORD=bench-admin-password-1
measure "mailgov, shared PostgreSQL" "$JAR" MAILGOV_ADMIN_PASSWORD=bench-admin-password-1 \
  QUARKUS_DATASOURCE_JDBC_URL="$(new_db mailgov)" QUARKUS_DATASOURCE_USERNAME="$PG_USER"
M_READY=$READY M_CPU=$CPU M_RSS=$RSS
measure "empty app, same extensions" "$ROOT/bench/empty-app/target/quarkus-app/quarkus-run.jar" \
  QUARKUS_DATASOURCE_JDBC_URL="$(new_db empty)" QUARKUS_DATASOURCE_USERNAME="$PG_USER"
awk -v a="$M_READY" -v b="$READY" -v c="$M_CPU" -v d="$CPU" -v e="$M_RSS" -v f="$RSS" 'BEGIN {
  printf "mailgov ÷ empty app:       ready %.2f×   JVM CPU %.2f×   idle RSS %.2f×\n", a / b, c / d, e / f }'
echo "logs: $WORK"
