#!/usr/bin/env bash
# Decision throughput and latency of three Postfix policy servers under the same open-loop load
# (src/test/java/com/mailgov/bench/PolicyLoadBench.java): mailgov's loop guard (packaged jar, policy
# delegation and milter on its one port), postfwd2 and policyd-rate-limit (Debian packages, configs
# in bench/peers/, a per sender→recipient rate limit as far as each one's documentation allows).
# Everything on 127.0.0.1, on ports picked here; every server is stopped by its PID.
#
#   bench/policy-load.sh [rate=2000] [seconds=30] [systems="mailgov mailgov-milter postfwd policyd-rate-limit"]
#
# BENCH_NICE=-10 runs servers and load generator at that priority (a shared machine's run queue
# otherwise dominates the tail). BENCH_EDGES=1000000 also drives that many distinct edges through mailgov (distinct mode, as fast as
# BENCH_EDGES_RATE, default 5000/s) and reports heap after a full GC, RSS, the guard's overflow
# counter and the shared window's rows before and after.
# Needs a PostgreSQL for mailgov (BENCH_PG_HOST/PORT/USER, default 127.0.0.1:5432 postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-2000}
SECS=${2:-30}
SYSTEMS=${3:-"mailgov mailgov-milter postfwd policyd-rate-limit"}
PGHOST=${BENCH_PG_HOST:-127.0.0.1}
PGPORT=${BENCH_PG_PORT:-5432}
PGUSER=${BENCH_PG_USER:-postgres}
WORK=$(mktemp -d /tmp/mailgov-policyload-XXXXXX)
chmod 777 "$WORK" # postfwd (nobody) and policyd-rate-limit (its own user) write their pid files here
. bench/peers/servers.sh
trap 'stop_servers; rm -rf "$WORK"' EXIT

[ -f target/quarkus-app/quarkus-run.jar ] || mvn -q -DskipTests package
[ -n "${BENCH_NO_BUILD:-}" ] || mvn -q -o -DskipTests test-compile # the benchmark classes
# BENCH_LOAD_ARGS: more key=value settings for every run, e.g. "warmup=0" for a server far below the rate
load() { $NICE java -cp target/test-classes com.mailgov.bench.PolicyLoadBench "$@" ${BENCH_LOAD_ARGS:-}; }

echo "policy load: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), offered $RATE/s for ${SECS}s"

if [[ " $SYSTEMS " == *" mailgov"* ]] || [ -n "${BENCH_EDGES:-}" ]; then
  start_mailgov
fi

for s in $SYSTEMS; do
  case $s in
    mailgov) load port="$GPORT" rate="$RATE" seconds="$SECS" pid="$MPID" label=mailgov-policy ;;
    mailgov-milter) load port="$GPORT" proto=milter rate="$RATE" seconds="$SECS" pid="$MPID" label=mailgov-milter ;;
    postfwd) start_postfwd; load port="$FPORT" rate="$RATE" seconds="$SECS" pid="$FPID" label=postfwd2; kill "$FPID" ;;
    policyd-rate-limit)
      start_policyd_rate_limit
      load port="$RPORT" rate="$RATE" seconds="$SECS" pid="$RPID" label=policyd-rate-limit; kill "$RPID" ;;
    *) echo "unknown system $s" >&2; exit 2 ;;
  esac
done

if [ -n "${BENCH_EDGES:-}" ]; then
  ER=${BENCH_EDGES_RATE:-5000}
  mem() {
    jcmd "$MPID" GC.run >/dev/null
    local heap rss over rows
    heap=$(jcmd "$MPID" GC.heap_info | grep -Eo 'used [0-9]+K' | head -1 | grep -Eo '[0-9]+')
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$MPID/status")
    over=$(curl -s "http://127.0.0.1:$HPORT/q/metrics" | grep -E '^mailgov_guard_edges_overflow' | awk '{print $2}')
    rows=$(psql -At -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$DB" -c 'SELECT count(*) FROM guard_edge_count')
    echo "$1: heap after full GC $((heap / 1024)) MB, RSS $rss MB, overflow counter ${over:-?}, guard_edge_count rows $rows, load $(cut -d' ' -f1 /proc/loadavg)"
  }
  mem "before ${BENCH_EDGES} distinct edges"
  load port="$GPORT" rate="$ER" seconds=$((BENCH_EDGES / ER)) warmup=0 distinct=1 connections=32 pid="$MPID" label=mailgov-distinct
  mem "right after"
  sleep 30
  mem "30 s later (window passed, counts flushed)"
fi
