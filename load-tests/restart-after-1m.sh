#!/usr/bin/env bash
# Restart time of the memory engine after a two-day congress (issue 13): builds a data directory
# of ACTIONS (default 1,000,000) actions through the engine's own API (snapshots and compaction
# as in production), then starts a real server on it and times start until /health/ready = 200.
# Run from the repository root:  mvn -B -q test-compile -Dskip.web && load-tests/restart-after-1m.sh
set -euo pipefail
actions=${1:-1000000}
work=$(mktemp -d)
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/benchmark-cp.txt -Dskip.web >/dev/null
cp="target/classes:target/test-classes:$(cat target/benchmark-cp.txt)"
java -Xmx2g -cp "$cp" org.plenum.engine.CongressDataDir "$work/data" "$actions"
du -sh "$work/data"
ls -l "$work/data"
port=${PORT:-18099}
for run in 1 2; do
  start=$(date +%s%N)
  PLENUM_DATA_DIR="$work/data" PLENUM_HTTP_PORT=$port PLENUM_HTTP_HOST=127.0.0.1 \
    PLENUM_ORGANISER_TOKEN=benchmark-token java -Xmx2g -cp "$cp" org.plenum.Main >"$work/server-$run.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    kill -0 $pid 2>/dev/null || { cat "$work/server-$run.log"; exit 1; }
    sleep 0.05
  done
  end=$(date +%s%N)
  replayed=$(curl -s "http://127.0.0.1:$port/metrics" | grep '^plenum_journal_tail_replayed ' | awk '{print $2}')
  echo "run $run: ready after $(( (end - start) / 1000000 )) ms (journal tail replayed: $replayed records)"
  kill -TERM $pid
  wait $pid || true
done
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
grep -h "data directory" "$work"/server-*.log || true
if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi
