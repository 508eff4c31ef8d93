#!/usr/bin/env python3
"""Server CPU per delivered frame and per applied vote (issue 10's yardstick).

  load-tests/fanout-cost.py ENGINE JAR LABEL -- GENERATOR_OPTIONS...
  load-tests/fanout-cost.py memory target/plenum.jar after -- --scenario sustained --rate 200 \
      --mix vote=100 --viewers 200 --moderators 1800 --duration 75

Measures over a window of the generator's run, by default from 20 s after it starts (joins and
ramp-up done) to 30 s before its --duration ends (the sustained scenario's load stops 25 s before
the end); FANOUT_WINDOW=START:END (seconds) chooses another. Starts JAR on 127.0.0.1:18080 (token load-test-secret, per-participant limits raised as for the
sustained scenario; ENGINE=redis starts a redis-server on 127.0.0.1:16379 unless one listens
there), warms it with the smoke scenario, then reads the server's process CPU time
(/proc/PID/stat) and its counters (/metrics: plenum_messages_out_total summed over types,
plenum_votes_applied_total) before and after the generator runs. Prints one line:

  server CPU s, frames delivered, votes applied, us/frame = CPU / frames, us/vote = CPU / votes,
  the generator's own CPU s (so a reader can tell whose limit a figure is), redis-server CPU s,
  and the generator's latency lines.

Both ratios divide ALL server CPU of the run: us/frame is the honest per-frame cost of a run
dominated by fan-out (many subscribers), us/vote that of a run dominated by votes (few). Other
environment variables (PLENUM_NATIVE_TRANSPORT=false, say) pass through to the server.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
URL = "http://127.0.0.1:18080"
TOKEN = "load-test-secret"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def counters():
    text = urllib.request.urlopen(URL + "/metrics", timeout=10).read().decode()
    frames = votes = 0.0
    for line in text.splitlines():
        if line.startswith("plenum_messages_out_total"):
            frames += float(line.rsplit(" ", 1)[1])
        elif line.startswith("plenum_votes_applied_total"):
            votes += float(line.rsplit(" ", 1)[1])
    return frames, votes


def listening(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def main():
    args = sys.argv[1:]
    if len(args) < 3:
        sys.exit(__doc__)
    engine, jar, label = args[:3]
    rest = args[3:]
    if rest and rest[0] == "--":
        rest = rest[1:]
    duration = int(rest[rest.index("--duration") + 1]) if "--duration" in rest else 300
    window = [int(x) for x in os.environ.get("FANOUT_WINDOW", f"20:{max(25, duration - 30)}").split(":")]
    redis = None
    if engine == "redis" and not listening(16379):
        redis = subprocess.Popen(["redis-server", "--port", "16379", "--save", "", "--appendonly", "no"],
                                 stdout=subprocess.DEVNULL)
        while not listening(16379):
            time.sleep(0.1)
    redis_pid = None
    if engine == "redis":
        out = subprocess.run(["pgrep", "-f", "redis-server.*16379"], capture_output=True, text=True).stdout.split()
        redis_pid = int(out[0]) if out else None
    env = dict(os.environ, PLENUM_ORGANISER_TOKEN=TOKEN, PLENUM_HTTP_HOST="127.0.0.1", PLENUM_HTTP_PORT="18080",
               PLENUM_DATA_DIR="", PLENUM_ENGINE=engine, PLENUM_REDIS_URL="redis://127.0.0.1:16379",
               PLENUM_LIMIT_POST="1000/1s", PLENUM_LIMIT_VOTE="100000/1s", PLENUM_LIMIT_WORD="100000/1s",
               PLENUM_LIMIT_REACTION="100000/1s", PLENUM_RATE_LIMIT_PER_SECOND="100000",
               PLENUM_RATE_LIMIT_BURST="100000")
    os.makedirs(os.path.join(HERE, "target"), exist_ok=True)
    log = open(os.path.join(HERE, "target", f"fanout-{label}-server.log"), "w")
    server = subprocess.Popen(["java", "-jar", jar], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(URL + "/health/ready", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        subprocess.run([os.path.join(HERE, "smoke.sh"), URL, TOKEN], stdout=subprocess.DEVNULL,
                       env=dict(os.environ, SKIP_TESTS="1"))
        report = os.path.join(HERE, "target", f"fanout-{label}.json")
        out = open(os.path.join(HERE, "target", f"fanout-{label}-generator.log"), "w+")
        started = time.time()
        gen = subprocess.Popen(["java", "-jar", os.path.join(HERE, "target", "plenum-load.jar"), "--url", URL,
                                "--organiser-token", TOKEN, *rest, "--report", report],
                               stdout=out, stderr=subprocess.STDOUT)
        time.sleep(max(0.0, started + window[0] - time.time()))
        cpu0, (frames0, votes0) = cpu_seconds(server.pid), counters()
        redis0, gen0 = (cpu_seconds(redis_pid) if redis_pid else 0.0), cpu_seconds(gen.pid)
        time.sleep(max(0.0, started + window[1] - time.time()))
        cpu1, (frames1, votes1) = cpu_seconds(server.pid), counters()
        redis1, gen1 = (cpu_seconds(redis_pid) if redis_pid else 0.0), cpu_seconds(gen.pid)
        gen.wait()
        out.seek(0)
        gen_out = out.read()
    finally:
        server.terminate()
        server.wait()
        if redis:
            redis.terminate()
    cpu, frames, votes = cpu1 - cpu0, frames1 - frames0, votes1 - votes0
    generator = gen1 - gen0
    result = {
        "label": label, "window": f"{window[0]}-{window[1]} s", "engine": engine, "jar": jar, "generator": " ".join(rest),
        "serverCpuSeconds": round(cpu, 2), "framesDelivered": int(frames), "votesApplied": int(votes),
        "usPerFrame": round(cpu * 1e6 / frames, 2) if frames else None,
        "usPerVote": round(cpu * 1e6 / votes, 2) if votes else None,
        "generatorCpuSeconds": round(generator, 2), "redisCpuSeconds": round(redis1 - redis0, 2),
    }
    lines = [l for l in dict.fromkeys(gen_out.splitlines()) if re.match(r"^(ack|actionToModerator|voteToModerator) |verdict|result:", l)]
    print(json.dumps(result))
    for l in lines:
        print("  " + l)
    if gen.returncode != 0:
        print("generator exited " + str(gen.returncode) + ": " + gen_out[-2000:])
        sys.exit(1)


if __name__ == "__main__":
    main()
