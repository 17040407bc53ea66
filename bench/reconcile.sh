#!/usr/bin/env bash
# Benchmark: reconcile N autoreplies (Dovecot, ManageSieve) and N aliases (Postfix pgsql table)
# into the real mail stack on 127.0.0.1. Needs root (the stack) and PostgreSQL (127.0.0.1:5432
# unless BENCH_PG_HOST/PORT say otherwise). Starts its own stack and mailgov, stops both by PID.
#   bench/reconcile.sh [N=10000]
# Env: BENCH_SIEVE_CONCURRENCY (ManageSieve connections, default 8); BENCH_SIEVE_TLS=1 (STARTTLS with
# certificate checks, as mailgov does by default for a Dovecot that is not on this host).
# Dovecot gets the process-reuse settings a production ManageSieve needs for bulk work
# (login and managesieve processes reused instead of one fork per connection); see README.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
PGHOST=${BENCH_PG_HOST:-127.0.0.1}
PGPORT=${BENCH_PG_PORT:-5432}
DB=mailgov_bench_$$
ALIASES=mailstack_bench_$$
PORT=${BENCH_PORT:-18081}
ADMIN_PW="bench-admin-$RANDOM-$RANDOM"
PW="bench-password-1"
WORK=$(mktemp -d /tmp/mailgov-bench-XXXXXX); chmod 755 "$WORK"
STACK=$WORK/stack

[ -f target/quarkus-app/quarkus-run.jar ] || mvn -q -DskipTests package
bash src/test/mailstack/install.sh >/dev/null

psql -q -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -c "CREATE DATABASE $DB" -c "CREATE DATABASE $ALIASES"
psql -q -h "$PGHOST" -p "$PGPORT" -U postgres -d "$ALIASES" \
  -c "CREATE TABLE virtual_alias (source text PRIMARY KEY, destination text NOT NULL, enabled boolean NOT NULL DEFAULT true)"
cleanup() {
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  bash src/test/mailstack/stack.sh stop "$STACK" >/dev/null 2>&1 || true
  psql -q -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
    -c "DROP DATABASE IF EXISTS $ALIASES WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== mail stack (Postfix + Dovecot, pgsql aliases)"
MAILSTACK_MAILMAN=0 MAILSTACK_PGSQL_ALIASES=1 MAILSTACK_PG_DB=$ALIASES MAILSTACK_PG_HOST=$PGHOST MAILSTACK_PG_PORT=$PGPORT \
  bash src/test/mailstack/stack.sh start "$STACK" >/dev/null
. "$STACK/ports.env"
line=$(head -1 "$DOVECOT_USERS_FILE"); rest=${line#*:}
for i in $(seq 0 $((N - 1))); do echo "user$i@corp.example:$rest"; done >> "$DOVECOT_USERS_FILE"
cat >> "$DOVECOT_CONFIG" <<'CONF'
service managesieve-login {
  service_count = 0
  process_min_avail = 2
}
service managesieve {
  service_count = 1000
  process_min_avail = 8
}
CONF
doveadm -c "$DOVECOT_CONFIG" reload; sleep 1.5
# credentialRef files must be in <data-dir>/secrets (mailgov.push.credential-dirs)
mkdir -p "$WORK/data/secrets"
printf '%s' "$SIEVE_MASTER_PASSWORD" > "$WORK/data/secrets/sieve.secret"; chmod 600 "$WORK/data/secrets/sieve.secret"

echo "== mailgov"
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_HTTP_PORT=$PORT MAILGOV_ADMIN_PASSWORD="$ADMIN_PW" MAILGOV_PUSH_DEFAULT_FILE_SERVER=false \
MAILGOV_LIMITS_MAX_BODY_BYTES=2000000 MAILGOV_DATA_DIR="$WORK/data" QUARKUS_LOG_LEVEL=WARN \
  java -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || { echo "mailgov did not start:"; tail -30 "$WORK/app.log"; exit 1; }
API="http://127.0.0.1:$PORT/api/v1"
post() { curl -sS --fail-with-body -u "admin:$ADMIN_PW" -H 'Content-Type: application/json' -d "$2" "$API/$1" >/dev/null; }
post departments '{"code":"BENCH","name":"ベンチ"}'
post users "{\"username\":\"bench-req\",\"password\":\"$PW\",\"roles\":[\"requester\"],\"department\":\"BENCH\"}"
post users "{\"username\":\"bench-appr\",\"password\":\"$PW\",\"roles\":[\"approver\"]}"
[ "${BENCH_SIEVE_TLS:-0}" = 1 ] && export BENCH_SIEVE_TLS="$DOVECOT_TLS_CERT" || unset BENCH_SIEVE_TLS
java bench/ReconcileBench.java "http://127.0.0.1:$PORT" "$ADMIN_PW" "bench-req:$PW" "bench-appr:$PW" "$N" \
  "127.0.0.1:$MANAGESIEVE_PORT" "$SIEVE_MASTER_USER" "$WORK/data/secrets/sieve.secret" "postgresql://$PGHOST:$PGPORT/$ALIASES"
echo "rows in the Postfix alias table: $(psql -At -h "$PGHOST" -p "$PGPORT" -U postgres -d "$ALIASES" -c 'SELECT count(*) FROM virtual_alias')"
echo "Postfix resolves user$((N - 1))'s alias: $(postmap -c "$POSTFIX_CONFIG_DIR" -q "alias$((N - 1))@corp.example" "pgsql:$POSTFIX_CONFIG_DIR/pgsql-virtual-alias.cf")"
