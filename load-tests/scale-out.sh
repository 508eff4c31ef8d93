#!/usr/bin/env bash
# Scale-out benchmark on one machine (issue 11): a Redis (standalone, or a local 3-primary +
# 3-replica Redis Cluster), N Plenum nodes on the redis engine, and M load-generator processes that
# share one `audience` run (viewers round-robin over the nodes, moderators on every node). Collects
# the generators' reports into one JSON under load-tests/results/ and prints a human summary.
# Every process it starts is stopped on exit (also on Ctrl-C or an error).
#
#   load-tests/scale-out.sh [options] [-- extra generator options]
#
#   --nodes N            Plenum nodes (default 3)
#   --viewers V          viewers in all, over all nodes (default 3000)
#   --generators M       generator processes sharing the run (default 2); each opens V/M viewers
#   --cluster            Redis Cluster (3 primaries + 3 replicas) instead of one standalone Redis
#   --duration S         hard cap of each generator in seconds (default: what the plan needs)
#   --join-rate R        joins per second, all generators together (default 600)
#   --hold-seconds S     everyone stays connected S s before the polls (default 10)
#   --polls P            polls per stage, one after another (default 3)
#   --vote-fraction F    share of each part's viewers voting in each poll (default 0.1)
#   --polling-generators K  only generators 1..K open polls and vote (default: all; each opens its own)
#   --spread-seconds S   votes of a poll spread over S s (default 10)
#   --instances K        event loops per node (default: the server's default, one per core)
#   --heap SIZE          -Xmx of each node (default: 256 MiB + 40 KiB per viewer of the node)
#   --generator-heap SIZE  -Xmx of each generator (default: 256 MiB + 64 KiB per viewer of the process)
#   --warmup             run the smoke scenario against every node first (JIT warm-up)
#   --no-gc              do not ask the nodes for a full GC (jcmd PID GC.run) before the idle and hold readings
#   --label NAME         name of the result files (default: nodes-viewers-redis mode)
#   --base-port P        first node's HTTP port (default 18500; nodes use P, P+1, ...)
#   --redis-port P       first Redis port (default 17000; the cluster uses P .. P+5)
#
# Needs target/plenum.jar (mvn -B -q package -DskipTests -Dskip.web) and load-tests/target/plenum-load.jar
# (mvn -B -q -f load-tests/pom.xml package -DskipTests); builds whichever is missing. SERVER_JAR=FILE
# runs the nodes from another server jar (not PLENUM_*: the server refuses unknown PLENUM_ variables).
# Results: load-tests/results/scale-out-LABEL-TIMESTAMP.json and .txt; the generators' own reports
# and every log in load-tests/target/scale-out/LABEL-TIMESTAMP/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cmdline="load-tests/scale-out.sh $*"

nodes=3 viewers=3000 generators=2 cluster=0 duration="" join_rate=600 hold=10 polls=3 vote_fraction=0.1
polling="" spread=10 instances="" heap="" gen_heap="" warmup=0 gc=1 label="" base_port=18500 redis_port=17000
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes=$2; shift 2 ;;
    --viewers) viewers=$2; shift 2 ;;
    --generators) generators=$2; shift 2 ;;
    --cluster) cluster=1; shift ;;
    --duration) duration=$2; shift 2 ;;
    --join-rate) join_rate=$2; shift 2 ;;
    --hold-seconds) hold=$2; shift 2 ;;
    --polls) polls=$2; shift 2 ;;
    --vote-fraction) vote_fraction=$2; shift 2 ;;
    --polling-generators) polling=$2; shift 2 ;;
    --spread-seconds) spread=$2; shift 2 ;;
    --instances) instances=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --generator-heap) gen_heap=$2; shift 2 ;;
    --warmup) warmup=1; shift ;;
    --no-gc) gc=0; shift ;;
    --label) label=$2; shift 2 ;;
    --base-port) base_port=$2; shift 2 ;;
    --redis-port) redis_port=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) awk 'NR > 1 && /^set -euo/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "scale-out.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

