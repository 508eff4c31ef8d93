#!/usr/bin/env bash
# Export benchmark (issue 8): fills one stage of an in-process Plenum server with N interactions
# (a quarter each posts, upvotes, votes; an eighth each word entries, reactions over two days),
# then downloads the JSON, XLSX and two CSV exports over HTTP while sampling the heap every 10 ms.
# Usage: load-tests/export-bench.sh [memory|redis] [interactions] [max heap]
# Needs redis-server on the PATH for "redis". Not a test: figures depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
engine="${1:-memory}"; n="${2:-200000}"; heap="${3:-256m}"
mvn -B -q test-compile -Dskip.web
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dskip.web >/dev/null
grep -m1 'model name' /proc/cpuinfo; nproc
exec java "-Xmx$heap" -cp "target/classes:target/test-classes:$(cat target/cp.txt)" \
  org.plenum.export.ExportBenchmark "$engine" "$n"
