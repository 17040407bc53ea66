#!/usr/bin/env bash
# Benchmark of the day-one risk report's whole-directory loop analysis over the synthetic directory of
# bench/policy-engine.sh (about 282k objects). No network, no database.
#   bench/risk-report.sh [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -Xms1g -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  com.mailgov.bench.RiskReportBenchmark "${1:-3}"
