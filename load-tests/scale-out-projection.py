#!/usr/bin/env python3
"""Capacity projection from measured scale-out runs (load-tests/README.md, *Capacity projection*).

    load-tests/scale-out-projection.py MERGED.json [--hold-only MERGED.json] [options]

MERGED.json is what load-tests/scale-out.sh wrote (results/scale-out-*.json); --hold-only is the
same audience run with --polling-generators 0 (only holding connections), which separates the cost
of holding viewers from the cost of votes. Prints, for 10,000 / 100,000 / 1,000,000 viewers, the
nodes each bound asks for and which one decides. Every input figure comes from the reports; the
budgets are options. It extrapolates linearly from one machine: say so wherever the numbers go.
"""
import argparse
import json
import math
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def readings(node, label):
    for r in node.get("readings", []):
        if r.get("label") == label:
            return r
    return None


def figures(m):
    """Per-viewer and per-action costs of one merged run."""
    s = m.get("servers", {})
    nodes = m.get("nodes", [])
    viewers = m["viewers"]["joined"]
    votes = m["votes"]["acked"]
    idle_rss = [readings(n, "idle")["rssMiB"] for n in nodes if readings(n, "idle") and readings(n, "idle").get("rssMiB")]
    hold_s = [readings(n, "end")["atSeconds"] - readings(n, "hold")["atSeconds"]
              for n in nodes if readings(n, "hold") and readings(n, "end")]
    join_cpu = sum(n.get("server", {}).get("cpuSecondsIdleToHold", 0) for n in nodes)
    polls_cpu = sum(n.get("server", {}).get("cpuSecondsHoldToEnd", 0) for n in nodes)
    redis_cpu = sum(p.get("cpuSecondsDuringRun") or 0 for p in m.get("context", {}).get("redisProcesses", []))
    return {
        "nodes": len(nodes),
        "viewers": viewers,
        "votes": votes,
        "heapKiBPerViewer": s.get("heapAfterFullGcKiBPerViewer", s.get("heapUsedKiBPerViewer")),
        "rssKiBPerViewer": s.get("rssKiBPerViewer"),
        "idleRssMiBPerNode": sum(idle_rss) / len(idle_rss) if idle_rss else None,
        "serverCpuSecondsPerJoin": join_cpu / viewers if viewers else None,
        "pollsPhaseCpuSeconds": polls_cpu,
        "pollsPhaseSeconds": max(hold_s) if hold_s else None,
        "redisCpuSecondsPerAction": redis_cpu / (viewers + votes) if viewers + votes else None,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("merged")
    ap.add_argument("--hold-only", help="the same run with --polling-generators 0")
    ap.add_argument("--memory-per-node-gib", type=float, default=16, help="RAM a node may use (default 16)")
    ap.add_argument("--files-per-node", type=int, default=18000,
                    help="sockets a node may hold (its ulimit -n minus headroom; default 18000, as here)")
    ap.add_argument("--cores-per-node", type=float, default=2, help="cores a node may use (default 2)")
    ap.add_argument("--join-seconds", type=float, default=60, help="the whole audience arrives within (default 60)")
    ap.add_argument("--vote-share", type=float, default=0.5, help="share of the audience voting in one poll (0.5)")
    ap.add_argument("--vote-seconds", type=float, default=10, help="... within this many seconds (default 10)")
    a = ap.parse_args()

    f = figures(load(a.merged))
    hold_cost = None  # server CPU seconds per viewer per second of holding
    if a.hold_only:
        h = figures(load(a.hold_only))
        if h["pollsPhaseSeconds"] and h["viewers"]:
            hold_cost = h["pollsPhaseCpuSeconds"] / (h["viewers"] * h["pollsPhaseSeconds"])
    vote_cost = None
    if f["votes"] and f["pollsPhaseSeconds"]:
        holding = hold_cost * f["viewers"] * f["pollsPhaseSeconds"] if hold_cost is not None else 0
        vote_cost = max(0.0, f["pollsPhaseCpuSeconds"] - holding) / f["votes"]

    print("measured (%s): %s" % (a.merged, json.dumps(f)))
    print("  holding: %s server CPU s per viewer-second%s" % (
        "%.3g" % hold_cost if hold_cost is not None else "not measured (give --hold-only)", ""))
    print("  per vote: %s server CPU s%s" % ("%.3g" % vote_cost if vote_cost is not None else "-",
                                            "" if hold_cost is not None else " (holding cost included)"))
    print("budgets: %.0f GiB, %d sockets, %.0f cores per node; audience in %.0f s; %.0f %% vote within %.0f s"
          % (a.memory_per_node_gib, a.files_per_node, a.cores_per_node, a.join_seconds, a.vote_share * 100,
             a.vote_seconds))
    print("%10s %9s %9s %9s %9s %9s  %s" % ("viewers", "sockets", "memory", "joins", "votes", "holding", "nodes (bound)"))
    for audience in (10_000, 100_000, 1_000_000):
        bounds = {"sockets": math.ceil(audience / a.files_per_node)}
        if f["rssKiBPerViewer"] is not None and f["idleRssMiBPerNode"] is not None:
            room_kib = a.memory_per_node_gib * 1024 * 1024 - f["idleRssMiBPerNode"] * 1024
            bounds["memory"] = math.ceil(audience * f["rssKiBPerViewer"] / room_kib)
        if f["serverCpuSecondsPerJoin"] is not None:
            bounds["joins"] = math.ceil(audience * f["serverCpuSecondsPerJoin"] / a.join_seconds / a.cores_per_node)
        if vote_cost is not None:
            rate = audience * a.vote_share / a.vote_seconds
            bounds["votes"] = math.ceil(rate * vote_cost / a.cores_per_node)
        if hold_cost is not None:
            bounds["holding"] = math.ceil(audience * hold_cost / a.cores_per_node)
        n = max(bounds.values())
        which = ", ".join(k for k, v in bounds.items() if v == n)
        cells = ["%9s" % bounds.get(k, "-") for k in ("sockets", "memory", "joins", "votes", "holding")]
        print("%10d %s  %d (%s)" % (audience, " ".join(cells), n, which))
    if f["redisCpuSecondsPerAction"] is not None:
        print("Redis: %.3g CPU s per join or vote over all Redis processes (one thread per primary; a stage's "
              "keys are in one slot, so one stage's votes go to one primary)" % f["redisCpuSecondsPerAction"])
    print("Linear extrapolation from one 2-core machine shared by servers, Redis and generators.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
