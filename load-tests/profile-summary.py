#!/usr/bin/env python3
"""Summarises async-profiler collapsed stacks (with threads) of a Plenum server: where the event loops spend their CPU."""
import collections, sys
loops = collections.Counter(); frames = collections.Counter(); threads = collections.Counter(); total = 0; switches = 0
kinds = [("pushes: write + flush", ("SharedFrame.writeTo", "Fanout.write", "FrameBatch")),
         ("replies (ack, joined, error)", ("ClientSession.reply",)),
         ("decoding client frames", ("ClientCodec.decode",)),
         ("actions (StageActions)", ("StageActions",)),
         ("Redis client", ("io/vertx/redis",))]
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(" ")
    n = int(n); parts = stack.split(";"); total += n
    threads[parts[0]] += n
    if parts[-1].startswith("finish_task_switch"):
        switches += n
    if "eventloop-thread" not in parts[0]:
        continue
    kind = next((k for k, marks in kinds if any(m in stack for m in marks)), "other (I/O loop, timers, GC barriers)")
    loops[kind] += n
    if "write0" in stack or "SocketDispatcher.write" in stack:
        loops["  of which write(2) system calls"] += n
    for f in set(parts[1:]):
        if "org/plenum" in f:
            frames[f] += n
lt = sum(v for k, v in loops.items() if not k.startswith("  "))
print(f"CPU samples: {total} in all, {lt} on event loops")
print(f"{100 * switches / max(total, 1):.1f} % of all samples in the kernel's finish_task_switch (a thread switched back in)")
print("\nper thread:")
for k, v in threads.most_common(8):
    print(f"  {100 * v / total:5.1f} %  {k}")
print("\nevent loops, by what they do:")
for k, v in sorted(loops.items(), key=lambda kv: (kv[0].startswith("  "), -kv[1])):
    print(f"  {100 * v / max(lt, 1):5.1f} %  {k}")
print("\nPlenum frames on the event loops (inclusive):")
for k, v in frames.most_common(15):
    print(f"  {100 * v / max(lt, 1):5.1f} %  {k}")
