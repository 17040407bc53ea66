#!/usr/bin/env bash
# Benchmark of an import (adoption) from the real mail stack: N mailboxes with their own Sieve scripts
# (Dovecot via doveadm + ManageSieve), 2N aliases (Postfix pgsql table), N/10 Mailman lists with 3
# members each, imported by the packaged service. Needs root (the stack) and PostgreSQL (BENCH_PG,
# default 127.0.0.1:5432, trust auth). Starts its own stack and service, stops both by PID.
#   bench/import.sh [N=10000] [LISTS=N/10]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/quarkus-app/quarkus-run.jar ] || mvn -q -DskipTests package
mvn -q -o -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -Xmx512m -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" com.mailgov.bench.ImportBenchmark "${1:-10000}" ${2:-}