mode=$([ "$cluster" = 1 ] && echo cluster || echo standalone)
label=${label:-$nodes-nodes-$viewers-viewers-$mode}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work="$here/target/scale-out/$label-$stamp"
mkdir -p "$work" "$here/results"
token=load-test-secret

# ---- limits: every process holds one descriptor per connection
fd_limit=$(ulimit -n)
per_node=$(( (viewers + nodes - 1) / nodes + 200 ))
per_gen=$(( (viewers + generators - 1) / generators + nodes * 2 + 200 ))
if [ "$per_node" -ge "$fd_limit" ] || [ "$per_gen" -ge "$fd_limit" ]; then
  echo "scale-out.sh: about $per_node descriptors per node and $per_gen per generator, but ulimit -n is $fd_limit:" \
    "use more --nodes / --generators" >&2
  exit 2
fi
ports=$(cat /proc/sys/net/ipv4/ip_local_port_range)
read -r port_lo port_hi <<<"$ports"
if [ $(( (viewers + generators - 1) / generators )) -ge $(( port_hi - port_lo )) ]; then
  echo "scale-out.sh: one generator would need more source ports than one address has ($ports);" \
    "use more --generators or pass -- --source-addresses 2" >&2
  exit 2
fi

# connection tracking, where active, keeps an entry per connection and closed ones for a while
# (TIME_WAIT): a second big run right after the first could fill the table
if [ -r /proc/sys/net/netfilter/nf_conntrack_max ]; then
  ct_max=$(cat /proc/sys/net/netfilter/nf_conntrack_max)
  ct_now=$(cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null || echo 0)
  if [ $(( ct_now + viewers * 11 / 10 + 1000 )) -gt "$ct_max" ]; then
    echo "scale-out.sh: nf_conntrack holds $ct_now of $ct_max entries, too few free for $viewers viewers;" \
      "wait a few minutes for closed connections to expire" >&2
    exit 2
  fi
fi

# ---- builds
server_jar=${SERVER_JAR:-$root/target/plenum.jar}
[ -f "$server_jar" ] || [ -n "${SERVER_JAR:-}" ] || (cd "$root" && mvn -B -q package -DskipTests -Dskip.web)
[ -f "$server_jar" ] || { echo "scale-out.sh: no server jar $server_jar" >&2; exit 2; }
[ -f "$here/target/plenum-load.jar" ] || mvn -B -q -f "$here/pom.xml" package -DskipTests
command -v redis-server >/dev/null || { echo "scale-out.sh: redis-server not found" >&2; exit 2; }

# ---- cleanup of everything started here, whatever happens
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# /proc/PID: "cpu_seconds rss_kib"
proc_usage() {
  local stat rss
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo "null null"; return; }
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo null)
  # fields after the command name: utime is the 12th, stime the 13th (USER_HZ = 100)
  echo "${stat##*) }" | awk -v rss="${rss:-null}" '{printf "%.2f %s\n", ($12 + $13) / 100, rss}'
}

wait_for() { # url, seconds, pid, log
  for _ in $(seq 1 $(( $2 * 5 ))); do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "scale-out.sh: the process behind $1 exited; the end of $4:" >&2
      tail -n 15 "$4" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "scale-out.sh: $1 did not answer within $2 s (see $4)" >&2
  return 1
}

