package org.plenum.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.plenum.load.PollLedger.Outcome;
import org.plenum.load.PollLedger.Range;

/**
 * Exactly-once bookkeeping of actions that add one to a counter each (reactions per emoji on a
 * stage): every action id applied once adds one, a duplicate adds nothing, an action without an
 * answer may or may not have added one. Also keeps the send times of the applied actions, for
 * the rank pairing of action-to-observer latencies (see {@link LatencyAttribution}).
 */
public final class TallyLedger {

  private record Sent(String key, long sentNanos) {
  }

  private final String scope;
  private final Map<String, Sent> inFlight = new HashMap<>();
  private final Map<String, long[]> tally = new TreeMap<>(); // key -> {applied, inDoubt}
  private final List<Long> appliedSendTimes = new ArrayList<>();
  private long applied;
  private long firstAppliedSentNanos = -1;
  private long duplicates;
  private long rejected;
  private long unknown;

  public TallyLedger(String scope) {
    this.scope = scope;
  }

  public String scope() {
    return scope;
  }

  /** An action was written (a retry under the same id keeps its first send time). */
  public synchronized void sent(String actionId, String key, long sentNanos) {
    inFlight.putIfAbsent(actionId, new Sent(key, sentNanos));
    tally.computeIfAbsent(key, k -> new long[2]);
  }

  public synchronized void outcome(String actionId, Outcome outcome) {
    Sent s = inFlight.remove(actionId);
    if (s == null) {
      if (outcome == Outcome.DUPLICATE) {
        duplicates++;
      }
      return;
    }
    long[] t = tally.get(s.key());
    switch (outcome) {
      case APPLIED -> {
        applied++;
        t[0]++;
        appliedSendTimes.add(s.sentNanos());
        if (firstAppliedSentNanos < 0 || s.sentNanos() < firstAppliedSentNanos) {
          firstAppliedSentNanos = s.sentNanos();
        }
      }
      case DUPLICATE -> {
        // applied earlier under this id, its ack lost with a connection
        duplicates++;
        t[0]++;
        appliedSendTimes.add(s.sentNanos());
        if (firstAppliedSentNanos < 0 || s.sentNanos() < firstAppliedSentNanos) {
          firstAppliedSentNanos = s.sentNanos();
        }
      }
      case REJECTED -> rejected++;
      case UNKNOWN -> {
        unknown++;
        t[1]++;
      }
    }
  }

  public synchronized int settleInFlight() {
    List<String> left = new ArrayList<>(inFlight.keySet());
    for (String id : left) {
      outcome(id, Outcome.UNKNOWN);
    }
    return left.size();
  }

  /** The earliest send time of an applied action, or -1. */
  public synchronized long firstAppliedSentNanos() {
    return firstAppliedSentNanos;
  }

  public synchronized long[] appliedSendTimes() {
    return appliedSendTimes.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  public synchronized Map<String, Range> expected() {
    Map<String, Range> out = new LinkedHashMap<>();
    tally.forEach((k, t) -> out.put(k, new Range(t[0], t[0] + t[1])));
    return out;
  }

  public synchronized Range expectedTotal() {
    long min = 0;
    long max = 0;
    for (long[] t : tally.values()) {
      min += t[0];
      max += t[0] + t[1];
    }
    return new Range(min, max);
  }

  /** Compares the server's totals (every key it reports) with the acknowledged actions. */
  public synchronized List<String> check(Map<String, Long> server) {
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, Range> e : expected().entrySet()) {
      long got = server.getOrDefault(e.getKey(), 0L);
      if (!e.getValue().contains(got)) {
        mismatches.add(e.getKey() + ": server " + got + ", acknowledged " + e.getValue());
      }
    }
    for (Map.Entry<String, Long> e : server.entrySet()) {
      if (!tally.containsKey(e.getKey()) && e.getValue() != 0) {
        mismatches.add(e.getKey() + ": server " + e.getValue() + ", none sent");
      }
    }
    return mismatches;
  }

  public synchronized long applied() {
    return applied;
  }

  public synchronized long duplicates() {
    return duplicates;
  }

  public synchronized long rejected() {
    return rejected;
  }

  public synchronized long unknown() {
    return unknown;
  }
}
