#!/usr/bin/env bash
# Builds the load generator and runs the `smoke` scenario (50 viewers, 1 moderator, one poll; and,
# when the server has them, a word cloud, pre-moderated questions approved by the moderator,
# comments, upvotes and reactions, each with resends after reconnects; about 10-25 s) against a
# Plenum server that is already running. Starts nothing else.
#
#   load-tests/smoke.sh http://127.0.0.1:18080 ORGANISER_TOKEN
#
# Exits non-zero when the build fails or the run fails its checks (exactly-once, errors, dropped
# connections, protocol discrepancies). The JSON report goes to load-tests/target/smoke-report.json.
# SKIP_TESTS=1 skips the generator's own unit tests during the build.
set -euo pipefail

url=${1:?usage: smoke.sh SERVER_URL ORGANISER_TOKEN}
token=${2:?usage: smoke.sh SERVER_URL ORGANISER_TOKEN}
here=$(cd "$(dirname "$0")" && pwd)

build_args=(-q -B -f "$here/pom.xml" package)
if [ "${SKIP_TESTS:-0}" = "1" ]; then
  build_args+=(-DskipTests)
fi
mvn "${build_args[@]}"

# The token goes through the environment, not the command line, so `ps` does not show it.
# `timeout` is a second hard cap behind the generator's own --duration.
PLENUM_ORGANISER_TOKEN="$token" timeout 120 \
  java -jar "$here/target/plenum-load.jar" \
    --scenario smoke \
    --url "$url" \
    --duration 40 \
    --report "$here/target/smoke-report.json"