# ---- Redis
redis_pids=()
redis_urls=()
start_redis() { # port, extra args...
  local port=$1; shift
  mkdir -p "$work/redis-$port"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work/redis-$port" \
    --maxclients 10000 --logfile "$work/redis-$port.log" "$@" &
  local p=$!
  pids+=("$p"); redis_pids+=("$p")
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "scale-out.sh: redis on $port did not start (see $work/redis-$port.log)" >&2
  return 1
}
if [ "$cluster" = 1 ]; then
  seeds=()
  for i in 0 1 2 3 4 5; do
    port=$((redis_port + i))
    start_redis "$port" --cluster-enabled yes --cluster-config-file "$work/redis-$port/nodes.conf" \
      --cluster-node-timeout 5000
    seeds+=("127.0.0.1:$port"); redis_urls+=("redis://127.0.0.1:$port")
  done
  redis-cli --cluster create "${seeds[@]}" --cluster-replicas 1 --cluster-yes > "$work/redis-cluster-create.log" 2>&1
  for _ in $(seq 1 100); do
    redis-cli -p "$redis_port" cluster info 2>/dev/null | grep -q 'cluster_state:ok' && break
    sleep 0.2
  done
  redis-cli -p "$redis_port" cluster info | grep -q 'cluster_state:ok' \
    || { echo "scale-out.sh: the Redis Cluster did not become ok (see $work/redis-cluster-create.log)" >&2; exit 3; }
  redis_env=(PLENUM_REDIS_MODE=cluster "PLENUM_REDIS_URL=$(IFS=,; echo "${redis_urls[*]}")")
else
  start_redis "$redis_port"
  redis_urls=("redis://127.0.0.1:$redis_port")
  redis_env=("PLENUM_REDIS_URL=redis://127.0.0.1:$redis_port")
fi

# ---- Plenum nodes
node_viewers=$(( (viewers + nodes - 1) / nodes ))
heap=${heap:-$(( 256 + node_viewers * 40 / 1024 ))m}
node_jvm=(-Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:ParallelGCThreads=2 -XX:ConcGCThreads=1 -XX:CICompilerCount=2)
node_pids=()
urls=()
for i in $(seq 0 $((nodes - 1))); do
  port=$((base_port + i))
  env PLENUM_ORGANISER_TOKEN=$token PLENUM_HTTP_HOST=127.0.0.1 PLENUM_HTTP_PORT=$port PLENUM_DATA_DIR= \
    PLENUM_ENGINE=redis "${redis_env[@]}" PLENUM_NODE_ID=node-$((i + 1)) \
    ${instances:+PLENUM_INSTANCES=$instances} \
    PLENUM_CONNECTIONS_PER_ADDRESS=1000000 PLENUM_LIMIT_JOINS_PER_NODE=100000/1s \
    PLENUM_LIMIT_JOINS_PER_ADDRESS=100000/1s PLENUM_LIMIT_NEW_PARTICIPANTS_PER_ADDRESS=100000/1s \
    java "${node_jvm[@]}" -jar "$server_jar" > "$work/node-$((i + 1)).log" 2>&1 &
  p=$!
  pids+=("$p"); node_pids+=("$p"); urls+=("http://127.0.0.1:$port")
done
for i in $(seq 0 $((nodes - 1))); do
  wait_for "${urls[$i]}/health/ready" 90 "${node_pids[$i]}" "$work/node-$((i + 1)).log"
done
url_list=$(IFS=,; echo "${urls[*]}")
pid_list=$(IFS=,; echo "${node_pids[*]}")

if [ "$warmup" = 1 ]; then
  for u in "${urls[@]}"; do
    PLENUM_ORGANISER_TOKEN=$token timeout 120 java -jar "$here/target/plenum-load.jar" --scenario smoke --url "$u" \
      --duration 40 --report "$work/warmup-${u##*:}.json" > "$work/warmup-${u##*:}.log" 2>&1 \
      || echo "scale-out.sh: warm-up smoke against $u failed (see $work/warmup-${u##*:}.log)" >&2
  done
fi

declare -A redis_before
for p in "${redis_pids[@]}"; do redis_before[$p]=$(proc_usage "$p"); done

# ---- generators: part 1 first (it creates the event and writes the run file), then the others
gen_viewers=$(( (viewers + generators - 1) / generators ))
gen_heap=${gen_heap:-$(( 256 + gen_viewers * 64 / 1024 ))m}
rate=$(awk -v r="$join_rate" -v m="$generators" 'BEGIN {printf "%.2f", r / m}')
gen_args=(--scenario audience --url "$url_list" --viewers "$viewers" --connect-rate "$rate"
  --hold-seconds "$hold" --polls-per-stage "$polls" --vote-fraction "$vote_fraction" --spread-seconds "$spread"
  --run-file "$work/run.json")
