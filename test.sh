#!/usr/bin/env bash
# Plenum's whole test suite, as CI runs it:
#   1. installs what the tests need when missing (redis-server, chromium, nginx and openssl from
#      Debian's packages; nginx and openssl for NginxFrontTest, which runs the shipped
#      docs/deploy/nginx-plenum.conf as the current user in a temp directory),
#   2. mvn verify: server unit and integration tests (real WebSocket clients, a real redis-server),
#      the web client's unit tests (Vitest) and end-to-end tests (Playwright driving headless
#      Chromium against the real server, axe-core scans, screenshots in target/screenshots/),
#   3. a 30-second smoke of the load generator against the freshly built server.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Debian puts nginx in /usr/sbin, which a normal user's PATH lacks
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]} from Debian's packages"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mvn -B verify

echo "test.sh: load generator smoke"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token="smoke-$(date +%s)-$RANDOM"
PLENUM_HTTP_HOST=127.0.0.1 PLENUM_HTTP_PORT=$port PLENUM_ORGANISER_TOKEN=$token PLENUM_DATA_DIR= \
  java -jar target/plenum.jar > target/smoke-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
  sleep 0.2
done
load-tests/smoke.sh "http://127.0.0.1:$port" "$token"

echo "test.sh: graceful shutdown on SIGTERM"
kill -TERM $server
wait $server 2>/dev/null || true
trap - EXIT
grep -q '"event":"plenum.stopping"' target/smoke-server.log || { echo "test.sh: no graceful shutdown logged"; exit 1; }
if grep -q "did not finish cleanly" target/smoke-server.log; then
  echo "test.sh: shutdown did not finish cleanly"; cat target/smoke-server.log; exit 1
fi
echo "test.sh: all tests passed"
