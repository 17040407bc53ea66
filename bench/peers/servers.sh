# Sourced by bench/policy-load.sh and bench/loop-guard-peers.sh: starts the three policy servers
# on 127.0.0.1 (ports picked here), each remembered in PIDS for the caller's cleanup (stopped by PID).
# Needs WORK (a scratch directory, mode 777), PGHOST/PGPORT/PGUSER.
PIDS=()
DBS=()
# BENCH_NICE=-10: run the servers (and the load generator) at a higher priority than the rest of a
# shared machine, so that what is measured is the server more than the machine's run queue.
NICE=${BENCH_NICE:+nice -n $BENCH_NICE}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await_port() { for _ in $(seq 1 150); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "nothing on port $1" >&2; return 1; }

stop_servers() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 2
  for d in "${DBS[@]}"; do
    psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
  done
}

# mailgov, packaged jar on a fresh database (no incident of an earlier run), guard listener on GPORT
# (policy delegation and milter), HTTP on HPORT; sets MPID and DB.
start_mailgov() {
  DB=mailgov_bench_$$_${#DBS[@]}; DBS+=("$DB")
  psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "CREATE DATABASE $DB"
  GPORT=$(free_port); HPORT=$(free_port)
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
  QUARKUS_HTTP_PORT=$HPORT QUARKUS_HTTP_HOST=127.0.0.1 MAILGOV_ADMIN_PASSWORD="bench-admin-$RANDOM-$RANDOM" \
  MAILGOV_INTERNAL_DOMAINS=corp.example MAILGOV_DATA_DIR="$WORK/data" QUARKUS_LOG_LEVEL=WARN \
  MAILGOV_GUARD_ENABLED=true MAILGOV_GUARD_HOST=127.0.0.1 MAILGOV_GUARD_PORT=$GPORT \
    $NICE java ${BENCH_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$WORK/mailgov.log" 2>&1 &
  MPID=$!; PIDS+=("$MPID")
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$HPORT/q/health/ready" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$HPORT/q/health/ready" >/dev/null || { echo "mailgov did not start:"; tail -30 "$WORK/mailgov.log"; return 1; }
  await_port "$GPORT"
}

# Debian's default postfwd (postfwd2: a prefork server and a cache process that holds the rate
# counters), rules bench/peers/postfwd.cf, on FPORT; sets FPID (the master, which stops the rest).
start_postfwd() {
  FPORT=$(free_port)
  rm -f "$WORK/postfwd.pid"
  $NICE postfwd2 -f bench/peers/postfwd.cf --daemon --interface 127.0.0.1 --port "$FPORT" --pidfile "$WORK/postfwd.pid" \
    --user nobody --group nogroup --nodns --noidlestats --summary 0 \
    --cache_proto unix --cache_port "$WORK/postfwd-cache.sock" >"$WORK/postfwd.log" 2>&1
  await_port "$FPORT"; FPID=$(cat "$WORK/postfwd.pid"); PIDS+=("$FPID")
}

# policyd-rate-limit, bench/peers/policyd-rate-limit.yaml, on RPORT; sets RPID.
start_policyd_rate_limit() {
  RPORT=$(free_port)
  rm -f "$WORK/policyd-rate-limit.pid" "$WORK/policyd-rate-limit.sqlite3"
  sed "s#@PORT@#$RPORT#; s#@WORK@#$WORK#g" bench/peers/policyd-rate-limit.yaml >"$WORK/policyd-rate-limit.yaml"
  $NICE policyd-rate-limit -f "$WORK/policyd-rate-limit.yaml" >"$WORK/policyd-rate-limit.log" 2>&1 &
  PIDS+=("$!"); await_port "$RPORT"; RPID=$(cat "$WORK/policyd-rate-limit.pid"); PIDS+=("$RPID")
}