[ -n "$duration" ] && gen_args+=(--duration "$duration")
[ -n "$polling" ] && gen_args+=(--polling-parts "$polling")
gen_pids=()
for k in $(seq 1 "$generators"); do
  part_args=(--part "$k/$generators" --report "$work/part-$k.json")
  [ "$k" = 1 ] && part_args+=(--server-pids "$pid_list")
  [ "$k" = 1 ] && [ "$gc" = 1 ] && part_args+=(--gc-at-readings)
  PLENUM_ORGANISER_TOKEN=$token java -Xms"$gen_heap" -Xmx"$gen_heap" -XX:+UseParallelGC -XX:ParallelGCThreads=2 \
    -jar "$here/target/plenum-load.jar" "${gen_args[@]}" "${part_args[@]}" "${extra[@]}" \
    > "$work/part-$k.log" 2>&1 &
  p=$!
  pids+=("$p"); gen_pids+=("$p")
done
echo "scale-out.sh: $nodes nodes ($mode Redis), $viewers viewers from $generators generators; logs in $work"
gen_failed=0
for p in "${gen_pids[@]}"; do wait "$p" || gen_failed=1; done

# ---- Redis CPU and memory over the run
redis_json=""
for p in "${redis_pids[@]}"; do
  read -r c0 _ <<<"${redis_before[$p]}"
  read -r c1 rss <<<"$(proc_usage "$p")"
  cpu=$(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.2f", b - a}')
  redis_json+="${redis_json:+,}{\"pid\":$p,\"cpuSecondsDuringRun\":$cpu,\"rssKiB\":${rss:-null}}"
done

# ---- one JSON and a summary
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD 2>/dev/null || commit="$commit+wt"
cpu_model=$(lscpu | grep 'Model name' | sed 's/Model name:[[:space:]]*//')
CMD="$cmdline" JAR="$server_jar" CPU="$cpu_model" COMMIT="$commit" MODE="$mode" NODES=$nodes VIEWERS=$viewers GENS=$generators \
  RATE=$join_rate NODE_JVM="${node_jvm[*]}" GEN_HEAP="$gen_heap" INSTANCES="${instances:-default}" FDS=$fd_limit \
  PORTS="$ports" REDIS="[$redis_json]" REDIS_VERSION="$(redis-server --version)" python3 - > "$work/context.json" <<'PY'
import json, os, time
e = os.environ
print(json.dumps({
    "command": e["CMD"], "serverJar": e["JAR"], "cpuModel": e["CPU"], "cores": os.cpu_count(),
    "memoryGiB": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    "commit": e["COMMIT"], "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "redis": e["MODE"], "redisVersion": e["REDIS_VERSION"], "nodes": int(e["NODES"]), "viewers": int(e["VIEWERS"]),
    "generators": int(e["GENS"]), "joinRatePerSecond": float(e["RATE"]), "nodeJvm": e["NODE_JVM"],
    "generatorHeap": e["GEN_HEAP"], "instancesPerNode": e["INSTANCES"], "ulimitN": int(e["FDS"]),
    "ephemeralPorts": " ".join(e["PORTS"].split()), "redisProcesses": json.loads(e["REDIS"])}, indent=1))
PY
out="$here/results/scale-out-$label-$stamp"
set +e
java -cp "$here/target/plenum-load.jar" org.plenum.load.MergeReports --out "$out.json" --context "$work/context.json" \
  --embed-parts "$work"/part-*.json | tee "$out.txt"
merge_rc=${PIPESTATUS[0]}
set -e
echo "scale-out.sh: merged report $out.json, summary $out.txt"
[ "$gen_failed" = 0 ] && [ "$merge_rc" = 0 ]
