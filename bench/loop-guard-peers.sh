#!/usr/bin/env bash
# The story's loop replayed through the real Postfix + Dovecot (a fresh private stack per system),
# with legitimate traffic beside it, once per policy service in front of Postfix: none (control,
# capped), mailgov's loop guard (milter, as docs/loop-guard.md recommends), postfwd2 and
# policyd-rate-limit (check_policy_service; configs in bench/peers/). See LoopGuardPeersBench.
# Needs root (the stack) and PostgreSQL for mailgov (BENCH_PG_HOST/PORT/USER, default 127.0.0.1:5432).
#
#   bench/loop-guard-peers.sh [runs=1] [systems="none mailgov postfwd policyd-rate-limit"]
# BENCH_LOGS=DIR keeps each run's Postfix log there (what was deferred or held, and why).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-1}
SYSTEMS=${2:-"none mailgov postfwd policyd-rate-limit"}
PGHOST=${BENCH_PG_HOST:-127.0.0.1}
PGPORT=${BENCH_PG_PORT:-5432}
PGUSER=${BENCH_PG_USER:-postgres}
WORK=$(mktemp -d /tmp/mailgov-peers-XXXXXX)
chmod 777 "$WORK"
. bench/peers/servers.sh
trap 'stop_servers; rm -rf "$WORK"' EXIT

[ -f target/quarkus-app/quarkus-run.jar ] || mvn -q -DskipTests package
[ -n "${BENCH_NO_BUILD:-}" ] || mvn -q -o -DskipTests test-compile # the benchmark classes
RUN=0
replay() {
  RUN=$((RUN + 1))
  java -cp target/classes:target/test-classes com.mailgov.bench.LoopGuardPeersBench "$@" \
    ${BENCH_LOGS:+keepLog=$BENCH_LOGS/postfix-$RUN-${1#label=}.log}
}

echo "loop-guard side by side: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$RUNS"); do
  for s in $SYSTEMS; do
    case $s in
      none) replay label=none ;;
      mailgov) start_mailgov; replay label=mailgov milter="inet:127.0.0.1:$GPORT"; kill "$MPID"; wait "$MPID" || true ;;
      postfwd) start_postfwd; replay label=postfwd policy="inet:127.0.0.1:$FPORT"; kill "$FPID" ;;
      policyd-rate-limit) start_policyd_rate_limit; replay label=policyd-rate-limit policy="inet:127.0.0.1:$RPORT"; kill "$RPID" ;;
      *) echo "unknown system $s" >&2; exit 2 ;;
    esac
  done
done
