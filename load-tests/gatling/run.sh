#!/usr/bin/env bash
# Runs the Gatling congress viewer flow against a running Plenum server and prints, per request,
# the count and the 50th / 75th / 95th / 99th percentiles and max in ms (from Gatling's own report).
#
#   PLENUM_ORGANISER_TOKEN=… load-tests/gatling/run.sh http://127.0.0.1:18080 [viewers] [rampSeconds] [staySeconds]
#
# Loopback targets only (the simulation refuses others). Needs Maven; the first run downloads
# Gatling from Maven Central, later ones can run offline (mvn -o).
set -euo pipefail
url=${1:?usage: run.sh SERVER_URL [viewers] [rampSeconds] [staySeconds]}
viewers=${2:-1800}
ramp=${3:-60}
stay=${4:-20}
here=$(cd "$(dirname "$0")" && pwd)
: "${PLENUM_ORGANISER_TOKEN:?set PLENUM_ORGANISER_TOKEN}"
rc=0
timeout $((ramp + stay + 300)) mvn -q -B -f "$here/pom.xml" ${MVN_OFFLINE:+-o} gatling:test \
  -Dplenum.url="$url" -Dviewers="$viewers" -DrampSeconds="$ramp" -DstaySeconds="$stay" || rc=$?
report=$(ls -td "$here"/target/gatling/congressviewersimulation-*/ | head -1)
python3 - "$report/js/stats.js" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r'stats: \{\s*"name": "([^"]*)",(.*?)"group1"', text, re.S)
def field(body, name):
    m = re.search(r'"%s": \{\s*"total": "([^"]*)",\s*"ok": "([^"]*)",\s*"ko": "([^"]*)"' % name, body)
    return m.groups() if m else ("-", "-", "-")
print("%-14s %7s %5s %6s %6s %6s %6s %6s   (ms)" % ("request", "count", "KO", "p50", "p75", "p95", "p99", "max"))
seen = set()
for name, body in blocks:
    if name in seen:
        continue
    seen.add(name)
    n = field(body, "numberOfRequests")
    p = [field(body, "percentiles%d" % i)[0] for i in range(1, 5)]
    mx = field(body, "maxResponseTime")[0]
    print("%-14s %7s %5s %6s %6s %6s %6s %6s" % (name, n[0], n[2], p[0], p[1], p[2], p[3], mx))
PY
echo "report: $report/index.html"
exit $rc
