#!/usr/bin/env bash
# Benchmark of the loop-risk engine on a synthetic directory (100k mailboxes, 10k lists, 20k
# forwards, 5k autoreplies, 2k external subscriptions): incremental p50/p99 for 1,000 random
# requests vs a full re-scan, and the in-memory graph size. No network, no database.
#   bench/policy-engine.sh [rescans=5]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -Xms1g -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  com.mailgov.bench.PolicyEngineBenchmark "${1:-5}"
